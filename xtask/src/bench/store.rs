//! `cargo xtask bench-store`: import speed and edit latency of the store. Imports a 100,000-case
//! inspection as a CSV directory and as an XLSX workbook into SQLite (and PostgreSQL with
//! `--postgres`), runs `pandas.read_csv` + `to_sql` into a SQLite file on the same CSV in the same run
//! (with `--pandas-python`, which also runs `scripts/sqlite_floor.py`: the store step alone, done by
//! SQLite's C library on ready-made rows), and measures single-answer edit latency under concurrent writers.
//! Reports, never asserts: a benchmark, not a test.

use std::collections::BTreeMap;
use std::ffi::OsStr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use casework_core::framework::builtin;
use casework_core::{Answer, Inspection};
use casework_store::{AnswerEdit, Store, StoreError};
use clap::Args;

use casework_cli::fsio::{self, write_inspection_dir};
use casework_synth::{self as synth, Mix, generate};

#[derive(Debug, Clone, Args)]
pub struct BenchStoreArgs {
    #[arg(long, default_value_t = 100_000)]
    pub cases: usize,
    /// Where the data set and scratch databases go.
    #[arg(long, default_value = "bench-data/store")]
    pub data: PathBuf,
    /// Also benchmark PostgreSQL at this URL (a scratch schema is created and dropped).
    #[arg(long, value_name = "URL")]
    pub postgres: Option<String>,
    /// A Python with pandas, for the pandas peer (see scripts/bench_store.sh).
    #[arg(long, value_name = "PYTHON")]
    pub pandas_python: Option<PathBuf>,
    /// Concurrent writers for the edit-latency run.
    #[arg(long, default_value_t = 8)]
    pub writers: usize,
    /// Edits per writer.
    #[arg(long, default_value_t = 250)]
    pub edits: usize,
}

fn ensure_data(args: &BenchStoreArgs) -> Result<(PathBuf, PathBuf)> {
    let dir = args.data.join(format!("pdu-{}", args.cases));
    let book = args.data.join(format!("pdu-{}.xlsx", args.cases));
    if dir.join("sentence-management.csv").exists() && book.exists() {
        return Ok((dir, book));
    }
    eprintln!(
        "writing a {}-case inspection to {} ...",
        args.cases,
        dir.display()
    );
    let fw = builtin();
    let sm = fw
        .instrument("sentence-management")
        .expect("built-in instrument");
    let mix = Mix {
        cases: args.cases,
        community: args.cases * 2 / 3,
        reset: args.cases / 7,
        adjusted: args.cases / 14,
        oversight: Some((args.cases / 2, args.cases * 9 / 10)),
        attributes: Vec::new(),
        shares: Default::default(),
        id_prefix: "B".into(),
    };
    let inspection = Inspection {
        region: Some("Synthetic region".into()),
        cases: vec![generate(fw, sm, &mix, &BTreeMap::new(), 42)?],
        ..synth::inspection(
            fw,
            "pdu",
            "Synthetic PDU",
            &[("P1.1", "good"), ("P1.2", "good"), ("P1.3", "good")],
        )
    };
    write_inspection_dir(&dir, fw, &inspection, vec![])?;
    casework_cli::xlsx::write(&book, fw, &inspection)?;
    Ok((dir, book))
}

/// A fresh database: a new SQLite file, or a new PostgreSQL schema.
async fn fresh(args: &BenchStoreArgs, backend: &str, name: &str) -> Result<String> {
    if backend == "sqlite" {
        let file = args.data.join(format!("{name}.db"));
        for ext in ["", "-wal", "-shm"] {
            let _ = std::fs::remove_file(format!("{}{ext}", file.display()));
        }
        return Ok(file.display().to_string());
    }
    let base = args.postgres.as_deref().context("no --postgres URL")?;
    let schema = format!("cw_bench_{name}");
    sqlx::any::install_default_drivers();
    let pool = sqlx::AnyPool::connect(base).await?;
    sqlx::query(&format!("DROP SCHEMA IF EXISTS {schema} CASCADE"))
        .execute(&pool)
        .await?;
    sqlx::query(&format!("CREATE SCHEMA {schema}"))
        .execute(&pool)
        .await?;
    pool.close().await;
    Ok(casework_testkit::postgres_url_in_schema(base, &schema))
}

/// How long an import took in all, and how much of that was reading and checking the files.
#[derive(Debug, Clone, Copy)]
struct ImportTime {
    total: Duration,
    read: Duration,
}

async fn time_import(db: &str, path: &Path) -> Result<ImportTime> {
    let start = Instant::now();
    let (inspection, fw) = fsio::load(path, None)?;
    let read = start.elapsed();
    let store = Store::open(db).await?;
    store
        .import(fw, &inspection, "bench", "bench", None)
        .await?;
    store.close().await;
    Ok(ImportTime {
        total: start.elapsed(),
        read,
    })
}

