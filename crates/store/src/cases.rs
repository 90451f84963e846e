//! Editing one stored case: an answer, an evidence note, or a case attribute (sentence, Probation
//! Reset, management oversight). Each case carries a version; a write names the version it was based
//! on, and a stale one is refused with [`StoreError::StaleVersion`], which says what changed since
//! (from the audit log). Each edit is checked against the framework's applicability rules, refused on
//! a published inspection, and appends its audit entry in the same transaction.

use std::collections::BTreeMap;

use casework_core::Answer;
use casework_core::case::{CaseRecord, Oversight, SentenceType, check_answer_in_progress};
use casework_core::framework::Framework;
use serde::Serialize;
use serde_json::json;
use sqlx::{Any, Row, Transaction};

use crate::audit::{Appended, ChainHead, NewEntry, append};
use crate::connect::{Backend, Store};
use crate::error::StoreError;

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
     c.oversight, c.notes FROM cases c \
     JOIN inspections i ON i.id = c.inspection_id \
     WHERE i.slug = $1 AND c.instrument = $2 AND c.case_ref = $3";

/// Takes the case's row lock and returns what an edit needs: id, version, answers, sentence, reset
/// weeks, oversight, the inspection's framework hash and published flag. On SQLite a no-op write,
/// so the transaction holds the database's write lock before it reads.
const LOCK_AND_READ_CASE_SQLITE: &str = "UPDATE cases SET version = version \
     WHERE instrument = $1 AND case_ref = $2 \
     AND inspection_id = (SELECT id FROM inspections WHERE slug = $3) \
     RETURNING id, version, answers, sentence, reset_weeks, oversight, \
     (SELECT framework_hash FROM inspections i WHERE i.id = cases.inspection_id), \
     (SELECT published FROM inspections i WHERE i.id = cases.inspection_id)";

/// [`LOCK_AND_READ_CASE_SQLITE`] on PostgreSQL, where a no-op `UPDATE` would still write a new row
/// version: `FOR UPDATE` takes the row lock without one.
const LOCK_AND_READ_CASE_POSTGRES: &str = "SELECT c.id, c.version, c.answers, c.sentence, \
     c.reset_weeks, c.oversight, i.framework_hash, i.published FROM cases c \
     JOIN inspections i ON i.id = c.inspection_id \
     WHERE c.instrument = $1 AND c.case_ref = $2 AND i.slug = $3 FOR UPDATE OF c";

fn parse_answers(text: &str, case_ref: &str) -> Result<BTreeMap<String, String>, StoreError> {
    serde_json::from_str(text).map_err(|e| StoreError::Corrupt(format!("case {case_ref}: {e}")))
}

