//! The report's text as stored: the narrative files and the judged ratings with their rationale,
//! read and saved one at a time. Each is versioned (a save names the version it was based on, 0
//! for one not yet written; a stale save is refused with who saved it since and nothing written)
//! and audited with its real before and after in the same transaction. What a save may hold is
//! core's rule: a narrative file name of the inspection's kind and text within the text rule; a
//! rating the framework has, for a judged standard of the kind. A published inspection's text is
//! frozen. An empty narrative body removes the file.

use casework_core::Framework;
use casework_core::framework::Basis;
use casework_core::text;
use serde::Serialize;
use serde_json::json;
use sqlx::{Any, Row, Transaction};

use crate::audit::{NewEntry, append};
use crate::error::{Missing, StoreError};
use crate::guard;
use crate::handle::Store;

/// One narrative file of an inspection; `version` 0 and an empty body where none is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct NarrativeFile {
    pub name: String,
    pub body: String,
    pub version: i64,
}

/// One judged standard's rating as stored: the rating id, the rationale (if any) and its version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct JudgedRating {
    pub standard: String,
    pub rating: String,
    pub rationale: Option<String>,
    pub version: i64,
}

/// The inspection a save names: its row id, kind, framework and whether it is frozen (published).
pub(crate) struct Target {
    pub(crate) id: i64,
    pub(crate) kind: String,
    pub(crate) fw: std::sync::Arc<Framework>,
    published: bool,
}

impl Store {
    pub(crate) async fn target(&self, slug: &str) -> Result<Target, StoreError> {
        let row = sqlx::query(
            "SELECT id, kind, framework_hash, \
             CASE WHEN stage = 'published' THEN 1 ELSE 0 END FROM inspections WHERE slug = $1",
        )
        .bind(slug.to_string())
        .fetch_optional(&self.pool)
        .await?
        .ok_or_else(|| StoreError::NotFound(Missing::Inspection(slug.to_string())))?;
        Ok(Target {
            id: row.try_get(0)?,
            kind: row.try_get(1)?,
            fw: self
                .framework_by_hash(&self.pool, &row.try_get::<String, _>(2)?)
                .await?,
            published: row.try_get::<i64, _>(3)? != 0,
        })
    }

    /// Every narrative file an inspection of its kind may hold, in report order, with what is
    /// written (empty and version 0 where nothing is).
    pub async fn narrative(&self, slug: &str) -> Result<Vec<NarrativeFile>, StoreError> {
        let t = self.target(slug).await?;
        let rows =
            sqlx::query("SELECT name, body, version FROM narrative WHERE inspection_id = $1")
                .bind(t.id)
                .fetch_all(&self.pool)
                .await?;
        let mut written = std::collections::HashMap::new();
        for r in rows {
            written.insert(
                r.try_get::<String, _>(0)?,
                (r.try_get::<String, _>(1)?, r.try_get::<i64, _>(2)?),
            );
        }
        Ok(casework_core::narrative::known_files(&t.fw, &t.kind)
            .into_iter()
            .map(|name| {
                let (body, version) = written.remove(&name).unwrap_or_default();
                NarrativeFile {
                    name,
                    body,
                    version,
                }
            })
            .collect())
    }

