//! The `casework` binary: argument parsing, exit codes and terminal output. Exit codes: 0 success,
//! 1 invalid input (message on stderr), 2 usage error.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use casework_cli::{demo, fixtures, fsio, table};
use casework_core::framework::{Framework, builtin};
use casework_core::rate;

#[derive(Parser)]
#[command(
    name = "casework",
    version,
    about = "Rate probation inspections the way HM Inspectorate of Probation does",
    long_about = "Casework computes key-question percentages, standard ratings, the score and the \
overall rating of a probation inspection (PDU or region) from case-level answers, by the rules of a \
framework kept as data (built in: probation-2023)."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Clone, Copy, ValueEnum)]
enum Format {
    /// A readable ratings panel.
    Table,
    /// The full ratings as JSON.
    Json,
}

#[derive(Subcommand)]
enum Command {
    /// Rate an inspection directory (inspection.toml + CSVs) or an inspection JSON file.
    Rate {
        /// Inspection directory, or a .json inspection document.
        path: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// In the table, show each prompt's "X out of Y relevant cases" under its key question.
        #[arg(long)]
        prompts: bool,
        /// Use this framework file instead of the built-in one the inspection names.
        #[arg(long, value_name = "FILE")]
        framework: Option<PathBuf>,
    },
    /// Write a fictional demo region (three PDUs) and rate it.
    Demo {
        /// Where to write the demo inspections.
        #[arg(default_value = "casework-demo")]
        dir: PathBuf,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
    },
    /// Check a framework file and summarise it (defaults to the built-in framework).
    Framework {
        /// A framework TOML file.
        file: Option<PathBuf>,
    },
    /// Benchmark rating a synthetic national data set (see BENCHMARKS.md).
    Bench(casework_cli::bench::BenchArgs),
    /// Regenerate the acceptance fixtures from the published figures (developers).
    #[command(hide = true)]
    GenFixtures {
        #[arg(long, default_value = "tests/fixtures/published.toml")]
        spec: PathBuf,
        #[arg(long, default_value = "tests/fixtures")]
        out: PathBuf,
    },
}

/// Any error reaching here is reported on stderr with exit code 1; clap exits 2 on usage errors.
fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e:#}");
            ExitCode::from(1)
        }
    }
}

fn print_ratings(
    fw: &Framework,
    ratings: &casework_core::Ratings,
    format: Format,
    options: table::Options,
) -> Result<()> {
    match format {
        Format::Table => print!("{}", table::render(fw, ratings, options)),
        Format::Json => println!("{}", serde_json::to_string_pretty(ratings)?),
    }
    Ok(())
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Rate {
            path,
            format,
            prompts,
            framework,
        } => {
            let framework = fsio::framework_file(framework.as_deref())?;
            let (inspection, fw) = fsio::load(&path, framework)?;
            print_ratings(
                fw,
                &rate(fw, &inspection),
                format,
                table::Options { prompts },
            )
        }
        Command::Demo { dir, format } => {
            let fw = builtin();
            let region = demo::write_demo(fw, &dir)
                .with_context(|| format!("cannot write the demo to {}", dir.display()))?;
            let (inspection, fw) = fsio::load(&region, None)?;
            if matches!(format, Format::Table) {
                println!(
                    "Demo data (fictional) written to {}. Rate it again with: casework rate {}\n",
                    dir.display(),
                    region.display()
                );
            }
            print_ratings(
                fw,
                &rate(fw, &inspection),
                format,
                table::Options::default(),
            )
        }
        Command::Framework { file } => {
            let owned;
            let fw = match file {
                Some(path) => {
                    let text = std::fs::read_to_string(&path)
                        .with_context(|| format!("cannot read {}", path.display()))?;
                    owned = Framework::from_toml(&text, &path.display().to_string())?;
                    &owned
                }
                None => builtin(),
            };
            println!(
                "{} v{} ({}), content hash {}",
                fw.id,
                fw.version,
                fw.name,
                fw.content_hash()
            );
            println!("rules: {:?}", fw.rules);
            for kind in &fw.kinds {
                println!(
                    "{}: {} standards, score out of {}",
                    kind.id,
                    kind.standards.len(),
                    fw.max_points() * kind.standards.len() as u32
                );
            }
            for inst in &fw.instruments {
                let keys = inst
                    .questions
                    .iter()
                    .filter(|q| q.kind == casework_core::framework::QuestionKind::Key)
                    .count();
                println!(
                    "instrument {} ({}): {} key questions, {} prompts",
                    inst.id,
                    inst.file,
                    keys,
                    inst.questions.len() - keys
                );
            }
            Ok(())
        }
        Command::Bench(args) => casework_cli::bench::run(&args),
        Command::GenFixtures { spec, out } => {
            let written = fixtures::generate_all(builtin(), &spec, &out)?;
            for dir in written {
                println!("wrote {}", dir.display());
            }
            Ok(())
        }
    }
}
