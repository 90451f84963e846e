//! `casework rate`: the ratings panel of an inspection, from a directory, a JSON or XLSX file, or
//! the store, as a table or as the full ratings in JSON.

use std::path::PathBuf;

use anyhow::Result;
use casework_core::rating::breakdown::breakdown;
use casework_core::{Framework, Inspection, Ratings, rate};

use casework_web::quality::{Basis, locked_only};

use super::{Db, Format, block_on, load_inspection};
use crate::{out, outln, table};

#[derive(clap::Args)]
pub struct Args {
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
    /// Instead of the ratings, every question broken down by a case attribute the framework
    /// declares (grade, rosh, ...): Yes of relevant per value; small groups as counts.
    #[arg(long, value_name = "ATTRIBUTE")]
    by: Option<String>,
    /// With --by: the instrument whose questions to break down (default: the primary one).
    #[arg(long, value_name = "ID", requires = "by")]
    instrument: Option<String>,
    /// A stored inspection's ratings over its locked cases only (what will be published); without
    /// it a stored inspection's ratings are provisional: every complete case counts.
    #[arg(long)]
    locked_only: bool,
}

/// Prints the breakdown `args` asks for, in the chosen format.
fn print_breakdown(fw: &Framework, inspection: &Inspection, args: &Args, by: &str) -> Result<()> {
    let b =
        breakdown(fw, inspection, by, args.instrument.as_deref()).map_err(anyhow::Error::msg)?;
    match args.format {
        Format::Table => out!("{}", table::breakdown(&b))?,
        Format::Json => outln!("{}", serde_json::to_string_pretty(&b)?)?,
    }
    Ok(())
}

/// Prints ratings in the chosen format.
pub fn print(
    fw: &Framework,
    ratings: &Ratings,
    format: Format,
    options: table::Options,
) -> Result<()> {
    match format {
        Format::Table => out!("{}", table::render(fw, ratings, options))?,
        Format::Json => outln!("{}", serde_json::to_string_pretty(ratings)?)?,
    }
    Ok(())
}

pub fn run(args: Args) -> Result<()> {
    let options = table::Options {
        prompts: args.prompts,
    };
    let (mut inspection, fw) = load_inspection(&args.path, &args.db, args.framework.as_deref())?;
    let stored = !args.path.exists() && args.db.exists();
    if args.locked_only && !stored {
        anyhow::bail!(
            "--locked-only rates a stored inspection: '{}' is a file or directory, whose cases have no review states",
            crate::terminal::clean(&args.path.display().to_string())
        );
    }
    if stored {
        // Always say which cases count: provisional (every complete case) or locked only.
        let id = args.path.display().to_string();
        let (locked, count, total) = block_on(async {
            let store = casework_store::Store::open(&args.db.db).await?;
            let result = locked_only(&store, &id, &inspection).await;
            store.close().await;
            Ok(result?)
        })?;
        let basis = if args.locked_only {
            inspection = locked;
            Basis::LockedOnly
        } else {
            Basis::Provisional
        };
        eprintln!("{}", basis.describe(count, total));
    }
    if let Some(by) = &args.by {
        return print_breakdown(fw, &inspection, &args, by);
    }
    print(fw, &rate(fw, &inspection), args.format, options)
}
