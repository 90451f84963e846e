//! Quality assurance as a lead sees it (issue 19), assembled from the store and worked out by core
//! (`casework_core::qa_analysis`, `band_changes`): the QA sample, agreement per question and
//! pooled, whether reconciliation moved any band, rating, the score or the overall rating
//! (what matters first), and each inspector's consistency on the funnel. Also the inspection with
//! its locked cases only, what will be published. The one way the pages, the API and
//! `casework qa` get these figures.

use std::collections::HashMap;

use casework_core::band_changes::{BandChanges, band_changes};
use casework_core::qa_analysis::{
    AgreementReport, KeyQuestionFunnel, MarkedCase, agreement, before_reconciliation, consistency,
};
use casework_core::review::ReviewState;
use casework_core::{Inspection, rate};
use casework_store::{QaSample, Store};
use serde::Serialize;

use crate::error::WebError;

/// Everything quality assurance shows about one inspection.
#[derive(Debug, Clone, Serialize)]
pub struct QaOverview {
    pub inspection: String,
    pub sample: Option<QaSample>,
    /// Cases by review state (every state listed, zeros included), in the states' order.
    pub reviews: Vec<(ReviewState, usize)>,
    /// What reconciliation moved (empty: no band changes).
    pub band_changes: BandChanges,
    pub agreement: AgreementReport,
    pub consistency: Vec<KeyQuestionFunnel>,
}

/// The QA overview of stored inspection `slug`.
pub async fn overview(store: &Store, slug: &str) -> Result<QaOverview, WebError> {
    let loaded = store.load_shared(slug).await?;
    let reviews = store.case_reviews(slug).await?;
    let marked = store.double_marked(slug).await?;
    let sample = store.qa_sample(slug).await?;
    let slug = slug.to_string();
    tokio::task::spawn_blocking(move || {
        let fw = &loaded.framework;
        let cases: Vec<MarkedCase<'_>> = marked
            .iter()
            .map(|m| MarkedCase {
                unit: &m.unit,
                instrument: &m.instrument,
                case_ref: &m.case_ref,
                original: &m.original,
                second: &m.second,
            })
            .collect();
        let before = before_reconciliation(fw, &loaded.inspection, &cases);
        let changes = band_changes(&rate(fw, &before), &rate(fw, &loaded.inspection));
        let inspectors: HashMap<(&str, &str, &str), &str> = reviews
            .iter()
            .filter_map(|r| {
                Some((
                    (r.unit.as_str(), r.instrument.as_str(), r.case_ref.as_str()),
                    r.inspector.as_deref()?,
                ))
            })
            .collect();
        let funnels = consistency(fw, &loaded.inspection, &|unit, instrument, case_ref| {
            inspectors
                .get(&(unit, instrument, case_ref))
                .map(|s| s.to_string())
        });
        let counts = ReviewState::ALL
            .into_iter()
            .map(|s| (s, reviews.iter().filter(|r| r.state == s).count()))
            .collect();
        QaOverview {
            inspection: slug,
            sample,
            reviews: counts,
            band_changes: changes,
            agreement: agreement(fw, &cases),
            consistency: funnels,
        }
    })
    .await
    .map_err(|e| WebError::Internal(format!("the QA figures could not be worked out: {e}")))
}

/// What the store adds to the report of `slug`: quality assurance's `qa.*` figures and QA sheets
/// (`None` while no case has been double-marked), the case sample's figures, and domain one's
/// evidence.
pub async fn report_figures(
    store: &Store,
    slug: &str,
) -> Result<casework_report::StoredFigures, WebError> {
    let sample = crate::sampling::figures(store, slug).await?;
    let (domain_one, _) = store.domain_one(slug).await?;
    if store
        .qa_sample(slug)
        .await?
        .is_none_or(|s| s.cases.iter().all(|c| c.submitted_at.is_none()))
    {
        return Ok(casework_report::StoredFigures {
            qa: None,
            sample,
            domain_one,
        });
    }
    let o = overview(store, slug).await?;
    Ok(casework_report::StoredFigures {
        qa: Some(casework_report::QaFigures {
            agreement: o.agreement,
            band_changes: o.band_changes,
            consistency: o.consistency,
        }),
        sample,
        domain_one,
    })
}

/// Which cases ratings count.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// Every complete case: provisional until the cases are locked.
    Provisional,
    /// Locked cases only: what will be published.
    LockedOnly,
}

impl Basis {
    /// The basis in words, as every ratings view states it: `locked` of `total` cases locked.
    pub fn describe(self, locked: usize, total: usize) -> String {
        match self {
            Basis::Provisional => format!(
                "Provisional ratings: every complete case counts ({locked} of {total} cases locked)."
            ),
            Basis::LockedOnly => format!(
                "Ratings over locked cases only, what will be published ({locked} of {total} cases locked)."
            ),
        }
    }
}

/// `inspection` (stored as `slug`) with only its locked cases, and how many of how many cases are
/// locked.
pub async fn locked_only(
    store: &Store,
    slug: &str,
    inspection: &Inspection,
) -> Result<(Inspection, usize, usize), WebError> {
    let reviews = store.case_reviews(slug).await?;
    let locked: std::collections::HashSet<(&str, &str, &str)> = reviews
        .iter()
        .filter(|r| r.state == ReviewState::Locked)
        .map(|r| (r.unit.as_str(), r.instrument.as_str(), r.case_ref.as_str()))
        .collect();
    let only = inspection.retain_cases(&|unit, instrument, case| {
        locked.contains(&(unit, instrument, case.id.as_str()))
    });
    Ok((only, locked.len(), reviews.len()))
}
