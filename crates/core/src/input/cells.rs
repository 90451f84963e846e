//! One case's cells checked, for the CSV and JSON readers alike: the attribute columns an instrument
//! carries, attribute cells turned into attributes (status, sentence, Probation Reset weeks,
//! management oversight), and every answer of a row against the framework's applicability rules:
//! strictly for a complete case, with blanks allowed for one the file says is in progress.

use crate::answer::Answer;
use crate::case::{
    AnswerProblem, CaseRecord, CaseStatus, Oversight, SentenceType, case_status, check_answer,
    check_answer_in_progress, parse_reset_weeks,
};
use crate::framework::{Attribute, Framework, Instrument};

use super::ErrorKind;
use crate::columns::{
    CASE_ID, MANAGEMENT_OVERSIGHT, PROBATION_RESET, SENTENCE, STATUS, WEEKS_BEFORE_SUSPENSION,
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

/// Parsed attribute cells for one case, shared by the CSV and JSON readers.
pub(crate) struct AttributeCells<'a> {
    pub status: Option<&'a str>,
    pub sentence: Option<&'a str>,
    pub reset: Option<&'a str>,
    pub weeks: Option<&'a str>,
    pub oversight: Option<&'a str>,
}

/// A case's parsed attributes.
pub(crate) struct ParsedAttributes {
    /// What the file says: in progress relaxes the checks; [`settle`] decides the case's status.
    pub declared_status: CaseStatus,
    pub sentence: Option<SentenceType>,
    pub reset_weeks: Option<u32>,
    pub oversight: Option<Oversight>,
}

/// Which attribute field is wrong, and why.
pub(crate) type FieldProblem = (&'static str, String);

/// Builds a case's attributes from its cells, or says which field is wrong.
pub(crate) fn case_attributes(
    instrument: &Instrument,
    cells: &AttributeCells<'_>,
) -> Result<ParsedAttributes, FieldProblem> {
    let has = |a| instrument.attributes.contains(&a);
    let status_cell = cells.status.unwrap_or("");
    let declared_status = CaseStatus::parse(status_cell).ok_or_else(|| {
        (
            STATUS,
            format!(
                "'{}' is not a case status; allowed: {}",
                status_cell.trim(),
                CaseStatus::ALLOWED
            ),
        )
    })?;
    let sentence = if has(Attribute::Sentence) {
        let cell = cells.sentence.unwrap_or("").trim();
        if cell.is_empty() && declared_status == CaseStatus::InProgress {
            None
        } else if cell.is_empty() {
            return Err((
                SENTENCE,
                format!(
                    "no sentence type given; allowed: {} (or blank on a case whose {STATUS} is in-progress)",
                    SentenceType::ALLOWED
                ),
            ));
        } else {
            Some(SentenceType::parse(cell).ok_or_else(|| {
                (
                    SENTENCE,
                    format!(
                        "'{cell}' is not a sentence type; allowed: {}",
                        SentenceType::ALLOWED
                    ),
                )
            })?)
        }
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
        declared_status,
        sentence,
        reset_weeks,
        oversight,
    })
}

pub(crate) fn answer_error_kind(p: &AnswerProblem) -> ErrorKind {
    match p {
        AnswerProblem::DoesNotApply => ErrorKind::DoesNotApply,
        AnswerProblem::MissingKeyAnswer => ErrorKind::MissingKeyAnswer,
        AnswerProblem::NotApplicableNotAllowed => ErrorKind::NotApplicableNotAllowed,
    }
}

/// Checks every answer of a row (blank key answers allowed when the file says the case is in
/// progress); returns the first offending question index and problem.
pub(crate) fn check_row(
    framework: &Framework,
    instrument: &Instrument,
    always: &[bool],
    case: &CaseRecord,
    declared: CaseStatus,
    answers: &[Answer],
) -> Result<(), (usize, AnswerProblem)> {
    let weeks = framework.rules.reset_adjusted_max_weeks;
    let check = match declared {
        CaseStatus::Complete => check_answer,
        CaseStatus::InProgress => check_answer_in_progress,
    };
    for (qi, (question, &answer)) in instrument.questions.iter().zip(answers).enumerate() {
        // Fast path for the common case: an unconditional question answered Y or N.
        if always[qi] && matches!(answer, Answer::Yes | Answer::No) {
            continue;
        }
        check(question, case, answer, weeks).map_err(|p| (qi, p))?;
    }
    Ok(())
}

/// The status a checked row's case takes: complete as declared; declared in progress, whatever
/// core's rule ([`case_status`]) finds (a case with every answer is complete).
pub(crate) fn settle(
    framework: &Framework,
    instrument: &Instrument,
    case: &CaseRecord,
    declared: CaseStatus,
    answers: &[Answer],
) -> CaseStatus {
    match declared {
        CaseStatus::Complete => CaseStatus::Complete,
        CaseStatus::InProgress => case_status(
            instrument,
            case,
            answers,
            framework.rules.reset_adjusted_max_weeks,
        ),
    }
}
