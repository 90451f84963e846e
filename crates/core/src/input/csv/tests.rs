//! The parallel parse against the sequential one: same cases, or the same error (kind, file,
//! line, column and message), on inputs split into many small chunks.

use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};

use super::chunks::*;
use super::split::*;
use super::*;
use crate::framework::builtin;

const KEYS: &str =
    "P2.1.1,P2.1.2,P2.1.3,P2.2.1,P2.2.2,P2.2.3,P2.3.1,P2.3.2,P2.3.3,P2.4.1,P2.4.2,P2.4.3";
const ALL_YES: &str = "Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y";
const FILE: &str = "pdu/sentence-management.csv";

fn header() -> String {
    format!(
        "case_id,sentence,probation_reset,weeks_before_suspension,management_oversight,notes,{KEYS}"
    )
}

fn row(id: &str, note: &str) -> String {
    format!("{id},community,N,,sufficient,{note},{ALL_YES}")
}

/// A file of `rows`, each ended by `eol` (the last one only if `trailing`).
fn file(rows: &[String], eol: &str, trailing: bool) -> String {
    let mut text = header();
    for r in rows {
        text.push_str(eol);
        text.push_str(r);
    }
    if trailing {
        text.push_str(eol);
    }
    text
}

fn parse_split(text: &str, split: Split) -> Result<CaseSet, InputError> {
    let fw = builtin();
    let inst = fw.instrument("sentence-management").expect("instrument");
    parse_with(fw, inst, FILE, text, split)
}

fn sequential(text: &str) -> Result<CaseSet, InputError> {
    parse_split(
        text,
        Split {
            min_input: usize::MAX,
            min_chunk: 1,
            chunks: Some(1),
        },
    )
}

fn forced(chunks: usize) -> Split {
    Split {
        min_input: 0,
        min_chunk: 1,
        chunks: Some(chunks),
    }
}

/// The chunks `parse_with` would read `text` in.
fn plan(text: &str, chunks: usize) -> Option<Vec<Chunk>> {
    let mut reader = csv_reader(text.as_bytes());
    reader.byte_headers().ok()?;
    chunk_plan(text, reader.position(), forced(chunks))
}

/// (byte, line) where a front-to-back reader stands before each record, and at the end.
fn record_starts(text: &str) -> Vec<(u64, u64)> {
    let mut reader = ::csv::ReaderBuilder::new()
        .flexible(true)
        .from_reader(text.as_bytes());
    let mut starts = Vec::new();
    let mut record = ::csv::ByteRecord::new();
    if reader.byte_headers().is_ok() {
        loop {
            let p = reader.position();
            starts.push((p.byte(), p.line()));
            if !matches!(reader.read_byte_record(&mut record), Ok(true)) {
                break;
            }
        }
    }
    starts
}

/// The line the record starting at `byte` is on as an editor shows the file: its first character's,
/// counted without the `csv` crate, which counts a CRLF's line feed with the next record.
fn shown_line(text: &str, byte: u64) -> u64 {
    let bytes = text.as_bytes();
    let first = (byte as usize..bytes.len())
        .find(|&i| !matches!(bytes[i], b'\r' | b'\n'))
        .unwrap_or(bytes.len());
    1 + bytes[..first].iter().filter(|&&b| b == b'\n').count() as u64
}

/// Parses `text` sequentially and split into 2 to 8 chunks, asserts the results are equal, and
/// returns the sequential one.
fn same_either_way(text: &str) -> Result<CaseSet, InputError> {
    let expected = sequential(text);
    for chunks in 2..=8 {
        assert_eq!(
            parse_split(text, forced(chunks)),
            expected,
            "{chunks} chunks"
        );
    }
    expected
}

/// Asserts that `text` is split (into at least `at_least` chunks when 8 are asked for) and only
/// where a front-to-back reader starts a record.
fn assert_splits(text: &str, at_least: usize) {
    let starts = record_starts(text);
    for chunks in 2..=8 {
        let plan = plan(text, chunks).expect("a plan");
        assert!(plan.len() >= 2, "{chunks}: {plan:?}");
        if chunks == 8 {
            assert!(plan.len() >= at_least, "{plan:?}");
        }
        for c in &plan {
            let at = (c.pos.byte(), c.pos.line());
            assert!(
                starts.contains(&at),
                "{chunks} chunks: {at:?} is no record start"
            );
        }
    }
}

