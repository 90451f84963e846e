//! The `casework` binary: argument parsing, exit codes and terminal output. Exit codes: 0 success,
//! 1 invalid input (message on stderr), 2 usage error.

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result};
use clap::{Parser, Subcommand, ValueEnum};

use casework_cli::{demo, fixtures, fsio, out, outln, stored, table, terminal};
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

/// Where inspections are stored: a SQLite file (the default) or a postgres:// URL.
#[derive(clap::Args, Clone)]
struct Db {
    #[arg(
        long,
        env = "CASEWORK_DB",
        default_value = "casework.db",
        value_name = "URL"
    )]
    db: String,
}

impl Db {
    /// Whether a database is there to ask (so a mistyped path never creates an empty one).
    fn exists(&self) -> bool {
        let d = &self.db;
        d.starts_with("postgres") || {
            let file = d.strip_prefix("sqlite://").unwrap_or(d);
            let file = file.split('?').next().unwrap_or(file);
            std::path::Path::new(file).exists()
        }
    }
}

#[derive(Subcommand)]
enum AuditCommand {
    /// Check the audit log's hash chain; names the first broken entry.
    Verify {
        #[command(flatten)]
        db: Db,
    },
    /// Print the audit log, one JSON object per line. Evidence notes and case notes are personal
    /// data: shown as "[redacted: N characters]" unless --include-notes is given.
    Log {
        #[command(flatten)]
        db: Db,
        /// Print the text of evidence notes and case notes (for an administrator who needs it).
        #[arg(long)]
        include_notes: bool,
    },
}

#[derive(Subcommand)]
enum UserCommand {
    /// Create a user (or change one's role and password). The password is generated and printed
    /// once unless --password-stdin gives one.
    Add {
        name: String,
        /// admin, lead, inspector, qa or viewer.
        #[arg(long)]
        role: String,
        /// Read the password (12 characters or more) from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: Db,
        /// Who is doing this, for the audit log.
        #[arg(long, env = "USER", default_value = "unknown")]
        by: String,
    },
    /// Assign a user to an inspection (a region's assignment covers its PDUs).
    Assign {
        name: String,
        inspection: String,
        #[command(flatten)]
        db: Db,
        #[arg(long, env = "USER", default_value = "unknown")]
        by: String,
    },
    /// Take a user off an inspection.
    Unassign {
        name: String,
        inspection: String,
        #[command(flatten)]
        db: Db,
        #[arg(long, env = "USER", default_value = "unknown")]
        by: String,
    },
    /// End every session of a user: they must sign in again.
    Revoke {
        name: String,
        #[command(flatten)]
        db: Db,
        #[arg(long, env = "USER", default_value = "unknown")]
        by: String,
    },
    /// Stop a user signing in (their sessions end); their audit entries keep their name.
    Disable {
        name: String,
        #[command(flatten)]
        db: Db,
        #[arg(long, env = "USER", default_value = "unknown")]
        by: String,
    },
    /// Let a disabled user sign in again.
    Enable {
        name: String,
        #[command(flatten)]
        db: Db,
        #[arg(long, env = "USER", default_value = "unknown")]
        by: String,
    },
    /// List users, their roles, and who is disabled.
    List {
        #[command(flatten)]
        db: Db,
    },
}

