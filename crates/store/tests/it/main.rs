//! The store's behaviour, one suite run on both backends: SQLite always, PostgreSQL when
//! `DATABASE_URL` names one (each scenario on a fresh database, `casework_testkit::TestDb`), in one
//! test binary with a module per subject.

mod attributes;
mod audit;
mod domain_one;
mod edits;
mod import_export;
mod loaded;
mod people;
mod publication;
mod published;
mod quality_assurance;
mod sampling;
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

/// Publishes `slug` as the Inspectorate does (through the factual-accuracy check), with files
/// standing in for the report's (the store keeps whatever it is given); returns the version.
async fn publish(store: &Store, slug: &str, actor: &str) -> i64 {
    store
        .set_stage(slug, casework_store::Stage::FactualAccuracy, None, actor)
        .await
        .expect("start the factual-accuracy check");
    let revision = store.revision().await.expect("revision");
    store
        .publish(slug, &stand_in_files(slug), revision, None, actor)
        .await
        .expect("publish")
}

/// Withdraws a published inspection, back to draft.
async fn withdraw(store: &Store, slug: &str, actor: &str) {
    store
        .set_stage(slug, casework_store::Stage::Draft, Some("withdrawn"), actor)
        .await
        .expect("withdraw");
}

fn stand_in_files(slug: &str) -> casework_store::PublishedFiles {
    casework_store::PublishedFiles {
        html: format!("<h1>{slug}</h1>"),
        pdf: b"%PDF-1.7 \x00\xff binary".to_vec(),
        workbook: vec![0x50, 0x4b, 0x03, 0x04, 0, 255, 7],
        ratings: format!("{{\"unit\": \"{slug}\"}}"),
    }
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
