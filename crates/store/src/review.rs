//! Applying a case's review moves (issue 19; the states and moves are core's
//! `casework_core::review`): submitted by its inspector once every applicable question is
//! answered, QA-reviewed or returned by a QA reviewer who is not its inspector (a return names
//! each question to look at again, with a comment), locked by a lead, reopened only with a
//! reason. Each move is one transaction with its audit entry; a move the state machine does not
//! allow changes nothing and says which moves are. A locked case's answers are refused by the edit
//! batch (`batch::decide`).

use std::sync::Arc;

use casework_core::Answer;
use casework_core::case::{CaseRecord, case_status};
use casework_core::framework::Framework;
use casework_core::review::{ReviewAction, ReviewState};
use serde::Serialize;
use serde_json::json;
use sqlx::{Any, Row, Transaction};

use crate::answer_codes;
use crate::audit::{Chain, NewEntry, append, now};
use crate::cases::{record_of, review_state, stored_instrument};
use crate::edits::case_entity;
use crate::error::{Missing, StoreError};
use crate::guard;
use crate::handle::{Backend, Store};
use crate::stage::Stage;

/// The longest QA comment or reason kept, in characters.
pub const QA_TEXT_MAX_CHARS: usize = 4_000;

/// A case's place in review, as lists show it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseReview {
    /// The inspection that holds the case (a PDU inspection's id within a region).
    pub inspection: String,
    /// That inspection's unit (what `Inspection::unit` names it).
    pub unit: String,
    pub instrument: String,
    pub case_ref: String,
    pub state: ReviewState,
    /// Who submitted it, once submitted.
    pub inspector: Option<String>,
}

/// A QA reviewer's comment on one question of a returned case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReturnComment {
    pub question: String,
    pub comment: String,
    pub returned_by: String,
    pub returned_at: String,
}

/// A case held (row-locked) inside a writing transaction, as review and QA decide on it.
pub(crate) struct HeldCase {
    pub id: i64,
    pub version: i64,
    pub answers: Vec<Answer>,
    pub record: CaseRecord,
    pub state: ReviewState,
    pub inspector: Option<String>,
    pub stage: Stage,
    pub fw: Arc<Framework>,
}

/// Checks a QA comment, reason or resolution: not blank, within core's text rule.
pub(crate) fn check_qa_text(field: &str, text: &str) -> Result<(), StoreError> {
    if text.trim().is_empty() {
        return Err(StoreError::Invalid(format!("the {field} is empty")));
    }
    casework_core::text::check_multiline(text, QA_TEXT_MAX_CHARS)
        .map_err(|p| StoreError::Invalid(format!("the {field} {p}")))
}

impl Store {
    /// Locks and reads one case inside `tx`: on PostgreSQL after locking the audit log (the
    /// order every writer takes), on SQLite by writing first so the transaction holds the write
    /// lock before it reads.
    pub(crate) async fn hold_case(
        &self,
        tx: &mut Transaction<'_, Any>,
        slug: &str,
        instrument: &str,
        case_ref: &str,
    ) -> Result<HeldCase, StoreError> {
        const WHERE: &str = "WHERE i.slug = $1 AND c.instrument = $2 AND c.case_ref = $3";
        match self.backend {
            Backend::Postgres => {
                Chain::lock(tx, self.backend).await?;
            }
            Backend::Sqlite => {
                sqlx::query(&format!(
                    "UPDATE cases SET version = version WHERE id IN (SELECT c.id FROM cases c \
                     JOIN inspections i ON i.id = c.inspection_id {WHERE})"
                ))
                .bind(slug.to_string())
                .bind(instrument.to_string())
                .bind(case_ref.to_string())
                .execute(&mut **tx)
                .await?;
            }
        }
        let lock = if self.backend == Backend::Postgres {
            " FOR UPDATE OF c"
        } else {
            ""
        };
        let row = sqlx::query(&format!(
            "SELECT c.id, c.version, c.answers, c.sentence, c.reset_weeks, \
             c.oversight, c.attributes, c.review_state, c.inspector, i.framework_hash, i.stage \
             FROM cases c JOIN inspections i ON i.id = c.inspection_id {WHERE}{lock}"
        ))
        .bind(slug.to_string())
        .bind(instrument.to_string())
        .bind(case_ref.to_string())
        .fetch_optional(&mut **tx)
        .await?
        .ok_or_else(|| {
            StoreError::NotFound(Missing::Case {
                inspection: slug.to_string(),
                instrument: instrument.to_string(),
                case_ref: case_ref.to_string(),
            })
        })?;
        let fw = self
            .framework_by_hash(&mut **tx, &row.try_get::<String, _>(9)?)
            .await?;
        let answers = answer_codes::decode(
            stored_instrument(&fw, instrument)?,
            &row.try_get::<String, _>(2)?,
            case_ref,
        )?;
        let stage: String = row.try_get(10)?;
        Ok(HeldCase {
            id: row.try_get(0)?,
            version: row.try_get(1)?,
            answers,
            record: record_of(
                case_ref,
                row.try_get(3)?,
                row.try_get(4)?,
                row.try_get(5)?,
                None,
                row.try_get(6)?,
            )?,
            state: review_state(&row.try_get::<String, _>(7)?)?,
            inspector: row.try_get(8)?,
            stage: Stage::parse(&stage)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown stage '{stage}'")))?,
            fw,
        })
    }

