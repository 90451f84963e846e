//! The checks every published result gets (issue 18): what its framework's rules say its figures
//! must satisfy, each finding naming the result and the rule. Partial results are checked as far
//! as they go: unknown ratings widen the score's range rather than excuse it.

use std::fmt;

use serde::Serialize;

use crate::framework::{Basis, Framework, RatingDef};

use super::programme::{Programme, resolve};
use super::result::PublishedResult;

/// The rule a finding breaks; `as_str` is its stable name in every output.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Rule {
    /// The result's programme and kind name a built-in framework's kind.
    Programme,
    /// A stated maximum is the kind's: top points × standards (framework `[[kinds]]`; 2023 PDU
    /// 21, region 24; 2021 PDU 27; 2018 30).
    ScoreMax,
    /// The score is the sum of the standards' points (METHODOLOGY.md 4.5, [seen] in every
    /// reference report), or, where some are unknown, within what the known ones allow.
    ScoreSum,
    /// Each standard code is one of the kind's, once.
    Standard,
    /// Each rating is one of the framework's four-point scale.
    Rating,
    /// A case-based standard has no more key questions than the framework gives it.
    KeyQuestionCount,
    /// A case-based standard's rating is the band of its lowest key question (METHODOLOGY.md
    /// 4.3); with some percentages unknown, no better than the lowest known one's band.
    KeyQuestionBand,
    /// The overall rating is the score's band under the framework's overall bands (2023:
    /// [inferred], METHODOLOGY.md 4.6); with the score unknown, a band the possible scores reach.
    OverallBand,
}

impl Rule {
    pub fn as_str(self) -> &'static str {
        match self {
            Rule::Programme => "programme",
            Rule::ScoreMax => "score-max",
            Rule::ScoreSum => "score-sum",
            Rule::Standard => "standard",
            Rule::Rating => "rating",
            Rule::KeyQuestionCount => "key-question-count",
            Rule::KeyQuestionBand => "key-question-band",
            Rule::OverallBand => "overall-band",
        }
    }
}

/// One broken rule of one result.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    /// The result's position in the list checked (0-based).
    pub index: usize,
    /// The result's label ([`PublishedResult::label`]).
    pub result: String,
    pub rule: Rule,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} [{}]: {}",
            self.result,
            self.rule.as_str(),
            self.message
        )
    }
}

/// A rating by its id or (in any letter case) its label.
pub fn rating_of<'f>(framework: &'f Framework, text: &str) -> Option<&'f RatingDef> {
    framework
        .ratings
        .iter()
        .find(|r| r.id == text || r.label.eq_ignore_ascii_case(text))
}

/// Checks every result against its programme's framework among `frameworks`.
pub fn check_all(frameworks: &[&Framework], results: &[PublishedResult]) -> Vec<Finding> {
    results
        .iter()
        .enumerate()
        .flat_map(|(i, r)| check(frameworks, i, r))
        .collect()
}

/// The lowest and highest score the result's known standard ratings allow (each unknown or
/// absent standard anywhere from 0 to the top points); `None` where the result resolves to no
/// programme.
pub fn score_range(programme: Programme<'_>, result: &PublishedResult) -> (u32, u32) {
    let fw = programme.framework;
    let mut known = 0;
    let mut sum = 0;
    for code in &programme.kind.standards {
        if let Some(points) = result
            .standard(code)
            .and_then(|s| s.rating.as_deref())
            .and_then(|r| rating_of(fw, r))
            .map(|r| r.points)
        {
            known += 1;
            sum += points;
        }
    }
    let unknown = programme.kind.standards.len() as u32 - known;
    (sum, sum + unknown * fw.max_points())
}

