//! The rating engine: `rate(framework, inspection)` → [`Ratings`]. Pure: everything downstream renders
//! `Ratings` and recomputes nothing.
//!
//! Rules applied (all driven by the framework's data):
//! - key question percentage = Yes / (Yes + No) over the cases where it applies; none relevant → no
//!   percentage ("no relevant cases"), never a division by zero;
//! - a case-based standard takes the rating band of its lowest key question (on the printed whole
//!   number or the exact fraction, per `rules.banding`); judged standards carry the inspectors' rating;
//! - score = sum of points; overall = the score's band for the inspection kind;
//! - a region's `own-and-units` standards count its own cases plus its PDU inspections' cases, pooled
//!   per `rules.pooling`.

pub mod breakdown;
mod summary;
pub mod tally;

pub use summary::{InstrumentSample, OversightSummary};

use serde::{Deserialize, Serialize};

use crate::framework::{
    Banding, Basis, Framework, Pooling, QuestionKind, RatingDef, Scope, exact_percent,
    printed_percent,
};
use crate::inspection::Inspection;
use tally::{Counts, Tally, tally};

/// A rating as rendered: id, label and points.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RatingOut {
    pub id: String,
    pub label: String,
    pub points: u32,
}

impl From<&RatingDef> for RatingOut {
    fn from(r: &RatingDef) -> Self {
        RatingOut {
            id: r.id.clone(),
            label: r.label.clone(),
            points: r.points,
        }
    }
}

/// Which framework, and which rule settings, produced these ratings.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkStamp {
    pub id: String,
    pub version: String,
    pub content_hash: String,
    pub banding: Banding,
    pub pooling: Pooling,
    /// The framework's primary instrument (`Framework::primary_instrument`).
    pub primary_instrument: String,
}

/// One key question's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct KeyQuestionResult {
    pub id: String,
    pub text: String,
    pub focus: Option<String>,
    pub yes: u64,
    pub no: u64,
    pub not_applicable: u64,
    /// Yes + No.
    pub relevant: u64,
    /// The whole-number percentage as printed; `None` when no case was relevant.
    pub percent: Option<u32>,
    /// The exact percentage; `None` when no case was relevant.
    pub exact_percent: Option<f64>,
    /// The band this key question alone falls in.
    pub band: Option<RatingOut>,
    /// Whether this is the lowest key question, which drives the standard's rating.
    pub driving: bool,
}

/// One standard's result.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StandardResult {
    pub code: String,
    pub name: String,
    pub domain: u32,
    pub basis: Basis,
    /// `None` when a case-based standard had no relevant cases for any key question.
    pub rating: Option<RatingOut>,
    pub key_questions: Vec<KeyQuestionResult>,
    /// The driving key question's id.
    pub driving: Option<String>,
    /// Cases this standard counted (case-based standards).
    pub cases: u64,
}

/// A prompt's "X out of Y relevant cases" figure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PromptFigure {
    pub id: String,
    pub name: Option<String>,
    pub parent: String,
    pub instrument: String,
    pub text: String,
    pub yes: u64,
    pub no: u64,
    pub not_applicable: u64,
    pub unanswered: u64,
    pub relevant: u64,
    pub percent: Option<u32>,
}

/// A standard whose rating would differ under the other banding method.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BandingDisagreement {
    pub standard: String,
    pub key_question: String,
    pub yes: u64,
    pub relevant: u64,
    pub exact_percent: f64,
    pub rounded: RatingOut,
    pub exact: RatingOut,
}

/// Everything the rules produce for one inspection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Ratings {
    pub framework: FrameworkStamp,
    pub kind: String,
    pub kind_label: String,
    pub unit: String,
    pub region: Option<String>,
    pub fieldwork_start: Option<String>,
    pub fieldwork_end: Option<String>,
    pub standards: Vec<StandardResult>,
    pub score: u32,
    pub max_score: u32,
    /// `None` when any standard has no rating.
    pub overall: Option<RatingOut>,
    /// Standards without a rating (no relevant cases), which leave the overall rating open.
    pub unrated: Vec<String>,
    pub banding_disagreements: Vec<BandingDisagreement>,
    pub prompts: Vec<PromptFigure>,
    pub sample: Vec<InstrumentSample>,
    pub oversight: Vec<OversightSummary>,
    /// For a region: its PDU inspections (unit name and case count).
    pub units: Vec<UnitSummary>,
    /// Every question broken down by each declared attribute the cases record (none when they
    /// record none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub breakdowns: Vec<breakdown::Breakdown>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct UnitSummary {
    pub unit: String,
    pub cases: u64,
}

impl Ratings {
    pub fn standard(&self, code: &str) -> Option<&StandardResult> {
        self.standards.iter().find(|s| s.code == code)
    }

