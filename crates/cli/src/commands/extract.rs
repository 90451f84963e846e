//! `casework extract FILE...`: published inspection reports into published results (issue 18;
//! the reading is `casework_extract`'s). A report may be plain text (the web page or a PDF
//! converted to text), HTML (`.html`, `.htm`, or text that starts as HTML) or PDF (converted by
//! poppler's `pdftotext`, which must be installed). Prints each result with every figure's line,
//! then what could not be read and what the framework's checks find; `--format json` prints the
//! results alone, as `casework published import` reads them (what is missing goes to standard
//! error).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};
use casework_core::published::{self, PublishedResult};
use casework_extract::Extraction;
use clap::ValueEnum;

use crate::fsio::read_limited;
use crate::outln;

/// The largest report read, in bytes (a report's text is under 100 KB; its PDF a few MB).
pub const REPORT_MAX_BYTES: u64 = 64 << 20;

#[derive(clap::Args)]
pub struct Args {
    /// Report files: .txt (or any text), .html/.htm, .pdf.
    #[arg(required = true)]
    files: Vec<PathBuf>,
    #[arg(long, value_enum, default_value_t = ExtractFormat::Table)]
    format: ExtractFormat,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum ExtractFormat {
    /// Each result's figures with the line each was read on, what is missing, what the checks find.
    Table,
    /// The results as a JSON list (`casework published import` reads it).
    Json,
}

pub fn run(args: Args) -> Result<()> {
    // Each file on its own: one that cannot be read is named on standard error and the rest are
    // still read; the command then fails.
    let mut extractions = Vec::new();
    let mut read = Vec::new();
    let mut failed = 0;
    for path in &args.files {
        match extract_file(path) {
            Ok(e) => {
                extractions.push(e);
                read.push(path.clone());
            }
            Err(e) => {
                eprintln!("error: {}", crate::terminal::clean(&format!("{e:#}")));
                failed += 1;
            }
        }
    }
    let results: Vec<PublishedResult> = extractions.iter().map(|e| e.result.clone()).collect();
    let findings = published::check_all(&published::frameworks(), &results);
    match args.format {
        ExtractFormat::Json => {
            outln!("{}", published::to_json(&results))?;
            for (e, path) in extractions.iter().zip(&read) {
                for m in &e.missing {
                    eprintln!("{}: missing {m}", path.display());
                }
                for c in &e.conflicts {
                    eprintln!("{}: read two ways: {c}", path.display());
                }
            }
            for f in &findings {
                eprintln!("check: {f}");
            }
        }
        ExtractFormat::Table => {
            for (i, e) in extractions.iter().enumerate() {
                if i > 0 {
                    outln!()?;
                }
                print_extraction(e)?;
                for f in findings.iter().filter(|f| f.index == i) {
                    outln!("  check: [{}] {}", f.rule.as_str(), f.message)?;
                }
            }
        }
    }
    if failed > 0 {
        bail!("{failed} of {} files could not be read", args.files.len());
    }
    Ok(())
}

/// One report file read and extracted.
pub fn extract_file(path: &Path) -> Result<Extraction> {
    let name = path.display().to_string();
    let extension = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    if extension.as_deref() == Some("pdf") {
        let text = pdf_text(path)?;
        return Ok(casework_extract::extract_text(&text, &name));
    }
    let bytes = read_limited(path, REPORT_MAX_BYTES)
        .with_context(|| format!("cannot read {name}"))?
        .with_context(|| format!("{name}: no such file"))?;
    let text = String::from_utf8(bytes).map_err(|e| {
        anyhow::anyhow!(
            "{name}: not UTF-8 text (byte {})",
            e.utf8_error().valid_up_to()
        )
    })?;
    let head = text
        .trim_start()
        .get(..15)
        .unwrap_or("")
        .to_ascii_lowercase();
    let is_html = matches!(extension.as_deref(), Some("html" | "htm"))
        || head.starts_with("<!doctype html")
        || head.starts_with("<html");
    Ok(if is_html {
        casework_extract::extract_html(&text, &name)
            .map_err(|why| anyhow::anyhow!("{name}: {why}"))?
    } else {
        casework_extract::extract_text(&text, &name)
    })
}

/// A PDF's text in reading order, by poppler's `pdftotext`.
fn pdf_text(path: &Path) -> Result<String> {
    let output = Command::new("pdftotext")
        .args(["-enc", "UTF-8"])
        .arg(path)
        .arg("-")
        .output()
        .context("cannot run pdftotext (poppler-utils) to read the PDF; install it, or convert the report to text")?;
    if !output.status.success() {
        bail!(
            "pdftotext could not read {}: {}",
            path.display(),
            String::from_utf8_lossy(&output.stderr).trim()
        );
    }
    String::from_utf8(output.stdout).context("pdftotext wrote text that is not UTF-8")
}

fn line_of(e: &Extraction, figure: &str) -> String {
    e.result
        .provenance
        .iter()
        .find(|p| p.figure == figure)
        .map(|p| {
            let how = match p.how {
                published::How::Stated => "",
                published::How::Derived => ", derived",
            };
            p.line
                .map_or(String::new(), |l| format!("  (line {l}{how})"))
        })
        .unwrap_or_default()
}

fn print_extraction(e: &Extraction) -> Result<()> {
    let r = &e.result;
    let or_missing = |v: &Option<String>| v.clone().unwrap_or_else(|| "(missing)".into());
    outln!("{}", r.source_file.as_deref().unwrap_or("report"))?;
    outln!(
        "  unit             {}{}",
        or_missing(&r.unit),
        line_of(e, "unit")
    )?;
    outln!(
        "  region           {}{}",
        or_missing(&r.region),
        line_of(e, "region")
    )?;
    outln!(
        "  programme, kind  {}, {}",
        or_missing(&r.programme),
        or_missing(&r.kind)
    )?;
    outln!(
        "  published        {}{}",
        or_missing(&r.published),
        line_of(e, "published")
    )?;
    outln!(
        "  fieldwork        {}{}",
        or_missing(&r.fieldwork_started),
        line_of(e, "fieldwork_started")
    )?;
    let score = match (r.score, r.score_max) {
        (Some(s), Some(m)) => format!("{s}/{m}"),
        _ => "(missing)".into(),
    };
    outln!("  score            {score}{}", line_of(e, "score"))?;
    outln!(
        "  overall rating   {}{}",
        or_missing(&r.overall_rating),
        line_of(e, "overall_rating")
    )?;
    for (s, standard) in r.standards.iter().enumerate() {
        outln!(
            "  {:<6} {:<28} {}{}",
            standard.code,
            standard.name.as_deref().unwrap_or(""),
            or_missing(&standard.rating),
            line_of(e, &format!("standards[{s}].rating"))
        )?;
        for (k, kq) in standard.key_questions.iter().enumerate() {
            outln!(
                "           {:>3}%  {}{}",
                kq.percent_yes.map_or("?".into(), |p| p.to_string()),
                kq.text.as_deref().unwrap_or(""),
                line_of(e, &format!("standards[{s}].key_questions[{k}].percent_yes"))
            )?;
        }
    }
    for (i, sample) in r.samples.iter().enumerate() {
        let parts: Vec<String> = [
            ("cases", sample.cases),
            ("community", sample.community),
            ("licence", sample.licence),
            ("reset", sample.reset),
            ("adjusted", sample.adjusted),
        ]
        .iter()
        .filter_map(|(field, v)| {
            v.map(|v| {
                format!(
                    "{v} {field}{}",
                    line_of(e, &format!("samples[{i}].{field}"))
                )
            })
        })
        .collect();
        outln!("  sample {:<20} {}", sample.instrument, parts.join("; "))?;
    }
    for m in &e.missing {
        outln!("  missing: {m}")?;
    }
    for c in &e.conflicts {
        outln!("  read two ways: {c}")?;
    }
    Ok(())
}
