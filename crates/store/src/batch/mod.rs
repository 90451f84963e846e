//! Applying a batch of case edits (a group commit's, see `group_commit`) inside one transaction
//! with a fixed number of statements, whatever the batch's size: lock and read every case the batch
//! touches, decide each edit in memory in arrival order, then write the changed cases, the evidence
//! notes and the audit entries with one statement each. Under load a batch holds tens of edits, and
//! on PostgreSQL every statement is a round trip taken while every other writer waits.
//!
//! Each edit is judged as if it ran alone after the ones before it: it names the version it was
//! based on (an earlier edit in the batch to the same case makes it stale), is checked against the
//! framework's applicability rules, and is refused on a published inspection or a locked case. A refused edit
//! changes nothing; the others go ahead. An edit that would leave the case as it is (the same
//! answer again) changes nothing either: it is not recorded and the case keeps its version.

use std::collections::{HashMap, HashSet};

use casework_core::case::{Oversight, SentenceType};
use casework_core::review::ReviewState;
use sqlx::{Any, Row, Transaction};

use crate::answer_codes;
use crate::audit::{Appended, Chain, NewEntry};
use crate::cases::{changes_since, record_of, stored_instrument};
use crate::edits::{CaseChange, CaseEdit, case_entity};
use crate::error::StoreError;
use crate::handle::{Backend, Store};
use crate::queue::MAX_EDITS;
use crate::sql::placeholders;

mod decide;
#[cfg(test)]
mod tests;

use decide::{CaseKey, Held, Notes, Pending, decide_batch};

/// A committed edit's case version and its audit entry (none when it changed nothing).
#[derive(Debug, Clone, Copy)]
pub(crate) struct Applied {
    pub version: i64,
    pub appended: Option<Appended>,
}

