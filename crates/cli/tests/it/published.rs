//! Researchers' commands (issue 18) as users meet them: `casework extract` on the five reference
//! reports, `casework published import` of results from all three programmes (some partial, some
//! inconsistent) with its findings and band edges, export in JSON, CSV, XLSX and Parquet read
//! back the same (and Parquet by pyarrow, as researchers read it), `casework national` and `casework bands infer`, and the earlier programmes' synthetic
//! inspections rated out of 27 and 30.

use serde_json::Value;

use crate::{casework, fixture, ok, repo, stderr, stdout};

/// `casework published export --db DB --format FORMAT --out OUT`, which must succeed.
fn export(db: &str, format: &str, out: &str) {
    ok(&[
        "published",
        "export",
        "--db",
        db,
        "--format",
        format,
        "--out",
        out,
    ]);
}

fn results_file() -> String {
    repo()
        .join("tests/fixtures/published/results.json")
        .display()
        .to_string()
}

#[test]
fn extract_prints_the_five_reports_with_their_lines() {
    let Some(dir) = casework_testkit::paths::seeds_or_skip() else {
        return;
    };
    let mut files: Vec<String> = std::fs::read_dir(&dir)
        .expect("seeds")
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    let mut args = vec!["extract"];
    args.extend(files.iter().map(String::as_str));
    let table = ok(&args);
    for expected in [
        "score            4/24",
        "score            5/24",
        "score            7/21",
        "score            3/21",
        "R2.6   Statutory victim work        Outstanding",
        "P2.2   Planning                     Requires improvement",
        "sample sentence-management  34 cases  (line 83, derived)",
    ] {
        assert!(
            table.contains(expected),
            "missing '{expected}' in:\n{table}"
        );
    }
    assert!(
        !table.contains("check:"),
        "the reports pass every check:\n{table}"
    );
    args.extend(["--format", "json"]);
    let out = casework(&args);
    assert!(out.status.success(), "{}", stderr(&out));
    let json: Value = serde_json::from_str(&stdout(&out)).expect("JSON");
    assert_eq!(json.as_array().map(Vec::len), Some(5));
    // Only the web page's publication date is missing, said on standard error.
    assert_eq!(stderr(&out).trim().lines().count(), 1, "{}", stderr(&out));
    assert!(stderr(&out).contains("missing published"));
}

