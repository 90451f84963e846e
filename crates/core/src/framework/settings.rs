//! The framework's `[certainty]` table: the confidence level of each key question's interval and
//! the band probability at which a rating is called secure (`crate::certainty` applies them).

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
    pub(super) fn check(&self) -> Result<(), (String, String)> {
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
