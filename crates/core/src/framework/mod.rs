//! An inspection framework as data: inspection kinds, standards, instruments with their key questions
//! and prompts, rating bands, points and overall score bands, and the rule settings (banding method,
//! pooling method, Probation Reset threshold). Loaded from TOML and validated on load.

mod attributes;
mod builtin;
mod figures_only;
mod judged;
mod percent;
mod settings;
mod validate;

pub use attributes::{AttributeValue, CaseAttribute};
pub use builtin::{BUILTIN, builtin, builtin_by_id};
pub use judged::JudgedKeyQuestion;
pub use percent::{exact_percent, percent_for_banding, printed_percent};
pub use settings::{CertaintySettings, EvidenceSettings};
pub use validate::FrameworkError;

use serde::{Deserialize, Serialize};
use std::collections::HashMap;

use crate::record::{CaseRecord, SentenceType, StandardsSet};

/// A whole framework, validated and indexed. Build one with [`Framework::from_toml`].
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub id: String,
    pub version: String,
    pub name: String,
    /// The inspection programme this framework is, as published results name it ("2018",
    /// "2021", "2023", "2025"; issue 18), if results of it may be checked against it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub programme: Option<String>,
    pub rules: Rules,
    /// The four-point scale, best first: id, label, points.
    pub ratings: Vec<RatingDef>,
    /// Percentage bands for case-based standards (whole percentages, inclusive, covering 0..=100).
    pub percentage_bands: Vec<PercentageBand>,
    pub focus_areas: Vec<FocusArea>,
    pub domains: Vec<Domain>,
    pub kinds: Vec<InspectionKind>,
    pub standards: Vec<Standard>,
    pub instruments: Vec<Instrument>,
    /// Case attributes beyond the built-in ones, declared as data (see [`CaseAttribute`]).
    #[serde(default)]
    pub attributes: Vec<CaseAttribute>,
    /// How sure a rating must be to be called secure, and the intervals' confidence level
    /// (`[certainty]`; defaults 0.95 and 0.8 where the table is absent).
    #[serde(default)]
    pub certainty: CertaintySettings,
    /// The small-numbers rule of domain-one evidence (`[evidence]`; default 5 where absent).
    #[serde(default)]
    pub evidence: EvidenceSettings,
    #[serde(skip)]
    index: Index,
}

/// The rule settings the methodology marks as inferred, kept as data so that they can be switched.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rules {
    /// Band on the printed whole-number percentage (`rounded`) or on the exact fraction (`exact`).
    pub banding: Banding,
    /// How a regional key question combines its PDU inspections' cases.
    pub pooling: Pooling,
    /// Probation Reset with contact suspended within this many weeks (or fewer) uses the adjusted
    /// standards; after more weeks, the core standards judged proportionately.
    pub reset_adjusted_max_weeks: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Banding {
    Rounded,
    Exact,
}

