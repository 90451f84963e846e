//! The case sample of an inspection (issue 16): its caseload extract (only the fields Casework
//! reads, as CSV), the draw (specification, seed, algorithm, population, size) and each drawn
//! case's place in it: drawn or reserve, in the sample, excluded at fieldwork with its reason, or
//! a reserve that replaced an excluded case. Recording a draw creates the drawn cases as cases in
//! progress with their attributes, allocated to inspectors; replacing a case removes the excluded
//! case and its answers (so it leaves every count) and brings in its stratum's next reserve. All
//! in one transaction each, audited. Publication deletes the extract and the unused reserves,
//! recording why (`publication`). Recording a draw is `record`; exclusion and replacement, and
//! what publication deletes, `replace`.

mod record;
mod replace;

pub use record::new_sample_cases;

use std::collections::BTreeMap;

use casework_core::case::CaseRecord;
use serde::Serialize;
use serde_json::json;
use sqlx::{Any, Row, Transaction};

use crate::audit::{NewEntry, append, now};
use crate::error::StoreError;
use crate::guard;
use crate::handle::Store;
use crate::stage::Stage;

/// Why publication deletes an extract.
pub const PUBLISHED_REASON: &str =
    "the inspection is published: only the drawn cases are kept (data minimisation)";

/// An inspection's stored caseload extract.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredExtract {
    pub file_name: String,
    /// The column mapping it was read with (TOML).
    pub mapping: String,
    pub cases: u64,
    /// The fields read, as CSV; `None` once deleted.
    pub body: Option<String>,
    pub loaded_by: String,
    pub loaded_at: String,
    pub deleted_at: Option<String>,
    pub deleted_reason: Option<String>,
}

/// A case of a draw, to record.
#[derive(Debug, Clone)]
pub struct NewSampleCase {
    pub case_ref: String,
    /// The stratum's key, its values joined by " / ".
    pub stratum: String,
    pub reserve: bool,
    /// Order within its stratum's drawn cases or reserves, from 1.
    pub position: u64,
    /// The case's sentence type and Probation Reset weeks (its id is `case_ref`).
    pub record: CaseRecord,
    pub attributes: BTreeMap<String, String>,
    /// For a drawn case: the inspector it is allocated to.
    pub inspector: Option<String>,
}

/// A draw, to record.
#[derive(Debug, Clone)]
pub struct NewDraw<'a> {
    pub instrument: &'a str,
    /// The specification's TOML, windows included.
    pub specification: &'a str,
    pub seed: u64,
    pub algorithm: &'a str,
    pub population: u64,
    pub size: u64,
    /// The confidence level of the size rule, as written ("0.8").
    pub confidence: String,
    pub cases: Vec<NewSampleCase>,
}

/// A sampled case's place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SampleCase {
    pub case_ref: String,
    pub stratum: String,
    /// `drawn` or `reserve`: how it was drawn.
    pub role: String,
    pub position: u64,
    /// `in-sample`, `reserve` (not used) or `excluded`.
    pub status: String,
    pub reason: Option<String>,
    /// For a reserve brought in: the excluded case it replaces.
    pub replaces: Option<String>,
}

/// An inspection's recorded draw.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CaseSample {
    pub instrument: String,
    pub specification: String,
    pub seed: u64,
    pub algorithm: String,
    pub population: u64,
    pub size: u64,
    pub confidence: String,
    pub drawn_by: String,
    pub drawn_at: String,
    /// Strata in key order, then drawn cases before reserves, by position.
    pub cases: Vec<SampleCase>,
}

impl CaseSample {
    /// The cases in the sample now (drawn, less the excluded, plus the reserves brought in).
    pub fn in_sample(&self) -> impl Iterator<Item = &SampleCase> {
        self.cases.iter().filter(|c| c.status == "in-sample")
    }
}

/// A replacement made: the excluded case and the reserve that took its place, if one was left.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Replacement {
    pub excluded: String,
    pub replacement: Option<String>,
}

fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or_default()
}

