//! An inspection's quality-assurance page (issue 19): review progress, the QA sample (drawn here
//! by a lead), a QA reviewer's queue (drawn cases to mark blind, submitted cases to review), the
//! disagreements with a lead's reconciliation form, agreement with band changes first, and each
//! key question's funnel plot. Figures from `crate::quality`; every change through the store.

use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use casework_core::Answer;
use casework_core::agreement::Statistic;
use casework_core::double_marking::QuestionAgreement;
use casework_core::review::ReviewState;
use casework_report::funnel_chart::funnel_svg;
use serde::{Deserialize, Serialize};

use crate::access::{Need, decide};
use crate::auth::SignedIn;
use crate::error::{PageError, WebError};
use crate::links::{case_href, inspection_href, segment};
use crate::quality::overview;
use crate::state::AppState;
use crate::views::{ctx, render};

use super::{FieldError, Notice, me};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/inspections/{slug}/qa", get(page))
        .route("/inspections/{slug}/qa/sample", post(draw))
        .route("/inspections/{slug}/qa/lock", post(lock))
        .route("/inspections/{slug}/qa/reconcile", post(reconcile))
}

pub(super) fn qa_href(slug: &str) -> String {
    format!("{}/qa", inspection_href(slug))
}

fn notice_text(key: Option<&str>) -> Option<&'static str> {
    Some(match key? {
        "drawn" => "The QA sample was drawn",
        "locked" => "Every submitted and QA-reviewed case is locked",
        "marked" => "Your second marking was recorded; the case's own answers are now shown",
        "reconciled" => "The disagreement was reconciled and the case's answer changed",
        _ => return None,
    })
}

/// A statistic as the page shows it: the value and interval, or "undefined" and why.
#[derive(Serialize)]
struct Shown {
    value: String,
    interval: String,
    undefined: Option<String>,
}

fn shown_statistic(s: &Statistic) -> Shown {
    match s {
        Statistic::Defined(e) => Shown {
            value: format!("{:.2}", e.value),
            interval: e
                .interval
                .map(|(lo, hi)| format!("{lo:.2} to {hi:.2}"))
                .unwrap_or_else(|| "no interval".into()),
            undefined: None,
        },
        Statistic::Undefined { reason } => Shown {
            value: "undefined".into(),
            interval: String::new(),
            undefined: Some(reason.clone()),
        },
    }
}

#[derive(Serialize)]
struct AgreementRow {
    label: String,
    compared: usize,
    agreed: usize,
    applicability: usize,
    missing: usize,
    observed: Shown,
    kappa: Shown,
    ac1: Shown,
    alpha: Shown,
}

fn agreement_row(label: String, q: &QuestionAgreement) -> AgreementRow {
    let observed = match (q.percent_agreement, q.percent_agreement_interval) {
        (Some(p), Some((lo, hi))) => Shown {
            value: format!("{:.0}%", p * 100.0),
            interval: format!("{:.0}% to {:.0}%", lo * 100.0, hi * 100.0),
            undefined: None,
        },
        _ => Shown {
            value: "undefined".into(),
            interval: String::new(),
            undefined: Some("no case answered Yes or No by both markers".into()),
        },
    };
    AgreementRow {
        label,
        compared: q.compared,
        agreed: q.agreed,
        applicability: q.applicability_disagreements,
        missing: q.missing,
        observed,
        kappa: shown_statistic(&q.cohen_kappa),
        ac1: shown_statistic(&q.gwet_ac1),
        alpha: shown_statistic(&q.krippendorff_alpha),
    }
}

#[derive(Serialize)]
struct QueueCase {
    label: String,
    inspector: String,
    href: String,
    marked_by: Option<String>,
}

#[derive(Serialize)]
struct DisagreementView {
    id: String,
    case_label: String,
    case_href: String,
    inspection: String,
    instrument: String,
    case_ref: String,
    question: String,
    original: &'static str,
    second: &'static str,
    about: &'static str,
    reconciled: Option<String>,
}

