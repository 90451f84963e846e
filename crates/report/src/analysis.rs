//! The report's figures beneath its tables, as the published reports print them: each prompt's
//! "X out of Y relevant cases" under its key question, and each key question broken down by a
//! case attribute (practitioner grade, risk of serious harm level), small groups as counts only.
//! Copied from [`Ratings`]; nothing is computed but wording.

use casework_core::Ratings;
use casework_core::rating::breakdown::shown;
use serde::Serialize;

/// One prompt's figure under its key question.
#[derive(Debug, Clone, Serialize)]
pub struct PromptLine {
    pub id: String,
    pub text: String,
    /// "20 out of 29 relevant cases", or "no relevant cases".
    pub figure: String,
}

/// The prompts beneath key question `key_question`, in framework order.
pub fn prompt_lines(ratings: &Ratings, key_question: &str) -> Vec<PromptLine> {
    ratings
        .prompts
        .iter()
        .filter(|p| p.parent == key_question)
        .map(|p| PromptLine {
            id: p.id.clone(),
            text: p.text.clone(),
            figure: match p.relevant {
                0 => crate::figures::NO_RELEVANT_CASES.to_string(),
                r => format!("{} out of {r} relevant cases", p.yes),
            },
        })
        .collect()
}

/// One breakdown's key questions as a table: a column per group, a row per key question.
#[derive(Debug, Clone, Serialize)]
pub struct BreakdownTable {
    /// "Sentence management case (community order or licence): by practitioner grade".
    pub caption: String,
    /// "Probation officer (43 cases)".
    pub groups: Vec<String>,
    /// (key question id, text, one cell per group as [`shown`] words it).
    pub rows: Vec<(String, String, Vec<String>)>,
}

/// A table per breakdown in `ratings`, key questions only (the workbook has every prompt).
pub fn breakdown_tables(fw: &casework_core::Framework, ratings: &Ratings) -> Vec<BreakdownTable> {
    ratings
        .breakdowns
        .iter()
        .map(|b| BreakdownTable {
            caption: format!(
                "{}: by {}",
                fw.instrument(&b.instrument)
                    .map_or(b.instrument.as_str(), |i| i.label.as_str()),
                b.label.to_lowercase()
            ),
            groups: b
                .groups
                .iter()
                .map(|g| format!("{} ({} cases)", g.label, g.cases))
                .collect(),
            rows: b
                .rows
                .iter()
                .filter(|r| r.kind == "key")
                .map(|r| {
                    let cells = r.cells.iter().map(|&(y, n)| shown(y, n)).collect();
                    (r.question.clone(), r.text.clone(), cells)
                })
                .collect(),
        })
        .collect()
}