impl Store {
    /// Applies `edits` (at most [`MAX_EDITS`]) in order inside `tx`. Each edit's own outcome is in
    /// the list; an `Err` of the whole means the database failed and `tx` must be rolled back.
    pub(crate) async fn apply_batch(
        &self,
        tx: &mut Transaction<'_, Any>,
        edits: &[CaseEdit<'_>],
    ) -> Result<Vec<Result<Applied, StoreError>>, StoreError> {
        if edits.len() > MAX_EDITS {
            return Err(StoreError::Corrupt(format!(
                "a batch of {} edits (at most {MAX_EDITS})",
                edits.len()
            )));
        }
        // PostgreSQL: the audit log first, so that writers in other processes queue here before
        // any of them holds a case row (no lock-order deadlocks). SQLite: after the first write.
        let mut chain = match self.backend {
            Backend::Postgres => Some(Chain::lock(tx, self.backend).await?),
            Backend::Sqlite => None,
        };
        let mut held = self.lock_cases(tx, edits).await?;
        let mut notes = self.read_notes(tx, edits, &held).await?;

        let (pending, decided) = decide_batch(edits, &mut held, &mut notes);

        let mut appended = Vec::new();
        if !decided.is_empty() {
            self.write_cases(tx, &held).await?;
            self.write_notes(tx, &notes).await?;
            let texts: Vec<(String, String)> = decided
                .iter()
                .map(|(_, _, d)| (d.before.to_string(), d.after.to_string()))
                .collect();
            let entries: Vec<NewEntry<'_>> = decided
                .iter()
                .zip(&texts)
                .map(|((edit, entity, d), (before, after))| {
                    (&edits[*edit], entity, d, before, after)
                })
                .map(|(edit, entity, d, before, after)| NewEntry {
                    actor: edit.actor,
                    action: d.action,
                    inspection: Some(edit.inspection),
                    entity,
                    before: Some(before.clone()),
                    after: Some(after.clone()),
                    reason: edit.reason,
                })
                .collect();
            let chain = match &mut chain {
                Some(chain) => chain,
                None => chain.insert(Chain::lock(tx, self.backend).await?),
            };
            appended = chain.append_all(tx, &entries).await?;
        }

        let mut results = Vec::with_capacity(edits.len());
        for (edit, outcome) in edits.iter().zip(pending) {
            results.push(match outcome {
                Pending::Done { version, entry } => Ok(Applied {
                    version,
                    appended: entry.map(|i| appended[i]),
                }),
                Pending::Refused(refused) => Err(refused),
                // Read after this batch's own entries, so an earlier edit in it is listed too.
                Pending::Stale { current } => {
                    let entity = case_entity(edit.instrument, edit.case_ref);
                    Err(StoreError::StaleVersion {
                        case: format!("{} {} {}", edit.inspection, edit.instrument, edit.case_ref),
                        expected: edit.expected_version,
                        current,
                        changes: changes_since(tx, edit.inspection, &entity, edit.expected_version)
                            .await?,
                    })
                }
            });
        }
        Ok(results)
    }

    /// Locks and reads every case the batch names (those that exist). On SQLite a no-op write, so
    /// the transaction holds the database's write lock before it reads; on PostgreSQL
    /// `FOR UPDATE`, which locks the rows without writing new versions of them.
    async fn lock_cases<'e>(
        &self,
        tx: &mut Transaction<'_, Any>,
        edits: &'e [CaseEdit<'e>],
    ) -> Result<HashMap<CaseKey<'e>, Held>, StoreError> {
        let mut keys: Vec<CaseKey<'e>> = Vec::new();
        let mut seen = HashSet::new();
        for e in edits {
            let key = (e.inspection, e.instrument, e.case_ref);
            if seen.insert(key) {
                keys.push(key);
            }
        }
        let values = placeholders(self.backend, keys.len(), 3);
        let sql = match self.backend {
            Backend::Sqlite => format!(
                "WITH k (slug, instrument, case_ref) AS (VALUES {values}) \
                 UPDATE cases SET version = version WHERE id IN (SELECT c.id FROM k \
                 JOIN inspections i ON i.slug = k.slug JOIN cases c ON c.inspection_id = i.id \
                 AND c.instrument = k.instrument AND c.case_ref = k.case_ref) \
                 RETURNING (SELECT slug FROM inspections i WHERE i.id = cases.inspection_id), \
                 instrument, case_ref, id, version, answers, sentence, reset_weeks, oversight, \
                 (SELECT framework_hash FROM inspections i WHERE i.id = cases.inspection_id), \
                 (SELECT CASE WHEN i.stage = 'published' THEN 1 ELSE 0 END FROM inspections i \
                  WHERE i.id = cases.inspection_id), attributes, review_state"
            ),
            Backend::Postgres => format!(
                "WITH k (slug, instrument, case_ref) AS (VALUES {values}) \
                 SELECT i.slug, c.instrument, c.case_ref, c.id, c.version, c.answers, c.sentence, \
                 c.reset_weeks, c.oversight, i.framework_hash, \
                 CASE WHEN i.stage = 'published' THEN 1 ELSE 0 END, c.attributes, c.review_state FROM k \
                 JOIN inspections i ON i.slug = k.slug JOIN cases c ON c.inspection_id = i.id \
                 AND c.instrument = k.instrument AND c.case_ref = k.case_ref FOR UPDATE OF c"
            ),
        };
        let mut query = sqlx::query(&sql);
        for (slug, instrument, case_ref) in &keys {
            query = query.bind(*slug).bind(*instrument).bind(*case_ref);
        }
        let rows = query.fetch_all(&mut **tx).await?;
        let mut held = HashMap::with_capacity(rows.len());
        for row in rows {
            let (slug, instrument, case_ref): (String, String, String) =
                (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
            let Some(&key) = keys.iter().find(|(s, i, c)| {
                *s == slug.as_str() && *i == instrument.as_str() && *c == case_ref.as_str()
            }) else {
                continue;
            };
            let framework = self
                .framework_by_hash(&mut **tx, &row.try_get::<String, _>(9)?)
                .await?;
            let answers = answer_codes::decode(
                stored_instrument(&framework, &instrument)?,
                &row.try_get::<String, _>(5)?,
                &case_ref,
            )?;
            let version: i64 = row.try_get(4)?;
            held.insert(
                key,
                Held {
                    id: row.try_get(3)?,
                    base: version,
                    version,
                    answers,
                    record: record_of(
                        &case_ref,
                        row.try_get(6)?,
                        row.try_get(7)?,
                        row.try_get(8)?,
                        None,
                        row.try_get(11)?,
                    )?,
                    framework,
                    published: row.try_get::<i64, _>(10)? != 0,
                    review_locked: row.try_get::<String, _>(12)? == ReviewState::Locked.as_str(),
                },
            );
        }
        Ok(held)
    }

    /// The current evidence notes for the batch's evidence edits.
    async fn read_notes(
        &self,
        tx: &mut Transaction<'_, Any>,
        edits: &[CaseEdit<'_>],
        held: &HashMap<CaseKey<'_>, Held>,
    ) -> Result<Notes, StoreError> {
        let mut notes = Notes::new();
        for e in edits {
            if let CaseChange::Evidence { question, .. } = e.change
                && let Some(case) = held.get(&(e.inspection, e.instrument, e.case_ref))
            {
                notes.insert((case.id, question.to_string()), None);
            }
        }
        if notes.is_empty() {
            return Ok(notes);
        }
        let keys: Vec<(i64, String)> = notes.keys().cloned().collect();
        let sql = format!(
            "WITH k (case_id, question) AS (VALUES {}) SELECT e.case_id, e.question, e.note \
             FROM k JOIN evidence e ON e.case_id = k.case_id AND e.question = k.question",
            placeholders(self.backend, keys.len(), 2)
        );
        let mut query = sqlx::query(&sql);
        for (case_id, question) in &keys {
            query = query.bind(*case_id).bind(question.as_str());
        }
        for row in query.fetch_all(&mut **tx).await? {
            notes.insert((row.try_get(0)?, row.try_get(1)?), Some(row.try_get(2)?));
        }
        Ok(notes)
    }

    /// Writes every case the batch changed, as it left it.
    async fn write_cases(
        &self,
        tx: &mut Transaction<'_, Any>,
        held: &HashMap<CaseKey<'_>, Held>,
    ) -> Result<(), StoreError> {
        let changed: Vec<&Held> = held.values().filter(|c| c.version != c.base).collect();
        if changed.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "WITH v (id, base, version, answers, sentence, reset_weeks, oversight, attributes) \
             AS (VALUES {}) \
             UPDATE cases SET version = v.version, answers = v.answers, sentence = v.sentence, \
             reset_weeks = v.reset_weeks, oversight = v.oversight, attributes = v.attributes \
             FROM v WHERE cases.id = v.id AND cases.version = v.base",
            placeholders(self.backend, changed.len(), 8)
        );
        let attributes: Vec<Option<String>> = changed
            .iter()
            .map(|c| crate::attributes::encode(&c.record.attributes))
            .collect();
        let codes: Vec<String> = changed
            .iter()
            .map(|c| answer_codes::encode(&c.answers))
            .collect();
        let mut query = sqlx::query(&sql);
        for ((case, codes), attributes) in changed.iter().zip(&codes).zip(&attributes) {
            query = query
                .bind(case.id)
                .bind(case.base)
                .bind(case.version)
                .bind(codes.as_str())
                .bind(case.record.sentence.map(SentenceType::as_str))
                .bind(case.record.reset_weeks.map(i64::from))
                .bind(case.record.oversight.map(Oversight::as_str))
                .bind(attributes.as_deref());
        }
        let written = query.execute(&mut **tx).await?.rows_affected();
        if written != changed.len() as u64 {
            return Err(StoreError::Corrupt(format!(
                "{written} of {} locked cases written: a case changed under a held lock",
                changed.len()
            )));
        }
        Ok(())
    }

    /// Replaces every evidence note the batch touched (an empty note is removed).
    async fn write_notes(
        &self,
        tx: &mut Transaction<'_, Any>,
        notes: &Notes,
    ) -> Result<(), StoreError> {
        if notes.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "DELETE FROM evidence WHERE (case_id, question) IN (VALUES {})",
            placeholders(self.backend, notes.len(), 2)
        );
        let mut query = sqlx::query(&sql);
        for (case_id, question) in notes.keys() {
            query = query.bind(*case_id).bind(question.as_str());
        }
        query.execute(&mut **tx).await?;
        let kept: Vec<(&(i64, String), &String)> = notes
            .iter()
            .filter_map(|(key, note)| note.as_ref().map(|n| (key, n)))
            .collect();
        if kept.is_empty() {
            return Ok(());
        }
        let sql = format!(
            "INSERT INTO evidence (case_id, question, note) VALUES {}",
            placeholders(self.backend, kept.len(), 3)
        );
        let mut query = sqlx::query(&sql);
        for ((case_id, question), note) in kept {
            query = query
                .bind(*case_id)
                .bind(question.as_str())
                .bind(note.as_str());
        }
        query.execute(&mut **tx).await?;
        Ok(())
    }
}
