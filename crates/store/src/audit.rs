//! The audit log: who changed what, when, from what to what, and why. Entries are appended in the
//! same transaction as the change they record. Each carries a SHA-256 over its content and the
//! previous entry's hash, so editing, deleting or reordering an entry breaks the chain, and
//! [`Store::audit_verify`] names the first broken entry.

use serde::Serialize;
use sha2::{Digest, Sha256};
use sqlx::{Any, Row, Transaction};

use crate::error::StoreError;
use crate::handle::{Backend, Store};
use crate::sql::placeholders;

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

impl AuditEntry {
    /// The entry with the text of evidence notes and case notes (personal data) replaced by
    /// `[redacted: N characters]`, for printing. Its hash no longer matches: verify the stored log.
    pub fn without_notes(mut self) -> AuditEntry {
        fn redact(text: &mut Option<String>) {
            let Some(mut value) = text
                .as_deref()
                .and_then(|t| serde_json::from_str::<serde_json::Value>(t).ok())
            else {
                return;
            };
            let mut changed = false;
            if let Some(object) = value.as_object_mut() {
                for key in ["evidence", "notes"] {
                    if let Some(serde_json::Value::String(note)) = object.get_mut(key)
                        && !note.is_empty()
                    {
                        *note = format!("[redacted: {} characters]", note.chars().count());
                        changed = true;
                    }
                }
            }
            if changed {
                *text = Some(value.to_string());
            }
        }
        redact(&mut self.before);
        redact(&mut self.after);
        self
    }
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

/// The audit chain's newest entry (sequence number, hash) inside one writing transaction. Taking it
/// locks the log on PostgreSQL for the rest of the transaction, so two writers cannot both chain
/// onto the same predecessor; on SQLite the caller must already hold the write lock (it has written
/// first), which serialises writers. Appends carry it forward, so a transaction reads it once.
#[derive(Debug)]
pub(crate) struct Chain {
    backend: Backend,
    seq: i64,
    hash: String,
}

/// Audit rows per `INSERT` (ten values each): well under both backends' parameter limits.
const ROWS_PER_INSERT: usize = 64;

impl Chain {
    pub(crate) async fn lock(
        tx: &mut Transaction<'_, Any>,
        backend: Backend,
    ) -> Result<Chain, StoreError> {
        if backend == Backend::Postgres {
            sqlx::query("LOCK TABLE audit_log IN EXCLUSIVE MODE")
                .execute(&mut **tx)
                .await?;
        }
        let (seq, hash) =
            match sqlx::query("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")
                .fetch_optional(&mut **tx)
                .await?
            {
                Some(row) => (row.try_get::<i64, _>(0)?, row.try_get::<String, _>(1)?),
                None => (0, GENESIS.to_string()),
            };
        Ok(Chain { backend, seq, hash })
    }

    /// Appends `entries` in order, each chained onto the one before, in as few statements as the
    /// parameter limits allow.
    pub(crate) async fn append_all(
        &mut self,
        tx: &mut Transaction<'_, Any>,
        entries: &[NewEntry<'_>],
    ) -> Result<Vec<Appended>, StoreError> {
        let mut appended = Vec::with_capacity(entries.len());
        for batch in entries.chunks(ROWS_PER_INSERT) {
            let at = now();
            let mut hashes = Vec::with_capacity(batch.len());
            for e in batch {
                let prev = hashes.last().unwrap_or(&self.hash);
                let hash = entry_hash(
                    &at,
                    e.actor,
                    e.action,
                    e.inspection,
                    e.entity,
                    e.before.as_deref(),
                    e.after.as_deref(),
                    e.reason,
                    prev,
                );
                hashes.push(hash);
            }
            let sql = insert_sql(self.backend, batch.len());
            let mut query = sqlx::query(&sql);
            for (i, e) in batch.iter().enumerate() {
                let prev = if i == 0 { &self.hash } else { &hashes[i - 1] };
                query = query
                    .bind(at.as_str())
                    .bind(e.actor)
                    .bind(e.action)
                    .bind(e.inspection)
                    .bind(e.entity)
                    .bind(e.before.as_deref())
                    .bind(e.after.as_deref())
                    .bind(e.reason)
                    .bind(prev.as_str())
                    .bind(hashes[i].as_str());
            }
            let rows = query.fetch_all(&mut **tx).await?;
            if rows.len() != batch.len() {
                return Err(StoreError::Corrupt(format!(
                    "{} audit entries written for {}",
                    rows.len(),
                    batch.len()
                )));
            }
            for row in rows {
                let seq: i64 = row.try_get(0)?;
                // The chain is checked in sequence order: rows must be numbered as they were listed.
                if seq <= self.seq {
                    return Err(StoreError::Corrupt(format!(
                        "audit entry {seq} numbered out of order (after {})",
                        self.seq
                    )));
                }
                appended.push(Appended {
                    previous: self.seq,
                    seq,
                });
                self.seq = seq;
            }
            if let Some(last) = hashes.pop() {
                self.hash = last;
            }
        }
        Ok(appended)
    }
}

/// `INSERT INTO audit_log ... RETURNING seq` for `rows` entries.
fn insert_sql(backend: Backend, rows: usize) -> String {
    let mut sql = String::from(
        "INSERT INTO audit_log (at, actor, action, inspection, entity, before, after, reason, \
         prev_hash, hash) VALUES ",
    );
    sql.push_str(&placeholders(backend, rows, 10));
    sql.push_str(" RETURNING seq");
    sql
}

/// Appends one entry inside `tx` (see [`Chain`]).
pub(crate) async fn append(
    tx: &mut Transaction<'_, Any>,
    backend: Backend,
    e: NewEntry<'_>,
) -> Result<Appended, StoreError> {
    let mut chain = Chain::lock(tx, backend).await?;
    let mut appended = chain.append_all(tx, std::slice::from_ref(&e)).await?;
    appended
        .pop()
        .ok_or_else(|| StoreError::Corrupt("no audit entry written".into()))
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
