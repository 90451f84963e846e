//! The `casework` binary against bad files and careless use (issue 13): workbook bombs refused in
//! bounded memory, sheet rows named as the spreadsheet shows them, cells a spreadsheet would run
//! neutralised in every CSV written and read back unchanged, ids checked, terminal output escaped,
//! a closed pipe ending quietly, messages that say what was looked for, the audit log's truth and
//! redaction, and the user commands.

use std::path::Path;
use std::process::{Command, Output, Stdio};

use crate::{casework, fixture, stderr, stdout};

/// Runs casework under an address-space limit (KiB): an attempt to allocate for a bomb fails it.
fn casework_in_bounded_memory(args: &[&str], kib: u64) -> Output {
    let quoted: Vec<String> = args
        .iter()
        .map(|a| format!("'{}'", a.replace('\'', "'\\''")))
        .collect();
    Command::new("sh")
        .arg("-c")
        .arg(format!(
            "ulimit -v {kib} && exec '{}' {}",
            crate::bin().display(),
            quoted.join(" ")
        ))
        .output()
        .expect("run casework under ulimit")
}

fn ok(o: Output, what: &str) -> String {
    assert!(o.status.success(), "{what}: {}", stderr(&o));
    stdout(&o)
}

/// A valid `inspection` sheet at the top of a hand-made workbook; returns the next free row.
fn inspection_sheet(wb: &mut rust_xlsxwriter::Workbook, extra: &[(&str, &str)]) -> u32 {
    let s = wb.add_worksheet().set_name("inspection").expect("sheet");
    let rows = [
        ("field", "value"),
        ("framework", "probation-2023"),
        ("kind", "pdu"),
        ("unit", "Testford"),
        ("judged.P1.1", "good"),
        ("judged.P1.2", "good"),
        ("judged.P1.3", "good"),
    ];
    for (r, (f, v)) in rows.iter().chain(extra).enumerate() {
        s.write_string(r as u32, 0, *f).expect("cell");
        s.write_string(r as u32, 1, *v).expect("cell");
    }
    (rows.len() + extra.len()) as u32
}

fn court_sheet(wb: &mut rust_xlsxwriter::Workbook) -> &mut rust_xlsxwriter::Worksheet {
    let s = wb.add_worksheet().set_name("court-reports").expect("sheet");
    s.write_string(0, 0, "case_id").expect("cell");
    s.write_string(0, 1, "R2.3.1").expect("cell");
    s.write_string(1, 0, "C1").expect("cell");
    s.write_string(1, 1, "Y").expect("cell");
    s
}

/// One value far out in a sheet (XFD1048576, the last cell; CV1000000) is refused with its place,
/// in bounded memory, before anything is sized from it (point 3).
#[test]
fn a_workbook_bomb_is_refused_with_its_place_in_bounded_memory() {
    let dir = tempfile::tempdir().expect("tmp");
    for (row, col, place) in [
        (1_048_575u32, 16_383u16, "row 1048576"),
        (999_999, 99, "row 1000000"),
        (10, 700, "column ZY"),
    ] {
        let mut wb = rust_xlsxwriter::Workbook::new();
        inspection_sheet(&mut wb, &[]);
        court_sheet(&mut wb)
            .write_string(row, col, "Y")
            .expect("far cell");
        let book = dir.path().join(format!("bomb-{row}.xlsx"));
        wb.save(&book).expect("save");
        assert!(std::fs::metadata(&book).expect("size").len() < 20_000);
        let o = casework_in_bounded_memory(&["rate", &book.display().to_string()], 2 << 20);
        assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains("sheet 'court-reports'"), "{err}");
        assert!(err.contains(place), "{err}");
        assert!(!err.contains("memory allocation"), "{err}");
    }
}

