//! Publication as the Inspectorate does it (issue 15): moving an inspection between the stages
//! `stage` defines, publishing it, and each published version's files. Publishing needs every case complete and every factual-accuracy comment resolved, and is
//! refused when the inspection changed after the files were made from it. Each version's HTML,
//! PDF, data workbook and ratings JSON are stored as published, with their SHA-256, and served
//! from here, never made again. The stage applies to an inspection and its PDU inspections
//! together; `inspections.published` (what readers may see) follows it in the same statement.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{Any, Row, Transaction};

use crate::audit::{Chain, NewEntry, now};
use crate::error::{Missing, StoreError};
use crate::guard;
use crate::handle::Store;
use crate::stage::{NeedsReason, Stage, stage_move};

/// The files of one published version, as made from the inspection.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublishedFiles {
    pub html: String,
    pub pdf: Vec<u8>,
    pub workbook: Vec<u8>,
    /// The ratings as JSON (`casework_core::Ratings`).
    pub ratings: String,
}

/// One published version: who published it, when, why (a correction's reason), the store revision
/// its files were made at, and each file's SHA-256 (lower-case hex).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Publication {
    pub version: i64,
    pub published_at: String,
    pub published_by: String,
    pub reason: Option<String>,
    pub revision: i64,
    pub html_sha256: String,
    pub pdf_sha256: String,
    pub workbook_sha256: String,
    pub ratings_sha256: String,
}

/// An inspection's stage, its published versions (oldest first), and what stands in the way of
/// publishing it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PublicationState {
    pub stage: Stage,
    pub versions: Vec<Publication>,
    /// Cases still in progress (the inspection's and its PDU inspections').
    pub in_progress: usize,
    /// Factual-accuracy comments not yet resolved.
    pub unresolved: usize,
}

impl PublicationState {
    /// Why it cannot be published now, in words; empty when it can.
    pub fn blockers(&self) -> Vec<String> {
        let mut out = Vec::new();
        match self.stage {
            Stage::FactualAccuracy | Stage::Correction => {}
            Stage::Draft => out.push(
                "the factual-accuracy check has not started: the inspected organisation reads the draft first".into(),
            ),
            Stage::Published => out.push("it is published; reopen it for correction first".into()),
        }
        match self.in_progress {
            0 => {}
            1 => out.push("1 case is still in progress".into()),
            n => out.push(format!("{n} cases are still in progress")),
        }
        match self.unresolved {
            0 => {}
            1 => out.push("1 factual-accuracy comment is not resolved".into()),
            n => out.push(format!("{n} factual-accuracy comments are not resolved")),
        }
        out
    }

    /// The version a publication now would be.
    pub fn next_version(&self) -> i64 {
        self.versions.last().map_or(1, |v| v.version + 1)
    }
}

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

const PUBLICATION_COLUMNS: &str = "version, published_at, published_by, reason, revision, \
     html_sha256, pdf_sha256, workbook_sha256, ratings_sha256";

fn publication_of(r: &sqlx::any::AnyRow) -> Result<Publication, StoreError> {
    Ok(Publication {
        version: r.try_get(0)?,
        published_at: r.try_get(1)?,
        published_by: r.try_get(2)?,
        reason: r.try_get(3)?,
        revision: r.try_get(4)?,
        html_sha256: r.try_get(5)?,
        pdf_sha256: r.try_get(6)?,
        workbook_sha256: r.try_get(7)?,
        ratings_sha256: r.try_get(8)?,
    })
}

impl Store {
    /// The row id and stage of inspection `slug`.
    pub(crate) async fn stage_of(
        &self,
        ex: impl sqlx::Executor<'_, Database = Any>,
        slug: &str,
    ) -> Result<(i64, Stage), StoreError> {
        let row = sqlx::query("SELECT id, stage FROM inspections WHERE slug = $1")
            .bind(slug.to_string())
            .fetch_optional(ex)
            .await?
            .ok_or_else(|| StoreError::NotFound(Missing::Inspection(slug.to_string())))?;
        let stage: String = row.try_get(1)?;
        let stage = Stage::parse(&stage)
            .ok_or_else(|| StoreError::Corrupt(format!("unknown stage '{stage}' of {slug}")))?;
        Ok((row.try_get(0)?, stage))
    }

