//! `casework report`: the inspection report as HTML, PDF, XLSX and CSV from an inspection directory
//! (its case data and its `narrative/` Markdown), and `casework report lint`, which lists numbers
//! typed into the narrative instead of embedded by name.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use casework_core::{Framework, Ratings, rate};
use casework_report::{Report, SourceFile, narrative};
use clap::Subcommand;

use crate::{fsio, outln};

#[derive(Debug, clap::Args)]
#[command(args_conflicts_with_subcommands = true, subcommand_negates_reqs = true)]
pub struct Args {
    #[command(subcommand)]
    pub command: Option<ReportCommand>,
    /// Inspection directory (inspection.toml, instrument CSVs, and narrative/ with the text).
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
    /// Where outputs go when no path is given (default: reports/<inspection directory name>).
    #[arg(long, value_name = "DIR")]
    pub out: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum ReportCommand {
    /// List numbers typed into the narrative: each should be a {{figure}}, or is stale.
    Lint {
        /// Inspection directory.
        dir: PathBuf,
    },
}

/// The inspection at `dir`, rated, with its narrative files.
fn load(dir: &Path) -> Result<(&'static Framework, Ratings, Vec<SourceFile>)> {
    let (inspection, fw) = fsio::load(dir, None)?;
    let ratings = rate(fw, &inspection);
    Ok((fw, ratings, narrative::read_dir(dir)?))
}

/// Loads, rates and assembles the report of the inspection at `dir`.
pub fn prepare(dir: &Path) -> Result<Report> {
    let (fw, ratings, files) = load(dir)?;
    Ok(Report::new(
        fw,
        &ratings,
        &files,
        &dir.display().to_string(),
    )?)
}

/// Writes `bytes` to `path` through a temporary file, so a failed run leaves no half-written file.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        std::fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let tmp = path.with_extension("partial");
    std::fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    std::fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
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
    if let Some(ReportCommand::Lint { dir }) = &args.command {
        return lint(dir).map(|()| Vec::new());
    }
    let dir = args
        .dir
        .as_deref()
        .context("an inspection directory is needed")?;
    let out = args.out.clone().unwrap_or_else(|| {
        let name = dir
            .canonicalize()
            .ok()
            .and_then(|d| d.file_name().map(|n| n.to_owned()))
            .unwrap_or_else(|| "inspection".into());
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
    let report = prepare(dir)?;
    let mut written = Vec::new();
    if let Some(html_dir) = pick(&args.html, "") {
        let file = html_dir.join("report.html");
        write_atomically(&file, report.html()?.as_bytes())?;
        written.push(file);
    }
    if let Some(file) = pick(&args.pdf, "report.pdf") {
        write_atomically(&file, &report.pdf()?)?;
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

fn lint(dir: &Path) -> Result<()> {
    let (_, ratings, files) = load(dir)?;
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
