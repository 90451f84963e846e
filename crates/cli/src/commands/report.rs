//! `casework report`: the inspection report as HTML, PDF, XLSX and CSV from an inspection directory
//! (its case data and its `narrative/` Markdown), a JSON or XLSX file, or an inspection in the store,
//! and `casework report lint`, which lists numbers typed into the narrative instead of embedded by
//! name.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use casework_core::domain_one::Evidence;
use casework_core::{Framework, Inspection, Ratings, rate};
use casework_report::evidence_view::JudgedStandard;
use casework_report::{Report, SourceFile};
use clap::Subcommand;

use super::{Db, block_on, load_inspection};
use crate::outln;

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<ReportCommand>,
    /// Inspection directory (inspection.toml, instrument CSVs, and narrative/ with the text), a
    /// .json or .xlsx file, or the id of a stored inspection (see --db).
    #[arg(required = true)]
    pub dir: Option<PathBuf>,
    /// Write the HTML report into this directory (default: the --out directory) as report.html.
    #[arg(long, value_name = "DIR", num_args = 0..=1)]
    pub html: Option<Option<PathBuf>>,
    /// Write the PDF report to this file (default: OUT/report.pdf).
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    pub pdf: Option<Option<PathBuf>>,
    /// Write the data workbook to this file (default: OUT/data.xlsx).
    #[arg(long, value_name = "FILE", num_args = 0..=1)]
    pub xlsx: Option<Option<PathBuf>>,
    /// Write the data workbook's tables as CSV files into this directory (default: OUT/data).
    #[arg(long, value_name = "DIR", num_args = 0..=1)]
    pub csv: Option<Option<PathBuf>>,
    /// Where outputs go when no path is given (default: reports/<inspection directory name or
    /// stored id>).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
    /// The internal report, for the inspection team: with the annexe of domain one's evidence
    /// (each judged standard and key question with its rating, rationale and the evidence filed
    /// against it), marked "internal: not for publication" on every page.
    #[arg(long)]
    pub internal: bool,
    #[command(flatten)]
    pub db: Db,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// List numbers typed into the narrative: each should be a {{figure}}, or is stale.
    Lint {
        /// Inspection directory, .json or .xlsx file, or stored inspection id.
        dir: PathBuf,
        #[command(flatten)]
        db: Db,
    },
}

/// The inspection `path` names (on disk or stored), rated, with its narrative files.
fn load(
    path: &Path,
    db: &Db,
) -> Result<(&'static Framework, Ratings, Vec<SourceFile>, Inspection)> {
    let (inspection, fw) = load_inspection(path, db, None)?;
    let ratings = rate(fw, &inspection);
    let files = casework_report::narrative::files_of(&inspection);
    Ok((fw, ratings, files, inspection))
}

/// Loads, rates and assembles the report of the inspection on disk at `path`.
pub fn prepare(path: &Path) -> Result<Report> {
    let (inspection, fw) = crate::fsio::load(path, None)?;
    report_of(fw, &inspection, &path.display().to_string())
}

/// The report of a loaded inspection; `shown` names where it came from in narrative errors.
pub fn report_of(fw: &Framework, inspection: &Inspection, shown: &str) -> Result<Report> {
    let ratings = rate(fw, inspection);
    Ok(Report::with_quality(
        fw,
        &ratings,
        &casework_report::narrative::files_of(inspection),
        shown,
        &on_disk(inspection.domain_one.clone()),
    )?)
}

/// What an inspection on disk adds to its ratings' figures: its domain-one evidence
/// (`domain-one.json`), for the narrative's `survey.*`, `interview.*` and measures' figures.
fn on_disk(domain_one: Evidence) -> casework_report::StoredFigures {
    casework_report::StoredFigures {
        domain_one,
        ..Default::default()
    }
}