    /// Saves narrative file `name` as `body` (empty removes it), based on `expected_version`;
    /// returns its new version (0 when removed). A save that changes nothing records nothing.
    pub async fn set_narrative(
        &self,
        slug: &str,
        name: &str,
        body: &str,
        expected_version: i64,
        actor: &str,
    ) -> Result<i64, StoreError> {
        guard::actor(actor)?;
        let t = self.target(slug).await?;
        casework_core::narrative::check_file(&t.fw, &t.kind, name, body)
            .map_err(StoreError::Invalid)?;
        frozen(&t, slug)?;
        let entity = format!("narrative:{slug}:{name}");
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let current = sqlx::query(
            "SELECT body, version FROM narrative WHERE inspection_id = $1 AND name = $2",
        )
        .bind(t.id)
        .bind(name.to_string())
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| Ok::<_, StoreError>((r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)?)))
        .transpose()?;
        let (before, version) = current.clone().unwrap_or_default();
        if version != expected_version {
            return Err(self
                .stale(
                    &mut tx,
                    &format!("The narrative file {name}"),
                    &entity,
                    expected_version,
                    version,
                )
                .await);
        }
        if before == body {
            return Ok(version);
        }
        let after_version = if body.is_empty() {
            sqlx::query("DELETE FROM narrative WHERE inspection_id = $1 AND name = $2")
                .bind(t.id)
                .bind(name.to_string())
                .execute(&mut *tx)
                .await?;
            0
        } else if current.is_some() {
            let done = sqlx::query(
                "UPDATE narrative SET body = $1, version = version + 1 \
                 WHERE inspection_id = $2 AND name = $3 AND version = $4",
            )
            .bind(body.to_string())
            .bind(t.id)
            .bind(name.to_string())
            .bind(version)
            .execute(&mut *tx)
            .await?;
            if done.rows_affected() != 1 {
                return Err(StoreError::Conflict(format!(
                    "{name} was saved by someone else at the same moment; reload and try again"
                )));
            }
            version + 1
        } else {
            sqlx::query("INSERT INTO narrative (inspection_id, name, body) VALUES ($1, $2, $3)")
                .bind(t.id)
                .bind(name.to_string())
                .bind(body.to_string())
                .execute(&mut *tx)
                .await?;
            1
        };
        let side =
            |body: &str, version: i64| json!({ "body": body, "version": version }).to_string();
        append(
            &mut tx,
            self.backend,
            NewEntry {
                actor,
                action: "set-narrative",
                inspection: Some(slug),
                entity: &entity,
                before: Some(side(&before, version)),
                after: Some(side(body, after_version)),
                reason: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(after_version)
    }

    /// The judged standards of the inspection's kind, in framework order, with their ratings.
    pub async fn judged(&self, slug: &str) -> Result<Vec<JudgedRating>, StoreError> {
        let t = self.target(slug).await?;
        let rows = sqlx::query(
            "SELECT standard, rating, rationale, version FROM judged_ratings WHERE inspection_id = $1",
        )
        .bind(t.id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = Vec::new();
        for code in judged_codes(&t) {
            let Some(r) = rows
                .iter()
                .find(|r| r.try_get::<String, _>(0).is_ok_and(|s| s == code))
            else {
                continue;
            };
            out.push(JudgedRating {
                standard: code,
                rating: r.try_get(1)?,
                rationale: r.try_get(2)?,
                version: r.try_get(3)?,
            });
        }
        Ok(out)
    }

    /// Saves judged standard `standard`'s rating and rationale (blank: none), based on
    /// `expected_version`; returns the new version. A save that changes nothing records nothing.
    pub async fn set_judged(
        &self,
        slug: &str,
        standard: &str,
        rating: &str,
        rationale: Option<&str>,
        expected_version: i64,
        actor: &str,
    ) -> Result<i64, StoreError> {
        guard::actor(actor)?;
        let t = self.target(slug).await?;
        if !judged_codes(&t).iter().any(|c| c == standard) {
            return Err(StoreError::Invalid(format!(
                "'{standard}' is not a judged standard of a {} inspection",
                t.kind
            )));
        }
        if t.fw.rating(rating).is_none() {
            return Err(StoreError::Invalid(format!("'{rating}' is not a rating")));
        }
        let rationale = rationale.map(str::trim).filter(|r| !r.is_empty());
        if let Some(r) = rationale {
            text::check_note(r).map_err(|p| StoreError::Invalid(format!("the rationale {p}")))?;
        }
        frozen(&t, slug)?;
        let entity = format!("judged:{slug}:{standard}");
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let row = sqlx::query(
            "SELECT rating, rationale, version FROM judged_ratings \
             WHERE inspection_id = $1 AND standard = $2",
        )
        .bind(t.id)
        .bind(standard.to_string())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::Corrupt(format!("no rating stored for {standard}")))?;
        let (before_rating, before_rationale, version): (String, Option<String>, i64) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        if version != expected_version {
            return Err(self
                .stale(
                    &mut tx,
                    &format!("The rating of {standard}"),
                    &entity,
                    expected_version,
                    version,
                )
                .await);
        }
        if before_rating == rating && before_rationale.as_deref() == rationale {
            return Ok(version);
        }
        sqlx::query(
            "UPDATE judged_ratings SET rating = $1, rationale = $2, version = version + 1 \
             WHERE inspection_id = $3 AND standard = $4 AND version = $5",
        )
        .bind(rating.to_string())
        .bind(rationale.map(str::to_string))
        .bind(t.id)
        .bind(standard.to_string())
        .bind(version)
        .execute(&mut *tx)
        .await?;
        let side = |rating: &str, rationale: Option<&str>, version: i64| {
            json!({ "rating": rating, "rationale": rationale, "version": version }).to_string()
        };
        append(
            &mut tx,
            self.backend,
            NewEntry {
                actor,
                action: "set-judged",
                inspection: Some(slug),
                entity: &entity,
                before: Some(side(&before_rating, before_rationale.as_deref(), version)),
                after: Some(side(rating, rationale, version + 1)),
                reason: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(version + 1)
    }

    /// A stale save's error: who saved `entity` last, and when.
    async fn stale(
        &self,
        tx: &mut Transaction<'_, Any>,
        what: &str,
        entity: &str,
        expected: i64,
        current: i64,
    ) -> StoreError {
        let last = sqlx::query(
            "SELECT actor, at FROM audit_log WHERE entity = $1 ORDER BY seq DESC LIMIT 1",
        )
        .bind(entity.to_string())
        .fetch_optional(&mut **tx)
        .await
        .ok()
        .flatten();
        let changes = last
            .and_then(|r| {
                Some(format!(
                    "saved by {} at {}",
                    r.try_get::<String, _>(0).ok()?,
                    r.try_get::<String, _>(1).ok()?
                ))
            })
            .into_iter()
            .collect();
        StoreError::StaleVersion {
            case: what.to_string(),
            expected,
            current,
            changes,
        }
    }
}

/// The judged standards of the target's kind, in framework order.
fn judged_codes(t: &Target) -> Vec<String> {
    t.fw.kind(&t.kind)
        .map(|k| {
            k.standards
                .iter()
                .filter(|c| t.fw.standard(c).is_some_and(|s| s.basis == Basis::Judged))
                .cloned()
                .collect()
        })
        .unwrap_or_default()
}

/// A published inspection's report text does not change.
fn frozen(t: &Target, slug: &str) -> Result<(), StoreError> {
    if t.published {
        return Err(StoreError::Conflict(format!(
            "'{slug}' is published; its report text is frozen (reopen it for correction first)"
        )));
    }
    Ok(())
}