/// Checks one result (`index` its position, for the finding).
pub fn check(frameworks: &[&Framework], index: usize, result: &PublishedResult) -> Vec<Finding> {
    let mut findings = Vec::new();
    let mut found = |rule: Rule, message: String| {
        findings.push(Finding {
            index,
            result: result.label(index),
            rule,
            message,
        })
    };
    let programme = match resolve(frameworks, result) {
        Ok(p) => p,
        Err(why) => {
            found(Rule::Programme, why);
            return findings;
        }
    };
    let fw = programme.framework;
    let max = programme.score_max();
    if let Some(stated) = result.score_max
        && stated != max
    {
        found(
            Rule::ScoreMax,
            format!(
                "states a maximum of {stated}; a {} of programme {} has {max} ({} standards × {} points)",
                programme.kind.label,
                fw.programme.as_deref().unwrap_or(&fw.id),
                programme.kind.standards.len(),
                fw.max_points()
            ),
        );
    }
    for (i, standard) in result.standards.iter().enumerate() {
        let code = &standard.code;
        if result.standards[..i].iter().any(|s| s.code == *code) {
            found(Rule::Standard, format!("{code} is given twice"));
            continue;
        }
        let Some(def) = fw
            .standard(code)
            .filter(|_| programme.kind.standards.contains(code))
        else {
            found(
                Rule::Standard,
                format!(
                    "{code} is not a standard of a {} ({})",
                    programme.kind.label,
                    programme.kind.standards.join(", ")
                ),
            );
            continue;
        };
        let rating = match standard.rating.as_deref() {
            Some(text) => match rating_of(fw, text) {
                Some(r) => Some(r),
                None => {
                    found(Rule::Rating, format!("{code}: '{text}' is not a rating"));
                    None
                }
            },
            None => None,
        };
        if def.basis != Basis::KeyQuestions || standard.key_questions.is_empty() {
            continue;
        }
        let expected = def.key_questions.len();
        let given = standard.key_questions.len();
        if given > expected {
            found(
                Rule::KeyQuestionCount,
                format!("{code} has {given} key questions; the framework gives it {expected}"),
            );
            continue;
        }
        let known: Vec<u32> = standard
            .key_questions
            .iter()
            .filter_map(|k| k.percent_yes)
            .collect();
        let (Some(rating), Some(&lowest)) = (rating, known.iter().min()) else {
            continue;
        };
        let band = fw.band_for_percent(f64::from(lowest));
        if known.len() == expected {
            if band.id != rating.id {
                found(
                    Rule::KeyQuestionBand,
                    format!(
                        "{code} is rated {} but its lowest key question, {lowest}%, is in the {} band",
                        rating.label, band.label
                    ),
                );
            }
        } else if rating.points > band.points {
            found(
                Rule::KeyQuestionBand,
                format!(
                    "{code} is rated {} but a key question at {lowest}% holds it to {} or below",
                    rating.label, band.label
                ),
            );
        }
    }
    let (low, high) = score_range(programme, result);
    let high = high.min(max);
    if let Some(score) = result.score {
        if low == high && score != low {
            found(
                Rule::ScoreSum,
                format!("the score is {score} but its standards' points sum to {low}"),
            );
        } else if score < low || score > high {
            found(
                Rule::ScoreSum,
                format!(
                    "the score is {score} but the ratings given allow only {low} to {high} points"
                ),
            );
        }
    }
    if let Some(text) = result.overall_rating.as_deref()
        && !programme.kind.overall_bands.is_empty()
    {
        match rating_of(fw, text) {
            None => found(Rule::Rating, format!("overall: '{text}' is not a rating")),
            Some(overall) => {
                let (from, to) = result.score.map_or((low, high), |s| (s, s));
                let reachable = programme
                    .kind
                    .overall_bands
                    .iter()
                    .any(|b| b.rating == overall.id && b.min <= to && b.max >= from);
                if !reachable {
                    let scores = if from == to {
                        format!("a score of {from}")
                    } else {
                        format!("scores of {from} to {to}")
                    };
                    found(
                        Rule::OverallBand,
                        format!(
                            "rated {} overall, but under the framework's bands {scores} cannot be",
                            overall.label
                        ),
                    );
                }
            }
        }
    }
    findings
}
