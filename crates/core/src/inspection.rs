//! An inspection: its kind and unit, fieldwork dates, the framework it is pinned to, the inspectors'
//! judged ratings and their rationale, its cases per instrument, its narrative files, and (for a
//! region) the PDU inspections it rolls up.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::case::{CaseRecord, CaseSet};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Inspection {
    /// Framework id, e.g. `probation-2023`.
    pub framework: String,
    /// Framework version the inspection is pinned to, when stated.
    pub framework_version: Option<String>,
    /// Inspection kind id, e.g. `pdu` or `region`.
    pub kind: String,
    /// The unit inspected, e.g. "Derby City".
    pub unit: String,
    /// The region a PDU belongs to.
    pub region: Option<String>,
    pub fieldwork_start: Option<String>,
    pub fieldwork_end: Option<String>,
    /// Judged standard code → rating id.
    pub judged: BTreeMap<String, String>,
    /// Judged standard code → the inspectors' rationale for its rating (multi-line text).
    pub judged_rationale: BTreeMap<String, String>,
    /// The report's narrative: file name (`foreword.md`, `P2.1.md`, `previous-recommendations.toml`;
    /// see [`crate::narrative`]) → its text, exactly as written.
    pub narrative: BTreeMap<String, String>,
    /// Domain one's evidence as kept: aggregates only (`domain-one.json` in a directory; see
    /// [`crate::domain_one::kept`]).
    pub domain_one: crate::domain_one::Evidence,
    /// Cases, one set per instrument that has any.
    pub cases: Vec<CaseSet>,
    /// For a region: its PDU inspections, loaded.
    pub units: Vec<Inspection>,
    /// For a region: the paths its manifest gives for `units`, in the same order.
    pub unit_paths: Vec<String>,
}

impl Inspection {
    pub fn cases_for(&self, instrument: &str) -> Option<&CaseSet> {
        self.cases.iter().find(|c| c.instrument == instrument)
    }

    /// Total cases across instruments (this inspection only).
    pub fn case_count(&self) -> usize {
        self.cases.iter().map(CaseSet::len).sum()
    }

    /// Cases still in progress, here and in every PDU inspection it rolls up.
    pub fn in_progress(&self) -> usize {
        self.cases.iter().map(CaseSet::in_progress).sum::<usize>()
            + self
                .units
                .iter()
                .map(Inspection::in_progress)
                .sum::<usize>()
    }

    /// This inspection with only its complete cases (and its units' complete cases): what the
    /// ratings count. Borrowed unchanged when no case is in progress.
    pub fn complete_only(&self) -> std::borrow::Cow<'_, Inspection> {
        if self.in_progress() == 0 {
            return std::borrow::Cow::Borrowed(self);
        }
        std::borrow::Cow::Owned(self.retain_cases(&|_, _, case| case.status.is_complete()))
    }

    /// This inspection with only the cases `keep` accepts, here and in every PDU inspection it
    /// rolls up; `keep` is given the unit the case belongs to (this inspection's or a PDU
    /// inspection's `unit`), its instrument and the case. What "ratings over locked cases only"
    /// rates (issue 19).
    pub fn retain_cases(&self, keep: &dyn Fn(&str, &str, &CaseRecord) -> bool) -> Inspection {
        let mut out = Inspection {
            cases: self
                .cases
                .iter()
                .map(|set| set.retain(|case| keep(&self.unit, &set.instrument, case)))
                .collect(),
            units: self.units.iter().map(|u| u.retain_cases(keep)).collect(),
            ..Inspection::default()
        };
        out.framework.clone_from(&self.framework);
        out.framework_version.clone_from(&self.framework_version);
        out.kind.clone_from(&self.kind);
        out.unit.clone_from(&self.unit);
        out.region.clone_from(&self.region);
        out.fieldwork_start.clone_from(&self.fieldwork_start);
        out.fieldwork_end.clone_from(&self.fieldwork_end);
        out.judged.clone_from(&self.judged);
        out.unit_paths.clone_from(&self.unit_paths);
        out
    }
}

