//! Published results (issue 18): what published inspection reports state, kept for the national
//! picture. A result is stored whole as its JSON (`casework_core::published`), beside copies of
//! the fields tables filter and sort by; an identical result is kept once, however often a file
//! is imported. Every import is audited, one entry per result stored, and is one transaction:
//! nothing is stored when anything fails.

use casework_core::published::PublishedResult;
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use crate::audit::{NewEntry, append, now};
use crate::error::{Missing, StoreError};
use crate::guard;
use crate::handle::Store;
use crate::publication::sha256_hex;

/// A stored published result.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StoredResult {
    pub id: i64,
    pub result: PublishedResult,
    pub imported_by: String,
    pub imported_at: String,
}

/// What an import did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct PublishedImport {
    /// Results stored now.
    pub stored: usize,
    /// Results already stored, identical, left as they were.
    pub already: usize,
}

impl Store {
    /// Stores `results` in one transaction, each audited as `import-published-result` by `actor`;
    /// one identical to a stored result is counted in `already` and not stored again.
    pub async fn import_published(
        &self,
        results: &[PublishedResult],
        actor: &str,
    ) -> Result<PublishedImport, StoreError> {
        guard::actor(actor)?;
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let mut summary = PublishedImport::default();
        let at = now();
        for result in results {
            let body =
                serde_json::to_string(result).map_err(|e| StoreError::Invalid(e.to_string()))?;
            let hash = sha256_hex(body.as_bytes());
            let exists = sqlx::query("SELECT id FROM published_results WHERE body_sha256 = $1")
                .bind(hash.clone())
                .fetch_optional(&mut *tx)
                .await?;
            if exists.is_some() {
                summary.already += 1;
                continue;
            }
            let id: i64 = sqlx::query(
                "INSERT INTO published_results (body_sha256, unit, region, kind, programme, year, \
                 score, overall_rating, body, imported_by, imported_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
            )
            .bind(hash)
            .bind(result.unit.clone())
            .bind(result.region.clone())
            .bind(result.kind.clone())
            .bind(result.programme.clone())
            .bind(result.year().map(i64::from))
            .bind(result.score.map(i64::from))
            .bind(result.overall_rating.clone())
            .bind(body.clone())
            .bind(actor.to_string())
            .bind(at.clone())
            .fetch_one(&mut *tx)
            .await?
            .try_get(0)?;
            append(
                &mut tx,
                self.backend,
                NewEntry {
                    actor,
                    action: "import-published-result",
                    inspection: None,
                    entity: &format!("published:{id}"),
                    before: None,
                    after: Some(json!({ "result": result }).to_string()),
                    reason: None,
                },
            )
            .await?;
            summary.stored += 1;
        }
        tx.commit().await?;
        Ok(summary)
    }

    /// Every stored published result, oldest import first.
    pub async fn published_results(&self) -> Result<Vec<StoredResult>, StoreError> {
        sqlx::query("SELECT id, body, imported_by, imported_at FROM published_results ORDER BY id")
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                let body: String = r.try_get(1)?;
                let result = serde_json::from_str(&body).map_err(|e| {
                    StoreError::Invalid(format!("a stored published result is not readable: {e}"))
                })?;
                Ok(StoredResult {
                    id: r.try_get(0)?,
                    result,
                    imported_by: r.try_get(2)?,
                    imported_at: r.try_get(3)?,
                })
            })
            .collect()
    }

    /// Removes the published result `id`, audited as `delete-published-result` by `actor`.
    pub async fn delete_published(&self, id: i64, actor: &str) -> Result<(), StoreError> {
        guard::actor(actor)?;
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let body: Option<String> = sqlx::query("SELECT body FROM published_results WHERE id = $1")
            .bind(id)
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
        let Some(body) = body else {
            return Err(StoreError::NotFound(Missing::PublishedResult(id)));
        };
        sqlx::query("DELETE FROM published_results WHERE id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            self.backend,
            NewEntry {
                actor,
                action: "delete-published-result",
                inspection: None,
                entity: &format!("published:{id}"),
                before: Some(body),
                after: None,
                reason: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
