//! `cargo xtask`: the developers' commands, apart from the user's binary (as rust-analyzer keeps
//! them): the benchmarks, regenerating the acceptance fixtures, and the tidy checks.

mod bench;
mod fixtures;
mod tidy;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[derive(Parser)]
#[command(name = "cargo xtask", about = "Casework's developer tools")]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Benchmark rating a synthetic national data set (see BENCHMARKS.md).
    Bench(bench::rating::BenchArgs),
    /// Benchmark the store: import speed against pandas, edit latency (see BENCHMARKS.md).
    BenchStore(bench::store::BenchStoreArgs),
    /// Benchmark the report: HTML + PDF + XLSX for a PDU and a region, PDF against LibreOffice.
    BenchReport(bench::report::BenchReportArgs),
    /// Benchmark agreement statistics: 10,000 double-marked cases x 54 questions, against irrCAC.
    BenchAgreement(bench::agreement::BenchAgreementArgs),
    /// Benchmark the case sample: 1,000,000-case extract read, planned, drawn, compared; against pandas.
    BenchSample(bench::sample::BenchSampleArgs),
    /// Benchmark extraction: 500 report texts extracted and checked, against Python's `re`.
    BenchExtract(bench::extract::BenchExtractArgs),
    /// Regenerate the acceptance fixtures from the published figures.
    GenFixtures {
        #[arg(long, default_value = "tests/fixtures/published.toml")]
        spec: PathBuf,
        #[arg(long, default_value = "tests/fixtures")]
        out: PathBuf,
    },
    /// Check the source tree: every file's `//!` line, ARCHITECTURE.md's map, file lengths, and no
    /// import cycles between modules.
    Tidy,
}

/// The workspace root (this crate sits in it).
fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_default()
}

fn main() -> ExitCode {
    let done = match Cli::parse().command {
        Command::Bench(args) => bench::rating::run(&args),
        Command::BenchStore(args) => bench::store::run(&args),
        Command::BenchReport(args) => bench::report::run(&args),
        Command::BenchAgreement(args) => bench::agreement::run(&args),
        Command::BenchSample(args) => bench::sample::run(&args),
        Command::BenchExtract(args) => bench::extract::run(&args),
        Command::GenFixtures { spec, out } => fixtures::generate(&spec, &out).map(|written| {
            for dir in written {
                println!("wrote {}", dir.display());
            }
        }),
        Command::Tidy => {
            let problems = tidy::all(&workspace_root());
            for p in &problems {
                println!("{p}");
            }
            if !problems.is_empty() {
                println!("tidy: {} problem(s)", problems.len());
                return ExitCode::from(1);
            }
            println!("tidy: every check passed");
            Ok(())
        }
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}