impl Store {
    /// Stores inspection `slug`'s caseload extract (replacing one stored before), audited with
    /// its file name and size only. `body` is the fields read, as CSV.
    ///
    /// Errors: a published inspection; a sample already drawn (the extract it was drawn from is
    /// kept as it was).
    pub async fn store_caseload_extract(
        &self,
        slug: &str,
        file_name: &str,
        mapping: &str,
        body: &str,
        cases: u64,
        actor: &str,
    ) -> Result<(), StoreError> {
        guard::actor(actor)?;
        guard::line("file name", file_name, casework_core::text::LINE_MAX_CHARS)?;
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let id = self.open_unpublished(&mut tx, slug).await?;
        if self.draw_exists(&mut tx, id).await? {
            return Err(StoreError::Conflict(format!(
                "{slug}'s sample is drawn: its extract stays as it was drawn from"
            )));
        }
        sqlx::query("DELETE FROM caseload_extracts WHERE inspection_id = $1")
            .bind(id)
            .execute(&mut *tx)
            .await?;
        sqlx::query(
            "INSERT INTO caseload_extracts (inspection_id, file_name, mapping, cases, body, \
             loaded_by, loaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7)",
        )
        .bind(id)
        .bind(file_name.to_string())
        .bind(mapping.to_string())
        .bind(i64::try_from(cases).unwrap_or(i64::MAX))
        .bind(body.to_string())
        .bind(actor.to_string())
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let after = json!({ "file": file_name, "cases": cases }).to_string();
        self.audit_sample(&mut tx, actor, "load-caseload-extract", slug, &after, None)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Inspection `slug`'s caseload extract, if one was stored (its body `None` once deleted).
    pub async fn caseload_extract(&self, slug: &str) -> Result<Option<StoredExtract>, StoreError> {
        let (id, _) = self.stage_of(&self.pool, slug).await?;
        let Some(row) = sqlx::query(
            "SELECT file_name, mapping, cases, body, loaded_by, loaded_at, deleted_at, \
             deleted_reason FROM caseload_extracts WHERE inspection_id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        Ok(Some(StoredExtract {
            file_name: row.try_get(0)?,
            mapping: row.try_get(1)?,
            cases: count(row.try_get(2)?),
            body: row.try_get(3)?,
            loaded_by: row.try_get(4)?,
            loaded_at: row.try_get(5)?,
            deleted_at: row.try_get(6)?,
            deleted_reason: row.try_get(7)?,
        }))
    }

    /// Inspection `slug`'s draw, if one was recorded.
    pub async fn case_sample(&self, slug: &str) -> Result<Option<CaseSample>, StoreError> {
        let (id, _) = self.stage_of(&self.pool, slug).await?;
        let Some(row) = sqlx::query(
            "SELECT instrument, specification, seed, algorithm, population, size, confidence, \
             drawn_by, drawn_at FROM sample_draws WHERE inspection_id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let rows = sqlx::query(
            "SELECT case_ref, stratum, role, position, status, reason, replaces FROM sample_cases \
             WHERE inspection_id = $1 ORDER BY stratum, role, position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let cases = rows
            .iter()
            .map(|r| {
                Ok(SampleCase {
                    case_ref: r.try_get(0)?,
                    stratum: r.try_get(1)?,
                    role: r.try_get(2)?,
                    position: count(r.try_get(3)?),
                    status: r.try_get(4)?,
                    reason: r.try_get(5)?,
                    replaces: r.try_get(6)?,
                })
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some(CaseSample {
            instrument: row.try_get(0)?,
            specification: row.try_get(1)?,
            seed: count(row.try_get(2)?),
            algorithm: row.try_get(3)?,
            population: count(row.try_get(4)?),
            size: count(row.try_get(5)?),
            confidence: row.try_get(6)?,
            drawn_by: row.try_get(7)?,
            drawn_at: row.try_get(8)?,
            cases,
        }))
    }

    /// The inspection's id, its row locked for this transaction; refused once published.
    pub(super) async fn open_unpublished(
        &self,
        tx: &mut Transaction<'_, Any>,
        slug: &str,
    ) -> Result<i64, StoreError> {
        sqlx::query("UPDATE inspections SET stage = stage WHERE slug = $1")
            .bind(slug.to_string())
            .execute(&mut **tx)
            .await?;
        let (id, stage) = self.stage_of(&mut **tx, slug).await?;
        if stage == Stage::Published {
            return Err(StoreError::Conflict(format!("{slug} is published")));
        }
        Ok(id)
    }

    pub(super) async fn draw_exists(
        &self,
        tx: &mut Transaction<'_, Any>,
        id: i64,
    ) -> Result<bool, StoreError> {
        Ok(
            sqlx::query("SELECT 1 FROM sample_draws WHERE inspection_id = $1")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?
                .is_some(),
        )
    }

    pub(super) async fn audit_sample(
        &self,
        tx: &mut Transaction<'_, Any>,
        actor: &str,
        action: &str,
        slug: &str,
        after: &str,
        reason: Option<&str>,
    ) -> Result<(), StoreError> {
        append(
            tx,
            self.backend,
            NewEntry {
                actor,
                action,
                inspection: Some(slug),
                entity: &format!("case-sample:{slug}"),
                before: None,
                after: Some(after.to_string()),
                reason,
            },
        )
        .await?;
        Ok(())
    }
}