#[derive(Subcommand)]
enum Command {
    /// Run the web service (default http://127.0.0.1:8080); an empty database gets the demo region
    /// and one demo account per role, whose passwords are printed once.
    Serve(casework_cli::web::ServeArgs),
    /// Users and who works on which inspection.
    #[command(subcommand)]
    User(UserCommand),
    /// Publish an inspection (viewers can see it; its cases become read-only), or withdraw it.
    Publish {
        inspection: String,
        /// Withdraw publication instead.
        #[arg(long)]
        withdraw: bool,
        #[command(flatten)]
        db: Db,
        #[arg(long, env = "USER", default_value = "unknown")]
        by: String,
    },
    /// Rate an inspection: a directory (inspection.toml + CSVs), a JSON file, or a stored inspection id.
    Rate {
        /// Inspection directory, .json document, or the id of a stored inspection.
        path: PathBuf,
        #[command(flatten)]
        db: Db,
        #[arg(long, value_enum, default_value_t = Format::Table)]
        format: Format,
        /// In the table, show each prompt's "X out of Y relevant cases" under its key question.
        #[arg(long)]
        prompts: bool,
        /// Use this framework file instead of the built-in one the inspection names.
        #[arg(long, value_name = "FILE")]
        framework: Option<PathBuf>,
    },
    /// Create (or upgrade) the database.
    Init {
        #[command(flatten)]
        db: Db,
    },
    /// Import an inspection directory, JSON file or XLSX workbook (a region with its PDUs), all or nothing.
    Import {
        path: PathBuf,
        #[command(flatten)]
        db: Db,
        /// The id to store it under (default: the directory name).
        #[arg(long)]
        id: Option<String>,
        /// Who is importing, for the audit log.
        #[arg(long, env = "USER", default_value = "unknown")]
        by: String,
        /// Why, for the audit log.
        #[arg(long)]
        reason: Option<String>,
        /// Use this framework file instead of the built-in one the inspection names.
        #[arg(long, value_name = "FILE")]
        framework: Option<PathBuf>,
    },
    /// Write a stored inspection back out: a directory (its PDU inspections where it points) or .xlsx.
    Export {
        id: String,
        #[arg(long, value_name = "DIR")]
        to: PathBuf,
        #[command(flatten)]
        db: Db,
    },
    /// Set one answer of a stored case (based on the case version you last saw).
    Answer {
        /// Stored inspection id.
        inspection: String,
        /// Case id.
        case: String,
        /// Question id, e.g. P2.1.1.
        question: String,
        /// Y, N, NA, or "" to clear.
        value: String,
        /// The case version your edit is based on; a stale one is refused with what changed.
        #[arg(long)]
        version: i64,
        #[arg(long, default_value = "sentence-management")]
        instrument: String,
        #[command(flatten)]
        db: Db,
        /// Who is editing, for the audit log.
        #[arg(long, env = "USER", default_value = "unknown")]
        by: String,
        /// Why, for the audit log.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Crash-test harness: a stream of committed edits (developers).
    #[command(hide = true)]
    EditStream {
        inspection: String,
        #[arg(long, default_value_t = 1_000_000)]
        count: usize,
        #[command(flatten)]
        db: Db,
    },
    /// Write a consistent copy of the whole store, while it is in use, to a new SQLite file.
    Backup {
        /// The backup file (must not exist yet).
        file: PathBuf,
        #[command(flatten)]
        db: Db,
    },
    /// List stored inspections.
    List {
        #[command(flatten)]
        db: Db,
    },
    /// The audit log: verify its chain, or print it.
    #[command(subcommand)]
    Audit(AuditCommand),
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
    /// Write the inspection report (HTML, PDF) and data workbook (XLSX, CSV); `report lint DIR`
    /// finds numbers typed into the narrative. With no format flag: HTML, PDF and XLSX.
    Report(casework_cli::report::ReportArgs),
    /// Benchmark rating a synthetic national data set (see BENCHMARKS.md).
    Bench(casework_cli::bench::BenchArgs),
    /// Benchmark the store: import speed against pandas, edit latency (see BENCHMARKS.md).
    BenchStore(casework_cli::bench_store::BenchStoreArgs),
    /// Benchmark the report: HTML + PDF + XLSX for a PDU and a region, PDF against LibreOffice.
    BenchReport(casework_cli::bench_report::BenchReportArgs),
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
/// Standard output closed by its reader (`| head`) ends the command quietly.
fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) if terminal::is_broken_pipe(&e) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {}", terminal::clean(&format!("{e:#}")));
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
        Format::Table => out!("{}", table::render(fw, ratings, options))?,
        Format::Json => outln!("{}", serde_json::to_string_pretty(ratings)?)?,
    }
    Ok(())
}

