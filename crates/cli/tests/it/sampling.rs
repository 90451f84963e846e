//! `casework sample` and how sure each rating is, as users meet them (issue 16): the committed
//! synthetic extract of 5,000 cases in six PDUs draws the committed expected draw byte for byte;
//! a stored inspection's extract, draw, replacement and comparison; `rate` showing each key
//! question's interval and secure or fragile.

use crate::{casework, fixture, ok, repo, stderr};

fn extract_args() -> Vec<String> {
    let dir = repo().join("tests/fixtures/sampling");
    [
        "--extract",
        &dir.join("caseload.csv").display().to_string(),
        "--mapping",
        &dir.join("mapping.toml").display().to_string(),
        "--window",
        "2024-07-29..2024-08-04",
        "--window",
        "2024-08-26..2024-09-01",
    ]
    .map(String::from)
    .to_vec()
}

#[test]
fn the_committed_extract_draws_the_committed_sample_byte_for_byte() {
    let mut args: Vec<String> = ["sample", "draw"].map(String::from).to_vec();
    args.extend(extract_args());
    args.extend(["--seed", "2026", "--format", "csv"].map(String::from));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let drawn = ok(&args);
    let expected =
        std::fs::read_to_string(repo().join("tests/fixtures/sampling/expected-draw.csv"))
            .expect("the committed expected draw");
    assert_eq!(
        drawn, expected,
        "the draw changed: see casework_core::sampling::draw"
    );
    assert!(!drawn.contains("Team"), "columns not mapped are never read");

    let mut plan: Vec<String> = ["sample", "plan"].map(String::from).to_vec();
    plan.extend(extract_args());
    let plan: Vec<&str> = plan.iter().map(String::as_str).collect();
    let text = ok(&plan);
    assert!(
        text.contains("375 eligible") && text.contains("Sample size: 38 cases"),
        "{text}"
    );
    assert!(
        text.contains("Margin of error: ±9.9 percentage points at 80% confidence"),
        "{text}"
    );
}

#[test]
fn a_stored_inspection_is_sampled_and_a_case_replaced() {
    let dir = tempfile::tempdir().expect("temp dir");
    let db = dir.path().join("s.db").display().to_string();
    ok(&["import", &fixture("derby-city"), "--id", "dc", "--db", &db]);
    let sampling = repo().join("tests/fixtures/sampling");
    let stored = ok(&[
        "sample",
        "extract",
        "dc",
        &sampling.join("caseload.csv").display().to_string(),
        "--mapping",
        &sampling.join("mapping.toml").display().to_string(),
        "--db",
        &db,
        "--by",
        "lead",
    ]);
    assert!(
        stored.contains("5000 cases") && stored.contains("never kept): Team"),
        "{stored}"
    );
    let drawn = ok(&[
        "sample",
        "draw",
        "dc",
        "--window",
        "2024-07-29..2024-08-04",
        "--seed",
        "7",
        "--inspector",
        "ana",
        "--inspector",
        "ben",
        "--format",
        "csv",
        "--db",
        &db,
        "--by",
        "lead",
    ]);
    let first = drawn
        .lines()
        .find(|l| l.starts_with("drawn,"))
        .and_then(|l| l.split(',').nth(3))
        .expect("a drawn case")
        .to_string();
    let replaced = ok(&[
        "sample",
        "replace",
        "dc",
        &first,
        "--reason",
        "moved out of the area",
        "--db",
        &db,
        "--by",
        "lead",
    ]);
    assert!(
        replaced.contains(&format!("excluded {first}; reserve ")),
        "{replaced}"
    );
    let json = ok(&["sample", "compare", "dc", "--format", "json", "--db", &db]);
    let v: serde_json::Value = serde_json::from_str(&json).expect("JSON");
    assert_eq!(v["population"], 200);
    let again = casework(&["sample", "draw", "dc", "--seed", "7", "--db", &db]);
    assert!(!again.status.success() && stderr(&again).contains("already drawn"));
    let missing = casework(&[
        "sample", "replace", "dc", "NOPE", "--reason", "x", "--db", &db,
    ]);
    assert!(
        stderr(&missing).contains("NOPE is not a case in dc's sample"),
        "{}",
        stderr(&missing)
    );
}

#[test]
fn rate_shows_how_sure_each_rating_is() {
    let table = ok(&["rate", &fixture("derby-city")]);
    assert!(table.contains("35%      12/34  21-52% secure"), "{table}");
    assert!(
        table.contains("fragile rating: 55% likely in its band"),
        "{table}"
    );
    assert!(
        table.contains("6 more Yes answers (2 on P2.2.1, 4 on P2.2.3) would make P2.2 Good"),
        "{table}"
    );
    let json: serde_json::Value =
        serde_json::from_str(&ok(&["rate", &fixture("derby-city"), "--format", "json"]))
            .expect("JSON");
    let kq = &json["standards"][3]["key_questions"][2]["certainty"];
    assert_eq!(kq["sureness"], "secure");
    let (lo, hi) = (
        kq["interval"]["lower"].as_f64().expect("lower"),
        kq["interval"]["upper"].as_f64().expect("upper"),
    );
    assert!(
        (0.0..0.353).contains(&lo) && (0.353..=1.0).contains(&hi),
        "{lo} {hi}"
    );
}
