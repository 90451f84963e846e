//! One case's cells checked, for the CSV and JSON readers alike: the attribute columns an instrument
//! carries, attribute cells turned into attributes (sentence, Probation Reset weeks, management
//! oversight), and every answer of a row against the framework's applicability rules.

use crate::answer::Answer;
use crate::case::{
    AnswerProblem, CaseRecord, Oversight, SentenceType, check_answer, parse_reset_weeks,
};
use crate::framework::{Attribute, Framework, Instrument};

use super::ErrorKind;
use crate::columns::{
    CASE_ID, MANAGEMENT_OVERSIGHT, PROBATION_RESET, SENTENCE, WEEKS_BEFORE_SUSPENSION,
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
    pub sentence: Option<&'a str>,
    pub reset: Option<&'a str>,
    pub weeks: Option<&'a str>,
    pub oversight: Option<&'a str>,
}

/// A case's parsed attributes.
pub(crate) struct ParsedAttributes {
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

pub(crate) fn answer_error_kind(p: &AnswerProblem) -> ErrorKind {
    match p {
        AnswerProblem::DoesNotApply => ErrorKind::DoesNotApply,
        AnswerProblem::MissingKeyAnswer => ErrorKind::MissingKeyAnswer,
        AnswerProblem::NotApplicableNotAllowed => ErrorKind::NotApplicableNotAllowed,
    }
}

/// Checks every answer of a row; returns the first offending question index and problem.
pub(crate) fn check_row(
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
