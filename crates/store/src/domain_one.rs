//! Domain one's organisational evidence of an inspection (issue 17): the aggregates of its
//! surveys, of its interviews, its measures and submitted documents, and its key questions' judged
//! ratings, as `casework_core::domain_one` reads them; never a respondent's answers. One row per
//! survey (by its id), one each for the interviews, the measures, the documents and the key
//! question ratings, each versioned: recording a file again for the same name replaces it (version + 1),
//! in one transaction with its audit entry (who, which file, what it counts: never its content).
//! Refused once the inspection is published.

use casework_core::domain_one::{
    Document, Evidence, KeyQuestionRating, Measure, RoleAggregate, SurveyAggregate,
};
use serde::Serialize;
use serde_json::json;
use sqlx::{Any, Row, Transaction};

use crate::audit::{NewEntry, append, now};
use crate::error::StoreError;
use crate::guard;
use crate::handle::Store;

/// Which evidence a row holds.
#[derive(Debug, Clone, PartialEq)]
pub enum EvidenceFile {
    Survey(SurveyAggregate),
    Interviews(Vec<RoleAggregate>),
    Measures(Vec<Measure>),
    Documents(Vec<Document>),
    KeyQuestionRatings(Vec<KeyQuestionRating>),
}

impl EvidenceFile {
    /// `(kind, name)`: the row's key.
    fn key(&self) -> (&'static str, String) {
        match self {
            EvidenceFile::Survey(s) => ("survey", s.survey.clone()),
            EvidenceFile::Interviews(_) => ("interviews", "interviews".into()),
            EvidenceFile::Measures(_) => ("measures", "measures".into()),
            EvidenceFile::Documents(_) => ("documents", "documents".into()),
            EvidenceFile::KeyQuestionRatings(_) => ("ratings", "ratings".into()),
        }
    }

    /// Puts this file's aggregates into `evidence`, replacing what it held of the same kind and
    /// name.
    pub fn add_to(&self, evidence: &mut Evidence) {
        match self {
            EvidenceFile::Survey(s) => {
                evidence.surveys.retain(|k| k.survey != s.survey);
                evidence.surveys.push(s.clone());
            }
            EvidenceFile::Interviews(r) => evidence.interviews.clone_from(r),
            EvidenceFile::Measures(m) => evidence.measures.clone_from(m),
            EvidenceFile::Documents(d) => evidence.documents.clone_from(d),
            EvidenceFile::KeyQuestionRatings(r) => evidence.key_question_ratings.clone_from(r),
        }
    }

    /// The files `evidence` is kept as, one per stored row: each survey, then the interviews,
    /// measures, documents and key question ratings where there are any.
    pub fn all_of(evidence: &Evidence) -> Vec<EvidenceFile> {
        let mut out: Vec<EvidenceFile> = evidence
            .surveys
            .iter()
            .cloned()
            .map(EvidenceFile::Survey)
            .collect();
        if !evidence.interviews.is_empty() {
            out.push(EvidenceFile::Interviews(evidence.interviews.clone()));
        }
        if !evidence.measures.is_empty() {
            out.push(EvidenceFile::Measures(evidence.measures.clone()));
        }
        if !evidence.documents.is_empty() {
            out.push(EvidenceFile::Documents(evidence.documents.clone()));
        }
        if !evidence.key_question_ratings.is_empty() {
            out.push(EvidenceFile::KeyQuestionRatings(
                evidence.key_question_ratings.clone(),
            ));
        }
        out
    }

    /// What the audit log says it counts.
    fn summary(&self) -> serde_json::Value {
        match self {
            EvidenceFile::Survey(s) => {
                json!({ "respondents": s.respondents, "questions": s.questions.len() })
            }
            EvidenceFile::Interviews(roles) => json!({
                "people": roles.iter().map(|r| r.people).sum::<u64>(),
                "roles": roles.len(),
            }),
            EvidenceFile::Measures(m) => json!({ "measures": m.len() }),
            EvidenceFile::Documents(d) => json!({ "documents": d.len() }),
            // Which key questions were rated, and how: the inspectors' judgement, not personal
            // data; the rationale stays in the record.
            EvidenceFile::KeyQuestionRatings(r) => json!({
                "ratings": r.iter().map(|r| json!({ "key_question": r.key_question, "rating": r.rating })).collect::<Vec<_>>(),
            }),
        }
    }

