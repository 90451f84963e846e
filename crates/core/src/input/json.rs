//! An inspection as one JSON document: the `inspection.toml` fields plus `cases`, keyed by instrument
//! id, each case carrying its attributes, its `status`, an `answers` object of question id → "Y" /
//! "N" / "NA" and an `evidence` object of question id → note; and `narrative`, file name → text.

use std::collections::{BTreeMap, HashMap, HashSet};

use serde::{Deserialize, Serialize};

use crate::answer::Answer;
use crate::case::{CaseRecord, CaseSet};
use crate::framework::Framework;
use crate::inspection::{Inspection, JudgedEntry, Manifest};
use crate::text;

use super::cells::{
    AttributeCells, ParsedAttributes, answer_error_kind, case_attributes, check_row, settle,
};
use super::{ErrorKind, InputError};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub framework: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub framework_version: Option<String>,
    pub kind: String,
    pub unit: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::inspection::date_field::optional"
    )]
    pub fieldwork_start: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "crate::inspection::date_field::optional"
    )]
    pub fieldwork_end: Option<String>,
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub judged: BTreeMap<String, JudgedEntry>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<String>,
    #[serde(default)]
    pub cases: BTreeMap<String, Vec<JsonCase>>,
    /// The narrative files: name (see `crate::narrative`) → text.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub narrative: BTreeMap<String, String>,
    /// Domain one's evidence as kept (see `crate::domain_one::kept`).
    #[serde(default, skip_serializing_if = "crate::domain_one::Evidence::is_empty")]
    pub domain_one: crate::domain_one::Evidence,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JsonCase {
    pub id: String,
    /// `in-progress` allows blank answers and sentence; absent or `complete`: checked whole.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentence: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub probation_reset: Option<bool>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub weeks_before_suspension: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub management_oversight: Option<String>,
    /// The framework's declared attributes: attribute id → value id (or label).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub attributes: BTreeMap<String, String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    pub answers: BTreeMap<String, String>,
    /// Question id → the inspector's evidence note (personal data).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub evidence: BTreeMap<String, String>,
}

/// Parses an inspection document. Nesting deeper than [`JSON_MAX_DEPTH`](super::limits::JSON_MAX_DEPTH)
/// is refused with its line, as any other syntax error (serde_json's recursion limit).
pub fn parse_document(file: &str, text: &str) -> Result<Document, InputError> {
    serde_json::from_str(text).map_err(|e| {
        InputError::new(
            ErrorKind::Syntax,
            file,
            format!("not a valid inspection document: {e}"),
        )
        .at_line(e.line() as u64)
    })
}

impl Document {
    pub fn manifest(&self) -> Manifest {
        Manifest {
            framework: self.framework.clone(),
            framework_version: self.framework_version.clone(),
            kind: self.kind.clone(),
            unit: self.unit.clone(),
            region: self.region.clone(),
            fieldwork_start: self.fieldwork_start.clone(),
            fieldwork_end: self.fieldwork_end.clone(),
            judged: self.judged.clone(),
            units: self.units.clone(),
        }
    }

    /// Validates the narrative files (names this kind of inspection has, text within the rule).
    pub fn narrative(
        &self,
        fw: &Framework,
        file: &str,
    ) -> Result<BTreeMap<String, String>, InputError> {
        for (name, body) in &self.narrative {
            crate::narrative::check_file(fw, &self.kind, name, body).map_err(|p| {
                InputError::new(ErrorKind::UnknownReference, file, p)
                    .at_column(format!("narrative.{name}"))
            })?;
        }
        Ok(self.narrative.clone())
    }

