//! One instrument's cases as CSV: one row per case; `case_id`, the instrument's attribute columns,
//! an optional `status` (`in-progress` allows blanks) and `notes` column, then one column per question id holding an answer or blank. This
//! module reads the body, a record at a time or in parallel chunks; `header` reads the header row,
//! `lines` counts lines as an editor shows them, and `input::cells` checks each row.

use std::collections::HashMap;

use crate::answer::Answer;
use crate::case::{CaseRecord, CaseSet};
use crate::framework::{Framework, Instrument};
use crate::text;

use super::cells::{
    AttributeCells, ParsedAttributes, answer_error_kind, case_attributes, check_row, settle,
};
use super::limits::CSV_ROW_MAX_BYTES;
use super::{ErrorKind, InputError};

mod chunks;
mod header;
pub(crate) mod lines;
mod split;

use header::{Role, header_roles};
use lines::LineCounter;
use split::{Split, chunk_plan};

pub use super::cells::attribute_columns;
pub use crate::columns::{
    CASE_ID, MANAGEMENT_OVERSIGHT, NOTES, PROBATION_RESET, RESERVED_COLUMNS, SENTENCE, STATUS,
    WEEKS_BEFORE_SUSPENSION,
};

/// Parses one instrument's CSV text. `file` names it in errors.
///
/// Large inputs (1 MiB and up) are parsed in chunks on all of rayon's threads; the result, and
/// the error if there is one, are exactly those of reading the file front to back. See
/// [`chunk_plan`] for how the text is split and [`Body::parse_chunks`] for how the chunks are put
/// back together.
pub fn parse(
    framework: &Framework,
    instrument: &Instrument,
    file: &str,
    text: &str,
) -> Result<CaseSet, InputError> {
    parse_with(framework, instrument, file, text, Split::standard())
}

fn parse_with(
    framework: &Framework,
    instrument: &Instrument,
    file: &str,
    text: &str,
    split: Split,
) -> Result<CaseSet, InputError> {
    let mut reader = csv_reader(text.as_bytes());
    let headers = reader
        .byte_headers()
        .map_err(|e| {
            syntax(
                file,
                e,
                &mut LineCounter::at(text.as_bytes(), 0),
                text.as_bytes(),
            )
        })?
        .clone();
    let roles = header_roles(framework, instrument, file, &headers)?;
    let body = Body {
        text: text.as_bytes(),
        framework,
        instrument,
        file,
        headers: &headers,
        roles,
        always: instrument
            .questions
            .iter()
            .map(|q| q.applies.is_always())
            .collect(),
    };
    if text.len() >= split.min_input
        && let Some(chunks) = chunk_plan(text, reader.position(), split)
    {
        return body.parse_chunks(text.as_bytes(), &chunks);
    }
    let lines = LineCounter::at(text.as_bytes(), reader.position().byte());
    body.read_rows(
        &mut reader,
        lines,
        text.len() / 64,
        Some(&mut HashMap::new()),
    )
    .into_result()
}

/// The reader every parse uses: a header row, every record as long as the header.
fn csv_reader<R: std::io::Read>(input: R) -> ::csv::Reader<R> {
    ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(input)
}

/// A `csv` reader's own error; `lines` turns its position into the line the file shows.
fn syntax(file: &str, e: ::csv::Error, lines: &mut LineCounter, text: &[u8]) -> InputError {
    let line = e.position().map(|p| lines.line_of(text, p.byte()));
    let mut err = InputError::new(ErrorKind::Syntax, file, format!("not valid CSV: {e}"));
    err.line = line;
    err
}

fn duplicate(file: &str, id: &str, line: u64, first: u64) -> InputError {
    InputError::new(
        ErrorKind::DuplicateCase,
        file,
        format!("duplicate case id '{id}' (first on line {first})"),
    )
    .at_line(line)
    .at_column(CASE_ID)
}

/// What the body of one instrument's CSV is checked against.
struct Body<'a> {
    /// The whole file.
    text: &'a [u8],
    framework: &'a Framework,
    instrument: &'a Instrument,
    file: &'a str,
    headers: &'a ::csv::ByteRecord,
    roles: Vec<Role>,
    /// Per question: it applies to every case (the fast path of [`check_row`]).
    always: Vec<bool>,
}

