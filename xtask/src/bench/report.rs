//! `cargo xtask bench-report`: how long the report takes (HTML + PDF + XLSX, end to end from the
//! inspection directory) for a PDU inspection and for a region with six PDUs, and the PDF step
//! against converting the same HTML with LibreOffice headless in the same run (ratio printed).
//! Reports, never asserts: a benchmark, not a test.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use clap::Args;

use casework_cli::commands::report::prepare;

#[derive(Debug, Clone, Args)]
pub struct BenchReportArgs {
    /// A PDU inspection directory.
    #[arg(long, default_value = "tests/fixtures/derby-city")]
    pub pdu: PathBuf,
    /// A region inspection directory (the East Midlands fixture has six PDUs).
    #[arg(long, default_value = "tests/fixtures/east-midlands")]
    pub region: PathBuf,
    /// Runs per measurement; the median is reported.
    #[arg(long, default_value_t = 7)]
    pub runs: usize,
    /// LibreOffice's binary, for the PDF peer (skipped when it cannot be run).
    #[arg(long, default_value = "soffice")]
    pub libreoffice: String,
    /// Scratch directory for the outputs.
    #[arg(long, default_value = "bench-data/report")]
    pub out: PathBuf,
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

fn timed<T, E: Into<anyhow::Error>>(
    runs: usize,
    mut f: impl FnMut() -> Result<T, E>,
) -> Result<Duration> {
    let mut times = Vec::with_capacity(runs);
    for _ in 0..runs {
        let start = Instant::now();
        f().map_err(Into::into)?;
        times.push(start.elapsed());
    }
    Ok(median(times))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Every output of one inspection, end to end: read, rate, HTML, PDF, XLSX, written to `out`.
fn all_outputs(dir: &Path, out: &Path) -> Result<()> {
    let report = prepare(dir)?;
    std::fs::write(out.join("report.html"), report.html()?)?;
    std::fs::write(out.join("report.pdf"), report.pdf()?)?;
    casework_report::workbook::write_xlsx(&report.tables, &out.join("data.xlsx"))?;
    Ok(())
}

fn libreoffice_pdf(binary: &str, html: &Path, out: &Path) -> Result<()> {
    let status = Command::new(binary)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(out)
        .arg(html)
        .output()
        .with_context(|| format!("cannot run {binary}"))?;
    if !status.status.success() || !out.join("report.pdf").exists() {
        bail!(
            "LibreOffice failed: {}",
            String::from_utf8_lossy(&status.stderr)
        );
    }
    Ok(())
}

pub fn run(args: &BenchReportArgs) -> Result<()> {
    println!(
        "report generation, median of {} runs (the whole of read + rate + render + write):",
        args.runs
    );
    for (what, dir) in [("PDU", &args.pdu), ("region", &args.region)] {
        let out = args.out.join(what);
        std::fs::create_dir_all(&out)?;
        let report = prepare(dir)?;
        let pages = report.pdf()?.len();
        let end_to_end = timed(args.runs, || all_outputs(dir, &out))?;
        let html = timed(args.runs, || report.html())?;
        let pdf = timed(args.runs, || report.pdf())?;
        let xlsx = timed(args.runs, || {
            casework_report::workbook::write_xlsx(&report.tables, &out.join("data.xlsx"))
        })?;
        println!(
            "  {what:<7} {:<45} HTML+PDF+XLSX {:>7.1} ms  (HTML {:.1} ms, PDF {:.1} ms, XLSX {:.1} ms; PDF {} KB)",
            dir.display(),
            ms(end_to_end),
            ms(html),
            ms(pdf),
            ms(xlsx),
            pages / 1024
        );
        let peer_dir = out.join("libreoffice");
        std::fs::create_dir_all(&peer_dir)?;
        let html_file = out.join("report.html");
        match libreoffice_pdf(&args.libreoffice, &html_file, &peer_dir) {
            Ok(()) => {
                let peer = timed(args.runs.min(3), || {
                    libreoffice_pdf(&args.libreoffice, &html_file, &peer_dir)
                })?;
                println!(
                    "          LibreOffice headless, same HTML -> PDF {:>7.1} ms: Casework's PDF step is {:.1}x faster",
                    ms(peer),
                    peer.as_secs_f64() / pdf.as_secs_f64()
                );
            }
            Err(e) => println!("          LibreOffice peer skipped: {e:#}"),
        }
    }
    Ok(())
}
