//! Surveys (staff; people on probation): a survey tool's per-respondent export (one row per
//! respondent, one column per question) read through a mapping file that names the respondent
//! column, each question's column and its answer scale, and which answers count as agreeing;
//! aggregated at once into counts per question ("agreed always or most of the time: 15 of 20").
//! Only the mapped columns are read; free-text and every other column are never kept, and the
//! respondent ids serve only the duplicate check. Errors name the file, line (or sheet row) and
//! column; nothing is returned on any error.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::table::Rows;
use crate::input_error::{ErrorKind, InputError};

/// How a survey export is read (`survey.toml` beside the export).
///
/// ```toml
/// survey = "staff"                 # the survey's id in figure names: survey.staff.<question>...
/// respondent = "Respondent ID"     # the column that identifies a respondent (never kept)
/// [scales.agreement]
/// values = ["Strongly disagree", "Disagree", "Neither", "Agree", "Strongly agree"]
/// agree = ["Agree", "Strongly agree"]
/// [[questions]]
/// id = "vision"                    # kebab-case, unique
/// column = "Q1"
/// scale = "agreement"
/// standard = "P1.1"                # optional: the domain-one standard or key question it evidences
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyMapping {
    pub survey: String,
    pub respondent: String,
    pub scales: BTreeMap<String, Scale>,
    pub questions: Vec<MappedQuestion>,
}

/// An answer scale: its values in order, and those that count as agreeing (a subset).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scale {
    pub values: Vec<String>,
    pub agree: Vec<String>,
}

/// One question of the mapping.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MappedQuestion {
    pub id: String,
    pub column: String,
    pub scale: String,
    #[serde(default)]
    pub standard: Option<String>,
}

/// A survey's aggregates: what Casework keeps of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SurveyAggregate {
    pub survey: String,
    /// Rows of the export (respondents).
    pub respondents: u64,
    pub questions: Vec<QuestionAggregate>,
}

/// One question's answers, counted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct QuestionAggregate {
    pub id: String,
    pub standard: Option<String>,
    /// Respondents who gave an answer (a blank cell is none).
    pub answered: u64,
    /// Of those, how many gave an answer of the scale's `agree`.
    pub agree: u64,
    /// Each scale value with its count, in the scale's order.
    pub counts: Vec<(String, u64)>,
}

impl SurveyMapping {
    /// Parses and checks a mapping: a kebab-case survey id and unique kebab-case question ids,
    /// every question's scale declared, every scale's `agree` among its values. Errors name the
    /// file.
    pub fn from_toml(text: &str, file: &str) -> Result<SurveyMapping, InputError> {
        let mapping: SurveyMapping = toml::from_str(text)
            .map_err(|e| InputError::new(ErrorKind::Syntax, file, e.message()))?;
        let bad = |problem: String| Err(InputError::new(ErrorKind::Syntax, file, problem));
        if !super::is_id(&mapping.survey) {
            return bad(format!(
                "the survey id '{}' is not a kebab-case id (letters, digits and '-')",
                mapping.survey
            ));
        }
        for (name, scale) in &mapping.scales {
            if scale.values.is_empty() || scale.agree.is_empty() {
                return bad(format!(
                    "scale '{name}' needs its values and the answers among them that agree"
                ));
            }
            if let Some(a) = scale.agree.iter().find(|a| !scale.values.contains(a)) {
                return bad(format!(
                    "scale '{name}': the agreeing answer '{a}' is not one of its values"
                ));
            }
            let twice = scale.values.iter().enumerate().find(|(k, v)| {
                scale.values[..*k]
                    .iter()
                    .any(|w| w.trim().eq_ignore_ascii_case(v.trim()))
            });
            if let Some((_, v)) = twice {
                return bad(format!("scale '{name}' lists the value '{v}' twice"));
            }
            // Each value is kept as a count's label: one line of text, not blank.
            for v in &scale.values {
                if v.trim().is_empty() {
                    return bad(format!("scale '{name}' has a blank value"));
                }
                if let Err(p) = crate::text::check_line(v, crate::text::LINE_MAX_CHARS) {
                    return bad(format!(
                        "scale '{name}': the value {} {p}",
                        super::quoted(v)
                    ));
                }
            }
        }
        if mapping.questions.is_empty() {
            return bad("the mapping names no question ([[questions]])".into());
        }
        let mut seen = Vec::new();
        for q in &mapping.questions {
            if !super::is_id(&q.id) || seen.contains(&&q.id) {
                return bad(format!(
                    "the question id '{}' is not a unique kebab-case id",
                    q.id
                ));
            }
            seen.push(&q.id);
            let shared = mapping
                .questions
                .iter()
                .find(|o| o.id != q.id && o.column.trim().eq_ignore_ascii_case(q.column.trim()));
            if let Some(other) = shared {
                return bad(format!(
                    "questions '{}' and '{}' both read the column '{}'",
                    other.id, q.id, q.column
                ));
            }
            if let Some(standard) = &q.standard {
                super::standard_cell(standard).map_err(|p| {
                    InputError::new(ErrorKind::Syntax, file, format!("question '{}': {p}", q.id))
                })?;
            }
            if !mapping.scales.contains_key(&q.scale) {
                return bad(format!(
                    "question '{}' names the scale '{}', which the mapping does not declare",
                    q.id, q.scale
                ));
            }
        }
        Ok(mapping)
    }
}

