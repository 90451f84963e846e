//! The store's errors.

use std::fmt;

/// What was not found, in words a user can act on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Missing {
    Inspection(String),
    Case {
        inspection: String,
        instrument: String,
        case_ref: String,
    },
    User(String),
    /// A factual-accuracy comment, by id.
    Comment(i64),
    /// A published result, by id.
    PublishedResult(i64),
}

impl fmt::Display for Missing {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Missing::Inspection(slug) => {
                write!(f, "no stored inspection '{slug}' (see `casework list`)")
            }
            Missing::Case {
                inspection,
                instrument,
                case_ref,
            } => write!(
                f,
                "inspection '{inspection}' has no {instrument} case '{case_ref}'"
            ),
            Missing::User(name) => write!(f, "no user '{name}' (see `casework user list`)"),
            Missing::Comment(id) => {
                write!(f, "no factual-accuracy comment {id} on this inspection")
            }
            Missing::PublishedResult(id) => {
                write!(
                    f,
                    "no published result {id} (see `casework published list`)"
                )
            }
        }
    }
}

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
    #[error("{0}")]
    NotFound(Missing),
    #[error("{0}")]
    Conflict(String),
    #[error(
        "{case} was changed by someone else: your edit was based on version {expected}, it is now at version {current}; nothing was saved. Changes since: {}",
        if changes.is_empty() { "(not recorded)".to_string() } else { changes.join("; ") }
    )]
    StaleVersion {
        case: String,
        expected: i64,
        current: i64,
        changes: Vec<String>,
    },
    #[error("not allowed: {0}")]
    Invalid(String),
    #[error("stored data is inconsistent: {0}")]
    Corrupt(String),
    /// The database failed while the edit was being written: nothing of it was saved. The cause
    /// is shared by every edit its batch held.
    #[error("nothing was saved ({why}); try again")]
    NotSaved {
        why: String,
        #[source]
        cause: Option<std::sync::Arc<StoreError>>,
    },
    #[error("stored framework {name} cannot be read")]
    CorruptFramework {
        name: String,
        #[source]
        source: casework_core::FrameworkError,
    },
}

impl StoreError {
    /// A change refused for what it asked (it changed nothing), rather than a failure to write.
    pub fn is_refusal(&self) -> bool {
        matches!(
            self,
            StoreError::NotFound(_)
                | StoreError::Conflict(_)
                | StoreError::StaleVersion { .. }
                | StoreError::Invalid(_)
        )
    }
}