impl Banding {
    pub fn other(self) -> Banding {
        match self {
            Banding::Rounded => Banding::Exact,
            Banding::Exact => Banding::Rounded,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pooling {
    /// Sum of Yes over sum of relevant across every pooled case.
    PooledAnswers,
    /// Unweighted mean of each inspection's own percentage.
    MeanOfUnits,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RatingDef {
    pub id: String,
    pub label: String,
    pub points: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PercentageBand {
    pub rating: String,
    pub min: u32,
    pub max: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoreBand {
    pub rating: String,
    pub min: u32,
    pub max: u32,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FocusArea {
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Domain {
    pub id: u32,
    pub label: String,
}

/// PDU or region: which standards it is rated on and how its score maps to an overall rating.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InspectionKind {
    pub id: String,
    pub label: String,
    pub standards: Vec<String>,
    /// The kind of inspection this kind rolls up (a region's PDUs), if any.
    #[serde(default)]
    pub units: Option<String>,
    pub overall_bands: Vec<ScoreBand>,
    /// What a published result calls this kind (`pdu`, `region`, `crc_or_nps_division`), where
    /// that is not its id: two kinds of the 2018 programme (a CRC, an NPS division) share one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published_as: Option<String>,
}

impl InspectionKind {
    /// The kind's name in published results: `published_as`, else its id.
    pub fn published_kind(&self) -> &str {
        self.published_as.as_deref().unwrap_or(&self.id)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Basis {
    /// Rated directly by inspectors.
    Judged,
    /// Rated from the lowest of its key questions.
    KeyQuestions,
}

/// Which cases a case-based standard counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Scope {
    /// This inspection's own cases.
    #[default]
    Own,
    /// This inspection's own cases and those of the inspections it rolls up.
    OwnAndUnits,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Standard {
    pub code: String,
    pub name: String,
    pub domain: u32,
    pub statement: String,
    pub basis: Basis,
    #[serde(default)]
    pub key_questions: Vec<String>,
    #[serde(default)]
    pub scope: Scope,
    /// A judged standard's key questions and prompts (domain one), which evidence is filed
    /// against and judged ratings are recorded for (see [`JudgedKeyQuestion`]).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub judged_key_questions: Vec<JudgedKeyQuestion>,
}

/// A case-level attribute an instrument records, as CSV columns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Attribute {
    /// `sentence`: community or licence.
    Sentence,
    /// `probation_reset` (Y/N) and `weeks_before_suspension`.
    ProbationReset,
    /// `management_oversight`.
    ManagementOversight,
}

/// A case-assessment form: its questions in order, and the case attributes it records.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Instrument {
    pub id: String,
    pub label: String,
    /// The CSV file name in an inspection directory.
    pub file: String,
    /// The framework's primary instrument (at most one): where a command or a figure names no
    /// instrument, this one is meant (the 2023 programme's sentence-management cases).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub primary: bool,
    #[serde(default)]
    pub attributes: Vec<Attribute>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum QuestionKind {
    Key,
    Prompt,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Question {
    pub id: String,
    pub kind: QuestionKind,
    /// For a prompt, the key question it sits beneath.
    #[serde(default)]
    pub parent: Option<String>,
    /// For a key question, its focus area (engaging, desistance, keeping-safe).
    #[serde(default)]
    pub focus: Option<String>,
    /// A short name for the figure in reports, e.g. `da-info-used`.
    #[serde(default)]
    pub name: Option<String>,
    /// A key question's short name for people, where its focus area does not say what it
    /// measures: a chart's bar or a table's row ("Pre-sentence information and advice").
    #[serde(default)]
    pub short: Option<String>,
    pub text: String,
    /// Whether "Not applicable" is an allowed answer where the question applies.
    #[serde(default)]
    pub allow_na: bool,
    #[serde(default)]
    pub applies: Condition,
}

/// When a question applies to a case. Every listed constraint must hold; an absent one always holds.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Condition {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentence: Option<Vec<SentenceType>>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standards_set: Option<Vec<StandardsSet>>,
}

impl Condition {
    pub fn is_always(&self) -> bool {
        self.sentence.is_none() && self.standards_set.is_none()
    }

    /// Whether the question applies to `case` under the framework's Reset threshold.
    pub fn holds(&self, case: &CaseRecord, reset_adjusted_max_weeks: u32) -> bool {
        if let Some(allowed) = &self.sentence {
            match case.sentence {
                Some(s) if allowed.contains(&s) => {}
                _ => return false,
            }
        }
        if let Some(allowed) = &self.standards_set
            && !allowed.contains(&case.standards_set(reset_adjusted_max_weeks))
        {
            return false;
        }
        true
    }
}

/// Where a question lives: its instrument and its column among that instrument's questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QuestionRef {
    pub instrument: usize,
    pub question: usize,
}

#[derive(Debug, Clone, Default)]
struct Index {
    questions: HashMap<String, QuestionRef>,
    instruments: HashMap<String, usize>,
    standards: HashMap<String, usize>,
    ratings: HashMap<String, usize>,
    kinds: HashMap<String, usize>,
    content_hash: String,
    source: String,
}

impl Framework {
    /// Parses and validates a framework. `origin` names the source in errors (a path, or `built-in`).
    pub fn from_toml(text: &str, origin: &str) -> Result<Framework, FrameworkError> {
        let mut framework: Framework =
            toml::from_str(text).map_err(|e| FrameworkError::parse(origin, text, &e))?;
        framework.index = validate::validate(&framework, origin)?;
        framework.index.content_hash = content_hash(text);
        framework.index.source = text.to_string();
        Ok(framework)
    }

    /// The TOML text this framework was loaded from (what a store keeps, so it can be reloaded).
    pub fn source_text(&self) -> &str {
        &self.index.source
    }

    /// A short hash of the framework's text, so an inspection can be pinned to this exact content.
    pub fn content_hash(&self) -> &str {
        &self.index.content_hash
    }

    pub fn question(&self, id: &str) -> Option<(&Instrument, &Question)> {
        let r = self.index.questions.get(id)?;
        let instrument = &self.instruments[r.instrument];
        Some((instrument, &instrument.questions[r.question]))
    }

    pub fn question_ref(&self, id: &str) -> Option<QuestionRef> {
        self.index.questions.get(id).copied()
    }

    /// The instrument marked `primary`, or the first (a framework has at least one).
    pub fn primary_instrument(&self) -> &Instrument {
        self.instruments
            .iter()
            .find(|i| i.primary)
            .unwrap_or(&self.instruments[0])
    }

    pub fn instrument(&self, id: &str) -> Option<&Instrument> {
        self.index
            .instruments
            .get(id)
            .map(|&i| &self.instruments[i])
    }

    pub fn instrument_index(&self, id: &str) -> Option<usize> {
        self.index.instruments.get(id).copied()
    }

    pub fn standard(&self, code: &str) -> Option<&Standard> {
        self.index.standards.get(code).map(|&i| &self.standards[i])
    }

    pub fn rating(&self, id: &str) -> Option<&RatingDef> {
        self.index.ratings.get(id).map(|&i| &self.ratings[i])
    }

    pub fn kind(&self, id: &str) -> Option<&InspectionKind> {
        self.index.kinds.get(id).map(|&i| &self.kinds[i])
    }

    pub fn domain_label(&self, id: u32) -> Option<&str> {
        self.domains
            .iter()
            .find(|d| d.id == id)
            .map(|d| d.label.as_str())
    }

    pub fn focus_label(&self, id: &str) -> Option<&str> {
        self.focus_areas
            .iter()
            .find(|f| f.id == id)
            .map(|f| f.label.as_str())
    }

    /// The highest points any rating carries (3 on the four-point scale).
    /// Whether the framework rates anything: a programme that reports figures only (`ratings =
    /// []`) has no bands, no standard ratings, no score and no overall rating.
    pub fn rates(&self) -> bool {
        !self.ratings.is_empty()
    }

    pub fn max_points(&self) -> u32 {
        self.ratings.iter().map(|r| r.points).max().unwrap_or(0)
    }

    /// The rating a whole-number or exact percentage falls in. `yes`/`relevant` must have relevant > 0.
    pub fn band_for(&self, yes: u64, relevant: u64, banding: Banding) -> &RatingDef {
        let value = percent_for_banding(yes, relevant, banding);
        self.band_for_percent(value)
    }

    /// The rating for a percentage already prepared for banding (see [`percent_for_banding`]).
    pub fn band_for_percent(&self, value: f64) -> &RatingDef {
        // Bands are validated to cover 0..=100 without gaps; the band is the one with the highest
        // lower edge at or below the value, so an exact 64.7 falls in the 50-64 band.
        let band = self
            .percentage_bands
            .iter()
            .filter(|b| f64::from(b.min) <= value)
            .max_by_key(|b| b.min)
            .unwrap_or(&self.percentage_bands[0]);
        &self.ratings[self.index.ratings[&band.rating]]
    }

    /// The overall rating for a score under a kind's score bands.
    pub fn overall_for(&self, kind: &InspectionKind, score: u32) -> Option<&RatingDef> {
        let band = kind
            .overall_bands
            .iter()
            .find(|b| b.min <= score && score <= b.max)?;
        self.rating(&band.rating)
    }
}

fn content_hash(text: &str) -> String {
    // FNV-1a, 64-bit: enough to tell two framework texts apart; not a security hash.
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in text.bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}
