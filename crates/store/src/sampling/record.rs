//! Recording a drawn sample: the draw, every drawn case and reserve, and the drawn cases created
//! as cases in progress (also how a reserve becomes a case when it replaces one, `replace`).

use casework_core::Answer;
use casework_core::framework::Framework;
use serde_json::json;
use sqlx::{Any, Transaction};

use casework_core::sampling::draw::allocate;
use casework_core::sampling::{Caseload, DrawnCase, Plan, Role};

use super::{NewDraw, NewSampleCase};
use crate::audit::now;
use crate::error::StoreError;
use crate::guard;
use crate::handle::Store;

/// The cases of a draw as the store records them: each with its stratum's key, its role and
/// order, its record and attributes from the extract, and, for a drawn case, the inspector it is
/// allocated to (`inspectors` in turn, in draw order; none when there is none).
pub fn new_sample_cases(
    fw: &Framework,
    plan: &Plan,
    caseload: &Caseload,
    drawn: &[DrawnCase],
    inspectors: &[String],
) -> Vec<NewSampleCase> {
    let allocation = allocate(
        drawn.iter().filter(|d| d.role == Role::Drawn).count(),
        inspectors,
    );
    let mut next_inspector = allocation.into_iter();
    drawn
        .iter()
        .map(|d| {
            let c = &caseload.cases[d.case];
            let reserve = d.role == Role::Reserve;
            NewSampleCase {
                case_ref: c.reference.clone(),
                stratum: plan.strata[d.stratum].key.join(" / "),
                reserve,
                position: d.order,
                record: casework_core::CaseRecord {
                    id: c.reference.clone(),
                    sentence: Some(c.sentence.sentence_type()),
                    reset_weeks: c.reset_weeks,
                    ..Default::default()
                },
                attributes: caseload
                    .attributes_of(fw, d.case)
                    .into_iter()
                    .map(|(a, v)| (a.to_string(), v.to_string()))
                    .collect(),
                inspector: if reserve {
                    None
                } else {
                    next_inspector.next().flatten().map(str::to_string)
                },
            }
        })
        .collect()
}

impl Store {
    /// Records inspection `slug`'s draw and creates its drawn cases as cases in progress of the
    /// draw's instrument (after any it holds), all in one transaction with one audit entry.
    ///
    /// Errors (nothing stored): a published inspection; a sample already drawn; a drawn case
    /// whose reference the instrument already holds; a seed over 2^63 - 1.
    pub async fn record_case_sample(
        &self,
        slug: &str,
        fw: &Framework,
        draw: &NewDraw<'_>,
        actor: &str,
    ) -> Result<(), StoreError> {
        guard::actor(actor)?;
        let seed = i64::try_from(draw.seed).map_err(|_| {
            StoreError::Invalid(format!(
                "the seed {} is larger than {}",
                draw.seed,
                i64::MAX
            ))
        })?;
        let instrument = fw.instrument(draw.instrument).ok_or_else(|| {
            StoreError::Invalid(format!(
                "{} is not an instrument of {}",
                draw.instrument, fw.id
            ))
        })?;
        let blank =
            crate::answer_codes::encode(&vec![Answer::Unanswered; instrument.questions.len()]);
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let id = self.open_unpublished(&mut tx, slug).await?;
        if self.draw_exists(&mut tx, id).await? {
            return Err(StoreError::Conflict(format!(
                "{slug}'s sample is already drawn"
            )));
        }
        sqlx::query(
            "INSERT INTO sample_draws (inspection_id, instrument, specification, seed, algorithm, \
             population, size, confidence, drawn_by, drawn_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)",
        )
        .bind(id)
        .bind(draw.instrument.to_string())
        .bind(draw.specification.to_string())
        .bind(seed)
        .bind(draw.algorithm.to_string())
        .bind(i64::try_from(draw.population).unwrap_or(i64::MAX))
        .bind(i64::try_from(draw.size).unwrap_or(i64::MAX))
        .bind(draw.confidence.clone())
        .bind(actor.to_string())
        .bind(now())
        .execute(&mut *tx)
        .await?;
        let mut drawn = Vec::new();
        for case in &draw.cases {
            insert_sample_case(&mut tx, id, case).await?;
            if !case.reserve {
                self.insert_case(&mut tx, id, draw.instrument, case, &blank)
                    .await?;
                drawn.push(case.case_ref.as_str());
            }
        }
        let after = json!({
            "seed": draw.seed, "algorithm": draw.algorithm, "population": draw.population,
            "size": draw.size, "drawn": drawn, "reserves": draw.cases.len() - drawn.len(),
        })
        .to_string();
        self.audit_sample(&mut tx, actor, "draw-case-sample", slug, &after, None)
            .await?;
        tx.commit().await?;
        Ok(())
    }

    /// A drawn case as a case in progress, after the instrument's last; refused when the
    /// instrument already holds its reference.
    pub(super) async fn insert_case(
        &self,
        tx: &mut Transaction<'_, Any>,
        id: i64,
        instrument: &str,
        case: &NewSampleCase,
        blank: &str,
    ) -> Result<(), StoreError> {
        let taken = sqlx::query(
            "SELECT 1 FROM cases WHERE inspection_id = $1 AND instrument = $2 AND case_ref = $3",
        )
        .bind(id)
        .bind(instrument.to_string())
        .bind(case.case_ref.clone())
        .fetch_optional(&mut **tx)
        .await?;
        if taken.is_some() {
            return Err(StoreError::Conflict(format!(
                "{instrument} already holds a case {}",
                case.case_ref
            )));
        }
        sqlx::query(
            "INSERT INTO cases (inspection_id, instrument, position, case_ref, sentence, \
             reset_weeks, answers, attributes, inspector) \
             SELECT $1, $2, COALESCE(MAX(position) + 1, 0), $3, $4, $5, $6, $7, $8 FROM cases \
             WHERE inspection_id = $1 AND instrument = $2",
        )
        .bind(id)
        .bind(instrument.to_string())
        .bind(case.case_ref.clone())
        .bind(case.record.sentence.map(|s| s.as_str().to_string()))
        .bind(case.record.reset_weeks.map(i64::from))
        .bind(blank.to_string())
        .bind(crate::attributes::encode(&case.attributes))
        .bind(case.inspector.clone())
        .execute(&mut **tx)
        .await?;
        Ok(())
    }
}

/// One row of `sample_cases`.
async fn insert_sample_case(
    tx: &mut Transaction<'_, Any>,
    id: i64,
    case: &NewSampleCase,
) -> Result<(), StoreError> {
    sqlx::query(
        "INSERT INTO sample_cases (inspection_id, case_ref, stratum, role, position, status, \
         sentence, reset_weeks, attributes) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
    )
    .bind(id)
    .bind(case.case_ref.clone())
    .bind(case.stratum.clone())
    .bind(if case.reserve { "reserve" } else { "drawn" })
    .bind(i64::try_from(case.position).unwrap_or(i64::MAX))
    .bind(if case.reserve { "reserve" } else { "in-sample" })
    .bind(case.record.sentence.map_or("", |s| s.as_str()).to_string())
    .bind(case.record.reset_weeks.map(i64::from))
    .bind(crate::attributes::encode(&case.attributes))
    .execute(&mut **tx)
    .await?;
    Ok(())
}