/// Sheet rows are named as the spreadsheet shows them, after blank rows too; day-first dates are
/// read and a bad one is named by its row (points 9 and 10).
#[test]
fn workbook_errors_name_the_row_the_spreadsheet_shows() {
    let dir = tempfile::tempdir().expect("tmp");
    let mut wb = rust_xlsxwriter::Workbook::new();
    inspection_sheet(&mut wb, &[("fieldwork_start", "03/04/2025")]);
    let s = court_sheet(&mut wb);
    for r in 2..49u32 {
        s.write_string(r, 0, format!("C{r}")).expect("cell");
        s.write_string(r, 1, "N").expect("cell");
    }
    // Rows 50-59 blank, the bad answer on row 60.
    s.write_string(59, 0, "C60").expect("cell");
    s.write_string(59, 1, "Perhaps").expect("cell");
    let book = dir.path().join("rows.xlsx");
    wb.save(&book).expect("save");
    let o = casework(&["rate", &book.display().to_string()]);
    let err = stderr(&o);
    assert!(err.contains("sheet 'court-reports', row 60"), "{err}");

    let mut wb = rust_xlsxwriter::Workbook::new();
    inspection_sheet(&mut wb, &[("fieldwork_start", "03/04/2025")]);
    court_sheet(&mut wb);
    let book = dir.path().join("date.xlsx");
    wb.save(&book).expect("save");
    let out = ok(
        casework(&["rate", &book.display().to_string(), "--format", "json"]),
        "day-first date",
    );
    assert!(out.contains("\"fieldwork_start\": \"2025-04-03\""), "{out}");

    let mut wb = rust_xlsxwriter::Workbook::new();
    inspection_sheet(&mut wb, &[("fieldwork_start", "04/13/2025")]);
    court_sheet(&mut wb);
    let book = dir.path().join("bad-date.xlsx");
    wb.save(&book).expect("save");
    let err = stderr(&casework(&["rate", &book.display().to_string()]));
    assert!(err.contains("sheet 'inspection', row 8"), "{err}");
    assert!(err.contains("day first"), "{err}");
}

/// Cells a spreadsheet would run come out of every CSV Casework writes as text, and read back as
/// they were; workbooks hold them as text cells, never formulas (point 4).
#[test]
fn formulas_never_come_out_live_and_read_back_unchanged() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("x.db").display().to_string();
    let src = dir.path().join("src");
    std::fs::create_dir_all(&src).expect("dir");
    std::fs::write(
        src.join("inspection.toml"),
        "framework = \"probation-2023\"\nkind = \"pdu\"\nunit = \"=HYPERLINK(\\\"http://example.invalid\\\",\\\"x\\\")\"\n[judged]\n\"P1.1\" = \"good\"\n\"P1.2\" = \"good\"\n\"P1.3\" = \"good\"\n",
    )
    .expect("toml");
    std::fs::write(
        src.join("court-reports.csv"),
        "case_id,notes,R2.3.1\n'=1+2,\"'=cmd|' /C calc'!A0\",Y\n'-7,'@SUM(A1),N\nplain,fine,Y\n",
    )
    .expect("csv");
    ok(
        casework(&[
            "import",
            &src.display().to_string(),
            "--id",
            "f",
            "--db",
            &db,
        ]),
        "import",
    );
    let out = dir.path().join("out");
    ok(
        casework(&[
            "export",
            "f",
            "--to",
            &out.display().to_string(),
            "--db",
            &db,
        ]),
        "export",
    );
    let csv = std::fs::read_to_string(out.join("court-reports.csv")).expect("exported");
    for line in csv.lines().skip(1) {
        for cell in line.split(',') {
            let cell = cell.trim_start_matches('"');
            assert!(
                !cell.starts_with(['=', '+', '-', '@']),
                "a live formula in the export: {line}"
            );
        }
    }
    assert!(csv.contains("'=1+2"), "{csv}");
    // Import -> export -> import gives the same values.
    ok(
        casework(&[
            "import",
            &out.display().to_string(),
            "--id",
            "g",
            "--db",
            &db,
        ]),
        "re-import",
    );
    let again = dir.path().join("again");
    ok(
        casework(&[
            "export",
            "g",
            "--to",
            &again.display().to_string(),
            "--db",
            &db,
        ]),
        "export again",
    );
    assert_eq!(
        std::fs::read(out.join("court-reports.csv")).expect("a"),
        std::fs::read(again.join("court-reports.csv")).expect("b")
    );
    let json = ok(
        casework(&["rate", "g", "--db", &db, "--format", "json"]),
        "rate",
    );
    assert!(json.contains("=HYPERLINK"), "the unit is kept as it was");

    // The report's CSV tables.
    let data = dir.path().join("data");
    ok(
        casework(&[
            "report",
            &out.display().to_string(),
            "--csv",
            &data.display().to_string(),
        ]),
        "report --csv",
    );
    for entry in std::fs::read_dir(&data).expect("csv dir") {
        let text = std::fs::read_to_string(entry.expect("entry").path()).expect("csv");
        for line in text.lines() {
            for cell in line.split(',') {
                let cell = cell.trim_start_matches('"');
                assert!(!cell.starts_with(['=', '+', '@']), "live formula: {line}");
            }
        }
    }

    // A workbook export holds them as text cells: no formula element in any sheet.
    let book = dir.path().join("f.xlsx");
    ok(
        casework(&[
            "export",
            "f",
            "--to",
            &book.display().to_string(),
            "--db",
            &db,
        ]),
        "xlsx",
    );
    use calamine::Reader;
    let mut workbook = calamine::open_workbook_auto(&book).expect("book");
    let mut values = Vec::new();
    for name in workbook.sheet_names() {
        let formulas = workbook.worksheet_formula(&name).expect("formulas");
        assert!(
            formulas.cells().all(|(_, _, f)| f.is_empty()),
            "sheet {name} holds a formula"
        );
        let range = workbook.worksheet_range(&name).expect("values");
        values.extend(range.cells().map(|(_, _, v)| v.to_string()));
    }
    assert!(
        values.iter().any(|v| v == "=1+2"),
        "the value is there, as text"
    );
}