/// Runs `scripts/<script>` with `python` and returns the seconds it printed as `<key>=...`.
fn python_peer(python: &Path, script: &str, args: &[&OsStr], key: &str) -> Result<f64> {
    let script = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../scripts")
        .join(script);
    let out = Command::new(python)
        .arg(&script)
        .args(args)
        .output()
        .with_context(|| format!("cannot run {}", python.display()))?;
    if !out.status.success() {
        bail!(
            "{} failed: {}",
            script.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .find_map(|l| l.strip_prefix(key)?.strip_prefix('='))
        .and_then(|s| s.trim().parse().ok())
        .with_context(|| format!("{} printed no {key}= line", script.display()))
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

async fn edit_latency(args: &BenchStoreArgs, db: &str) -> Result<(Duration, Duration, usize)> {
    let store = Store::open(db).await?;
    let mut tasks = Vec::new();
    for w in 0..args.writers {
        let (store, edits) = (store.clone(), args.edits);
        tasks.push(tokio::spawn(async move {
            let mut times = Vec::with_capacity(edits);
            let mut conflicts = 0usize;
            for n in 0..edits {
                // Each writer keeps to its own cases: this measures the write path, not conflicts.
                let case = format!("B-{:04}", 1 + w + n * 8 % 9000);
                let current = store.case("bench", "sentence-management", &case).await?;
                let start = Instant::now();
                let result = store
                    .set_answer(&AnswerEdit {
                        inspection: "bench",
                        instrument: "sentence-management",
                        case_ref: &case,
                        question: "P2.1.1a",
                        answer: if n % 2 == 0 { Answer::Yes } else { Answer::No },
                        expected_version: current.version,
                        actor: "bench",
                        reason: None,
                    })
                    .await;
                times.push(start.elapsed());
                match result {
                    Ok(_) => {}
                    Err(StoreError::StaleVersion { .. }) => conflicts += 1,
                    Err(e) => return Err(anyhow::Error::from(e)),
                }
            }
            Ok::<_, anyhow::Error>((times, conflicts))
        }));
    }
    let mut all = Vec::new();
    let mut conflicts = 0;
    for t in tasks {
        let (times, c) = t.await??;
        all.extend(times);
        conflicts += c;
    }
    store.close().await;
    all.sort();
    Ok((percentile(&all, 0.5), percentile(&all, 0.99), conflicts))
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

pub fn run(args: &BenchStoreArgs) -> Result<()> {
    let (dir, book) = ensure_data(args)?;
    let rt = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    let mut backends = vec!["sqlite"];
    if args.postgres.is_some() {
        backends.push("postgres");
    }
    let mut csv_sqlite = None;
    println!(
        "import of a {}-case inspection (54 questions a case), end to end (read, check, write, commit):",
        args.cases
    );
    for backend in &backends {
        for (what, path) in [("CSV directory", &dir), ("XLSX workbook", &book)] {
            let db = rt.block_on(fresh(args, backend, "import"))?;
            let took = rt.block_on(time_import(&db, path))?;
            if *backend == "sqlite" && what.starts_with("CSV") {
                csv_sqlite = Some(took);
            }
            println!(
                "  {backend:<9} {what:<14} {:>8.3} s  {:>9.0} cases/s  (read and check {:.3} s, store {:.3} s)",
                took.total.as_secs_f64(),
                args.cases as f64 / took.total.as_secs_f64(),
                took.read.as_secs_f64(),
                (took.total - took.read).as_secs_f64()
            );
        }
    }
    if let (Some(python), Some(ours)) = (&args.pandas_python, csv_sqlite) {
        let csv = dir.join("sentence-management.csv");
        let pandas_db = args.data.join("pandas.db");
        let _ = std::fs::remove_file(&pandas_db);
        let pandas = python_peer(
            python,
            "pandas_import.py",
            &[csv.as_os_str(), pandas_db.as_os_str()],
            "pandas_seconds",
        )?;
        println!(
            "  pandas    read_csv + to_sql {:>5.3} s  {:>9.0} cases/s  (same CSV, into a SQLite file)",
            pandas,
            args.cases as f64 / pandas
        );
        println!(
            "  ratio: casework CSV -> SQLite is {:.2}x the speed of pandas (pandas time / casework time)",
            pandas / ours.total.as_secs_f64()
        );
        let floor_db = rt.block_on(fresh(args, "sqlite", "floor"))?;
        let migrations = Path::new(env!("CARGO_MANIFEST_DIR")).join("../store/migrations/sqlite");
        let floor = python_peer(
            python,
            "sqlite_floor.py",
            &[
                csv.as_os_str(),
                OsStr::new(&floor_db),
                migrations.as_os_str(),
            ],
            "floor_seconds",
        )?;
        println!(
            "  sqlite3   ready-made rows  {floor:>6.3} s  (the store step alone, by SQLite's C library: same schema, pragmas and batches)"
        );
        println!(
            "  casework's store step is {:.2}x the floor; pandas / floor is {:.2}x, the most any import into this schema could reach",
            (ours.total - ours.read).as_secs_f64() / floor,
            pandas / floor
        );
    }
    println!(
        "single-answer edit latency, {} concurrent writers x {} edits:",
        args.writers, args.edits
    );
    for backend in &backends {
        let db = rt.block_on(fresh(args, backend, "edits"))?;
        rt.block_on(time_import(&db, &dir))?;
        let (p50, p99, conflicts) = rt.block_on(edit_latency(args, &db))?;
        println!(
            "  {backend:<9} p50 {:>7.2} ms  p99 {:>7.2} ms  ({conflicts} conflicts)",
            ms(p50),
            ms(p99)
        );
    }
    if let Some(base) = &args.postgres {
        rt.block_on(async {
            sqlx::any::install_default_drivers();
            let pool = sqlx::AnyPool::connect(base).await?;
            for name in ["import", "edits"] {
                sqlx::query(&format!("DROP SCHEMA IF EXISTS cw_bench_{name} CASCADE"))
                    .execute(&pool)
                    .await?;
            }
            pool.close().await;
            Ok::<_, anyhow::Error>(())
        })?;
    }
    Ok(())
}
