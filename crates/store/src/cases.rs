//! Editing one answer of one stored case. Each case carries a version; a write names the version it
//! was based on, and a stale one is refused with [`StoreError::StaleVersion`], which says what
//! changed since (from the audit log). Each edit is checked against the framework's applicability
//! rules and appends its audit entry in the same transaction.

use std::collections::BTreeMap;

use casework_core::Answer;
use casework_core::case::{CaseRecord, Oversight, SentenceType, check_answer};
use serde::Serialize;
use sqlx::Row;

use crate::audit::{NewEntry, append};
use crate::connect::Store;
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
}

/// One edit: set `question` of a case to `answer` (blank clears it), based on `expected_version`.
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

fn entity(instrument: &str, case_ref: &str) -> String {
    format!("case:{instrument}/{case_ref}")
}

const CASE_BY_REF: &str = "SELECT c.version, c.answers FROM cases c \
     JOIN inspections i ON i.id = c.inspection_id \
     WHERE i.slug = $1 AND c.instrument = $2 AND c.case_ref = $3";

/// Takes the case's row lock with a no-op write and returns what an edit needs: id, version,
/// answers, sentence, reset weeks, oversight and the inspection's framework hash.
const LOCK_AND_READ_CASE: &str = "UPDATE cases SET version = version \
     WHERE instrument = $1 AND case_ref = $2 \
     AND inspection_id = (SELECT id FROM inspections WHERE slug = $3) \
     RETURNING id, version, answers, sentence, reset_weeks, oversight, \
     (SELECT framework_hash FROM inspections i WHERE i.id = cases.inspection_id)";

impl Store {
    /// Reads one case's answers and version.
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
        let answers: String = row.try_get(1)?;
        Ok(StoredCase {
            inspection: inspection.to_string(),
            instrument: instrument.to_string(),
            case_ref: case_ref.to_string(),
            version: row.try_get(0)?,
            answers: serde_json::from_str(&answers)
                .map_err(|e| StoreError::Corrupt(format!("case {case_ref}: {e}")))?,
        })
    }

    /// Applies one edit; returns the case's new version.
    pub async fn set_answer(&self, edit: &AnswerEdit<'_>) -> Result<i64, StoreError> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        // Write first, so the transaction holds the write lock (SQLite) or the row lock
        // (PostgreSQL) before it reads: concurrent editors queue here instead of failing later.
        // The same statement returns the case, saving a round trip on every edit.
        let row = sqlx::query(LOCK_AND_READ_CASE)
            .bind(edit.instrument.to_string())
            .bind(edit.case_ref.to_string())
            .bind(edit.inspection.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| {
                StoreError::NotFound(format!(
                    "{}: {} case {}",
                    edit.inspection, edit.instrument, edit.case_ref
                ))
            })?;
        let case_id: i64 = row.try_get(0)?;
        let version: i64 = row.try_get(1)?;
        let entity = entity(edit.instrument, edit.case_ref);
        if version != edit.expected_version {
            let changes =
                changes_since(&mut tx, edit.inspection, &entity, edit.expected_version).await?;
            return Err(StoreError::StaleVersion {
                case: format!("{} {} {}", edit.inspection, edit.instrument, edit.case_ref),
                expected: edit.expected_version,
                current: version,
                changes,
            });
        }
        let answers_text: String = row.try_get(2)?;
        let mut answers: BTreeMap<String, String> = serde_json::from_str(&answers_text)
            .map_err(|e| StoreError::Corrupt(format!("case {}: {e}", edit.case_ref)))?;

        // The framework's rules decide whether this answer is allowed on this case.
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
                .fetch_one(&mut *tx)
                .await?
                .try_get(0)?;
                self.framework(&body, &hash, "stored framework")?
            }
        };
        let (_, question) = fw
            .question(edit.question)
            .filter(|(i, _)| i.id == edit.instrument)
            .ok_or_else(|| {
                StoreError::Invalid(format!(
                    "'{}' is not a question of instrument '{}'",
                    edit.question, edit.instrument
                ))
            })?;
        let sentence: Option<String> = row.try_get(3)?;
        let reset_weeks: Option<i64> = row.try_get(4)?;
        let oversight: Option<String> = row.try_get(5)?;
        let record = CaseRecord {
            id: edit.case_ref.to_string(),
            sentence: sentence.as_deref().and_then(SentenceType::parse),
            reset_weeks: reset_weeks.and_then(|w| u32::try_from(w).ok()),
            oversight: oversight.as_deref().and_then(Oversight::parse),
            notes: None,
        };
        check_answer(
            question,
            &record,
            edit.answer,
            fw.rules.reset_adjusted_max_weeks,
        )
        .map_err(|p| StoreError::Invalid(format!("{}: {p}", edit.question)))?;

        let before = answers.get(edit.question).cloned();
        match edit.answer {
            Answer::Unanswered => answers.remove(edit.question),
            a => answers.insert(edit.question.to_string(), a.as_cell().to_string()),
        };
        let new_version = version + 1;
        let updated = sqlx::query(
            "UPDATE cases SET answers = $1, version = $2 WHERE id = $3 AND version = $4",
        )
        .bind(serde_json::to_string(&answers).map_err(|e| StoreError::Corrupt(e.to_string()))?)
        .bind(new_version)
        .bind(case_id)
        .bind(version)
        .execute(&mut *tx)
        .await?;
        if updated.rows_affected() != 1 {
            return Err(StoreError::Corrupt(format!(
                "case {} changed under a held lock",
                edit.case_ref
            )));
        }
        let describe = |a: Option<&str>| {
            serde_json::json!({"question": edit.question, "answer": a.unwrap_or(""), "version": new_version})
                .to_string()
        };
        append(
            &mut tx,
            self.backend,
            NewEntry {
                actor: edit.actor,
                action: "set-answer",
                inspection: Some(edit.inspection),
                entity: &entity,
                before: Some(describe(before.as_deref())),
                after: Some(describe(Some(edit.answer.as_cell()))),
                reason: edit.reason,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(new_version)
    }
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
        let show = |v: &serde_json::Value| match v["answer"].as_str() {
            Some("") | None => "blank".to_string(),
            Some(x) => x.to_string(),
        };
        out.push(format!(
            "version {}: {} {} -> {} by {} at {}",
            a["version"],
            a["question"].as_str().unwrap_or("?"),
            show(&b),
            show(&a),
            r.try_get::<String, _>(1)?,
            r.try_get::<String, _>(0)?
        ));
    }
    Ok(out)
}
