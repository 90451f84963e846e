//! Stored cases as editors see them, and what an edit is: an answer, an evidence note, or a case
//! attribute (sentence, Probation Reset, management oversight). Each case carries a version; a write
//! names the version it was based on, and a stale one is refused with [`StoreError::StaleVersion`],
//! which says what changed since (from the audit log). Edits are queued by `group_commit` and
//! applied by `batch`.

use std::collections::BTreeMap;

use casework_core::Answer;
use casework_core::case::{CaseRecord, Oversight, SentenceType};
use casework_core::framework::Instrument;
use serde::Serialize;
use sqlx::Row;

use crate::answer_codes;
use crate::batch::stored_instrument;
use crate::connect::Store;
use crate::error::{Missing, StoreError};

/// A stored case as an editor sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredCase {
    pub inspection: String,
    pub instrument: String,
    pub case_ref: String,
    pub version: i64,
    /// Question id → `Y` / `N` / `NA` (blank answers absent).
    pub answers: BTreeMap<String, String>,
    /// The case's attributes (sentence, Reset weeks, oversight); `notes` is the case-level note.
    pub record: CaseRecord,
    /// Question id → the inspector's evidence note (personal data).
    pub evidence: BTreeMap<String, String>,
}

/// What one edit changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseChange<'a> {
    /// Set a question's answer (`Unanswered` clears it).
    Answer {
        question: &'a str,
        answer: Answer,
    },
    /// Set a question's evidence note (empty clears it).
    Evidence {
        question: &'a str,
        note: &'a str,
    },
    Sentence(Option<SentenceType>),
    /// `Some(weeks)` when Probation Reset applied.
    ResetWeeks(Option<u32>),
    Oversight(Option<Oversight>),
}

/// One edit of one case, based on `expected_version`.
#[derive(Debug, Clone)]
pub struct CaseEdit<'a> {
    pub inspection: &'a str,
    pub instrument: &'a str,
    pub case_ref: &'a str,
    pub change: CaseChange<'a>,
    pub expected_version: i64,
    pub actor: &'a str,
    pub reason: Option<&'a str>,
}

/// One answer edit: set `question` of a case to `answer` (blank clears it), based on `expected_version`.
#[derive(Debug, Clone)]
pub struct AnswerEdit<'a> {
    pub inspection: &'a str,
    pub instrument: &'a str,
    pub case_ref: &'a str,
    pub question: &'a str,
    pub answer: Answer,
    pub expected_version: i64,
    pub actor: &'a str,
    pub reason: Option<&'a str>,
}

/// The audit log's entity name for a case.
pub fn case_entity(instrument: &str, case_ref: &str) -> String {
    format!("case:{instrument}/{case_ref}")
}

const CASE_BY_REF: &str = "SELECT c.id, c.version, c.answers, c.sentence, c.reset_weeks, \
     c.oversight, c.notes, i.framework_hash FROM cases c \
     JOIN inspections i ON i.id = c.inspection_id \
     WHERE i.slug = $1 AND c.instrument = $2 AND c.case_ref = $3";

/// A case's answers by question id, blank ones left out (what [`StoredCase::answers`] shows).
fn answers_by_question(instrument: &Instrument, answers: &[Answer]) -> BTreeMap<String, String> {
    instrument
        .questions
        .iter()
        .zip(answers)
        .filter(|(_, a)| **a != Answer::Unanswered)
        .map(|(q, a)| (q.id.clone(), a.as_cell().to_string()))
        .collect()
}

pub(crate) fn record_of(
    case_ref: &str,
    sentence: Option<String>,
    reset_weeks: Option<i64>,
    oversight: Option<String>,
    notes: Option<String>,
) -> CaseRecord {
    CaseRecord {
        id: case_ref.to_string(),
        sentence: sentence.as_deref().and_then(SentenceType::parse),
        reset_weeks: reset_weeks.and_then(|w| u32::try_from(w).ok()),
        oversight: oversight.as_deref().and_then(Oversight::parse),
        notes,
    }
}

