//! Double marking (issue 19): an inspection's QA sample (drawn by core's `qa_sample::draw` from the
//! handed-in cases, with its seed and share recorded), each drawn case's blind second marking
//! (the reviewer's answers kept apart from the case's, beside the case's answers as they stood
//! when the second marking was submitted). The disagreements between the two and their
//! reconciliation are `reconcile`.

use casework_core::Answer;
use casework_core::case::check_answer_in_progress;
use casework_core::qa_sample::{Eligible, draw};
use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use crate::answer_codes;
use crate::audit::{NewEntry, append, now};
use crate::cases::stored_instrument;
use crate::edits::case_entity;
use crate::error::StoreError;
use crate::guard;
use crate::handle::Store;
use crate::stage::Stage;

/// An inspection's QA sample.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct QaSample {
    /// The seed the draw used (recorded, so the draw can be repeated).
    pub seed: u64,
    /// Per cent of each stratum (inspector × instrument) drawn.
    pub share_percent: u32,
    pub drawn_by: String,
    pub drawn_at: String,
    /// The drawn cases in draw order (inspector, instrument, case reference).
    pub cases: Vec<SampledCase>,
}

/// A drawn case and its second marking's progress.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SampledCase {
    /// The inspection that holds the case.
    pub inspection: String,
    pub instrument: String,
    pub case_ref: String,
    /// The case's inspector (who submitted it).
    pub inspector: Option<String>,
    /// The QA reviewer who second-marked it, once marked.
    pub reviewer: Option<String>,
    pub submitted_at: Option<String>,
}

/// A drawn case's two markings, question by question in the instrument's order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DoubleMarked {
    pub inspection: String,
    /// That inspection's unit (what `Inspection::unit` names it).
    pub unit: String,
    pub instrument: String,
    pub case_ref: String,
    pub inspector: Option<String>,
    pub reviewer: String,
    /// The case's answers when the second marking was submitted.
    pub original: Vec<Answer>,
    /// The QA reviewer's answers.
    pub second: Vec<Answer>,
}

/// Whether a case was drawn for QA and where its second marking stands.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "state")]
pub enum Drawn {
    NotDrawn,
    /// Drawn and waiting for its blind second marking: QA reviewers do not see its answers yet.
    AwaitingSecondMarking,
    SecondMarked {
        reviewer: String,
    },
}

fn seed_of(stored: i64) -> u64 {
    u64::try_from(stored).unwrap_or_default()
}