fn error(result: Result<CaseSet, InputError>) -> InputError {
    match result {
        Ok(set) => panic!("{} cases read, but an error was expected", set.len()),
        Err(e) => e,
    }
}

fn rows(n: usize, note: impl Fn(usize) -> String) -> Vec<String> {
    (0..n).map(|i| row(&format!("C{i}"), &note(i))).collect()
}

const MULTILINE: &str = "\"line one\nline two, with \"\"quotes\"\"\n\"";

#[test]
fn quoted_notes_with_newlines_and_doubled_quotes() {
    let text = file(
        &rows(60, |i| match i % 3 {
            0 => MULTILINE.to_string(),
            1 => "\"\"\"quoted\"\" at the start\r\nand a CRLF inside\"".to_string(),
            _ => String::new(),
        }),
        "\n",
        true,
    );
    assert_splits(&text, 6);
    let set = same_either_way(&text).expect("valid");
    assert_eq!(set.len(), 60);
    assert_eq!(
        set.cases()[3].notes.as_deref(),
        Some("line one\nline two, with \"quotes\"\n")
    );
    assert_eq!(
        set.cases()[4].notes.as_deref(),
        Some("\"quoted\" at the start\r\nand a CRLF inside")
    );
}

#[test]
fn crlf_line_endings() {
    let mut body = rows(60, |i| {
        if i % 4 == 0 {
            "\"one\r\ntwo\"".to_string()
        } else {
            String::new()
        }
    });
    let text = file(&body, "\r\n", true);
    assert_splits(&text, 6);
    assert_eq!(same_either_way(&text).expect("valid").len(), 60);
    body[47] = body[47].replace("community", "suspended");
    let text = file(&body, "\r\n", false);
    let e = error(same_either_way(&text));
    assert_eq!(
        (e.kind, e.column.as_deref()),
        (ErrorKind::BadValue, Some(SENTENCE))
    );
}

#[test]
fn old_mac_line_endings_and_blank_lines() {
    let body = rows(40, |i| {
        if i % 5 == 0 {
            MULTILINE.into()
        } else {
            String::new()
        }
    });
    let text = file(&body, "\r", true);
    assert_splits(&text, 4);
    assert_eq!(same_either_way(&text).expect("valid").len(), 40);
    let text = file(&body, "\n\n\r\n", true);
    assert_splits(&text, 4);
    assert_eq!(same_either_way(&text).expect("valid").len(), 40);
    let mut body = body;
    body[33] = body[33].replace("sufficient", "excellent");
    let e = error(same_either_way(&file(&body, "\n\r\n", true)));
    assert_eq!(e.column.as_deref(), Some(MANAGEMENT_OVERSIGHT));
}

#[test]
fn the_earliest_of_two_bad_cells_is_reported() {
    let mut body = rows(60, |i| {
        if i % 2 == 0 {
            MULTILINE.into()
        } else {
            String::new()
        }
    });
    body[2] = body[2].replace(ALL_YES, "Y,Maybe,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y");
    body[55] = body[55].replace(ALL_YES, "Y,Y,Y,Y,Y,Perhaps,Y,Y,Y,Y,Y,Y");
    let text = file(&body, "\n", true);
    assert_splits(&text, 6);
    let e = error(same_either_way(&text));
    // Rows 0 and 2 carry a three-line note; the reader counts the lines.
    let line = record_starts(&text)[2].1;
    assert_eq!(e.line, Some(line));
    assert_eq!(e.column.as_deref(), Some("P2.1.2"));
    assert!(e.problem.contains("'Maybe'"), "{e}");
}

#[test]
fn a_duplicate_id_across_chunks_names_its_first_line() {
    let mut body = rows(60, |i| {
        if i % 3 == 0 {
            MULTILINE.into()
        } else {
            String::new()
        }
    });
    body[57] = row("C4", "");
    let text = file(&body, "\r\n", true);
    assert_splits(&text, 6);
    let e = error(same_either_way(&text));
    let starts = record_starts(&text);
    assert_eq!(e.kind, ErrorKind::DuplicateCase);
    assert_eq!(e.line, Some(shown_line(&text, starts[57].0)));
    assert_eq!(
        e.problem,
        format!(
            "duplicate case id 'C4' (first on line {})",
            shown_line(&text, starts[4].0)
        )
    );
}

