//! Inspections in the store, read back: loading one (with its PDU inspections and the exact
//! framework it is pinned to, its evidence notes, judged ratings with rationale and narrative)
//! into core types for rating and export, kept current in memory
//! (`loaded`), and listing them. Importing is `import`'s job.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::atomic::Ordering;

use casework_core::case::{CaseRecord, CaseSet, Oversight, SentenceType, case_status};
use casework_core::framework::Framework;
use casework_core::{Answer, Inspection};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

use crate::answer_codes;
use crate::error::{Missing, StoreError};
use crate::handle::Store;
use crate::loaded::{Loaded, Slot};

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

impl Store {
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
        for j in sqlx::query(
            "SELECT standard, rating, rationale FROM judged_ratings WHERE inspection_id = $1",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        {
            let standard: String = j.try_get(0)?;
            if let Some(rationale) = j.try_get::<Option<String>, _>(2)? {
                inspection
                    .judged_rationale
                    .insert(standard.clone(), rationale);
            }
            inspection.judged.insert(standard, j.try_get(1)?);
        }
        for n in sqlx::query("SELECT name, body FROM narrative WHERE inspection_id = $1")
            .bind(id)
            .fetch_all(&self.pool)
            .await?
        {
            inspection.narrative.insert(n.try_get(0)?, n.try_get(1)?);
        }
        inspection.domain_one = self.domain_one_of(id).await?.0;
        let mut evidence: BTreeMap<(String, String), BTreeMap<String, String>> = BTreeMap::new();
        for e in sqlx::query(
            "SELECT c.instrument, c.case_ref, e.question, e.note FROM evidence e \
             JOIN cases c ON c.id = e.case_id WHERE c.inspection_id = $1",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        {
            evidence
                .entry((e.try_get(0)?, e.try_get(1)?))
                .or_default()
                .insert(e.try_get(2)?, e.try_get(3)?);
        }
        let rows = sqlx::query(
            "SELECT instrument, case_ref, sentence, reset_weeks, oversight, notes, answers, \
             attributes FROM cases WHERE inspection_id = $1 ORDER BY instrument, position",
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
            let (mut case, answers) = case_from_row(instrument, row)?;
            if let Some(notes) = evidence.remove(&(instrument_id.clone(), case.id.clone())) {
                case.evidence = notes;
            }
            case.status = case_status(
                instrument,
                &case,
                &answers,
                fw.rules.reset_adjusted_max_weeks,
            );
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
        attributes: crate::attributes::decode(
            row.try_get::<Option<String>, _>(7)?.as_deref(),
            &case_ref,
        )?,
        id: case_ref.clone(),
        ..CaseRecord::default()
    };
    Ok((case, answers))
}