    /// Every case of inspection `slug` and of the PDU inspections it rolls up, with its review
    /// state and inspector, in stored order.
    pub async fn case_reviews(&self, slug: &str) -> Result<Vec<CaseReview>, StoreError> {
        self.stored(slug).await?;
        sqlx::query(
            "SELECT i.slug, c.instrument, c.case_ref, c.review_state, c.inspector, i.unit FROM cases c \
             JOIN inspections i ON i.id = c.inspection_id \
             WHERE i.slug = $1 OR i.parent_id = (SELECT id FROM inspections WHERE slug = $1) \
             ORDER BY i.unit_order, i.id, c.instrument, c.position",
        )
        .bind(slug.to_string())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(CaseReview {
                inspection: r.try_get(0)?,
                unit: r.try_get(5)?,
                instrument: r.try_get(1)?,
                case_ref: r.try_get(2)?,
                state: review_state(&r.try_get::<String, _>(3)?)?,
                inspector: r.try_get(4)?,
            })
        })
        .collect()
    }

    /// Makes review move `action` on one case as `actor`; returns the state it is now in.
    /// `returns` (question id, comment) are required when returning and refused otherwise;
    /// `reason` is required when reopening.
    ///
    /// Errors (nothing changed): no such case; a move the state machine does not allow from the
    /// case's state; submitting a case with an applicable question unanswered; a QA reviewer
    /// reviewing a case they submitted; a return naming no question or a question the case's
    /// instrument lacks; a published inspection.
    // A case is named by three ids (inspection, instrument, reference), as every store call names it.
    #[allow(clippy::too_many_arguments)]
    pub async fn review_case(
        &self,
        slug: &str,
        instrument: &str,
        case_ref: &str,
        action: ReviewAction,
        returns: &[(String, String)],
        reason: Option<&str>,
        actor: &str,
    ) -> Result<ReviewState, StoreError> {
        guard::actor(actor)?;
        let case_name = format!("{slug} {instrument} {case_ref}");
        match (action, reason) {
            (ReviewAction::Reopen, Some(r)) => check_qa_text("reason", r)?,
            (ReviewAction::Reopen, None) => {
                return Err(StoreError::Invalid(format!(
                    "reopening {case_name} needs a reason"
                )));
            }
            _ => {}
        }
        if (action == ReviewAction::Return) == returns.is_empty() {
            return Err(StoreError::Invalid(if returns.is_empty() {
                format!("returning {case_name} needs a comment on at least one question")
            } else {
                format!(
                    "comments on questions go with returning {case_name}, not with {}",
                    action.as_str()
                )
            }));
        }
        for (question, comment) in returns {
            check_qa_text(&format!("comment on {question}"), comment)?;
        }
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let case = self.hold_case(&mut tx, slug, instrument, case_ref).await?;
        if case.stage == Stage::Published {
            return Err(StoreError::Conflict(format!(
                "{slug} is published; its cases are read-only"
            )));
        }
        let to = action
            .apply(case.state)
            .map_err(|why| StoreError::Conflict(format!("{case_name}: {why}")))?;
        let inst = stored_instrument(&case.fw, instrument)?;
        match action {
            ReviewAction::Submit => {
                let weeks = case.fw.rules.reset_adjusted_max_weeks;
                if !case_status(inst, &case.record, &case.answers, weeks).is_complete() {
                    return Err(StoreError::Conflict(format!(
                        "{case_name} cannot be submitted: its sentence type or an applicable key question is still unanswered"
                    )));
                }
            }
            ReviewAction::Approve | ReviewAction::Return
                if case.inspector.as_deref() == Some(actor) =>
            {
                return Err(StoreError::Conflict(format!(
                    "{case_name} was submitted by {actor}: an inspector cannot QA their own case"
                )));
            }
            _ => {}
        }
        for (question, _) in returns {
            if !inst.questions.iter().any(|q| &q.id == question) {
                return Err(StoreError::Invalid(format!(
                    "{case_name}: the {instrument} instrument has no question '{question}'"
                )));
            }
        }
        let inspector = match action {
            ReviewAction::Submit => Some(actor.to_string()),
            _ => case.inspector.clone(),
        };
        sqlx::query("UPDATE cases SET review_state = $1, inspector = $2 WHERE id = $3")
            .bind(to.as_str())
            .bind(inspector)
            .bind(case.id)
            .execute(&mut *tx)
            .await?;
        let at = now();
        for (question, comment) in returns {
            sqlx::query(
                "INSERT INTO qa_returns (case_id, question, comment, returned_by, returned_at) \
                 VALUES ($1, $2, $3, $4, $5)",
            )
            .bind(case.id)
            .bind(question.clone())
            .bind(comment.clone())
            .bind(actor.to_string())
            .bind(at.clone())
            .execute(&mut *tx)
            .await?;
        }
        let questions: Vec<&str> = returns.iter().map(|(q, _)| q.as_str()).collect();
        append(
            &mut tx,
            self.backend,
            NewEntry {
                actor,
                action: "review-case",
                inspection: Some(slug),
                entity: &case_entity(instrument, case_ref),
                before: Some(json!({ "review": case.state.as_str() }).to_string()),
                after: Some(json!({ "review": to.as_str(), "questions": questions }).to_string()),
                reason,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(to)
    }

    /// Locks every submitted or QA-reviewed case of inspection `slug` and of its PDU inspections
    /// (a lead closing fieldwork), one audit entry per case; returns how many were locked. Cases
    /// still in progress or returned are left as they are, and not counted by locked-only ratings.
    pub async fn lock_reviewed_cases(&self, slug: &str, actor: &str) -> Result<usize, StoreError> {
        guard::actor(actor)?;
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let mut chain = Chain::lock(&mut tx, self.backend).await?;
        // SQLite: write first, so the transaction holds the write lock before it reads.
        sqlx::query("UPDATE inspections SET stage = stage WHERE slug = $1")
            .bind(slug.to_string())
            .execute(&mut *tx)
            .await?;
        let (_, stage) = self.stage_of(&mut *tx, slug).await?;
        if stage == Stage::Published {
            return Err(StoreError::Conflict(format!(
                "{slug} is published; its cases are read-only"
            )));
        }
        let rows = sqlx::query(
            "SELECT c.id, i.slug, c.instrument, c.case_ref, c.review_state FROM cases c \
             JOIN inspections i ON i.id = c.inspection_id \
             WHERE (i.slug = $1 OR i.parent_id = (SELECT id FROM inspections WHERE slug = $1)) \
             AND c.review_state IN ('submitted', 'qa-reviewed') ORDER BY c.id",
        )
        .bind(slug.to_string())
        .fetch_all(&mut *tx)
        .await?;
        let mut held = Vec::with_capacity(rows.len());
        for r in &rows {
            let (id, owner, instrument, case_ref, state): (i64, String, String, String, String) = (
                r.try_get(0)?,
                r.try_get(1)?,
                r.try_get(2)?,
                r.try_get(3)?,
                r.try_get(4)?,
            );
            sqlx::query("UPDATE cases SET review_state = $1 WHERE id = $2")
                .bind(ReviewState::Locked.as_str())
                .bind(id)
                .execute(&mut *tx)
                .await?;
            held.push((owner, case_entity(&instrument, &case_ref), state));
        }
        let texts: Vec<(String, String)> = held
            .iter()
            .map(|(_, _, state)| {
                (
                    json!({ "review": state }).to_string(),
                    json!({ "review": ReviewState::Locked.as_str() }).to_string(),
                )
            })
            .collect();
        let entries: Vec<NewEntry<'_>> = held
            .iter()
            .zip(&texts)
            .map(|((owner, entity, _), (before, after))| NewEntry {
                actor,
                action: "review-case",
                inspection: Some(owner),
                entity,
                before: Some(before.clone()),
                after: Some(after.clone()),
                reason: None,
            })
            .collect();
        chain.append_all(&mut tx, &entries).await?;
        tx.commit().await?;
        Ok(held.len())
    }

    /// The QA comments on a case's questions from each time it was returned, oldest first.
    pub async fn return_comments(
        &self,
        slug: &str,
        instrument: &str,
        case_ref: &str,
    ) -> Result<Vec<ReturnComment>, StoreError> {
        sqlx::query(
            "SELECT r.question, r.comment, r.returned_by, r.returned_at FROM qa_returns r \
             JOIN cases c ON c.id = r.case_id JOIN inspections i ON i.id = c.inspection_id \
             WHERE i.slug = $1 AND c.instrument = $2 AND c.case_ref = $3 ORDER BY r.id",
        )
        .bind(slug.to_string())
        .bind(instrument.to_string())
        .bind(case_ref.to_string())
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(ReturnComment {
                question: r.try_get(0)?,
                comment: r.try_get(1)?,
                returned_by: r.try_get(2)?,
                returned_at: r.try_get(3)?,
            })
        })
        .collect()
    }
}
