//! `cargo xtask bench-extract`: `files` report texts (issue 18: 500; copies of the five reference
//! reports in ../shared/seeds, so every layout is in the mix) extracted into published results
//! and checked against their frameworks, end to end from the files; against the same extraction
//! and checks done with Python's `re` (`scripts/extract_re.py`) over the same files, timed inside
//! Python. Both sides' figures are compared result by result before any time is reported, so the
//! ratio is of the same work. Reports the ratio, never asserts: a benchmark, not a test.

use std::collections::BTreeMap;
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use casework_core::published::{self, PublishedResult};
use clap::Args;
use serde_json::{Value, json};

#[derive(Debug, Clone, Args)]
pub struct BenchExtractArgs {
    /// Report texts extracted per run.
    #[arg(long, default_value_t = 500)]
    pub files: usize,
    /// Runs of each side; the medians are reported.
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
}

/// What the Python peer prints for a result, so the two can be compared.
fn digest(file: &str, r: &PublishedResult, findings: usize) -> Value {
    let mut standards = serde_json::Map::new();
    for s in &r.standards {
        let percents: Vec<u32> = s
            .key_questions
            .iter()
            .filter_map(|k| k.percent_yes)
            .collect();
        standards.insert(
            s.code.clone(),
            json!({ "rating": s.rating, "percent_yes": percents }),
        );
    }
    let mut samples = BTreeMap::new();
    for s in &r.samples {
        let name = match s.instrument.as_str() {
            "sentence-management" => "cases",
            "court-report" => "court_reports",
            "unpaid-work" => "unpaid_work",
            "victim-contact" => "victims",
            other => other,
        };
        if let Some(n) = s.cases {
            samples.insert(name.to_string(), n);
        }
        if s.instrument == "sentence-management" {
            for (field, v) in [("community", s.community), ("licence", s.licence)] {
                if let Some(v) = v {
                    samples.insert(field.to_string(), v);
                }
            }
        }
    }
    json!({
        "file": file, "score": r.score, "score_max": r.score_max,
        "overall_rating": r.overall_rating, "standards": standards, "samples": samples,
        "findings": findings,
    })
}

/// The peer's line in the same shape: its sample counts limited to those the report states in
/// both readings (the peer also reads interviews; ours derives a licence count the report
/// implies), its findings counted.
fn peer_digest(mut v: Value, ours: &Value) -> Value {
    if let Some(samples) = v.get_mut("samples").and_then(Value::as_object_mut) {
        samples.remove("interviews");
        if let Some(mine) = ours.get("samples").and_then(Value::as_object)
            && mine.contains_key("licence")
            && !samples.contains_key("licence")
        {
            samples.insert("licence".into(), mine["licence"].clone());
        }
    }
    let findings = v
        .get("findings")
        .and_then(Value::as_array)
        .map_or(0, Vec::len);
    v["findings"] = json!(findings);
    v
}

pub fn run(args: &BenchExtractArgs) -> Result<()> {
    let seeds = crate::workspace_root().join("../shared/seeds");
    let mut texts: Vec<(String, String)> = std::fs::read_dir(&seeds)
        .with_context(|| format!("{} (the reference reports) is needed", seeds.display()))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| -> Result<(String, String)> {
            let name = p
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string();
            Ok((name, std::fs::read_to_string(&p)?))
        })
        .collect::<Result<_>>()?;
    texts.sort();
    if texts.is_empty() {
        bail!("no report texts in {}", seeds.display());
    }
    let dir = std::env::temp_dir().join("casework-bench-extract");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir)?;
    let mut bytes = 0;
    for i in 0..args.files {
        let (name, text) = &texts[i % texts.len()];
        std::fs::write(dir.join(format!("{i:04}_{name}")), text)?;
        bytes += text.len();
    }
    println!(
        "{} report texts ({:.1} MB), copies of the {} reference reports",
        args.files,
        bytes as f64 / 1e6,
        texts.len()
    );
    let frameworks = published::frameworks();
    let mut times: Vec<Duration> = Vec::new();
    let mut ours: Vec<Value> = Vec::new();
    for _ in 0..args.runs.max(1) {
        let start = Instant::now();
        let mut names: Vec<_> = std::fs::read_dir(&dir)?
            .filter_map(|e| e.ok())
            .map(|e| e.path())
            .collect();
        names.sort();
        let mut results = Vec::with_capacity(names.len());
        for path in &names {
            let text = std::fs::read_to_string(path)?;
            let name = path
                .file_name()
                .and_then(|n| n.to_str())
                .unwrap_or("")
                .to_string();
            results.push((
                name.clone(),
                casework_extract::extract_text(&text, &name).result,
            ));
        }
        let only: Vec<PublishedResult> = results.iter().map(|(_, r)| r.clone()).collect();
        let findings = published::check_all(&frameworks, &only);
        ours = results
            .iter()
            .enumerate()
            .map(|(i, (name, r))| digest(name, r, findings.iter().filter(|f| f.index == i).count()))
            .collect();
        let out: String = ours.iter().map(|v| format!("{v}\n")).collect();
        std::fs::write(dir.with_extension("ours.jsonl"), out)?;
        times.push(start.elapsed());
    }
    times.sort();
    let median = times[times.len() / 2];
    println!(
        "ours (casework-extract + checks): median {:.0} ms of {} runs ({:.2} ms a report)",
        median.as_secs_f64() * 1000.0,
        times.len(),
        median.as_secs_f64() * 1000.0 / args.files as f64
    );

    let script = crate::workspace_root().join("scripts/extract_re.py");
    let peer_out = dir.with_extension("peer.jsonl");
    let mut peer_times = Vec::new();
    for _ in 0..args.runs.max(1) {
        peer_times.push(run_peer(&script, &dir, &peer_out)?);
    }
    peer_times.sort_by(f64::total_cmp);
    let peer = peer_times[peer_times.len() / 2];
    let peer_lines: Vec<Value> = std::fs::read_to_string(&peer_out)?
        .lines()
        .map(serde_json::from_str)
        .collect::<Result<_, _>>()?;
    if peer_lines.len() != ours.len() {
        bail!(
            "the peer read {} files, ours {}",
            peer_lines.len(),
            ours.len()
        );
    }
    let differ: Vec<String> = ours
        .iter()
        .zip(peer_lines)
        .filter(|(mine, theirs)| peer_digest((*theirs).clone(), mine) != **mine)
        .map(|(mine, _)| mine["file"].to_string())
        .collect();
    if !differ.is_empty() {
        bail!(
            "the two extractions disagree on {} files (first: {}); compare {} with {}",
            differ.len(),
            differ[0],
            dir.with_extension("ours.jsonl").display(),
            peer_out.display()
        );
    }
    println!(
        "both extractions agree on every figure of all {} files",
        ours.len()
    );
    println!(
        "Python re (scripts/extract_re.py): median {:.0} ms; ratio Python / ours = {:.1}",
        peer * 1000.0,
        peer / median.as_secs_f64()
    );
    Ok(())
}

fn run_peer(script: &Path, dir: &Path, out: &Path) -> Result<f64> {
    let output = Command::new("python3")
        .arg(script)
        .arg(dir)
        .arg(out)
        .output()
        .context("python3")?;
    if !output.status.success() {
        bail!(
            "the peer failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
    }
    String::from_utf8_lossy(&output.stdout)
        .lines()
        .find_map(|l| l.strip_prefix("python_seconds="))
        .and_then(|t| t.trim().parse().ok())
        .context("the peer's python_seconds")
}
