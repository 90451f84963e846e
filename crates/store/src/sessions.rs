//! Server-side sign-in sessions: found by the SHA-256 of the cookie's token (the token itself is
//! never stored), each with the CSRF token its forms must carry, ended on sign-out, on expiry, and
//! whenever the user's password or role changes or they are disabled (see `people`).

use sqlx::Row;

use crate::error::StoreError;
use crate::handle::Store;
use crate::membership::Standing;
use crate::people::{USER_COLUMNS, User, unix_now, user_from};

/// A live session: whose it is and the token its forms must carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub user: User,
    pub csrf_token: String,
}

/// The user columns, as `u.name, u.role, ...`.
fn user_columns() -> String {
    USER_COLUMNS
        .split(", ")
        .map(|c| format!("u.{c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl Store {
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

    /// The live session with this token hash, if any (never a disabled user's).
    pub async fn session(&self, token_hash: &str) -> Result<Option<Session>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT s.csrf_token, {} FROM sessions s \
             JOIN users u ON u.name = s.user_name \
             WHERE s.token_hash = $1 AND s.expires_at >= $2 AND u.disabled = 0",
            user_columns()
        ))
        .bind(token_hash.to_string())
        .bind(unix_now())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            Ok(Session {
                csrf_token: r.try_get(0)?,
                user: user_from(&r, 1)?,
            })
        })
        .transpose()
    }

    /// [`Store::session`] and, in the same query, the session user's [`Standing`] on
    /// `inspection` (`None` when there is no such inspection): one round trip for what every page
    /// and API call about an inspection asks first.
    pub async fn session_at(
        &self,
        token_hash: &str,
        inspection: &str,
    ) -> Result<Option<(Session, Option<Standing>)>, StoreError> {
        let row = sqlx::query(&format!(
            "SELECT s.csrf_token, {}, i.id, i.published, \
             (SELECT COUNT(*) FROM memberships m WHERE m.user_name = u.name \
              AND (m.inspection_id = i.id OR m.inspection_id = i.parent_id)), \
             (SELECT MAX(seq) FROM audit_log), \
             CASE WHEN i.stage = 'published' THEN 1 ELSE 0 END \
             FROM sessions s JOIN users u ON u.name = s.user_name \
             LEFT JOIN inspections i ON i.slug = $3 \
             WHERE s.token_hash = $1 AND s.expires_at >= $2 AND u.disabled = 0",
            user_columns()
        ))
        .bind(token_hash.to_string())
        .bind(unix_now())
        .bind(inspection.to_string())
        .fetch_optional(&self.pool)
        .await?;
        row.map(|r| {
            let session = Session {
                csrf_token: r.try_get(0)?,
                user: user_from(&r, 1)?,
            };
            let found: Option<i64> = r.try_get(5)?;
            let standing = match found {
                None => None,
                Some(_) => Some(Standing {
                    published: r.try_get::<i64, _>(6)? != 0,
                    member: r.try_get::<i64, _>(7)? > 0,
                    revision: r.try_get::<Option<i64>, _>(8)?.unwrap_or(0),
                    frozen: r.try_get::<i64, _>(9)? != 0,
                }),
            };
            Ok((session, standing))
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

    /// How many live sessions a user has.
    pub async fn session_count(&self, user: &str) -> Result<i64, StoreError> {
        Ok(
            sqlx::query("SELECT COUNT(*) FROM sessions WHERE user_name = $1 AND expires_at >= $2")
                .bind(user.to_string())
                .bind(unix_now())
                .fetch_one(&self.pool)
                .await?
                .try_get(0)?,
        )
    }
}
