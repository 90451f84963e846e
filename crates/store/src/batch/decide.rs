//! The pure decision of a batch: each edit judged against the cases as the batch holds them, in
//! arrival order, as if it ran alone after the ones before it (versions, the published flag, a
//! locked case, core's applicability rules), and made there in memory. No database: the SQL around it is in
//! `batch`, and the unit tests here need none.

use std::collections::HashMap;
use std::sync::Arc;

use casework_core::Answer;
use casework_core::case::{CaseRecord, Oversight, SentenceType, check_answer_in_progress};
use casework_core::framework::{Framework, Instrument, Question};
use serde_json::json;

use crate::cases::stored_instrument;
use crate::edits::{CaseChange, CaseEdit, case_entity};
use crate::error::{Missing, StoreError};

/// Which case an edit names.
pub(super) type CaseKey<'a> = (&'a str, &'a str, &'a str);

/// A case as the batch holds it: locked, read, and changed in memory as edits are decided.
pub(super) struct Held {
    pub(super) id: i64,
    /// The version read; the row is written only if `version` moved past it.
    pub(super) base: i64,
    pub(super) version: i64,
    pub(super) answers: Vec<Answer>,
    pub(super) record: CaseRecord,
    pub(super) framework: Arc<Framework>,
    pub(super) published: bool,
    /// Locked in review (issue 19): changed only after a lead reopens it with a reason.
    pub(super) review_locked: bool,
}

/// What deciding an edit produced: its audit action and the before and after it records.
pub(super) struct Decided {
    pub(super) action: &'static str,
    pub(super) before: serde_json::Value,
    pub(super) after: serde_json::Value,
}

/// Where each edit stands before the audit entries are written.
pub(super) enum Pending {
    /// Made (with its audit entry's index among the batch's) or, without one, a no-op.
    Done {
        version: i64,
        entry: Option<usize>,
    },
    Stale {
        current: i64,
    },
    Refused(StoreError),
}

/// Evidence notes the batch touches: (case id, question) → the note as the batch leaves it.
pub(super) type Notes = HashMap<(i64, String), Option<String>>;

/// Decides every edit of a batch in order: each one's outcome, and for those that change something
/// their edit's index, its case's audit entity and what it recorded (in the order the audit
/// entries are to be written).
pub(super) fn decide_batch<'e>(
    edits: &[CaseEdit<'e>],
    held: &mut HashMap<CaseKey<'e>, Held>,
    notes: &mut Notes,
) -> (Vec<Pending>, Vec<(usize, String, Decided)>) {
    let mut pending = Vec::with_capacity(edits.len());
    let mut decided = Vec::new();
    for (index, edit) in edits.iter().enumerate() {
        let key = (edit.inspection, edit.instrument, edit.case_ref);
        let Some(case) = held.get_mut(&key) else {
            pending.push(Pending::Refused(StoreError::NotFound(Missing::Case {
                inspection: edit.inspection.to_string(),
                instrument: edit.instrument.to_string(),
                case_ref: edit.case_ref.to_string(),
            })));
            continue;
        };
        if case.published {
            pending.push(Pending::Refused(StoreError::Invalid(format!(
                "{} is published; its cases are read-only",
                edit.inspection
            ))));
            continue;
        }
        if case.review_locked {
            pending.push(Pending::Refused(StoreError::Conflict(format!(
                "{} {} {} is locked: a lead reopens it, with a reason, before it changes",
                edit.inspection, edit.instrument, edit.case_ref
            ))));
            continue;
        }
        if case.version != edit.expected_version {
            pending.push(Pending::Stale {
                current: case.version,
            });
            continue;
        }
        match decide(case, edit, notes) {
            Ok(Some(d)) => {
                case.version += 1;
                pending.push(Pending::Done {
                    version: case.version,
                    entry: Some(decided.len()),
                });
                decided.push((index, case_entity(edit.instrument, edit.case_ref), d));
            }
            Ok(None) => pending.push(Pending::Done {
                version: case.version,
                entry: None,
            }),
            Err(refused) => pending.push(Pending::Refused(refused)),
        }
    }
    (pending, decided)
}