/// Ids are checked before anything is stored (point 6).
#[test]
fn inspection_ids_are_checked() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("x.db").display().to_string();
    for id in ["", "../x", "a/../b", "x\u{1b}[2J", "<b>x</b>", "two words"] {
        let o = casework(&["import", &fixture("derby-city"), "--id", id, "--db", &db]);
        assert_eq!(o.status.code(), Some(1), "{id:?}");
        let err = stderr(&o);
        assert!(err.contains("inspection id"), "{id:?}: {err}");
        assert!(!err.contains('\u{1b}'), "escaped in the terminal: {err:?}");
    }
    ok(
        casework(&[
            "import",
            &fixture("derby-city"),
            "--id",
            "dc-2025.v1",
            "--db",
            &db,
        ]),
        "a good id",
    );
    assert!(ok(casework(&["list", "--db", &db]), "list").contains("dc-2025.v1"));
}

/// Text from files and from the database reaches the terminal escaped, never raw (point 6).
#[test]
fn terminal_output_never_carries_raw_control_characters() {
    let dir = tempfile::tempdir().expect("tmp");
    // A cell quoted back in an error message.
    std::fs::write(
        dir.path().join("inspection.toml"),
        "framework = \"probation-2023\"\nkind = \"pdu\"\nunit = \"T\"\n[judged]\n\"P1.1\" = \"good\"\n\"P1.2\" = \"good\"\n\"P1.3\" = \"good\"\n",
    )
    .expect("toml");
    std::fs::write(
        dir.path().join("court-reports.csv"),
        "case_id,R2.3.1\nC1,\"Y\u{1b}]0;pwned\u{7}\u{9b}2J\"\n",
    )
    .expect("csv");
    let o = casework(&["rate", &dir.path().display().to_string()]);
    let err = stderr(&o);
    assert!(err.contains("\\u001b]0;pwned\\u0007\\u009b2J"), "{err:?}");
    assert!(!err.chars().any(|c| c.is_control() && c != '\n'), "{err:?}");

    // A name already in a database (written by an older version, or by hand).
    let db = dir.path().join("x.db");
    let dbs = db.display().to_string();
    ok(
        casework(&["import", &fixture("derby-city"), "--id", "dc", "--db", &dbs]),
        "import",
    );
    let sql = Command::new("python3")
        .args([
            "-c",
            "import sqlite3,sys; c=sqlite3.connect(sys.argv[1]); c.execute(\"UPDATE inspections SET unit = 'Derby\\x1b[2J City'\"); c.commit()",
            &dbs,
        ])
        .status()
        .expect("python3");
    assert!(sql.success());
    for args in [
        vec!["list"],
        vec!["rate", "dc"],
        vec!["rate", "dc", "--format", "json"],
    ] {
        let out = ok(
            casework(&[&args[..], &["--db", dbs.as_str()]].concat()),
            "output",
        );
        assert!(out.contains("Derby\\u001b[2J City"), "{args:?}: {out}");
        assert!(!out.contains('\u{1b}'), "{args:?}");
    }
    let json = ok(
        casework(&["rate", "dc", "--db", &dbs, "--format", "json"]),
        "json",
    );
    let parsed: serde_json::Value = serde_json::from_str(&json).expect("still JSON");
    assert_eq!(parsed["unit"], "Derby\u{1b}[2J City");
}

