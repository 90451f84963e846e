//! `casework publication`: an inspection's way to publication from the terminal, as in the web
//! (`casework_web::publishing`, `casework_store::publication`): its status, the stage moves, the
//! factual-accuracy comments and their resolutions, publishing (after a confirmation that says
//! what is frozen) and the published files, written out and checked against their SHA-256.

use std::io::{BufRead, IsTerminal, Write};
use std::path::PathBuf;

use anyhow::{Context, Result, bail};
use casework_store::{Stage, sha256_hex};
use clap::Subcommand;

use super::{By, Db, block_on, with_store};
use crate::outln;
use crate::terminal::clean as shown;

#[derive(Subcommand)]
pub enum Command {
    /// The stage, the published versions, the factual-accuracy comments and what stands in the
    /// way of publishing.
    Status {
        inspection: String,
        #[command(flatten)]
        db: Db,
    },
    /// Move to a stage: factual-accuracy (send the draft), draft (back, or withdraw a published
    /// inspection), correction (reopen a published one). Withdrawing and reopening need --reason.
    Stage {
        inspection: String,
        /// draft, factual-accuracy or correction.
        stage: String,
        #[arg(long)]
        reason: Option<String>,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        by: By,
    },
    /// Record the inspected organisation's comment on a part of the report (factual-accuracy
    /// stage only); prints its number.
    Comment {
        inspection: String,
        /// The part of the report: a narrative section (foreword, P2.1, P2.1-strengths, ...),
        /// ratings, previous-recommendations, annexes or whole-report.
        #[arg(long)]
        section: String,
        /// The comment, as received.
        text: String,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        by: By,
    },
    /// Resolve comment NUMBER with what was done about it (factual-accuracy stage only).
    Resolve {
        inspection: String,
        number: i64,
        /// What was done.
        text: String,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        by: By,
    },
    /// Publish: make the report's HTML, PDF, data workbook and ratings JSON now and keep them as
    /// the next published version. Asks first unless --yes.
    Publish {
        inspection: String,
        /// A correction's reason, shown on the report (required when correcting).
        #[arg(long)]
        reason: Option<String>,
        /// Publish without asking.
        #[arg(long)]
        yes: bool,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        by: By,
    },
    /// Write a published version's files into a directory, each checked against its SHA-256.
    Files {
        inspection: String,
        /// The version (default: the newest).
        #[arg(long)]
        version: Option<i64>,
        /// The directory to write into (created if missing).
        #[arg(long)]
        to: PathBuf,
        #[command(flatten)]
        db: Db,
    },
}

pub fn run(command: Command) -> Result<()> {
    match command {
        Command::Status { inspection, db } => status(&inspection, &db),
        Command::Stage {
            inspection,
            stage,
            reason,
            db,
            by,
        } => {
            let Some(to) = Stage::parse(&stage) else {
                bail!("'{stage}' is not a stage: draft, factual-accuracy or correction");
            };
            block_on(with_store(&db.db, async |s| {
                s.set_stage(&inspection, to, reason.as_deref(), &by.by)
                    .await
            }))?;
            Ok(outln!(
                "{} is now at the stage: {}",
                shown(&inspection),
                to.label()
            )?)
        }
        Command::Comment {
            inspection,
            section,
            text,
            db,
            by,
        } => {
            let id = block_on(with_store(&db.db, async |s| {
                s.add_factual_accuracy_comment(&inspection, &section, &text, &by.by)
                    .await
            }))?;
            Ok(outln!("comment {id} recorded")?)
        }
        Command::Resolve {
            inspection,
            number,
            text,
            db,
            by,
        } => {
            block_on(with_store(&db.db, async |s| {
                s.resolve_factual_accuracy_comment(&inspection, number, &text, &by.by)
                    .await
            }))?;
            Ok(outln!("comment {number} resolved")?)
        }
        Command::Publish {
            inspection,
            reason,
            yes,
            db,
            by,
        } => publish(&inspection, reason.as_deref(), yes, &db, &by),
        Command::Files {
            inspection,
            version,
            to,
            db,
        } => files(&inspection, version, &to, &db),
    }
}

