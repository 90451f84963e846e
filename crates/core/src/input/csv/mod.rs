//! One instrument's cases as CSV: one row per case; `case_id`, the instrument's attribute columns,
//! an optional `notes` column, then one column per question id holding Y / N / NA or blank.

use std::collections::HashMap;

use crate::answer::Answer;
use crate::case::{
    AnswerProblem, CaseRecord, CaseSet, Oversight, SentenceType, check_answer, parse_reset_weeks,
};
use crate::framework::{Attribute, Framework, Instrument, QuestionKind};
use crate::text;

use super::limits::CSV_ROW_MAX_BYTES;
use super::{ErrorKind, InputError};

mod chunks;
mod split;

use split::{Split, chunk_plan, count_newlines};

pub use crate::columns::{
    CASE_ID, MANAGEMENT_OVERSIGHT, NOTES, PROBATION_RESET, RESERVED_COLUMNS, SENTENCE,
    WEEKS_BEFORE_SUSPENSION,
};

/// The attribute columns an instrument's CSV carries, in order.
pub fn attribute_columns(instrument: &Instrument) -> Vec<&'static str> {
    let mut cols = vec![CASE_ID];
    for attr in &instrument.attributes {
        match attr {
            Attribute::Sentence => cols.push(SENTENCE),
            Attribute::ProbationReset => cols.extend([PROBATION_RESET, WEEKS_BEFORE_SUSPENSION]),
            Attribute::ManagementOversight => cols.push(MANAGEMENT_OVERSIGHT),
        }
    }
    cols
}

#[derive(Clone, Copy)]
enum Role {
    CaseId,
    Sentence,
    Reset,
    Weeks,
    Oversight,
    Notes,
    Question(usize),
}

/// Parsed attribute cells for one case, shared by the CSV and JSON readers.
pub(super) struct AttributeCells<'a> {
    pub sentence: Option<&'a str>,
    pub reset: Option<&'a str>,
    pub weeks: Option<&'a str>,
    pub oversight: Option<&'a str>,
}

/// A case's parsed attributes.
pub(super) struct ParsedAttributes {
    pub sentence: Option<SentenceType>,
    pub reset_weeks: Option<u32>,
    pub oversight: Option<Oversight>,
}

/// Which attribute field is wrong, and why.
pub(super) type FieldProblem = (&'static str, String);

/// Builds a case's attributes from its cells, or says which field is wrong.
pub(super) fn case_attributes(
    instrument: &Instrument,
    cells: &AttributeCells<'_>,
) -> Result<ParsedAttributes, FieldProblem> {
    let has = |a| instrument.attributes.contains(&a);
    let sentence = if has(Attribute::Sentence) {
        let cell = cells.sentence.unwrap_or("").trim();
        if cell.is_empty() {
            return Err((
                SENTENCE,
                format!("no sentence type given; allowed: {}", SentenceType::ALLOWED),
            ));
        }
        Some(SentenceType::parse(cell).ok_or_else(|| {
            (
                SENTENCE,
                format!(
                    "'{cell}' is not a sentence type; allowed: {}",
                    SentenceType::ALLOWED
                ),
            )
        })?)
    } else {
        None
    };
    let reset_weeks = if has(Attribute::ProbationReset) {
        let reset = cells.reset.unwrap_or("").trim();
        let weeks = cells.weeks.unwrap_or("").trim();
        let is_reset = match reset {
            "" => false,
            r => match Answer::parse(r) {
                Some(Answer::Yes) => true,
                Some(Answer::No) => false,
                _ => {
                    return Err((
                        PROBATION_RESET,
                        format!("'{r}' is not allowed; allowed: Y or Yes, N or No, or blank (no)"),
                    ));
                }
            },
        };
        match (is_reset, weeks) {
            (false, "") => None,
            (false, w) => {
                return Err((
                    WEEKS_BEFORE_SUSPENSION,
                    format!(
                        "'{w}' given but {PROBATION_RESET} is not Y; give weeks only for Probation Reset cases"
                    ),
                ));
            }
            (true, "") => {
                return Err((
                    WEEKS_BEFORE_SUSPENSION,
                    "Probation Reset case without weeks before suspension; give a whole number of weeks"
                        .to_string(),
                ));
            }
            (true, w) => Some(parse_reset_weeks(w).map_err(|p| (WEEKS_BEFORE_SUSPENSION, p))?),
        }
    } else {
        None
    };
    let oversight = if has(Attribute::ManagementOversight) {
        match cells.oversight.unwrap_or("").trim() {
            "" => None,
            cell => Some(Oversight::parse(cell).ok_or_else(|| {
                (
                    MANAGEMENT_OVERSIGHT,
                    format!(
                        "'{cell}' is not allowed; allowed: {} or blank",
                        Oversight::ALLOWED
                    ),
                )
            })?),
        }
    } else {
        None
    };
    Ok(ParsedAttributes {
        sentence,
        reset_weeks,
        oversight,
    })
}

pub(super) fn answer_error_kind(p: &AnswerProblem) -> ErrorKind {
    match p {
        AnswerProblem::DoesNotApply => ErrorKind::DoesNotApply,
        AnswerProblem::MissingKeyAnswer => ErrorKind::MissingKeyAnswer,
        AnswerProblem::NotApplicableNotAllowed => ErrorKind::NotApplicableNotAllowed,
    }
}

/// Checks every answer of a row; returns the first offending question index and problem.
pub(super) fn check_row(
    framework: &Framework,
    instrument: &Instrument,
    always: &[bool],
    case: &CaseRecord,
    answers: &[Answer],
) -> Result<(), (usize, AnswerProblem)> {
    let weeks = framework.rules.reset_adjusted_max_weeks;
    for (qi, (question, &answer)) in instrument.questions.iter().zip(answers).enumerate() {
        // Fast path for the common case: an unconditional question answered Y or N.
        if always[qi] && matches!(answer, Answer::Yes | Answer::No) {
            continue;
        }
        check_answer(question, case, answer, weeks).map_err(|p| (qi, p))?;
    }
    Ok(())
}

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
    let roles = header_roles(instrument, file, &headers)?;
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

/// The line a record is on as an editor shows the file, counted from its byte offset. The `csv`
/// crate's own line count leaves out the blank lines it skips, and a record's position is where
/// those blank lines began (or, after a CRLF, the line feed the record before left). Records are
/// read in order, so counting carries on from the last record: one pass over the text in all.
#[derive(Debug, Clone, Copy)]
pub(super) struct LineCounter {
    /// A byte offset that begins a line, or the start of the text.
    byte: usize,
    /// Its line, 1-based.
    line: u64,
}

impl LineCounter {
    /// A counter standing at `byte` of `text`, counting the lines before it.
    pub(super) fn at(text: &[u8], byte: u64) -> LineCounter {
        let byte = usize::try_from(byte).unwrap_or(text.len()).min(text.len());
        LineCounter {
            byte,
            line: 1 + count_newlines(&text[..byte]),
        }
    }

    /// A counter for a chunk that starts at `byte`, known to be on `line`.
    pub(super) fn starting(byte: u64, line: u64) -> LineCounter {
        LineCounter {
            byte: usize::try_from(byte).unwrap_or(usize::MAX),
            line,
        }
    }

    /// The line of the record whose position is `byte` (at or after the last one asked about).
    pub(super) fn line_of(&mut self, text: &[u8], byte: u64) -> u64 {
        let mut at = usize::try_from(byte).unwrap_or(text.len()).min(text.len());
        while matches!(text.get(at), Some(b'\r' | b'\n')) {
            at += 1;
        }
        if at >= self.byte {
            self.line += count_newlines(&text[self.byte..at]);
            self.byte = at;
            self.line
        } else {
            // Asked out of order (an error's position before the last record): count afresh.
            1 + count_newlines(&text[..at])
        }
    }
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
            sentence: None,
            reset: None,
            weeks: None,
            oversight: None,
        };
        let mut notes = None;
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
                Role::Sentence => cells.sentence = Some(cell),
                Role::Reset => cells.reset = Some(cell),
                Role::Weeks => cells.weeks = Some(cell),
                Role::Oversight => cells.oversight = Some(cell),
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
        let case = CaseRecord {
            id: id.to_string(),
            sentence,
            reset_weeks,
            oversight,
            notes,
        };
        check_row(self.framework, instrument, &self.always, &case, row).map_err(
            |(qi, problem)| {
                after_id_check(
                    InputError::new(
                        answer_error_kind(&problem),
                        file,
                        format!("case '{id}': {problem}"),
                    )
                    .at_line(line)
                    .at_column(instrument.questions[qi].id.clone()),
                )
            },
        )?;
        Ok(case)
    }
}