/// `casework audit log | head -1` ends quietly: a closed pipe is not a crash (point 6).
#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("x.db").display().to_string();
    ok(
        casework(&[
            "import",
            &fixture("east-midlands"),
            "--id",
            "em",
            "--db",
            &db,
        ]),
        "import",
    );
    let mut child = Command::new(crate::bin())
        .args(["audit", "log", "--db", &db])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    // The reader goes away before the command writes.
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("wait");
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    assert!(out.stderr.is_empty(), "{}", stderr(&out));
}

/// Messages say what was looked for and where (point 15).
#[test]
fn messages_say_what_was_looked_for_and_where() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("x.db").display().to_string();
    ok(
        casework(&[
            "import",
            &fixture("east-midlands"),
            "--id",
            "east-midlands",
            "--db",
            &db,
        ]),
        "import",
    );
    let o = casework(&[
        "answer",
        "east-midlands/derby-city",
        "DC-SM-9999",
        "P2.1.1",
        "Y",
        "--version",
        "1",
        "--db",
        &db,
    ]);
    let err = stderr(&o);
    assert!(
        err.contains(
            "inspection 'east-midlands/derby-city' has no sentence-management case 'DC-SM-9999'"
        ),
        "{err}"
    );
    let missing = dir.path().join("nowhere.db").display().to_string();
    let o = Command::new(crate::bin())
        .args(["rate", "some-inspection", "--db", &missing])
        .current_dir(dir.path())
        .output()
        .expect("run");
    let err = stderr(&o);
    assert!(err.contains("no database at"), "{err}");
    assert!(err.contains(&missing), "{err}");
    assert!(!Path::new(&missing).exists(), "no database was created");
}

