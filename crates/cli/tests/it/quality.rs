//! `casework qa` as a lead, inspectors and a QA reviewer use it (issue 19): cases submitted by two
//! inspectors, the sample drawn from a seed (the same seed draws the same cases in another
//! store), blind second marking, bad input named by case and question, a disagreement
//! reconciled, the figures as table, JSON and CSV (numbers as numbers, "undefined" never 0), and
//! the locked-only ratings equal to the provisional ones once every case is locked.

use calamine::{Data, Reader, Xlsx, open_workbook};

use crate::{casework, fixture, ok, stderr, stdout};

const SM: &str = "sentence-management";

/// A store with Derby City imported and every sentence-management case submitted, alternately by
/// ana and ben; returns its path and the case references.
fn submitted(dir: &std::path::Path) -> (String, Vec<String>) {
    let db = dir.join("qa.db").display().to_string();
    let out = casework(&["import", &fixture("derby-city"), "--id", "dc", "--db", &db]);
    assert!(out.status.success(), "{}", stderr(&out));
    let csv = std::fs::read_to_string(format!("{}/{SM}.csv", fixture("derby-city"))).expect("csv");
    let refs: Vec<String> = csv
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().expect("ref").to_string())
        .collect();
    for (i, r) in refs.iter().enumerate() {
        let by = ["ana", "ben"][i % 2];
        let out = casework(&["qa", "move", "dc", SM, r, "submit", "--db", &db, "--by", by]);
        assert!(out.status.success(), "{}", stderr(&out));
    }
    (db, refs)
}

