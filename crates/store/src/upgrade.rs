//! Data steps of migrations that SQL cannot express. A migration that needs one records its name in
//! `pending_upgrades`; [`Store::open`] runs each pending step here, in one transaction that also
//! removes its name, so a step interrupted by a crash is simply run again at the next open, and two
//! processes opening at once run it once (the second waits on the first's delete).
//!
//! - `answer-codes` (migration 3): answers stored as a JSON object of question id → `Y`/`N`/`NA`
//!   become one code per question in the pinned framework's order (`answer_codes`). The answers
//!   themselves do not change, so no audit entry is written.

use std::collections::BTreeMap;

use casework_core::Answer;
use sqlx::Row;

use crate::answer_codes;
use crate::error::StoreError;
use crate::handle::Store;

impl Store {
    /// Runs every pending data step.
    pub(crate) async fn run_pending_upgrades(&self) -> Result<(), StoreError> {
        let pending: Vec<String> = sqlx::query("SELECT name FROM pending_upgrades ORDER BY name")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?;
        for name in pending {
            match name.as_str() {
                "answer-codes" => self.answers_to_codes().await?,
                other => {
                    return Err(StoreError::Corrupt(format!(
                        "pending upgrade '{other}' is unknown to this Casework"
                    )));
                }
            }
        }
        Ok(())
    }

    async fn answers_to_codes(&self) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        // First, so this transaction holds the write lock before it reads (another process that
        // got here first has already done the step, and this deletes nothing).
        let claimed = sqlx::query("DELETE FROM pending_upgrades WHERE name = 'answer-codes'")
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if claimed == 0 {
            return Ok(());
        }
        let rows = sqlx::query(
            "SELECT c.id, c.instrument, c.case_ref, c.answers, i.framework_hash FROM cases c \
             JOIN inspections i ON i.id = c.inspection_id WHERE c.answers LIKE '{%'",
        )
        .fetch_all(&mut *tx)
        .await?;
        for row in &rows {
            let (id, instrument, case_ref): (i64, String, String) =
                (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
            let json: String = row.try_get(3)?;
            let fw = self
                .framework_by_hash(&mut *tx, &row.try_get::<String, _>(4)?)
                .await?;
            let corrupt = |what: String| StoreError::Corrupt(format!("case '{case_ref}': {what}"));
            let inst = fw
                .instrument(&instrument)
                .ok_or_else(|| corrupt(format!("unknown instrument '{instrument}'")))?;
            let by_question: BTreeMap<String, String> =
                serde_json::from_str(&json).map_err(|e| corrupt(format!("answers: {e}")))?;
            let mut answers = vec![Answer::Unanswered; inst.questions.len()];
            for (question, cell) in &by_question {
                let at = inst
                    .questions
                    .iter()
                    .position(|q| &q.id == question)
                    .ok_or_else(|| corrupt(format!("unknown question '{question}'")))?;
                answers[at] =
                    Answer::parse(cell).ok_or_else(|| corrupt(format!("answer '{cell}'")))?;
            }
            sqlx::query("UPDATE cases SET answers = $1 WHERE id = $2")
                .bind(answer_codes::encode(&answers))
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}
