//! Inspections in the store: import (an inspection and its PDU inspections, in one transaction, with
//! an audit entry each), load back into core types for rating and export, and list.

use std::collections::{BTreeMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::Ordering;

use casework_core::case::{CaseRecord, CaseSet, Oversight, SentenceType};
use casework_core::framework::Framework;
use casework_core::{Answer, Inspection};
use serde::Serialize;
use sqlx::any::{AnyArguments, AnyRow};
use sqlx::query::Query;
use sqlx::{Any, Row, Transaction};

use crate::answer_codes;
use crate::audit::{NewEntry, append};
use crate::error::{Missing, StoreError};
use crate::guard;
use crate::handle::{Backend, Store};
use crate::loaded::{Loaded, Slot};
use crate::sql::placeholders;

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub slug: String,
    /// The inspection and its PDU inspections.
    pub inspections: usize,
    pub cases: usize,
}

/// One row of `casework list`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredInspection {
    pub slug: String,
    pub kind: String,
    pub unit: String,
    pub framework: String,
    pub parent: Option<String>,
    pub cases: i64,
    pub published: bool,
}

/// Cases inserted per statement: well under SQLite's and PostgreSQL's bound-parameter limits.
const BATCH: usize = 500;

/// A PDU inspection's id: its region's, then the last part of its path made into an id segment.
fn child_slug(parent: &str, path: &str, index: usize, taken: &mut HashSet<String>) -> String {
    let base = path
        .trim_end_matches('/')
        .rsplit('/')
        .next()
        .and_then(casework_core::text::inspection_id_from)
        .filter(|b| !b.contains('/'))
        .unwrap_or_else(|| "unit".to_string());
    let mut slug = format!("{parent}/{base}");
    if !taken.insert(slug.clone()) {
        slug = format!("{parent}/{base}-{}", index + 1);
        taken.insert(slug.clone());
    }
    slug
}

const CASE_COLUMNS: usize = 9;

/// `INSERT INTO cases ... VALUES (..), (..)` for `rows` rows.
fn batch_insert_sql(backend: Backend, rows: usize) -> String {
    format!(
        "INSERT INTO cases (inspection_id, instrument, position, case_ref, sentence, reset_weeks, \
         oversight, notes, answers) VALUES {}",
        placeholders(backend, rows, CASE_COLUMNS)
    )
}

/// One case to insert: its position in its set, its record and its answer codes.
type CaseRow<'a> = (usize, &'a CaseRecord, &'a str);

/// Binds a batch of cases to `query` (from [`batch_insert_sql`]), borrowing every text.
fn bind_cases<'q>(
    mut query: Query<'q, Any, AnyArguments<'q>>,
    inspection_id: i64,
    instrument: &'q str,
    chunk: &[CaseRow<'q>],
) -> Query<'q, Any, AnyArguments<'q>> {
    for &(position, case, codes) in chunk {
        query = query
            .bind(inspection_id)
            .bind(instrument)
            .bind(position as i64)
            .bind(case.id.as_str())
            .bind(case.sentence.map(|s| s.as_str()))
            .bind(case.reset_weeks.map(i64::from))
            .bind(case.oversight.map(|o| o.as_str()))
            .bind(case.notes.as_deref())
            .bind(codes);
    }
    query
}

impl Store {
    /// Imports an inspection (a region with its PDU inspections) under `slug`, all or nothing.
    pub async fn import(
        &self,
        fw: &Framework,
        inspection: &Inspection,
        slug: &str,
        actor: &str,
        reason: Option<&str>,
    ) -> Result<ImportSummary, StoreError> {
        self.import_with_progress(fw, inspection, slug, actor, reason, &|_| {})
            .await
    }

