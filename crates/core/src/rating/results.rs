//! What the rating engine produces, as plain serialisable data: [`Ratings`] for one inspection, its
//! standards' and key questions' results, prompt figures, banding disagreements and the framework
//! stamp. Everything downstream renders these and recomputes nothing.

use serde::{Deserialize, Serialize};

use super::breakdown;
use super::certainty::Certainty;
use super::summary::{InstrumentSample, OversightSummary};
use crate::framework::{Banding, Basis, Pooling, RatingDef};

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
    /// How sure its band is (`certainty::key_question`); `None` when no case was relevant.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certainty: Option<Certainty>,
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
    /// How sure its rating is (`certainty::standard`); `None` for a judged standard or
    /// one without a rating.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub certainty: Option<Certainty>,
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
    /// Cases still in progress (here and in the PDU inspections rolled up), left out of every
    /// figure above; more than none makes these ratings provisional.
    #[serde(default)]
    pub in_progress: u64,
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
