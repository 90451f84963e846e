//! `casework backup`: a consistent copy of the whole store, while it is in use, as a new SQLite
//! file (from either backend).

use std::path::PathBuf;

use anyhow::Result;

use super::{Db, block_on, with_store};
use crate::outln;

#[derive(clap::Args)]
pub struct Args {
    /// The backup file (must not exist yet).
    file: PathBuf,
    #[command(flatten)]
    db: Db,
}

pub fn run(args: Args) -> Result<()> {
    block_on(with_store(&args.db.db, async |s| {
        s.backup(&args.file).await
    }))?;
    outln!(
        "backup written to {} (open it with --db {})",
        args.file.display(),
        args.file.display()
    )?;
    Ok(())
}
