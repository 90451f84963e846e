//! The audit log: who changed what, when, from what to what, and why. Entries are appended in the
//! same transaction as the change they record. Each carries a SHA-256 over its content and the
//! previous entry's hash, so editing, deleting or reordering an entry breaks the chain, and
//! [`Store::audit_verify`] names the first broken entry.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{Any, Row, Transaction};

use crate::connect::{Backend, Store};
use crate::error::StoreError;

/// The hash the first entry points back to.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub seq: i64,
    pub at: String,
    pub actor: String,
    pub action: String,
    pub inspection: Option<String>,
    pub entity: String,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: Option<String>,
    pub prev_hash: String,
    pub hash: String,
}

/// The result of checking the chain.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditReport {
    pub entries: usize,
    /// The first entry that does not verify, and why.
    pub first_broken: Option<(i64, String)>,
}

/// A change to record.
pub(crate) struct NewEntry<'a> {
    pub actor: &'a str,
    pub action: &'a str,
    pub inspection: Option<&'a str>,
    pub entity: &'a str,
    pub before: Option<String>,
    pub after: Option<String>,
    pub reason: Option<&'a str>,
}

#[allow(clippy::too_many_arguments)]
fn entry_hash(
    at: &str,
    actor: &str,
    action: &str,
    inspection: Option<&str>,
    entity: &str,
    before: Option<&str>,
    after: Option<&str>,
    reason: Option<&str>,
    prev_hash: &str,
) -> String {
    let canonical = serde_json::json!([
        at, actor, action, inspection, entity, before, after, reason, prev_hash
    ])
    .to_string();
    let digest = Sha256::digest(canonical.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

pub(crate) fn now() -> String {
    time::OffsetDateTime::now_utc()
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_else(|_| "unknown".into())
}

/// Where an appended entry sits in the chain: its predecessor's sequence number (0 for the first
/// entry) and its own.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Appended {
    pub previous: i64,
    pub seq: i64,
}

/// The newest audit entry (sequence number, hash) as one transaction knows it: unknown until its
/// first append, which locks the log (PostgreSQL) and reads it; then kept by each append, so later
/// appends in the same transaction (a group commit's) need neither.
#[derive(Debug, Default)]
pub(crate) struct ChainHead(Option<(i64, String)>);

/// Appends an entry inside `tx`. On PostgreSQL the log is locked for the rest of the transaction
/// so that two writers cannot both chain onto the same predecessor; SQLite serialises writers.
pub(crate) async fn append(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    head: &mut ChainHead,
    e: NewEntry<'_>,
) -> Result<Appended, StoreError> {
    let (previous, prev) = match head.0.take() {
        Some(known) => known,
        None => {
            if backend == Backend::Postgres {
                sqlx::query("LOCK TABLE audit_log IN EXCLUSIVE MODE")
                    .execute(&mut **tx)
                    .await?;
            }
            match sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut **tx)
                .await?
            {
                Some(row) => (row.try_get::<i64, _>(0)?, row.try_get::<String, _>(1)?),
                None => (0, GENESIS.to_string()),
            }
        }
    };
    let at = now();
    let hash = entry_hash(
        &at,
        e.actor,
        e.action,
        e.inspection,
        e.entity,
        e.before.as_deref(),
        e.after.as_deref(),
        e.reason,
        &prev,
    );
    let seq: i64 = sqlx::query(
        "INSERT INTO audit_log (at, actor, action, inspection, entity, before, after, reason, prev_hash, hash) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING seq",
    )
    .bind(at)
    .bind(e.actor.to_string())
    .bind(e.action.to_string())
    .bind(e.inspection.map(str::to_string))
    .bind(e.entity.to_string())
    .bind(e.before)
    .bind(e.after)
    .bind(e.reason.map(str::to_string))
    .bind(prev)
    .bind(hash.clone())
    .fetch_one(&mut **tx)
    .await?
    .try_get(0)?;
    head.0 = Some((seq, hash));
    Ok(Appended { previous, seq })
}

const SELECT_ENTRIES: &str = "SELECT seq, at, actor, action, inspection, entity, before, after, \
     reason, prev_hash, hash FROM audit_log";

fn entries_of(rows: &[sqlx::any::AnyRow]) -> Result<Vec<AuditEntry>, StoreError> {
    rows.iter()
        .map(|r| {
            Ok(AuditEntry {
                seq: r.try_get(0)?,
                at: r.try_get(1)?,
                actor: r.try_get(2)?,
                action: r.try_get(3)?,
                inspection: r.try_get(4)?,
                entity: r.try_get(5)?,
                before: r.try_get(6)?,
                after: r.try_get(7)?,
                reason: r.try_get(8)?,
                prev_hash: r.try_get(9)?,
                hash: r.try_get(10)?,
            })
        })
        .collect()
}

impl Store {
    /// The store's revision: the sequence number of the newest audit entry (0 when there is none).
    /// Every change to what [`Store::load`] reads appends an entry in the same transaction, so an
    /// unchanged revision means unchanged inspections: a cache keyed by it is never stale, whichever
    /// process made the change.
    pub async fn revision(&self) -> Result<i64, StoreError> {
        let seq: Option<i64> = sqlx::query("SELECT MAX(seq) FROM audit_log")
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        Ok(seq.unwrap_or(0))
    }

    /// Every audit entry, oldest first (the exportable log).
    pub async fn audit_entries(&self) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(&format!("{SELECT_ENTRIES} ORDER BY seq"))
            .fetch_all(&self.pool)
            .await?;
        entries_of(&rows)
    }

    /// One entity's history within an inspection (a case's: `cases::case_entity`), oldest first.
    pub async fn audit_history(
        &self,
        inspection: &str,
        entity: &str,
    ) -> Result<Vec<AuditEntry>, StoreError> {
        let rows = sqlx::query(&format!(
            "{SELECT_ENTRIES} WHERE inspection = $1 AND entity = $2 ORDER BY seq"
        ))
        .bind(inspection.to_string())
        .bind(entity.to_string())
        .fetch_all(&self.pool)
        .await?;
        entries_of(&rows)
    }

    /// Checks every entry's hash and its link to the one before.
    pub async fn audit_verify(&self) -> Result<AuditReport, StoreError> {
        let entries = self.audit_entries().await?;
        let mut prev = GENESIS.to_string();
        for e in &entries {
            if e.prev_hash != prev {
                return Ok(AuditReport {
                    entries: entries.len(),
                    first_broken: Some((
                        e.seq,
                        "does not follow the entry before it (an entry was removed, reordered or rewritten)"
                            .into(),
                    )),
                });
            }
            let expected = entry_hash(
                &e.at,
                &e.actor,
                &e.action,
                e.inspection.as_deref(),
                &e.entity,
                e.before.as_deref(),
                e.after.as_deref(),
                e.reason.as_deref(),
                &e.prev_hash,
            );
            if expected != e.hash {
                return Ok(AuditReport {
                    entries: entries.len(),
                    first_broken: Some((e.seq, "its content does not match its hash".into())),
                });
            }
            prev = e.hash.clone();
        }
        Ok(AuditReport {
            entries: entries.len(),
            first_broken: None,
        })
    }
}