/// The audit log records real changes once, and prints notes only when asked (point 7); the user
/// commands (point 5).
#[test]
fn the_audit_log_is_true_and_notes_stay_private() {
    let dir = tempfile::tempdir().expect("tmp");
    let db = dir.path().join("x.db").display().to_string();
    let run = |args: &[&str]| {
        ok(
            casework(&[args, &["--db", db.as_str()]].concat()),
            &args.join(" "),
        )
    };
    run(&["import", &fixture("derby-city"), "--id", "dc"]);
    // Publication through the factual-accuracy check (issue 15, part 5).
    run(&["publication", "stage", "dc", "factual-accuracy"]);
    assert!(
        run(&[
            "publication",
            "comment",
            "dc",
            "--section",
            "P2.1",
            "Wrong month."
        ])
        .contains("comment 1 recorded")
    );
    let refused = casework(&["publication", "publish", "dc", "--yes", "--db", &db]);
    assert!(!refused.status.success());
    assert!(stderr(&refused).contains("1 factual-accuracy comment is not resolved"));
    run(&["publication", "resolve", "dc", "1", "Corrected to March."]);
    let unconfirmed = casework(&["publication", "publish", "dc", "--db", &db]);
    assert!(
        !unconfirmed.status.success(),
        "no terminal, no --yes: not published"
    );
    assert!(
        stderr(&unconfirmed).contains("--yes"),
        "{}",
        stderr(&unconfirmed)
    );
    assert!(run(&["publication", "publish", "dc", "--yes"]).contains("published as version 1"));
    let entries = |include_notes: bool| -> Vec<serde_json::Value> {
        let mut args = vec!["audit", "log"];
        if include_notes {
            args.push("--include-notes");
        }
        run(&args)
            .lines()
            .map(|l| serde_json::from_str(l).expect("line"))
            .collect()
    };
    let n = entries(false).len();
    let again = casework(&["publication", "publish", "dc", "--yes", "--db", &db]);
    assert!(
        stderr(&again).contains("reopen it for correction"),
        "{}",
        stderr(&again)
    );
    assert_eq!(
        entries(false).len(),
        n,
        "a refused publication records nothing"
    );
    // The published files, each checked against its SHA-256 as written out.
    let out = dir.path().join("published");
    let listed = run(&[
        "publication",
        "files",
        "dc",
        "--to",
        &out.display().to_string(),
    ]);
    assert_eq!(listed.lines().count(), 4, "{listed}");
    let pdf = std::fs::read(out.join("report.pdf")).expect("pdf");
    assert!(pdf.starts_with(b"%PDF"));
    assert!(run(&["publication", "status", "dc"]).contains("version 1 published"));
    run(&[
        "publication",
        "stage",
        "dc",
        "draft",
        "--reason",
        "withdrawn for a test",
    ]);
    let last = entries(false).pop().expect("entry");
    assert_eq!(last["before"], "{\"stage\":\"published\"}");
    assert_eq!(last["reason"], "withdrawn for a test");

    // An evidence note, saved through the store, is redacted unless asked for.
    let rt = tokio::runtime::Runtime::new().expect("runtime");
    rt.block_on(async {
        let store = casework_store::Store::open(&db).await.expect("open");
        store
            .edit(&casework_store::CaseEdit {
                inspection: "dc",
                instrument: "sentence-management",
                case_ref: "DC-SM-0001",
                change: casework_store::CaseChange::Evidence {
                    question: "P2.1.1",
                    note: "saw the risk plan",
                },
                expected_version: 1,
                actor: "alice",
                reason: None,
            })
            .await
            .expect("note");
        store.close().await;
    });
    let redacted = entries(false).pop().expect("entry");
    assert!(
        redacted["after"]
            .as_str()
            .unwrap_or("")
            .contains("[redacted: 17 characters]"),
        "{redacted}"
    );
    let full = entries(true).pop().expect("entry");
    assert!(
        full["after"]
            .as_str()
            .unwrap_or("")
            .contains("saw the risk plan")
    );
    assert!(!run(&["audit", "log"]).contains("saw the risk plan"));
    assert!(run(&["audit", "verify"]).contains("intact"));

    // The user commands.
    let out = run(&["user", "add", "carol", "--role", "inspector"]);
    assert!(out.contains("password (shown once)"), "{out}");
    assert!(run(&["user", "assign", "carol", "dc"]).contains("is assigned"));
    assert!(run(&["user", "assign", "carol", "dc"]).contains("already assigned"));
    assert!(run(&["user", "unassign", "carol", "dc"]).contains("no longer assigned"));
    assert!(run(&["user", "revoke", "carol"]).contains("no sessions"));
    assert!(run(&["user", "disable", "carol"]).contains("cannot sign in"));
    assert!(run(&["user", "list"]).contains("(disabled)"));
    assert!(run(&["user", "enable", "carol"]).contains("can sign in again"));
    let o = casework(&["user", "disable", "nobody", "--db", &db]);
    assert_eq!(o.status.code(), Some(1));
    assert!(stderr(&o).contains("no user 'nobody'"));
}