    pub fn key_question(&self, standard: &str, id: &str) -> Option<&KeyQuestionResult> {
        self.standard(standard)?
            .key_questions
            .iter()
            .find(|k| k.id == id)
    }

    pub fn prompt(&self, id_or_name: &str) -> Option<&PromptFigure> {
        self.prompts
            .iter()
            .find(|p| p.id == id_or_name || p.name.as_deref() == Some(id_or_name))
    }
}

/// Tallies for one inspection: own per instrument, and per unit per instrument.
struct Tallies {
    own: Vec<Tally>,
    units: Vec<Vec<Tally>>,
}

impl Tallies {
    fn of(fw: &Framework, inspection: &Inspection) -> Tallies {
        let own_of = |insp: &Inspection| -> Vec<Tally> {
            fw.instruments
                .iter()
                .map(|inst| match insp.cases_for(&inst.id) {
                    Some(set) => tally(set),
                    None => Tally::empty(inst.questions.len()),
                })
                .collect()
        };
        Tallies {
            own: own_of(inspection),
            units: inspection.units.iter().map(own_of).collect(),
        }
    }

    /// The per-source tallies a question is counted over under a scope.
    fn sources(&self, instrument: usize, scope: Scope) -> Vec<&Tally> {
        let mut out = vec![&self.own[instrument]];
        if scope == Scope::OwnAndUnits {
            out.extend(self.units.iter().map(|u| &u[instrument]));
        }
        out
    }
}

/// A percentage as computed under the pooling method.
struct Pct {
    counts: Counts,
    exact: Option<f64>,
}

fn combine(sources: &[&Tally], question: usize, pooling: Pooling) -> Pct {
    let mut counts = Counts::default();
    for t in sources {
        counts.add(&t.questions[question]);
    }
    let exact = match pooling {
        _ if counts.relevant() == 0 => None,
        Pooling::PooledAnswers => Some(exact_percent(counts.yes, counts.relevant())),
        Pooling::MeanOfUnits => {
            let parts: Vec<f64> = sources
                .iter()
                .map(|t| t.questions[question])
                .filter(|c| c.relevant() > 0)
                .map(|c| exact_percent(c.yes, c.relevant()))
                .collect();
            Some(parts.iter().sum::<f64>() / parts.len() as f64)
        }
    };
    Pct { counts, exact }
}

fn printed(p: &Pct, pooling: Pooling) -> Option<u32> {
    match pooling {
        Pooling::PooledAnswers if p.counts.relevant() > 0 => {
            Some(printed_percent(p.counts.yes, p.counts.relevant()))
        }
        // Half up on the mean; the mean of exact fractions is already a float.
        _ => p.exact.map(|x| (x + 0.5).floor() as u32),
    }
}

fn band_value(p: &Pct, pooling: Pooling, banding: Banding) -> Option<f64> {
    match banding {
        Banding::Rounded => printed(p, pooling).map(f64::from),
        Banding::Exact => p.exact,
    }
}