    fn body(&self) -> Result<String, serde_json::Error> {
        match self {
            EvidenceFile::Survey(s) => serde_json::to_string(s),
            EvidenceFile::Interviews(r) => serde_json::to_string(r),
            EvidenceFile::Measures(m) => serde_json::to_string(m),
            EvidenceFile::Documents(d) => serde_json::to_string(d),
            EvidenceFile::KeyQuestionRatings(r) => serde_json::to_string(r),
        }
    }
}

/// One stored evidence file's record.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceRecord {
    /// `survey`, `interviews`, `measures`, `documents` or `ratings`.
    pub kind: String,
    /// The survey's id, or the kind again.
    pub name: String,
    pub file_name: String,
    pub version: u64,
    pub recorded_by: String,
    pub recorded_at: String,
}

/// Keeps an imported inspection's `evidence` (already checked by core's readers) with inspection
/// row `id`, in the import's transaction: one row per file, version 1, recorded from
/// `domain-one.json`. Returns what the import's audit entry says of each: kind, name and counts.
pub(crate) async fn insert_imported(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    evidence: &Evidence,
    actor: &str,
) -> Result<Vec<serde_json::Value>, StoreError> {
    let mut said = Vec::new();
    for file in EvidenceFile::all_of(evidence) {
        let (kind, name) = file.key();
        let body = file
            .body()
            .map_err(|e| StoreError::Invalid(format!("the evidence cannot be kept: {e}")))?;
        sqlx::query(
            "INSERT INTO domain_one_evidence (inspection_id, kind, name, file_name, body, \
             version, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, 1, $6, $7)",
        )
        .bind(id)
        .bind(kind)
        .bind(name.clone())
        .bind(casework_core::domain_one::kept::FILE)
        .bind(body)
        .bind(actor.to_string())
        .bind(now())
        .execute(&mut **tx)
        .await?;
        said.push(json!({ "kind": kind, "name": name, "counts": file.summary() }));
    }
    Ok(said)
}

impl Store {
    /// Records `file` (read from `file_name`) as inspection `slug`'s evidence, replacing the one
    /// of the same kind and name: version + 1, audited. Returns the version.
    ///
    /// Errors: no such inspection; a published one; the file name not one line of text.
    pub async fn record_domain_one(
        &self,
        slug: &str,
        file_name: &str,
        file: &EvidenceFile,
        actor: &str,
    ) -> Result<u64, StoreError> {
        self.record_evidence(slug, file_name, file, actor, None)
            .await
    }

    /// As [`Store::record_domain_one`], for a change made on what the writer read: refused,
    /// nothing written, unless the record of `file`'s kind and name is still at `based_on` (0:
    /// none recorded yet). The evidence page's key question ratings are saved so, so that two
    /// inspectors rating at once never lose each other's rating in silence.
    ///
    /// Errors: as `record_domain_one`, and `StaleVersion` when another version was recorded since.
    pub async fn record_domain_one_based_on(
        &self,
        slug: &str,
        file_name: &str,
        file: &EvidenceFile,
        actor: &str,
        based_on: u64,
    ) -> Result<u64, StoreError> {
        self.record_evidence(slug, file_name, file, actor, Some(based_on))
            .await
    }

