//! Case attributes a framework declares (practitioner grade, risk of serious harm level, ...): each
//! an id that is also its column name in files, a label, the values it allows and the instruments
//! that record it. The reports compare cases by them ("work by probation officers was assessed more
//! positively"), so breakdowns and sample composition read them; no code names one. The built-in
//! attributes that drive rules (sentence type, Probation Reset, management oversight) stay
//! [`super::Attribute`].

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::Framework;

/// One declared case attribute, e.g. `grade` with values `po`, `pso`, `pqip`, `spo`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CaseAttribute {
    /// Kebab-case id: the column name in CSV and workbook sheets, the key in JSON, the `--by` name.
    pub id: String,
    /// For people: a table's heading, the web form's label.
    pub label: String,
    /// The values allowed, in the order tables list them.
    pub values: Vec<AttributeValue>,
    /// The instruments whose cases record it.
    pub instruments: Vec<String>,
}

/// One allowed value of a [`CaseAttribute`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AttributeValue {
    /// Kebab-case id, as stored and written to files.
    pub id: String,
    /// For people; a reader also accepts it in place of the id.
    pub label: String,
}

impl CaseAttribute {
    /// The value id a cell names, by id or label, ignoring case and surrounding spaces; `None`
    /// for a blank cell; `Err` with the allowed values where the cell names none.
    pub fn parse(&self, cell: &str) -> Result<Option<&str>, String> {
        let cell = cell.trim();
        if cell.is_empty() {
            return Ok(None);
        }
        self.values
            .iter()
            .find(|v| v.id.eq_ignore_ascii_case(cell) || v.label.eq_ignore_ascii_case(cell))
            .map(|v| Some(v.id.as_str()))
            .ok_or_else(|| {
                format!(
                    "'{cell}' is not allowed; allowed: {} or blank",
                    self.allowed()
                )
            })
    }

    /// The allowed value ids, comma-separated, for messages and help.
    pub fn allowed(&self) -> String {
        self.values
            .iter()
            .map(|v| v.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The label of value `id`, if it is one of this attribute's.
    pub fn value_label(&self, id: &str) -> Option<&str> {
        self.values
            .iter()
            .find(|v| v.id == id)
            .map(|v| v.label.as_str())
    }

    /// Whether cases of `instrument` record this attribute.
    pub fn recorded_by(&self, instrument: &str) -> bool {
        self.instruments.iter().any(|i| i == instrument)
    }
}

impl Framework {
    /// The declared attribute `id`.
    pub fn attribute(&self, id: &str) -> Option<&CaseAttribute> {
        self.attributes.iter().find(|a| a.id == id)
    }

    /// The declared attributes cases of `instrument` record, in declaration order.
    pub fn attributes_of<'f>(
        &'f self,
        instrument: &'f str,
    ) -> impl Iterator<Item = &'f CaseAttribute> + 'f {
        self.attributes
            .iter()
            .filter(move |a| a.recorded_by(instrument))
    }
}

fn is_kebab(id: &str) -> bool {
    !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !id.starts_with('-')
        && !id.ends_with('-')
}

/// Checks the declarations: kebab-case ids unique among attributes and distinct from every
/// reserved case column and question id, at least one value each, values unique, instruments
/// known. `Err` is (key path, problem).
pub(super) fn validate(fw: &Framework) -> Result<(), (String, String)> {
    let err = |path: String, problem: String| (path, problem);
    let mut ids = HashSet::new();
    for (ai, a) in fw.attributes.iter().enumerate() {
        let at = |field: &str| format!("attributes[{ai}].{field}");
        if !is_kebab(&a.id) {
            return Err(err(
                at("id"),
                format!("'{}' must be kebab-case (a-z, 0-9, -)", a.id),
            ));
        }
        if !ids.insert(a.id.as_str()) {
            return Err(err(
                at("id"),
                format!("attribute '{}' is declared twice", a.id),
            ));
        }
        if crate::columns::RESERVED_COLUMNS.contains(&a.id.as_str())
            || fw
                .instruments
                .iter()
                .any(|i| i.questions.iter().any(|q| q.id == a.id))
        {
            return Err(err(
                at("id"),
                format!("'{}' is already a case column or a question id", a.id),
            ));
        }
        if a.values.is_empty() {
            return Err(err(at("values"), "at least one value is needed".into()));
        }
        let mut seen = HashSet::new();
        for (vi, v) in a.values.iter().enumerate() {
            if !is_kebab(&v.id) || !seen.insert(v.id.as_str()) {
                return Err(err(
                    format!("attributes[{ai}].values[{vi}].id"),
                    format!("'{}' must be a kebab-case id not repeated", v.id),
                ));
            }
        }
        if a.instruments.is_empty() {
            return Err(err(
                at("instruments"),
                "name at least one instrument".into(),
            ));
        }
        for (ii, inst) in a.instruments.iter().enumerate() {
            if !fw.instruments.iter().any(|i| &i.id == inst) {
                return Err(err(
                    format!("attributes[{ai}].instruments[{ii}]"),
                    format!("unknown instrument '{inst}'"),
                ));
            }
        }
    }
    Ok(())
}