/// The cases read from a run of the body, up to its first error.
struct Rows {
    set: CaseSet,
    /// Each case's line, in order, when duplicate ids are left to the caller.
    lines: Vec<u64>,
    failure: Option<Failure>,
}

/// The first error of a run, and what putting chunks together needs to know about it.
struct Failure {
    error: InputError,
    /// The `csv` reader's own error, whose message counts records from the start of the file.
    from_csv: bool,
    /// The failed case's id and line when the error came after the duplicate check in its row
    /// (a bad attribute or answer): a repeated id on that record is reported instead.
    checked_id: Option<(String, u64)>,
}

impl Failure {
    fn before_id_check(error: InputError) -> Box<Failure> {
        Box::new(Failure {
            error,
            from_csv: false,
            checked_id: None,
        })
    }
}

impl Rows {
    fn into_result(self) -> Result<CaseSet, InputError> {
        match self.failure {
            Some(f) => Err(f.error),
            None => Ok(self.set),
        }
    }

    /// The ids a front-to-back parse checks for repeats in this run, in order, with their lines:
    /// every case read, then the failed one if it got as far as that check.
    fn checked_ids(&self) -> impl Iterator<Item = (&str, u64)> {
        let failed = self
            .failure
            .as_ref()
            .and_then(|f| f.checked_id.as_ref())
            .map(|(id, line)| (id.as_str(), *line));
        self.set
            .cases()
            .iter()
            .map(|c| c.id.as_str())
            .zip(self.lines.iter().copied())
            .chain(failed)
    }
}

