//! Who may use the store: users with a role and an argon2id password hash (hashed by the caller),
//! who can be disabled without losing the name their audit entries carry. Deciding what a role may
//! do is the caller's (the web crate's access rules); this module stores the facts those rules
//! read and audits every change to them. A change of a user's password or role, and disabling
//! them, ends every session they have (see `sessions`).

use serde::Serialize;
use sqlx::{Any, Row, Transaction};

use crate::audit::{NewEntry, append, now};
use crate::error::{Missing, StoreError};
use crate::guard;
use crate::handle::Store;

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
    /// A disabled user cannot sign in and has no sessions.
    pub disabled: bool,
}

pub(crate) const USER_COLUMNS: &str = "name, role, password_hash, disabled";

/// A user from a row of [`USER_COLUMNS`] starting at column `at`.
pub(crate) fn user_from(row: &sqlx::any::AnyRow, at: usize) -> Result<User, StoreError> {
    let name: String = row.try_get(at)?;
    let role: String = row.try_get(at + 1)?;
    Ok(User {
        role: Role::parse(&role)
            .ok_or_else(|| StoreError::Corrupt(format!("user {name}: role '{role}'")))?,
        name,
        password_hash: row.try_get(at + 2)?,
        disabled: row.try_get::<i64, _>(at + 3)? != 0,
    })
}

/// Ends every session of `user` inside `tx`; returns how many there were.
pub(crate) async fn end_sessions_of(
    tx: &mut Transaction<'_, Any>,
    user: &str,
) -> Result<u64, StoreError> {
    Ok(sqlx::query("DELETE FROM sessions WHERE user_name = $1")
        .bind(user.to_string())
        .execute(&mut **tx)
        .await?
        .rows_affected())
}

/// `user` must exist: otherwise [`Missing::User`].
pub(crate) async fn require_user(
    tx: &mut Transaction<'_, Any>,
    user: &str,
) -> Result<(), StoreError> {
    sqlx::query("SELECT 1 FROM users WHERE name = $1")
        .bind(user.to_string())
        .fetch_optional(&mut **tx)
        .await?
        .map(|_| ())
        .ok_or_else(|| StoreError::NotFound(Missing::User(user.to_string())))
}

impl Store {
    /// Adds a user, or updates the role and password of an existing one (which ends the sessions
    /// they have: a new password or role takes effect at once).
    pub async fn put_user(
        &self,
        name: &str,
        role: Role,
        password_hash: &str,
        actor: &str,
    ) -> Result<(), StoreError> {
        let name = name.trim();
        casework_core::text::check_name(name).map_err(|p| {
            StoreError::Invalid(format!(
                "a user name is 1 to {} printable characters on one line; this one {p}",
                casework_core::text::NAME_MAX_CHARS
            ))
        })?;
        guard::actor(actor)?;
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let before: Option<String> = sqlx::query("SELECT role FROM users WHERE name = $1")
            .bind(name.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .map(|r| r.try_get(0))
            .transpose()?;
        let mut ended = 0;
        if before.is_some() {
            sqlx::query("UPDATE users SET role = $1, password_hash = $2 WHERE name = $3")
                .bind(role.as_str().to_string())
                .bind(password_hash.to_string())
                .bind(name.to_string())
                .execute(&mut *tx)
                .await?;
            ended = end_sessions_of(&mut tx, name).await?;
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
                    serde_json::json!({
                        "role": role.as_str(),
                        "password": "changed",
                        "sessions_ended": ended,
                    })
                    .to_string(),
                ),
                reason: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn user(&self, name: &str) -> Result<Option<User>, StoreError> {
        sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users WHERE name = $1"))
            .bind(name.to_string())
            .fetch_optional(&self.pool)
            .await?
            .map(|r| user_from(&r, 0))
            .transpose()
    }

    pub async fn users(&self) -> Result<Vec<User>, StoreError> {
        sqlx::query(&format!("SELECT {USER_COLUMNS} FROM users ORDER BY name"))
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| user_from(r, 0))
            .collect()
    }

    /// Disables (or enables again) a user. Disabling ends their sessions. Returns false, and
    /// records nothing, when the user was already so.
    pub async fn set_disabled(
        &self,
        name: &str,
        disabled: bool,
        actor: &str,
    ) -> Result<bool, StoreError> {
        guard::actor(actor)?;
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        let was: i64 = sqlx::query("SELECT disabled FROM users WHERE name = $1")
            .bind(name.to_string())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or_else(|| StoreError::NotFound(Missing::User(name.to_string())))?
            .try_get(0)?;
        if (was != 0) == disabled {
            return Ok(false);
        }
        sqlx::query("UPDATE users SET disabled = $1 WHERE name = $2")
            .bind(i64::from(disabled))
            .bind(name.to_string())
            .execute(&mut *tx)
            .await?;
        let ended = if disabled {
            end_sessions_of(&mut tx, name).await?
        } else {
            0
        };
        append(
            &mut tx,
            self.backend,
            NewEntry {
                actor,
                action: if disabled {
                    "disable-user"
                } else {
                    "enable-user"
                },
                inspection: None,
                entity: &format!("user:{name}"),
                before: Some(serde_json::json!({ "disabled": was != 0 }).to_string()),
                after: Some(
                    serde_json::json!({ "disabled": disabled, "sessions_ended": ended })
                        .to_string(),
                ),
                reason: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(true)
    }

    /// Ends every session of a user (they must sign in again). Returns how many were ended;
    /// none ended records nothing.
    pub async fn revoke_sessions(&self, name: &str, actor: &str) -> Result<u64, StoreError> {
        guard::actor(actor)?;
        let _turn = self.write_turn().await;
        let mut tx = self.pool.begin().await?;
        require_user(&mut tx, name).await?;
        let ended = end_sessions_of(&mut tx, name).await?;
        if ended == 0 {
            return Ok(0);
        }
        append(
            &mut tx,
            self.backend,
            NewEntry {
                actor,
                action: "revoke-sessions",
                inspection: None,
                entity: &format!("user:{name}"),
                before: Some(serde_json::json!({ "sessions": ended }).to_string()),
                after: Some(serde_json::json!({ "sessions": 0 }).to_string()),
                reason: None,
            },
        )
        .await?;
        tx.commit().await?;
        Ok(ended)
    }
}

/// Seconds since the Unix epoch.
pub fn unix_now() -> i64 {
    time::OffsetDateTime::now_utc().unix_timestamp()
}
