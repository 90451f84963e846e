//! Excluding a drawn case at fieldwork and bringing in its stratum's next reserve; and, at
//! publication, deleting the extract and the unused reserves with the reason recorded.

use casework_core::Answer;
use casework_core::case::CaseRecord;
use casework_core::framework::Framework;
use serde_json::json;
use sqlx::{Any, Row, Transaction};

use super::{NewSampleCase, PUBLISHED_REASON, Replacement};
use crate::audit::now;
use crate::error::StoreError;
use crate::guard;
use crate::handle::Store;

impl Store {
    /// Excludes drawn case `case_ref` of inspection `slug` at fieldwork for `reason`: the case and
    /// its answers are removed (it leaves every count, Yes, No and not applicable alike) and its
    /// stratum's next unused reserve becomes a case in progress in its place, allocated to the
    /// same inspector. With no reserve left the case is still excluded, and the result says so.
    ///
    /// Errors (nothing changed): a published inspection; no draw; a case not in the sample; a
    /// locked case (reopen it first); an empty reason.
    pub async fn replace_sampled_case(
        &self,
        slug: &str,
        fw: &Framework,
        case_ref: &str,
        reason: &str,
        actor: &str,
    ) -> Result<Replacement, StoreError> {
        guard::actor(actor)?;
        guard::reason(Some(reason))?;
        if reason.trim().is_empty() {
            return Err(StoreError::Invalid("say why the case is excluded".into()));
        }
        let sample = self
            .case_sample(slug)
            .await?
            .ok_or_else(|| StoreError::Invalid(format!("{slug} has no drawn sample")))?;
        let instrument = fw.instrument(&sample.instrument).ok_or_else(|| {
            StoreError::Corrupt(format!(
                "the sample's instrument {} is unknown",
                sample.instrument
            ))
        })?;
        let blank =
            crate::answer_codes::encode(&vec![Answer::Unanswered; instrument.questions.len()]);
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let id = self.open_unpublished(&mut tx, slug).await?;
        let row = sqlx::query(
            "SELECT stratum, status FROM sample_cases WHERE inspection_id = $1 AND case_ref = $2",
        )
        .bind(id)
        .bind(case_ref.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        let stratum: String = match row {
            Some(r) if r.try_get::<String, _>(1)? == "in-sample" => r.try_get(0)?,
            _ => {
                return Err(StoreError::Invalid(format!(
                    "{case_ref} is not a case in {slug}'s sample"
                )));
            }
        };
        let case = sqlx::query(
            "SELECT review_state, inspector FROM cases \
             WHERE inspection_id = $1 AND instrument = $2 AND case_ref = $3",
        )
        .bind(id)
        .bind(sample.instrument.clone())
        .bind(case_ref.to_string())
        .fetch_optional(&mut *tx)
        .await?;
        let inspector: Option<String> = match case {
            Some(r) if r.try_get::<String, _>(0)? == "locked" => {
                return Err(StoreError::Conflict(format!(
                    "{case_ref} is locked: reopen it before excluding it"
                )));
            }
            Some(r) => r.try_get(1)?,
            None => None,
        };
        sqlx::query(
            "DELETE FROM cases WHERE inspection_id = $1 AND instrument = $2 AND case_ref = $3",
        )
        .bind(id)
        .bind(sample.instrument.clone())
        .bind(case_ref.to_string())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "UPDATE sample_cases SET status = 'excluded', reason = $1 \
             WHERE inspection_id = $2 AND case_ref = $3",
        )
        .bind(reason.to_string())
        .bind(id)
        .bind(case_ref.to_string())
        .execute(&mut *tx)
        .await?;
        let reserve = sqlx::query(
            "SELECT case_ref, sentence, reset_weeks, attributes FROM sample_cases \
             WHERE inspection_id = $1 AND stratum = $2 AND status = 'reserve' \
             ORDER BY position LIMIT 1",
        )
        .bind(id)
        .bind(stratum.clone())
        .fetch_optional(&mut *tx)
        .await?;
        let replacement = match reserve {
            None => None,
            Some(r) => {
                let reference: String = r.try_get(0)?;
                let sentence: String = r.try_get(1)?;
                let attributes: Option<String> = r.try_get(3)?;
                let case = NewSampleCase {
                    case_ref: reference.clone(),
                    stratum: stratum.clone(),
                    reserve: true,
                    position: 0,
                    record: CaseRecord {
                        id: reference.clone(),
                        sentence: casework_core::SentenceType::parse(&sentence),
                        reset_weeks: r
                            .try_get::<Option<i64>, _>(2)?
                            .and_then(|w| u32::try_from(w).ok()),
                        ..CaseRecord::default()
                    },
                    attributes: attributes
                        .and_then(|a| serde_json::from_str(&a).ok())
                        .unwrap_or_default(),
                    inspector,
                };
                self.insert_case(&mut tx, id, &sample.instrument, &case, &blank)
                    .await?;
                sqlx::query(
                    "UPDATE sample_cases SET status = 'in-sample', replaces = $1 \
                     WHERE inspection_id = $2 AND case_ref = $3",
                )
                .bind(case_ref.to_string())
                .bind(id)
                .bind(reference.clone())
                .execute(&mut *tx)
                .await?;
                Some(reference)
            }
        };
        let after = json!({ "excluded": case_ref, "replacement": replacement }).to_string();
        self.audit_sample(
            &mut tx,
            actor,
            "replace-sampled-case",
            slug,
            &after,
            Some(reason),
        )
        .await?;
        tx.commit().await?;
        Ok(Replacement {
            excluded: case_ref.to_string(),
            replacement,
        })
    }

    /// Inside publication's transaction: deletes inspection `id`'s extract body and its unused
    /// reserves, recording why; nothing when there is no extract.
    pub(crate) async fn minimise_sample(
        &self,
        tx: &mut Transaction<'_, Any>,
        id: i64,
        slug: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let deleted = sqlx::query(
            "UPDATE caseload_extracts SET body = NULL, deleted_at = $1, deleted_reason = $2 \
             WHERE inspection_id = $3 AND body IS NOT NULL",
        )
        .bind(now())
        .bind(PUBLISHED_REASON.to_string())
        .bind(id)
        .execute(&mut **tx)
        .await?
        .rows_affected();
        let reserves =
            sqlx::query("DELETE FROM sample_cases WHERE inspection_id = $1 AND status = 'reserve'")
                .bind(id)
                .execute(&mut **tx)
                .await?
                .rows_affected();
        if deleted + reserves > 0 {
            let after = json!({ "extract_deleted": deleted > 0, "reserves_deleted": reserves });
            self.audit_sample(
                tx,
                actor,
                "delete-caseload-extract",
                slug,
                &after.to_string(),
                Some(PUBLISHED_REASON),
            )
            .await?;
        }
        Ok(())
    }
}
