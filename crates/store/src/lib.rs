//! Casework's persistence: one API over SQLite (a single file, the default) and PostgreSQL (selected
//! by a `postgres://` URL), through sqlx's `Any` driver so that both run the same code.
//!
//! Owns: connecting and migrating (a database from a newer Casework is refused, never altered),
//! importing an inspection (with its PDU inspections) in one transaction, loading it back for the
//! core engine, listing, and the tamper-evident audit log. Ratings are never stored: they are
//! computed by `casework_core::rate` from what is loaded.

mod answer_codes;
mod audit;
mod backup;
mod batch;
mod cases;
mod connect;
mod error;
mod group_commit;
mod guard;
mod inspections;
mod live;
mod membership;
mod people;
mod sessions;
mod upgrade;

pub use audit::{AuditEntry, AuditReport};
pub use cases::{AnswerEdit, CaseChange, CaseEdit, StoredCase, case_entity, describe_change};
pub use connect::{Backend, Store, postgres_url_in_schema};
pub use error::{Missing, StoreError};
pub use group_commit::Edited;
pub use inspections::{ImportSummary, StoredInspection};
pub use live::Loaded;
pub use membership::Standing;
pub use people::{Role, User, unix_now};
pub use sessions::Session;
