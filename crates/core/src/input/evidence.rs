//! Evidence notes in files: `evidence.csv` beside the instrument files (and the `evidence` sheet of
//! a workbook), one row per note with the columns `instrument`, `case_id`, `question`, `note`. Notes
//! are personal data: read into their cases, written back out, never shown in an error.

use std::collections::HashMap;

use crate::case::CaseSet;
use crate::columns::CASE_ID;
use crate::framework::Framework;
use crate::text;

use super::csv::lines::LineCounter;
use super::{ErrorKind, InputError};

/// The evidence file of an inspection directory.
pub const FILE: &str = "evidence.csv";
/// Its columns, in order.
pub const COLUMNS: [&str; 4] = ["instrument", CASE_ID, "question", "note"];

/// Reads `text` (the evidence file, named `file` in errors) into the cases of `sets`: each note on
/// its case's `evidence`. Every row names an instrument with cases here, one of its cases and one
/// of its questions; a blank note is no note; a note given twice is an error at its line.
pub fn read(
    fw: &Framework,
    sets: &mut [CaseSet],
    file: &str,
    text: &str,
) -> Result<(), InputError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let mut lines = LineCounter::at(text.as_bytes(), 0);
    let syntax = |e: ::csv::Error, lines: &mut LineCounter| {
        let mut err = InputError::new(ErrorKind::Syntax, file, format!("not valid CSV: {e}"));
        err.line = e
            .position()
            .map(|p| lines.line_of(text.as_bytes(), p.byte()));
        err
    };
    let header = reader.headers().map_err(|e| syntax(e, &mut lines))?.clone();
    let names: Vec<&str> = header.iter().map(str::trim).collect();
    if names != COLUMNS {
        return Err(InputError::new(
            ErrorKind::Syntax,
            file,
            format!(
                "the columns are '{}'; an evidence file has exactly: {}",
                names.join(","),
                COLUMNS.join(",")
            ),
        )
        .at_line(1));
    }
    let index: HashMap<String, usize> = sets
        .iter()
        .enumerate()
        .map(|(i, s)| (s.instrument.clone(), i))
        .collect();
    let known: Vec<String> = sets.iter().map(|s| s.instrument.clone()).collect();
    let cases: Vec<HashMap<String, usize>> = sets
        .iter()
        .map(|s| {
            s.cases()
                .iter()
                .enumerate()
                .map(|(i, c)| (c.id.clone(), i))
                .collect()
        })
        .collect();
    let mut record = ::csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(syntax(e, &mut lines)),
        }
        let line = record
            .position()
            .map_or(0, |p| lines.line_of(text.as_bytes(), p.byte()));
        let at = |column: &str, kind, problem: String| {
            InputError::new(kind, file, problem)
                .at_line(line)
                .at_column(column.to_string())
        };
        let instrument_id = record[0].trim();
        let case_ref = text::from_spreadsheet(record[1].trim());
        let question = record[2].trim();
        let note = text::from_spreadsheet(&record[3]);
        let Some(&si) = index.get(instrument_id) else {
            return Err(at(
                COLUMNS[0],
                ErrorKind::UnknownReference,
                format!(
                    "'{instrument_id}' is not an instrument with cases in this inspection; here: {}",
                    known.join(", ")
                ),
            ));
        };
        let Some(&ci) = cases[si].get(case_ref) else {
            return Err(at(
                CASE_ID,
                ErrorKind::UnknownReference,
                format!("no case '{case_ref}' on instrument '{instrument_id}'"),
            ));
        };
        let instrument = fw
            .instrument(instrument_id)
            .expect("case sets are built from the framework's instruments");
        if !instrument.questions.iter().any(|q| q.id == question) {
            return Err(at(
                COLUMNS[2],
                ErrorKind::UnknownReference,
                format!("'{question}' is not a question of instrument '{instrument_id}'"),
            ));
        }
        if let Err(problem) = text::check_note(note) {
            return Err(at(
                COLUMNS[3],
                ErrorKind::BadValue,
                format!("the note {problem}"),
            ));
        }
        if note.trim().is_empty() {
            continue;
        }
        let evidence = &mut sets[si].case_mut(ci).evidence;
        if evidence.contains_key(question) {
            return Err(at(
                COLUMNS[2],
                ErrorKind::DuplicateCase,
                format!("a second note for case '{case_ref}', question '{question}'"),
            ));
        }
        evidence.insert(question.to_string(), note.to_string());
    }
    Ok(())
}

/// The evidence file's text for `sets`, or `None` when no case has a note. Rows follow the
/// instruments, cases and questions in framework order; cells a spreadsheet would run are written
/// as text ([`text::to_spreadsheet`]), which [`read`] undoes.
pub fn write(fw: &Framework, sets: &[CaseSet]) -> Option<String> {
    if sets
        .iter()
        .all(|s| s.cases().iter().all(|c| c.evidence.is_empty()))
    {
        return None;
    }
    let mut out = ::csv::WriterBuilder::new().from_writer(Vec::new());
    out.write_record(COLUMNS).expect("writing to memory");
    for set in sets {
        let Some(instrument) = fw.instrument(&set.instrument) else {
            continue;
        };
        for case in set.cases() {
            for question in &instrument.questions {
                if let Some(note) = case.evidence.get(&question.id) {
                    out.write_record([
                        set.instrument.as_str(),
                        &text::to_spreadsheet(&case.id),
                        question.id.as_str(),
                        &text::to_spreadsheet(note),
                    ])
                    .expect("writing to memory");
                }
            }
        }
    }
    Some(String::from_utf8(out.into_inner().expect("writing to memory")).expect("UTF-8 text"))
}
