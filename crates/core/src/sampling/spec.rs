//! The sample specification as data (`frameworks/*.sample.toml`, versioned beside its framework):
//! which instrument's cases are drawn, the sample size rule (confidence, margin, assumed
//! proportion, or a fixed size), eligibility windows of commencement, exclusions with their
//! reasons, the strata and their allocation, reserves per stratum, and the threshold at which the
//! sample-against-population comparison flags a difference. Parsed and checked against the
//! framework on load; errors name the file and the key.

use serde::{Deserialize, Serialize};

use super::fields::{Field, field_of};
use crate::framework::Framework;

/// The built-in specifications, `(framework id, TOML text)`.
pub const BUILTIN: &[(&str, &str)] = &[(
    "probation-2023",
    include_str!("../../../../frameworks/probation-2023.sample.toml"),
)];

/// A parsed, checked sample specification.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SampleSpec {
    pub id: String,
    pub version: String,
    /// The framework id it is written for.
    pub framework: String,
    /// The instrument whose cases are drawn (default: the framework's primary one).
    #[serde(default)]
    pub instrument: Option<String>,
    pub size: SizeRule,
    /// Commencement windows; a case is eligible when its start date lies in any (all when none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub windows: Vec<Window>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub exclude: Vec<Exclusion>,
    pub strata: Strata,
    pub reserves: Reserves,
    pub compare: CompareRule,
}

/// How many cases to draw: Cochran's size for `confidence` and `margin` (fractions) at
/// `proportion`, unless `fixed` gives the number of cases.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SizeRule {
    pub confidence: f64,
    pub margin: f64,
    #[serde(default = "half")]
    pub proportion: f64,
    #[serde(default)]
    pub fixed: Option<u64>,
}

fn half() -> f64 {
    0.5
}

/// An eligibility window: start dates from `from` to `to`, both included, ISO dates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Window {
    pub from: String,
    pub to: String,
}

impl Window {
    /// Parses `FROM..TO` (any date form `crate::date::parse` accepts) into ISO dates.
    pub fn parse(text: &str) -> Result<Window, String> {
        let (from, to) = text.split_once("..").ok_or_else(|| {
            format!("'{text}' is not a window: write FROM..TO, e.g. 2024-07-29..2024-08-04")
        })?;
        let window = Window {
            from: full_date(from)?,
            to: full_date(to)?,
        };
        if window.from > window.to {
            return Err(format!("the window {text} ends before it starts"));
        }
        Ok(window)
    }

    /// The window as `YYYYMMDD` numbers, for comparing with `Caseload` start dates.
    pub fn days(&self) -> (u32, u32) {
        (compact(&self.from), compact(&self.to))
    }
}

/// A full date (not a month) in ISO form.
pub(super) fn full_date(text: &str) -> Result<String, String> {
    let (year, month, day) = crate::date::parse_day(text)?;
    Ok(format!("{year:04}-{month:02}-{day:02}"))
}

/// `2024-07-29` as 20240729.
fn compact(iso: &str) -> u32 {
    iso.bytes()
        .filter(u8::is_ascii_digit)
        .fold(0, |n, b| n * 10 + u32::from(b - b'0'))
}

/// Cases left out of the population, with the reason recorded.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Exclusion {
    /// `sentence`, `pdu` or a declared attribute's id.
    pub field: String,
    pub values: Vec<String>,
    pub reason: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strata {
    /// Fields whose combinations are the strata: `sentence`, `pdu`, declared attribute ids.
    pub by: Vec<String>,
    pub allocation: Allocation,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Allocation {
    /// Each stratum's share of the size in proportion to its eligible cases, by largest remainder.
    Proportional,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Reserves {
    pub per_stratum: u64,
}

#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CompareRule {
    /// The size of standardised difference at or above which a share is flagged.
    pub large_difference: f64,
}

/// A specification that does not parse or does not fit its framework.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{file}: {key}: {problem}")]
pub struct SpecError {
    pub file: String,
    /// The TOML key path (`size.margin`, `exclude[0].values`), empty for the whole file.
    pub key: String,
    pub problem: String,
}

impl SampleSpec {
    /// The built-in specification for a framework id.
    pub fn builtin(framework: &Framework) -> Option<SampleSpec> {
        let (_, text) = BUILTIN.iter().find(|(id, _)| *id == framework.id)?;
        SampleSpec::from_toml(
            text,
            &format!("built-in {}.sample.toml", framework.id),
            framework,
        )
        .ok()
    }

    /// Parses and checks a specification against `framework`; `file` names it in errors.
    pub fn from_toml(
        text: &str,
        file: &str,
        framework: &Framework,
    ) -> Result<SampleSpec, SpecError> {
        let err = |key: &str, problem: String| SpecError {
            file: file.to_string(),
            key: key.to_string(),
            problem,
        };
        let spec: SampleSpec = toml::from_str(text).map_err(|e| {
            let problem = e.message().to_string();
            let key = e
                .span()
                .map(|s| {
                    let line = text[..s.start].lines().count().max(1);
                    format!("line {line}")
                })
                .unwrap_or_default();
            err(&key, problem)
        })?;
        if spec.framework != framework.id {
            return Err(err(
                "framework",
                format!("written for '{}', not '{}'", spec.framework, framework.id),
            ));
        }
        let instrument = spec.instrument_id(framework);
        if framework.instrument(instrument).is_none() {
            return Err(err(
                "instrument",
                format!("'{instrument}' is not an instrument of {}", framework.id),
            ));
        }
        let size = spec.size;
        for (key, value) in [
            ("size.confidence", size.confidence),
            ("size.margin", size.margin),
            ("size.proportion", size.proportion),
        ] {
            if !(value > 0.0 && value < 1.0) {
                return Err(err(
                    key,
                    format!("{value} is not a fraction between 0 and 1"),
                ));
            }
        }
        if size.fixed == Some(0) {
            return Err(err("size.fixed", "a sample needs at least one case".into()));
        }
        for (i, w) in spec.windows.iter().enumerate() {
            Window::parse(&format!("{}..{}", w.from, w.to))
                .map_err(|p| err(&format!("windows[{i}]"), p))?;
        }
        for (i, by) in spec.strata.by.iter().enumerate() {
            field_of(framework, instrument, by).map_err(|p| err(&format!("strata.by[{i}]"), p))?;
        }
        for (i, x) in spec.exclude.iter().enumerate() {
            let field = field_of(framework, instrument, &x.field)
                .map_err(|p| err(&format!("exclude[{i}].field"), p))?;
            for v in &x.values {
                field
                    .check_value(framework, v)
                    .map_err(|p| err(&format!("exclude[{i}].values"), p))?;
            }
            if x.reason.trim().is_empty() {
                return Err(err(
                    &format!("exclude[{i}].reason"),
                    "say why these cases are left out".into(),
                ));
            }
        }
        if spec.compare.large_difference.is_nan() || spec.compare.large_difference <= 0.0 {
            return Err(err(
                "compare.large_difference",
                "must be more than 0".into(),
            ));
        }
        Ok(spec)
    }

    /// The instrument drawn for.
    pub fn instrument_id<'a>(&'a self, framework: &'a Framework) -> &'a str {
        self.instrument
            .as_deref()
            .unwrap_or(&framework.primary_instrument().id)
    }

    /// The strata fields, resolved (checked on load).
    pub fn strata_fields(&self, framework: &Framework) -> Vec<Field> {
        let instrument = self.instrument_id(framework);
        self.strata
            .by
            .iter()
            .filter_map(|by| field_of(framework, instrument, by).ok())
            .collect()
    }
}
