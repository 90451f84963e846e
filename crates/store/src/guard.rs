//! Text a caller hands the store, checked with core's rules ([`casework_core::text`]) before any of
//! it reaches SQL, so both backends refuse the same text the same way: PostgreSQL cannot store
//! U+0000 at all, and SQLite would. A refusal is [`StoreError::Invalid`] naming the field; nothing
//! is written.

use casework_core::text::{self, TextProblem};

use crate::edits::{CaseChange, CaseEdit};
use crate::error::StoreError;

fn refused(field: &str, problem: TextProblem) -> StoreError {
    StoreError::Invalid(format!("the {field} {problem}"))
}

/// One-line text of at most `max` characters.
pub(crate) fn line(field: &str, value: &str, max: usize) -> Result<(), StoreError> {
    text::check_line(value, max).map_err(|p| refused(field, p))
}

/// Who made a change, as the audit log records it.
pub(crate) fn actor(value: &str) -> Result<(), StoreError> {
    text::check_name(value).map_err(|p| refused("actor", p))
}

/// Why a change was made, as the audit log records it.
pub(crate) fn reason(value: Option<&str>) -> Result<(), StoreError> {
    match value {
        Some(r) => {
            text::check_multiline(r, text::REASON_MAX_CHARS).map_err(|p| refused("reason", p))
        }
        None => Ok(()),
    }
}

/// An inspection id a new inspection is stored under.
pub(crate) fn inspection_id(value: &str) -> Result<(), StoreError> {
    text::check_inspection_id(value).map_err(|p| refused(&format!("inspection id '{value}'"), p))
}

/// The texts of an inspection to import that core's loader checks but a caller building one in
/// memory might not have: narrative files, judged ratings' rationale and evidence notes.
pub(crate) fn inspection(
    fw: &casework_core::Framework,
    i: &casework_core::Inspection,
) -> Result<(), StoreError> {
    for (name, body) in &i.narrative {
        casework_core::narrative::check_file(fw, &i.kind, name, body)
            .map_err(|p| StoreError::Invalid(format!("the narrative file: {p}")))?;
    }
    for rationale in i.judged_rationale.values() {
        text::check_note(rationale).map_err(|p| refused("rationale", p))?;
    }
    for set in &i.cases {
        for case in set.cases() {
            for note in case.evidence.values() {
                text::check_note(note).map_err(|p| refused("evidence note", p))?;
            }
        }
    }
    i.units.iter().try_for_each(|u| inspection(fw, u))
}

/// Every text of a case edit.
pub(crate) fn edit(e: &CaseEdit<'_>) -> Result<(), StoreError> {
    line("inspection", e.inspection, text::LINE_MAX_CHARS)?;
    line("instrument", e.instrument, text::LINE_MAX_CHARS)?;
    line("case reference", e.case_ref, text::CASE_REF_MAX_CHARS)?;
    actor(e.actor)?;
    reason(e.reason)?;
    match e.change {
        CaseChange::Answer { question, .. } => line("question", question, text::LINE_MAX_CHARS),
        CaseChange::Evidence { question, note } => {
            line("question", question, text::LINE_MAX_CHARS)?;
            text::check_note(note).map_err(|p| refused("evidence note", p))
        }
        CaseChange::Attribute { attribute, value } => {
            line("attribute", attribute, text::LINE_MAX_CHARS)?;
            line("attribute value", value.unwrap_or(""), text::LINE_MAX_CHARS)
        }
        CaseChange::Sentence(_) | CaseChange::ResetWeeks(_) | CaseChange::Oversight(_) => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_nul_anywhere_in_an_edit_is_refused_naming_the_field() {
        let base = CaseEdit {
            inspection: "dc",
            instrument: "sentence-management",
            case_ref: "C1",
            change: CaseChange::Evidence {
                question: "P2.1.1",
                note: "fine\nnote",
            },
            expected_version: 1,
            actor: "tester",
            reason: None,
        };
        assert!(edit(&base).is_ok());
        let note = CaseEdit {
            change: CaseChange::Evidence {
                question: "P2.1.1",
                note: "bad\0note",
            },
            ..base.clone()
        };
        assert!(
            matches!(edit(&note), Err(StoreError::Invalid(m)) if m.starts_with("the evidence note"))
        );
        let case = CaseEdit {
            case_ref: "C\0x",
            ..base.clone()
        };
        assert!(
            matches!(edit(&case), Err(StoreError::Invalid(m)) if m.starts_with("the case reference"))
        );
        let reason = CaseEdit {
            reason: Some("why\0"),
            ..base
        };
        assert!(
            matches!(edit(&reason), Err(StoreError::Invalid(m)) if m.starts_with("the reason"))
        );
    }
}
