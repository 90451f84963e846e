//! A sampled case's own attributes, as plain data: its id, sentence type, Probation Reset weeks
//! (and the set of standards they put it under), management oversight, notes, evidence notes per
//! question and whether it is still in progress. Knows nothing of frameworks or answers, so the
//! framework's applicability conditions and the case table can both name it.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SentenceType {
    /// Community order or suspended sentence order.
    Community,
    /// Release on licence from custody.
    Licence,
}

impl SentenceType {
    /// The spellings accepted (any case), for error messages and the README.
    pub const ALLOWED: &'static str = "community (or community order, CO), licence (or license)";

    pub fn parse(cell: &str) -> Option<SentenceType> {
        match cell.trim().to_ascii_lowercase().as_str() {
            "community" | "community order" | "co" => Some(SentenceType::Community),
            "licence" | "license" => Some(SentenceType::Licence),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SentenceType::Community => "community",
            SentenceType::Licence => "licence",
        }
    }
}

/// Which set of standards a case is judged against, derived from its Probation Reset attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StandardsSet {
    /// No Probation Reset.
    Core,
    /// Reset after more than the threshold: core standards, judged proportionately.
    Proportionate,
    /// Reset within the threshold: the adjusted standards.
    Adjusted,
}

/// Management oversight as judged on the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Oversight {
    Sufficient,
    Insufficient,
    Ineffective,
    Absent,
    NotRequired,
}

impl Oversight {
    pub const ALLOWED: &'static str = "sufficient, insufficient, ineffective, absent, not-required";
    pub const ALL: [Oversight; 5] = [
        Oversight::Sufficient,
        Oversight::Insufficient,
        Oversight::Ineffective,
        Oversight::Absent,
        Oversight::NotRequired,
    ];

    pub fn parse(cell: &str) -> Option<Oversight> {
        match cell.trim().to_ascii_lowercase().replace(' ', "-").as_str() {
            "sufficient" => Some(Oversight::Sufficient),
            "insufficient" => Some(Oversight::Insufficient),
            "ineffective" => Some(Oversight::Ineffective),
            "absent" => Some(Oversight::Absent),
            "not-required" => Some(Oversight::NotRequired),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Oversight::Sufficient => "sufficient",
            Oversight::Insufficient => "insufficient",
            Oversight::Ineffective => "ineffective",
            Oversight::Absent => "absent",
            Oversight::NotRequired => "not-required",
        }
    }

    /// Oversight was needed and fell short: what the reports quote a share of.
    pub fn is_shortfall(self) -> bool {
        matches!(
            self,
            Oversight::Insufficient | Oversight::Ineffective | Oversight::Absent
        )
    }
}

/// The most weeks of supervision before contact was suspended under Probation Reset that a case
/// may record: three years, the longest a community order runs. [inferred: a bound on what can be
/// typed, not a rule of the methodology; sampled cases began six to eight months before fieldwork.]
pub const RESET_WEEKS_MAX: u32 = 156;

/// Parses "weeks supervised before contact was suspended": a whole number from 0 to
/// [`RESET_WEEKS_MAX`]. The one rule every reader and the web form apply.
pub fn parse_reset_weeks(text: &str) -> Result<u32, String> {
    let text = text.trim();
    match text.parse::<u32>() {
        Ok(weeks) if weeks <= RESET_WEEKS_MAX => Ok(weeks),
        _ => Err(format!(
            "'{text}' is not allowed; weeks before suspension is a whole number from 0 to {RESET_WEEKS_MAX}"
        )),
    }
}

/// Whether a case's assessment is finished. The rule that decides it is
/// [`crate::case::case_status`]; files may say `in-progress` to leave answers blank.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum CaseStatus {
    /// Answers or the sentence type may still be missing; not counted in ratings.
    InProgress,
    /// Every question that applies is answered and the sentence type given.
    #[default]
    Complete,
}

impl CaseStatus {
    /// The spellings accepted in a `status` column or field (any case; blank is complete).
    pub const ALLOWED: &'static str = "in-progress (or in progress), complete, or blank (complete)";

    /// A status cell: `None` when it is not one of [`CaseStatus::ALLOWED`].
    pub fn parse(cell: &str) -> Option<CaseStatus> {
        match cell.trim().to_ascii_lowercase().replace(' ', "-").as_str() {
            "in-progress" => Some(CaseStatus::InProgress),
            "complete" | "" => Some(CaseStatus::Complete),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            CaseStatus::InProgress => "in-progress",
            CaseStatus::Complete => "complete",
        }
    }

    pub fn is_complete(self) -> bool {
        self == CaseStatus::Complete
    }

    /// For serde's `skip_serializing_if`.
    fn is_complete_ref(&self) -> bool {
        self.is_complete()
    }
}

/// One sampled case's identity and attributes (its answers live in the [`CaseSet`] table).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRecord {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentence: Option<SentenceType>,
    /// `Some(weeks)` when Probation Reset applied: weeks supervised before contact was suspended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset_weeks: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oversight: Option<Oversight>,
    /// The framework's declared attributes recorded for this case: attribute id → value id (see
    /// `framework::CaseAttribute`); an attribute not recorded is absent.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    /// Inspector's evidence notes: personal data, never logged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// The inspector's evidence note per question: question id → note (personal data, never
    /// logged). Files carry them in `evidence.csv`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub evidence: BTreeMap<String, String>,
    /// Whether the case is finished, as [`crate::case::case_status`] decides from its answers;
    /// whoever changes the answers or the sentence sets it again.
    #[serde(default, skip_serializing_if = "CaseStatus::is_complete_ref")]
    pub status: CaseStatus,
}

impl CaseRecord {
    pub fn standards_set(&self, reset_adjusted_max_weeks: u32) -> StandardsSet {
        match self.reset_weeks {
            None => StandardsSet::Core,
            Some(w) if w <= reset_adjusted_max_weeks => StandardsSet::Adjusted,
            Some(_) => StandardsSet::Proportionate,
        }
    }
}
