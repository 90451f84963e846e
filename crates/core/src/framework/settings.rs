//! The framework's settings tables: `[certainty]`, the confidence level of each key question's
//! interval and the band probability at which a rating is called secure (`crate::certainty`
//! applies them); `[evidence]`, the small-numbers threshold of domain-one evidence
//! (`crate::domain_one` applies it).

use serde::{Deserialize, Serialize};

/// The settings, from the framework's `[certainty]` table.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CertaintySettings {
    /// The confidence level of each key question's interval, a fraction (0.95).
    pub interval: f64,
    /// The band probability (a fraction) at or above which a rating is secure (0.8).
    pub secure_probability: f64,
}

impl Default for CertaintySettings {
    fn default() -> Self {
        CertaintySettings {
            interval: 0.95,
            secure_probability: 0.8,
        }
    }
}

impl CertaintySettings {
    /// Both settings must be fractions in (0, 1): `(key, problem)` for the first that is not.
    fn check(&self) -> Result<(), (String, String)> {
        for (key, value) in [
            ("certainty.interval", self.interval),
            ("certainty.secure_probability", self.secure_probability),
        ] {
            if !(value > 0.0 && value < 1.0) {
                return Err((
                    key.into(),
                    format!("{value} is not a fraction between 0 and 1"),
                ));
            }
        }
        Ok(())
    }
}

/// Both tables' settings checked: `(key, problem)` for the first that is wrong.
pub(super) fn check(
    certainty: &CertaintySettings,
    evidence: &EvidenceSettings,
) -> Result<(), (String, String)> {
    certainty.check()?;
    evidence.check()
}

/// The settings, from the framework's `[evidence]` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceSettings {
    /// A survey or interview figure over fewer people than this is shown as a count, never as a
    /// percentage, and never broken down further (5).
    pub small_numbers: u64,
}

impl Default for EvidenceSettings {
    fn default() -> Self {
        EvidenceSettings { small_numbers: 5 }
    }
}

impl EvidenceSettings {
    /// The threshold must be at least 1: `(key, problem)` where it is not.
    fn check(&self) -> Result<(), (String, String)> {
        if self.small_numbers == 0 {
            return Err((
                "evidence.small_numbers".into(),
                "0 is not a threshold: at least 1".into(),
            ));
        }
        Ok(())
    }
}