/// Loads, rates and assembles the report of the inspection `path` names (on disk or stored).
/// A stored inspection's report carries quality assurance's figures and sheets and the case
/// sample's figures, once it has any; the internal report (`internal`) the annexe of domain one's
/// evidence.
fn prepare_in(path: &Path, db: &Db, internal: bool) -> Result<Report> {
    let (fw, ratings, files, inspection) = load(path, db)?;
    let qa = if !path.exists() && db.exists() {
        let id = path.display().to_string();
        block_on(async {
            let store = casework_store::Store::open(&db.db).await?;
            let qa = casework_web::quality::report_figures(&store, &id).await;
            store.close().await;
            Ok(qa?)
        })?
    } else {
        on_disk(inspection.domain_one.clone())
    };
    let report = Report::with_quality(fw, &ratings, &files, &path.display().to_string(), &qa)?;
    if !internal {
        return Ok(report);
    }
    let judged: Vec<JudgedStandard> = inspection
        .judged
        .iter()
        .map(|(standard, rating)| JudgedStandard {
            standard: standard.clone(),
            rating: rating.clone(),
            rationale: inspection.judged_rationale.get(standard).cloned(),
        })
        .collect();
    Ok(report.with_evidence_annexe(fw, &inspection.kind, &judged, &inspection.domain_one))
}

/// Runs `casework report` and says what it wrote.
pub fn run(args: Args) -> Result<()> {
    for file in write(&args)? {
        outln!("wrote {}", file.display())?;
    }
    Ok(())
}

/// Writes what `args` asks for; returns the files written.
fn write(args: &Args) -> Result<Vec<PathBuf>> {
    if let Some(ReportCommand::Lint { dir, db }) = &args.command {
        return lint(dir, db).map(|()| Vec::new());
    }
    let dir = args
        .dir
        .as_deref()
        .context("an inspection directory is needed")?;
    let out = args.out.clone().unwrap_or_else(|| {
        // A directory's own name, or a stored id with its '/' made '-'.
        let name = dir
            .canonicalize()
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_owned()))
            .unwrap_or_else(|| dir.display().to_string().replace('/', "-").into());
        Path::new("reports").join(name)
    });
    let none_chosen =
        args.html.is_none() && args.pdf.is_none() && args.xlsx.is_none() && args.csv.is_none();
    let pick = |flag: &Option<Option<PathBuf>>, default: &str| -> Option<PathBuf> {
        match flag {
            Some(Some(path)) => Some(path.clone()),
            Some(None) => Some(out.join(default)),
            None if none_chosen && default != "data" => Some(out.join(default)),
            None => None,
        }
    };
    let report = prepare_in(dir, &args.db, args.internal)?;
    let mut written = Vec::new();
    if let Some(html_dir) = pick(&args.html, "") {
        let file = html_dir.join("report.html");
        crate::fsio::write_file_atomically(&file, report.html()?.as_bytes())?;
        written.push(file);
    }
    if let Some(file) = pick(&args.pdf, "report.pdf") {
        crate::fsio::write_file_atomically(&file, &report.pdf()?)?;
        written.push(file);
    }
    if let Some(file) = pick(&args.xlsx, "data.xlsx") {
        if let Some(parent) = file.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        casework_report::workbook::write_xlsx(&report.tables, &file)?;
        written.push(file);
    }
    if let Some(csv_dir) = pick(&args.csv, "data") {
        casework_report::workbook::write_csv(&report.tables, &csv_dir)?;
        written.push(csv_dir);
    }
    Ok(written)
}

fn lint(dir: &Path, db: &Db) -> Result<()> {
    let (_, ratings, files, _) = load(dir, db)?;
    let findings = casework_report::lint(&ratings, &files, &dir.display().to_string())?;
    for f in &findings {
        crate::outln!("{f}")?;
    }
    if findings.is_empty() {
        crate::outln!(
            "{}: no typed numbers in {} narrative file(s)",
            dir.display(),
            files.len()
        )?;
        return Ok(());
    }
    bail!(
        "{} typed number(s) in the narrative: embed figures by name, e.g. {{{{P2.1.keeping-safe}}}}",
        findings.len()
    )
}
