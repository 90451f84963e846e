//! `casework evidence`: domain one's evidence files read and counted as Casework keeps them
//! (issue 17; the rules in `casework_core::domain_one`): `survey` a survey tool's per-respondent
//! export through its mapping, `interviews` an interviews table, `measures` a measures table,
//! `documents` the documents submitted, `ratings` the judged rating of each key question with its
//! rationale; each file CSV or the first sheet of an XLSX workbook. With `--into ID` the aggregates are
//! recorded with a stored inspection (versioned, audited; never a respondent's answers); without
//! it nothing changes. Prints every named figure the report can use
//! (`survey.staff.vision.agree`), in a table or as JSON; a bad file is a located error and nothing
//! is printed or stored. `show ID` prints a stored inspection's evidence, `history ID` its earlier
//! versions.

use std::path::{Path, PathBuf};

use anyhow::Result;
use casework_core::domain_one::{Evidence, Rows};
use casework_core::framework::builtin;
use casework_core::input::Place;
use casework_report::domain_one::add_figures;
use casework_report::figures::Figures;
use casework_store::EvidenceFile;
use casework_web::domain_one::{EvidenceKind, read_file};
use clap::{Subcommand, ValueEnum};

use super::{By, Db, block_on, with_store};
use crate::fsio::read_text;
use crate::outln;
use crate::terminal::clean;

#[derive(Subcommand)]
pub enum Command {
    /// A survey export (one row per respondent, one column per question), aggregated through
    /// its mapping (TOML: the survey's id, the respondent column, the answer scales and which
    /// answers agree, each question's id, column and, optionally, the judged standard it
    /// evidences: tests/fixtures/evidence/staff-survey.toml is one). Free-text columns are never
    /// read.
    Survey {
        file: PathBuf,
        /// The mapping (TOML): survey id, respondent column, answer scales, questions.
        #[arg(long, value_name = "FILE")]
        mapping: PathBuf,
        #[command(flatten)]
        into: Destination,
    },
    /// An interviews table: person (a pseudonym, never a name), role, topic, judgement
    /// (positive, negative, mixed or blank), and optionally standard (the domain-one standard
    /// the topic evidences).
    Interviews {
        file: PathBuf,
        #[command(flatten)]
        into: Destination,
    },
    /// A measures table: id, label, group (staffing or performance), value, unit, date, source,
    /// standard.
    Measures {
        file: PathBuf,
        #[command(flatten)]
        into: Destination,
    },
    /// A table of the documents the organisation submitted: title, date, standard (the judged
    /// standards or key questions it evidences, separated by ';', or blank), and optionally
    /// judgement (positive, negative, mixed or blank). The documents themselves are not kept.
    Documents {
        file: PathBuf,
        #[command(flatten)]
        into: Destination,
    },
    /// The judged rating of each domain-one key question: key_question (P1.2.3; `casework
    /// framework` lists them), rating (id or label) and rationale.
    Ratings {
        file: PathBuf,
        #[command(flatten)]
        into: Destination,
    },
    /// A stored inspection's earlier versions of its evidence files, each replaced by a later
    /// recording (the aggregates each held, with --format json).
    History {
        inspection: String,
        #[arg(long, value_enum, default_value_t = EvidenceFormat::Table)]
        format: EvidenceFormat,
        #[command(flatten)]
        db: Db,
    },
    /// A stored inspection's domain-one evidence: each file recorded, and the named figures.
    Show {
        inspection: String,
        #[arg(long, value_enum, default_value_t = EvidenceFormat::Table)]
        format: EvidenceFormat,
        #[command(flatten)]
        db: Db,
    },
}

/// Where a file's aggregates go, if anywhere, and how they are printed.
#[derive(clap::Args)]
pub struct Destination {
    /// Record the aggregates with this stored inspection: a survey replaces the same survey's,
    /// interviews, measures and documents replace those recorded before; a ratings table is laid
    /// over the key question ratings kept (the others keep theirs).
    #[arg(long, value_name = "ID")]
    into: Option<String>,
    #[arg(long, value_enum, default_value_t = EvidenceFormat::Table)]
    format: EvidenceFormat,
    #[command(flatten)]
    db: Db,
    #[command(flatten)]
    by: By,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum EvidenceFormat {
    /// Each named figure and what it shows.
    Table,
    /// The aggregates as kept, and the figures.
    Json,
}

/// A CSV file, or an XLSX workbook's first sheet (rows counted as the spreadsheet shows them).
fn rows_of(path: &Path) -> Result<Rows> {
    let file = path.display().to_string();
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        let mut rows = crate::xlsx::first_sheet_rows(path)?.into_iter();
        let header = rows.next().unwrap_or_default();
        return Ok(Rows {
            file,
            place: Place::Row,
            header,
            rows: rows
                .enumerate()
                .map(|(i, r)| (i as u64 + 2, r))
                .filter(|(_, r)| r.iter().any(|c| !c.trim().is_empty()))
                .collect(),
        });
    }
    let text = read_text(path, casework_core::input::limits::CSV_MAX_BYTES)?;
    Ok(Rows::from_csv(&text, &file)?)
}