fn status(inspection: &str, db: &Db) -> Result<()> {
    let (state, comments) = block_on(with_store(&db.db, async |s| {
        Ok((
            s.publication_state(inspection).await?,
            s.factual_accuracy_comments(inspection).await?,
        ))
    }))?;
    outln!("{}: {}", shown(inspection), state.stage.label())?;
    for v in &state.versions {
        outln!(
            "version {} published {} by {}{}",
            v.version,
            v.published_at,
            shown(&v.published_by),
            v.reason
                .as_deref()
                .map(|r| format!(": {}", shown(r)))
                .unwrap_or_default()
        )?;
        outln!("  report.pdf SHA-256 {}", v.pdf_sha256)?;
    }
    for c in &comments {
        let state = match &c.resolution {
            Some(r) => format!(
                "resolved by {}: {}",
                shown(c.resolved_by.as_deref().unwrap_or("")),
                shown(r)
            ),
            None => "open".into(),
        };
        outln!(
            "comment {} on {}: {} ({state})",
            c.id,
            c.section,
            shown(&c.comment)
        )?;
    }
    let blockers = state.blockers();
    if blockers.is_empty() {
        Ok(outln!(
            "ready to publish as version {}",
            state.next_version()
        )?)
    } else {
        Ok(outln!("not ready to publish: {}", blockers.join("; "))?)
    }
}

fn publish(inspection: &str, reason: Option<&str>, yes: bool, db: &Db, by: &By) -> Result<()> {
    let state = block_on(with_store(&db.db, async |s| {
        s.publication_state(inspection).await
    }))?;
    let blockers = state.blockers();
    if !blockers.is_empty() {
        bail!(
            "{inspection} cannot be published yet: {}",
            blockers.join("; ")
        );
    }
    if !yes {
        outln!(
            "Publishing {} as version {} freezes its cases, narrative and judged ratings, and keeps the report, PDF, data workbook and ratings exactly as made now.",
            shown(inspection),
            state.next_version()
        )?;
        if !std::io::stdin().is_terminal() {
            bail!("not publishing without confirmation: run again with --yes");
        }
        print!("Publish? [y/N] ");
        std::io::stdout().flush()?;
        let mut answer = String::new();
        std::io::stdin().lock().read_line(&mut answer)?;
        if !matches!(answer.trim(), "y" | "Y" | "yes") {
            return Ok(outln!("nothing published")?);
        }
    }
    let version = block_on(async {
        let store = casework_store::Store::open(&db.db).await?;
        let result = casework_web::publishing::publish(&store, inspection, reason, &by.by).await;
        store.close().await;
        Ok(result?)
    })?;
    Ok(outln!(
        "{} published as version {version}",
        shown(inspection)
    )?)
}

fn files(inspection: &str, version: Option<i64>, to: &std::path::Path, db: &Db) -> Result<()> {
    let found = block_on(with_store(&db.db, async |s| {
        s.published_files(inspection, version).await
    }))?;
    let Some((p, files)) = found else {
        bail!(
            "{inspection} has no published version{}",
            version.map(|v| format!(" {v}")).unwrap_or_default()
        );
    };
    std::fs::create_dir_all(to).with_context(|| format!("cannot create {}", to.display()))?;
    let parts: [(&str, &[u8], &str); 4] = [
        ("report.html", files.html.as_bytes(), &p.html_sha256),
        ("report.pdf", &files.pdf, &p.pdf_sha256),
        ("data.xlsx", &files.workbook, &p.workbook_sha256),
        ("ratings.json", files.ratings.as_bytes(), &p.ratings_sha256),
    ];
    for (name, bytes, sha) in parts {
        if sha256_hex(bytes) != sha {
            bail!(
                "the stored {name} of version {} does not match its SHA-256: the store was altered",
                p.version
            );
        }
        let path = to.join(name);
        crate::fsio::write_file_atomically(&path, bytes)?;
        outln!("{}  {sha}  (version {})", path.display(), p.version)?;
    }
    Ok(())
}
