//! A programme that reports figures only (`ratings = []`; the 2025 dynamic inspection of public
//! protection): it bands nothing and scores nothing, so it may have no percentage bands, no
//! overall bands and no judged standards. What the validator checks of such a framework.

use super::{Basis, Framework};

/// The key path and the problem, where a framework with no ratings has what only ratings give.
pub(super) fn check(fw: &Framework) -> Result<(), (String, String)> {
    if !fw.ratings.is_empty() {
        return Ok(());
    }
    if !fw.percentage_bands.is_empty() {
        return Err((
            "percentage_bands".into(),
            "a framework with no ratings (`ratings = []`) bands nothing: leave them out".into(),
        ));
    }
    if let Some(k) = fw.kinds.iter().position(|k| !k.overall_bands.is_empty()) {
        return Err((
            format!("kinds[{k}].overall_bands"),
            "a framework with no ratings gives no overall rating: `overall_bands = []`".into(),
        ));
    }
    if let Some(s) = fw.standards.iter().position(|s| s.basis == Basis::Judged) {
        return Err((
            format!("standards[{s}].basis"),
            "a framework with no ratings has no judged standards".into(),
        ));
    }
    Ok(())
}
