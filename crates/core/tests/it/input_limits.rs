//! The rules every reader keeps about what it reads, tested at their boundaries: lines as an editor
//! shows them (blank lines, CRLF, bytes that are not UTF-8), the stated input limits (file sizes,
//! row size, note length, JSON and TOML nesting), the accepted spellings of answers, dates and
//! Reset weeks, the shape of ids and unit paths, and CSV cells that a spreadsheet would run.

use std::io;
use std::path::Path;
use std::sync::Mutex;

use crate::support::{ALL_YES, ATTRS, KEYS, PDU_TOML, Tree, assert_located, row};
use casework_core::input::{ErrorKind, Source, limits, load};
use casework_core::text::{NOTE_MAX_CHARS, to_spreadsheet};
use casework_core::{Answer, SentenceType};

fn csv(rows: &[String]) -> String {
    let mut text = format!("{ATTRS},{KEYS}\n");
    for r in rows {
        text.push_str(r);
        text.push('\n');
    }
    text
}

fn good(id: &str) -> String {
    row(id, "community,N,,", ALL_YES)
}

fn bad(id: &str) -> String {
    row(id, "suspended,N,,", ALL_YES)
}

#[test]
fn a_bad_row_after_blank_lines_is_reported_on_the_line_the_file_shows() {
    for eol in ["\n", "\r\n"] {
        // Header on line 1, a case on line 2, ten blank lines (3-12), a case on 13, the bad row on 14.
        let mut lines = vec![format!("{ATTRS},{KEYS}"), good("C1")];
        lines.extend(std::iter::repeat_n(String::new(), 10));
        lines.push(good("C2"));
        lines.push(bad("C3"));
        lines.push(String::new());
        let mut t = Tree::pdu_no_cases();
        t.put("pdu/sentence-management.csv", &lines.join(eol));
        let e = t.error("pdu");
        assert_located(
            &e,
            ErrorKind::BadValue,
            "sentence-management.csv",
            Some(14),
            "sentence",
        );
        // A repeated id after blank lines names both lines as shown.
        let mut lines = vec![format!("{ATTRS},{KEYS}")];
        lines.extend(std::iter::repeat_n(String::new(), 3));
        lines.push(good("C1"));
        lines.extend(std::iter::repeat_n(String::new(), 4));
        lines.push(good("C1"));
        lines.push(String::new());
        t.put("pdu/sentence-management.csv", &lines.join(eol));
        let e = t.error("pdu");
        assert_eq!(e.line, Some(10), "{e}");
        assert!(e.problem.contains("first on line 5"), "{e}");
    }
}

#[test]
fn a_large_file_split_across_threads_reports_the_same_line_after_blank_lines() {
    // Over the size at which a CSV is parsed in parallel chunks, with blank lines throughout.
    let mut lines = vec![format!("{ATTRS},{KEYS}")];
    for i in 0..60_000 {
        lines.push(good(&format!("C{i}")));
        if i % 7 == 0 {
            lines.push(String::new());
        }
    }
    let bad_line = lines.len() + 1;
    lines.push(bad("CX"));
    lines.push(String::new());
    let text = lines.join("\n");
    assert!(text.len() > 2 << 20, "{} bytes", text.len());
    let mut t = Tree::pdu_no_cases();
    t.put("pdu/sentence-management.csv", &text);
    let e = t.error("pdu");
    assert_eq!(e.line, Some(bad_line as u64), "{e}");
}