/// Reads a survey export's rows through `mapping` and aggregates them. A mapped column not in
/// the header, a blank or repeated respondent id, an answer outside its scale (compared ignoring
/// case and surrounding space), or an export with no respondent: a located error.
pub fn read(mapping: &SurveyMapping, rows: Rows) -> Result<SurveyAggregate, InputError> {
    // A mapped column must be there, once.
    let find = |name: &str| {
        rows.column(name)?.ok_or_else(|| InputError {
            line: Some(1),
            place: rows.place,
            column: Some(name.to_string()),
            ..InputError::new(
                ErrorKind::MissingColumn,
                rows.file.clone(),
                format!("the mapping reads the column '{name}', which the header does not have"),
            )
        })
    };
    let respondent = find(&mapping.respondent)?;
    let mut questions = Vec::new();
    for q in &mapping.questions {
        let scale = &mapping.scales[&q.scale];
        questions.push((find(&q.column)?, scale, vec![0u64; scale.values.len()]));
    }
    let Rows {
        file,
        place,
        header,
        rows,
    } = rows;
    let located = |kind, line: u64, column: &str, problem: String| InputError {
        line: Some(line),
        place,
        column: Some(column.to_string()),
        ..InputError::new(kind, file.clone(), problem)
    };
    let mut seen: HashMap<String, u64> = HashMap::new();
    let mut respondents = 0;
    for (line, cells) in rows {
        let cell = |i: usize| cells.get(i).map_or("", |c| c.trim());
        let id = cell(respondent);
        if id.is_empty() {
            return Err(located(
                ErrorKind::BadValue,
                line,
                &header[respondent],
                "the respondent id is blank".into(),
            ));
        }
        // One respondent, however the id's case is typed.
        if let Some(first) = seen.insert(id.to_lowercase(), line) {
            return Err(located(
                ErrorKind::DuplicateCase,
                line,
                &header[respondent],
                format!(
                    "the respondent '{id}' is already on {} {first}",
                    place.noun()
                ),
            ));
        }
        for (column, scale, counts) in &mut questions {
            let answer = cell(*column);
            if answer.is_empty() {
                continue;
            }
            let v = scale
                .values
                .iter()
                .position(|v| v.trim().eq_ignore_ascii_case(answer))
                .ok_or_else(|| {
                    located(
                        ErrorKind::BadValue,
                        line,
                        &header[*column],
                        format!(
                            "{} is not on the scale; allowed: {} or blank",
                            super::quoted(answer),
                            scale.values.join(", ")
                        ),
                    )
                })?;
            counts[v] += 1;
        }
        respondents += 1;
    }
    if respondents == 0 {
        return Err(InputError::new(
            ErrorKind::Syntax,
            file,
            "the export lists no respondent",
        ));
    }
    let questions = mapping
        .questions
        .iter()
        .zip(questions)
        .map(|(q, (_, scale, counts))| QuestionAggregate {
            id: q.id.clone(),
            standard: q.standard.clone(),
            answered: counts.iter().sum(),
            agree: scale
                .values
                .iter()
                .zip(&counts)
                .filter(|(v, _)| scale.agree.contains(v))
                .map(|(_, n)| n)
                .sum(),
            counts: scale.values.iter().cloned().zip(counts).collect(),
        })
        .collect();
    Ok(SurveyAggregate {
        survey: mapping.survey.clone(),
        respondents,
        questions,
    })
}
