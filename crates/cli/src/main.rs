//! The `casework` binary: argument parsing and exit codes. Each command's options and work are in
//! `casework_cli::commands`. Exit codes: 0 success, 1 invalid input (message on stderr), 2 usage
//! error.

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use casework_cli::commands::{
    answer, audit, backup, bands, demo, edit_stream, evidence, export, extract, framework, import,
    init, list, national, publication, published, qa, rate, report, sample, serve, user,
};
use casework_cli::terminal;

#[derive(Parser)]
#[command(
    name = "casework",
    version,
    about = "Rate probation inspections the way HM Inspectorate of Probation does",
    long_about = "Casework computes key-question percentages, standard ratings, the score and the \
overall rating of a probation inspection (PDU or region) from case-level answers, by the rules of a \
framework kept as data (built in: probation-2023, and the earlier programmes probation-2021 and probation-2018); and reads published reports into a checked national dataset."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Run the web service (default http://127.0.0.1:8080); an empty database gets the demo region
    /// and one demo account per role, whose passwords are printed once.
    Serve(serve::Args),
    /// Users, their sessions, and who works on which inspection.
    #[command(subcommand)]
    User(user::Command),
    /// Publication: the factual-accuracy check, publishing (the report kept as published),
    /// corrections, withdrawal, and the published files.
    #[command(subcommand)]
    Publication(publication::Command),
    /// Quality assurance: review moves (submit, approve, return, lock, reopen), the QA sample,
    /// blind second marking, disagreements and their reconciliation, agreement and consistency.
    #[command(subcommand)]
    Qa(qa::Command),
    /// The case sample: plan it from a caseload extract (population, size, margin, strata), draw
    /// it from a seed with reserves, and compare it with its population.
    #[command(subcommand)]
    Sample(sample::Command),
    /// Domain one's evidence files read and counted: a survey export through its mapping, an
    /// interviews, measures, documents or key question ratings table; prints the named figures a
    /// report can use, and records them with a stored inspection (--into).
    #[command(subcommand)]
    Evidence(evidence::Command),
    /// Rate an inspection: a directory (inspection.toml + CSVs), a JSON file, or a stored inspection id.
    Rate(rate::Args),
    /// Create (or upgrade) the database.
    Init(init::Args),
    /// Import an inspection directory, JSON file or XLSX workbook (a region with its PDUs), all or nothing.
    Import(import::Args),
    /// Write a stored inspection back out: a directory (its PDU inspections where it points) or .xlsx.
    Export(export::Args),
    /// Set one answer of a stored case (based on the case version you last saw).
    Answer(answer::Args),
    /// Crash-test harness: a stream of committed edits (developers).
    #[command(hide = true)]
    EditStream(edit_stream::Args),
    /// Write a consistent copy of the whole store, while it is in use, to a new SQLite file.
    Backup(backup::Args),
    /// List stored inspections.
    List(list::Args),
    /// The audit log: verify its chain, or print it.
    #[command(subcommand)]
    Audit(audit::Command),
    /// Write a fictional demo region (three PDUs) and rate it.
    Demo(demo::Args),
    /// Check a framework file and summarise it (defaults to the built-in framework).
    Framework(framework::Args),
    /// Read published inspection reports (text, HTML, PDF) into published results, each figure
    /// with the line it was read on; what cannot be read is reported missing, never guessed.
    Extract(extract::Args),
    /// Published results (the national dataset): import, export, list, check, delete.
    #[command(subcommand)]
    Published(published::Command),
    /// What the published results say about the overall score bands.
    #[command(subcommand)]
    Bands(bands::Command),
    /// The league table of published results, filtered and sorted (table, JSON, CSV).
    National(national::Args),
    /// Write the inspection report (HTML, PDF) and data workbook (XLSX, CSV); `report lint DIR`
    /// finds numbers typed into the narrative. With no format flag: HTML, PDF and XLSX.
    Report(report::Args),
}

/// Any error reaching here is reported on stderr with exit code 1; clap exits 2 on usage errors.
/// Standard output closed by its reader (`| head`) ends the command quietly.
fn main() -> ExitCode {
    let done = match Cli::parse().command {
        Command::Serve(args) => serve::run(args),
        Command::User(command) => user::run(command),
        Command::Publication(command) => publication::run(command),
        Command::Qa(command) => qa::run(command),
        Command::Sample(command) => sample::run(command),
        Command::Evidence(command) => evidence::run(command),
        Command::Rate(args) => rate::run(args),
        Command::Init(args) => init::run(args),
        Command::Import(args) => import::run(args),
        Command::Export(args) => export::run(args),
        Command::Answer(args) => answer::run(args),
        Command::EditStream(args) => edit_stream::run(args),
        Command::Backup(args) => backup::run(args),
        Command::List(args) => list::run(args),
        Command::Audit(command) => audit::run(command),
        Command::Demo(args) => demo::run(args),
        Command::Framework(args) => framework::run(args),
        Command::Report(args) => report::run(args),
        Command::Extract(args) => extract::run(args),
        Command::Published(command) => published::run(command),
        Command::Bands(command) => bands::run(command),
        Command::National(args) => national::run(args),
    };
    match done {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if terminal::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", terminal::clean(&format!("{e:#}")));
            ExitCode::from(1)
        }
    }
}
