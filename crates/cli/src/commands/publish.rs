//! `casework publish`: publishes an inspection (viewers can see it; its cases become read-only), or
//! withdraws it.

use anyhow::Result;

use super::{By, Db, block_on, with_store};
use crate::outln;

#[derive(clap::Args)]
pub struct Args {
    inspection: String,
    /// Withdraw publication instead.
    #[arg(long)]
    withdraw: bool,
    #[command(flatten)]
    db: Db,
    #[command(flatten)]
    by: By,
}

pub fn run(args: Args) -> Result<()> {
    let published = !args.withdraw;
    let changed = block_on(with_store(&args.db.db, async |s| {
        s.set_published(&args.inspection, published, &args.by.by)
            .await
    }))?;
    let state = if published {
        "published"
    } else {
        "unpublished"
    };
    if changed {
        outln!(
            "{} {}",
            args.inspection,
            if published {
                "published"
            } else {
                "withdrawn from publication"
            }
        )?;
    } else {
        outln!("{} was already {state}; nothing changed", args.inspection)?;
    }
    Ok(())
}