#[test]
fn a_qa_round_from_the_command_line() {
    let dir = tempfile::tempdir().expect("temp dir");
    let (db, _) = submitted(dir.path());
    let drawn = ok(&[
        "qa", "sample", "dc", "--draw", "--share", "10", "--seed", "42", "--format", "csv", "--db",
        &db, "--by", "lead",
    ]);
    let sample: Vec<Vec<&str>> = drawn
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    assert_eq!(sample.len(), 4, "10% of 17 per inspector, rounded: {drawn}");
    assert_eq!(
        sample.iter().filter(|r| r[3] == "ana").count(),
        2,
        "stratified by inspector"
    );
    // The same extract and seed draw the same cases in another store.
    let other = tempfile::tempdir().expect("temp dir");
    let (db2, _) = submitted(other.path());
    let again = ok(&[
        "qa", "sample", "dc", "--draw", "--share", "10", "--seed", "42", "--format", "csv", "--db",
        &db2, "--by", "lead",
    ]);
    assert_eq!(drawn, again);

    let case = sample[0][2];
    let inspector = sample[0][3];
    // Bad input is named by case and question; nothing is recorded.
    for (args, expected) in [
        (vec!["--answer", "P9.9=Y"], "no question 'P9.9'"),
        (
            vec!["--answer", "P2.1.1=maybe"],
            "'maybe' for P2.1.1 is not an answer",
        ),
        (vec!["--answer", "P2.1.1"], "is not QUESTION=VALUE"),
    ] {
        let mut a = vec!["qa", "mark", "dc", SM, case];
        a.extend(args);
        a.extend(["--db", &db, "--by", "quinn"]);
        let out = casework(&a);
        assert!(!out.status.success());
        assert!(stderr(&out).contains(expected), "{}", stderr(&out));
    }
    let own = casework(&[
        "qa", "mark", "dc", SM, case, "--answer", "P2.1.1=Y", "--db", &db, "--by", inspector,
    ]);
    assert!(
        stderr(&own).contains("cannot second-mark their own case"),
        "{}",
        stderr(&own)
    );

    // The reviewer marks the three planning key questions: Yes, Yes, No.
    ok(&[
        "qa", "mark", "dc", SM, case, "--answer", "P2.1.1=Y", "--answer", "P2.1.2=Y", "--answer",
        "P2.1.3=N", "--db", &db, "--by", "quinn",
    ]);
    let list = ok(&["qa", "disagreements", "dc", "--format", "json", "--db", &db]);
    let list: serde_json::Value = serde_json::from_str(&list).expect("json");
    let list = list.as_array().expect("array");
    if let Some(first) = list.first() {
        let question = first["question"].as_str().expect("question");
        // The second marker's answer, as cell text (Y, N, NA).
        let answer = first["second"].as_str().expect("answer");
        ok(&[
            "qa",
            "reconcile",
            "dc",
            SM,
            case,
            question,
            answer,
            "--reason",
            "The plan shows it.",
            "--db",
            &db,
            "--by",
            "lead",
        ]);
        let again = casework(&[
            "qa",
            "reconcile",
            "dc",
            SM,
            case,
            question,
            "Y",
            "--reason",
            "x",
            "--db",
            &db,
            "--by",
            "lead-2",
        ]);
        assert!(
            stderr(&again).contains("already reconciled by lead"),
            "{}",
            stderr(&again)
        );
    }
    let no_disagreement = casework(&[
        "qa",
        "reconcile",
        "dc",
        SM,
        sample[1][2],
        "P2.1.1",
        "Y",
        "--reason",
        "x",
        "--db",
        &db,
        "--by",
        "lead",
    ]);
    assert!(
        stderr(&no_disagreement).contains("no disagreement to reconcile"),
        "{}",
        stderr(&no_disagreement)
    );

    let json = ok(&["qa", "agreement", "dc", "--format", "json", "--db", &db]);
    let json: serde_json::Value = serde_json::from_str(&json).expect("json");
    assert_eq!(json["agreement"]["cases"], 1);
    assert_eq!(json["agreement"]["key_questions"]["compared"], 3);
    assert!(json["band_changes"]["key_questions"].is_array());
    let csv = ok(&["qa", "agreement", "dc", "--format", "csv", "--db", &db]);
    let pooled: Vec<&str> = csv.lines().nth(1).expect("pooled row").split(',').collect();
    assert_eq!(&pooled[..4], ["all", "all questions", "pooled", "3"]);
    assert!(pooled[7].parse::<f64>().is_ok(), "a number: {}", pooled[7]);
    let table = ok(&["qa", "agreement", "dc", "--db", &db]);
    assert!(
        table.starts_with("Band changes"),
        "band changes first: {table}"
    );
    let consistency = ok(&["qa", "consistency", "dc", "--format", "csv", "--db", &db]);
    assert!(
        consistency
            .lines()
            .any(|l| l.starts_with("sentence-management,P2.1.1,ana,"))
    );

    // The data workbook carries the QA sheets, numbers as numbers.
    let xlsx = dir.path().join("data.xlsx");
    let xlsx_arg = xlsx.display().to_string();
    ok(&["report", "dc", "--xlsx", &xlsx_arg, "--db", &db]);
    // The report's QA annexe: the agreement in words and a funnel plot per key question, in the
    // HTML and (the Typst template compiling it) the PDF.
    let html = dir.path().join("html");
    let pdf = dir.path().join("report.pdf");
    ok(&[
        "report",
        "dc",
        "--html",
        &html.display().to_string(),
        "--pdf",
        &pdf.display().to_string(),
        "--db",
        &db,
    ]);
    let html = std::fs::read_to_string(html.join("report.html")).expect("html");
    assert!(html.contains("id=\"quality-annexe\""));
    assert!(html.contains("A second inspector marked 1 cases blind"));
    assert!(html.contains("class=\"cw-funnel\""));
    assert!(std::fs::metadata(&pdf).expect("pdf").len() > 10_000);
    let mut book: Xlsx<_> = open_workbook(&xlsx).expect("workbook");
    let sheet = book
        .worksheet_range("QA agreement")
        .expect("QA agreement sheet");
    assert_eq!(
        sheet.get((2, 1)),
        Some(&Data::String("key questions".into()))
    );
    assert_eq!(
        sheet.get((2, 3)),
        Some(&Data::Float(3.0)),
        "compared, a number"
    );
    let consistency = book
        .worksheet_range("QA consistency")
        .expect("QA consistency sheet");
    assert!(consistency.height() > 1);

    // Locked-only ratings equal the provisional ones once every case is locked.
    assert_eq!(
        ok(&["qa", "lock", "dc", "--db", &db, "--by", "lead"]).trim(),
        "34 cases locked in dc"
    );
    let provisional = casework(&["rate", "dc", "--format", "json", "--db", &db]);
    let locked = casework(&[
        "rate",
        "dc",
        "--format",
        "json",
        "--locked-only",
        "--db",
        &db,
    ]);
    assert_eq!(stdout(&provisional), stdout(&locked));
    assert!(stderr(&provisional).contains("Provisional ratings"));
    assert!(stderr(&locked).contains("locked cases only"));
    let reopened = ok(&[
        "qa",
        "move",
        "dc",
        SM,
        case,
        "reopen",
        "--reason",
        "A late document.",
        "--db",
        &db,
        "--by",
        "lead",
    ]);
    assert!(reopened.contains("is now in progress"));
    let fewer = casework(&[
        "rate",
        "dc",
        "--format",
        "json",
        "--locked-only",
        "--db",
        &db,
    ]);
    assert_ne!(
        stdout(&fewer),
        stdout(&provisional),
        "33 locked cases rate differently"
    );
    let refused = casework(&[
        "qa", "move", "dc", SM, case, "approve", "--db", &db, "--by", "quinn",
    ]);
    assert!(
        stderr(&refused).contains("cannot be approved; allowed: submit"),
        "{}",
        stderr(&refused)
    );
}
