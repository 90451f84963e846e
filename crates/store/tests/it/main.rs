//! The store's behaviour, one suite run on both backends: SQLite always, PostgreSQL when
//! `DATABASE_URL` names one (each scenario on a fresh database, `casework_testkit::TestDb`), in one
//! test binary with a module per subject.

mod attributes;
mod audit;
mod edits;
mod import_export;
mod loaded;
mod people;
mod whole;

use std::io;
use std::path::{Path, PathBuf};

use casework_core::Answer;
use casework_core::{Inspection, framework::Framework};
use casework_store::{AnswerEdit, Store};

const SEEDS: [&str; 5] = [
    "derby-city",
    "leicester-leicestershire-rutland",
    "nottinghamshire",
    "east-midlands",
    "east-of-england",
];

fn fixtures() -> PathBuf {
    casework_testkit::paths::fixtures()
}

fn from_disk(name: &str) -> (Inspection, &'static Framework) {
    let source = |p: &Path| match std::fs::read_to_string(p) {
        Ok(t) => Ok(Some(t)),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    };
    casework_core::input::load(&fixtures().join(name), &source, None).expect("fixture loads")
}

/// The audit chain verifies from end to end.
async fn assert_chain_valid(store: &Store) {
    let report = store.audit_verify().await.expect("verify");
    assert!(
        report.first_broken.is_none(),
        "audit chain broken at {:?}",
        report.first_broken
    );
}

fn edit<'a>(
    question: &'a str,
    answer: Answer,
    expected_version: i64,
    actor: &'a str,
) -> AnswerEdit<'a> {
    AnswerEdit {
        inspection: "dc",
        instrument: "sentence-management",
        case_ref: "DC-SM-0001",
        question,
        answer,
        expected_version,
        actor,
        reason: Some("test"),
    }
}