    /// Validates and converts the cases, instrument by instrument in framework order.
    pub fn case_sets(&self, fw: &Framework, file: &str) -> Result<Vec<CaseSet>, InputError> {
        for key in self.cases.keys() {
            if fw.instrument(key).is_none() {
                return Err(InputError::new(
                    ErrorKind::UnknownReference,
                    file,
                    format!(
                        "unknown instrument '{key}'; allowed: {}",
                        fw.instruments
                            .iter()
                            .map(|i| i.id.as_str())
                            .collect::<Vec<_>>()
                            .join(", ")
                    ),
                )
                .at_column(format!("cases.{key}")));
            }
        }
        let mut sets = Vec::new();
        for instrument in &fw.instruments {
            let Some(cases) = self.cases.get(&instrument.id) else {
                continue;
            };
            let index: HashMap<&str, usize> = instrument
                .questions
                .iter()
                .enumerate()
                .map(|(i, q)| (q.id.as_str(), i))
                .collect();
            let always: Vec<bool> = instrument
                .questions
                .iter()
                .map(|q| q.applies.is_always())
                .collect();
            let mut set = CaseSet::with_capacity(instrument, cases.len());
            let mut seen = HashSet::new();
            let mut row = vec![Answer::Unanswered; instrument.questions.len()];
            for (ci, case) in cases.iter().enumerate() {
                let at = |field: &str| format!("cases.{}[{ci}].{field}", instrument.id);
                let id = case.id.trim();
                if let Err(problem) = text::check_case_ref(id) {
                    let problem = match problem {
                        text::TextProblem::Empty => "empty case id".to_string(),
                        other => format!("the case id {other}"),
                    };
                    return Err(
                        InputError::new(ErrorKind::BadValue, file, problem).at_column(at("id"))
                    );
                }
                if let Some(notes) = &case.notes
                    && let Err(problem) = text::check_note(notes)
                {
                    return Err(InputError::new(
                        ErrorKind::BadValue,
                        file,
                        format!("case '{id}': the note {problem}"),
                    )
                    .at_column(at("notes")));
                }
                if !seen.insert(id) {
                    return Err(InputError::new(
                        ErrorKind::DuplicateCase,
                        file,
                        format!("duplicate case id '{id}'"),
                    )
                    .at_column(at("id")));
                }
                let weeks = case.weeks_before_suspension.map(|w| w.to_string());
                let cells = AttributeCells {
                    status: case.status.as_deref(),
                    sentence: case.sentence.as_deref(),
                    reset: case.probation_reset.map(|r| if r { "Y" } else { "N" }),
                    weeks: weeks.as_deref(),
                    oversight: case.management_oversight.as_deref(),
                };
                let ParsedAttributes {
                    declared_status,
                    sentence,
                    reset_weeks,
                    oversight,
                } = case_attributes(instrument, &cells).map_err(|(field, problem)| {
                    InputError::new(ErrorKind::BadValue, file, format!("case '{id}': {problem}"))
                        .at_column(at(field))
                })?;
                let mut declared = BTreeMap::new();
                for (key, cell) in &case.attributes {
                    let attribute = fw
                        .attributes_of(&instrument.id)
                        .find(|a| &a.id == key)
                        .ok_or_else(|| {
                            InputError::new(
                                ErrorKind::UnknownColumn,
                                file,
                                format!(
                                    "case '{id}': '{key}' is not an attribute instrument '{}' records",
                                    instrument.id
                                ),
                            )
                            .at_column(at(&format!("attributes.{key}")))
                        })?;
                    let value = attribute.parse(cell).map_err(|problem| {
                        InputError::new(
                            ErrorKind::BadValue,
                            file,
                            format!("case '{id}': {problem}"),
                        )
                        .at_column(at(&format!("attributes.{key}")))
                    })?;
                    if let Some(value) = value {
                        declared.insert(key.clone(), value.to_string());
                    }
                }
                row.fill(Answer::Unanswered);
                for (qid, cell) in &case.answers {
                    let Some(&qi) = index.get(qid.as_str()) else {
                        return Err(InputError::new(
                            ErrorKind::UnknownColumn,
                            file,
                            format!(
                                "case '{id}': '{qid}' is not a question of instrument '{}'",
                                instrument.id
                            ),
                        )
                        .at_column(at(&format!("answers.{qid}"))));
                    };
                    row[qi] = Answer::parse(cell).ok_or_else(|| {
                        InputError::new(
                            ErrorKind::BadValue,
                            file,
                            format!(
                                "case '{id}': '{cell}' is not an answer; allowed: {}",
                                Answer::ALLOWED
                            ),
                        )
                        .at_column(at(&format!("answers.{qid}")))
                    })?;
                }
                let mut evidence = BTreeMap::new();
                for (qid, note) in &case.evidence {
                    let field = at(&format!("evidence.{qid}"));
                    if !index.contains_key(qid.as_str()) {
                        return Err(InputError::new(
                            ErrorKind::UnknownColumn,
                            file,
                            format!(
                                "case '{id}': '{qid}' is not a question of instrument '{}'",
                                instrument.id
                            ),
                        )
                        .at_column(field));
                    }
                    if let Err(problem) = text::check_note(note) {
                        return Err(InputError::new(
                            ErrorKind::BadValue,
                            file,
                            format!("case '{id}': the evidence note {problem}"),
                        )
                        .at_column(field));
                    }
                    if !note.trim().is_empty() {
                        evidence.insert(qid.clone(), note.clone());
                    }
                }
                let mut record = CaseRecord {
                    id: id.to_string(),
                    sentence,
                    reset_weeks,
                    oversight,
                    attributes: declared,
                    notes: case.notes.clone().filter(|n| !n.trim().is_empty()),
                    evidence,
                    ..CaseRecord::default()
                };
                check_row(fw, instrument, &always, &record, declared_status, &row).map_err(
                    |(qi, problem)| {
                        InputError::new(
                            answer_error_kind(&problem),
                            file,
                            format!("case '{id}': {problem}"),
                        )
                        .at_column(at(&format!("answers.{}", instrument.questions[qi].id)))
                    },
                )?;
                record.status = settle(fw, instrument, &record, declared_status, &row);
                set.push(record, &row);
            }
            sets.push(set);
        }
        Ok(sets)
    }