fn answer_word(a: Answer) -> &'static str {
    match a {
        Answer::Yes => "Yes",
        Answer::No => "No",
        Answer::NotApplicable => "Not applicable",
        Answer::Unanswered => "Not answered",
    }
}

async fn page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Query(q): Query<Notice>,
) -> Result<Html<String>, PageError> {
    let standing = state.authorize(&who, &slug, Need::ReadCases).await?;
    let allowed = |need| decide(who.user.role, Some(standing), need).is_ok();
    let (can_lead, can_review) = (allowed(Need::Publish), allowed(Need::Review));
    let o = overview(&state.store, &slug).await?;
    let reviews = state.store.case_reviews(&slug).await?;
    let stored = state.store.stored(&slug).await?;
    let me_name = who.user.name.as_str();
    let sample: Vec<QueueCase> = o
        .sample
        .iter()
        .flat_map(|s| &s.cases)
        .map(|c| QueueCase {
            label: format!("{} {}", c.instrument, c.case_ref),
            inspector: c.inspector.clone().unwrap_or_default(),
            href: format!(
                "{}/qa/mark/{}/{}",
                inspection_href(&c.inspection),
                segment(&c.instrument),
                segment(&c.case_ref)
            ),
            marked_by: c.reviewer.clone(),
        })
        .collect();
    let drawn: std::collections::HashSet<(&str, &str, &str)> = o
        .sample
        .iter()
        .flat_map(|s| &s.cases)
        .filter(|c| c.reviewer.is_none())
        .map(|c| {
            (
                c.inspection.as_str(),
                c.instrument.as_str(),
                c.case_ref.as_str(),
            )
        })
        .collect();
    let to_review: Vec<QueueCase> = reviews
        .iter()
        .filter(|r| r.state == ReviewState::Submitted && r.inspector.as_deref() != Some(me_name))
        .filter(|r| {
            !drawn.contains(&(
                r.inspection.as_str(),
                r.instrument.as_str(),
                r.case_ref.as_str(),
            ))
        })
        .map(|r| QueueCase {
            label: format!("{} {}", r.instrument, r.case_ref),
            inspector: r.inspector.clone().unwrap_or_default(),
            href: case_href(&r.inspection, &r.instrument, &r.case_ref),
            marked_by: None,
        })
        .collect();
    let returned: Vec<QueueCase> = reviews
        .iter()
        .filter(|r| r.state == ReviewState::Returned)
        .map(|r| QueueCase {
            label: format!("{} {}", r.instrument, r.case_ref),
            inspector: r.inspector.clone().unwrap_or_default(),
            href: case_href(&r.inspection, &r.instrument, &r.case_ref),
            marked_by: None,
        })
        .collect();
    let disagreements: Vec<DisagreementView> = state
        .store
        .disagreements(&slug)
        .await?
        .into_iter()
        .enumerate()
        .map(|(i, d)| DisagreementView {
            id: format!("d{i}"),
            case_label: format!("{} {}", d.instrument, d.case_ref),
            case_href: case_href(&d.inspection, &d.instrument, &d.case_ref),
            original: answer_word(d.original),
            second: answer_word(d.second),
            about: if d.about_applicability {
                "whether it applies"
            } else {
                "Yes or No"
            },
            reconciled: d.reconciled.map(|r| {
                format!(
                    "Reconciled to {} by {}: {}",
                    answer_word(r.answer),
                    r.reconciled_by,
                    r.reason
                )
            }),
            inspection: d.inspection,
            instrument: d.instrument,
            case_ref: d.case_ref,
            question: d.question,
        })
        .collect();
    let a = &o.agreement;
    let mut agreement = vec![
        agreement_row("All questions".into(), &a.overall),
        agreement_row("Key questions".into(), &a.key_questions),
    ];
    agreement.extend(a.questions.iter().map(|q| {
        let kind = if q.key_question { "" } else { " (prompt)" };
        agreement_row(format!("{} {}{kind}", q.question, q.name), &q.agreement)
    }));
    let c = &o.band_changes;
    let changes: Vec<String> = c
        .key_questions
        .iter()
        .chain(&c.standards)
        .chain(&c.overall)
        .map(|ch| {
            format!(
                "{}: {} to {}",
                ch.id,
                ch.before.as_deref().unwrap_or("not rated"),
                ch.after.as_deref().unwrap_or("not rated")
            )
        })
        .chain(c.score.map(|(b, a)| format!("Score: {b} to {a}")))
        .collect();
    let funnels: Vec<(String, String)> = o
        .consistency
        .iter()
        .map(|f| (format!("{} {}", f.question, f.name), funnel_svg(f)))
        .collect();
    let reviews: Vec<(&str, usize)> = o.reviews.iter().map(|(s, n)| (s.label(), *n)).collect();
    let body = render(
        "quality.html",
        ctx! {
            title => format!("Quality assurance: {}", stored.unit), me => me(&who),
            csrf => &who.csrf, slug => &slug, unit => &stored.unit, errors => Vec::<FieldError>::new(),
            notice => notice_text(q.notice.as_deref()),
            can_lead => can_lead, can_review => can_review, frozen => standing.frozen,
            reviews => reviews, sample_info => &o.sample, sample => sample, to_review => to_review, returned => returned,
            disagreements => disagreements, agreement => agreement, cases => a.cases,
            changes => changes, funnels => funnels,
        },
    )?;
    Ok(Html(body))
}

