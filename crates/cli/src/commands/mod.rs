//! The user's commands, one file each: its options (a clap `Args`) and its `run`. What they share
//! is here: where inspections are stored (`--db`), who is acting (`--by`), the output format, and
//! a small async runtime for the store.

pub mod answer;
pub mod audit;
pub mod backup;
pub mod bands;
pub mod demo;
pub mod edit_stream;
pub mod evidence;
pub mod export;
pub mod extract;
pub mod framework;
pub mod import;
pub mod init;
pub mod list;
pub mod national;
pub mod publication;
pub mod published;
pub mod qa;
pub mod qa_csv;
pub mod qa_figures;
pub mod rate;
pub mod report;
pub mod sample;
pub mod sample_view;
pub mod serve;
pub mod user;

use anyhow::{Context, Result};
use casework_store::Store;
use clap::ValueEnum;

/// Where inspections are stored: a SQLite file (the default) or a postgres:// URL.
#[derive(clap::Args, Clone, Debug)]
pub struct Db {
    #[arg(
        long,
        env = "CASEWORK_DB",
        default_value = "casework.db",
        value_name = "URL"
    )]
    pub db: String,
}

impl Db {
    /// Whether a database is there to ask (so a mistyped path never creates an empty one).
    pub fn exists(&self) -> bool {
        let d = &self.db;
        d.starts_with("postgres") || {
            let file = d.strip_prefix("sqlite://").unwrap_or(d);
            let file = file.split('?').next().unwrap_or(file);
            std::path::Path::new(file).exists()
        }
    }
}

/// Who is making a change, for the audit log.
#[derive(clap::Args, Clone, Debug)]
pub struct By {
    /// Who is doing this, for the audit log.
    #[arg(long, env = "USER", default_value = "unknown")]
    pub by: String,
}

/// How ratings are printed.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum Format {
    /// A readable ratings panel.
    Table,
    /// The full ratings as JSON.
    Json,
}

/// A seed when none is given (a QA sample, a case sample): from the system's random source
/// (recorded or printed, so the draw can be repeated), below 2^63 so both backends store it alike.
pub fn random_seed() -> u64 {
    use std::hash::{BuildHasher, RandomState};
    RandomState::new().hash_one(std::time::SystemTime::now()) >> 1
}

/// Runs async store work on a runtime of its own; the rest of the binary is synchronous.
pub fn block_on<T>(work: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(work)
}

/// The inspection `path` names: a directory, a `.json` document or an `.xlsx` workbook on disk
/// (with `framework_file` in place of the built-in framework, if given), or else the id of an
/// inspection stored at `db`. Errors say which was tried.
pub fn load_inspection(
    path: &std::path::Path,
    db: &Db,
    framework_file: Option<&std::path::Path>,
) -> Result<(casework_core::Inspection, &'static casework_core::Framework)> {
    let is_id = !path.exists() && path.extension().is_none_or(|e| e != "json" && e != "xlsx");
    if !is_id || framework_file.is_some() {
        let framework = crate::fsio::framework_file(framework_file)?;
        return Ok(crate::fsio::load(path, framework)?);
    }
    let id = path.display().to_string();
    if !db.exists() {
        anyhow::bail!(
            "'{id}' is not an inspection directory or file here, and there is no database at {} to look for a stored inspection of that name (give --db or set CASEWORK_DB)",
            db.db
        );
    }
    let (inspection, fw) =
        block_on(with_store(&db.db, async |s| s.load(&id).await)).with_context(|| {
            format!(
                "'{id}' is not an inspection directory, and not stored in {}",
                db.db
            )
        })?;
    // One framework per run of a command, which lives as long as the command.
    Ok((inspection, Box::leak(Box::new(fw))))
}

/// The stored results, each with its id.
pub fn stored_results(db: &Db) -> Result<Vec<(i64, casework_core::published::PublishedResult)>> {
    if !db.exists() {
        anyhow::bail!(
            "there is no database at {}; store results with `casework published import FILE` first (or give --db)",
            db.db
        );
    }
    let stored: Vec<casework_store::StoredResult> =
        block_on(with_store(&db.db, async |s| s.published_results().await))?;
    Ok(stored.into_iter().map(|s| (s.id, s.result)).collect())
}

/// Opens the store at `db`, runs `work` on it and closes it, whatever `work` returned.
pub async fn with_store<T>(
    db: &str,
    work: impl AsyncFnOnce(&Store) -> Result<T, casework_store::StoreError>,
) -> Result<T> {
    let store = Store::open(db).await?;
    let result = work(&store).await;
    store.close().await;
    Ok(result?)
}