fn header_roles(
    instrument: &Instrument,
    file: &str,
    headers: &::csv::ByteRecord,
) -> Result<Vec<Role>, InputError> {
    let question_index: HashMap<&str, usize> = instrument
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.id.as_str(), i))
        .collect();
    let allowed_attrs = attribute_columns(instrument);
    let mut roles = Vec::with_capacity(headers.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (ci, raw) in headers.iter().enumerate() {
        let name = String::from_utf8_lossy(raw).trim().to_string();
        if let Some(first) = seen.insert(name.clone(), ci + 1) {
            return Err(InputError::new(
                ErrorKind::Syntax,
                file,
                format!(
                    "column '{name}' appears twice (columns {first} and {})",
                    ci + 1
                ),
            )
            .at_line(1)
            .at_column(name));
        }
        let role = match name.as_str() {
            CASE_ID => Role::CaseId,
            NOTES => Role::Notes,
            n if allowed_attrs.contains(&n) => match n {
                SENTENCE => Role::Sentence,
                PROBATION_RESET => Role::Reset,
                WEEKS_BEFORE_SUSPENSION => Role::Weeks,
                _ => Role::Oversight,
            },
            n => match question_index.get(n) {
                Some(&qi) => Role::Question(qi),
                None => {
                    let hint = if RESERVED_COLUMNS.contains(&n) {
                        format!("instrument '{}' does not record '{n}'", instrument.id)
                    } else {
                        format!(
                            "not a question of instrument '{}' nor a case attribute; allowed columns: {}, and question ids such as {}",
                            instrument.id,
                            allowed_attrs.join(", "),
                            instrument
                                .questions
                                .iter()
                                .take(3)
                                .map(|q| q.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    };
                    return Err(InputError::new(
                        ErrorKind::UnknownColumn,
                        file,
                        format!("unknown column '{n}': {hint}"),
                    )
                    .at_line(1)
                    .at_column(n.to_string()));
                }
            },
        };
        roles.push(role);
    }
    let mut required: Vec<&str> = vec![CASE_ID];
    if instrument.attributes.contains(&Attribute::Sentence) {
        required.push(SENTENCE);
    }
    required.extend(
        instrument
            .questions
            .iter()
            .filter(|q| q.kind == QuestionKind::Key)
            .map(|q| q.id.as_str()),
    );
    for name in required {
        if !seen.contains_key(name) {
            return Err(InputError::new(
                ErrorKind::MissingColumn,
                file,
                format!("missing required column '{name}'"),
            )
            .at_line(1)
            .at_column(name));
        }
    }
    Ok(roles)
}

#[cfg(test)]
mod tests;
