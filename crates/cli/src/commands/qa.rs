//! `casework qa`: quality assurance of case assessments from the terminal, as in the web (issue
//! 19; the store's `review`, `qa` and `reconcile`, the figures from `casework_web::quality`): a
//! case's review moves, locking at the close of fieldwork, the QA sample, blind second marking,
//! disagreements and their reconciliation, and the agreement and consistency figures (printed by
//! `qa_figures`).

use anyhow::{Result, bail};
use casework_core::Answer;
use casework_core::review::ReviewAction;
use clap::Subcommand;

use super::qa_figures::{self, QaFormat};
use super::{By, Db, block_on, random_seed, with_store};
use crate::outln;
use crate::terminal::clean as shown;

#[derive(Subcommand)]
pub enum Command {
    /// Cases by review state and the QA sample's progress.
    Status {
        inspection: String,
        #[command(flatten)]
        db: Db,
    },
    /// Move one case: submit (its inspector), approve or return (a QA reviewer who is not its
    /// inspector; return with --comment QUESTION=TEXT for each question to look at again), lock
    /// or reopen (a lead; reopening needs --reason).
    Move {
        /// The inspection that holds the case (a PDU inspection's id within a region).
        inspection: String,
        instrument: String,
        case: String,
        /// submit, approve, return, lock or reopen.
        action: String,
        #[arg(long, value_name = "QUESTION=TEXT")]
        comment: Vec<String>,
        #[arg(long)]
        reason: Option<String>,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        by: By,
    },
    /// Lock every submitted and QA-reviewed case (a lead, when fieldwork closes).
    Lock {
        inspection: String,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        by: By,
    },
    /// The QA sample; with --draw, draw it first (a share of each inspector's submitted cases per
    /// instrument, at least one per inspector, from --seed or a random seed that is recorded).
    Sample {
        inspection: String,
        #[arg(long)]
        draw: bool,
        /// Per cent of each inspector's cases per instrument.
        #[arg(long, default_value_t = 10, requires = "draw")]
        share: u32,
        #[arg(long, requires = "draw")]
        seed: Option<u64>,
        #[arg(long, value_enum, default_value_t = QaFormat::Table)]
        format: QaFormat,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        by: By,
    },
    /// Record your blind second marking of a drawn case: --answer QUESTION=Y|N|NA for each
    /// question you marked (a question left out is missing).
    Mark {
        inspection: String,
        instrument: String,
        case: String,
        #[arg(long, value_name = "QUESTION=ANSWER")]
        answer: Vec<String>,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        by: By,
    },
    /// The questions the two markers answered differently, and how each was reconciled.
    Disagreements {
        inspection: String,
        #[arg(long, value_enum, default_value_t = QaFormat::Table)]
        format: QaFormat,
        #[command(flatten)]
        db: Db,
    },
    /// Reconcile a disagreement: ANSWER becomes the case's answer (an audited edit, with --reason).
    Reconcile {
        inspection: String,
        instrument: String,
        case: String,
        question: String,
        /// Y, N or NA.
        answer: String,
        #[arg(long)]
        reason: String,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        by: By,
    },
    /// Band changes (first), then observed agreement, Cohen's kappa, Gwet's AC1 and
    /// Krippendorff's alpha with 95% intervals: pooled and per question.
    Agreement {
        inspection: String,
        #[arg(long, value_enum, default_value_t = QaFormat::Table)]
        format: QaFormat,
        #[command(flatten)]
        db: Db,
    },
    /// Each inspector's share of Yes per key question against the team's, with the funnel's
    /// 95% and 99.8% control limits.
    Consistency {
        inspection: String,
        #[arg(long, value_enum, default_value_t = QaFormat::Table)]
        format: QaFormat,
        #[command(flatten)]
        db: Db,
    },
}

/// `QUESTION=VALUE` split at its first `=`, or an error naming the option.
fn pair<'a>(option: &str, text: &'a str) -> Result<(&'a str, &'a str)> {
    match text.split_once('=') {
        Some((q, v)) if !q.trim().is_empty() => Ok((q.trim(), v)),
        _ => bail!("--{option} '{}' is not QUESTION=VALUE", shown(text)),
    }
}