    async fn record_evidence(
        &self,
        slug: &str,
        file_name: &str,
        file: &EvidenceFile,
        actor: &str,
        based_on: Option<u64>,
    ) -> Result<u64, StoreError> {
        guard::actor(actor)?;
        guard::line("file name", file_name, casework_core::text::LINE_MAX_CHARS)?;
        let (kind, name) = file.key();
        let body = file
            .body()
            .map_err(|e| StoreError::Invalid(format!("the evidence cannot be kept: {e}")))?;
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let id = self.open_unpublished(&mut tx, slug).await?;
        let before: Option<i64> = sqlx::query(
            "SELECT version FROM domain_one_evidence WHERE inspection_id = $1 AND kind = $2 \
             AND name = $3",
        )
        .bind(id)
        .bind(kind)
        .bind(name.clone())
        .fetch_optional(&mut *tx)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?;
        let current = before.unwrap_or(0);
        if let Some(expected) = based_on
            && i64::try_from(expected).ok() != Some(current)
        {
            return Err(StoreError::StaleVersion {
                case: format!("The {kind} evidence of {slug}"),
                expected: i64::try_from(expected).unwrap_or(i64::MAX),
                current,
                changes: Vec::new(),
            });
        }
        let version = current + 1;
        // The version replaced is kept in the history (migration 11), never lost.
        sqlx::query(
            "INSERT INTO domain_one_history (inspection_id, kind, name, version, file_name, body, \
             recorded_by, recorded_at) SELECT inspection_id, kind, name, version, file_name, body, \
             recorded_by, recorded_at FROM domain_one_evidence \
             WHERE inspection_id = $1 AND kind = $2 AND name = $3",
        )
        .bind(id)
        .bind(kind)
        .bind(name.clone())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "DELETE FROM domain_one_evidence WHERE inspection_id = $1 AND kind = $2 AND name = $3",
        )
        .bind(id)
        .bind(kind)
        .bind(name.clone())
        .execute(&mut *tx)
        .await?;
        sqlx::query(
            "INSERT INTO domain_one_evidence (inspection_id, kind, name, file_name, body, \
             version, recorded_by, recorded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
        )
        .bind(id)
        .bind(kind)
        .bind(name.clone())
        .bind(file_name.to_string())
        .bind(body)
        .bind(version)
        .bind(actor.to_string())
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let after = json!({
            "kind": kind, "name": name, "file": file_name, "version": version,
            "counts": file.summary(),
        })
        .to_string();
        append(
            &mut tx,
            self.backend,
            NewEntry {
                actor,
                action: "record-domain-one-evidence",
                inspection: Some(slug),
                entity: &format!("domain-one:{slug}:{kind}:{name}"),
                before: before.map(|v| json!({ "version": v }).to_string()),
                after: Some(after),
                reason: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(u64::try_from(version).unwrap_or_default())
    }

    /// Inspection `slug`'s domain-one evidence: the aggregates, surveys by id, and each file's
    /// record.
    pub async fn domain_one(
        &self,
        slug: &str,
    ) -> Result<(Evidence, Vec<EvidenceRecord>), StoreError> {
        let (id, _) = self.stage_of(&self.pool, slug).await?;
        self.domain_one_of(id).await
    }

    /// Inspection `slug`'s earlier versions of its domain-one evidence, each replaced by a later
    /// recording: its record and what it held, by kind, name and version.
    pub async fn domain_one_history(
        &self,
        slug: &str,
    ) -> Result<Vec<(EvidenceRecord, EvidenceFile)>, StoreError> {
        let (id, _) = self.stage_of(&self.pool, slug).await?;
        let rows = sqlx::query(
            "SELECT kind, name, file_name, body, version, recorded_by, recorded_at \
             FROM domain_one_history WHERE inspection_id = $1 ORDER BY kind, name, version",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(read_row).collect()
    }

    /// The domain-one evidence of inspection row `id` (see [`Store::domain_one`]).
    pub(crate) async fn domain_one_of(
        &self,
        id: i64,
    ) -> Result<(Evidence, Vec<EvidenceRecord>), StoreError> {
        let rows = sqlx::query(
            "SELECT kind, name, file_name, body, version, recorded_by, recorded_at \
             FROM domain_one_evidence WHERE inspection_id = $1 ORDER BY kind, name",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        let mut evidence = Evidence::default();
        let mut records = Vec::new();
        for row in &rows {
            let (record, file) = read_row(row)?;
            file.add_to(&mut evidence);
            records.push(record);
        }
        Ok((evidence, records))
    }
}

/// One stored row (`kind, name, file_name, body, version, recorded_by, recorded_at`): its record
/// and the file it holds.
fn read_row(row: &sqlx::any::AnyRow) -> Result<(EvidenceRecord, EvidenceFile), StoreError> {
    let kind: String = row.try_get(0)?;
    let body: String = row.try_get(3)?;
    let corrupt = |e: serde_json::Error| {
        StoreError::Corrupt(format!("stored {kind} evidence cannot be read: {e}"))
    };
    let file = match kind.as_str() {
        "survey" => EvidenceFile::Survey(serde_json::from_str(&body).map_err(corrupt)?),
        "interviews" => EvidenceFile::Interviews(serde_json::from_str(&body).map_err(corrupt)?),
        "measures" => EvidenceFile::Measures(serde_json::from_str(&body).map_err(corrupt)?),
        "documents" => EvidenceFile::Documents(serde_json::from_str(&body).map_err(corrupt)?),
        "ratings" => {
            EvidenceFile::KeyQuestionRatings(serde_json::from_str(&body).map_err(corrupt)?)
        }
        other => {
            return Err(StoreError::Corrupt(format!(
                "stored evidence of an unknown kind '{other}'"
            )));
        }
    };
    let record = EvidenceRecord {
        kind,
        name: row.try_get(1)?,
        file_name: row.try_get(2)?,
        version: u64::try_from(row.try_get::<i64, _>(4)?).unwrap_or_default(),
        recorded_by: row.try_get(5)?,
        recorded_at: row.try_get(6)?,
    };
    Ok((record, file))
}
