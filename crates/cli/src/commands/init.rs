//! `casework init`: creates (or upgrades) the database.

use anyhow::Result;
use casework_store::Store;

use super::{Db, block_on};
use crate::outln;

#[derive(clap::Args)]
pub struct Args {
    #[command(flatten)]
    db: Db,
}

pub fn run(args: Args) -> Result<()> {
    let message = block_on(async {
        let store = Store::open(&args.db.db).await?;
        let message = format!("database ready: {} ({:?})", store.url(), store.backend());
        store.close().await;
        Ok(message)
    })?;
    outln!("{message}")?;
    Ok(())
}
