//! The store's errors.

/// Why a store operation failed.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("database error: {0}")]
    Database(#[from] sqlx::Error),
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error(
        "the database at {url} was written by a newer Casework (schema version {version} is unknown here); it was left unchanged: upgrade Casework to open it"
    )]
    NewerSchema { url: String, version: i64 },
    #[error("no stored inspection '{0}' (see `casework list`)")]
    NotFound(String),
    #[error("{0}")]
    Conflict(String),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
}