    /// The document form of a loaded inspection (its units as the given relative paths).
    pub fn of(fw: &Framework, inspection: &Inspection, unit_paths: Vec<String>) -> Document {
        let m = Manifest::of(inspection, unit_paths);
        let mut cases = BTreeMap::new();
        for set in &inspection.cases {
            let Some(instrument) = fw.instrument(&set.instrument) else {
                continue;
            };
            let list = set
                .rows()
                .map(|(case, answers)| JsonCase {
                    id: case.id.clone(),
                    status: (!case.status.is_complete()).then(|| case.status.as_str().to_string()),
                    sentence: case.sentence.map(|s| s.as_str().to_string()),
                    probation_reset: instrument
                        .attributes
                        .contains(&crate::framework::Attribute::ProbationReset)
                        .then_some(case.reset_weeks.is_some()),
                    weeks_before_suspension: case.reset_weeks,
                    management_oversight: case.oversight.map(|o| o.as_str().to_string()),
                    attributes: case.attributes.clone(),
                    notes: case.notes.clone(),
                    answers: instrument
                        .questions
                        .iter()
                        .zip(answers)
                        .filter(|(_, a)| **a != Answer::Unanswered)
                        .map(|(q, a)| (q.id.clone(), a.as_cell().to_string()))
                        .collect(),
                    evidence: case.evidence.clone(),
                })
                .collect();
            cases.insert(set.instrument.clone(), list);
        }
        Document {
            framework: m.framework,
            framework_version: m.framework_version,
            kind: m.kind,
            unit: m.unit,
            region: m.region,
            fieldwork_start: m.fieldwork_start,
            fieldwork_end: m.fieldwork_end,
            judged: m.judged,
            units: m.units,
            cases,
            narrative: inspection.narrative.clone(),
            domain_one: inspection.domain_one.clone(),
        }
    }
}
