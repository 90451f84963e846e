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
//!   per `rules.pooling`;
//! - only complete cases count (`case::case_status`); cases still in progress are counted apart
//!   (`Ratings::in_progress`), and a report made with any is a draft.

pub mod breakdown;
pub mod certainty;
mod results;
mod summary;
pub mod tally;

pub use results::{
    BandingDisagreement, FrameworkStamp, KeyQuestionResult, PromptFigure, RatingOut, Ratings,
    StandardResult, UnitSummary,
};
pub use summary::{InstrumentSample, OversightSummary};

use crate::framework::{
    Banding, Basis, Framework, Pooling, QuestionKind, Scope, exact_percent, printed_percent,
};
use crate::inspection::Inspection;
use tally::{Counts, Tally, tally};

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
    let in_progress = inspection.in_progress() as u64;
    let mut ratings = rate_complete(fw, &inspection.complete_only());
    ratings.in_progress = in_progress;
    ratings
}

/// [`rate`] over an inspection whose cases are all complete.
fn rate_complete(fw: &Framework, inspection: &Inspection) -> Ratings {
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
            certainty: None,
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
                        band: value
                            .filter(|_| fw.rates())
                            .map(|v| RatingOut::from(fw.band_for_percent(v))),
                        driving: false,
                        certainty: None,
                    });
                    pcts.push(pct);
                }
                if let Some((ki, value, _)) = lowest.filter(|_| fw.rates()) {
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
        certainty::attach(fw, &mut result);
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
        in_progress: 0,
    }
}
