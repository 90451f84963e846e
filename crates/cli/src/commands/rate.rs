//! `casework rate`: the ratings panel of an inspection, from a directory, a JSON or XLSX file, or
//! the store, as a table or as the full ratings in JSON.

use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use casework_core::rating::breakdown::breakdown;
use casework_core::{Framework, Inspection, Ratings, rate};

use super::{Db, Format, block_on, with_store};
use crate::{fsio, out, outln, table};

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
    let path = &args.path;
    let is_id = !path.exists() && path.extension().is_none_or(|e| e != "json" && e != "xlsx");
    if is_id && args.framework.is_none() {
        let id = path.display().to_string();
        if !args.db.exists() {
            bail!(
                "'{id}' is not an inspection directory or file here, and there is no database at {} to look for a stored inspection of that name (give --db or set CASEWORK_DB)",
                args.db.db
            );
        }
        let (inspection, fw) = block_on(with_store(&args.db.db, async |s| s.load(&id).await))
            .with_context(|| {
                format!(
                    "'{id}' is not an inspection directory, and not stored in {}",
                    args.db.db
                )
            })?;
        if let Some(by) = &args.by {
            return print_breakdown(&fw, &inspection, &args, by);
        }
        return print(&fw, &rate(&fw, &inspection), args.format, options);
    }
    let framework = fsio::framework_file(args.framework.as_deref())?;
    let (inspection, fw) = fsio::load(path, framework)?;
    if let Some(by) = &args.by {
        return print_breakdown(fw, &inspection, &args, by);
    }
    print(fw, &rate(fw, &inspection), args.format, options)
}
