//! Stored cases as editors see them: reading one case (its version, answers, attributes and
//! evidence notes), a single answer edit, and what changed since a version (from the audit log,
//! for a stale edit's message). Each case carries a version; a write names the version it was
//! based on, and a stale one is refused with [`StoreError::StaleVersion`]. What an edit is lives in
//! `edits`; edits are queued by `group_commit` and applied by `batch`.

use std::collections::BTreeMap;

use casework_core::Answer;
use casework_core::case::{CaseRecord, Oversight, SentenceType};
use casework_core::framework::{Framework, Instrument};
use casework_core::review::ReviewState;
use serde::Serialize;
use sqlx::Row;

use crate::answer_codes;
use crate::edits::{AnswerEdit, CaseChange, CaseEdit, describe_change};
use crate::error::{Missing, StoreError};
use crate::handle::Store;

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
    /// Where the case stands in review (issue 19).
    pub review: ReviewState,
    /// Who submitted it (its inspector), once submitted.
    pub inspector: Option<String>,
}

/// The instrument `id` of `fw`, which a stored case names.
pub(crate) fn stored_instrument<'f>(
    fw: &'f Framework,
    id: &str,
) -> Result<&'f Instrument, StoreError> {
    fw.instrument(id)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown instrument '{id}'")))
}

const CASE_BY_REF: &str = "SELECT c.id, c.version, c.answers, c.sentence, c.reset_weeks, \
     c.oversight, c.notes, i.framework_hash, c.attributes, c.review_state, c.inspector FROM cases c \
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

/// A case's record from its stored columns; `attributes` is the stored JSON of its declared
/// attributes (see [`crate::attributes`]).
pub(crate) fn record_of(
    case_ref: &str,
    sentence: Option<String>,
    reset_weeks: Option<i64>,
    oversight: Option<String>,
    notes: Option<String>,
    attributes: Option<String>,
) -> Result<CaseRecord, StoreError> {
    Ok(CaseRecord {
        id: case_ref.to_string(),
        sentence: sentence.as_deref().and_then(SentenceType::parse),
        reset_weeks: reset_weeks.and_then(|w| u32::try_from(w).ok()),
        oversight: oversight.as_deref().and_then(Oversight::parse),
        attributes: crate::attributes::decode(attributes.as_deref(), case_ref)?,
        notes,
        ..CaseRecord::default()
    })
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
                row.try_get(8)?,
            )?,
            evidence,
            review: review_state(&row.try_get::<String, _>(9)?)?,
            inspector: row.try_get(10)?,
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

/// A stored review state.
pub(crate) fn review_state(text: &str) -> Result<ReviewState, StoreError> {
    ReviewState::parse(text)
        .ok_or_else(|| StoreError::Corrupt(format!("unknown review state '{text}'")))
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
