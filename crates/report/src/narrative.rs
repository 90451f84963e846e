//! The inspectors' text: one Markdown file per section in the inspection's `narrative/` directory,
//! with figures embedded by name (`{{P2.1.keeping-safe}}`), plus `previous-recommendations.toml`.
//!
//! Owns: which files a narrative may hold, replacing placeholders (an unknown name is an error at its
//! file, line and column), and turning Markdown into a small block model that the HTML and PDF
//! renderers both draw. Raw HTML in the text is kept as literal text, so it renders inert.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::error::ReportError;
use crate::figures::Figures;
pub use crate::markdown::{Block, Span};
use crate::markdown::{block_spans, blocks};

pub use casework_core::narrative::{DIR, PREVIOUS, SECTIONS, STANDARD_PARTS, known_sections};

/// Progress on a recommendation from the previous inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Progress {
    SufficientProgress,
    SomeProgress,
    NoProgress,
    NotKnown,
}

impl Progress {
    pub fn label(self) -> &'static str {
        match self {
            Progress::SufficientProgress => "Sufficient progress",
            Progress::SomeProgress => "Some progress",
            Progress::NoProgress => "No progress",
            Progress::NotKnown => "Not known",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum StillRequired {
    #[serde(rename = "yes")]
    Yes,
    #[serde(rename = "no")]
    No,
    #[serde(rename = "n/a")]
    NotApplicable,
}

impl StillRequired {
    pub fn label(self) -> &'static str {
        match self {
            StillRequired::Yes => "Yes",
            StillRequired::No => "No",
            StillRequired::NotApplicable => "N/A",
        }
    }
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PreviousFile {
    #[serde(default)]
    recommendation: Vec<PreviousEntry>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct PreviousEntry {
    text: String,
    progress: Progress,
    improvement_still_required: StillRequired,
    #[serde(default)]
    commentary: String,
}

/// One row of the previous-recommendations table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PreviousRecommendation {
    pub text: Vec<Span>,
    pub progress: &'static str,
    pub improvement_still_required: &'static str,
    pub commentary: Vec<Block>,
}

/// The narrative of one inspection, figures already in place.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Narrative {
    /// Section key (`foreword`, or a standard's code) → its blocks.
    pub sections: BTreeMap<String, Vec<Block>>,
    pub previous: Vec<PreviousRecommendation>,
}

/// A narrative file's name and text, as read from disk (or written by a test).
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
}

/// An inspection's narrative files (as core read or stored them), in name order.
pub fn files_of(inspection: &casework_core::Inspection) -> Vec<SourceFile> {
    inspection
        .narrative
        .iter()
        .map(|(name, text)| SourceFile {
            name: name.clone(),
            text: text.clone(),
        })
        .collect()
}

/// Checks, fills in and parses every narrative file.
pub fn build(
    files: &[SourceFile],
    figures: &Figures,
    known: &[String],
    shown_dir: &str,
) -> Result<Narrative, ReportError> {
    let mut narrative = Narrative::default();
    for file in files {
        let shown = format!("{shown_dir}/{DIR}/{}", file.name);
        if file.name == PREVIOUS {
            narrative.previous = previous(&shown, &file.text, figures)?;
            continue;
        }
        let key = file.name.strip_suffix(".md").unwrap_or("");
        if !known.iter().any(|k| k == key) {
            return Err(ReportError::Narrative {
                file: shown,
                line: None,
                column: None,
                problem: format!(
                    "not a section of this report; narrative files are {PREVIOUS} and, as .md: {}",
                    known.join(", ")
                ),
            });
        }
        let text = substitute(&shown, &file.text, figures)?;
        narrative.sections.insert(key.to_string(), blocks(&text));
    }
    Ok(narrative)
}

fn previous(
    shown: &str,
    text: &str,
    figures: &Figures,
) -> Result<Vec<PreviousRecommendation>, ReportError> {
    let parsed: PreviousFile = toml::from_str(text).map_err(|e| ReportError::Narrative {
        file: shown.to_string(),
        line: e.span().map(|s| line_col(text, s.start).0),
        column: e.span().map(|s| line_col(text, s.start).1),
        problem: e.message().trim().to_string(),
    })?;
    parsed
        .recommendation
        .into_iter()
        .map(|r| {
            let text = substitute(shown, &r.text, figures)?;
            let commentary = substitute(shown, &r.commentary, figures)?;
            Ok(PreviousRecommendation {
                text: blocks(&text).into_iter().flat_map(block_spans).collect(),
                progress: r.progress.label(),
                improvement_still_required: r.improvement_still_required.label(),
                commentary: blocks(&commentary),
            })
        })
        .collect()
}

fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// A placeholder found in text: its byte range and the name inside the braces.
pub(crate) struct Placeholder<'t> {
    pub start: usize,
    pub end: usize,
    pub name: &'t str,
}

/// Every `{{name}}` in `text`, or the offset of one that is not closed on its line.
pub(crate) fn placeholders(text: &str) -> Result<Vec<Placeholder<'_>>, usize> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("{{").map(|i| i + from) {
        let line_end = text[open..].find('\n').map_or(text.len(), |i| i + open);
        let close = text[open + 2..line_end]
            .find("}}")
            .map(|i| i + open + 2)
            .ok_or(open)?;
        out.push(Placeholder {
            start: open,
            end: close + 2,
            name: text[open + 2..close].trim(),
        });
        from = close + 2;
    }
    Ok(out)
}

/// Replaces every placeholder with its figure's text (escaped for Markdown).
pub fn substitute(file: &str, text: &str, figures: &Figures) -> Result<String, ReportError> {
    let located = |offset: usize, problem: String| {
        let (line, column) = line_col(text, offset);
        ReportError::Narrative {
            file: file.to_string(),
            line: Some(line),
            column: Some(column),
            problem,
        }
    };
    let found = placeholders(text)
        .map_err(|at| located(at, "'{{' is not closed by '}}' on the same line".into()))?;
    let mut out = String::with_capacity(text.len());
    let mut last = 0;
    for p in found {
        let figure = figures.get(p.name).ok_or_else(|| {
            let near = figures.near(p.name);
            let hint = if near.is_empty() {
                String::new()
            } else {
                format!(" (names near it: {})", near.join(", "))
            };
            located(p.start, format!("unknown figure '{}'{hint}", p.name))
        })?;
        out.push_str(&text[last..p.start]);
        out.push_str(&escape_markdown(&figure.text));
        last = p.end;
    }
    out.push_str(&text[last..]);
    Ok(out)
}

fn escape_markdown(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        if c.is_ascii_punctuation() && !matches!(c, '%' | '/' | ',' | '.' | '-' | '\'' | ':') {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::figures::Figures;

    #[test]
    fn placeholders_are_located() {
        let figures = Figures::default();
        let err = substitute("f.md", "one\ntwo {{nope}}\n", &figures)
            .expect_err("unknown")
            .to_string();
        assert_eq!(err, "f.md, line 2, column 5: unknown figure 'nope'");
        let err = substitute("f.md", "a {{open\n}}", &figures)
            .expect_err("unclosed")
            .to_string();
        assert!(
            err.starts_with("f.md, line 1, column 3: '{{' is not closed"),
            "{err}"
        );
        assert_eq!(
            substitute("f.md", "no figures", &figures).expect("plain"),
            "no figures"
        );
    }

    #[test]
    fn substituted_text_cannot_become_markdown() {
        assert_eq!(escape_markdown("*Ash* [x](y)"), "\\*Ash\\* \\[x\\]\\(y\\)");
        assert_eq!(escape_markdown("35%"), "35%");
    }
}
