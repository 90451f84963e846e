//! The `casework` binary as a user meets it: exit codes (0 ok, 1 invalid input, 2 usage), errors on
//! stderr that name the file, line and column, the table and JSON outputs, and the demo.

use std::path::Path;

use crate::{casework, fixture, stderr, stdout};

#[test]
fn rate_prints_the_ratings_panel() {
    let o = casework(&["rate", &fixture("derby-city")]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("Derby City"), "{out}");
    assert!(out.contains("Score            7/21"), "{out}");
    assert!(
        out.contains("Overall rating   Requires improvement"),
        "{out}"
    );
    assert!(out.contains("Fieldwork started February 2025"), "{out}");
    // The driving key question of P2.1 is marked.
    let line = out
        .lines()
        .find(|l| l.contains("P2.1.3 "))
        .expect("P2.1.3 line");
    assert!(line.trim_start().starts_with('*'), "{line}");
    assert!(line.contains("35%"), "{line}");
}

#[test]
fn rate_json_is_the_full_ratings() {
    let o = casework(&["rate", &fixture("east-midlands"), "--format", "json"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["score"], 4);
    assert_eq!(v["max_score"], 24);
    assert_eq!(v["overall"]["id"], "inadequate");
    assert_eq!(v["standards"].as_array().map(Vec::len), Some(8));
}

#[test]
fn invalid_input_exits_1_with_a_located_message() {
    let dir = tempfile::tempdir().expect("tmp");
    std::fs::write(
        dir.path().join("inspection.toml"),
        "framework = \"probation-2023\"\nkind = \"pdu\"\nunit = \"Test\"\n[judged]\n\"P1.1\" = \"good\"\n\"P1.2\" = \"good\"\n\"P1.3\" = \"good\"\n",
    )
    .expect("write");
    std::fs::write(
        dir.path().join("court-reports.csv"),
        "case_id,R2.3.1\nC1,Y\nC2,Maybe\n",
    )
    .expect("write");
    let o = casework(&["rate", &dir.path().display().to_string()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("court-reports.csv"), "{err}");
    assert!(err.contains("line 3"), "{err}");
    assert!(err.contains("column 'R2.3.1'"), "{err}");
    assert!(err.contains("'Maybe' is not an answer"), "{err}");
    assert!(stdout(&o).is_empty());
}

#[test]
fn a_missing_directory_exits_1() {
    let o = casework(&["rate", "/nonexistent/inspection"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("not an inspection"), "{}", stderr(&o));
}

#[test]
fn usage_errors_exit_2() {
    assert_eq!(casework(&["rate"]).status.code(), Some(2));
    assert_eq!(casework(&["no-such-command"]).status.code(), Some(2));
    assert_eq!(
        casework(&["rate", "x", "--format", "yaml"]).status.code(),
        Some(2)
    );
}

#[test]
fn a_framework_file_with_another_id_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let fw = casework_core::framework::BUILTIN[0].1.replacen(
        "id = \"probation-2023\"",
        "id = \"my-variant\"",
        1,
    );
    let path = dir.path().join("variant.toml");
    std::fs::write(&path, fw).expect("write");
    let o = casework(&[
        "rate",
        &fixture("derby-city"),
        "--framework",
        &path.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("my-variant"), "{}", stderr(&o));
}

#[test]
fn a_framework_variant_with_exact_banding_is_applied() {
    let dir = tempfile::tempdir().expect("tmp");
    let fw = casework_core::framework::BUILTIN[0].1.replacen(
        "banding = \"rounded\"",
        "banding = \"exact\"",
        1,
    );
    let path = dir.path().join("exact.toml");
    std::fs::write(&path, fw).expect("write");
    let o = casework(&[
        "rate",
        &fixture("derby-city"),
        "--format",
        "json",
        "--framework",
        &path.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_str(&stdout(&o)).expect("JSON");
    assert_eq!(v["framework"]["banding"], "exact");
}

#[test]
fn demo_writes_a_region_and_rates_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let target = dir.path().join("demo");
    let o = casework(&["demo", &target.display().to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("fictional"), "{out}");
    assert!(out.contains("/24"), "{out}");
    assert!(out.contains("Pooled from 3 PDU inspections"), "{out}");
    // The written directories rate on their own too.
    let o = casework(&["rate", &target.join("ashvale").display().to_string()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("/21"));
}

#[test]
fn framework_command_checks_a_file() {
    let o = casework(&["framework"]);
    assert_eq!(o.status.code(), Some(0));
    assert!(stdout(&o).contains("pdu: 7 standards, score out of 21"));
    let dir = tempfile::tempdir().expect("tmp");
    let broken = casework_core::framework::BUILTIN[0]
        .1
        .replacen("min = 65", "min = 66", 1);
    let path = dir.path().join("broken.toml");
    std::fs::write(&path, broken).expect("write");
    let o = casework(&["framework", &path.display().to_string()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("percentage_bands"), "{}", stderr(&o));
    assert!(stderr(&o).contains("gap"), "{}", stderr(&o));
}

#[test]
fn rate_with_prompts_shows_x_out_of_y() {
    let o = casework(&["rate", &fixture("derby-city"), "--prompts"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    // Derby City: diversity asked about in 27 out of 34 cases (published figure).
    let line = out
        .lines()
        .find(|l| l.contains("P2.1.1b "))
        .expect("prompt line");
    assert!(line.contains("27 out of 34"), "{line}");
    assert!(!stdout(&casework(&["rate", &fixture("derby-city")])).contains("P2.1.1b"));
}

/// The practitioner-grade comparison Leicester, Leicestershire and Rutland's report makes (l.295:
/// keeping people safe in 16 of the 43 cases managed by probation officers, four of the 18 by
/// probation services officers), from `rate --by grade`; small groups as counts only.
#[test]
fn rate_by_grade_prints_the_reports_comparison() {
    let dir = fixture("leicester-leicestershire-rutland");
    let o = casework(&["rate", &dir, "--by", "grade"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let out = stdout(&o);
    let line = out
        .lines()
        .find(|l| l.trim_start().starts_with("P2.1.3 "))
        .expect("P2.1.3 row");
    assert!(line.contains("16 out of 43 (37%)"), "{line}");
    assert!(
        line.contains("4 out of 18") && !line.contains("4 out of 18 ("),
        "{line}"
    );
    let json: serde_json::Value = serde_json::from_str(&stdout(&casework(&[
        "rate", &dir, "--by", "grade", "--format", "json",
    ])))
    .expect("json");
    assert_eq!(json["attribute"], "grade");
    assert_eq!(json["groups"][0]["cases"], 43);

    let o = casework(&["rate", &dir, "--by", "shoe-size"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("allowed: grade, rosh"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn store_flow_import_list_rate_export_audit() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("cw.db").display().to_string();
    let run = |args: &[&str]| {
        let mut all = args.to_vec();
        all.extend(["--db", db.as_str()]);
        casework(&all)
    };
    assert_eq!(run(&["init"]).status.code(), Some(0));
    let o = run(&[
        "import",
        &fixture("east-midlands"),
        "--by",
        "alice",
        "--reason",
        "test",
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("7 inspection(s)"), "{}", stdout(&o));
    // The same id again is refused, and says why.
    let o = run(&["import", &fixture("east-midlands")]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("already stored"), "{}", stderr(&o));
    let o = run(&["list"]);
    assert!(
        stdout(&o).contains("east-midlands/derby-city"),
        "{}",
        stdout(&o)
    );
    let o = run(&["rate", "east-midlands"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(
        stdout(&o).contains("Score            4/24"),
        "{}",
        stdout(&o)
    );
    let out = dir.path().join("export/em");
    let o = run(&[
        "export",
        "east-midlands",
        "--to",
        &out.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    for file in ["inspection.toml", "unpaid-work.csv", "victim-contact.csv"] {
        let a = std::fs::read(out.join(file)).expect("exported");
        let b = std::fs::read(Path::new(&fixture("east-midlands")).join(file)).expect("fixture");
        assert!(a == b, "{file} differs");
    }
    let a = std::fs::read(dir.path().join("export/derby-city/sentence-management.csv"))
        .expect("exported unit");
    let b = std::fs::read(Path::new(&fixture("derby-city")).join("sentence-management.csv"))
        .expect("fixture");
    assert!(a == b, "unit CSV differs");
    let o = run(&["audit", "verify"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stdout(&o).contains("7 entries verified"), "{}", stdout(&o));
    let o = run(&["audit", "log"]);
    assert_eq!(stdout(&o).lines().count(), 7);
    assert!(stdout(&o).contains("\"actor\":\"alice\""));
    let backup = dir.path().join("backup.db").display().to_string();
    let o = run(&["backup", &backup]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let o = casework(&["rate", "east-midlands", "--db", &backup]);
    assert!(
        stdout(&o).contains("Score            4/24"),
        "{}",
        stderr(&o)
    );
    let o = run(&["rate", "no-such-inspection"]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("not an inspection directory"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn rating_a_mistyped_path_creates_no_database() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("absent.db");
    let o = casework(&["rate", "no/such/dir", "--db", &db.display().to_string()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(!db.exists(), "a database was created");
}

#[test]
fn xlsx_round_trips_and_reports_bad_cells_by_sheet_row_and_column() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("x.db").display().to_string();
    let book = dir.path().join("derby.xlsx").display().to_string();
    let ok = |args: &[&str]| {
        let o = casework(&[args, &["--db", db.as_str()]].concat());
        assert_eq!(o.status.code(), Some(0), "{args:?}: {}", stderr(&o));
        stdout(&o)
    };
    ok(&["import", &fixture("derby-city"), "--id", "dc"]);
    ok(&["export", "dc", "--to", &book]);
    // The workbook rates like the directory, and imports back to the same files.
    let from_book = stdout(&casework(&["rate", &book, "--format", "json"]));
    let from_dir = stdout(&casework(&[
        "rate",
        &fixture("derby-city"),
        "--format",
        "json",
    ]));
    assert_eq!(from_book, from_dir);
    ok(&["import", &book, "--id", "dc-from-xlsx"]);
    let out = dir.path().join("again");
    ok(&["export", "dc-from-xlsx", "--to", &out.display().to_string()]);
    for file in ["inspection.toml", "sentence-management.csv"] {
        let a = std::fs::read(out.join(file)).expect("exported");
        let b = std::fs::read(Path::new(&fixture("derby-city")).join(file)).expect("fixture");
        assert!(a == b, "{file} differs after the XLSX round trip");
    }
    // A region with PDU inspections does not fit one workbook, and says so.
    ok(&["import", &fixture("east-midlands"), "--id", "em"]);
    let o = casework(&["export", "em", "--to", "em.xlsx", "--db", &db]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("export it to a directory"),
        "{}",
        stderr(&o)
    );

    // A bad answer cell is located by sheet, row and column.
    let mut wb = rust_xlsxwriter::Workbook::new();
    inspection_sheet(&mut wb);
    let s = wb.add_worksheet().set_name("court-reports").expect("sheet");
    for (r, row) in [["case_id", "R2.3.1"], ["C1", "Y"], ["C2", "Perhaps"]]
        .iter()
        .enumerate()
    {
        for (c, v) in row.iter().enumerate() {
            s.write_string(r as u32, c as u16, *v).expect("cell");
        }
    }
    let bad = dir.path().join("bad.xlsx");
    wb.save(&bad).expect("save");
    let o = casework(&["rate", &bad.display().to_string()]);
    assert_eq!(o.status.code(), Some(1));
    let err = stderr(&o);
    assert!(err.contains("sheet 'court-reports'"), "{err}");
    assert!(err.contains("row 3"), "{err}");
    assert!(err.contains("column 'R2.3.1'"), "{err}");
    assert!(err.contains("'Perhaps' is not an answer"), "{err}");

    // An unknown sheet is an error, not silently ignored.
    let mut wb = rust_xlsxwriter::Workbook::new();
    inspection_sheet(&mut wb);
    wb.add_worksheet().set_name("notes").expect("sheet");
    let stray = dir.path().join("stray.xlsx");
    wb.save(&stray).expect("save");
    let o = casework(&["rate", &stray.display().to_string()]);
    assert_eq!(o.status.code(), Some(1));
    assert!(
        stderr(&o).contains("unknown sheet 'notes'"),
        "{}",
        stderr(&o)
    );
}

/// A valid `inspection` sheet for hand-made test workbooks.
fn inspection_sheet(wb: &mut rust_xlsxwriter::Workbook) {
    let s = wb.add_worksheet().set_name("inspection").expect("sheet");
    for (r, (f, v)) in [
        ("framework", "probation-2023"),
        ("kind", "pdu"),
        ("unit", "Testford"),
        ("judged.P1.1", "good"),
        ("judged.P1.2", "good"),
        ("judged.P1.3", "good"),
    ]
    .iter()
    .enumerate()
    {
        s.write_string(r as u32, 0, *f).expect("cell");
        s.write_string(r as u32, 1, *v).expect("cell");
    }
}
