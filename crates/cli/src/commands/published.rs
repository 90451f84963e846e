//! `casework published`: published results (issue 18) stored for the national picture. `import
//! FILE` stores a JSON list, a flat CSV table, a workbook or a Parquet file of results (all or
//! nothing; an identical result is kept once), then prints what the checks find in every stored
//! result and the overall score bands each edge allows; `export` writes them as JSON, CSV, XLSX or
//! Parquet; `list`
//! tabulates them; `check` prints every finding; `delete ID` removes one. Every import and
//! deletion is in the audit log.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use casework_core::published::{self, PublishedResult, table};
use clap::{Subcommand, ValueEnum};

use super::bands::print_edges;
use super::{By, Db, block_on, stored_results as stored, with_store};
use crate::fsio::{read_text, write_file_atomically};
use crate::outln;

/// The largest results file read, in bytes.
pub const RESULTS_MAX_BYTES: u64 = 64 << 20;

#[derive(Subcommand)]
pub enum Command {
    /// Store published results from a JSON list (the shape `casework extract --format json`
    /// prints: source_url, title, kind, programme, published, fieldwork_started, score,
    /// score_max, overall_rating, standards [{code, name, rating, key_questions [{text,
    /// percent_yes}]}], notes; missing fields null), a CSV table (one row per result, a column
    /// per standard's rating), an XLSX workbook (`results` and `key_questions` sheets) or a
    /// Parquet file as `export --format parquet` writes it.
    Import {
        file: PathBuf,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        by: By,
    },
    /// Write every stored result: JSON (whole), CSV (the flat table), XLSX (results and key
    /// questions) or Parquet (a column per field and standard, and each whole result), to --out
    /// or standard output (JSON and CSV only).
    Export {
        #[arg(long, value_enum, default_value_t = ExportFormat::Json)]
        format: ExportFormat,
        #[arg(long, value_name = "FILE")]
        out: Option<PathBuf>,
        #[command(flatten)]
        db: Db,
    },
    /// The stored results, one line each: id, unit, programme, kind, published, score, overall.
    List {
        #[command(flatten)]
        db: Db,
    },
    /// What the checks find in the stored results, each finding naming the result and the rule.
    Check {
        #[command(flatten)]
        db: Db,
    },
    /// Remove a stored result by id (see `list`).
    Delete {
        id: i64,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        by: By,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ExportFormat {
    Json,
    Csv,
    Xlsx,
    /// One row per result, a column per field and per standard's rating, and `result_json`.
    Parquet,
}

/// Reads results from `path` by its extension: `.csv`, `.xlsx`, else JSON.
pub fn read_results(path: &Path) -> Result<Vec<PublishedResult>> {
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let name = path.display().to_string();
    Ok(match extension.as_deref() {
        Some("xlsx") => crate::xlsx::published::read(path)?,
        Some("parquet") => crate::columnar::read(path)?,
        Some("csv") => table::from_csv(&read_text(path, RESULTS_MAX_BYTES)?, &name)?,
        _ => published::from_json(&read_text(path, RESULTS_MAX_BYTES)?, &name)?,
    })
}

pub fn run(command: Command) -> Result<()> {
    match command {
        Command::Import { file, db, by } => {
            let results = read_results(&file)?;
            let summary = block_on(with_store(&db.db, async |s| {
                s.import_published(&results, &by.by).await
            }))?;
            outln!(
                "{}: {} results read, {} stored, {} already stored",
                file.display(),
                results.len(),
                summary.stored,
                summary.already
            )?;
            let all = stored(&db)?;
            print_findings(&all)?;
            outln!()?;
            let only: Vec<PublishedResult> = all.into_iter().map(|(_, r)| r).collect();
            print_edges(&published::infer(&published::frameworks(), &only))
        }
        Command::Export { format, out, db } => {
            let results: Vec<PublishedResult> = stored(&db)?.into_iter().map(|(_, r)| r).collect();
            let text = match format {
                ExportFormat::Json => published::to_json(&results),
                ExportFormat::Csv => table::to_csv(&results),
                ExportFormat::Xlsx => {
                    let out = out.context("give --out FILE.xlsx for a workbook")?;
                    crate::xlsx::published::write(&out, &results)?;
                    outln!("{} results written to {}", results.len(), out.display())?;
                    return Ok(());
                }
                ExportFormat::Parquet => {
                    let out = out.context("give --out FILE.parquet for a Parquet file")?;
                    crate::columnar::write(&out, &results)?;
                    outln!("{} results written to {}", results.len(), out.display())?;
                    return Ok(());
                }
            };
            match out {
                Some(path) => {
                    write_file_atomically(&path, text.as_bytes())?;
                    outln!("{} results written to {}", results.len(), path.display())?;
                }
                None => outln!("{}", text.trim_end())?,
            }
            Ok(())
        }
        Command::List { db } => {
            let all = stored(&db)?;
            if all.is_empty() {
                return outln!("no published results stored (see `casework published import`)")
                    .map_err(Into::into);
            }
            outln!(
                "{:>4}  {:<40} {:<9} {:<20} {:<10} {:>6}  overall",
                "id",
                "unit",
                "programme",
                "kind",
                "published",
                "score"
            )?;
            for (i, (id, r)) in all.iter().enumerate() {
                let score = match (r.score, r.score_max) {
                    (Some(s), Some(m)) => format!("{s}/{m}"),
                    (Some(s), None) => s.to_string(),
                    _ => "-".into(),
                };
                outln!(
                    "{id:>4}  {:<40} {:<9} {:<20} {:<10} {score:>6}  {}",
                    r.label(i),
                    r.programme.as_deref().unwrap_or("-"),
                    r.kind.as_deref().unwrap_or("-"),
                    r.published.as_deref().unwrap_or("-"),
                    r.overall_rating.as_deref().unwrap_or("-")
                )?;
            }
            Ok(())
        }
        Command::Check { db } => print_findings(&stored(&db)?),
        Command::Delete { id, db, by } => {
            block_on(with_store(&db.db, async |s| {
                s.delete_published(id, &by.by).await
            }))?;
            outln!("published result {id} deleted").map_err(Into::into)
        }
    }
}

/// Every finding of every result, naming the result (with its stored id) and the rule.
fn print_findings(all: &[(i64, PublishedResult)]) -> Result<()> {
    let results: Vec<PublishedResult> = all.iter().map(|(_, r)| r.clone()).collect();
    let findings = published::check_all(&published::frameworks(), &results);
    let flagged = {
        let mut f: Vec<usize> = findings.iter().map(|f| f.index).collect();
        f.dedup();
        f.len()
    };
    outln!(
        "checks: {} of {} stored results are inconsistent ({} findings)",
        flagged,
        all.len(),
        findings.len()
    )?;
    for f in &findings {
        outln!("  #{} {f}", all[f.index].0)?;
    }
    Ok(())
}
