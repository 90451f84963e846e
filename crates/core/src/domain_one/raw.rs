//! The raw evidence files an inspection directory may hold in `domain-one/`, read when the
//! inspection is read and kept as aggregates only: each `NAME.csv` beside a `NAME.toml` is a
//! survey tool's export read through that mapping; `interviews.csv`, `measures.csv`,
//! `documents.csv` and `ratings.csv` are those tables. So a service's files dropped into an
//! inspection directory go in with `casework import`, and an export writes back only what is kept
//! (`domain-one.json`). Evidence of one kind given twice (a survey of the same id, or a table that
//! `domain-one.json` also holds) is refused: which to keep would be a guess.

use super::{Evidence, Rows, SurveyMapping, check_filed};
use crate::Framework;
use crate::input_error::{ErrorKind, InputError};

/// The directory of raw evidence files in an inspection directory.
pub const DIR: &str = "domain-one";

/// The tables read by their file's name (`interviews.csv`, ...).
pub const TABLES: [&str; 4] = ["interviews", "measures", "documents", "ratings"];

/// Reads the table `rows` of a file named `stem` (without `.csv`) as the evidence its name says,
/// a survey where its `mapping` (TOML text, file name) is given, and adds it to `evidence`. Errors
/// are located in the file (or the mapping); a name that is no kind of evidence, evidence
/// `evidence` already holds, or evidence filed against what `fw` does not judge is refused.
pub fn add(
    fw: &Framework,
    kind: Option<&str>,
    evidence: &mut Evidence,
    stem: &str,
    rows: Rows,
    mapping: Option<(&str, &str)>,
) -> Result<(), InputError> {
    let file = rows.file.clone();
    let twice = |what: &str| {
        Err(InputError::new(
            ErrorKind::DuplicateCase,
            file.clone(),
            format!("the inspection already holds {what} (in domain-one.json or another file)"),
        ))
    };
    let mut read = Evidence::default();
    match (stem, mapping) {
        (_, Some((text, name))) => {
            let survey = super::survey::read(&SurveyMapping::from_toml(text, name)?, rows)?;
            if evidence.surveys.iter().any(|s| s.survey == survey.survey) {
                return twice(&format!("the survey '{}'", survey.survey));
            }
            read.surveys.push(survey);
        }
        ("interviews", None) if evidence.interviews.is_empty() => {
            read.interviews = super::interview::read(rows)?;
        }
        ("measures", None) if evidence.measures.is_empty() => {
            read.measures = super::measure::read(rows)?;
        }
        ("documents", None) if evidence.documents.is_empty() => {
            read.documents = super::document::read(rows)?;
        }
        ("ratings", None) if evidence.key_question_ratings.is_empty() => {
            read.key_question_ratings = super::ratings::read(fw, kind, rows)?;
        }
        (table, None) if TABLES.contains(&table) => return twice(&format!("its {table}")),
        (other, None) => {
            return Err(InputError::new(
                ErrorKind::UnknownReference,
                file,
                format!(
                    "'{other}.csv' is no kind of evidence: a survey export needs its mapping beside it ({other}.toml); the tables are {}",
                    TABLES.map(|t| format!("{t}.csv")).join(", ")
                ),
            ));
        }
    }
    check_filed(fw, kind, &file, &read.filed())?;
    evidence.surveys.append(&mut read.surveys);
    evidence.interviews.append(&mut read.interviews);
    evidence.measures.append(&mut read.measures);
    evidence.documents.append(&mut read.documents);
    evidence
        .key_question_ratings
        .append(&mut read.key_question_ratings);
    Ok(())
}
