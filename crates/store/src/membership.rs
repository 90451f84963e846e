//! Who works on which inspection, and what an inspection shows outsiders: membership (a region's
//! covers its PDU inspections) and a user's standing on an inspection, which
//! the web's access rules read. Every change is audited with what was there before; a change that
//! changes nothing records nothing.

use serde::Serialize;
use sqlx::Row;

use crate::audit::{NewEntry, append};
use crate::error::{Missing, StoreError};
use crate::guard;
use crate::handle::Store;
use crate::people::require_user;

/// One user's standing on one inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Standing {
    /// A published version is served to readers (the stage is published, or being corrected).
    pub published: bool,
    /// The stage is published: cases and report text are read-only until a lead reopens it.
    pub frozen: bool,
    /// Assigned to the inspection or to the region it belongs to.
    pub member: bool,
    /// The store's revision when this was read: load the inspection as of it
    /// ([`Store::load_shared_since`]) and no second query is needed to find it.
    pub revision: i64,
}

impl Store {
    /// Assigns a user to an inspection (a region's assignment covers its PDU inspections).
    /// Returns false, and records nothing, when they were already assigned.
    pub async fn assign(
        &self,
        user: &str,
        inspection: &str,
        actor: &str,
    ) -> Result<bool, StoreError> {
        self.set_member(user, inspection, true, actor).await
    }

    /// Takes a user off an inspection. Returns false, and records nothing, when they were not on it.
    pub async fn unassign(
        &self,
        user: &str,
        inspection: &str,
        actor: &str,
    ) -> Result<bool, StoreError> {
        self.set_member(user, inspection, false, actor).await
    }

    async fn set_member(
        &self,
        user: &str,
        inspection: &str,
        member: bool,
        actor: &str,
    ) -> Result<bool, StoreError> {
        guard::actor(actor)?;
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query("SELECT id FROM inspections WHERE slug = $1")
            .bind(inspection.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(Missing::Inspection(inspection.to_string())))?
            .try_get(0)?;
        require_user(&mut tx, user).await?;
        let was =
            sqlx::query("SELECT 1 FROM memberships WHERE inspection_id = $1 AND user_name = $2")
                .bind(id)
                .bind(user.to_string())
                .fetch_optional(&mut *tx)
                .await?
                .is_some();
        if was == member {
            return Ok(false);
        }
        let sql = if member {
            "INSERT INTO memberships (inspection_id, user_name) VALUES ($1, $2)"
        } else {
            "DELETE FROM memberships WHERE inspection_id = $1 AND user_name = $2"
        };
        sqlx::query(sql)
            .bind(id)
            .bind(user.to_string())
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            self.backend,
            NewEntry {
                actor,
                action: if member { "assign" } else { "unassign" },
                inspection: Some(inspection),
                entity: &format!("user:{user}"),
                before: Some(serde_json::json!({ "member": was }).to_string()),
                after: Some(serde_json::json!({ "member": member }).to_string()),
                reason: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// The users assigned to an inspection directly (not through its region).
    pub async fn members(&self, inspection: &str) -> Result<Vec<String>, StoreError> {
        sqlx::query(
            "SELECT m.user_name FROM memberships m JOIN inspections i ON i.id = m.inspection_id \
             WHERE i.slug = $1 ORDER BY m.user_name",
        )
        .bind(inspection.to_string())
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| Ok(r.try_get(0)?))
        .collect()
    }

    /// The inspections a user is assigned to directly (a region's assignment covers its PDUs), by
    /// id.
    pub async fn assignments(&self, user: &str) -> Result<Vec<String>, StoreError> {
        sqlx::query(
            "SELECT i.slug FROM memberships m JOIN inspections i ON i.id = m.inspection_id \
             WHERE m.user_name = $1 ORDER BY i.slug",
        )
        .bind(user.to_string())
        .fetch_all(&self.pool)
        .await?
        .into_iter()
        .map(|r| Ok(r.try_get(0)?))
        .collect()
    }

    /// Whether an inspection exists, is published, and has `user` as a member (directly or
    /// through its region). `None` when there is no such inspection.
    pub async fn standing(
        &self,
        inspection: &str,
        user: &str,
    ) -> Result<Option<Standing>, StoreError> {
        let row = sqlx::query(
            "SELECT i.published, \
             (SELECT COUNT(*) FROM memberships m WHERE m.user_name = $1 \
              AND (m.inspection_id = i.id OR m.inspection_id = i.parent_id)), \
             (SELECT MAX(seq) FROM audit_log), \
             CASE WHEN i.stage = 'published' THEN 1 ELSE 0 END \
             FROM inspections i WHERE i.slug = $2",
        )
        .bind(user.to_string())
        .bind(inspection.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let published: i64 = r.try_get(0)?;
            let member: i64 = r.try_get(1)?;
            let revision: Option<i64> = r.try_get(2)?;
            Ok(Standing {
                published: published != 0,
                member: member > 0,
                revision: revision.unwrap_or(0),
                frozen: r.try_get::<i64, _>(3)? != 0,
            })
        })
        .transpose()
    }
}