fn record_of(
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
                StoreError::NotFound(format!("{inspection}: {instrument} case {case_ref}"))
            })?;
        let case_id: i64 = row.try_get(0)?;
        let answers: String = row.try_get(2)?;
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
            answers: parse_answers(&answers, case_ref)?,
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

    /// Applies one edit inside `tx` (see `group_commit`, which owns the transaction and the write
    /// turn); returns the case's new version and where its audit entry sits. An edit refused
    /// (missing, published, stale, not allowed) has changed nothing when it returns its error; an
    /// error from the database leaves the transaction to be rolled back.
    pub(crate) async fn edit_in(
        &self,
        tx: &mut Transaction<'_, Any>,
        head: &mut ChainHead,
        edit: &CaseEdit<'_>,
    ) -> Result<(i64, Appended), StoreError> {
        // Write first, so the transaction holds the write lock (SQLite) or the row lock
        // (PostgreSQL) before it reads: concurrent editors queue here instead of failing later.
        // The same statement returns the case, saving a round trip on every edit.
        let lock_and_read = match self.backend {
            Backend::Sqlite => LOCK_AND_READ_CASE_SQLITE,
            Backend::Postgres => LOCK_AND_READ_CASE_POSTGRES,
        };
        let row = sqlx::query(lock_and_read)
            .bind(edit.instrument.to_string())
            .bind(edit.case_ref.to_string())
            .bind(edit.inspection.to_string())
            .fetch_optional(&mut **tx)
            .await?
            .ok_or_else(|| {
                StoreError::NotFound(format!(
                    "{}: {} case {}",
                    edit.inspection, edit.instrument, edit.case_ref
                ))
            })?;
        let case_id: i64 = row.try_get(0)?;
        let version: i64 = row.try_get(1)?;
        let published: i64 = row.try_get(7)?;
        if published != 0 {
            return Err(StoreError::Invalid(format!(
                "{} is published; its cases are read-only",
                edit.inspection
            )));
        }
        let entity = case_entity(edit.instrument, edit.case_ref);
        if version != edit.expected_version {
            let changes =
                changes_since(tx, edit.inspection, &entity, edit.expected_version).await?;
            return Err(StoreError::StaleVersion {
                case: format!("{} {} {}", edit.inspection, edit.instrument, edit.case_ref),
                expected: edit.expected_version,
                current: version,
                changes,
            });
        }
        let answers_text: String = row.try_get(2)?;
        let mut answers = parse_answers(&answers_text, edit.case_ref)?;
        let hash: String = row.try_get(6)?;
        let fw = match self.cached_framework(&hash) {
            Some(fw) => fw,
            None => {
                let body: String = sqlx::query(
                    "SELECT f.body FROM frameworks f JOIN inspections i ON i.framework_id = f.id \
                     AND i.framework_version = f.version AND i.framework_hash = f.content_hash \
                     WHERE i.slug = $1",
                )
                .bind(edit.inspection.to_string())
                .fetch_one(&mut **tx)
                .await?
                .try_get(0)?;
                self.framework(&body, &hash, "stored framework")?
            }
        };
        let mut record = record_of(
            edit.case_ref,
            row.try_get(3)?,
            row.try_get(4)?,
            row.try_get(5)?,
            None,
        );
        let new_version = version + 1;
        let (action, before, after) = match edit.change {
            CaseChange::Answer { question, answer } => {
                check_question(&fw, edit.instrument, question)?;
                let (_, q) = fw.question(question).expect("checked above");
                check_answer_in_progress(q, &record, answer, fw.rules.reset_adjusted_max_weeks)
                    .map_err(|p| StoreError::Invalid(format!("{question}: {p}")))?;
                let before = answers.get(question).cloned();
                match answer {
                    Answer::Unanswered => answers.remove(question),
                    a => answers.insert(question.to_string(), a.as_cell().to_string()),
                };
                let describe = |a: Option<&str>| json!({"question": question, "answer": a.unwrap_or(""), "version": new_version});
                (
                    "set-answer",
                    describe(before.as_deref()),
                    describe(Some(answer.as_cell())),
                )
            }
            CaseChange::Evidence { question, note } => {
                check_question(&fw, edit.instrument, question)?;
                let before: Option<String> =
                    sqlx::query("SELECT note FROM evidence WHERE case_id = $1 AND question = $2")
                        .bind(case_id)
                        .bind(question.to_string())
                        .fetch_optional(&mut **tx)
                        .await?
                        .map(|r| r.try_get(0))
                        .transpose()?;
                sqlx::query("DELETE FROM evidence WHERE case_id = $1 AND question = $2")
                    .bind(case_id)
                    .bind(question.to_string())
                    .execute(&mut **tx)
                    .await?;
                if !note.trim().is_empty() {
                    sqlx::query(
                        "INSERT INTO evidence (case_id, question, note) VALUES ($1, $2, $3)",
                    )
                    .bind(case_id)
                    .bind(question.to_string())
                    .bind(note.to_string())
                    .execute(&mut **tx)
                    .await?;
                }
                let describe =
                    |n: &str| json!({"question": question, "evidence": n, "version": new_version});
                (
                    "set-evidence",
                    describe(before.as_deref().unwrap_or("")),
                    describe(note.trim()),
                )
            }
            CaseChange::Sentence(_) | CaseChange::ResetWeeks(_) | CaseChange::Oversight(_) => {
                let before = record.clone();
                match edit.change {
                    CaseChange::Sentence(s) => record.sentence = s,
                    CaseChange::ResetWeeks(w) => record.reset_weeks = w,
                    CaseChange::Oversight(o) => record.oversight = o,
                    _ => unreachable!("matched above"),
                }
                check_answers_still_apply(&fw, edit.instrument, &record, &answers)?;
                let describe = |r: &CaseRecord| {
                    json!({
                        "sentence": r.sentence.map(SentenceType::as_str),
                        "reset_weeks": r.reset_weeks,
                        "oversight": r.oversight.map(Oversight::as_str),
                        "version": new_version,
                    })
                };
                ("set-attributes", describe(&before), describe(&record))
            }
        };
        let updated = sqlx::query(
            "UPDATE cases SET answers = $1, sentence = $2, reset_weeks = $3, oversight = $4, \
             version = $5 WHERE id = $6 AND version = $7",
        )
        .bind(serde_json::to_string(&answers).map_err(|e| StoreError::Corrupt(e.to_string()))?)
        .bind(record.sentence.map(|s| s.as_str().to_string()))
        .bind(record.reset_weeks.map(i64::from))
        .bind(record.oversight.map(|o| o.as_str().to_string()))
        .bind(new_version)
        .bind(case_id)
        .bind(version)
        .execute(&mut **tx)
        .await?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Corrupt(format!(
                "case {} changed under a held lock",
                edit.case_ref
            )));
        }
        let appended = append(
            tx,
            self.backend,
            head,
            NewEntry {
                actor: edit.actor,
                action,
                inspection: Some(edit.inspection),
                entity: &entity,
                before: Some(before.to_string()),
                after: Some(after.to_string()),
                reason: edit.reason,
            },
        )
        .await?;
        Ok((new_version, appended))
    }
}

/// `question` must be one of `instrument`'s.
fn check_question(fw: &Framework, instrument: &str, question: &str) -> Result<(), StoreError> {
    match fw.question(question) {
        Some((i, _)) if i.id == instrument => Ok(()),
        _ => Err(StoreError::Invalid(format!(
            "'{question}' is not a question of instrument '{instrument}'"
        ))),
    }
}

/// After an attribute change, every recorded answer must still be allowed (a Yes or No on a
/// question that no longer applies would be counted wrongly): the editor clears it first.
fn check_answers_still_apply(
    fw: &Framework,
    instrument: &str,
    record: &CaseRecord,
    answers: &BTreeMap<String, String>,
) -> Result<(), StoreError> {
    for (qid, cell) in answers {
        let Some((inst, q)) = fw.question(qid) else {
            continue;
        };
        if inst.id != instrument {
            continue;
        }
        let answer = Answer::parse(cell).unwrap_or(Answer::Unanswered);
        if let Err(p) =
            check_answer_in_progress(q, record, answer, fw.rules.reset_adjusted_max_weeks)
        {
            return Err(StoreError::Invalid(format!(
                "with this change {qid} (answered {cell}) would no longer be allowed: {p}; clear that answer first"
            )));
        }
    }
    Ok(())
}

/// What the audit log says happened to a case after `version`, for a conflict message. Read inside
/// the editor's transaction: a second pooled connection could wait on the lock that transaction holds.
async fn changes_since(
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
