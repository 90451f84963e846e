//! Cases in progress and the parts of an inspection beyond its cases: one rule (core's
//! `case_status`) for what files may leave blank, ratings over complete cases only with the rest
//! counted, and evidence notes, judged rationale and narrative read, checked and written back.

use std::collections::HashMap;
use std::path::{Path, PathBuf};

use casework_core::case::CaseStatus;
use casework_core::framework::builtin;
use casework_core::input::write::inspection_files;
use casework_core::input::{ErrorKind, json};
use casework_core::rate;

use crate::support::{ALL_YES, ATTRS, KEYS, PDU_TOML, Tree, assert_located};

const BLANK_KEYS: &str = ",,,,,,,,,,,";

/// A PDU whose CSV has a `status` column: two complete cases and the rows given.
fn with_status(rows: &[&str]) -> Tree {
    let mut csv = format!("case_id,status,{},{KEYS}\n", &ATTRS["case_id,".len()..]);
    for r in [
        "C1,complete,community,N,,sufficient,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y",
        "C2,,licence,N,,sufficient,N,N,N,N,N,N,N,N,N,N,N,N",
    ]
    .iter()
    .chain(rows)
    {
        csv.push_str(r);
        csv.push('\n');
    }
    let mut tree = Tree::pdu_no_cases();
    tree.put("pdu/sentence-management.csv", &csv);
    tree
}

#[test]
fn a_case_in_progress_may_leave_answers_and_its_sentence_blank() {
    let tree = with_status(&[
        &format!("C3,in-progress,,N,,,{BLANK_KEYS}"),
        "C4,In Progress,community,N,,,Y,,Y,,,,,,,,,",
    ]);
    let inspection = tree.load("pdu").expect("in-progress rows load");
    let set = &inspection.cases[0];
    let statuses: Vec<CaseStatus> = set.cases().iter().map(|c| c.status).collect();
    assert_eq!(
        statuses,
        [
            CaseStatus::Complete,
            CaseStatus::Complete,
            CaseStatus::InProgress,
            CaseStatus::InProgress
        ]
    );
    assert_eq!(inspection.in_progress(), 2);
}

#[test]
fn a_complete_case_is_checked_whole_and_a_finished_one_counts_as_complete() {
    // Marked complete (or blank), a missing key answer or sentence is the error it always was.
    let e = with_status(&["C3,complete,community,N,,,Y,,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y"]).error("pdu");
    assert_located(
        &e,
        ErrorKind::MissingKeyAnswer,
        "sentence-management.csv",
        Some(4),
        "P2.1.2",
    );
    let e = with_status(&[&format!("C3,,,N,,,{ALL_YES}")]).error("pdu");
    assert_located(
        &e,
        ErrorKind::BadValue,
        "sentence-management.csv",
        Some(4),
        "sentence",
    );
    assert!(e.problem.contains("in-progress"), "says how: {e}");
    // In progress relaxes only blanks: an answer that is not one is still refused.
    let e = with_status(&["C3,in-progress,community,N,,,Y,maybe,,,,,,,,,,"]).error("pdu");
    assert_located(
        &e,
        ErrorKind::BadValue,
        "sentence-management.csv",
        Some(4),
        "P2.1.2",
    );
    let e = with_status(&[&format!("C3,started,community,N,,,{ALL_YES}")]).error("pdu");
    assert_located(
        &e,
        ErrorKind::BadValue,
        "sentence-management.csv",
        Some(4),
        "status",
    );
    // Said to be in progress but with every answer: complete by the one rule.
    let done = with_status(&[&format!("C3,in-progress,community,N,,,{ALL_YES}")])
        .load("pdu")
        .expect("load");
    assert_eq!(done.cases[0].cases()[2].status, CaseStatus::Complete);
}

#[test]
fn ratings_count_complete_cases_and_say_how_many_are_in_progress() {
    let complete = with_status(&[]).load("pdu").expect("load");
    let with_one = with_status(&["C3,in-progress,community,N,,,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,"])
        .load("pdu")
        .expect("load");
    let fw = builtin();
    let (a, b) = (rate(fw, &complete), rate(fw, &with_one));
    assert_eq!(b.in_progress, 1);
    assert_eq!(a.in_progress, 0);
    // The case in progress is in no figure: every result is as without it.
    assert_eq!(a.standards, b.standards);
    assert_eq!(a.sample, b.sample);
    assert_eq!(a.prompts, b.prompts);
    assert_eq!(b.sample[0].cases, 2);
}

