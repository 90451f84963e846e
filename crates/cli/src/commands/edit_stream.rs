//! `casework edit-stream` (hidden): the crash tests' harness. Edits answers of a stored
//! inspection's cases in turn, printing `committed CASE QUESTION VERSION` (flushed) after each
//! commit, until `--count` edits or until it is killed.

use std::io::Write;

use anyhow::{Context, Result};
use casework_core::Answer;
use casework_store::{AnswerEdit, Store};

use super::{Db, block_on};

#[derive(clap::Args)]
pub struct Args {
    inspection: String,
    #[arg(long, default_value_t = 1_000_000)]
    count: usize,
    #[command(flatten)]
    db: Db,
}

pub fn run(args: Args) -> Result<()> {
    block_on(async {
        let store = Store::open(&args.db.db).await?;
        let (loaded, fw) = store.load(&args.inspection).await?;
        let instrument = fw.primary_instrument().id.clone();
        let set = loaded
            .cases_for(&instrument)
            .context("no cases on the primary instrument")?;
        let prompts = ["P2.1.1a", "P2.1.1b", "P2.1.1d", "P2.1.2a"];
        let mut out = std::io::stdout().lock();
        for n in 0..args.count {
            let case = &set.cases()[n % set.len()];
            let question = prompts[(n / set.len()) % prompts.len()];
            let current = store.case(&args.inspection, &instrument, &case.id).await?;
            let value = match current.answers.get(question).map(String::as_str) {
                Some("Y") => Answer::No,
                _ => Answer::Yes,
            };
            let version = store
                .set_answer(&AnswerEdit {
                    inspection: &args.inspection,
                    instrument: &instrument,
                    case_ref: &case.id,
                    question,
                    answer: value,
                    expected_version: current.version,
                    actor: "edit-stream",
                    reason: None,
                })
                .await?;
            writeln!(out, "committed {} {} {}", case.id, question, version)?;
            out.flush()?;
        }
        store.close().await;
        Ok(())
    })
}