pub fn run(command: Command) -> Result<()> {
    let (kind, file, mapping, into) = match command {
        Command::Survey {
            file,
            mapping,
            into,
        } => (EvidenceKind::Survey, file, Some(mapping), into),
        Command::Interviews { file, into } => (EvidenceKind::Interviews, file, None, into),
        Command::Measures { file, into } => (EvidenceKind::Measures, file, None, into),
        Command::Documents { file, into } => (EvidenceKind::Documents, file, None, into),
        Command::Ratings { file, into } => (EvidenceKind::Ratings, file, None, into),
        Command::History {
            inspection,
            format,
            db,
        } => {
            no_database(&db)?;
            let history = block_on(with_store(&db.db, async |s| {
                s.domain_one_history(&inspection).await
            }))?;
            for (record, file) in &history {
                match format {
                    EvidenceFormat::Table => print_record(record)?,
                    EvidenceFormat::Json => {
                        let mut evidence = Evidence::default();
                        file.add_to(&mut evidence);
                        let doc = serde_json::json!({ "record": record, "evidence": evidence });
                        outln!("{}", serde_json::to_string(&doc)?)?;
                    }
                }
            }
            if history.is_empty() && format == EvidenceFormat::Table {
                outln!("no earlier versions: nothing recorded has been replaced yet")?;
            }
            return Ok(());
        }
        Command::Show {
            inspection,
            format,
            db,
        } => {
            no_database(&db)?;
            let (evidence, records) = block_on(with_store(&db.db, async |s| {
                s.domain_one(&inspection).await
            }))?;
            if format == EvidenceFormat::Table {
                for r in &records {
                    print_record(r)?;
                }
            }
            return print(&evidence, format);
        }
    };
    let mapping = match &mapping {
        Some(path) => Some((
            read_text(path, casework_core::input::limits::TOML_MAX_BYTES)?,
            path.display().to_string(),
        )),
        None => None,
    };
    // Recorded with a stored inspection: read for its kind, and a ratings table laid over the
    // ratings it has, on the version read.
    let stored = match &into.into {
        Some(id) => {
            no_database(&into.db)?;
            Some(block_on(with_store(&into.db.db, async |s| {
                let kind = s.stored(id).await?.kind;
                let (evidence, records) = s.domain_one(id).await?;
                let version = records
                    .iter()
                    .find(|r| r.kind == "ratings")
                    .map_or(0, |r| r.version);
                Ok((kind, evidence.key_question_ratings, version))
            }))?)
        }
        None => None,
    };
    let read = read_file(
        builtin(),
        stored.as_ref().map(|(kind, _, _)| kind.as_str()),
        kind,
        rows_of(&file)?,
        mapping.as_ref().map(|(t, n)| (t.as_str(), n.as_str())),
    )?;
    let mut evidence = Evidence::default();
    read.add_to(&mut evidence);
    if let (Some(id), Some((_, kept, based_on))) = (&into.into, stored) {
        let name = file
            .file_name()
            .map_or(String::new(), |n| n.to_string_lossy().into_owned());
        let version = block_on(with_store(&into.db.db, async |s| match read {
            EvidenceFile::KeyQuestionRatings(given) => {
                let merged = EvidenceFile::KeyQuestionRatings(
                    casework_core::domain_one::ratings::merge(builtin(), &kept, given),
                );
                s.record_domain_one_based_on(id, &name, &merged, &into.by.by, based_on)
                    .await
            }
            read => s.record_domain_one(id, &name, &read, &into.by.by).await,
        }))?;
        if into.format == EvidenceFormat::Table {
            outln!(
                "recorded with {} (version {version}); the team sees it on the inspection's \"Domain one evidence\" page",
                clean(id)
            )?;
        }
    }
    print(&evidence, into.format)
}

/// One evidence file's record on a line: what, from which file, its version, who and when.
fn print_record(r: &casework_store::EvidenceRecord) -> Result<()> {
    let what = if r.kind == "survey" {
        format!("survey {}", clean(&r.name))
    } else {
        r.kind.clone()
    };
    outln!(
        "{what}: {} (version {}, {} at {})",
        clean(&r.file_name),
        r.version,
        clean(&r.recorded_by),
        r.recorded_at
    )?;
    Ok(())
}

/// Refuses a database that is not there, rather than creating an empty one.
fn no_database(db: &Db) -> Result<()> {
    if !db.exists() {
        anyhow::bail!(
            "there is no database at {} (give --db or set CASEWORK_DB)",
            db.db
        );
    }
    Ok(())
}

/// Every named figure of `evidence`, as a table or JSON (with the aggregates).
fn print(evidence: &Evidence, format: EvidenceFormat) -> Result<()> {
    let mut figures = Figures::default();
    add_figures(&mut figures, evidence, &builtin().evidence);
    match format {
        EvidenceFormat::Json => {
            let named: serde_json::Map<String, serde_json::Value> = figures
                .iter()
                .map(|(name, f)| (name.to_string(), f.text.clone().into()))
                .collect();
            let doc = serde_json::json!({ "evidence": evidence, "figures": named });
            outln!("{}", serde_json::to_string_pretty(&doc)?)?;
        }
        EvidenceFormat::Table => {
            let width = figures.iter().map(|(n, _)| n.len()).max().unwrap_or(0);
            for (name, f) in figures.iter() {
                outln!("{:width$}  {}", clean(name), clean(&f.text))?;
            }
            for d in &evidence.documents {
                outln!(
                    "document: {} ({}), filed against {}",
                    clean(&d.title),
                    d.date,
                    if d.filed.is_empty() {
                        "nothing".into()
                    } else {
                        d.filed.join(", ")
                    }
                )?;
            }
            for r in &evidence.key_question_ratings {
                let label = builtin()
                    .rating(&r.rating)
                    .map_or(r.rating.as_str(), |d| &d.label);
                outln!(
                    "{}  {label}: {}",
                    clean(&r.key_question),
                    clean(&r.rationale)
                )?;
            }
        }
    }
    Ok(())
}
