//! `backup`: a consistent copy of a live store as a SQLite file. SQLite uses `VACUUM INTO` (an
//! online, transactionally consistent copy); PostgreSQL is copied table by table inside one
//! read-only repeatable-read transaction into a fresh SQLite store, so either backend's backup is a
//! single file that `casework --db FILE` opens.

use std::path::Path;

use sqlx::{Any, Row, Transaction};

use crate::error::StoreError;
use crate::handle::{Backend, Store};

/// What a column holds, as copied.
#[derive(Debug, Clone, Copy)]
enum Col {
    Text,
    Int,
    Bytes,
}
use Col::{Bytes, Int, Text};

/// Tables and columns, in foreign-key order, each text, a 64-bit integer or bytes. PostgreSQL's
/// sessions are left out on purpose: a restored copy should not let anyone in on an old cookie.
const TABLES: &[(&str, &[(&str, Col)])] = &[
    (
        "frameworks",
        &[
            ("id", Text),
            ("version", Text),
            ("content_hash", Text),
            ("body", Text),
        ],
    ),
    (
        "users",
        &[
            ("name", Text),
            ("created_at", Text),
            ("role", Text),
            ("password_hash", Text),
            ("disabled", Int),
        ],
    ),
    (
        "inspections",
        &[
            ("id", Int),
            ("slug", Text),
            ("parent_id", Int),
            ("unit_path", Text),
            ("unit_order", Int),
            ("framework_id", Text),
            ("framework_version", Text),
            ("framework_hash", Text),
            ("pinned_version", Int),
            ("kind", Text),
            ("unit", Text),
            ("region", Text),
            ("fieldwork_start", Text),
            ("fieldwork_end", Text),
            ("published", Int),
            ("stage", Text),
        ],
    ),
    (
        "memberships",
        &[("inspection_id", Int), ("user_name", Text)],
    ),
    (
        "judged_ratings",
        &[
            ("inspection_id", Int),
            ("standard", Text),
            ("rating", Text),
            ("rationale", Text),
            ("version", Int),
        ],
    ),
    (
        "narrative",
        &[
            ("inspection_id", Int),
            ("name", Text),
            ("body", Text),
            ("version", Int),
        ],
    ),
    (
        "factual_accuracy_comments",
        &[
            ("id", Int),
            ("inspection_id", Int),
            ("section", Text),
            ("comment", Text),
            ("recorded_by", Text),
            ("recorded_at", Text),
            ("resolution", Text),
            ("resolved_by", Text),
            ("resolved_at", Text),
        ],
    ),
    (
        "publications",
        &[
            ("inspection_id", Int),
            ("version", Int),
            ("published_at", Text),
            ("published_by", Text),
            ("reason", Text),
            ("revision", Int),
            ("html", Text),
            ("pdf", Bytes),
            ("workbook", Bytes),
            ("ratings", Text),
            ("html_sha256", Text),
            ("pdf_sha256", Text),
            ("workbook_sha256", Text),
            ("ratings_sha256", Text),
        ],
    ),
    (
        "cases",
        &[
            ("id", Int),
            ("inspection_id", Int),
            ("instrument", Text),
            ("position", Int),
            ("case_ref", Text),
            ("sentence", Text),
            ("reset_weeks", Int),
            ("oversight", Text),
            ("notes", Text),
            ("answers", Text),
            ("version", Int),
            ("attributes", Text),
            ("review_state", Text),
            ("inspector", Text),
        ],
    ),
    (
        "evidence",
        &[("case_id", Int), ("question", Text), ("note", Text)],
    ),
    (
        "caseload_extracts",
        &[
            ("inspection_id", Int),
            ("file_name", Text),
            ("mapping", Text),
            ("cases", Int),
            ("body", Text),
            ("loaded_by", Text),
            ("loaded_at", Text),
            ("deleted_at", Text),
            ("deleted_reason", Text),
        ],
    ),
    (
        "domain_one_evidence",
        &[
            ("inspection_id", Int),
            ("kind", Text),
            ("name", Text),
            ("file_name", Text),
            ("body", Text),
            ("version", Int),
            ("recorded_by", Text),
            ("recorded_at", Text),
        ],
    ),
    (
        "domain_one_history",
        &[
            ("inspection_id", Int),
            ("kind", Text),
            ("name", Text),
            ("version", Int),
            ("file_name", Text),
            ("body", Text),
            ("recorded_by", Text),
            ("recorded_at", Text),
        ],
    ),
    (
        "published_results",
        &[
            ("id", Int),
            ("body_sha256", Text),
            ("unit", Text),
            ("region", Text),
            ("kind", Text),
            ("programme", Text),
            ("year", Int),
            ("score", Int),
            ("overall_rating", Text),
            ("body", Text),
            ("imported_by", Text),
            ("imported_at", Text),
        ],
    ),
    (
        "sample_draws",
        &[
            ("inspection_id", Int),
            ("instrument", Text),
            ("specification", Text),
            ("seed", Int),
            ("algorithm", Text),
            ("population", Int),
            ("size", Int),
            ("confidence", Text),
            ("drawn_by", Text),
            ("drawn_at", Text),
        ],
    ),
    (
        "sample_cases",
        &[
            ("inspection_id", Int),
            ("case_ref", Text),
            ("stratum", Text),
            ("role", Text),
            ("position", Int),
            ("status", Text),
            ("reason", Text),
            ("replaces", Text),
            ("sentence", Text),
            ("reset_weeks", Int),
            ("attributes", Text),
        ],
    ),
    (
        "qa_samples",
        &[
            ("inspection_id", Int),
            ("seed", Int),
            ("share_percent", Int),
            ("drawn_by", Text),
            ("drawn_at", Text),
        ],
    ),
    (
        "qa_marks",
        &[
            ("case_id", Int),
            ("inspection_id", Int),
            ("reviewer", Text),
            ("answers", Text),
            ("original", Text),
            ("submitted_at", Text),
        ],
    ),
    (
        "qa_returns",
        &[
            ("id", Int),
            ("case_id", Int),
            ("question", Text),
            ("comment", Text),
            ("returned_by", Text),
            ("returned_at", Text),
        ],
    ),
    (
        "qa_reconciliations",
        &[
            ("case_id", Int),
            ("question", Text),
            ("original", Text),
            ("second", Text),
            ("answer", Text),
            ("reason", Text),
            ("reconciled_by", Text),
            ("reconciled_at", Text),
        ],
    ),
    (
        "audit_log",
        &[
            ("seq", Int),
            ("at", Text),
            ("actor", Text),
            ("action", Text),
            ("inspection", Text),
            ("entity", Text),
            ("before", Text),
            ("after", Text),
            ("reason", Text),
            ("prev_hash", Text),
            ("hash", Text),
        ],
    ),
];

