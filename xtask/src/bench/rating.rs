//! `cargo xtask bench`: rates a synthetic national data set (12 regions, 100 PDUs, 1,000,000
//! sentence-management cases by default) and prints cases per second for (a) rating data already in
//! memory and (b) reading the CSV directories and rating. With `--duckdb-python`, runs the same
//! computation as SQL in DuckDB on the same CSVs in the same run and prints the ratio.
//!
//! Timings are reported, never asserted: this is a benchmark, not a test.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use casework_core::framework::{Framework, builtin};
use casework_core::{Inspection, rate};
use clap::Args;
use rayon::prelude::*;

use casework_cli::fsio::{self, write_inspection_dir};
use casework_synth::{self as synth, Mix, generate};

#[derive(Debug, Clone, Args)]
pub struct BenchArgs {
    /// Sentence-management cases in the national data set.
    #[arg(long, default_value_t = 1_000_000)]
    pub cases: usize,
    #[arg(long, default_value_t = 100)]
    pub pdus: usize,
    #[arg(long, default_value_t = 12)]
    pub regions: usize,
    /// Where the synthetic CSV directories are written (reused when already there).
    #[arg(long, default_value = "bench-data")]
    pub data: PathBuf,
    /// Repetitions of each timed step; the fastest is reported.
    #[arg(long, default_value_t = 3)]
    pub repeat: usize,
    /// A Python with the `duckdb` package, to run the DuckDB peer (see scripts/bench.sh).
    #[arg(long, value_name = "PYTHON")]
    pub duckdb_python: Option<PathBuf>,
    /// Write and rate with this framework file instead of the built-in one (to time today's code
    /// on a data set an earlier framework version wrote).
    #[arg(long, value_name = "FILE")]
    pub framework: Option<PathBuf>,
}

/// The framework the benchmark writes and rates with: `--framework`'s, or the built-in one.
fn framework(args: &BenchArgs) -> Result<&'static Framework> {
    Ok(fsio::framework_file(args.framework.as_deref())?.unwrap_or_else(builtin))
}

fn region_dir(data: &Path, r: usize) -> PathBuf {
    data.join(format!("region-{:02}", r + 1))
}

fn marker(args: &BenchArgs) -> String {
    format!(
        "cases={} pdus={} regions={}\n",
        args.cases, args.pdus, args.regions
    )
}

/// Writes the national data set unless an identical one is already there.
fn ensure_data(args: &BenchArgs, fw: &Framework) -> Result<()> {
    let stamp = args.data.join("DATASET");
    if std::fs::read_to_string(&stamp).ok().as_deref() == Some(marker(args).as_str()) {
        eprintln!("using the data set in {}", args.data.display());
        return Ok(());
    }
    if args.pdus < args.regions || args.pdus == 0 {
        bail!("need at least one PDU per region");
    }
    let sm = fw
        .instrument("sentence-management")
        .expect("built-in instrument");
    eprintln!(
        "writing {} cases in {} PDUs to {} ...",
        args.cases,
        args.pdus,
        args.data.display()
    );
    if args.data.exists() {
        std::fs::remove_dir_all(&args.data)?;
    }
    std::fs::create_dir_all(&args.data)?;
    (0..args.pdus)
        .into_par_iter()
        .try_for_each(|p| -> Result<()> {
            let cases = args.cases * (p + 1) / args.pdus - args.cases * p / args.pdus;
            let mix = Mix {
                cases,
                community: cases * 2 / 3,
                reset: cases / 7,
                adjusted: cases / 14,
                oversight: Some((cases / 2, cases * 9 / 10)),
                attributes: Vec::new(),
                shares: Default::default(),
                id_prefix: format!("P{:03}", p + 1),
            };
            let inspection = Inspection {
                region: Some(format!("Synthetic region {:02}", p % args.regions + 1)),
                cases: vec![generate(fw, sm, &mix, &BTreeMap::new(), p as u64)?],
                ..synth::inspection(
                    fw,
                    "pdu",
                    format!("Synthetic PDU {:03}", p + 1),
                    &[
                        ("P1.1", "good"),
                        ("P1.2", "requires-improvement"),
                        ("P1.3", "good"),
                    ],
                )
            };
            write_inspection_dir(
                &args.data.join(format!("pdu-{:03}", p + 1)),
                fw,
                &inspection,
                vec![],
            )
        })?;
    for r in 0..args.regions {
        let region = synth::inspection(
            fw,
            "region",
            format!("Synthetic region {:02}", r + 1),
            &[("R1.1", "requires-improvement"), ("R1.2", "good")],
        );
        let units = (0..args.pdus)
            .filter(|p| p % args.regions == r)
            .map(|p| format!("../pdu-{:03}", p + 1))
            .collect();
        write_inspection_dir(&region_dir(&args.data, r), fw, &region, units)?;
    }
    std::fs::write(&stamp, marker(args))?;
    Ok(())
}

