//! Case edits waiting for the write turn: each owns its text (an edit from a caller borrows) and
//! holds the channel its caller waits on. `group_commit` takes them a batch at a time.

use std::sync::Mutex;

use tokio::sync::oneshot;

use casework_core::Answer;
use casework_core::case::{Oversight, SentenceType};

use crate::edits::{CaseChange, CaseEdit};
use crate::error::StoreError;

/// Edits one batch may hold: keeps every statement well under the backends' parameter limits.
pub(crate) const MAX_EDITS: usize = 64;

/// A committed edit.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Edited {
    /// The case's new version (unchanged when the edit changed nothing).
    pub version: i64,
    /// The store revision the edit was committed as (its audit entry); 0 when it changed nothing
    /// and so was not recorded.
    pub revision: i64,
}

/// An edit waiting for the write turn.
pub(crate) struct Job {
    pub(crate) edit: OwnedEdit,
    pub(crate) reply: oneshot::Sender<Result<Edited, StoreError>>,
}

#[derive(Default)]
pub(crate) struct Queue {
    waiting: Mutex<Vec<Job>>,
}

impl std::fmt::Debug for Queue {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Queue")
    }
}

impl Queue {
    pub(crate) fn push(&self, job: Job) {
        self.waiting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .push(job);
    }

    pub(crate) fn take(&self) -> Vec<Job> {
        let mut waiting = self
            .waiting
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        let n = waiting.len().min(MAX_EDITS);
        waiting.drain(..n).collect()
    }
}

/// A [`CaseEdit`] that can wait in the queue.
pub(crate) struct OwnedEdit {
    inspection: String,
    instrument: String,
    case_ref: String,
    change: OwnedChange,
    expected_version: i64,
    actor: String,
    reason: Option<String>,
}

enum OwnedChange {
    Answer {
        question: String,
        answer: Answer,
    },
    Evidence {
        question: String,
        note: String,
    },
    Sentence(Option<SentenceType>),
    ResetWeeks(Option<u32>),
    Oversight(Option<Oversight>),
    Attribute {
        attribute: String,
        value: Option<String>,
    },
}

impl OwnedEdit {
    pub(crate) fn of(edit: &CaseEdit<'_>) -> OwnedEdit {
        OwnedEdit {
            inspection: edit.inspection.to_string(),
            instrument: edit.instrument.to_string(),
            case_ref: edit.case_ref.to_string(),
            change: match edit.change {
                CaseChange::Answer { question, answer } => OwnedChange::Answer {
                    question: question.to_string(),
                    answer,
                },
                CaseChange::Evidence { question, note } => OwnedChange::Evidence {
                    question: question.to_string(),
                    note: note.to_string(),
                },
                CaseChange::Sentence(s) => OwnedChange::Sentence(s),
                CaseChange::ResetWeeks(w) => OwnedChange::ResetWeeks(w),
                CaseChange::Oversight(o) => OwnedChange::Oversight(o),
                CaseChange::Attribute { attribute, value } => OwnedChange::Attribute {
                    attribute: attribute.to_string(),
                    value: value.map(str::to_string),
                },
            },
            expected_version: edit.expected_version,
            actor: edit.actor.to_string(),
            reason: edit.reason.map(str::to_string),
        }
    }

    pub(crate) fn as_edit(&self) -> CaseEdit<'_> {
        CaseEdit {
            inspection: &self.inspection,
            instrument: &self.instrument,
            case_ref: &self.case_ref,
            change: match &self.change {
                OwnedChange::Answer { question, answer } => CaseChange::Answer {
                    question,
                    answer: *answer,
                },
                OwnedChange::Evidence { question, note } => CaseChange::Evidence { question, note },
                OwnedChange::Sentence(s) => CaseChange::Sentence(*s),
                OwnedChange::ResetWeeks(w) => CaseChange::ResetWeeks(*w),
                OwnedChange::Oversight(o) => CaseChange::Oversight(*o),
                OwnedChange::Attribute { attribute, value } => CaseChange::Attribute {
                    attribute,
                    value: value.as_deref(),
                },
            },
            expected_version: self.expected_version,
            actor: &self.actor,
            reason: self.reason.as_deref(),
        }
    }
}