    /// [`Store::import`], calling `progress` with the number of cases written so far.
    pub async fn import_with_progress(
        &self,
        fw: &Framework,
        inspection: &Inspection,
        slug: &str,
        actor: &str,
        reason: Option<&str>,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<ImportSummary, StoreError> {
        guard::inspection_id(slug)?;
        guard::actor(actor)?;
        guard::reason(reason)?;
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        sqlx::query(
            "INSERT INTO frameworks (id, version, content_hash, body) VALUES ($1, $2, $3, $4) \
             ON CONFLICT DO NOTHING",
        )
        .bind(fw.id.clone())
        .bind(fw.version.clone())
        .bind(fw.content_hash().to_string())
        .bind(fw.source_text().to_string())
        .execute(&mut *tx)
        .await?;
        let mut summary = ImportSummary {
            slug: slug.to_string(),
            inspections: 0,
            cases: 0,
        };
        let id = self
            .insert_one(
                &mut tx,
                fw,
                inspection,
                slug,
                None,
                (actor, reason),
                &mut summary,
                progress,
            )
            .await?;
        let mut taken = HashSet::new();
        for (i, unit) in inspection.units.iter().enumerate() {
            let path = inspection.unit_paths.get(i).cloned().unwrap_or_default();
            let child = child_slug(slug, &path, i, &mut taken);
            self.insert_one(
                &mut tx,
                fw,
                unit,
                &child,
                Some((id, path.as_str(), i)),
                (actor, reason),
                &mut summary,
                progress,
            )
            .await?;
        }
        tx.commit().await?;
        Ok(summary)
    }

    #[allow(clippy::too_many_arguments)]
    async fn insert_one(
        &self,
        tx: &mut Transaction<'_, Any>,
        fw: &Framework,
        inspection: &Inspection,
        slug: &str,
        parent: Option<(i64, &str, usize)>,
        (actor, reason): (&str, Option<&str>),
        summary: &mut ImportSummary,
        progress: &(dyn Fn(usize) + Send + Sync),
    ) -> Result<i64, StoreError> {
        let exists = sqlx::query("SELECT 1 FROM inspections WHERE slug = $1")
            .bind(slug.to_string())
            .fetch_optional(&mut **tx)
            .await?;
        if exists.is_some() {
            return Err(StoreError::Conflict(format!(
                "an inspection '{slug}' is already stored; import under another id (--id) or remove it first"
            )));
        }
        let row = sqlx::query(
            "INSERT INTO inspections (slug, parent_id, unit_path, unit_order, framework_id, framework_version, \
             framework_hash, pinned_version, kind, unit, region, fieldwork_start, fieldwork_end) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id",
        )
        .bind(slug.to_string())
        .bind(parent.map(|p| p.0))
        .bind(parent.map(|p| p.1.to_string()))
        .bind(parent.map_or(0, |p| p.2 as i64))
        .bind(fw.id.clone())
        .bind(fw.version.clone())
        .bind(fw.content_hash().to_string())
        .bind(i64::from(inspection.framework_version.is_some()))
        .bind(inspection.kind.clone())
        .bind(inspection.unit.clone())
        .bind(inspection.region.clone())
        .bind(inspection.fieldwork_start.clone())
        .bind(inspection.fieldwork_end.clone())
        .fetch_one(&mut **tx)
        .await?;
        let id: i64 = row.try_get(0)?;
        for (standard, rating) in &inspection.judged {
            sqlx::query(
                "INSERT INTO judged_ratings (inspection_id, standard, rating) VALUES ($1, $2, $3)",
            )
            .bind(id)
            .bind(standard.clone())
            .bind(rating.clone())
            .execute(&mut **tx)
            .await?;
        }
        let mut counts = BTreeMap::new();
        for set in &inspection.cases {
            counts.insert(set.instrument.clone(), set.len());
            // Every case's codes in one string, so a bound value borrows its slice of it.
            let codes = answer_codes::encode(set.answer_table());
            let width = set.width();
            let rows: Vec<CaseRow<'_>> = set
                .cases()
                .iter()
                .enumerate()
                .map(|(i, case)| (i, case, &codes[i * width..(i + 1) * width]))
                .collect();
            let full_sql = batch_insert_sql(self.backend, BATCH);
            let sql_for = |len: usize| match len {
                BATCH => full_sql.clone(),
                short => batch_insert_sql(self.backend, short),
            };
            let mut chunks = rows.chunks(BATCH);
            let mut next = chunks.next().map(|c| (sql_for(c.len()), c));
            let mut written = 0;
            // While the database writes one batch, this thread binds the next.
            while let Some((sql, chunk)) = next.take() {
                let query = bind_cases(sqlx::query(&sql), id, &set.instrument, chunk);
                let (done, following) = tokio::join!(query.execute(&mut **tx), async {
                    chunks.next().map(|c| (sql_for(c.len()), c))
                });
                done?;
                next = following;
                written += chunk.len();
                progress(summary.cases + written);
            }
            summary.cases += set.len();
        }
        summary.inspections += 1;
        let after = serde_json::json!({
            "kind": inspection.kind,
            "unit": inspection.unit,
            "framework": format!("{}@{}#{}", fw.id, fw.version, fw.content_hash()),
            "judged": inspection.judged,
            "cases": counts,
        })
        .to_string();
        append(
            tx,
            self.backend,
            NewEntry {
                actor,
                action: "import",
                inspection: Some(slug),
                entity: "inspection",
                before: None,
                after: Some(after),
                reason,
            },
        )
        .await?;
        Ok(id)
    }

    /// Loads a stored inspection (with its PDU inspections) and the exact framework it is pinned to.
    pub async fn load(&self, slug: &str) -> Result<(Inspection, Framework), StoreError> {
        let loaded = self.load_shared(slug).await?;
        Ok((
            Inspection::clone(&loaded.inspection),
            Framework::clone(&loaded.framework),
        ))
    }

    /// [`Store::load`], shared: held in memory at the store's current revision and read from the
    /// database only when something has changed since (see `loaded`).
    pub async fn load_shared(&self, slug: &str) -> Result<Loaded, StoreError> {
        let revision = self.revision().await?;
        self.load_at(slug, revision).await
    }

    /// [`Store::load_shared`] as of `revision` or later, without asking the database when the
    /// cache holds it: after an edit, its result ([`Edited::revision`](crate::Edited)) gives the
    /// inspection as that edit left it, which later changes may have overtaken.
    pub async fn load_shared_since(&self, slug: &str, revision: i64) -> Result<Loaded, StoreError> {
        match self.loaded.slot(slug).at(revision) {
            Some(hit) => Ok(hit),
            None => self.load_shared(slug).await,
        }
    }

    async fn load_at(&self, slug: &str, revision: i64) -> Result<Loaded, StoreError> {
        let slot = self.loaded.slot(slug);
        if let Some(hit) = slot.at(revision) {
            return Ok(hit);
        }
        let _loading = slot.loading.lock().await;
        if let Some(hit) = slot.at(revision) {
            return Ok(hit);
        }
        // An edit that has just committed brings entries forward before its write turn ends.
        drop(self.write_turn().await);
        if let Some(hit) = slot.at(revision) {
            return Ok(hit);
        }
        self.load_current(slug, &slot).await
    }

    /// Reads an inspection into `slot`, labelled with exactly the revision it was read at, so that
    /// this process's later edits keep it current (`loaded` brings forward only entries labelled
    /// with an edit's predecessor). The label is checked, and the entry kept, under the write turn,
    /// when no edit of this process can commit: a read that an edit overtook is read again, and
    /// after a few such races the read itself is made under the turn. Without this, under a steady
    /// stream of edits a reread inspection could trail the store for as long as the edits kept
    /// coming, and be reread on every request.
    async fn load_current(&self, slug: &str, slot: &Slot) -> Result<Loaded, StoreError> {
        const ATTEMPTS_WITHOUT_THE_TURN: usize = 3;
        let keep = |revision, (inspection, framework): (Inspection, Arc<Framework>)| {
            let loaded = Loaded {
                revision,
                inspection: Arc::new(inspection),
                framework,
            };
            slot.keep(&loaded);
            loaded
        };
        for _ in 0..ATTEMPTS_WITHOUT_THE_TURN {
            let revision = self.revision().await?;
            let read = self.load_fresh(slug).await?;
            let _turn = self.write_turn().await;
            if self.revision().await? == revision {
                return Ok(keep(revision, read));
            }
        }
        let _turn = self.write_turn().await;
        let revision = self.revision().await?;
        let read = self.load_fresh(slug).await?;
        Ok(keep(revision, read))
    }

    /// How many times this store has read an inspection from the database rather than serving
    /// it from memory: a diagnostic of the cache (`loaded`), which edits should keep current.
    pub fn reads(&self) -> u64 {
        self.loaded.reads.load(Ordering::Relaxed)
    }

    /// Reads an inspection from the database.
    async fn load_fresh(&self, slug: &str) -> Result<(Inspection, Arc<Framework>), StoreError> {
        self.loaded.reads.fetch_add(1, Ordering::Relaxed);
        let row = sqlx::query("SELECT id, framework_hash FROM inspections WHERE slug = $1")
            .bind(slug.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(Missing::Inspection(slug.to_string())))?;
        let id: i64 = row.try_get(0)?;
        let fw = self
            .framework_by_hash(&self.pool, &row.try_get::<String, _>(1)?)
            .await?;
        let mut inspection = self.load_one(&fw, id).await?;
        let children = sqlx::query(
            "SELECT id, unit_path FROM inspections WHERE parent_id = $1 ORDER BY unit_order",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        for child in children {
            let child_id: i64 = child.try_get(0)?;
            let path: Option<String> = child.try_get(1)?;
            inspection.units.push(self.load_one(&fw, child_id).await?);
            inspection.unit_paths.push(path.unwrap_or_default());
        }
        Ok((inspection, fw))
    }

    async fn load_one(&self, fw: &Framework, id: i64) -> Result<Inspection, StoreError> {
        let r = sqlx::query(
            "SELECT framework_id, framework_version, pinned_version, kind, unit, region, \
             fieldwork_start, fieldwork_end FROM inspections WHERE id = $1",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        let pinned: i64 = r.try_get(2)?;
        let mut inspection = Inspection {
            framework: r.try_get(0)?,
            framework_version: if pinned != 0 {
                Some(r.try_get(1)?)
            } else {
                None
            },
            kind: r.try_get(3)?,
            unit: r.try_get(4)?,
            region: r.try_get(5)?,
            fieldwork_start: r.try_get(6)?,
            fieldwork_end: r.try_get(7)?,
            ..Default::default()
        };
        for j in sqlx::query("SELECT standard, rating FROM judged_ratings WHERE inspection_id = $1")
            .bind(id)
            .fetch_all(&self.pool)
            .await?
        {
            inspection.judged.insert(j.try_get(0)?, j.try_get(1)?);
        }
        let rows = sqlx::query(
            "SELECT instrument, case_ref, sentence, reset_weeks, oversight, notes, answers \
             FROM cases WHERE inspection_id = $1 ORDER BY instrument, position",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut sets: BTreeMap<String, CaseSet> = BTreeMap::new();
        for row in &rows {
            let instrument_id: String = row.try_get(0)?;
            let instrument = fw.instrument(&instrument_id).ok_or_else(|| {
                StoreError::Corrupt(format!("unknown instrument '{instrument_id}'"))
            })?;
            let (case, answers) = case_from_row(instrument, row)?;
            sets.entry(instrument_id)
                .or_insert_with(|| CaseSet::new(instrument))
                .push(case, &answers);
        }
        // Framework order, as the loader produces.
        for instrument in &fw.instruments {
            if let Some(set) = sets.remove(&instrument.id) {
                inspection.cases.push(set);
            }
        }
        Ok(inspection)
    }

    /// Every stored inspection, regions before their PDUs.
    pub async fn list(&self) -> Result<Vec<StoredInspection>, StoreError> {
        self.list_where("1 = 1 ORDER BY i.slug", None).await
    }

    /// One stored inspection's summary.
    pub async fn stored(&self, slug: &str) -> Result<StoredInspection, StoreError> {
        self.list_where("i.slug = $1", Some(slug))
            .await?
            .pop()
            .ok_or_else(|| StoreError::NotFound(Missing::Inspection(slug.to_string())))
    }

    /// A region's PDU inspections, in the order the region lists them.
    pub async fn children(&self, slug: &str) -> Result<Vec<StoredInspection>, StoreError> {
        self.list_where("p.slug = $1 ORDER BY i.unit_order", Some(slug))
            .await
    }

    async fn list_where(
        &self,
        condition: &str,
        slug: Option<&str>,
    ) -> Result<Vec<StoredInspection>, StoreError> {
        let sql = format!(
            "SELECT i.slug, i.kind, i.unit, i.framework_id || '@' || i.framework_version, p.slug, \
             (SELECT COUNT(*) FROM cases c WHERE c.inspection_id = i.id), i.published \
             FROM inspections i LEFT JOIN inspections p ON p.id = i.parent_id WHERE {condition}"
        );
        let mut query = sqlx::query(&sql);
        if let Some(slug) = slug {
            query = query.bind(slug.to_string());
        }
        let rows = query.fetch_all(&self.pool).await?;
        rows.iter()
            .map(|r| {
                Ok(StoredInspection {
                    slug: r.try_get(0)?,
                    kind: r.try_get(1)?,
                    unit: r.try_get(2)?,
                    framework: r.try_get(3)?,
                    parent: r.try_get(4)?,
                    cases: r.try_get(5)?,
                    published: r.try_get::<i64, _>(6)? != 0,
                })
            })
            .collect()
    }

    /// The framework a stored inspection is pinned to (parsed once per store).
    pub async fn framework_of(&self, slug: &str) -> Result<Arc<Framework>, StoreError> {
        let hash: String = sqlx::query("SELECT framework_hash FROM inspections WHERE slug = $1")
            .bind(slug.to_string())
            .fetch_optional(&self.pool)
            .await?
            .ok_or_else(|| StoreError::NotFound(Missing::Inspection(slug.to_string())))?
            .try_get(0)?;
        self.framework_by_hash(&self.pool, &hash).await
    }
}

fn case_from_row(
    instrument: &casework_core::framework::Instrument,
    row: &AnyRow,
) -> Result<(CaseRecord, Vec<Answer>), StoreError> {
    let case_ref: String = row.try_get(1)?;
    let corrupt = |what: String| StoreError::Corrupt(format!("case '{case_ref}': {what}"));
    let sentence: Option<String> = row.try_get(2)?;
    let reset_weeks: Option<i64> = row.try_get(3)?;
    let oversight: Option<String> = row.try_get(4)?;
    let answers = answer_codes::decode(instrument, &row.try_get::<String, _>(6)?, &case_ref)?;
    let case = CaseRecord {
        sentence: sentence
            .map(|s| SentenceType::parse(&s).ok_or_else(|| corrupt(format!("sentence '{s}'"))))
            .transpose()?,
        reset_weeks: reset_weeks
            .map(|w| u32::try_from(w).map_err(|_| corrupt(format!("weeks {w}"))))
            .transpose()?,
        oversight: oversight
            .map(|o| Oversight::parse(&o).ok_or_else(|| corrupt(format!("oversight '{o}'"))))
            .transpose()?,
        notes: row.try_get(5)?,
        id: case_ref.clone(),
    };
    Ok((case, answers))
}