fn answer_of(question: &str, text: &str) -> Result<Answer> {
    match Answer::parse(text) {
        Some(a) => Ok(a),
        None => bail!(
            "'{}' for {} is not an answer: {}",
            shown(text),
            shown(question),
            Answer::ALLOWED
        ),
    }
}

pub fn run(command: Command) -> Result<()> {
    match command {
        Command::Status { inspection, db } => qa_figures::status(&inspection, &db),
        Command::Move {
            inspection,
            instrument,
            case,
            action,
            comment,
            reason,
            db,
            by,
        } => {
            let Some(act) = ReviewAction::parse(&action) else {
                bail!(
                    "'{}' is not a review move: submit, approve, return, lock or reopen",
                    shown(&action)
                );
            };
            let comments = comment
                .iter()
                .map(|c| pair("comment", c).map(|(q, t)| (q.to_string(), t.to_string())))
                .collect::<Result<Vec<_>>>()?;
            let to = block_on(with_store(&db.db, async |s| {
                s.review_case(
                    &inspection,
                    &instrument,
                    &case,
                    act,
                    &comments,
                    reason.as_deref(),
                    &by.by,
                )
                .await
            }))?;
            Ok(outln!(
                "{} {} {} is now {}",
                shown(&inspection),
                shown(&instrument),
                shown(&case),
                to.label().to_lowercase()
            )?)
        }
        Command::Lock { inspection, db, by } => {
            let n = block_on(with_store(&db.db, async |s| {
                s.lock_reviewed_cases(&inspection, &by.by).await
            }))?;
            Ok(outln!("{n} cases locked in {}", shown(&inspection))?)
        }
        Command::Sample {
            inspection,
            draw,
            share,
            seed,
            format,
            db,
            by,
        } => {
            let sample = block_on(with_store(&db.db, async |s| {
                if draw {
                    let seed = seed.unwrap_or_else(random_seed);
                    s.draw_qa_sample(&inspection, share, seed, &by.by)
                        .await
                        .map(Some)
                } else {
                    s.qa_sample(&inspection).await
                }
            }))?;
            match sample {
                Some(sample) => qa_figures::sample(&sample, format),
                None => bail!(
                    "{} has no QA sample yet: draw one with `casework qa sample {} --draw`",
                    shown(&inspection),
                    shown(&inspection)
                ),
            }
        }
        Command::Mark {
            inspection,
            instrument,
            case,
            answer,
            db,
            by,
        } => {
            let marks = answer
                .iter()
                .map(|a| {
                    let (q, v) = pair("answer", a)?;
                    Ok((q.to_string(), answer_of(q, v)?))
                })
                .collect::<Result<Vec<_>>>()?;
            block_on(with_store(&db.db, async |s| {
                s.record_second_marking(&inspection, &instrument, &case, &marks, &by.by)
                    .await
            }))?;
            Ok(outln!(
                "second marking of {} {} {} recorded ({} questions marked)",
                shown(&inspection),
                shown(&instrument),
                shown(&case),
                marks.len()
            )?)
        }
        Command::Disagreements {
            inspection,
            format,
            db,
        } => {
            let list = block_on(with_store(&db.db, async |s| {
                s.disagreements(&inspection).await
            }))?;
            qa_figures::disagreements(&list, format)
        }
        Command::Reconcile {
            inspection,
            instrument,
            case,
            question,
            answer,
            reason,
            db,
            by,
        } => {
            let chosen = answer_of(&question, &answer)?;
            let version = block_on(with_store(&db.db, async |s| {
                s.reconcile(
                    &inspection,
                    &instrument,
                    &case,
                    &question,
                    chosen,
                    &reason,
                    &by.by,
                )
                .await
            }))?;
            Ok(outln!(
                "{} {} {} {}: reconciled to {} (case version {version})",
                shown(&inspection),
                shown(&instrument),
                shown(&case),
                shown(&question),
                chosen.as_cell()
            )?)
        }
        Command::Agreement {
            inspection,
            format,
            db,
        } => qa_figures::agreement(&inspection, &db, format),
        Command::Consistency {
            inspection,
            format,
            db,
        } => qa_figures::consistency(&inspection, &db, format),
    }
}