impl Store {
    /// Reads one case: its version, answers, attributes and evidence notes.
    pub async fn case(
        &self,
        inspection: &str,
        instrument: &str,
        case_ref: &str,
    ) -> Result<StoredCase, StoreError> {
        let row = sqlx::query(CASE_BY_REF)
            .bind(inspection.to_string())
            .bind(instrument.to_string())
            .bind(case_ref.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| {
                StoreError::NotFound(Missing::Case {
                    inspection: inspection.to_string(),
                    instrument: instrument.to_string(),
                    case_ref: case_ref.to_string(),
                })
            })?;
        let case_id: i64 = row.try_get(0)?;
        let fw = self
            .framework_by_hash(&self.pool, &row.try_get::<String, _>(7)?)
            .await?;
        let answers = answer_codes::decode(
            stored_instrument(&fw, instrument)?,
            &row.try_get::<String, _>(2)?,
            case_ref,
        )?;
        let mut evidence = BTreeMap::new();
        for r in sqlx::query("SELECT question, note FROM evidence WHERE case_id = $1")
            .bind(case_id)
            .fetch_all(&self.pool)
            .await?
        {
            evidence.insert(r.try_get(0)?, r.try_get(1)?);
        }
        Ok(StoredCase {
            inspection: inspection.to_string(),
            instrument: instrument.to_string(),
            case_ref: case_ref.to_string(),
            version: row.try_get(1)?,
            answers: answers_by_question(stored_instrument(&fw, instrument)?, &answers),
            record: record_of(
                case_ref,
                row.try_get(3)?,
                row.try_get(4)?,
                row.try_get(5)?,
                row.try_get(6)?,
            ),
            evidence,
        })
    }

    /// Applies one answer edit; returns the case's new version.
    pub async fn set_answer(&self, edit: &AnswerEdit<'_>) -> Result<i64, StoreError> {
        self.edit_case(&CaseEdit {
            inspection: edit.inspection,
            instrument: edit.instrument,
            case_ref: edit.case_ref,
            change: CaseChange::Answer {
                question: edit.question,
                answer: edit.answer,
            },
            expected_version: edit.expected_version,
            actor: edit.actor,
            reason: edit.reason,
        })
        .await
    }
}

/// What the audit log says happened to a case after `version`, for a conflict message. Read inside
/// the editor's transaction: a second pooled connection could wait on the lock that transaction holds.
pub(crate) async fn changes_since(
    tx: &mut sqlx::Transaction<'_, sqlx::Any>,
    inspection: &str,
    entity: &str,
    version: i64,
) -> Result<Vec<String>, StoreError> {
    let rows = sqlx::query(
            "SELECT at, actor, before, after FROM audit_log WHERE inspection = $1 AND entity = $2 ORDER BY seq",
        )
        .bind(inspection.to_string())
        .bind(entity.to_string())
        .fetch_all(&mut **tx)
        .await?;
    let mut out = Vec::new();
    for r in rows {
        let after: Option<String> = r.try_get(3)?;
        let before: Option<String> = r.try_get(2)?;
        let parse = |s: Option<String>| {
            s.and_then(|t| serde_json::from_str::<serde_json::Value>(&t).ok())
                .unwrap_or_default()
        };
        let (b, a) = (parse(before), parse(after));
        if a["version"].as_i64().unwrap_or(0) <= version {
            continue;
        }
        let what = describe_change(&b, &a);
        out.push(format!(
            "version {}: {what} by {} at {}",
            a["version"],
            r.try_get::<String, _>(1)?,
            r.try_get::<String, _>(0)?
        ));
    }
    Ok(out)
}

/// One audited case change in words, from its before and after JSON. Evidence notes are named, not
/// quoted: conflict messages reach logs and terminals.
pub fn describe_change(before: &serde_json::Value, after: &serde_json::Value) -> String {
    let show = |v: &serde_json::Value| match v.as_str() {
        Some("") | None => "blank".to_string(),
        Some(x) => x.to_string(),
    };
    let question = after["question"].as_str().unwrap_or("?");
    if after.get("answer").is_some() {
        format!(
            "{question} {} -> {}",
            show(&before["answer"]),
            show(&after["answer"])
        )
    } else if after.get("evidence").is_some() {
        format!("evidence note on {question} changed")
    } else {
        let mut parts = Vec::new();
        for field in ["sentence", "reset_weeks", "oversight"] {
            if before[field] != after[field] {
                let text = |v: &serde_json::Value| match v {
                    serde_json::Value::Null => "blank".to_string(),
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                parts.push(format!(
                    "{field} {} -> {}",
                    text(&before[field]),
                    text(&after[field])
                ));
            }
        }
        if parts.is_empty() {
            "case attributes unchanged".to_string()
        } else {
            parts.join(", ")
        }
    }
}
