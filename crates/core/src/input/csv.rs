//! One instrument's cases as CSV: one row per case; `case_id`, the instrument's attribute columns,
//! an optional `notes` column, then one column per question id holding Y / N / NA or blank.

use std::collections::HashMap;

use crate::answer::Answer;
use crate::case::{AnswerProblem, CaseRecord, CaseSet, Oversight, SentenceType, check_answer};
use crate::framework::{Attribute, Framework, Instrument, QuestionKind};

use super::{ErrorKind, InputError};

pub const CASE_ID: &str = "case_id";
pub const SENTENCE: &str = "sentence";
pub const PROBATION_RESET: &str = "probation_reset";
pub const WEEKS_BEFORE_SUSPENSION: &str = "weeks_before_suspension";
pub const MANAGEMENT_OVERSIGHT: &str = "management_oversight";
pub const NOTES: &str = "notes";

/// Column names that are case attributes, never question ids.
pub const RESERVED_COLUMNS: &[&str] = &[
    CASE_ID,
    SENTENCE,
    PROBATION_RESET,
    WEEKS_BEFORE_SUSPENSION,
    MANAGEMENT_OVERSIGHT,
    NOTES,
];

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
                        format!("'{r}' is not allowed; allowed: Y, N or blank (no)"),
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
            (true, w) => Some(w.parse::<u32>().map_err(|_| {
                (
                    WEEKS_BEFORE_SUSPENSION,
                    format!("'{w}' is not a whole number of weeks"),
                )
            })?),
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
pub fn parse(
    framework: &Framework,
    instrument: &Instrument,
    file: &str,
    text: &str,
) -> Result<CaseSet, InputError> {
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(true)
        .flexible(false)
        .from_reader(text.as_bytes());
    let syntax = |e: ::csv::Error| {
        let line = e.position().map(|p| p.line());
        let mut err = InputError::new(ErrorKind::Syntax, file, format!("not valid CSV: {e}"));
        err.line = line;
        err
    };
    let headers = reader.byte_headers().map_err(syntax)?.clone();
    let roles = header_roles(instrument, file, &headers)?;
    let always: Vec<bool> = instrument
        .questions
        .iter()
        .map(|q| q.applies.is_always())
        .collect();

    let mut set = CaseSet::with_capacity(instrument, text.len() / 64);
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut row = vec![Answer::Unanswered; instrument.questions.len()];
    let mut record = ::csv::ByteRecord::new();
    while reader.read_byte_record(&mut record).map_err(syntax)? {
        let line = record.position().map_or(0, |p| p.line());
        row.fill(Answer::Unanswered);
        let mut id = "";
        let mut cells = AttributeCells {
            sentence: None,
            reset: None,
            weeks: None,
            oversight: None,
        };
        let mut notes = None;
        for (ci, (field, role)) in record.iter().zip(&roles).enumerate() {
            let cell = std::str::from_utf8(field).map_err(|_| {
                InputError::new(ErrorKind::Syntax, file, "cell is not valid UTF-8")
                    .at_line(line)
                    .at_column(String::from_utf8_lossy(&headers[ci]).into_owned())
            })?;
            match *role {
                Role::CaseId => id = cell.trim(),
                Role::Sentence => cells.sentence = Some(cell),
                Role::Reset => cells.reset = Some(cell),
                Role::Weeks => cells.weeks = Some(cell),
                Role::Oversight => cells.oversight = Some(cell),
                Role::Notes => {
                    if !cell.trim().is_empty() {
                        notes = Some(cell.to_string());
                    }
                }
                Role::Question(qi) => {
                    row[qi] = Answer::parse(cell).ok_or_else(|| {
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
                        .at_column(instrument.questions[qi].id.clone())
                    })?;
                }
            }
        }
        if id.is_empty() {
            return Err(InputError::new(ErrorKind::BadValue, file, "empty case id")
                .at_line(line)
                .at_column(CASE_ID));
        }
        if let Some(first) = seen.get(id) {
            return Err(InputError::new(
                ErrorKind::DuplicateCase,
                file,
                format!("duplicate case id '{id}' (first on line {first})"),
            )
            .at_line(line)
            .at_column(CASE_ID));
        }
        seen.insert(id.to_string(), line);
        let ParsedAttributes {
            sentence,
            reset_weeks,
            oversight,
        } = case_attributes(instrument, &cells).map_err(|(field, problem)| {
            InputError::new(ErrorKind::BadValue, file, format!("case '{id}': {problem}"))
                .at_line(line)
                .at_column(field)
        })?;
        let case = CaseRecord {
            id: id.to_string(),
            sentence,
            reset_weeks,
            oversight,
            notes,
        };
        check_row(framework, instrument, &always, &case, &row).map_err(|(qi, problem)| {
            InputError::new(
                answer_error_kind(&problem),
                file,
                format!("case '{id}': {problem}"),
            )
            .at_line(line)
            .at_column(instrument.questions[qi].id.clone())
        })?;
        set.push(case, &row);
    }
    Ok(set)
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