impl Store {
    /// Writes a consistent copy of the whole store to `file` (which must not exist yet).
    pub async fn backup(&self, file: &Path) -> Result<(), StoreError> {
        if file.exists() {
            return Err(StoreError::Conflict(format!(
                "{} already exists; choose a new file for the backup",
                file.display()
            )));
        }
        match self.backend {
            Backend::Sqlite => {
                let target = file.display().to_string().replace('\'', "''");
                sqlx::query(&format!("VACUUM INTO '{target}'"))
                    .execute(&self.pool)
                    .await?;
                Ok(())
            }
            Backend::Postgres => self.copy_to_sqlite(file).await,
        }
    }

    async fn copy_to_sqlite(&self, file: &Path) -> Result<(), StoreError> {
        let target = Store::open(&file.display().to_string()).await?;
        let mut source = self.pool.begin().await?;
        sqlx::query("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            .execute(&mut *source)
            .await?;
        let mut sink = target.pool.begin().await?;
        for (table, columns) in TABLES {
            copy_table(&mut source, &mut sink, table, columns).await?;
        }
        sink.commit().await?;
        source.commit().await?;
        target.close().await;
        Ok(())
    }
}

async fn copy_table(
    source: &mut Transaction<'_, Any>,
    sink: &mut Transaction<'_, Any>,
    table: &str,
    columns: &[(&str, Col)],
) -> Result<(), StoreError> {
    let names: Vec<&str> = columns.iter().map(|(n, _)| *n).collect();
    let list = names.join(", ");
    let rows = sqlx::query(&format!("SELECT {list} FROM {table} ORDER BY 1"))
        .fetch_all(&mut **source)
        .await?;
    let placeholders: Vec<String> = (1..=columns.len()).map(|i| format!("${i}")).collect();
    let insert = format!(
        "INSERT INTO {table} ({list}) VALUES ({})",
        placeholders.join(", ")
    );
    for row in &rows {
        let mut q = sqlx::query(&insert);
        for (i, (_, kind)) in columns.iter().enumerate() {
            q = match kind {
                Int => q.bind(row.try_get::<Option<i64>, _>(i)?),
                Text => q.bind(row.try_get::<Option<String>, _>(i)?),
                Bytes => q.bind(row.try_get::<Option<Vec<u8>>, _>(i)?),
            };
        }
        q.execute(&mut **sink).await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tables a backup leaves out on purpose: sessions (an old cookie must not let anyone into a
    /// restored copy) and the migration bookkeeping a fresh store writes itself.
    const LEFT_OUT: &[&str] = &["_sqlx_migrations", "sessions", "pending_upgrades"];

    /// Every column of every table is copied: a migration that adds one must add it here too,
    /// or PostgreSQL backups would drop it.
    #[test]
    fn every_column_of_every_table_is_copied() {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = dir.path().join("schema.db").display().to_string();
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        runtime.block_on(async {
            let store = Store::open(&url).await.expect("open");
            let names = |sql: String| {
                let pool = store.pool.clone();
                async move {
                    sqlx::query(&sql)
                        .fetch_all(&pool)
                        .await
                        .expect("schema query")
                        .iter()
                        .map(|r| r.try_get::<String, _>(0).expect("name"))
                        .collect::<Vec<String>>()
                }
            };
            let tables = names(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' \
                 ORDER BY name"
                    .into(),
            )
            .await;
            for table in &tables {
                assert!(
                    LEFT_OUT.contains(&table.as_str()) || TABLES.iter().any(|(t, _)| t == table),
                    "table {table} is neither copied nor left out on purpose"
                );
            }
            for (table, columns) in TABLES {
                let have = names(format!("SELECT name FROM pragma_table_info('{table}')")).await;
                let listed: Vec<&str> = columns.iter().map(|(c, _)| *c).collect();
                assert_eq!(have, listed, "the columns of {table}");
            }
            store.close().await;
        });
    }
}
