//! The store commands: `init`, `import`, `export`, `list`, `audit`, and rating a stored inspection.
//! Each opens the store named by `--db` (or `CASEWORK_DB`; default `casework.db`, SQLite).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
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

/// The default id for an imported inspection: its directory (or JSON or XLSX file) name, made
/// into an id (`My Inspection` → `my-inspection`).
pub fn default_id(path: &Path) -> String {
    let p = path.canonicalize().unwrap_or_else(|_| path.to_path_buf());
    let name = if p.extension().is_some_and(|e| e == "json" || e == "xlsx") {
        p.file_stem()
    } else {
        p.file_name()
    };
    name.and_then(|n| casework_core::text::inspection_id_from(&n.to_string_lossy()))
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
    let cases: usize = std::iter::once(&inspection)
        .chain(&inspection.units)
        .map(Inspection::case_count)
        .sum();
    eprintln!("read and checked {cases} cases; writing them in one transaction ...");
    let bar = indicatif::ProgressBar::new(cases as u64);
    bar.set_style(
        indicatif::ProgressStyle::with_template(
            "{bar:40} {pos}/{len} cases written ({per_sec}, {eta} left)",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar()),
    );
    let store = Store::open(db).await?;
    let summary = store
        .import_with_progress(fw, &inspection, &id, actor, reason, &|n| {
            bar.set_position(n as u64)
        })
        .await;
    // Committed (or rolled back) only now: the bar goes, the summary line says which.
    bar.finish_and_clear();
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
    if to
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        crate::xlsx::write(to, &fw, &inspection)?;
        return Ok(vec![to.to_path_buf()]);
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

/// The audit log as JSON lines; evidence notes redacted unless `include_notes`.
pub async fn audit_log(db: &str, include_notes: bool) -> Result<String> {
    let store = Store::open(db).await?;
    let entries = store.audit_entries().await;
    store.close().await;
    let mut out = String::new();
    for e in entries? {
        let e = if include_notes { e } else { e.without_notes() };
        out.push_str(&serde_json::to_string(&e)?);
        out.push('\n');
    }
    Ok(out)
}

/// One edit from the command line; returns the new version.
#[allow(clippy::too_many_arguments)]
pub async fn answer(
    db: &str,
    inspection: &str,
    instrument: &str,
    case_ref: &str,
    question: &str,
    value: &str,
    version: i64,
    actor: &str,
    reason: Option<&str>,
) -> Result<i64> {
    let answer = casework_core::Answer::parse(value).with_context(|| {
        format!(
            "'{value}' is not an answer; allowed: {}",
            casework_core::Answer::ALLOWED
        )
    })?;
    let store = Store::open(db).await?;
    let result = store
        .set_answer(&casework_store::AnswerEdit {
            inspection,
            instrument,
            case_ref,
            question,
            answer,
            expected_version: version,
            actor,
            reason,
        })
        .await;
    store.close().await;
    Ok(result?)
}

/// Test harness for crash tests: edits answers of a stored inspection's cases in turn, printing
/// `committed CASE QUESTION VERSION` (flushed) after each commit, until `count` edits or killed.
pub async fn edit_stream(db: &str, inspection: &str, count: usize) -> Result<()> {
    use std::io::Write;
    let store = Store::open(db).await?;
    let (loaded, _) = store.load(inspection).await?;
    let set = loaded
        .cases_for("sentence-management")
        .context("no sentence-management cases")?;
    let prompts = ["P2.1.1a", "P2.1.1b", "P2.1.1d", "P2.1.2a"];
    let mut out = std::io::stdout().lock();
    for n in 0..count {
        let case = &set.cases()[n % set.len()];
        let question = prompts[(n / set.len()) % prompts.len()];
        let current = store
            .case(inspection, "sentence-management", &case.id)
            .await?;
        let value = match current.answers.get(question).map(String::as_str) {
            Some("Y") => casework_core::Answer::No,
            _ => casework_core::Answer::Yes,
        };
        let version = store
            .set_answer(&casework_store::AnswerEdit {
                inspection,
                instrument: "sentence-management",
                case_ref: &case.id,
                question,
                answer: value,
                expected_version: current.version,
                actor: "edit-stream",
                reason: None,
            })
            .await?;
        writeln!(out, "committed {} {} {}", case.id, question, version)?;
        out.flush()?;
    }
    store.close().await;
    Ok(())
}

/// A consistent copy of the store as a SQLite file.
pub async fn backup(db: &str, file: &Path) -> Result<()> {
    let store = Store::open(db).await?;
    let result = store.backup(file).await;
    store.close().await;
    Ok(result?)
}
