//! `cargo xtask bench-sample`: the case sample drawn from a synthetic caseload extract of
//! `cases` rows (issue 16: 1,000,000) in six PDUs: the CSV read through the committed mapping,
//! the plan (eligibility, strata, Cochran's size, allocation), the seeded draw with reserves and
//! the sample-against-population comparison, end to end from the file; against pandas reading the
//! same file and drawing with `groupby().sample()` plus the same shares per field, timed inside
//! Python. Reports the ratio, never asserts: a benchmark, not a test.

use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use casework_core::framework::builtin;
use casework_core::sampling::extract::{ColumnMapping, read_csv};
use casework_core::sampling::{Role, SampleSpec, compare, draw, plan};
use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct BenchSampleArgs {
    /// Cases in the extract.
    #[arg(long, default_value_t = 1_000_000)]
    pub cases: usize,
    /// Runs of ours; the median is reported.
    #[arg(long, default_value_t = 5)]
    pub runs: usize,
}

const PEER: &str = r#"
import sys, time
import pandas as pd
path, n = sys.argv[1], int(sys.argv[2])
start = time.perf_counter()
frame = pd.read_csv(path, dtype=str)
keys = ["Sentence Type", "PDU Name"]
drawn = frame.groupby(keys).sample(frac=n / len(frame), random_state=2026)
for column in ["Sentence Type", "PDU Name", "RoSH Level", "Practitioner Grade", "Gender"]:
    pd.concat([frame[column].value_counts(normalize=True), drawn[column].value_counts(normalize=True)], axis=1)
print(time.perf_counter() - start, len(drawn))
"#;

pub fn run(args: &BenchSampleArgs) -> Result<()> {
    let fw = builtin();
    let dir = std::env::temp_dir().join("casework-bench-sample");
    std::fs::create_dir_all(&dir)?;
    let path = dir.join("caseload.csv");
    std::fs::write(
        &path,
        casework_synth::caseload::caseload_csv(args.cases, &casework_synth::caseload::PDUS, 16),
    )?;
    let mapping_text = std::fs::read_to_string(
        crate::workspace_root().join("tests/fixtures/sampling/mapping.toml"),
    )?;
    let mapping = ColumnMapping::from_toml(&mapping_text, "mapping.toml")?;
    let spec = SampleSpec::builtin(fw).context("the built-in specification")?;
    // Each run's total, and its stages: read (file and CSV), plan, draw, compare.
    let mut times: Vec<(Duration, [Duration; 4])> = Vec::with_capacity(args.runs);
    let mut size = 0;
    for _ in 0..args.runs.max(1) {
        let start = Instant::now();
        let text = std::fs::read_to_string(&path)?;
        let caseload = read_csv(fw, "sentence-management", &mapping, "caseload.csv", &text)?;
        let read = start.elapsed();
        let p = plan(fw, &spec, &caseload)?;
        let planned = start.elapsed();
        let drawn = draw(&p, 2026);
        let sample: Vec<usize> = drawn
            .iter()
            .filter(|d| d.role == Role::Drawn)
            .map(|d| d.case)
            .collect();
        let was_drawn = start.elapsed();
        let comparison = compare(fw, &spec, &caseload, &p.eligibility.eligible, &sample);
        let total = start.elapsed();
        times.push((
            total,
            [read, planned - read, was_drawn - planned, total - was_drawn],
        ));
        size = comparison.sample;
    }
    times.sort();
    let (ours, stages) = times[times.len() / 2];
    let ms = |d: Duration| d.as_secs_f64() * 1000.0;
    println!(
        "ours: {} cases read, planned, drawn ({size}) and compared: median {:.0} ms of {} runs \
         (read {:.0}, plan {:.0}, draw {:.0}, compare {:.0})",
        args.cases,
        ms(ours),
        times.len(),
        ms(stages[0]),
        ms(stages[1]),
        ms(stages[2]),
        ms(stages[3])
    );
    let out = Command::new("python3")
        .arg("-c")
        .arg(PEER)
        .arg(&path)
        .arg(size.to_string())
        .output()
        .context("python3 with pandas")?;
    if !out.status.success() {
        bail!(
            "the pandas peer failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    let text = String::from_utf8_lossy(&out.stdout);
    let peer: f64 = text
        .split_whitespace()
        .next()
        .and_then(|t| t.parse().ok())
        .context("the peer's time")?;
    println!(
        "pandas read_csv + groupby().sample() + shares: {:.0} ms; ratio pandas / ours = {:.1}",
        peer * 1000.0,
        peer / ours.as_secs_f64()
    );
    Ok(())
}
