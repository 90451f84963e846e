//! `casework answer`: sets one answer of a stored case, based on the case version last seen (a
//! stale one is refused with what changed).

use anyhow::{Context, Result};
use casework_core::Answer;
use casework_store::AnswerEdit;

use super::{By, Db, block_on, with_store};
use crate::outln;

#[derive(clap::Args)]
pub struct Args {
    /// Stored inspection id.
    inspection: String,
    /// Case id.
    case: String,
    /// Question id, e.g. P2.1.1.
    question: String,
    /// Y, N, NA (or Yes, No, N/A), or "" to clear.
    value: String,
    /// The case version your edit is based on; a stale one is refused with what changed.
    #[arg(long)]
    version: i64,
    /// The case's instrument (default: the framework's primary one, sentence management).
    #[arg(long)]
    instrument: Option<String>,
    #[command(flatten)]
    db: Db,
    #[command(flatten)]
    by: By,
    /// Why, for the audit log.
    #[arg(long)]
    reason: Option<String>,
}

pub fn run(args: Args) -> Result<()> {
    let answer = Answer::parse(&args.value).with_context(|| {
        format!(
            "'{}' is not an answer; allowed: {}",
            args.value,
            Answer::ALLOWED
        )
    })?;
    let version = block_on(with_store(&args.db.db, async |store| {
        let instrument = match &args.instrument {
            Some(instrument) => instrument.clone(),
            None => store
                .framework_of(&args.inspection)
                .await?
                .primary_instrument()
                .id
                .clone(),
        };
        store
            .set_answer(&AnswerEdit {
                inspection: &args.inspection,
                instrument: &instrument,
                case_ref: &args.case,
                question: &args.question,
                answer,
                expected_version: args.version,
                actor: &args.by.by,
                reason: args.reason.as_deref(),
            })
            .await
    }))?;
    outln!(
        "saved: {} {} {} = {:?}; case is now at version {version}",
        args.inspection,
        args.case,
        args.question,
        args.value
    )?;
    Ok(())
}