    /// The inspection's stage, published versions and what stands in the way of publishing.
    pub async fn publication_state(&self, slug: &str) -> Result<PublicationState, StoreError> {
        let (id, stage) = self.stage_of(&self.pool, slug).await?;
        let versions = sqlx::query(&format!(
            "SELECT {PUBLICATION_COLUMNS} FROM publications WHERE inspection_id = $1 ORDER BY version"
        ))
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(publication_of)
        .collect::<Result<_, _>>()?;
        let unresolved: i64 = sqlx::query(
            "SELECT COUNT(*) FROM factual_accuracy_comments \
             WHERE inspection_id = $1 AND resolution IS NULL",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?
        .try_get(0)?;
        let in_progress = self.load_shared(slug).await?.inspection.in_progress();
        Ok(PublicationState {
            stage,
            versions,
            in_progress,
            unresolved: usize::try_from(unresolved).unwrap_or(usize::MAX),
        })
    }

    /// Moves the inspection (and its PDU inspections) to stage `to`, as [`stage_move`] allows:
    /// start or leave the factual-accuracy check, reopen a published inspection for correction,
    /// withdraw it. Audited with the reason (required where [`stage_move`] says so).
    pub async fn set_stage(
        &self,
        slug: &str,
        to: Stage,
        reason: Option<&str>,
        actor: &str,
    ) -> Result<(), StoreError> {
        guard::actor(actor)?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        guard::reason(reason)?;
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let (id, from) = self.stage_of(&mut *tx, slug).await?;
        let NeedsReason(needs) = stage_move(from, to).map_err(StoreError::Conflict)?;
        if needs && reason.is_none() {
            return Err(StoreError::Invalid(format!(
                "moving '{slug}' from {} to {} needs a reason",
                from.label(),
                to.label()
            )));
        }
        // The first write takes SQLite's write lock, which the audit chain needs held.
        move_group(&mut tx, id, from, to).await?;
        let mut chain = Chain::lock(&mut tx, self.backend).await?;
        chain
            .append_all(
                &mut tx,
                &[NewEntry {
                    actor,
                    action: "set-stage",
                    inspection: Some(slug),
                    entity: &format!("inspection:{slug}"),
                    before: Some(serde_json::json!({ "stage": from.as_str() }).to_string()),
                    after: Some(serde_json::json!({ "stage": to.as_str() }).to_string()),
                    reason,
                }],
            )
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Publishes `files`, made from the inspection as stored at revision `based_on`, as its next
    /// version; returns the version. Refused, with nothing written, when the stage is not the
    /// factual-accuracy check or a correction, a case is in progress, a factual-accuracy comment
    /// is unresolved, a correction gives no reason, or the inspection (or a PDU inspection of it)
    /// changed after `based_on`.
    pub async fn publish(
        &self,
        slug: &str,
        files: &PublishedFiles,
        based_on: i64,
        reason: Option<&str>,
        actor: &str,
    ) -> Result<i64, StoreError> {
        guard::actor(actor)?;
        let reason = reason.map(str::trim).filter(|r| !r.is_empty());
        guard::reason(reason)?;
        let state = self.publication_state(slug).await?;
        let blockers = state.blockers();
        if !blockers.is_empty() {
            return Err(StoreError::Conflict(format!(
                "'{slug}' cannot be published: {}",
                blockers.join("; ")
            )));
        }
        if state.stage == Stage::Correction && reason.is_none() {
            return Err(StoreError::Invalid(
                "a correction needs its reason: it is shown on the report".into(),
            ));
        }
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let (id, from) = self.stage_of(&mut *tx, slug).await?;
        if from != state.stage {
            return Err(StoreError::Conflict(format!(
                "'{slug}' moved to the stage {} meanwhile; nothing was published",
                from.label()
            )));
        }
        // The first write takes SQLite's write lock; the chain's lock then keeps every other
        // change out until this commits, so the check below stays true.
        move_group(&mut tx, id, from, Stage::Published).await?;
        let mut chain = Chain::lock(&mut tx, self.backend).await?;
        changed_since(&mut tx, id, slug, based_on).await?;
        let version: i64 = sqlx::query(
            "SELECT COALESCE(MAX(version), 0) + 1 FROM publications WHERE inspection_id = $1",
        )
        .bind(id)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        let record = Publication {
            version,
            published_at: now(),
            published_by: actor.to_string(),
            reason: reason.map(str::to_string),
            revision: based_on,
            html_sha256: sha256_hex(files.html.as_bytes()),
            pdf_sha256: sha256_hex(&files.pdf),
            workbook_sha256: sha256_hex(&files.workbook),
            ratings_sha256: sha256_hex(files.ratings.as_bytes()),
        };
        sqlx::query(&format!(
            "INSERT INTO publications (inspection_id, {PUBLICATION_COLUMNS}, html, pdf, workbook, \
             ratings) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)"
        ))
        .bind(id)
        .bind(record.version)
        .bind(record.published_at.clone())
        .bind(record.published_by.clone())
        .bind(record.reason.clone())
        .bind(record.revision)
        .bind(record.html_sha256.clone())
        .bind(record.pdf_sha256.clone())
        .bind(record.workbook_sha256.clone())
        .bind(record.ratings_sha256.clone())
        .bind(files.html.clone())
        .bind(files.pdf.clone())
        .bind(files.workbook.clone())
        .bind(files.ratings.clone())
        .execute(&mut *tx)
        .await?;
        let after = serde_json::json!({
            "stage": Stage::Published.as_str(),
            "version": record.version,
            "revision": record.revision,
            "html_sha256": record.html_sha256,
            "pdf_sha256": record.pdf_sha256,
            "workbook_sha256": record.workbook_sha256,
            "ratings_sha256": record.ratings_sha256,
        });
        chain
            .append_all(
                &mut tx,
                &[NewEntry {
                    actor,
                    action: "publish",
                    inspection: Some(slug),
                    entity: &format!("inspection:{slug}"),
                    before: Some(serde_json::json!({ "stage": from.as_str() }).to_string()),
                    after: Some(after.to_string()),
                    reason,
                }],
            )
            .await?;
        // The caseload extract and the unused reserves go now: only the drawn cases are kept.
        self.minimise_sample(&mut tx, id, slug, actor).await?;
        tx.commit().await?;
        Ok(version)
    }

    /// Published version `version` (the newest when `None`) with its files, as published;
    /// `None` when there is no such version.
    pub async fn published_files(
        &self,
        slug: &str,
        version: Option<i64>,
    ) -> Result<Option<(Publication, PublishedFiles)>, StoreError> {
        let (id, _) = self.stage_of(&self.pool, slug).await?;
        let which = if version.is_some() {
            "AND version = $2"
        } else {
            ""
        };
        let sql = format!(
            "SELECT {PUBLICATION_COLUMNS}, html, pdf, workbook, ratings FROM publications \
             WHERE inspection_id = $1 {which} ORDER BY version DESC LIMIT 1"
        );
        let mut query = sqlx::query(&sql).bind(id);
        if let Some(v) = version {
            query = query.bind(v);
        }
        let row = query.fetch_optional(&self.pool).await?;
        row.map(|r| {
            Ok((
                publication_of(&r)?,
                PublishedFiles {
                    html: r.try_get(9)?,
                    pdf: r.try_get(10)?,
                    workbook: r.try_get(11)?,
                    ratings: r.try_get(12)?,
                },
            ))
        })
        .transpose()
    }
}

/// Sets the stage of inspection `id` and its PDU inspections to `to`, and what readers see with
/// it, provided the named one is still at `from`.
async fn move_group(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    from: Stage,
    to: Stage,
) -> Result<(), StoreError> {
    let moved = sqlx::query(
        "UPDATE inspections SET stage = $1, published = $2 WHERE id = $3 AND stage = $4",
    )
    .bind(to.as_str())
    .bind(i64::from(to.visible()))
    .bind(id)
    .bind(from.as_str())
    .execute(&mut **tx)
    .await?;
    if moved.rows_affected() != 1 {
        return Err(StoreError::Conflict(
            "the inspection's stage changed meanwhile; nothing was changed".into(),
        ));
    }
    sqlx::query("UPDATE inspections SET stage = $1, published = $2 WHERE parent_id = $3")
        .bind(to.as_str())
        .bind(i64::from(to.visible()))
        .bind(id)
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Refuses when inspection `id` (`slug`) or a PDU inspection of it changed after revision
/// `based_on`. The audit chain is locked, so no change can commit between this and the caller's.
async fn changed_since(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    slug: &str,
    based_on: i64,
) -> Result<(), StoreError> {
    let changes: i64 = sqlx::query(
        "SELECT COUNT(*) FROM audit_log WHERE seq > $1 AND (inspection = $2 \
         OR inspection IN (SELECT slug FROM inspections WHERE parent_id = $3))",
    )
    .bind(based_on)
    .bind(slug.to_string())
    .bind(id)
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    if changes > 0 {
        return Err(StoreError::Conflict(format!(
            "'{slug}' changed after its report was made ({changes} change(s)); nothing was published: make it again"
        )));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn blockers_name_every_reason_and_none_when_ready() {
        let mut state = PublicationState {
            stage: Stage::FactualAccuracy,
            versions: Vec::new(),
            in_progress: 0,
            unresolved: 0,
        };
        assert!(state.blockers().is_empty());
        assert_eq!(state.next_version(), 1);
        state.in_progress = 2;
        state.unresolved = 1;
        state.stage = Stage::Draft;
        let b = state.blockers();
        assert_eq!(b.len(), 3, "{b:?}");
        assert!(b[1].contains("2 cases") && b[2].contains("1 factual-accuracy comment"));
        for stage in Stage::ALL {
            assert_eq!(Stage::parse(stage.as_str()), Some(stage));
        }
    }
}