#[test]
fn extract_refuses_what_it_cannot_read_by_name() {
    let dir = tempfile::tempdir().expect("temp");
    let missing = dir.path().join("nope.txt");
    let out = casework(&["extract", &missing.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("nope.txt"), "{}", stderr(&out));
    let binary = dir.path().join("b.txt");
    std::fs::write(&binary, [0xff, 0xfe, 0x00]).expect("write");
    let out = casework(&["extract", &binary.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("not UTF-8"), "{}", stderr(&out));
    // A text that is no report: everything missing, nothing guessed.
    let prose = dir.path().join("prose.txt");
    std::fs::write(&prose, "Nothing here is a report. Good.\n").expect("write");
    let table = ok(&["extract", &prose.display().to_string()]);
    assert!(table.contains("missing: score"), "{table}");
    assert!(table.contains("missing: programme and kind"), "{table}");
    // One unreadable file among good ones: the good ones are still read, the bad one named,
    // and the command fails.
    let out = casework(&[
        "extract",
        &prose.display().to_string(),
        &binary.display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stdout(&out).contains("prose.txt"), "{}", stdout(&out));
    assert!(stderr(&out).contains("b.txt"), "{}", stderr(&out));
    // HTML nested deeper than any report is refused before it is parsed, naming the file.
    let deep = dir.path().join("deep.html");
    std::fs::write(&deep, "<div>".repeat(40_000)).expect("write");
    let out = casework(&["extract", &deep.display().to_string()]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("deep.html") && stderr(&out).contains("nests"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn import_flags_the_inconsistent_and_prints_the_bands() {
    let dir = tempfile::tempdir().expect("temp");
    let db = dir.path().join("p.db").display().to_string();
    let out = ok(&[
        "published",
        "import",
        &results_file(),
        "--db",
        &db,
        "--by",
        "researcher",
    ]);
    assert!(
        out.contains("13 results read, 13 stored, 0 already stored"),
        "{out}"
    );
    assert!(
        out.contains("checks: 2 of 13 stored results are inconsistent (3 findings)"),
        "{out}"
    );
    assert!(
        out.contains("Synthetic PDU B [score-max]: states a maximum of 25"),
        "{out}"
    );
    assert!(out.contains("Synthetic CRC [key-question-band]"), "{out}");
    assert!(out.contains("Synthetic CRC [overall-band]"), "{out}");
    assert!(
        out.contains("2023 Regional inspection | Inadequate | Requires improvement: exactly 5; the framework's 5 fits"),
        "{out}"
    );
    assert!(
        out.contains("2023 PDU inspection | Inadequate | Requires improvement: 4 to 7; the framework's 4 fits"),
        "{out}"
    );
    assert!(out.contains("2018 CRC inspection | Inadequate | Requires improvement: 1 to 5; the framework's 6 CONTRADICTED"), "{out}");
    // Again: nothing new is stored.
    let again = ok(&["published", "import", &results_file(), "--db", &db]);
    assert!(again.contains("0 stored, 13 already stored"), "{again}");
    // The audit log names who imported each.
    let log = ok(&["audit", "log", "--db", &db]);
    assert_eq!(log.matches("import-published-result").count(), 13, "{log}");

    let national = ok(&[
        "national",
        "--db",
        &db,
        "--programme",
        "2023",
        "--kind",
        "pdu",
    ]);
    let rows: Vec<&str> = national.lines().skip(1).collect();
    assert_eq!(rows.len(), 6, "{national}");
    assert!(
        rows[0].contains("Derby City PDU") && rows[0].contains("7/21"),
        "{national}"
    );
    let csv = ok(&["national", "--db", &db, "--format", "csv", "--sort", "P2.2"]);
    assert!(csv.starts_with("rank,id,unit,"), "{csv}");
    let by_region: Value = serde_json::from_str(&ok(&[
        "national",
        "--db",
        &db,
        "--format",
        "json",
        "--region",
        "east midlands",
        "--year",
        "2025",
    ]))
    .expect("JSON");
    // Published in 2025, or (East Midlands, whose web page gives no date) fieldwork in 2025.
    assert_eq!(by_region.as_array().map(Vec::len), Some(4), "{by_region}");

    let bands: Value =
        serde_json::from_str(&ok(&["bands", "infer", "--db", &db, "--format", "json"]))
            .expect("JSON");
    let region = bands
        .as_array()
        .expect("edges")
        .iter()
        .find(|e| {
            e["programme"] == "2023"
                && e["kind"] == "region"
                && e["above"] == "Requires improvement"
        })
        .expect("the region's first edge");
    assert_eq!(
        (region["lowest"].as_u64(), region["highest"].as_u64()),
        (Some(5), Some(5))
    );
}

#[test]
fn export_in_every_format_reads_back_the_same() {
    let dir = tempfile::tempdir().expect("temp");
    let db = dir.path().join("p.db").display().to_string();
    ok(&["published", "import", &results_file(), "--db", &db]);
    let json = ok(&["published", "export", "--db", &db]);
    let xlsx = dir.path().join("r.xlsx").display().to_string();
    export(&db, "xlsx", &xlsx);
    let csv = dir.path().join("r.csv").display().to_string();
    export(&db, "csv", &csv);

    // The workbook carries the flat parts and every key question percentage.
    let from_xlsx = dir.path().join("x.db").display().to_string();
    ok(&["published", "import", &xlsx, "--db", &from_xlsx]);
    let strip = |text: &str| -> Vec<Value> {
        let mut v: Vec<Value> = serde_json::from_str(text).expect("JSON");
        for r in &mut v {
            let o = r.as_object_mut().expect("object");
            o.remove("provenance");
            o.remove("samples");
            for s in o["standards"].as_array_mut().expect("standards") {
                s.as_object_mut().expect("standard").remove("name");
            }
        }
        v
    };
    let back = ok(&["published", "export", "--db", &from_xlsx]);
    assert_eq!(
        strip(&back),
        strip(&json),
        "the workbook's results equal the stored ones"
    );

    // The CSV: the flat parts, each standard's rating.
    let from_csv = dir.path().join("c.db").display().to_string();
    ok(&["published", "import", &csv, "--db", &from_csv]);
    let list = ok(&["published", "list", "--db", &from_csv]);
    assert_eq!(list.lines().count(), 14, "{list}");
    assert!(
        list.contains("Derby City PDU") && list.contains("7/21"),
        "{list}"
    );
}

#[test]
fn parquet_reads_back_and_pyarrow_reads_it_as_researchers_do() {
    let dir = tempfile::tempdir().expect("temp");
    let db = dir.path().join("p.db").display().to_string();
    ok(&["published", "import", &results_file(), "--db", &db]);
    let parquet = dir.path().join("r.parquet").display().to_string();
    export(&db, "parquet", &parquet);
    let back = dir.path().join("b.db").display().to_string();
    ok(&["published", "import", &parquet, "--db", &back]);
    assert_eq!(
        ok(&["published", "export", "--db", &back]),
        ok(&["published", "export", "--db", &db]),
        "every result back exactly, provenance included"
    );
    let script = "import sys, json, pyarrow.parquet as pq\n\
t = pq.read_table(sys.argv[1])\n\
print(json.dumps({'rows': t.num_rows, 'score': t.column('score').to_pylist(), \
'p21': t.column('rating P2.1').to_pylist(), 'unit': t.column('unit').to_pylist()}))";
    let peer = std::process::Command::new("python3")
        .args(["-c", script, &parquet])
        .output();
    let Some(peer) = peer.ok().filter(|o| o.status.success()) else {
        crate::report::tool_missing("python3 with pyarrow");
        return;
    };
    let read: Value = serde_json::from_slice(&peer.stdout).expect("JSON from pyarrow");
    assert_eq!(read["rows"], 13);
    assert_eq!(read["score"][2], 7, "{read}");
    assert_eq!(read["unit"][2], "Derby City PDU", "{read}");
    assert_eq!(read["p21"][2], "Inadequate", "{read}");
    assert_eq!(
        read["score"][6],
        Value::Null,
        "a missing score is null: {read}"
    );
}

#[test]
fn a_bad_results_file_stores_nothing_and_names_the_field() {
    let dir = tempfile::tempdir().expect("temp");
    let db = dir.path().join("p.db").display().to_string();
    let bad = dir.path().join("bad.json");
    std::fs::write(
        &bad,
        r#"[{"unit": "A", "score": 3}, {"unit": "B", "standards": [{"code": "P2.1", "key_questions": [{"percent_yes": 140}]}]}]"#,
    )
    .expect("write");
    let out = casework(&[
        "published",
        "import",
        &bad.display().to_string(),
        "--db",
        &db,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        stderr(&out).contains("[1].standards[0].key_questions[0].percent_yes"),
        "{}",
        stderr(&out)
    );
    let national = casework(&["national", "--db", &db]);
    assert!(!national.status.success() || stdout(&national).contains("no published results"));
    // A table saved with ';' between cells is not read as empty results.
    let semicolons = dir.path().join("s.csv");
    std::fs::write(&semicolons, "unit;score\nA;3\n").expect("write");
    let out = casework(&[
        "published",
        "import",
        &semicolons.display().to_string(),
        "--db",
        &db,
    ]);
    assert_eq!(out.status.code(), Some(1));
    assert!(stderr(&out).contains("comma-separated"), "{}", stderr(&out));
}

#[test]
fn a_league_query_naming_nothing_known_is_refused() {
    let dir = tempfile::tempdir().expect("temp");
    let db = dir.path().join("p.db").display().to_string();
    ok(&["published", "import", &results_file(), "--db", &db]);
    for (flag, value, says) in [
        ("--sort", "bogus", "is not a sort"),
        ("--programme", "1999", "no programme"),
        ("--kind", "prison", "no kind"),
    ] {
        let out = casework(&["national", "--db", &db, flag, value]);
        assert_eq!(out.status.code(), Some(1), "{flag} {value}");
        assert!(stderr(&out).contains(says), "{}", stderr(&out));
    }
}

#[test]
fn the_earlier_programmes_rate_out_of_27_and_30() {
    for (dir, score, overall) in [
        ("programmes/2021-pdu", "11/27", "Requires improvement"),
        ("programmes/2018-nps", "16/30", "Good"),
    ] {
        let out = ok(&["rate", &fixture(dir)]);
        assert!(
            out.contains(&format!("Score            {score}")),
            "{dir}:\n{out}"
        );
        assert!(
            out.contains(&format!("Overall rating   {overall}")),
            "{dir}:\n{out}"
        );
    }
    // The 2025 dynamic inspection reports figures only: each key question's share, no rating,
    // no score (tests/fixtures/programmes/README.md works them out).
    let dynamic = ok(&["rate", &fixture("programmes/2025-dynamic")]);
    assert!(dynamic.contains("Figures only"), "{dynamic}");
    assert!(!dynamic.contains("Score"), "{dynamic}");
    for figure in [
        "57%        4/7",
        "67%        2/3",
        "100%        3/3",
        "29%        2/7",
    ] {
        assert!(
            dynamic.contains(figure),
            "missing '{figure}' in:\n{dynamic}"
        );
    }
    let frameworks = ok(&[
        "framework",
        &repo()
            .join("frameworks/probation-2018.toml")
            .display()
            .to_string(),
    ]);
    assert!(
        frameworks.contains("nps-division: 10 standards, score out of 30"),
        "{frameworks}"
    );
    assert!(
        frameworks.contains("crc: 10 standards, score out of 30"),
        "{frameworks}"
    );
}
