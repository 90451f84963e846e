//! An inspection: its kind and unit, fieldwork dates, the framework it is pinned to, the inspectors'
//! judged ratings, its cases per instrument, and (for a region) the PDU inspections it rolls up.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::case::CaseSet;

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
    /// Judged standard code → rating id.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub judged: BTreeMap<String, String>,
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
            judged: inspection.judged.clone(),
            units: unit_paths,
        }
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
