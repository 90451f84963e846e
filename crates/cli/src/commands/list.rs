//! `casework list`: the stored inspections, regions before their PDUs.

use anyhow::Result;

use super::{Db, block_on, with_store};
use crate::outln;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: Db,
}

pub fn run(args: Args) -> Result<()> {
    let list = block_on(with_store(&args.db.db, async |s| s.list().await))?;
    if list.is_empty() {
        outln!(
            "no inspections stored in {} (casework import DIR)",
            args.db.db
        )?;
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