fn run(cli: Cli) -> Result<()> {
    match cli.command {
        Command::Rate {
            path,
            db,
            format,
            prompts,
            framework,
        } => {
            let options = table::Options { prompts };
            let is_id =
                !path.exists() && path.extension().is_none_or(|e| e != "json" && e != "xlsx");
            if is_id && framework.is_none() && !db.exists() {
                anyhow::bail!(
                    "'{}' is not an inspection directory or file here, and there is no database at {} to look for a stored inspection of that name (give --db or set CASEWORK_DB)",
                    path.display(),
                    db.db
                );
            }
            if is_id && framework.is_none() {
                let id = path.display().to_string();
                let (ratings, fw) = stored::block_on(stored::rate_stored(&db.db, &id))
                    .with_context(|| {
                        format!(
                            "'{id}' is not an inspection directory, and not stored in {}",
                            db.db
                        )
                    })?;
                return print_ratings(&fw, &ratings, format, options);
            }
            let framework = fsio::framework_file(framework.as_deref())?;
            let (inspection, fw) = fsio::load(&path, framework)?;
            print_ratings(fw, &rate(fw, &inspection), format, options)
        }
        Command::Serve(args) => tokio::runtime::Builder::new_multi_thread()
            .enable_all()
            .build()
            .context("cannot start the async runtime")?
            .block_on(casework_cli::web::serve(&args)),
        Command::User(UserCommand::Add {
            name,
            role,
            password_stdin,
            db,
            by,
        }) => {
            let password = if password_stdin {
                let mut line = String::new();
                std::io::stdin().read_line(&mut line)?;
                Some(line.trim_end_matches(['\r', '\n']).to_string())
            } else {
                None
            };
            let generated = stored::block_on(casework_cli::web::add_user(
                &db.db, &name, &role, password, &by,
            ))?;
            match generated {
                Some(p) => outln!("user {name} ({role}) saved; password (shown once): {p}")?,
                None => outln!("user {name} ({role}) saved")?,
            }
            Ok(())
        }
        Command::User(UserCommand::Assign {
            name,
            inspection,
            db,
            by,
        }) => {
            if stored::block_on(casework_cli::web::assign(&db.db, &name, &inspection, &by))? {
                outln!("{name} is assigned to {inspection}")?;
            } else {
                outln!("{name} was already assigned to {inspection}; nothing changed")?;
            }
            Ok(())
        }
        Command::User(UserCommand::Unassign {
            name,
            inspection,
            db,
            by,
        }) => {
            if stored::block_on(casework_cli::web::unassign(&db.db, &name, &inspection, &by))? {
                outln!("{name} is no longer assigned to {inspection}")?;
            } else {
                outln!("{name} was not assigned to {inspection}; nothing changed")?;
            }
            Ok(())
        }
        Command::User(UserCommand::Revoke { name, db, by }) => {
            match stored::block_on(casework_cli::web::revoke(&db.db, &name, &by))? {
                0 => outln!("{name} had no sessions; nothing changed")?,
                1 => outln!("ended 1 session of {name}")?,
                n => outln!("ended {n} sessions of {name}")?,
            }
            Ok(())
        }
        Command::User(UserCommand::Disable { name, db, by }) => {
            if stored::block_on(casework_cli::web::set_disabled(&db.db, &name, true, &by))? {
                outln!("{name} is disabled: they cannot sign in, and their sessions have ended")?;
            } else {
                outln!("{name} was already disabled; nothing changed")?;
            }
            Ok(())
        }
        Command::User(UserCommand::Enable { name, db, by }) => {
            if stored::block_on(casework_cli::web::set_disabled(&db.db, &name, false, &by))? {
                outln!("{name} can sign in again")?;
            } else {
                outln!("{name} was not disabled; nothing changed")?;
            }
            Ok(())
        }
        Command::User(UserCommand::List { db }) => {
            let users = stored::block_on(async {
                let store = casework_store::Store::open(&db.db).await?;
                let users = store.users().await;
                store.close().await;
                Ok(users?)
            })?;
            for u in users {
                let disabled = if u.disabled { "  (disabled)" } else { "" };
                outln!("{:<24} {}{disabled}", u.name, u.role.as_str())?;
            }
            Ok(())
        }
        Command::Publish {
            inspection,
            withdraw,
            db,
            by,
        } => {
            let changed = stored::block_on(casework_cli::web::publish(
                &db.db,
                &inspection,
                !withdraw,
                &by,
            ))?;
            if !changed {
                outln!(
                    "{inspection} was already {}; nothing changed",
                    if withdraw { "unpublished" } else { "published" }
                )?;
                return Ok(());
            }
            outln!(
                "{inspection} {}",
                if withdraw {
                    "withdrawn from publication"
                } else {
                    "published"
                }
            )?;
            Ok(())
        }
        Command::Init { db } => {
            outln!("{}", stored::block_on(stored::init(&db.db))?)?;
            Ok(())
        }
        Command::Import {
            path,
            db,
            id,
            by,
            reason,
            framework,
        } => {
            let framework = fsio::framework_file(framework.as_deref())?;
            let s = stored::block_on(stored::import(
                &db.db,
                &path,
                framework,
                id,
                &by,
                reason.as_deref(),
            ))?;
            outln!(
                "imported '{}': {} inspection(s), {} cases; rate it with: casework rate {}",
                s.slug,
                s.inspections,
                s.cases,
                s.slug
            )?;
            Ok(())
        }
        Command::Export { id, to, db } => {
            for dir in stored::block_on(stored::export(&db.db, &id, &to))? {
                outln!("wrote {}", dir.display())?;
            }
            Ok(())
        }
        Command::Answer {
            inspection,
            case,
            question,
            value,
            version,
            instrument,
            db,
            by,
            reason,
        } => {
            let v = stored::block_on(stored::answer(
                &db.db,
                &inspection,
                &instrument,
                &case,
                &question,
                &value,
                version,
                &by,
                reason.as_deref(),
            ))?;
            outln!(
                "saved: {inspection} {case} {question} = {value:?}; case is now at version {v}"
            )?;
            Ok(())
        }
        Command::BenchReport(args) => casework_cli::bench_report::run(&args),
        Command::Report(args) => {
            for file in casework_cli::report::run(&args)? {
                outln!("wrote {}", file.display())?;
            }
            Ok(())
        }
        Command::EditStream {
            inspection,
            count,
            db,
        } => stored::block_on(stored::edit_stream(&db.db, &inspection, count)),
        Command::Backup { file, db } => {
            stored::block_on(stored::backup(&db.db, &file))?;
            outln!(
                "backup written to {} (open it with --db {})",
                file.display(),
                file.display()
            )?;
            Ok(())
        }
        Command::List { db } => {
            let list = stored::block_on(stored::list(&db.db))?;
            if list.is_empty() {
                outln!("no inspections stored in {} (casework import DIR)", db.db)?;
            }
            for s in list {
                outln!(
                    "{:<45} {:<7} {:>7} cases  {}{}",
                    s.slug,
                    s.kind,
                    s.cases,
                    s.unit,
                    s.parent.map(|p| format!("  (in {p})")).unwrap_or_default()
                )?;
            }
            Ok(())
        }
        Command::Audit(AuditCommand::Verify { db }) => {
            let report = stored::block_on(stored::audit_verify(&db.db))?;
            match report.first_broken {
                None => {
                    outln!("audit log intact: {} entries verified", report.entries)?;
                    Ok(())
                }
                Some((seq, why)) => anyhow::bail!(
                    "audit log broken at entry {seq} of {}: {why}",
                    report.entries
                ),
            }
        }
        Command::Audit(AuditCommand::Log { db, include_notes }) => {
            out!(
                "{}",
                stored::block_on(stored::audit_log(&db.db, include_notes))?
            )?;
            Ok(())
        }
        Command::Demo { dir, format } => {
            let fw = builtin();
            let region = demo::write_demo(fw, &dir)
                .with_context(|| format!("cannot write the demo to {}", dir.display()))?;
            let (inspection, fw) = fsio::load(&region, None)?;
            if matches!(format, Format::Table) {
                outln!(
                    "Demo data (fictional) written to {}. Rate it again with: casework rate {}\n",
                    dir.display(),
                    region.display()
                )?;
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
                    let text =
                        fsio::read_text(&path, casework_core::input::limits::TOML_MAX_BYTES)?;
                    owned = Framework::from_toml(&text, &path.display().to_string())?;
                    &owned
                }
                None => builtin(),
            };
            outln!(
                "{} v{} ({}), content hash {}",
                fw.id,
                fw.version,
                fw.name,
                fw.content_hash()
            )?;
            outln!("rules: {:?}", fw.rules)?;
            for kind in &fw.kinds {
                outln!(
                    "{}: {} standards, score out of {}",
                    kind.id,
                    kind.standards.len(),
                    fw.max_points() * kind.standards.len() as u32
                )?;
            }
            for inst in &fw.instruments {
                let keys = inst
                    .questions
                    .iter()
                    .filter(|q| q.kind == casework_core::framework::QuestionKind::Key)
                    .count();
                outln!(
                    "instrument {} ({}): {} key questions, {} prompts",
                    inst.id,
                    inst.file,
                    keys,
                    inst.questions.len() - keys
                )?;
            }
            Ok(())
        }
        Command::Bench(args) => casework_cli::bench::run(&args),
        Command::BenchStore(args) => casework_cli::bench_store::run(&args),
        Command::GenFixtures { spec, out } => {
            let written = fixtures::generate_all(builtin(), &spec, &out)?;
            for dir in written {
                outln!("wrote {}", dir.display())?;
            }
            Ok(())
        }
    }
}
