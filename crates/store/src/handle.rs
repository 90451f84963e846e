//! The `Store` handle: what an open store holds (the connection pool, its backend, the parsed
//! frameworks, the write turn, the queue of waiting edits, the loaded inspections) and the small
//! methods every part of the store uses. Opening one is `connect`'s job.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use casework_core::Framework;
use sqlx::{AnyPool, Executor, Row};

use crate::error::StoreError;
use crate::loaded::LoadedCache;
use crate::queue::Queue;

/// Which database a store is on.
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
    pub(crate) url: String,
    /// Parsed frameworks by content hash: parsing TOML on every edit would hold write locks longer.
    pub(crate) frameworks: Arc<Mutex<HashMap<String, Arc<Framework>>>>,
    /// Writers of this process queue here, in order. SQLite allows one writer at a time, and its
    /// busy handler backs off in sleeps of several milliseconds; PostgreSQL writers all lock the
    /// audit log anyway. The order is also the order edits reach `loaded`.
    pub(crate) writer: Arc<tokio::sync::Mutex<()>>,
    /// Case edits waiting for the write turn (see `group_commit`).
    pub(crate) edits: Arc<Queue>,
    /// Loaded inspections by revision (see `loaded`).
    pub(crate) loaded: Arc<LoadedCache>,
}

impl Store {
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
            Framework::from_toml(body, name).map_err(|source| StoreError::CorruptFramework {
                name: name.to_string(),
                source,
            })?;
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
