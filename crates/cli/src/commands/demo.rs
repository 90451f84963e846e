//! `casework demo`: writes the fictional demo region (three PDUs, cases on every instrument, a
//! short narrative) as inspection directories and rates it.

use std::path::PathBuf;

use anyhow::{Context, Result};
use casework_core::framework::builtin;
use casework_core::rate;

use super::Format;
use super::rate::print;
use crate::{fsio, outln, table};

#[derive(clap::Args)]
pub struct Args {
    /// Where to write the demo inspections.
    #[arg(default_value = "casework-demo")]
    dir: PathBuf,
    #[arg(long, value_enum, default_value_t = Format::Table)]
    format: Format,
}

pub fn run(args: Args) -> Result<()> {
    let fw = builtin();
    let files = casework_synth::demo::files(fw)?;
    fsio::write_files(&args.dir, &files)
        .with_context(|| format!("cannot write the demo to {}", args.dir.display()))?;
    let region = args.dir.join(casework_synth::demo::REGION_DIR);
    let (inspection, fw) = fsio::load(&region, None)?;
    if matches!(args.format, Format::Table) {
        outln!(
            "Demo data (fictional) written to {}. Rate it again with: casework rate {}\n",
            args.dir.display(),
            region.display()
        )?;
    }
    print(
        fw,
        &rate(fw, &inspection),
        args.format,
        table::Options::default(),
    )
}
