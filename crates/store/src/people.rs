//! Who may use the store and see what: users with a role and an argon2id password hash (hashed by
//! the caller), membership of inspections, the published flag, and server-side sign-in sessions.
//! Deciding what a role may do is the caller's (the web crate's access rules); this module stores
//! the facts those rules read, and audits every change to them.

use serde::Serialize;
use sqlx::Row;

use crate::audit::{NewEntry, append, now};
use crate::connect::Store;
use crate::error::StoreError;

/// What a user is, for access decisions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Everything, including users and publishing.
    Admin,
    /// Leads the inspections they are assigned to: edits their cases and publishes them.
    Lead,
    /// Records cases of the inspections they are assigned to.
    Inspector,
    /// Reads (does not edit) the inspections they are assigned to, cases included.
    Qa,
    /// Reads published inspections' ratings and reports, never case data.
    Viewer,
}

impl Role {
    pub const ALL: [Role; 5] = [
        Role::Admin,
        Role::Lead,
        Role::Inspector,
        Role::Qa,
        Role::Viewer,
    ];
    pub const ALLOWED: &'static str = "admin, lead, inspector, qa, viewer";

    pub fn parse(text: &str) -> Option<Role> {
        match text.trim().to_ascii_lowercase().as_str() {
            "admin" => Some(Role::Admin),
            "lead" | "lead-inspector" => Some(Role::Lead),
            "inspector" => Some(Role::Inspector),
            "qa" | "qa-reviewer" => Some(Role::Qa),
            "viewer" | "read-only" => Some(Role::Viewer),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Lead => "lead",
            Role::Inspector => "inspector",
            Role::Qa => "qa",
            Role::Viewer => "viewer",
        }
    }

    /// For people: "lead inspector", "QA reviewer".
    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Lead => "lead inspector",
            Role::Inspector => "inspector",
            Role::Qa => "QA reviewer",
            Role::Viewer => "read-only viewer",
        }
    }
}

/// A user who can sign in (or a name that appears only as an audit actor, with no password).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct User {
    pub name: String,
    pub role: Role,
    #[serde(skip)]
    pub password_hash: Option<String>,
}

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

/// A live session: whose it is and the token its forms must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
}

fn user_from(name: String, role: String, hash: Option<String>) -> Result<User, StoreError> {
    Ok(User {
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("user {name}: role '{role}'")))?,
        name,
        password_hash: hash,
    })
}

