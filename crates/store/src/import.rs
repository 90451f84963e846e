//! Importing an inspection (with its PDU inspections) in one transaction, with an audit entry
//! each: cases inserted 500 per statement with every text bound by reference, while the database
//! writes one batch the next is bound; then their evidence notes, the judged ratings with their
//! rationale, and the narrative files. All or nothing.

use std::collections::{BTreeMap, HashSet};

use casework_core::Inspection;
use casework_core::case::CaseRecord;
use casework_core::framework::Framework;
use serde::Serialize;
use sqlx::any::AnyArguments;
use sqlx::query::Query;
use sqlx::{Any, Row, Transaction};

use crate::answer_codes;
use crate::audit::{NewEntry, append};
use crate::error::StoreError;
use crate::guard;
use crate::handle::{Backend, Store};
use crate::sql::placeholders;

/// What an import wrote.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ImportSummary {
    pub slug: String,
    /// The inspection and its PDU inspections.
    pub inspections: usize,
    pub cases: usize,
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

const CASE_COLUMNS: usize = 10;

/// `INSERT INTO cases ... VALUES (..), (..)` for `rows` rows.
fn batch_insert_sql(backend: Backend, rows: usize) -> String {
    format!(
        "INSERT INTO cases (inspection_id, instrument, position, case_ref, sentence, reset_weeks, \
         oversight, notes, answers, attributes) VALUES {}",
        placeholders(backend, rows, CASE_COLUMNS)
    )
}

/// One case to insert: its position in its set, its record, its answer codes and its declared
/// attributes as stored ([`crate::attributes::encode`]).
type CaseRow<'a> = (usize, &'a CaseRecord, &'a str, Option<&'a str>);

/// Binds a batch of cases to `query` (from [`batch_insert_sql`]), borrowing every text.
fn bind_cases<'q>(
    mut query: Query<'q, Any, AnyArguments<'q>>,
    inspection_id: i64,
    instrument: &'q str,
    chunk: &[CaseRow<'q>],
) -> Query<'q, Any, AnyArguments<'q>> {
    for &(position, case, codes, attributes) in chunk {
        query = query
            .bind(inspection_id)
            .bind(instrument)
            .bind(position as i64)
            .bind(case.id.as_str())
            .bind(case.sentence.map(|s| s.as_str()))
            .bind(case.reset_weeks.map(i64::from))
            .bind(case.oversight.map(|o| o.as_str()))
            .bind(case.notes.as_deref())
            .bind(codes)
            .bind(attributes);
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
        guard::inspection(fw, inspection)?;
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
                "INSERT INTO judged_ratings (inspection_id, standard, rating, rationale) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(standard.clone())
            .bind(rating.clone())
            .bind(inspection.judged_rationale.get(standard).cloned())
            .execute(&mut **tx)
            .await?;
        }
        for (name, body) in &inspection.narrative {
            sqlx::query("INSERT INTO narrative (inspection_id, name, body) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(name.clone())
                .bind(body.clone())
                .execute(&mut **tx)
                .await?;
        }
        let domain_one =
            crate::domain_one::insert_imported(tx, id, &inspection.domain_one, actor).await?;
        let mut counts = BTreeMap::new();
        for set in &inspection.cases {
            counts.insert(set.instrument.clone(), set.len());
            // Every case's codes in one string, so a bound value borrows its slice of it.
            let codes = answer_codes::encode(set.answer_table());
            let width = set.width();
            let attributes: Vec<Option<String>> = set
                .cases()
                .iter()
                .map(|case| crate::attributes::encode(&case.attributes))
                .collect();
            let rows: Vec<CaseRow<'_>> = set
                .cases()
                .iter()
                .enumerate()
                .map(|(i, case)| {
                    let codes = &codes[i * width..(i + 1) * width];
                    (i, case, codes, attributes[i].as_deref())
                })
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
            for case in set.cases() {
                for (question, note) in &case.evidence {
                    sqlx::query(
                        "INSERT INTO evidence (case_id, question, note) SELECT id, $1, $2 \
                         FROM cases WHERE inspection_id = $3 AND instrument = $4 AND case_ref = $5",
                    )
                    .bind(question.as_str())
                    .bind(note.as_str())
                    .bind(id)
                    .bind(set.instrument.as_str())
                    .bind(case.id.as_str())
                    .execute(&mut **tx)
                    .await?;
                }
            }
        }
        summary.inspections += 1;
        let after = serde_json::json!({
            "kind": inspection.kind,
            "unit": inspection.unit,
            "framework": format!("{}@{}#{}", fw.id, fw.version, fw.content_hash()),
            "judged": inspection.judged,
            "cases": counts,
            "narrative": inspection.narrative.keys().collect::<Vec<_>>(),
            "domain_one": domain_one,
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
}