#[test]
fn a_file_that_is_not_utf8_is_located_and_its_encoding_named_when_known() {
    struct Bytes(Vec<u8>);
    impl Source for Bytes {
        fn read(&self, path: &Path, _limit: u64) -> io::Result<Option<Vec<u8>>> {
            Ok(match path.file_name().and_then(|n| n.to_str()) {
                Some("inspection.toml") => Some(PDU_TOML.as_bytes().to_vec()),
                Some("sentence-management.csv") => Some(self.0.clone()),
                _ => None,
            })
        }
    }
    let mut bytes = csv(&[good("C1"), good("C2")]).into_bytes();
    let at = bytes.len();
    bytes.extend_from_slice(b"C3,community,N,,,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,\xff\xfe\n");
    let e = load(Path::new("pdu"), &Bytes(bytes), None).expect_err("latin bytes");
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert_eq!(e.line, Some(4), "{e}");
    assert!(e.problem.contains("FF FE"), "{e}");
    assert!(e.problem.contains(&format!("byte {}", at + 40)), "{e}");

    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(csv(&[good("C1")]).encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    let e = load(Path::new("pdu"), &Bytes(utf16), None).expect_err("utf-16");
    assert!(e.problem.contains("UTF-16"), "{e}");
    let e = load(Path::new("pdu"), &Bytes(vec![0, 1, 2, 3, 0, 0, 7, 8]), None).expect_err("binary");
    assert!(e.problem.contains("binary"), "{e}");
}

/// Answers every read with a file of `size` bytes; records the limit each file was read under.
struct Sized {
    size: u64,
    limits: Mutex<Vec<(String, u64)>>,
}

impl Source for Sized {
    fn read(&self, path: &Path, limit: u64) -> io::Result<Option<Vec<u8>>> {
        let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
        if let Ok(mut seen) = self.limits.lock() {
            seen.push((name.to_string(), limit));
        }
        if self.size > limit {
            return Err(io::Error::from(io::ErrorKind::FileTooLarge));
        }
        Ok(match name {
            "inspection.toml" => Some(PDU_TOML.as_bytes().to_vec()),
            "sentence-management.csv" => Some(csv(&[good("C1")]).into_bytes()),
            "doc.json" => Some(b"{}".to_vec()),
            _ => None,
        })
    }
}

#[test]
fn every_file_is_read_under_its_stated_limit_and_a_larger_one_is_refused_before_reading() {
    let small = Sized {
        size: 100,
        limits: Mutex::new(Vec::new()),
    };
    load(Path::new("pdu"), &small, None).expect("loads");
    let seen = small.limits.into_inner().expect("limits");
    assert!(seen.contains(&("inspection.toml".into(), limits::TOML_MAX_BYTES)));
    assert!(seen.contains(&("sentence-management.csv".into(), limits::CSV_MAX_BYTES)));

    let big = Sized {
        size: limits::TOML_MAX_BYTES + 1,
        limits: Mutex::new(Vec::new()),
    };
    let e = load(Path::new("pdu"), &big, None).expect_err("too large");
    assert_eq!(e.kind, ErrorKind::TooLarge, "{e}");
    assert!(e.file.ends_with("inspection.toml"), "{e}");
    assert!(e.problem.contains("1 MiB"), "{e}");

    let json = Sized {
        size: limits::JSON_MAX_BYTES + 1,
        limits: Mutex::new(Vec::new()),
    };
    let e = load(Path::new("doc.json"), &json, None).expect_err("too large");
    assert!(e.problem.contains("256 MiB"), "{e}");

    // The in-memory source keeps the same contract.
    let mut t = Tree::pdu_no_cases();
    t.put(
        "pdu/inspection.toml",
        &format!("{PDU_TOML}\n# {}\n", "x".repeat(1 << 20)),
    );
    assert_eq!(t.error("pdu").kind, ErrorKind::TooLarge);
}

#[test]
fn a_row_over_one_mebibyte_and_a_note_over_the_limit_are_located() {
    let huge = "Y".repeat(limits::CSV_ROW_MAX_BYTES);
    let mut t = Tree::pdu_no_cases();
    t.put(
        "pdu/sentence-management.csv",
        &csv(&[
            good("C1"),
            row(
                "C2",
                "community,N,,",
                &format!("{huge},Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y"),
            ),
        ]),
    );
    let e = t.error("pdu");
    assert_eq!((e.kind, e.line), (ErrorKind::TooLarge, Some(3)), "{e}");

    let header = format!("{ATTRS},notes,{KEYS}\n");
    let note = |n: usize| "é".repeat(n);
    let at_limit = format!(
        "{header}C1,community,N,,,{},{ALL_YES}\n",
        note(NOTE_MAX_CHARS)
    );
    t.put("pdu/sentence-management.csv", &at_limit);
    let loaded = t.load("pdu").expect("a note at the limit");
    assert_eq!(
        loaded.cases[0].cases()[0]
            .notes
            .as_ref()
            .map(|n| n.chars().count()),
        Some(NOTE_MAX_CHARS)
    );
    let over = format!(
        "{header}C1,community,N,,,ok,{ALL_YES}\nC2,community,N,,,{},{ALL_YES}\n",
        note(NOTE_MAX_CHARS + 1)
    );
    t.put("pdu/sentence-management.csv", &over);
    let e = t.error("pdu");
    assert_located(
        &e,
        ErrorKind::BadValue,
        "sentence-management.csv",
        Some(3),
        "notes",
    );
    assert!(e.problem.contains("10000"), "{e}");

    // The JSON reader keeps the same limit.
    let doc = |n: usize| {
        serde_json::json!({
            "framework": "probation-2023", "kind": "pdu", "unit": "T",
            "judged": {"P1.1": "good", "P1.2": "good", "P1.3": "good"},
            "cases": {"sentence-management": [{
                "id": "C1", "sentence": "community", "notes": note(n),
                "answers": KEYS.split(',').map(|k| (k, "Y")).collect::<std::collections::BTreeMap<_, _>>()
            }]}
        })
        .to_string()
    };
    let mut t = Tree::pdu_no_cases();
    t.put("doc.json", &doc(NOTE_MAX_CHARS));
    t.load("doc.json").expect("at the limit");
    t.put("doc.json", &doc(NOTE_MAX_CHARS + 1));
    let e = t.error("doc.json");
    assert_eq!(
        e.column.as_deref(),
        Some("cases.sentence-management[0].notes"),
        "{e}"
    );
}

#[test]
fn deep_json_and_deep_toml_are_refused_with_a_line_not_a_crash() {
    let mut t = Tree::pdu_no_cases();
    let deep = format!(
        "{{\n\"framework\": {}1{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    t.put("doc.json", &deep);
    let e = t.error("doc.json");
    assert_eq!((e.kind, e.line), (ErrorKind::Syntax, Some(2)), "{e}");
    // Where the document's shape allows nesting, serde_json's recursion limit stops it.
    let value: Result<serde_json::Value, _> = serde_json::from_str(&deep[14..]);
    assert!(
        value.is_err_and(|e| e.to_string().contains("recursion limit")),
        "nesting is bounded at {} levels",
        limits::JSON_MAX_DEPTH
    );
    t.put(
        "pdu/inspection.toml",
        &format!(
            "{PDU_TOML}\nx = {}{}\n",
            "[".repeat(50_000),
            "]".repeat(50_000)
        ),
    );
    assert_eq!(t.error("pdu").kind, ErrorKind::Syntax);
}

#[test]
fn ids_and_notes_with_control_characters_are_refused_where_they_stand() {
    let t = Tree::pdu(&[good("C1"), good("C\u{0}2")]);
    let e = t.error("pdu");
    assert_located(
        &e,
        ErrorKind::BadValue,
        "sentence-management.csv",
        Some(3),
        "case_id",
    );
    assert!(e.problem.contains("U+0000"), "{e}");
    let t = Tree::pdu(&[good(&"C".repeat(101))]);
    let e = t.error("pdu");
    assert!(e.problem.contains("at most 100"), "{e}");
    let mut t = Tree::pdu_no_cases();
    t.put(
        "pdu/sentence-management.csv",
        &format!("{ATTRS},notes,{KEYS}\nC1,community,N,,,\"a\u{1b}[2Jb\",{ALL_YES}\n"),
    );
    let e = t.error("pdu");
    assert_located(
        &e,
        ErrorKind::BadValue,
        "sentence-management.csv",
        Some(2),
        "notes",
    );
    // Multi-line notes are fine.
    t.put(
        "pdu/sentence-management.csv",
        &format!("{ATTRS},notes,{KEYS}\nC1,community,N,,,\"one\r\n\ttwo\",{ALL_YES}\n"),
    );
    t.load("pdu").expect("a multi-line note");
}

#[test]
fn answers_sentences_and_reset_weeks_accept_exactly_their_stated_spellings() {
    for (cell, answer) in [
        ("Y", Answer::Yes),
        ("yes", Answer::Yes),
        ("YES", Answer::Yes),
        ("n", Answer::No),
        ("No", Answer::No),
        ("NA", Answer::NotApplicable),
        ("n/a", Answer::NotApplicable),
        ("", Answer::Unanswered),
    ] {
        assert_eq!(Answer::parse(cell), Some(answer), "{cell:?}");
    }
    for refused in ["Community", "true", "1", "x"] {
        let answers = format!("{refused},Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y");
        let e = Tree::pdu(&[row("C1", "community,N,,", &answers)]).error("pdu");
        assert_eq!(e.kind, ErrorKind::BadValue, "{e}");
        assert!(e.problem.contains(Answer::ALLOWED), "{e}");
    }
    for sentence in ["community", "Community order", "CO", "licence", "LICENSE"] {
        Tree::pdu(&[row("C1", &format!("{sentence},N,,"), ALL_YES)])
            .load("pdu")
            .unwrap_or_else(|e| panic!("{sentence}: {e}"));
    }
    let e = Tree::pdu(&[row("C1", "SSO,N,,", ALL_YES)]).error("pdu");
    assert!(e.problem.contains(SentenceType::ALLOWED), "{e}");
    for weeks in ["0", "8", "156"] {
        Tree::pdu(&[row("C1", &format!("community,Y,{weeks},"), ALL_YES)])
            .load("pdu")
            .unwrap_or_else(|e| panic!("{weeks}: {e}"));
    }
    for weeks in ["157", "9999", "-1", "2.5", "eight"] {
        let e = Tree::pdu(&[row("C1", &format!("community,Y,{weeks},"), ALL_YES)]).error("pdu");
        assert_located(
            &e,
            ErrorKind::BadValue,
            "sentence-management.csv",
            Some(2),
            "weeks_before_suspension",
        );
        assert!(e.problem.contains("from 0 to 156"), "{weeks}: {e}");
    }
}

#[test]
fn fieldwork_dates_are_iso_or_day_first() {
    let with_date = |date: &str| {
        let mut t = Tree::pdu(&[good("C1")]);
        t.put(
            "pdu/inspection.toml",
            &PDU_TOML.replace(
                "fieldwork_start = 2025-02-24",
                &format!("fieldwork_start = \"{date}\""),
            ),
        );
        t
    };
    let loaded = with_date("03/04/2025").load("pdu").expect("day first");
    assert_eq!(loaded.fieldwork_start.as_deref(), Some("2025-04-03"));
    let e = with_date("04/13/2025").error("pdu");
    assert!(e.problem.contains("day first"), "{e}");
    assert_eq!(e.line, Some(5), "{e}");
    let e = with_date("31/02/2025").error("pdu");
    assert!(e.problem.contains("not a date in the calendar"), "{e}");
}

#[test]
fn a_region_lists_pdu_paths_inside_or_beside_it_only() {
    for (path, ok) in [
        ("pdu", true),
        ("../pdu", true),
        ("./pdu", true),
        ("../../pdu", false),
        ("a/../../pdu", false),
        ("/etc/pdu", false),
        ("..", false),
        ("", false),
    ] {
        let mut t = Tree::pdu(&[good("C1")]);
        t.put(
            "region/inspection.toml",
            &format!(
                "framework = \"probation-2023\"\nkind = \"region\"\nunit = \"Test Region\"\nunits = [\"{path}\"]\n[judged]\n\"R1.1\" = \"good\"\n\"R1.2\" = \"good\"\n"
            ),
        );
        match t.load("region") {
            Err(e) if !ok => assert_eq!(
                (e.kind, e.column.as_deref()),
                (ErrorKind::Unit, Some("units[0]")),
                "{path}: {e}"
            ),
            Err(e) if e.kind == ErrorKind::Unit && e.column.as_deref() == Some("units[0]") => {
                panic!("{path} refused: {e}")
            }
            _ => assert!(ok, "{path} accepted"),
        }
    }
}

#[test]
fn cells_a_spreadsheet_would_run_read_back_as_they_were_written() {
    let t = Tree::pdu(&[good("'=1+2"), good("'-7"), good("''quoted")]);
    let loaded = t.load("pdu").expect("loads");
    let ids: Vec<&str> = loaded.cases[0]
        .cases()
        .iter()
        .map(|c| c.id.as_str())
        .collect();
    assert_eq!(ids, ["=1+2", "-7", "'quoted"]);
    assert_eq!(to_spreadsheet("=1+2"), "'=1+2");
}
