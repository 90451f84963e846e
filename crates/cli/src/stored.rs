//! The store commands: `init`, `import`, `export`, `list`, `audit`, and rating a stored inspection.
//! Each opens the store named by `--db` (or `CASEWORK_DB`; default `casework.db`, SQLite).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use casework_core::framework::Framework;
use casework_core::{Inspection, Ratings, rate};
use casework_store::{AuditReport, ImportSummary, Store, StoredInspection};

use crate::fsio;

/// Runs async store work on a runtime of its own; the rest of the binary is synchronous.
pub fn block_on<T>(work: impl std::future::Future<Output = Result<T>>) -> Result<T> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")?
        .block_on(work)
}

pub async fn init(db: &str) -> Result<String> {
    let store = Store::open(db).await?;
    let msg = format!("database ready: {} ({:?})", store.url(), store.backend());
    store.close().await;
    Ok(msg)
}

/// The default id for an imported inspection: its directory (or JSON file) name.
pub fn default_id(path: &Path) -> String {
    let p = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let name = if p.extension().is_some_and(|e| e == "json") {
        p.file_stem()
    } else {
        p.file_name()
    };
    name.map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "inspection".into())
}

pub async fn import(
    db: &str,
    path: &Path,
    framework: Option<&'static Framework>,
    id: Option<String>,
    actor: &str,
    reason: Option<&str>,
) -> Result<ImportSummary> {
    // Read and validate everything first: a bad file never reaches the database.
    let (inspection, fw) = fsio::load(path, framework)?;
    let id = id.unwrap_or_else(|| default_id(path));
    let store = Store::open(db).await?;
    let summary = store.import(fw, &inspection, &id, actor, reason).await;
    store.close().await;
    Ok(summary?)
}

pub async fn load(db: &str, id: &str) -> Result<(Inspection, Framework)> {
    let store = Store::open(db).await?;
    let loaded = store.load(id).await;
    store.close().await;
    Ok(loaded?)
}

pub async fn rate_stored(db: &str, id: &str) -> Result<(Ratings, Framework)> {
    let (inspection, fw) = load(db, id).await?;
    Ok((rate(&fw, &inspection), fw))
}

/// Writes a stored inspection as a directory; its PDU inspections go where its manifest points.
pub async fn export(db: &str, id: &str, to: &Path) -> Result<Vec<PathBuf>> {
    let (inspection, fw) = load(db, id).await?;
    if to.extension().is_some_and(|e| e == "xlsx") {
        bail!("XLSX export is not built yet; export to a directory");
    }
    let mut written = vec![to.to_path_buf()];
    fsio::write_inspection_dir(to, &fw, &inspection, inspection.unit_paths.clone())?;
    for (unit, path) in inspection.units.iter().zip(&inspection.unit_paths) {
        let dir = to.join(path);
        fsio::write_inspection_dir(&dir, &fw, unit, vec![])?;
        written.push(dir);
    }
    Ok(written)
}

pub async fn list(db: &str) -> Result<Vec<StoredInspection>> {
    let store = Store::open(db).await?;
    let list = store.list().await;
    store.close().await;
    Ok(list?)
}

pub async fn audit_verify(db: &str) -> Result<AuditReport> {
    let store = Store::open(db).await?;
    let report = store.audit_verify().await;
    store.close().await;
    Ok(report?)
}

pub async fn audit_log(db: &str) -> Result<String> {
    let store = Store::open(db).await?;
    let entries = store.audit_entries().await;
    store.close().await;
    let mut out = String::new();
    for e in entries? {
        out.push_str(&serde_json::to_string(&e)?);
        out.push('\n');
    }
    Ok(out)
}
