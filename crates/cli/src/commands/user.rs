//! `casework user`: accounts (add, disable, enable, list), their sessions (revoke), and who works on
//! which inspection (assign, unassign). Every change is audited.

use anyhow::{Result, bail};
use casework_store::Role;
use casework_web::{hash_password, new_password};
use clap::Subcommand;

use super::{By, Db, block_on, with_store};
use crate::outln;

#[derive(Subcommand)]
pub enum Command {
    /// Create a user (or change one's role and password, which ends their sessions). The password
    /// is generated and printed once unless --password-stdin gives one.
    Add {
        name: String,
        /// admin, lead, inspector, qa or viewer.
        #[arg(long)]
        role: String,
        /// Read the password (12 characters or more) from the first line of standard input.
        #[arg(long)]
        password_stdin: bool,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        by: By,
    },
    /// Assign a user to an inspection (a region's assignment covers its PDUs).
    Assign {
        name: String,
        inspection: String,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        by: By,
    },
    /// Take a user off an inspection.
    Unassign {
        name: String,
        inspection: String,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        by: By,
    },
    /// End every session of a user: they must sign in again.
    Revoke {
        name: String,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        by: By,
    },
    /// Stop a user signing in (their sessions end); their audit entries keep their name.
    Disable {
        name: String,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        by: By,
    },
    /// Let a disabled user sign in again.
    Enable {
        name: String,
        #[command(flatten)]
        db: Db,
        #[command(flatten)]
        by: By,
    },
    /// List users, their roles, and who is disabled.
    List {
        #[command(flatten)]
        db: Db,
    },
}

/// The password to set: read from standard input, or generated (then shown once).
fn password(from_stdin: bool) -> Result<(String, bool)> {
    if !from_stdin {
        return Ok((new_password(), true));
    }
    let mut line = String::new();
    std::io::stdin().read_line(&mut line)?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.chars().count() < 12 {
        bail!("a password must be at least 12 characters");
    }
    Ok((password, false))
}

/// Says what a change did: `done` when it changed something, `unchanged` when it did not.
fn say(changed: bool, done: String, unchanged: String) -> Result<()> {
    outln!("{}", if changed { done } else { unchanged })?;
    Ok(())
}

pub fn run(command: Command) -> Result<()> {
    match command {
        Command::Add {
            name,
            role,
            password_stdin,
            db,
            by,
        } => {
            let Some(parsed) = Role::parse(&role) else {
                bail!("role '{role}' is not one of: {}", Role::ALLOWED);
            };
            let (password, generated) = password(password_stdin)?;
            let hash = hash_password(&password).map_err(anyhow::Error::msg)?;
            block_on(with_store(&db.db, async |s| {
                s.put_user(&name, parsed, &hash, &by.by).await
            }))?;
            if generated {
                outln!("user {name} ({role}) saved; password (shown once): {password}")?;
            } else {
                outln!("user {name} ({role}) saved")?;
            }
        }
        Command::Assign {
            name,
            inspection,
            db,
            by,
        } => {
            let changed = block_on(with_store(&db.db, async |s| {
                s.assign(&name, &inspection, &by.by).await
            }))?;
            say(
                changed,
                format!("{name} is assigned to {inspection}"),
                format!("{name} was already assigned to {inspection}; nothing changed"),
            )?;
        }
        Command::Unassign {
            name,
            inspection,
            db,
            by,
        } => {
            let changed = block_on(with_store(&db.db, async |s| {
                s.unassign(&name, &inspection, &by.by).await
            }))?;
            say(
                changed,
                format!("{name} is no longer assigned to {inspection}"),
                format!("{name} was not assigned to {inspection}; nothing changed"),
            )?;
        }
        Command::Revoke { name, db, by } => {
            match block_on(with_store(&db.db, async |s| {
                s.revoke_sessions(&name, &by.by).await
            }))? {
                0 => outln!("{name} had no sessions; nothing changed")?,
                1 => outln!("ended 1 session of {name}")?,
                n => outln!("ended {n} sessions of {name}")?,
            }
        }
        Command::Disable { name, db, by } => {
            let changed = block_on(with_store(&db.db, async |s| {
                s.set_disabled(&name, true, &by.by).await
            }))?;
            say(
                changed,
                format!("{name} is disabled: they cannot sign in, and their sessions have ended"),
                format!("{name} was already disabled; nothing changed"),
            )?;
        }
        Command::Enable { name, db, by } => {
            let changed = block_on(with_store(&db.db, async |s| {
                s.set_disabled(&name, false, &by.by).await
            }))?;
            say(
                changed,
                format!("{name} can sign in again"),
                format!("{name} was not disabled; nothing changed"),
            )?;
        }
        Command::List { db } => {
            for u in block_on(with_store(&db.db, async |s| s.users().await))? {
                let disabled = if u.disabled { "  (disabled)" } else { "" };
                outln!("{:<24} {}{disabled}", u.name, u.role.as_str())?;
            }
        }
    }
    Ok(())
}
