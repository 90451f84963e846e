//! The factual-accuracy check's comments (issue 15): what the inspected organisation said about
//! the draft, recorded against a part of the report (a narrative section, the ratings, the
//! annexes, the report as a whole: `casework_core::narrative::comment_sections`), and each
//! resolved by a lead with what was done. Comments are recorded and resolved only while the
//! inspection is at the factual-accuracy stage; every one is audited. Publishing waits until all
//! are resolved (`publication`).

use serde::Serialize;
use serde_json::json;
use sqlx::Row;

use crate::audit::{NewEntry, append, now};
use crate::error::{Missing, StoreError};
use crate::guard;
use crate::handle::Store;
use crate::stage::Stage;

/// The longest comment or resolution kept, in characters (a factual-accuracy return's cell).
pub const COMMENT_MAX_CHARS: usize = 4_000;

/// One factual-accuracy comment and, once resolved, its resolution.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FactualAccuracyComment {
    pub id: i64,
    /// The part of the report it is about: a key of `comment_sections`.
    pub section: String,
    pub comment: String,
    pub recorded_by: String,
    pub recorded_at: String,
    pub resolution: Option<String>,
    pub resolved_by: Option<String>,
    pub resolved_at: Option<String>,
}

fn check_text(field: &str, text: &str) -> Result<(), StoreError> {
    if text.trim().is_empty() {
        return Err(StoreError::Invalid(format!("the {field} is empty")));
    }
    casework_core::text::check_multiline(text, COMMENT_MAX_CHARS)
        .map_err(|p| StoreError::Invalid(format!("the {field} {p}")))
}

impl Store {
    /// The inspection's factual-accuracy comments, in the order they were recorded.
    pub async fn factual_accuracy_comments(
        &self,
        slug: &str,
    ) -> Result<Vec<FactualAccuracyComment>, StoreError> {
        let (id, _) = self.stage_of(&self.pool, slug).await?;
        sqlx::query(
            "SELECT id, section, comment, recorded_by, recorded_at, resolution, resolved_by, \
             resolved_at FROM factual_accuracy_comments WHERE inspection_id = $1 ORDER BY id",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(|r| {
            Ok(FactualAccuracyComment {
                id: r.try_get(0)?,
                section: r.try_get(1)?,
                comment: r.try_get(2)?,
                recorded_by: r.try_get(3)?,
                recorded_at: r.try_get(4)?,
                resolution: r.try_get(5)?,
                resolved_by: r.try_get(6)?,
                resolved_at: r.try_get(7)?,
            })
        })
        .collect()
    }

    /// Records the inspected organisation's `comment` on `section` of the draft; returns its id.
    /// Only at the factual-accuracy stage.
    pub async fn add_factual_accuracy_comment(
        &self,
        slug: &str,
        section: &str,
        comment: &str,
        actor: &str,
    ) -> Result<i64, StoreError> {
        guard::actor(actor)?;
        check_text("comment", comment)?;
        let target = self.target(slug).await?;
        let kind = &target.kind;
        let sections = casework_core::narrative::comment_sections(&target.fw, kind);
        if !sections.iter().any(|s| s == section) {
            return Err(StoreError::Invalid(format!(
                "'{section}' is not a part of a {kind} inspection's report; allowed: {}",
                sections.join(", ")
            )));
        }
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let (id, stage) = self.stage_of(&mut *tx, slug).await?;
        at_check(slug, stage)?;
        let at = now();
        let comment_id: i64 = sqlx::query(
            "INSERT INTO factual_accuracy_comments (inspection_id, section, comment, recorded_by, \
             recorded_at) VALUES ($1, $2, $3, $4, $5) RETURNING id",
        )
        .bind(id)
        .bind(section.to_string())
        .bind(comment.to_string())
        .bind(actor.to_string())
        .bind(at)
        .fetch_one(&mut *tx)
        .await?
        .try_get(0)?;
        append(
            &mut tx,
            self.backend,
            NewEntry {
                actor,
                action: "add-factual-accuracy-comment",
                inspection: Some(slug),
                entity: &format!("factual-accuracy:{slug}:{comment_id}"),
                before: None,
                after: Some(json!({ "section": section, "comment": comment }).to_string()),
                reason: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(comment_id)
    }

    /// Resolves comment `comment_id` with what was done about it (a resolution given again
    /// replaces the earlier one, audited with both). Only at the factual-accuracy stage.
    pub async fn resolve_factual_accuracy_comment(
        &self,
        slug: &str,
        comment_id: i64,
        resolution: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        guard::actor(actor)?;
        check_text("resolution", resolution)?;
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let (id, stage) = self.stage_of(&mut *tx, slug).await?;
        at_check(slug, stage)?;
        let before: Option<String> = sqlx::query(
            "SELECT resolution FROM factual_accuracy_comments WHERE id = $1 AND inspection_id = $2",
        )
        .bind(comment_id)
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or_else(|| StoreError::NotFound(Missing::Comment(comment_id)))?
        .try_get(0)?;
        sqlx::query(
            "UPDATE factual_accuracy_comments SET resolution = $1, resolved_by = $2, \
             resolved_at = $3 WHERE id = $4",
        )
        .bind(resolution.to_string())
        .bind(actor.to_string())
        .bind(now())
        .bind(comment_id)
        .execute(&mut *tx)
        .await?;
        append(
            &mut tx,
            self.backend,
            NewEntry {
                actor,
                action: "resolve-factual-accuracy-comment",
                inspection: Some(slug),
                entity: &format!("factual-accuracy:{slug}:{comment_id}"),
                before: Some(json!({ "resolution": before }).to_string()),
                after: Some(json!({ "resolution": resolution }).to_string()),
                reason: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Comments are recorded and resolved only while the draft is with the inspected organisation.
fn at_check(slug: &str, stage: Stage) -> Result<(), StoreError> {
    if stage != Stage::FactualAccuracy {
        return Err(StoreError::Conflict(format!(
            "'{slug}' is at the stage {}: factual-accuracy comments are recorded and resolved only during the factual-accuracy check",
            stage.label()
        )));
    }
    Ok(())
}