#[test]
fn an_earlier_error_beats_a_later_duplicate() {
    let base = rows(60, |i| {
        if i % 3 == 0 {
            MULTILINE.into()
        } else {
            String::new()
        }
    });
    let text = |edits: &[(usize, String)]| {
        let mut body = base.clone();
        for (i, r) in edits {
            body[*i] = r.clone();
        }
        file(&body, "\n", true)
    };
    let bad_sentence = |i: usize| row(&format!("C{i}"), "").replace("community", "suspended");
    // An error between the first and the second occurrence of an id.
    let e = error(same_either_way(&text(&[
        (20, bad_sentence(20)),
        (50, row("C1", "")),
    ])));
    assert_eq!(
        (e.kind, e.column.as_deref()),
        (ErrorKind::BadValue, Some(SENTENCE))
    );
    // An error before both.
    let e = error(same_either_way(&text(&[
        (0, bad_sentence(0)),
        (50, row("C40", "")),
    ])));
    assert_eq!(e.kind, ErrorKind::BadValue);
    // A duplicate before an error in the same chunk, or in a later one: the duplicate.
    for later in [52, 58] {
        let e = error(same_either_way(&text(&[
            (50, row("C1", "")),
            (later, bad_sentence(later)),
        ])));
        assert_eq!(e.kind, ErrorKind::DuplicateCase, "{later}");
    }
    // On one record, the duplicate check comes after the answer cells and before the
    // attributes: a bad answer beats it, a bad sentence does not.
    let dup_bad_answer = row("C1", "").replace(ALL_YES, "Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,x");
    let e = error(same_either_way(&text(&[(50, dup_bad_answer)])));
    assert_eq!(
        (e.kind, e.column.as_deref()),
        (ErrorKind::BadValue, Some("P2.4.3"))
    );
    let dup_bad_sentence = row("C1", "").replace("community", "suspended");
    let e = error(same_either_way(&text(&[(50, dup_bad_sentence)])));
    assert_eq!(e.kind, ErrorKind::DuplicateCase);
    // An empty id is not a duplicate; a blank key question on a duplicate is.
    let e = error(same_either_way(&text(&[(50, row(" ", ""))])));
    assert_eq!(e.problem, "empty case id");
    let dup_blank_key = row("C2", "").replace(ALL_YES, "Y,Y,Y,,Y,Y,Y,Y,Y,Y,Y,Y");
    let e = error(same_either_way(&text(&[(50, dup_blank_key)])));
    assert_eq!(e.kind, ErrorKind::DuplicateCase);
}

#[test]
fn of_a_repeat_within_a_chunk_and_one_across_chunks_the_first_is_reported() {
    let base = rows(60, |i| {
        if i % 3 == 0 {
            MULTILINE.into()
        } else {
            String::new()
        }
    });
    let text = |edits: &[(usize, &str)]| {
        let mut body = base.clone();
        for &(i, id) in edits {
            body[i] = row(id, "");
        }
        file(&body, "\n", true)
    };
    // C50 repeated at 52 (within the last chunks) and C1 at 55 (across), and the other way.
    for (edits, id) in [
        (vec![(52, "C50"), (55, "C1")], "C50"),
        (vec![(52, "C1"), (55, "C50")], "C1"),
    ] {
        let e = error(same_either_way(&text(&edits)));
        assert_eq!(e.kind, ErrorKind::DuplicateCase);
        assert!(e.problem.contains(&format!("'{id}'")), "{e}");
    }
}

#[test]
fn of_many_repeats_across_chunks_the_first_is_reported() {
    // In the second of two chunks, a repeat 80 cases in, and from 101 cases in nothing but
    // repeats: a search that took any repeat it met would likely report a later one.
    let unique: Vec<String> = (0..400).map(|i| row(&format!("C{i}"), "")).collect();
    let plan = plan(&file(&unique, "\n", true), 2).expect("a plan");
    let starts = record_starts(&file(&unique, "\n", true));
    let second = starts
        .iter()
        .position(|&(byte, _)| byte == plan[1].pos.byte())
        .expect("a record start");
    let mut body = unique;
    body[second + 80] = row("C0", "");
    for (k, r) in body.iter_mut().enumerate().skip(second + 101) {
        *r = row(&format!("C{}", k % 50 + 1), "");
    }
    let text = file(&body, "\n", true);
    for _ in 0..10 {
        let e = error(parse_split(&text, forced(2)));
        assert_eq!(e.line, Some(starts[second + 80].1), "{e}");
        assert_eq!(Err(e), sequential(&text));
    }
}

