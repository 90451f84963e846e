//! `casework audit`: verify the audit log's hash chain, or print the log (evidence notes redacted
//! unless asked for).

use anyhow::Result;
use clap::Subcommand;

use super::{Db, block_on, with_store};
use crate::{out, outln};

#[derive(Subcommand)]
pub enum Command {
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

pub fn run(command: Command) -> Result<()> {
    match command {
        Command::Verify { db } => {
            let report = block_on(with_store(&db.db, async |s| s.audit_verify().await))?;
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
        Command::Log { db, include_notes } => {
            let entries = block_on(with_store(&db.db, async |s| s.audit_entries().await))?;
            let mut text = String::new();
            for e in entries {
                let e = if include_notes { e } else { e.without_notes() };
                text.push_str(&serde_json::to_string(&e)?);
                text.push('\n');
            }
            out!("{text}")?;
            Ok(())
        }
    }
}