impl Store {
    /// Adds a user, or updates the role and password of an existing one.
    pub async fn put_user(
        &self,
        name: &str,
        role: Role,
        password_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let name = name.trim();
        if name.is_empty() || name.len() > 100 || name.chars().any(char::is_control) {
            return Err(StoreError::Invalid(
                "a user name is 1 to 100 printable characters".into(),
            ));
        }
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let before: Option<String> = sqlx::query("SELECT role FROM users WHERE name = $1")
            .bind(name.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
        if before.is_some() {
            sqlx::query("UPDATE users SET role = $1, password_hash = $2 WHERE name = $3")
                .bind(role.as_str().to_string())
                .bind(password_hash.to_string())
                .bind(name.to_string())
                .execute(&mut *tx)
                .await?;
        } else {
            sqlx::query(
                "INSERT INTO users (name, created_at, role, password_hash) VALUES ($1, $2, $3, $4)",
            )
            .bind(name.to_string())
            .bind(now())
            .bind(role.as_str().to_string())
            .bind(password_hash.to_string())
            .execute(&mut *tx)
            .await?;
        }
        // The password hash is not audited: it is a secret, and a change of it is recorded as such.
        append(
            &mut tx,
            self.backend,
            NewEntry {
                actor,
                action: "put-user",
                inspection: None,
                entity: &format!("user:{name}"),
                before: before.map(|r| serde_json::json!({ "role": r }).to_string()),
                after: Some(
                    serde_json::json!({ "role": role.as_str(), "password": "set" }).to_string(),
                ),
                reason: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn user(&self, name: &str) -> Result<Option<User>, StoreError> {
        sqlx::query("SELECT name, role, password_hash FROM users WHERE name = $1")
            .bind(name.to_string())
            .fetch_optional(&self.pool)
            .await?
            .map(|r| user_from(r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))
            .transpose()
    }

    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        sqlx::query("SELECT name, role, password_hash FROM users ORDER BY name")
            .fetch_all(&self.pool)
            .await?
            .into_iter()
            .map(|r| user_from(r.try_get(0)?, r.try_get(1)?, r.try_get(2)?))
            .collect()
    }

    /// Assigns a user to an inspection (a region's assignment covers its PDU inspections).
    pub async fn assign(
        &self,
        user: &str,
        inspection: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let id: i64 = sqlx::query("SELECT id FROM inspections WHERE slug = $1")
            .bind(inspection.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(inspection.to_string()))?
            .try_get(0)?;
        if sqlx::query("SELECT 1 FROM users WHERE name = $1")
            .bind(user.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .is_none()
        {
            return Err(StoreError::Invalid(format!(
                "no user '{user}' (add one with `casework user add`)"
            )));
        }
        sqlx::query("DELETE FROM memberships WHERE inspection_id = $1 AND user_name = $2")
            .bind(id)
            .bind(user.to_string())
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO memberships (inspection_id, user_name) VALUES ($1, $2)")
            .bind(id)
            .bind(user.to_string())
            .execute(&mut *tx)
            .await?;
        append(
            &mut tx,
            self.backend,
            NewEntry {
                actor,
                action: "assign",
                inspection: Some(inspection),
                entity: &format!("user:{user}"),
                before: None,
                after: Some(serde_json::json!({ "member": user }).to_string()),
                reason: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
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

    /// Marks an inspection (and its PDU inspections) published or not.
    pub async fn set_published(
        &self,
        inspection: &str,
        published: bool,
        actor: &str,
    ) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let flag = i64::from(published);
        let changed = sqlx::query(
            "UPDATE inspections SET published = $1 WHERE slug = $2 \
             OR parent_id = (SELECT id FROM inspections WHERE slug = $3)",
        )
        .bind(flag)
        .bind(inspection.to_string())
        .bind(inspection.to_string())
        .execute(&mut *tx)
        .await?;
        if changed.rows_affected() == 0 {
            return Err(StoreError::NotFound(inspection.to_string()));
        }
        append(
            &mut tx,
            self.backend,
            NewEntry {
                actor,
                action: "set-published",
                inspection: Some(inspection),
                entity: &format!("inspection:{inspection}"),
                before: Some(serde_json::json!({ "published": !published }).to_string()),
                after: Some(serde_json::json!({ "published": published }).to_string()),
                reason: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
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

    /// Starts a session. `token_hash` is the SHA-256 of the cookie's token, which is not stored.
    pub async fn create_session(
        &self,
        token_hash: &str,
        user: &str,
        csrf_token: &str,
        expires_at: i64,
    ) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        sqlx::query("DELETE FROM sessions WHERE expires_at < $1")
            .bind(unix_now())
            .execute(&self.pool)
            .await?;
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_name, csrf_token, expires_at) VALUES ($1, $2, $3, $4)",
        )
        .bind(token_hash.to_string())
        .bind(user.to_string())
        .bind(csrf_token.to_string())
        .bind(expires_at)
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The live session with this token hash, if any.
    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>, StoreError> {
        let row = sqlx::query(
            "SELECT u.name, u.role, u.password_hash, s.csrf_token FROM sessions s \
             JOIN users u ON u.name = s.user_name WHERE s.token_hash = $1 AND s.expires_at >= $2",
        )
        .bind(token_hash.to_string())
        .bind(unix_now())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Session {
                user: user_from(r.try_get(0)?, r.try_get(1)?, r.try_get(2)?)?,
                csrf_token: r.try_get(3)?,
            })
        })
        .transpose()
    }

    pub async fn end_session(&self, token_hash: &str) -> Result<(), StoreError> {
        let _turn = self.write_turn().await;
        sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
            .bind(token_hash.to_string())
            .execute(&self.pool)
            .await?;
        Ok(())
    }
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}
