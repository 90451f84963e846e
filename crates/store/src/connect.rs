//! Opening a store: which backend a URL names, SQLite's durability settings (WAL, full sync, foreign
//! keys), and the versioned migrations, checked at start.

use std::collections::HashMap;
use std::str::FromStr;
use std::sync::{Arc, Mutex};

use casework_core::Framework;

use sqlx::any::{AnyConnectOptions, AnyPoolOptions, install_default_drivers};
use sqlx::migrate::{MigrateError, Migrator};
use sqlx::{AnyPool, Executor, Row};

use crate::error::StoreError;
use crate::group_commit::Queue;
use crate::live::Live;

static SQLITE_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: Migrator = sqlx::migrate!("./migrations/postgres");

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    Sqlite,
    Postgres,
}

/// An open, migrated store.
#[derive(Debug, Clone)]
pub struct Store {
    pub(crate) pool: AnyPool,
    pub(crate) backend: Backend,
    url: String,
    /// Parsed frameworks by content hash: parsing TOML on every edit would hold write locks longer.
    frameworks: Arc<Mutex<HashMap<String, Arc<Framework>>>>,
    /// Writers of this process queue here, in order. SQLite allows one writer at a time, and its
    /// busy handler backs off in sleeps of several milliseconds; PostgreSQL writers all lock the
    /// audit log anyway. The order is also the order edits reach `live`.
    pub(crate) writer: Arc<tokio::sync::Mutex<()>>,
    /// Case edits waiting for the write turn (see `group_commit`).
    pub(crate) edits: Arc<Queue>,
    /// Loaded inspections by revision (see `live`).
    pub(crate) live: Arc<Live>,
}

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
            live: Arc::default(),
        };
        store.run_pending_upgrades().await?;
        Ok(store)
    }

    /// Held for the length of a write transaction.
    pub(crate) async fn write_turn(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.writer.lock().await
    }

    /// A framework already parsed by this store, by content hash.
    pub(crate) fn cached_framework(&self, hash: &str) -> Option<Arc<Framework>> {
        self.frameworks.lock().ok()?.get(hash).cloned()
    }

    /// A stored framework, parsed once per store and checked against its hash.
    pub(crate) fn framework(
        &self,
        body: &str,
        hash: &str,
        name: &str,
    ) -> Result<Arc<Framework>, StoreError> {
        let mut cache = self
            .frameworks
            .lock()
            .map_err(|_| StoreError::Corrupt("framework cache poisoned".into()))?;
        if let Some(fw) = cache.get(hash) {
            return Ok(fw.clone());
        }
        let fw =
            Framework::from_toml(body, name).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        if fw.content_hash() != hash {
            return Err(StoreError::Corrupt(format!(
                "{name} no longer matches its hash {hash}"
            )));
        }
        let fw = Arc::new(fw);
        cache.insert(hash.to_string(), fw.clone());
        Ok(fw)
    }

    /// The stored framework with content hash `hash`, read through `db` the first time.
    pub(crate) async fn framework_by_hash<'c, E>(
        &self,
        db: E,
        hash: &str,
    ) -> Result<Arc<Framework>, StoreError>
    where
        E: Executor<'c, Database = sqlx::Any>,
    {
        if let Some(fw) = self.cached_framework(hash) {
            return Ok(fw);
        }
        let row = sqlx::query("SELECT id, version, body FROM frameworks WHERE content_hash = $1")
            .bind(hash.to_string())
            .fetch_optional(db)
            .await?
            .ok_or_else(|| StoreError::Corrupt(format!("no stored framework with hash {hash}")))?;
        let (id, version, body): (String, String, String) =
            (row.try_get(0)?, row.try_get(1)?, row.try_get(2)?);
        self.framework(&body, hash, &format!("stored framework {id}@{version}"))
    }

    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The URL, without any password, for messages.
    pub fn url(&self) -> &str {
        &self.url
    }

    pub async fn close(self) {
        self.pool.close().await;
    }
}

/// The placeholders of a multi-row `VALUES` list, `rows` rows of `columns` values, numbered from 1.
/// PostgreSQL needs numbered ones (`$1`; sqlx's `QueryBuilder` for `Any` writes `?`, which it
/// rejects); SQLite gets plain `?`, because sqlx-sqlite resolves each `$n` by name, which is
/// quadratic in a statement's parameters (59% of a 100,000-case import's time, measured with perf).
pub(crate) fn placeholders(backend: Backend, rows: usize, columns: usize) -> String {
    let mut out = String::with_capacity(rows * columns * 5);
    for r in 0..rows {
        out.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..columns {
            if c > 0 {
                out.push_str(", ");
            }
            match backend {
                Backend::Sqlite => out.push('?'),
                Backend::Postgres => {
                    use std::fmt::Write;
                    let _ = write!(out, "${}", r * columns + c + 1);
                }
            }
        }
        out.push(')');
    }
    out
}

/// A PostgreSQL URL whose connections use `schema` (for scratch databases: tests, benchmarks).
pub fn postgres_url_in_schema(base: &str, schema: &str) -> String {
    let sep = if base.contains('?') { '&' } else { '?' };
    format!("{base}{sep}options=-c%20search_path%3D{schema}")
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
        assert_eq!(placeholders(Backend::Sqlite, 2, 2), "(?, ?), (?, ?)");
        assert_eq!(placeholders(Backend::Postgres, 2, 2), "($1, $2), ($3, $4)");
    }
}