impl Body<'_> {
    /// Reads and checks records until the end or the first error. With `seen`, repeated case ids
    /// are errors here, as they always were; without, they are left to the caller, and each
    /// case's line is kept for it.
    fn read_rows<R: std::io::Read>(
        &self,
        reader: &mut ::csv::Reader<R>,
        mut lines: LineCounter,
        capacity: usize,
        mut seen: Option<&mut HashMap<String, u64>>,
    ) -> Rows {
        let mut rows = Rows {
            set: CaseSet::with_capacity(self.instrument, capacity),
            lines: Vec::new(),
            failure: None,
        };
        if seen.is_none() {
            rows.lines.reserve(capacity);
        }
        let mut answers = vec![Answer::Unanswered; self.instrument.questions.len()];
        let mut record = ::csv::ByteRecord::new();
        loop {
            match reader.read_byte_record(&mut record) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => {
                    rows.failure = Some(Failure {
                        error: syntax(self.file, e, &mut lines, self.text),
                        from_csv: true,
                        checked_id: None,
                    });
                    break;
                }
            }
            let line = record
                .position()
                .map_or(0, |p| lines.line_of(self.text, p.byte()));
            if record.as_slice().len() > CSV_ROW_MAX_BYTES {
                rows.failure = Some(*Failure::before_id_check(
                    InputError::new(
                        ErrorKind::TooLarge,
                        self.file,
                        format!(
                            "the row is {} bytes long; a row may be at most 1 MiB",
                            record.as_slice().len()
                        ),
                    )
                    .at_line(line),
                ));
                break;
            }
            match self.case(&record, line, &mut answers, seen.as_deref_mut()) {
                Ok(case) => {
                    rows.set.push(case, &answers);
                    if seen.is_none() {
                        rows.lines.push(line);
                    }
                }
                Err(failure) => {
                    rows.failure = Some(*failure);
                    break;
                }
            }
        }
        rows
    }

    /// Checks one record (on `line`) and returns its case, its answers left in `row`. `seen`, if
    /// given, holds the ids read so far and the line each is first on.
    fn case(
        &self,
        record: &::csv::ByteRecord,
        line: u64,
        row: &mut [Answer],
        seen: Option<&mut HashMap<String, u64>>,
    ) -> Result<CaseRecord, Box<Failure>> {
        let instrument = self.instrument;
        let file = self.file;
        row.fill(Answer::Unanswered);
        let mut id = "";
        let mut cells = AttributeCells {
            status: None,
            sentence: None,
            reset: None,
            weeks: None,
            oversight: None,
        };
        let mut notes = None;
        let mut declared = std::collections::BTreeMap::new();
        for (ci, (field, role)) in record.iter().zip(&self.roles).enumerate() {
            let cell = std::str::from_utf8(field).map_err(|_| {
                Failure::before_id_check(
                    InputError::new(ErrorKind::Syntax, file, "cell is not valid UTF-8")
                        .at_line(line)
                        .at_column(String::from_utf8_lossy(&self.headers[ci]).into_owned()),
                )
            })?;
            match *role {
                Role::CaseId => id = text::from_spreadsheet(cell.trim()),
                Role::Status => cells.status = Some(cell),
                Role::Sentence => cells.sentence = Some(cell),
                Role::Reset => cells.reset = Some(cell),
                Role::Weeks => cells.weeks = Some(cell),
                Role::Oversight => cells.oversight = Some(cell),
                Role::Declared(ai) => {
                    let attribute = &self.framework.attributes[ai];
                    match attribute.parse(cell) {
                        Ok(Some(value)) => {
                            declared.insert(attribute.id.clone(), value.to_string());
                        }
                        Ok(None) => {}
                        Err(problem) => {
                            return Err(Failure::before_id_check(
                                InputError::new(ErrorKind::BadValue, file, problem)
                                    .at_line(line)
                                    .at_column(attribute.id.clone()),
                            ));
                        }
                    }
                }
                Role::Notes => {
                    let cell = text::from_spreadsheet(cell);
                    if let Err(problem) = text::check_note(cell) {
                        return Err(Failure::before_id_check(
                            InputError::new(
                                ErrorKind::BadValue,
                                file,
                                format!("the note {problem}"),
                            )
                            .at_line(line)
                            .at_column(NOTES),
                        ));
                    }
                    if !cell.trim().is_empty() {
                        notes = Some(cell.to_string());
                    }
                }
                Role::Question(qi) => {
                    row[qi] = Answer::parse(cell).ok_or_else(|| {
                        Failure::before_id_check(
                            InputError::new(
                                ErrorKind::BadValue,
                                file,
                                format!(
                                    "'{}' is not an answer; allowed: {}",
                                    cell.trim(),
                                    Answer::ALLOWED
                                ),
                            )
                            .at_line(line)
                            .at_column(instrument.questions[qi].id.clone()),
                        )
                    })?;
                }
            }
        }
        if let Err(problem) = text::check_case_ref(id) {
            let problem = match problem {
                text::TextProblem::Empty => "empty case id".to_string(),
                other => format!("the case id {other}"),
            };
            return Err(Failure::before_id_check(
                InputError::new(ErrorKind::BadValue, file, problem)
                    .at_line(line)
                    .at_column(CASE_ID),
            ));
        }
        if let Some(seen) = seen {
            if let Some(&first) = seen.get(id) {
                return Err(Failure::before_id_check(duplicate(file, id, line, first)));
            }
            seen.insert(id.to_string(), line);
        }
        let after_id_check = |error| {
            Box::new(Failure {
                error,
                from_csv: false,
                checked_id: Some((id.to_string(), line)),
            })
        };
        let ParsedAttributes {
            declared_status,
            sentence,
            reset_weeks,
            oversight,
        } = case_attributes(instrument, &cells).map_err(|(field, problem)| {
            after_id_check(
                InputError::new(ErrorKind::BadValue, file, format!("case '{id}': {problem}"))
                    .at_line(line)
                    .at_column(field),
            )
        })?;
        let mut case = CaseRecord {
            id: id.to_string(),
            sentence,
            reset_weeks,
            oversight,
            attributes: declared,
            notes,
            ..CaseRecord::default()
        };
        check_row(
            self.framework,
            instrument,
            &self.always,
            &case,
            declared_status,
            row,
        )
        .map_err(|(qi, problem)| {
            after_id_check(
                InputError::new(
                    answer_error_kind(&problem),
                    file,
                    format!("case '{id}': {problem}"),
                )
                .at_line(line)
                .at_column(instrument.questions[qi].id.clone()),
            )
        })?;
        case.status = settle(self.framework, instrument, &case, declared_status, row);
        Ok(case)
    }
}

#[cfg(test)]
mod tests;