/// Decides one edit against the case as the batch holds it and, if it is allowed and changes
/// something, makes it there. A refused edit, or one that changes nothing (`Ok(None)`), leaves the
/// case and the notes as they were. The audit entry's before and after carry the case's version
/// before the edit and after it.
pub(super) fn decide(
    case: &mut Held,
    edit: &CaseEdit<'_>,
    notes: &mut Notes,
) -> Result<Option<Decided>, StoreError> {
    let fw = case.framework.clone();
    let instrument = stored_instrument(&fw, edit.instrument)?;
    let (was, will_be) = (case.version, case.version + 1);
    match edit.change {
        CaseChange::Answer { question, answer } => {
            let (qi, q) = question_of(instrument, question)?;
            check_answer_in_progress(q, &case.record, answer, fw.rules.reset_adjusted_max_weeks)
                .map_err(|p| StoreError::Invalid(format!("{question}: {p}")))?;
            let before = case.answers[qi];
            if before == answer {
                return Ok(None);
            }
            case.answers[qi] = answer;
            let describe = |a: Answer, version| json!({"question": question, "answer": a.as_cell(), "version": version});
            Ok(Some(Decided {
                action: "set-answer",
                before: describe(before, was),
                after: describe(answer, will_be),
            }))
        }
        CaseChange::Evidence { question, note } => {
            question_of(instrument, question)?;
            let note = note.trim();
            let slot = notes.entry((case.id, question.to_string())).or_default();
            let before = slot.clone().unwrap_or_default();
            if before == note {
                return Ok(None);
            }
            *slot = (!note.is_empty()).then(|| note.to_string());
            let describe =
                |n: &str, version| json!({"question": question, "evidence": n, "version": version});
            Ok(Some(Decided {
                action: "set-evidence",
                before: describe(&before, was),
                after: describe(note, will_be),
            }))
        }
        CaseChange::Sentence(_)
        | CaseChange::ResetWeeks(_)
        | CaseChange::Oversight(_)
        | CaseChange::Attribute { .. } => {
            let mut record = case.record.clone();
            match edit.change {
                CaseChange::Sentence(s) => record.sentence = s,
                CaseChange::ResetWeeks(w) => record.reset_weeks = w,
                CaseChange::Oversight(o) => record.oversight = o,
                CaseChange::Attribute { attribute, value } => {
                    set_declared(&fw, instrument, &mut record, attribute, value)?
                }
                CaseChange::Answer { .. } | CaseChange::Evidence { .. } => {}
            }
            if record == case.record {
                return Ok(None);
            }
            check_answers_still_apply(&fw, instrument, &record, &case.answers)?;
            let describe = |r: &CaseRecord, version| {
                let mut described = json!({
                    "sentence": r.sentence.map(SentenceType::as_str),
                    "reset_weeks": r.reset_weeks,
                    "oversight": r.oversight.map(Oversight::as_str),
                    "version": version,
                });
                if !r.attributes.is_empty() {
                    described["attributes"] = json!(r.attributes);
                }
                described
            };
            let decided = Decided {
                action: "set-attributes",
                before: describe(&case.record, was),
                after: describe(&record, will_be),
            };
            case.record = record;
            Ok(Some(decided))
        }
    }
}

/// Sets (or with `None`, clears) the declared attribute `attribute` on `record`: it must be one
/// `instrument` records, and the value one it allows (by id or label).
fn set_declared(
    fw: &Framework,
    instrument: &Instrument,
    record: &mut CaseRecord,
    attribute: &str,
    value: Option<&str>,
) -> Result<(), StoreError> {
    let declared = fw
        .attributes_of(&instrument.id)
        .find(|a| a.id == attribute)
        .ok_or_else(|| {
            StoreError::Invalid(format!(
                "'{attribute}' is not an attribute instrument '{}' records",
                instrument.id
            ))
        })?;
    match declared
        .parse(value.unwrap_or(""))
        .map_err(|p| StoreError::Invalid(format!("{attribute}: {p}")))?
    {
        Some(id) => record
            .attributes
            .insert(attribute.to_string(), id.to_string()),
        None => record.attributes.remove(attribute),
    };
    Ok(())
}

/// `question` must be one of `instrument`'s: its position and definition.
fn question_of<'i>(
    instrument: &'i Instrument,
    question: &str,
) -> Result<(usize, &'i Question), StoreError> {
    instrument
        .questions
        .iter()
        .enumerate()
        .find(|(_, q)| q.id == question)
        .ok_or_else(|| {
            StoreError::Invalid(format!(
                "'{question}' is not a question of instrument '{}'",
                instrument.id
            ))
        })
}