/// Rates an inspection (and, for a region, its PDU inspections' pooled cases).
///
/// # Panics
/// If the inspection's kind is not in the framework; [`crate::input`] rejects that on load.
pub fn rate(fw: &Framework, inspection: &Inspection) -> Ratings {
    let kind = fw
        .kind(&inspection.kind)
        .expect("inspection kind is validated on load");
    let tallies = Tallies::of(fw, inspection);
    let rules = &fw.rules;
    let mut standards = Vec::new();
    let mut disagreements = Vec::new();

    for code in &kind.standards {
        let std = fw.standard(code).expect("kind standards are validated");
        let mut result = StandardResult {
            code: std.code.clone(),
            name: std.name.clone(),
            domain: std.domain,
            basis: std.basis,
            rating: None,
            key_questions: Vec::new(),
            driving: None,
            cases: 0,
        };
        match std.basis {
            Basis::Judged => {
                result.rating = inspection
                    .judged
                    .get(code)
                    .and_then(|r| fw.rating(r))
                    .map(RatingOut::from);
            }
            Basis::KeyQuestions => {
                // (index in key_questions, value for banding, exact, pct)
                let mut lowest: Option<(usize, f64, f64)> = None;
                let mut pcts = Vec::new();
                for (ki, kq_id) in std.key_questions.iter().enumerate() {
                    let qref = fw.question_ref(kq_id).expect("validated");
                    let question = &fw.instruments[qref.instrument].questions[qref.question];
                    let sources = tallies.sources(qref.instrument, std.scope);
                    result.cases = result
                        .cases
                        .max(sources.iter().map(|t| t.cases).sum::<u64>());
                    let pct = combine(&sources, qref.question, rules.pooling);
                    let value = band_value(&pct, rules.pooling, rules.banding);
                    if let (Some(v), Some(exact)) = (value, pct.exact) {
                        let lower = match lowest {
                            None => true,
                            Some((_, lv, le)) => v < lv || (v == lv && exact < le),
                        };
                        if lower {
                            lowest = Some((ki, v, exact));
                        }
                    }
                    result.key_questions.push(KeyQuestionResult {
                        id: question.id.clone(),
                        text: question.text.clone(),
                        focus: question.focus.clone(),
                        yes: pct.counts.yes,
                        no: pct.counts.no,
                        not_applicable: pct.counts.not_applicable,
                        relevant: pct.counts.relevant(),
                        percent: printed(&pct, rules.pooling),
                        exact_percent: pct.exact,
                        band: value.map(|v| RatingOut::from(fw.band_for_percent(v))),
                        driving: false,
                    });
                    pcts.push(pct);
                }
                if let Some((ki, value, _)) = lowest {
                    let kq = &mut result.key_questions[ki];
                    kq.driving = true;
                    result.driving = Some(kq.id.clone());
                    let rating = fw.band_for_percent(value);
                    result.rating = Some(RatingOut::from(rating));

                    // Would the other banding method rate the standard differently?
                    let other = rules.banding.other();
                    let other_min = pcts
                        .iter()
                        .filter_map(|p| band_value(p, rules.pooling, other))
                        .fold(f64::INFINITY, f64::min);
                    let other_rating = fw.band_for_percent(other_min);
                    if other_rating.id != rating.id {
                        let (rounded, exact) = match rules.banding {
                            Banding::Rounded => (rating, other_rating),
                            Banding::Exact => (other_rating, rating),
                        };
                        let kq = &result.key_questions[ki];
                        disagreements.push(BandingDisagreement {
                            standard: std.code.clone(),
                            key_question: kq.id.clone(),
                            yes: kq.yes,
                            relevant: kq.relevant,
                            exact_percent: kq.exact_percent.unwrap_or_default(),
                            rounded: rounded.into(),
                            exact: exact.into(),
                        });
                    }
                }
            }
        }
        standards.push(result);
    }

    let score = standards
        .iter()
        .filter_map(|s| s.rating.as_ref())
        .map(|r| r.points)
        .sum();
    let unrated: Vec<String> = standards
        .iter()
        .filter(|s| s.rating.is_none())
        .map(|s| s.code.clone())
        .collect();
    let max_score = fw.max_points() * kind.standards.len() as u32;
    let overall = if unrated.is_empty() {
        fw.overall_for(kind, score).map(RatingOut::from)
    } else {
        None
    };

    let pooled_scope = if kind.units.is_some() {
        Scope::OwnAndUnits
    } else {
        Scope::Own
    };
    let mut prompts = Vec::new();
    for (ii, inst) in fw.instruments.iter().enumerate() {
        let sources = tallies.sources(ii, pooled_scope);
        if sources.iter().all(|t| t.cases == 0) {
            continue;
        }
        for (qi, q) in inst.questions.iter().enumerate() {
            if q.kind != QuestionKind::Prompt {
                continue;
            }
            let pct = combine(&sources, qi, Pooling::PooledAnswers);
            prompts.push(PromptFigure {
                id: q.id.clone(),
                name: q.name.clone(),
                parent: q.parent.clone().unwrap_or_default(),
                instrument: inst.id.clone(),
                text: q.text.clone(),
                yes: pct.counts.yes,
                no: pct.counts.no,
                not_applicable: pct.counts.not_applicable,
                unanswered: pct.counts.unanswered,
                relevant: pct.counts.relevant(),
                percent: printed(&pct, Pooling::PooledAnswers),
            });
        }
    }

    let all: Vec<&Inspection> = std::iter::once(inspection)
        .chain(inspection.units.iter())
        .collect();
    Ratings {
        framework: FrameworkStamp {
            id: fw.id.clone(),
            version: fw.version.clone(),
            content_hash: fw.content_hash().to_string(),
            banding: rules.banding,
            pooling: rules.pooling,
            primary_instrument: fw.primary_instrument().id.clone(),
        },
        kind: kind.id.clone(),
        kind_label: kind.label.clone(),
        unit: inspection.unit.clone(),
        region: inspection.region.clone(),
        fieldwork_start: inspection.fieldwork_start.clone(),
        fieldwork_end: inspection.fieldwork_end.clone(),
        standards,
        score,
        max_score,
        overall,
        unrated,
        banding_disagreements: disagreements,
        prompts,
        sample: summary::sample(fw, &all),
        oversight: summary::oversight(fw, &all),
        units: inspection
            .units
            .iter()
            .map(|u| UnitSummary {
                unit: u.unit.clone(),
                cases: u.case_count() as u64,
            })
            .collect(),
        breakdowns: breakdown::recorded(fw, inspection),
    }
}
