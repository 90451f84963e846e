//! Domain one's evidence carried by an inspection's files (issue 17): a directory's
//! `domain-one.json` is imported with the inspection, exported again as a directory (byte for
//! byte), a JSON document and a workbook (its `domain-one` sheet), and each imports back to the
//! same evidence; the report of the directory names its figures in the narrative, and the
//! internal report (`--internal`) holds the evidence annexe, which the report never does; a
//! `domain-one.json` whose counts do not add up is refused with the file and the value's path.

use casework_core::domain_one::{self as evidence, Evidence, Rows, SurveyMapping};
use casework_core::framework::builtin;

use crate::ok;

/// Derby City's manifest and cases copied to `root/derby`, with an empty `sub` directory: an
/// inspection directory to add evidence and narrative to.
pub(crate) fn derby_city_in(root: &std::path::Path, sub: &str) -> std::path::PathBuf {
    let dir = root.join("derby");
    std::fs::create_dir_all(dir.join(sub)).expect("directory");
    for name in ["inspection.toml", "sentence-management.csv"] {
        std::fs::copy(
            casework_testkit::paths::fixture("derby-city").join(name),
            dir.join(name),
        )
        .expect("copy");
    }
    dir
}

fn evidence_file(name: &str) -> String {
    let dir = casework_testkit::paths::fixtures().join("evidence");
    std::fs::read_to_string(dir.join(name)).expect("fixture")
}

/// The committed evidence files, read as `casework evidence` reads them.
fn committed_evidence() -> Evidence {
    let rows = |name: &str| Rows::from_csv(&evidence_file(name), name).expect("csv");
    let mapping =
        SurveyMapping::from_toml(&evidence_file("staff-survey.toml"), "m").expect("mapping");
    Evidence {
        surveys: vec![evidence::survey::read(&mapping, rows("staff-survey.csv")).expect("survey")],
        interviews: evidence::interview::read(rows("interviews.csv")).expect("interviews"),
        measures: evidence::measure::read(rows("measures.csv")).expect("measures"),
        documents: evidence::document::read(rows("documents.csv")).expect("documents"),
        key_question_ratings: evidence::ratings::read(builtin(), Some("pdu"), rows("ratings.csv"))
            .expect("ratings"),
    }
}

