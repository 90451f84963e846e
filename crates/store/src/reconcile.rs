//! Reconciling double marking (issue 19): the disagreements between a case's answers and its QA
//! second marking, and a lead's reconciliation of each, recorded once per case and question (the
//! first lead wins; the other is told what was decided) and made the case's answer by an ordinary
//! audited edit (`batch`) in the same transaction.

use casework_core::Answer;
use serde::Serialize;
use sqlx::Row;

use crate::answer_codes;
use crate::audit::now;
use crate::cases::stored_instrument;
use crate::edits::{CaseChange, CaseEdit};
use crate::error::StoreError;
use crate::guard;
use crate::handle::Store;
use crate::review::check_qa_text;

/// A lead's reconciliation of one disagreement (answers stored as cells: `Y`, `N`, `NA`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Reconciliation {
    pub answer: Answer,
    pub reason: String,
    pub reconciled_by: String,
    pub reconciled_at: String,
}

/// One question the two markers answered differently (both answered: a missing mark is missing,
/// never a disagreement).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Disagreement {
    pub inspection: String,
    pub instrument: String,
    pub case_ref: String,
    pub question: String,
    pub original: Answer,
    pub second: Answer,
    /// Whether one marker found it not applicable and the other answered it.
    pub about_applicability: bool,
    pub reconciled: Option<Reconciliation>,
}

impl Store {
    /// The disagreements of inspection `slug`'s QA sample, with their reconciliations, in
    /// sample order and then the instrument's question order.
    pub async fn disagreements(&self, slug: &str) -> Result<Vec<Disagreement>, StoreError> {
        let fw = self.framework_of(slug).await?;
        let mut out = Vec::new();
        for marked in self.double_marked(slug).await? {
            let inst = stored_instrument(&fw, &marked.instrument)?;
            for (qi, q) in inst.questions.iter().enumerate() {
                let (a, b) = (marked.original[qi], marked.second[qi]);
                if a == b || a == Answer::Unanswered || b == Answer::Unanswered {
                    continue;
                }
                out.push(Disagreement {
                    inspection: marked.inspection.clone(),
                    instrument: marked.instrument.clone(),
                    case_ref: marked.case_ref.clone(),
                    question: q.id.clone(),
                    original: a,
                    second: b,
                    about_applicability: a == Answer::NotApplicable || b == Answer::NotApplicable,
                    reconciled: self
                        .reconciliation(
                            &self.pool,
                            &marked.inspection,
                            &marked.instrument,
                            &marked.case_ref,
                            &q.id,
                        )
                        .await?,
                });
            }
        }
        Ok(out)
    }

    async fn reconciliation(
        &self,
        ex: impl sqlx::Executor<'_, Database = sqlx::Any>,
        slug: &str,
        instrument: &str,
        case_ref: &str,
        question: &str,
    ) -> Result<Option<Reconciliation>, StoreError> {
        sqlx::query(
            "SELECT r.answer, r.reason, r.reconciled_by, r.reconciled_at FROM qa_reconciliations r \
             JOIN cases c ON c.id = r.case_id JOIN inspections i ON i.id = c.inspection_id \
             WHERE i.slug = $1 AND c.instrument = $2 AND c.case_ref = $3 AND r.question = $4",
        )
        .bind(slug.to_string())
        .bind(instrument.to_string())
        .bind(case_ref.to_string())
        .bind(question.to_string())
        .fetch_optional(ex)
        .await?
        .map(|r| {
            let code: String = r.try_get(0)?;
            Ok(Reconciliation {
                answer: Answer::parse(&code).unwrap_or(Answer::Unanswered),
                reason: r.try_get(1)?,
                reconciled_by: r.try_get(2)?,
                reconciled_at: r.try_get(3)?,
            })
        })
        .transpose()
    }

    /// Reconciles the disagreement on `question` of a double-marked case: `answer` becomes the
    /// case's answer (an ordinary audited edit, with `reason`) and the reconciliation is recorded,
    /// in one transaction. Returns the case's version after it.
    ///
    /// Errors (nothing changed): the question has no disagreement to reconcile; it was already
    /// reconciled (the message says by whom, to what and why: the first lead wins); the answer is
    /// not allowed for the case; the case is locked or its inspection published.
    // A case is named by three ids (inspection, instrument, reference), as every store call names it.
    #[allow(clippy::too_many_arguments)]
    pub async fn reconcile(
        &self,
        slug: &str,
        instrument: &str,
        case_ref: &str,
        question: &str,
        answer: Answer,
        reason: &str,
        actor: &str,
    ) -> Result<i64, StoreError> {
        guard::actor(actor)?;
        check_qa_text("reason", reason)?;
        let case_name = format!("{slug} {instrument} {case_ref}");
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let case = self.hold_case(&mut tx, slug, instrument, case_ref).await?;
        let inst = stored_instrument(&case.fw, instrument)?;
        if let Some(winner) = self
            .reconciliation(&mut *tx, slug, instrument, case_ref, question)
            .await?
        {
            return Err(StoreError::Conflict(format!(
                "{case_name} {question} was already reconciled by {} at {}: {} ({})",
                winner.reconciled_by,
                winner.reconciled_at,
                winner.answer.as_cell(),
                winner.reason
            )));
        }
        let disagreement = match sqlx::query(
            "SELECT original, answers FROM qa_marks WHERE case_id = $1 AND submitted_at IS NOT NULL",
        )
        .bind(case.id)
        .fetch_optional(&mut *tx)
        .await?
        {
            Some(row) => {
                let original = answer_codes::decode(inst, &row.try_get::<String, _>(0)?, case_ref)?;
                let second = answer_codes::decode(inst, &row.try_get::<String, _>(1)?, case_ref)?;
                inst.questions.iter().position(|q| q.id == question).and_then(|qi| {
                    let (a, b) = (original[qi], second[qi]);
                    (a != b && a != Answer::Unanswered && b != Answer::Unanswered).then_some((a, b))
                })
            }
            None => None,
        };
        let Some((original, second)) = disagreement else {
            return Err(StoreError::Invalid(format!(
                "{case_name} {question}: no disagreement to reconcile (the case must be double-marked and the two markers must have answered the question differently)"
            )));
        };
        sqlx::query(
            "INSERT INTO qa_reconciliations (case_id, question, original, second, answer, reason, \
             reconciled_by, reconciled_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(case.id)
        .bind(question.to_string())
        .bind(original.as_cell())
        .bind(second.as_cell())
        .bind(answer.as_cell())
        .bind(reason.to_string())
        .bind(actor.to_string())
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let edit = CaseEdit {
            inspection: slug,
            instrument,
            case_ref,
            change: CaseChange::Answer { question, answer },
            expected_version: case.version,
            actor,
            reason: Some(reason),
        };
        let applied = self
            .apply_batch(&mut tx, std::slice::from_ref(&edit))
            .await?
            .pop()
            .ok_or_else(|| StoreError::Corrupt("an edit batch without its result".into()))??;
        tx.commit().await?;
        Ok(applied.version)
    }
}
