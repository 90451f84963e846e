//! Domain one's organisational evidence (issue 17): what stands behind the judged ratings of
//! leadership, staffing and services, apart from the case sample. Surveys of staff and of people
//! on probation (`survey`: a per-respondent export aggregated through a mapping), interviews and
//! meetings by role (`interview`), performance and staffing measures (`measure`), documents the
//! organisation submits (`document`), and the judged rating of each key question with its
//! rationale (`ratings`); each read from a [`table::Rows`] with located errors; what evidence may
//! be filed against ([`check_filed`]) and the small-numbers rule ([`shows_percent`]). Pure: the
//! callers hand over the rows. The report names each figure (`survey.staff.vision.agree`).

pub mod document;
pub mod interview;
pub mod kept;
pub mod measure;
pub mod ratings;
pub mod raw;
pub mod survey;
pub mod table;

use serde::{Deserialize, Serialize};

pub use document::Document;
pub use interview::RoleAggregate;
pub use measure::{Measure, Unit};
pub use ratings::KeyQuestionRating;
pub use survey::{SurveyAggregate, SurveyMapping};
pub use table::Rows;

use crate::Framework;
use crate::framework::EvidenceSettings;
use crate::input_error::{ErrorKind, InputError};

/// An inspection's domain-one evidence, as kept: aggregates only.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Evidence {
    #[serde(default)]
    pub surveys: Vec<SurveyAggregate>,
    #[serde(default)]
    pub interviews: Vec<RoleAggregate>,
    #[serde(default)]
    pub measures: Vec<Measure>,
    #[serde(default)]
    pub documents: Vec<Document>,
    /// The judged rating of each domain-one key question, in framework order.
    #[serde(default)]
    pub key_question_ratings: Vec<KeyQuestionRating>,
}

impl Evidence {
    /// Whether nothing is kept.
    pub fn is_empty(&self) -> bool {
        self == &Evidence::default()
    }

    /// Everything this evidence files against a standard or key question: `(what, target)`, a
    /// survey question's or topic's id, a measure's id or a document's title beside the target.
    pub fn filed(&self) -> Vec<(&str, &str)> {
        let mut out: Vec<(&str, &str)> = Vec::new();
        for s in &self.surveys {
            out.extend(
                s.questions
                    .iter()
                    .filter_map(|q| Some((q.id.as_str(), q.standard.as_deref()?))),
            );
        }
        for r in &self.interviews {
            out.extend(
                r.topics
                    .iter()
                    .filter_map(|t| Some((t.topic.as_str(), t.standard.as_deref()?))),
            );
        }
        out.extend(
            self.measures
                .iter()
                .filter_map(|m| Some((m.id.as_str(), m.standard.as_deref()?))),
        );
        for d in &self.documents {
            out.extend(d.filed.iter().map(|t| (d.title.as_str(), t.as_str())));
        }
        out
    }
}

/// Whether `target` is what evidence may be filed against in an inspection of `kind` (any kind
/// where `None`): a judged standard of that kind, or one of its key questions
/// ([`Framework::judged_target`]).
pub fn judged_here(fw: &Framework, kind: Option<&str>, target: &str) -> bool {
    fw.judged_target(target).is_some_and(|(s, _)| {
        kind.is_none_or(|k| fw.kind(k).is_some_and(|k| k.standards.contains(&s.code)))
    })
}

/// Every target [`judged_here`] allows, in framework order (for error messages).
pub fn targets_here<'a>(fw: &'a Framework, kind: Option<&str>) -> Vec<&'a str> {
    fw.judged_targets()
        .into_iter()
        .filter(|t| judged_here(fw, kind, t))
        .collect()
}

/// Checks that each `(what, target)` of evidence read from `file` is filed against what `fw`
/// judges in an inspection of `kind` ([`judged_here`]). The error names the first that is not,
/// and what may be named.
pub fn check_filed(
    fw: &Framework,
    kind: Option<&str>,
    file: &str,
    filed: &[(&str, &str)],
) -> Result<(), InputError> {
    match filed.iter().find(|(_, t)| !judged_here(fw, kind, t)) {
        None => Ok(()),
        Some((what, target)) => Err(InputError {
            column: Some("standard".into()),
            ..InputError::new(
                ErrorKind::UnknownReference,
                file,
                format!(
                    "{} is filed against {}, which is neither a judged standard of this inspection nor one of its key questions; allowed: {}",
                    quoted(what),
                    quoted(target),
                    targets_here(fw, kind).join(", ")
                ),
            )
        }),
    }
}

/// Whether a share of `of` people may be shown as a percentage (and broken down further): only
/// when `of` reaches the framework's `[evidence] small_numbers` (Casework's convention, marked
/// [inferred] in the framework file); below it the figure is a count.
pub fn shows_percent(settings: &EvidenceSettings, of: u64) -> bool {
    of >= settings.small_numbers
}

/// A kebab-case id: 1 to 60 ASCII lower-case letters, digits and `-`, starting with a letter or
/// digit.
pub fn is_id(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 60
        && !text.starts_with('-')
        && text
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
}

/// A cell quoted in an error message, cut to 40 characters: enough to find it, and never a whole
/// free-text answer copied into a terminal or log.
pub fn quoted(cell: &str) -> String {
    let mut chars = cell.chars();
    let head: String = chars.by_ref().take(40).collect();
    if chars.next().is_some() {
        format!("'{head}...'")
    } else {
        format!("'{head}'")
    }
}

/// A `standard` cell: blank for none, else a standard's code in its shape (`P1.2`, `R1.1`: a
/// letter, then digits and dots, at most 10 characters); whether the framework judges it is
/// checked by the caller, who knows the framework.
pub fn standard_cell(cell: &str) -> Result<Option<String>, String> {
    let cell = cell.trim();
    if cell.is_empty() {
        return Ok(None);
    }
    let shaped = cell.len() <= 10
        && cell.starts_with(|c: char| c.is_ascii_uppercase())
        && cell[1..].bytes().all(|b| b.is_ascii_digit() || b == b'.');
    if shaped {
        Ok(Some(cell.to_string()))
    } else {
        Err(format!(
            "{} is not a standard's code (such as P1.2 or R1.1)",
            quoted(cell)
        ))
    }
}