/// Every file a directory export writes, as a tree the loader reads.
fn tree_of(files: Vec<(PathBuf, String)>) -> Tree {
    let mut tree = Tree(HashMap::new());
    for (rel, text) in files {
        tree.put(&Path::new("pdu").join(rel).display().to_string(), &text);
    }
    tree
}

#[test]
fn evidence_rationale_and_narrative_are_read_and_written_back_exactly() {
    let mut tree = with_status(&[&format!("C3,in-progress,,N,,,{BLANK_KEYS}")]);
    tree.put(
        "pdu/inspection.toml",
        &PDU_TOML.replace(
            "\"P1.1\" = \"good\"",
            "\"P1.1\" = { rating = \"good\", rationale = \"Leaders set a clear vision.\\nStaff knew it.\" }",
        ),
    );
    tree.put(
        "pdu/evidence.csv",
        "instrument,case_id,question,note\nsentence-management,C1,P2.1.1,\"Read the PSR,\nthen the OASys.\"\nsentence-management,C3,P2.1.2,=not a formula\n",
    );
    tree.put(
        "pdu/narrative/foreword.md",
        "A foreword with {{overall}}.\n",
    );
    let inspection = tree.load("pdu").expect("load");
    assert_eq!(
        inspection.judged_rationale["P1.1"],
        "Leaders set a clear vision.\nStaff knew it."
    );
    assert_eq!(inspection.judged["P1.1"], "good");
    let cases = inspection.cases[0].cases();
    assert_eq!(
        cases[0].evidence["P2.1.1"],
        "Read the PSR,\nthen the OASys."
    );
    assert_eq!(cases[2].evidence["P2.1.2"], "=not a formula");
    assert_eq!(inspection.narrative.len(), 1);
    // Written out and read again: the same inspection, and the same files.
    let fw = builtin();
    let files = inspection_files(fw, &inspection, vec![]);
    let again = tree_of(files.clone()).load("pdu").expect("reload");
    assert_eq!(again, inspection);
    assert_eq!(inspection_files(fw, &again, vec![]), files);
    // And through the JSON document.
    let doc = json::Document::of(fw, &inspection, vec![]);
    let mut tree = Tree(HashMap::new());
    tree.put("pdu.json", &serde_json::to_string(&doc).expect("serialise"));
    assert_eq!(tree.load("pdu.json").expect("JSON"), inspection);
}

#[test]
fn evidence_and_narrative_errors_are_located() {
    let bad = |evidence: &str| {
        let mut tree = with_status(&[]);
        tree.put(
            "pdu/evidence.csv",
            &format!("instrument,case_id,question,note\n{evidence}\n"),
        );
        tree.error("pdu")
    };
    let e = bad("sentence-management,C9,P2.1.1,note");
    assert_located(
        &e,
        ErrorKind::UnknownReference,
        "evidence.csv",
        Some(2),
        "case_id",
    );
    let e = bad("sentence-management,C1,P9.9,note");
    assert_located(
        &e,
        ErrorKind::UnknownReference,
        "evidence.csv",
        Some(2),
        "question",
    );
    let e = bad("court-reports,C1,P2.1.1,note");
    assert_located(
        &e,
        ErrorKind::UnknownReference,
        "evidence.csv",
        Some(2),
        "instrument",
    );
    let e = bad("sentence-management,C1,P2.1.1,a\nsentence-management,C1,P2.1.1,b");
    assert_located(
        &e,
        ErrorKind::DuplicateCase,
        "evidence.csv",
        Some(3),
        "question",
    );
    assert!(!e.to_string().contains("a\n"), "notes are never in errors");
    // The JSON document's narrative names a file this kind of inspection has.
    let mut tree = Tree(HashMap::new());
    let mut doc = json::Document::of(
        builtin(),
        &with_status(&[]).load("pdu").expect("load"),
        vec![],
    );
    doc.narrative.insert("forword.md".into(), "x".into());
    tree.put("pdu.json", &serde_json::to_string(&doc).expect("serialise"));
    let e = tree.error("pdu.json");
    assert_eq!(e.column.as_deref(), Some("narrative.forword.md"), "{e}");
    assert!(
        e.problem.contains("foreword.md"),
        "lists the names allowed: {e}"
    );
}