#[test]
fn id_keys_with_one_hash_are_told_apart_by_their_ids() {
    let a = IdKey { hash: 7, id: "C1" };
    let b = IdKey { hash: 7, id: "C2" };
    assert!(a != b);
    let mut map = IdMap::default();
    map.insert(a, 1);
    assert_eq!(map.get(&b), None);
    assert_eq!(map.get(&IdKey { hash: 7, id: "C1" }), Some(&1));
}

#[test]
fn a_ragged_row_in_a_later_chunk_counts_records_from_the_start() {
    let mut body = rows(60, |i| {
        if i % 3 == 0 {
            MULTILINE.into()
        } else {
            String::new()
        }
    });
    body[51] = "C51,community,N".to_string();
    let text = file(&body, "\n", true);
    assert_splits(&text, 6);
    let e = error(same_either_way(&text));
    assert_eq!(e.kind, ErrorKind::Syntax);
    assert!(e.problem.contains("record 52"), "{e}");
    // A ragged first record of a chunk is held to the header's length too.
    for chunks in 2..=8 {
        let plan = plan(&text, chunks).expect("a plan");
        let mut body = rows(60, |_| String::new());
        let starts = record_starts(&file(&body, "\n", true));
        let Some(k) = starts.iter().position(|&(b, _)| b == plan[1].pos.byte()) else {
            continue;
        };
        body[k] = format!("{},extra", body[k]);
        let text = file(&body, "\n", true);
        let e = error(same_either_way(&text));
        assert_eq!(e.line, Some(starts[k].1), "{e}");
    }
}

#[test]
fn an_empty_body_with_or_without_a_newline() {
    for text in [
        header(),
        format!("{}\n", header()),
        format!("{}\r\n\r\n\n", header()),
    ] {
        assert!(plan(&text, 4).is_none());
        assert!(same_either_way(&text).expect("valid").is_empty());
    }
}

#[test]
fn a_last_row_with_or_without_a_newline() {
    let mut body = rows(30, |i| {
        if i == 29 {
            MULTILINE.into()
        } else {
            String::new()
        }
    });
    for eol in ["\n", "\r\n"] {
        for trailing in [true, false] {
            let text = file(&body, eol, trailing);
            assert_splits(&text, 4);
            assert_eq!(same_either_way(&text).expect("valid").len(), 30);
        }
    }
    body[29] = body[29].replace("community", "suspended");
    let e = error(same_either_way(&file(&body, "\n", false)));
    assert_eq!(e.column.as_deref(), Some(SENTENCE));
}

#[test]
fn a_quote_the_scan_cannot_place_reads_the_file_in_one_go() {
    // Between two stray quotes, quoted notes that open with a newline: pairing quotes
    // regardless would put their newlines outside quotes and the newlines between them inside.
    for stray in [
        "say \"hi\"",
        "x\"",
        "\"closed\" then more",
        "\"never closed",
    ] {
        let body = rows(40, |i| match i {
            5 | 35 => stray.into(),
            i if i > 5 && i % 2 == 0 => "\"\nsecond line\"".into(),
            _ => String::new(),
        });
        let text = file(&body, "\n", true);
        assert!(plan(&text, 4).is_none(), "{stray}");
        let _ = same_either_way(&text);
    }
}

#[test]
fn a_byte_order_mark_is_read_as_before() {
    let body = rows(30, |_| String::new());
    let text = format!("\u{feff}{}", file(&body, "\n", true));
    assert_splits(&text, 4);
    assert_eq!(same_either_way(&text).expect("valid").len(), 30);
    // A mark at the start of a record is part of its id; no chunk starts there.
    let mut body = body;
    for r in body.iter_mut().skip(1) {
        r.insert(0, '\u{feff}');
    }
    let text = file(&body, "\n", true);
    assert_eq!(same_either_way(&text).expect("valid").len(), 30);
}

#[test]
fn small_inputs_stay_sequential() {
    let text = file(&rows(10, |_| String::new()), "\n", true);
    assert!(text.len() < PARALLEL_MIN_BYTES);
    let fw = builtin();
    let inst = fw.instrument("sentence-management").expect("instrument");
    assert_eq!(parse(fw, inst, FILE, &text), sequential(&text));
}

