//! `casework import`: an inspection directory, JSON file or XLSX workbook (a region with its PDUs)
//! into the store, all or nothing, with a progress bar on a terminal.

use std::path::{Path, PathBuf};

use anyhow::Result;
use casework_core::Inspection;
use casework_store::Store;

use super::{By, Db, block_on};
use crate::{fsio, outln};

#[derive(clap::Args)]
pub struct Args {
    path: PathBuf,
    #[command(flatten)]
    db: Db,
    /// The id to store it under (default: made from the directory or file name).
    #[arg(long)]
    id: Option<String>,
    #[command(flatten)]
    by: By,
    /// Why, for the audit log.
    #[arg(long)]
    reason: Option<String>,
    /// Use this framework file instead of the built-in one the inspection names.
    #[arg(long, value_name = "FILE")]
    framework: Option<PathBuf>,
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

pub fn run(args: Args) -> Result<()> {
    let framework = fsio::framework_file(args.framework.as_deref())?;
    // Read and validate everything first: a bad file never reaches the database.
    let (inspection, fw) = fsio::load(&args.path, framework)?;
    let id = args.id.clone().unwrap_or_else(|| default_id(&args.path));
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
    let summary = block_on(async {
        let store = Store::open(&args.db.db).await?;
        let summary = store
            .import_with_progress(
                fw,
                &inspection,
                &id,
                &args.by.by,
                args.reason.as_deref(),
                &|n| bar.set_position(n as u64),
            )
            .await;
        store.close().await;
        Ok(summary?)
    });
    // Committed (or rolled back) only now: the bar goes, the summary line says which.
    bar.finish_and_clear();
    let s = summary?;
    outln!(
        "imported '{}': {} inspection(s), {} cases; rate it with: casework rate {}",
        s.slug,
        s.inspections,
        s.cases,
        s.slug
    )?;
    Ok(())
}
