//! Opening a store: which backend a URL names, SQLite's durability settings (WAL, full sync, foreign
//! keys), and the versioned migrations, checked at start.

use std::str::FromStr;
use std::sync::Arc;

use sqlx::Executor;
use sqlx::any::{AnyConnectOptions, AnyPoolOptions, install_default_drivers};
use sqlx::migrate::{MigrateError, Migrator};

use crate::error::StoreError;
use crate::handle::{Backend, Store};

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

/// Turns what a user types (`casework.db`, `sqlite://x.db`, `postgres://...`) into a URL.
fn normalise(url: &str) -> (Backend, String) {
    if url.starts_with("postgres://") || url.starts_with("postgresql://") {
        (Backend::Postgres, url.to_string())
    } else if url.starts_with("sqlite:") {
        let sep = if url.contains('?') { '&' } else { '?' };
        let url = if url.contains("mode=") {
            url.to_string()
        } else {
            format!("{url}{sep}mode=rwc")
        };
        (Backend::Sqlite, url)
    } else {
        (Backend::Sqlite, format!("sqlite://{url}?mode=rwc"))
    }
}

impl Store {
    /// Opens (creating a SQLite file if needed) and migrates. A database carrying a migration this
    /// build does not know is refused with [`StoreError::NewerSchema`] and left untouched.
    pub async fn open(url: &str) -> Result<Store, StoreError> {
        install_default_drivers();
        let (backend, full) = normalise(url);
        let options = AnyConnectOptions::from_str(&full)?;
        let pool = AnyPoolOptions::new()
            .max_connections(if backend == Backend::Sqlite { 4 } else { 8 })
            .after_connect(move |conn, _| {
                Box::pin(async move {
                    if backend == Backend::Sqlite {
                        conn.execute("PRAGMA foreign_keys = ON").await?;
                        conn.execute("PRAGMA journal_mode = WAL").await?;
                        conn.execute("PRAGMA synchronous = FULL").await?;
                        conn.execute("PRAGMA busy_timeout = 10000").await?;
                    }
                    Ok(())
                })
            })
            .connect_with(options)
            .await?;
        let migrator = match backend {
            Backend::Sqlite => &SQLITE_MIGRATIONS,
            Backend::Postgres => &POSTGRES_MIGRATIONS,
        };
        match migrator.run(&pool).await {
            Ok(()) => {}
            Err(MigrateError::VersionMissing(version)) => {
                pool.close().await;
                return Err(StoreError::NewerSchema {
                    url: redact(url),
                    version,
                });
            }
            Err(e) => return Err(e.into()),
        }
        let store = Store {
            pool,
            backend,
            url: redact(url),
            frameworks: Arc::default(),
            writer: Arc::default(),
            edits: Arc::default(),
            loaded: Arc::default(),
        };
        store.run_pending_upgrades().await?;
        Ok(store)
    }
}

/// Drops a password from a URL before it is shown.
fn redact(url: &str) -> String {
    match (url.find("://"), url.find('@')) {
        (Some(scheme), Some(at)) if at > scheme => {
            let userinfo = &url[scheme + 3..at];
            match userinfo.find(':') {
                Some(colon) => format!(
                    "{}{}:***{}",
                    &url[..scheme + 3],
                    &userinfo[..colon],
                    &url[at..]
                ),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_are_normalised_and_redacted() {
        assert_eq!(normalise("x.db").1, "sqlite://x.db?mode=rwc");
        assert_eq!(normalise("sqlite://x.db").1, "sqlite://x.db?mode=rwc");
        assert_eq!(normalise("postgres://h/db").0, Backend::Postgres);
        assert_eq!(redact("postgres://u:secret@h/db"), "postgres://u:***@h/db");
        assert_eq!(redact("postgres://u@h/db"), "postgres://u@h/db");
    }
}