#[derive(Deserialize)]
struct DrawForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    share: String,
    #[serde(default)]
    seed: String,
}

async fn draw(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Form(f): Form<DrawForm>,
) -> Result<Response, PageError> {
    who.check_csrf(Some(&f.csrf))?;
    state.authorize(&who, &slug, Need::Publish).await?;
    let share: u32 = f.share.trim().trim_end_matches('%').parse().map_err(|_| {
        WebError::BadRequest(format!(
            "The share '{}' is not a whole number of per cent",
            f.share
        ))
    })?;
    let seed = super::seed_from(&f.seed)?;
    state
        .store
        .draw_qa_sample(&slug, share, seed, &who.user.name)
        .await?;
    Ok(Redirect::to(&format!("{}?notice=drawn", qa_href(&slug))).into_response())
}

#[derive(Deserialize)]
struct CsrfOnly {
    #[serde(default)]
    csrf: String,
}

async fn lock(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Form(f): Form<CsrfOnly>,
) -> Result<Response, PageError> {
    who.check_csrf(Some(&f.csrf))?;
    state.authorize(&who, &slug, Need::Publish).await?;
    state
        .store
        .lock_reviewed_cases(&slug, &who.user.name)
        .await?;
    Ok(Redirect::to(&format!("{}?notice=locked", qa_href(&slug))).into_response())
}

#[derive(Deserialize)]
struct ReconcileForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    inspection: String,
    #[serde(default)]
    instrument: String,
    #[serde(default)]
    case_ref: String,
    #[serde(default)]
    question: String,
    #[serde(default)]
    answer: String,
    #[serde(default)]
    reason: String,
}

async fn reconcile(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Form(f): Form<ReconcileForm>,
) -> Result<Response, PageError> {
    who.check_csrf(Some(&f.csrf))?;
    state.authorize(&who, &slug, Need::Publish).await?;
    state.authorize(&who, &f.inspection, Need::Publish).await?;
    let answer = Answer::parse(&f.answer)
        .filter(|a| *a != Answer::Unanswered)
        .ok_or_else(|| WebError::BadRequest("Choose the reconciled answer".into()))?;
    state
        .store
        .reconcile(
            &f.inspection,
            &f.instrument,
            &f.case_ref,
            &f.question,
            answer,
            &f.reason,
            &who.user.name,
        )
        .await?;
    Ok(Redirect::to(&format!("{}?notice=reconciled", qa_href(&slug))).into_response())
}
