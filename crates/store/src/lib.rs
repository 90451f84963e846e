//! Casework's persistence: one API over SQLite (a single file, the default) and PostgreSQL (selected
//! by a `postgres://` URL), through sqlx's `Any` driver so that both run the same code.
//!
//! Owns: connecting and migrating (a database from a newer Casework is refused, never altered),
//! importing an inspection (with its PDU inspections) in one transaction, loading it back for the
//! core engine, listing, and the tamper-evident audit log. Ratings are never stored: they are
//! computed by `casework_core::rate` from what is loaded.

mod answer_codes;
mod attributes;
mod audit;
mod backup;
mod batch;
mod cases;
mod connect;
mod domain_one;
mod edits;
mod error;
mod factual_accuracy;
mod group_commit;
mod guard;
mod handle;
mod import;
mod inspections;
mod loaded;
mod membership;
mod people;
mod publication;
mod published;
mod qa;
mod queue;
mod reconcile;
mod report_text;
mod review;
mod sampling;
mod sessions;
mod sql;
mod stage;
mod upgrade;

pub use audit::{AuditEntry, AuditReport};
pub use cases::StoredCase;
pub use domain_one::{EvidenceFile, EvidenceRecord};
pub use edits::{
    AnswerEdit, CaseChange, CaseEdit, case_entity, changed_attributes, describe_change,
};
pub use error::{Missing, StoreError};
pub use factual_accuracy::{COMMENT_MAX_CHARS, FactualAccuracyComment};
pub use handle::{Backend, Store};
pub use import::ImportSummary;
pub use inspections::StoredInspection;
pub use loaded::Loaded;
pub use membership::Standing;
pub use people::{Role, User, unix_now};
pub use publication::{Publication, PublicationState, PublishedFiles, sha256_hex};
pub use published::{PublishedImport, StoredResult};
pub use qa::{DoubleMarked, Drawn, QaSample, SampledCase};
pub use queue::Edited;
pub use reconcile::{Disagreement, Reconciliation};
pub use report_text::{JudgedRating, NarrativeFile};
pub use review::{CaseReview, QA_TEXT_MAX_CHARS, ReturnComment};
pub use sampling::{
    CaseSample, NewDraw, NewSampleCase, PUBLISHED_REASON, Replacement, SampleCase, StoredExtract,
    new_sample_cases,
};
pub use sessions::Session;
pub use stage::{NeedsReason, Stage, stage_move};