/// A mistake in a generated row.
#[derive(Debug, Clone)]
enum Fault {
    /// The id of an earlier row (picked by the index).
    Duplicate(prop::sample::Index),
    /// A whitespace-only case id.
    EmptyId,
    /// A cell replaced: (what it was, what it becomes).
    Cell(&'static str, &'static str),
    /// A field too few.
    Ragged,
}

/// One generated row: (its fault, if any, its cells after the id, a blank line before it).
fn arb_row() -> impl Strategy<Value = (Option<Fault>, String, bool)> {
    let attributes = prop_oneof![
        Just("community,N,"),
        Just("licence,N,"),
        Just("licence,Y,4"),
        Just("community,Y,12"),
    ];
    let note = prop_oneof![
        10 => Just(""),
        5 => Just("plain text"),
        3 => Just("\"quoted, with a comma and \"\"quotes\"\"\""),
        5 => Just(MULTILINE),
        3 => Just("\"a\r\nb\rc\n\""),
        2 => Just("\"\""),
        2 => Just("\"\n\n\""),
        2 => Just("\"ends with a quote \"\"\""),
    ];
    let fault = prop_oneof![
        300 => Just(None),
        2 => any::<prop::sample::Index>().prop_map(|i| Some(Fault::Duplicate(i))),
        1 => Just(Some(Fault::EmptyId)),
        1 => Just(Some(Fault::Ragged)),
        1 => Just(Some(Fault::Cell("community", "suspended"))),
        1 => Just(Some(Fault::Cell(",N,", ",Y,"))),
        1 => Just(Some(Fault::Cell(",N,", ",maybe,"))),
        1 => Just(Some(Fault::Cell(ALL_YES, "Y,Maybe,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y"))),
        1 => Just(Some(Fault::Cell(ALL_YES, "Y,Y,Y,,Y,Y,Y,Y,Y,Y,Y,Y"))),
        1 => Just(Some(Fault::Cell(ALL_YES, "NA,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y"))),
    ];
    let blank_before = prop_oneof![20 => Just(false), 1 => Just(true)];
    (fault, attributes, note, blank_before).prop_map(|(fault, attributes, note, blank)| {
        let mut cells = format!("{attributes},sufficient,{note},{ALL_YES}");
        match &fault {
            Some(Fault::Cell(from, to)) => cells = cells.replacen(from, to, 1),
            Some(Fault::Ragged) => cells = cells.replacen(",sufficient", "", 1),
            _ => {}
        }
        (fault, cells, blank)
    })
}

fn arb_file() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(arb_row(), 0..60),
        prop_oneof![Just("\n"), Just("\r\n"), Just("\r")],
        any::<bool>(),
    )
        .prop_map(|(specs, eol, trailing)| {
            let mut body = Vec::with_capacity(specs.len());
            for (i, (fault, cells, blank)) in specs.into_iter().enumerate() {
                let id = match fault {
                    Some(Fault::Duplicate(ix)) if i > 0 => format!("C{}", ix.index(i)),
                    Some(Fault::EmptyId) => " ".to_string(),
                    _ => format!("C{i}"),
                };
                let blank = if blank { eol } else { "" };
                body.push(format!("{blank}{id},{cells}"));
            }
            file(&body, eol, trailing)
        })
}

#[test]
fn the_parallel_parse_equals_the_sequential_one() {
    let mut runner = TestRunner::new(Config {
        cases: 400,
        // A failure prints its shrunk input; there is no source file to save it beside.
        failure_persistence: None,
        ..Config::default()
    });
    let split = std::cell::Cell::new(0);
    let failed = std::cell::Cell::new(0);
    runner
        .run(&arb_file(), |text| {
            let expected = sequential(&text);
            for chunks in [2, 3, 5, 8] {
                prop_assert_eq!(&parse_split(&text, forced(chunks)), &expected);
            }
            if plan(&text, 5).is_some() {
                split.set(split.get() + 1);
            }
            if expected.is_err() {
                failed.set(failed.get() + 1);
            }
            Ok(())
        })
        .expect("parallel parse differs");
    // The generator must exercise both the split and errors.
    assert!(split.get() > 300, "{} split", split.get());
    assert!(
        failed.get() > 100 && failed.get() < 350,
        "{} failed",
        failed.get()
    );
}
