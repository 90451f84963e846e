//! Which framework and inspection kind a published result is of: the built-in framework whose
//! `programme` the result names, and the kind it calls by the result's `kind` (where two kinds
//! share that name, as a CRC and an NPS division do, the one whose standards hold the result's
//! codes).

use crate::framework::{BUILTIN, Framework, InspectionKind, builtin_by_id};

use super::result::PublishedResult;

/// A result's framework and kind.
#[derive(Debug, Clone, Copy)]
pub struct Programme<'f> {
    pub framework: &'f Framework,
    pub kind: &'f InspectionKind,
}

impl Programme<'_> {
    /// The highest score the kind allows: the scale's top points times its standards (2023 PDU
    /// 3 × 7 = 21; the framework's `[[kinds]]` and `[[ratings]]`).
    pub fn score_max(&self) -> u32 {
        self.framework.max_points() * self.kind.standards.len() as u32
    }
}

/// Every built-in framework that names a programme.
pub fn frameworks() -> Vec<&'static Framework> {
    BUILTIN
        .iter()
        .filter_map(|(id, _)| builtin_by_id(id))
        .filter(|fw| fw.programme.is_some())
        .collect()
}

/// The programmes published results may name, oldest first.
pub fn names() -> Vec<&'static str> {
    let mut names: Vec<&str> = frameworks()
        .into_iter()
        .filter_map(|fw| fw.programme.as_deref())
        .collect();
    names.sort_unstable();
    names
}

/// The result's framework and kind among `frameworks`; otherwise why not (for a finding).
pub fn resolve<'f>(
    frameworks: &[&'f Framework],
    result: &PublishedResult,
) -> Result<Programme<'f>, String> {
    let Some(name) = result.programme.as_deref() else {
        return Err("the result names no programme".into());
    };
    let Some(framework) = frameworks
        .iter()
        .copied()
        .find(|fw| fw.programme.as_deref() == Some(name))
    else {
        return Err(format!(
            "no built-in framework is programme '{name}' (known: {})",
            frameworks
                .iter()
                .filter_map(|fw| fw.programme.as_deref())
                .collect::<Vec<_>>()
                .join(", ")
        ));
    };
    let Some(kind_name) = result.kind.as_deref() else {
        return Err("the result names no kind".into());
    };
    let candidates: Vec<&InspectionKind> = framework
        .kinds
        .iter()
        .filter(|k| k.published_kind() == kind_name)
        .collect();
    let holds_codes = |k: &&InspectionKind| {
        result
            .standards
            .iter()
            .all(|s| k.standards.contains(&s.code))
    };
    let kind = match candidates.as_slice() {
        [] => {
            return Err(format!(
                "programme {name} ({}) has no kind '{kind_name}'",
                framework.id
            ));
        }
        [one] => *one,
        many => many
            .iter()
            .copied()
            .find(|k| holds_codes(k))
            .unwrap_or(many[0]),
    };
    Ok(Programme { framework, kind })
}
