//! The judged rating of each domain-one key question, with the inspectors' rationale: read from a
//! table `key_question,rating,rationale` (the rating by the framework's id or label, `good` or
//! `Good`) or set one at a time ([`set`], the evidence page's form); either is laid over what is
//! kept ([`merge`]), so recording a table never wipes the other key questions' ratings. The standard's own judged
//! rating stays in the inspection (`inspection.toml`'s `[judged]`); no rule derives one from the
//! other. A key question the framework does not ask of a judged standard, a rating not on its
//! scale, a blank rationale or a key question twice: a located error.

use serde::{Deserialize, Serialize};

use super::table::Rows;
use crate::Framework;
use crate::input_error::{ErrorKind, InputError};

/// One key question's judged rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeyQuestionRating {
    /// A judged key question's id (`P1.2.3`).
    pub key_question: String,
    /// A rating id of the framework (`good`).
    pub rating: String,
    pub rationale: String,
}

/// The columns a ratings table must have.
pub const COLUMNS: [&str; 3] = ["key_question", "rating", "rationale"];

/// Reads a table of key question ratings against `fw` for an inspection of `kind` (any kind where
/// `None`; see the module), in framework order.
pub fn read(
    fw: &Framework,
    kind: Option<&str>,
    rows: Rows,
) -> Result<Vec<KeyQuestionRating>, InputError> {
    let (at, locate, rows) = rows.open("key question rating", COLUMNS)?;
    let mut out: Vec<(u64, KeyQuestionRating)> = Vec::new();
    for (line, cells) in rows {
        let cell = |k: usize| cells.get(at[k]).map_or("", |c| c.trim());
        let given = check(fw, kind, cell(0), cell(1), cell(2))
            .map_err(|(column, problem)| locate.at(line, column, problem))?;
        if let Some((first, _)) = out
            .iter()
            .find(|(_, r)| r.key_question == given.key_question)
        {
            return Err(InputError {
                kind: ErrorKind::DuplicateCase,
                ..locate.at(
                    line,
                    "key_question",
                    format!(
                        "'{}' is already rated on {} {first}",
                        given.key_question,
                        locate.place.noun()
                    ),
                )
            });
        }
        out.push((line, given));
    }
    let order = fw.judged_targets();
    out.sort_by_key(|(_, r)| order.iter().position(|t| *t == r.key_question));
    Ok(out.into_iter().map(|(_, r)| r).collect())
}

/// `ratings` with `key_question`'s rating set to `rating` (id or label) and `rationale`,
/// replacing any it had, in framework order. Errors: `(field, problem)` as for a table's cells.
pub fn set(
    fw: &Framework,
    kind: Option<&str>,
    ratings: &[KeyQuestionRating],
    key_question: &str,
    rating: &str,
    rationale: &str,
) -> Result<Vec<KeyQuestionRating>, (&'static str, String)> {
    let given = check(fw, kind, key_question, rating, rationale)?;
    Ok(merge(fw, ratings, vec![given]))
}

/// `given` ratings (a table just read) laid over those already kept: a key question in `given`
/// takes its new rating and rationale, every other keeps its own; in framework order. A ratings
/// table recorded with an inspection adds to what it has, never wiping the others' rationale.
pub fn merge(
    fw: &Framework,
    kept: &[KeyQuestionRating],
    given: Vec<KeyQuestionRating>,
) -> Vec<KeyQuestionRating> {
    let mut out: Vec<KeyQuestionRating> = kept
        .iter()
        .filter(|k| given.iter().all(|g| g.key_question != k.key_question))
        .cloned()
        .collect();
    out.extend(given);
    let order = fw.judged_targets();
    out.sort_by_key(|r| order.iter().position(|t| *t == r.key_question));
    out
}

/// One rating checked against `fw`: `(column, problem)` where it is wrong.
pub(crate) fn check(
    fw: &Framework,
    kind: Option<&str>,
    key_question: &str,
    rating: &str,
    rationale: &str,
) -> Result<KeyQuestionRating, (&'static str, String)> {
    let key_question = key_question.trim();
    let is_key_question = matches!(fw.judged_target(key_question), Some((_, Some(_))));
    if !is_key_question || !super::judged_here(fw, kind, key_question) {
        let asked: Vec<&str> = super::targets_here(fw, kind)
            .into_iter()
            .filter(|t| fw.standard(t).is_none())
            .collect();
        return Err((
            "key_question",
            format!(
                "{} is not a key question of a judged standard of this inspection; asked: {}",
                super::quoted(key_question),
                asked.join(", ")
            ),
        ));
    }
    let rating = rating.trim();
    let Some(def) = fw
        .ratings
        .iter()
        .find(|r| r.id.eq_ignore_ascii_case(rating) || r.label.eq_ignore_ascii_case(rating))
    else {
        let known: Vec<&str> = fw.ratings.iter().map(|r| r.id.as_str()).collect();
        return Err((
            "rating",
            format!(
                "{} is not a rating; allowed: {}",
                super::quoted(rating),
                known.join(", ")
            ),
        ));
    };
    let rationale = rationale.trim();
    crate::text::check_note(rationale).map_err(|p| ("rationale", format!("the rationale {p}")))?;
    if rationale.is_empty() {
        return Err((
            "rationale",
            "the rationale is blank: a judged rating gives its reasons".into(),
        ));
    }
    Ok(KeyQuestionRating {
        key_question: key_question.to_string(),
        rating: def.id.clone(),
        rationale: rationale.to_string(),
    })
}
