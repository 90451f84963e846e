//! Who works on which inspection, and what an inspection shows outsiders: membership (a region's
//! covers its PDU inspections), the published flag, and a user's standing on an inspection, which
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
    pub published: bool,
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

    /// Marks an inspection (and its PDU inspections) published or not. Returns false, and records
    /// nothing, when the inspection and every PDU inspection of it were already so.
    pub async fn set_published(
        &self,
        inspection: &str,
        published: bool,
        actor: &str,
    ) -> Result<bool, StoreError> {
        guard::actor(actor)?;
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let flags: Vec<i64> = sqlx::query(
            "SELECT published FROM inspections WHERE slug = $1 \
             OR parent_id = (SELECT id FROM inspections WHERE slug = $2)",
        )
        .bind(inspection.to_string())
        .bind(inspection.to_string())
        .fetch_all(&mut *tx)
        .await?
        .iter()
        .map(|r| r.try_get(0))
        .collect::<Result<_, _>>()?;
        if flags.is_empty() {
            return Err(StoreError::NotFound(Missing::Inspection(
                inspection.to_string(),
            )));
        }
        let flag = i64::from(published);
        let changing = flags.iter().filter(|&&f| f != flag).count();
        if changing == 0 {
            return Ok(false);
        }
        sqlx::query(
            "UPDATE inspections SET published = $1 WHERE slug = $2 \
             OR parent_id = (SELECT id FROM inspections WHERE slug = $3)",
        )
        .bind(flag)
        .bind(inspection.to_string())
        .bind(inspection.to_string())
        .execute(&mut *tx)
        .await?;
        let was = |f: i64| f != 0;
        let before = if flags.iter().all(|&f| f == flags[0]) {
            serde_json::json!({ "published": was(flags[0]) })
        } else {
            serde_json::json!({ "published": "partly", "inspections_changed": changing })
        };
        append(
            &mut tx,
            self.backend,
            NewEntry {
                actor,
                action: "set-published",
                inspection: Some(inspection),
                entity: &format!("inspection:{inspection}"),
                before: Some(before.to_string()),
                after: Some(serde_json::json!({ "published": published }).to_string()),
                reason: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
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
             (SELECT MAX(seq) FROM audit_log) \
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
            })
        })
        .transpose()
    }
}