#[test]
fn domain_one_evidence_goes_out_and_comes_back_in_every_form() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = derby_city_in(tmp.path(), "narrative");
    let kept = evidence::kept::to_json(&committed_evidence());
    std::fs::write(dir.join("domain-one.json"), &kept).expect("write");
    std::fs::write(
        dir.join("narrative/P1.2.md"),
        "{{survey.staff.workload-manageable.agree}} staff found their workload manageable.\n",
    )
    .expect("narrative");
    let path = |p: &std::path::Path| p.display().to_string();
    let (a, b) = (
        path(&tmp.path().join("a.db")),
        path(&tmp.path().join("b.db")),
    );
    ok(&["import", &path(&dir), "--id", "dc", "--db", &a]);
    let shown = |id: &str, db: &str| {
        let json: serde_json::Value = serde_json::from_str(&ok(&[
            "evidence", "show", id, "--db", db, "--format", "json",
        ]))
        .expect("json");
        json["evidence"].clone()
    };
    let original = shown("dc", &a);
    assert_eq!(
        original,
        serde_json::from_str::<serde_json::Value>(&kept).expect("kept")
    );
    for to in ["out", "o.json", "o.xlsx"] {
        let target = path(&tmp.path().join(to));
        ok(&["export", "dc", "--to", &target, "--db", &a]);
        ok(&["import", &target, "--id", to, "--db", &b]);
        assert_eq!(shown(to, &b), original, "back from {to}");
    }
    let written = std::fs::read_to_string(tmp.path().join("out/domain-one.json")).expect("out");
    assert_eq!(written, kept, "the directory's file, byte for byte");

    // The report of the directory names the survey figure.
    let html = tmp.path().join("html");
    ok(&["report", &path(&dir), "--html", &path(&html)]);
    let page = std::fs::read_to_string(html.join("report.html")).expect("html");
    let ev = committed_evidence();
    let q = ev.surveys[0]
        .questions
        .iter()
        .find(|q| q.id == "workload-manageable")
        .expect("question");
    assert!(
        page.contains(&format!(
            "{} out of {} staff found their workload manageable",
            q.agree, q.answered
        )),
        "the narrative's figure"
    );

    assert!(
        !page.contains("evidence-annexe"),
        "a report shows no working evidence"
    );

    // The internal report: the annexe of the evidence per standard and key question, marked.
    let internal = tmp.path().join("internal");
    let pdf = tmp.path().join("internal.pdf");
    ok(&[
        "report",
        &path(&dir),
        "--internal",
        "--html",
        &path(&internal),
        "--pdf",
        &path(&pdf),
    ]);
    let page = std::fs::read_to_string(internal.join("report.html")).expect("html");
    let annexe = &page[page.find("id=\"evidence-annexe\"").expect("the annexe")..];
    let p121 = &annexe[annexe.find("id=\"evidence-P1-2-1\"").expect("P1.2.1")..];
    let p121 = &p121[..p121.find("<h4").unwrap_or(p121.len())];
    assert!(
        p121.contains("Requires improvement"),
        "its judged rating: {p121}"
    );
    assert!(p121.contains("workforce plan is credible"), "its rationale");
    assert!(p121.contains("Workforce plan and vacancy tracker") && p121.contains("against"));
    assert!(
        p121.contains("workload-manageable"),
        "the survey question filed there"
    );
    assert!(page.contains(casework_report::INTERNAL));
    match crate::report::pdftotext(&pdf, None) {
        Some(text) => {
            let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(text.contains("Annexe: domain one evidence (internal)"));
            assert!(text.contains(casework_report::INTERNAL));
            assert!(
                text.contains("Staff know the vision and see it reflected in the delivery plan.")
            );
        }
        None => {
            crate::report::tool_missing("pdftotext (poppler-utils)");
        }
    }

    // Counts that do not add up: refused where they are, nothing imported.
    let bad = kept.replacen("\"respondents\": 40", "\"respondents\": 4", 1);
    assert_ne!(bad, kept);
    std::fs::write(dir.join("domain-one.json"), bad).expect("write");
    let run = crate::casework(&["import", &path(&dir), "--id", "bad", "--db", &b]);
    assert_eq!(run.status.code(), Some(1));
    let err = crate::stderr(&run);
    assert!(
        err.contains("domain-one.json") && err.contains("surveys[0].questions[0]"),
        "{err}"
    );
    assert!(err.contains("do not add up"), "{err}");
    let list = ok(&["list", "--db", &b]);
    assert!(!list.contains("bad"), "{list}");
}

/// A service's raw files dropped into an inspection directory's `domain-one/` go in with
/// `casework import` (the committed synthetic staff survey export among them), kept as the same
/// aggregates `casework evidence` makes; a file there that is no evidence, or evidence the
/// directory's `domain-one.json` already holds, is refused by name and nothing is stored.
#[test]
fn raw_evidence_files_in_an_inspection_directory_go_in_with_import() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = derby_city_in(tmp.path(), "domain-one");
    let committed = casework_testkit::paths::fixtures().join("evidence");
    for name in [
        "staff-survey.csv",
        "staff-survey.toml",
        "interviews.csv",
        "measures.csv",
        "documents.csv",
        "ratings.csv",
    ] {
        std::fs::copy(committed.join(name), dir.join("domain-one").join(name)).expect("copy");
    }
    let path = |p: &std::path::Path| p.display().to_string();
    let db = path(&tmp.path().join("a.db"));
    ok(&["import", &path(&dir), "--id", "dc", "--db", &db]);
    let shown: serde_json::Value = serde_json::from_str(&ok(&[
        "evidence", "show", "dc", "--db", &db, "--format", "json",
    ]))
    .expect("json");
    assert_eq!(
        shown["evidence"],
        serde_json::to_value(committed_evidence()).expect("json"),
        "the same aggregates as casework evidence makes"
    );

    let refused = |id: &str, says: &str| {
        let run = crate::casework(&["import", &path(&dir), "--id", id, "--db", &db]);
        assert_eq!(run.status.code(), Some(1), "{id}");
        let err = crate::stderr(&run);
        assert!(err.contains(says), "{says}: {err}");
        let list = ok(&["list", "--db", &db]);
        assert!(!list.contains(id), "nothing stored: {list}");
    };
    std::fs::write(dir.join("domain-one/notes.txt"), "free text").expect("write");
    refused("with-notes", "notes.txt");
    std::fs::remove_file(dir.join("domain-one/notes.txt")).expect("remove");
    std::fs::write(
        dir.join("domain-one.json"),
        evidence::kept::to_json(&Evidence {
            interviews: committed_evidence().interviews,
            ..Default::default()
        }),
    )
    .expect("write");
    refused("twice", "already holds its interviews");
}