/// After an attribute change, every recorded answer must still be allowed (a Yes or No on a
/// question that no longer applies would be counted wrongly): the editor clears it first.
fn check_answers_still_apply(
    fw: &Framework,
    instrument: &Instrument,
    record: &CaseRecord,
    answers: &[Answer],
) -> Result<(), StoreError> {
    for (q, &answer) in instrument.questions.iter().zip(answers) {
        if let Err(p) =
            check_answer_in_progress(q, record, answer, fw.rules.reset_adjusted_max_weeks)
        {
            return Err(StoreError::Invalid(format!(
                "with this change {} (answered {}) would no longer be allowed: {p}; clear that answer first",
                q.id,
                answer.as_cell()
            )));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use casework_core::framework::builtin;

    use super::*;

    fn held(published: bool) -> Held {
        let fw = builtin();
        let width = fw
            .instrument("sentence-management")
            .expect("instrument")
            .questions
            .len();
        Held {
            id: 7,
            base: 1,
            version: 1,
            answers: vec![Answer::Unanswered; width],
            record: CaseRecord {
                id: "C1".into(),
                sentence: Some(SentenceType::Community),
                ..Default::default()
            },
            framework: Arc::new(fw.clone()),
            published,
            review_locked: false,
        }
    }

    fn edit(change: CaseChange<'_>, version: i64) -> CaseEdit<'_> {
        CaseEdit {
            inspection: "dc",
            instrument: "sentence-management",
            case_ref: "C1",
            change,
            expected_version: version,
            actor: "tester",
            reason: None,
        }
    }

    fn answer(question: &str, answer: Answer) -> CaseChange<'_> {
        CaseChange::Answer { question, answer }
    }

    /// Without a database: each edit is judged as if it ran alone after the ones before it.
    #[test]
    fn a_batch_is_decided_in_order_in_memory() {
        let note = |note| CaseChange::Evidence {
            question: "P2.1.1",
            note,
        };
        let edits = [
            edit(answer("P2.1.1", Answer::Yes), 1),
            edit(answer("P2.1.2", Answer::No), 2),
            edit(answer("P2.1.3", Answer::No), 1),
            edit(answer("P2.1.2", Answer::No), 3),
            edit(note("first"), 3),
            edit(note("first"), 4),
            edit(answer("P2.1.1", Answer::NotApplicable), 4),
            CaseEdit {
                case_ref: "C9",
                ..edit(answer("P2.1.1", Answer::Yes), 1)
            },
        ];
        let mut held_cases = HashMap::from([(("dc", "sentence-management", "C1"), held(false))]);
        let mut notes = Notes::from([((7, "P2.1.1".to_string()), None)]);
        let (pending, decided) = decide_batch(&edits, &mut held_cases, &mut notes);
        let outcome: Vec<String> = pending
            .iter()
            .map(|p| match p {
                Pending::Done { version, entry } => format!("v{version} {entry:?}"),
                Pending::Stale { current } => format!("stale at {current}"),
                Pending::Refused(e) => format!("refused: {e}"),
            })
            .collect();
        assert_eq!(outcome[0], "v2 Some(0)");
        assert_eq!(outcome[1], "v3 Some(1)");
        assert_eq!(outcome[2], "stale at 3");
        assert_eq!(outcome[3], "v3 None", "the same answer again is no change");
        assert_eq!(outcome[4], "v4 Some(2)");
        assert_eq!(outcome[5], "v4 None", "the same note again is no change");
        assert!(
            outcome[6].starts_with("refused: not allowed: P2.1.1"),
            "{}",
            outcome[6]
        );
        assert!(
            outcome[7].contains("has no sentence-management case 'C9'"),
            "{}",
            outcome[7]
        );
        assert_eq!(
            decided
                .iter()
                .map(|(i, _, d)| (*i, d.action))
                .collect::<Vec<_>>(),
            [(0, "set-answer"), (1, "set-answer"), (4, "set-evidence")]
        );
        let (_, _, first) = &decided[0];
        assert_eq!(
            (
                first.before["version"].as_i64(),
                first.after["version"].as_i64()
            ),
            (Some(1), Some(2))
        );
        assert_eq!(notes[&(7, "P2.1.1".to_string())].as_deref(), Some("first"));
        let case = &held_cases[&("dc", "sentence-management", "C1")];
        assert_eq!((case.base, case.version), (1, 4));

        let mut published = HashMap::from([(("dc", "sentence-management", "C1"), held(true))]);
        let (pending, decided) = decide_batch(&edits[..1], &mut published, &mut Notes::new());
        assert!(
            matches!(&pending[0], Pending::Refused(StoreError::Invalid(m)) if m.contains("published"))
        );
        assert!(decided.is_empty());

        let mut locked = held(false);
        locked.review_locked = true;
        let mut locked = HashMap::from([(("dc", "sentence-management", "C1"), locked)]);
        let (pending, decided) = decide_batch(&edits[..1], &mut locked, &mut Notes::new());
        assert!(
            matches!(&pending[0], Pending::Refused(StoreError::Conflict(m)) if m.contains("C1 is locked"))
        );
        assert!(decided.is_empty());
    }
}