impl Store {
    /// Draws inspection `slug`'s QA sample: `share_percent` of each inspector's handed-in cases
    /// per instrument (at least one per inspector), from `seed` (at most 2^63 - 1, so both
    /// backends store it alike). Here and in the PDU inspections it rolls up.
    ///
    /// Errors (nothing stored): a sample already drawn; no handed-in case; a share outside 1-100;
    /// a published inspection.
    pub async fn draw_qa_sample(
        &self,
        slug: &str,
        share_percent: u32,
        seed: u64,
        actor: &str,
    ) -> Result<QaSample, StoreError> {
        guard::actor(actor)?;
        let stored_seed = i64::try_from(seed).map_err(|_| {
            StoreError::Invalid(format!("the seed {seed} is larger than {}", i64::MAX))
        })?;
        let eligible: Vec<Eligible> = self
            .case_reviews(slug)
            .await?
            .into_iter()
            .filter(|c| c.state.handed_in())
            .map(|c| Eligible {
                inspector: c.inspector.unwrap_or_default(),
                instrument: c.instrument,
                case_ref: format!("{}\u{0}{}", c.inspection, c.case_ref),
            })
            .collect();
        let drawn = draw(&eligible, share_percent, seed)
            .map_err(|e| StoreError::Invalid(format!("{slug}: {e}")))?;
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        sqlx::query("UPDATE inspections SET stage = stage WHERE slug = $1")
            .bind(slug.to_string())
            .execute(&mut *tx)
            .await?;
        let (id, stage) = self.stage_of(&mut *tx, slug).await?;
        if stage == Stage::Published {
            return Err(StoreError::Conflict(format!("{slug} is published")));
        }
        if let Some(row) =
            sqlx::query("SELECT drawn_by, seed FROM qa_samples WHERE inspection_id = $1")
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?
        {
            return Err(StoreError::Conflict(format!(
                "{slug} already has a QA sample, drawn by {} with seed {}",
                row.try_get::<String, _>(0)?,
                seed_of(row.try_get(1)?)
            )));
        }
        let at = now();
        sqlx::query(
            "INSERT INTO qa_samples (inspection_id, seed, share_percent, drawn_by, drawn_at) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(id)
        .bind(stored_seed)
        .bind(i64::from(share_percent))
        .bind(actor.to_string())
        .bind(at)
        .execute(&mut *tx)
        .await?;
        let mut refs = Vec::with_capacity(drawn.len());
        for case in &drawn {
            let (owner, case_ref) = case.case_ref.split_once('\u{0}').unwrap_or_default();
            sqlx::query(
                "INSERT INTO qa_marks (case_id, inspection_id) SELECT c.id, $1 FROM cases c \
                 JOIN inspections i ON i.id = c.inspection_id \
                 WHERE i.slug = $2 AND c.instrument = $3 AND c.case_ref = $4",
            )
            .bind(id)
            .bind(owner.to_string())
            .bind(case.instrument.clone())
            .bind(case_ref.to_string())
            .execute(&mut *tx)
            .await?;
            refs.push(format!("{owner} {} {case_ref}", case.instrument));
        }
        append(
            &mut tx,
            self.backend,
            NewEntry {
                actor,
                action: "draw-qa-sample",
                inspection: Some(slug),
                entity: &format!("qa-sample:{slug}"),
                before: None,
                after: Some(
                    json!({ "seed": seed, "share_percent": share_percent, "cases": refs })
                        .to_string(),
                ),
                reason: None,
            },
        )
        .await?;
        tx.commit().await?;
        self.qa_sample(slug)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("{slug}'s QA sample was not stored")))
    }

    /// Inspection `slug`'s QA sample, if one has been drawn.
    pub async fn qa_sample(&self, slug: &str) -> Result<Option<QaSample>, StoreError> {
        let (id, _) = self.stage_of(&self.pool, slug).await?;
        let Some(row) = sqlx::query(
            "SELECT seed, share_percent, drawn_by, drawn_at FROM qa_samples WHERE inspection_id = $1",
        )
        .bind(id)
        .fetch_optional(&self.pool)
        .await?
        else {
            return Ok(None);
        };
        let cases = sqlx::query(
            "SELECT i.slug, c.instrument, c.case_ref, c.inspector, m.reviewer, m.submitted_at \
             FROM qa_marks m JOIN cases c ON c.id = m.case_id \
             JOIN inspections i ON i.id = c.inspection_id WHERE m.inspection_id = $1 \
             ORDER BY c.inspector, c.instrument, i.slug, c.case_ref",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(SampledCase {
                inspection: r.try_get(0)?,
                instrument: r.try_get(1)?,
                case_ref: r.try_get(2)?,
                inspector: r.try_get(3)?,
                reviewer: r.try_get(4)?,
                submitted_at: r.try_get(5)?,
            })
        })
        .collect::<Result<Vec<_>, StoreError>>()?;
        Ok(Some(QaSample {
            seed: seed_of(row.try_get(0)?),
            share_percent: u32::try_from(row.try_get::<i64, _>(1)?).unwrap_or_default(),
            drawn_by: row.try_get(2)?,
            drawn_at: row.try_get(3)?,
            cases,
        }))
    }

    /// Records a QA reviewer's blind second marking of a drawn case: `answers` (question id,
    /// answer; a question left out is missing). The case's own answers are kept beside it as they
    /// stand now.
    ///
    /// Errors (nothing stored): the case was not drawn for QA; it was already second-marked; the
    /// reviewer submitted the case themselves; a question the instrument lacks, named twice, or
    /// an answer the question does not allow for this case (each named); a published inspection.
    pub async fn record_second_marking(
        &self,
        slug: &str,
        instrument: &str,
        case_ref: &str,
        answers: &[(String, Answer)],
        actor: &str,
    ) -> Result<(), StoreError> {
        guard::actor(actor)?;
        let case_name = format!("{slug} {instrument} {case_ref}");
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let case = self.hold_case(&mut tx, slug, instrument, case_ref).await?;
        if case.stage == Stage::Published {
            return Err(StoreError::Conflict(format!("{slug} is published")));
        }
        let mark = sqlx::query("SELECT reviewer, submitted_at FROM qa_marks WHERE case_id = $1")
            .bind(case.id)
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| {
                StoreError::Invalid(format!(
                    "{case_name} was not drawn for QA; nothing recorded"
                ))
            })?;
        if let Some(reviewer) = mark.try_get::<Option<String>, _>(0)? {
            return Err(StoreError::Conflict(format!(
                "{case_name} was already second-marked by {reviewer}"
            )));
        }
        if case.inspector.as_deref() == Some(actor) {
            return Err(StoreError::Conflict(format!(
                "{case_name} was submitted by {actor}: a QA reviewer cannot second-mark their own case"
            )));
        }
        let inst = stored_instrument(&case.fw, instrument)?;
        let mut second = vec![Answer::Unanswered; inst.questions.len()];
        for (question, answer) in answers {
            let Some(qi) = inst.questions.iter().position(|q| &q.id == question) else {
                return Err(StoreError::Invalid(format!(
                    "{case_name}: the {instrument} instrument has no question '{question}'"
                )));
            };
            if second[qi] != Answer::Unanswered {
                return Err(StoreError::Invalid(format!(
                    "{case_name}: question {question} is marked twice"
                )));
            }
            check_answer_in_progress(
                &inst.questions[qi],
                &case.record,
                *answer,
                case.fw.rules.reset_adjusted_max_weeks,
            )
            .map_err(|p| StoreError::Invalid(format!("{case_name} {question}: {p}")))?;
            second[qi] = *answer;
        }
        sqlx::query(
            "UPDATE qa_marks SET reviewer = $1, answers = $2, original = $3, submitted_at = $4 \
             WHERE case_id = $5",
        )
        .bind(actor.to_string())
        .bind(answer_codes::encode(&second))
        .bind(answer_codes::encode(&case.answers))
        .bind(now())
        .bind(case.id)
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            self.backend,
            NewEntry {
                actor,
                action: "second-marking",
                inspection: Some(slug),
                entity: &case_entity(instrument, case_ref),
                before: None,
                after: Some(json!({ "second": answer_codes::encode(&second) }).to_string()),
                reason: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Whether case (`slug`, `instrument`, `case_ref`) was drawn for QA, and by whom it was
    /// second-marked.
    pub async fn drawn_for_qa(
        &self,
        slug: &str,
        instrument: &str,
        case_ref: &str,
    ) -> Result<Drawn, StoreError> {
        let row = sqlx::query(
            "SELECT m.reviewer FROM qa_marks m JOIN cases c ON c.id = m.case_id \
             JOIN inspections i ON i.id = c.inspection_id \
             WHERE i.slug = $1 AND c.instrument = $2 AND c.case_ref = $3",
        )
        .bind(slug.to_string())
        .bind(instrument.to_string())
        .bind(case_ref.to_string())
        .fetch_optional(&self.pool)
        .await?;
        Ok(match row {
            None => Drawn::NotDrawn,
            Some(r) => match r.try_get::<Option<String>, _>(0)? {
                None => Drawn::AwaitingSecondMarking,
                Some(reviewer) => Drawn::SecondMarked { reviewer },
            },
        })
    }

    /// The inspection whose QA sample drew case (`slug`, `instrument`, `case_ref`): the case's
    /// own, or the region whose sample covers its PDU inspections; `None` when not drawn.
    pub async fn sampled_by(
        &self,
        slug: &str,
        instrument: &str,
        case_ref: &str,
    ) -> Result<Option<String>, StoreError> {
        Ok(sqlx::query(
            "SELECT s.slug FROM qa_marks m JOIN inspections s ON s.id = m.inspection_id \
             JOIN cases c ON c.id = m.case_id JOIN inspections i ON i.id = c.inspection_id \
             WHERE i.slug = $1 AND c.instrument = $2 AND c.case_ref = $3",
        )
        .bind(slug.to_string())
        .bind(instrument.to_string())
        .bind(case_ref.to_string())
        .fetch_optional(&self.pool)
        .await?
        .map(|r| r.try_get(0))
        .transpose()?)
    }

    /// Every submitted second marking of inspection `slug`'s QA sample, with the case's answers
    /// as they stood when it was submitted.
    pub async fn double_marked(&self, slug: &str) -> Result<Vec<DoubleMarked>, StoreError> {
        let (id, _) = self.stage_of(&self.pool, slug).await?;
        let fw = self.framework_of(slug).await?;
        let rows = sqlx::query(
            "SELECT i.slug, c.instrument, c.case_ref, c.inspector, m.reviewer, m.original, \
             m.answers, i.unit FROM qa_marks m JOIN cases c ON c.id = m.case_id \
             JOIN inspections i ON i.id = c.inspection_id \
             WHERE m.inspection_id = $1 AND m.submitted_at IS NOT NULL \
             ORDER BY c.inspector, c.instrument, i.slug, c.case_ref",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        rows.iter()
            .map(|r| {
                let instrument: String = r.try_get(1)?;
                let case_ref: String = r.try_get(2)?;
                let inst = stored_instrument(&fw, &instrument)?;
                let decode = |i: usize| -> Result<Vec<Answer>, StoreError> {
                    answer_codes::decode(inst, &r.try_get::<String, _>(i)?, &case_ref)
                };
                Ok(DoubleMarked {
                    inspection: r.try_get(0)?,
                    unit: r.try_get(7)?,
                    original: decode(5)?,
                    second: decode(6)?,
                    instrument,
                    case_ref,
                    inspector: r.try_get(3)?,
                    reviewer: r.try_get(4)?,
                })
            })
            .collect()
    }
}