/// A judged rating as `inspection.toml` writes it: the rating id alone, or with the inspectors'
/// rationale (`"P1.1" = { rating = "good", rationale = "..." }`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(untagged)]
pub enum JudgedEntry {
    Rating(String),
    WithRationale(JudgedWithRationale),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JudgedWithRationale {
    pub rating: String,
    pub rationale: String,
}

impl JudgedEntry {
    pub fn rating(&self) -> &str {
        match self {
            JudgedEntry::Rating(r) => r,
            JudgedEntry::WithRationale(w) => &w.rating,
        }
    }

    pub fn rationale(&self) -> Option<&str> {
        match self {
            JudgedEntry::Rating(_) => None,
            JudgedEntry::WithRationale(w) => Some(&w.rationale),
        }
    }

    /// The entry for a rating and its rationale, if any (a blank rationale is none).
    pub fn of(rating: &str, rationale: Option<&str>) -> JudgedEntry {
        match rationale.filter(|r| !r.trim().is_empty()) {
            None => JudgedEntry::Rating(rating.to_string()),
            Some(r) => JudgedEntry::WithRationale(JudgedWithRationale {
                rating: rating.to_string(),
                rationale: r.to_string(),
            }),
        }
    }
}

/// The `inspection.toml` header of an inspection directory, as written on disk.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
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
        deserialize_with = "date_field::optional"
    )]
    pub fieldwork_start: Option<String>,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        deserialize_with = "date_field::optional"
    )]
    pub fieldwork_end: Option<String>,
    /// Judged standard code → rating id, with the rationale where one is recorded.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub judged: BTreeMap<String, JudgedEntry>,
    /// For a region: paths of its PDU inspection directories, relative to this directory.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub units: Vec<String>,
}

impl Manifest {
    pub fn of(inspection: &Inspection, unit_paths: Vec<String>) -> Manifest {
        Manifest {
            framework: inspection.framework.clone(),
            framework_version: inspection.framework_version.clone(),
            kind: inspection.kind.clone(),
            unit: inspection.unit.clone(),
            region: inspection.region.clone(),
            fieldwork_start: inspection.fieldwork_start.clone(),
            fieldwork_end: inspection.fieldwork_end.clone(),
            judged: inspection
                .judged
                .iter()
                .map(|(code, rating)| {
                    let rationale = inspection.judged_rationale.get(code);
                    (
                        code.clone(),
                        JudgedEntry::of(rating, rationale.map(String::as_str)),
                    )
                })
                .collect(),
            units: unit_paths,
        }
    }

    /// Judged standard code → rating id.
    pub fn judged_ratings(&self) -> BTreeMap<String, String> {
        self.judged
            .iter()
            .map(|(code, entry)| (code.clone(), entry.rating().to_string()))
            .collect()
    }

    /// Judged standard code → rationale, where one is given.
    pub fn judged_rationale(&self) -> BTreeMap<String, String> {
        self.judged
            .iter()
            .filter_map(|(code, entry)| Some((code.clone(), entry.rationale()?.to_string())))
            .collect()
    }
}

/// Dates are kept as `YYYY-MM-DD` text; TOML's own date values and quoted strings in either form
/// [`crate::date`] accepts are read, and normalised to that text.
pub(crate) mod date_field {
    use serde::{Deserialize, Deserializer, de::Error};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Text(String),
        Toml(toml::value::Datetime),
    }

    pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<String>, D::Error> {
        let text = match Option::<Raw>::deserialize(d)? {
            None => return Ok(None),
            Some(Raw::Text(s)) => s,
            Some(Raw::Toml(dt)) => dt.to_string(),
        };
        crate::date::parse(&text)
            .map(Some)
            .map_err(D::Error::custom)
    }
}