fn load_all(args: &BenchArgs, fw: &'static Framework) -> Result<Vec<Inspection>> {
    (0..args.regions)
        .map(|r| {
            fsio::load(&region_dir(&args.data, r), Some(fw))
                .map(|(i, _)| i)
                .map_err(anyhow::Error::from)
        })
        .collect()
}

/// Rates every region (pooling its PDUs' cases) and every PDU; returns a checksum of the scores so
/// the work cannot be optimised away and the two paths can be compared.
fn rate_all(fw: &Framework, regions: &[Inspection]) -> u64 {
    let mut checksum = 0u64;
    for region in regions {
        let r = rate(fw, region);
        checksum = checksum.wrapping_mul(31).wrapping_add(kq_checksum(&r));
        for pdu in &region.units {
            let p = rate(fw, pdu);
            checksum = checksum.wrapping_mul(31).wrapping_add(kq_checksum(&p));
        }
    }
    checksum
}

fn kq_checksum(r: &casework_core::Ratings) -> u64 {
    r.standards
        .iter()
        .flat_map(|s| &s.key_questions)
        .fold(u64::from(r.score), |acc, k| {
            acc.wrapping_mul(1_000_003)
                .wrapping_add(k.yes * 7 + k.relevant)
        })
}

fn best<T>(repeat: usize, mut f: impl FnMut() -> Result<T>) -> Result<(Duration, T)> {
    let mut best: Option<(Duration, T)> = None;
    for _ in 0..repeat.max(1) {
        let start = Instant::now();
        let out = f()?;
        let took = start.elapsed();
        if best.as_ref().is_none_or(|(d, _)| took < *d) {
            best = Some((took, out));
        }
    }
    Ok(best.expect("at least one run"))
}

fn per_sec(cases: usize, d: Duration) -> String {
    format!("{:.0}", cases as f64 / d.as_secs_f64())
}

pub fn run(args: &BenchArgs) -> Result<()> {
    let fw = framework(args)?;
    ensure_data(args, fw)?;
    let threads = rayon::current_num_threads();
    println!(
        "national data set: {} regions, {} PDUs, {} sentence-management cases ({} questions each); {} threads",
        args.regions,
        args.pdus,
        args.cases,
        fw.instrument("sentence-management")
            .map_or(0, |i| i.questions.len()),
        threads
    );

    let (load_time, regions) = best(1, || load_all(args, fw))?;
    let loaded: usize = regions
        .iter()
        .flat_map(|r| &r.units)
        .map(Inspection::case_count)
        .sum();
    if loaded != args.cases {
        bail!("loaded {loaded} cases, expected {}", args.cases);
    }
    let (mem, checksum_mem) = best(args.repeat, || Ok(rate_all(fw, &regions)))?;
    drop(regions);
    println!(
        "(a) rate from memory:      {:>8.3} s  {:>12} cases/s  (every PDU and every region)",
        mem.as_secs_f64(),
        per_sec(args.cases, mem)
    );
    let (e2e, checksum_e2e) = best(args.repeat, || {
        let regions = load_all(args, fw)?;
        Ok(rate_all(fw, &regions))
    })?;
    if checksum_mem != checksum_e2e {
        bail!("the two paths disagree: checksum {checksum_mem} vs {checksum_e2e}");
    }
    println!(
        "(b) read CSVs and rate:    {:>8.3} s  {:>12} cases/s  (first load {:.3} s)",
        e2e.as_secs_f64(),
        per_sec(args.cases, e2e),
        load_time.as_secs_f64()
    );

    if let Some(python) = &args.duckdb_python {
        let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../scripts/duckdb_rate.py");
        let output = Command::new(python)
            .arg(&script)
            .arg(&args.data)
            .arg("--repeat")
            .arg(args.repeat.to_string())
            .output()
            .with_context(|| format!("cannot run {} {}", python.display(), script.display()))?;
        if !output.status.success() {
            bail!(
                "DuckDB peer failed: {}",
                String::from_utf8_lossy(&output.stderr)
            );
        }
        let stdout = String::from_utf8_lossy(&output.stdout);
        print!("{stdout}");
        let seconds: f64 = stdout
            .lines()
            .find_map(|l| l.strip_prefix("duckdb_seconds="))
            .and_then(|s| s.trim().parse().ok())
            .context("the DuckDB peer printed no duckdb_seconds= line")?;
        println!(
            "DuckDB (same CSVs, same rules in SQL): {:>8.3} s  {:>12} cases/s",
            seconds,
            format!("{:.0}", args.cases as f64 / seconds)
        );
        println!(
            "ratio end to end: casework is {:.2}x the speed of DuckDB (DuckDB time / casework time)",
            seconds / e2e.as_secs_f64()
        );
    }
    Ok(())
}
