//! A published result: what one published inspection report states, figure by figure, with where
//! each figure was read and whether the report stated it or it was derived (issue 18). The one
//! JSON shape researchers hand in and get out (a list of these objects; any field may be absent
//! or null), read with every problem located (`[3].standards[1].key_questions[0].percent_yes`).

use serde::{Deserialize, Serialize};

use crate::input_error::{ErrorKind, InputError};
use crate::text;

/// The longest text field (a title, a unit, a key question's wording), in characters.
pub const TEXT_MAX_CHARS: usize = 1_000;

/// The kinds of unit a published result may describe, as the JSON spells them.
pub const KINDS: [&str; 3] = ["pdu", "region", "crc_or_nps_division"];

/// One published inspection report's figures. Every figure is optional: a partial result (a
/// report read in part, a league table that gives only the score) is checked as far as it goes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedResult {
    /// Where the report was published (a web address), if known.
    #[serde(default)]
    pub source_url: Option<String>,
    /// The file it was read from, for results made by `casework extract`.
    #[serde(default)]
    pub source_file: Option<String>,
    /// The report's title ("An inspection of probation services in: Derby City PDU").
    #[serde(default)]
    pub title: Option<String>,
    /// The inspected unit ("Derby City PDU", "East Midlands region").
    #[serde(default)]
    pub unit: Option<String>,
    /// The region the unit belongs to (a PDU's), or the region itself.
    #[serde(default)]
    pub region: Option<String>,
    /// `pdu`, `region` or `crc_or_nps_division` ([`KINDS`]).
    #[serde(default)]
    pub kind: Option<String>,
    /// The inspection programme: "2018", "2021", "2023" or "2025" (a framework's `programme`).
    #[serde(default)]
    pub programme: Option<String>,
    /// Publication date, ISO (`2025-05-13`), a month (`2025-05`) or a year (`2025`).
    #[serde(default)]
    pub published: Option<String>,
    /// When fieldwork started, ISO, a month or a year.
    #[serde(default)]
    pub fieldwork_started: Option<String>,
    /// The score, in points.
    #[serde(default)]
    pub score: Option<u32>,
    /// The score's stated maximum ("7/21" → 21).
    #[serde(default)]
    pub score_max: Option<u32>,
    /// The overall rating's label ("Requires improvement") or id (`requires-improvement`).
    #[serde(default)]
    pub overall_rating: Option<String>,
    /// Each standard the report rates, in the report's order.
    #[serde(default, deserialize_with = "null_as_empty")]
    pub standards: Vec<PublishedStandard>,
    /// The sample sizes the report states, per instrument (cases).
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_as_empty"
    )]
    pub samples: Vec<PublishedSample>,
    /// Free text: what the person entering the result wants a reader to know.
    #[serde(default)]
    pub notes: Option<String>,
    /// Where each figure was read and whether it was stated or derived; figures with no entry
    /// were entered by hand.
    #[serde(
        default,
        skip_serializing_if = "Vec::is_empty",
        deserialize_with = "null_as_empty"
    )]
    pub provenance: Vec<Provenance>,
}

/// A list that may be given as null ("missing fields null"): null is no entries.
fn null_as_empty<'de, D, T>(deserializer: D) -> Result<Vec<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: Deserialize<'de>,
{
    Ok(Option::<Vec<T>>::deserialize(deserializer)?.unwrap_or_default())
}

/// One standard's published rating and key-question percentages.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedStandard {
    /// The framework's code without spaces ("P2.1", "R1.2", "2.3").
    pub code: String,
    #[serde(default)]
    pub name: Option<String>,
    /// The rating's label or id, or null where the report gives none that could be read.
    #[serde(default)]
    pub rating: Option<String>,
    /// The key questions in the report's order (the framework's order).
    #[serde(default, deserialize_with = "null_as_empty")]
    pub key_questions: Vec<PublishedKeyQuestion>,
}

/// A key question's printed percentage of cases judged "Yes".
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedKeyQuestion {
    #[serde(default)]
    pub text: Option<String>,
    /// Whole per cent, 0 to 100, as printed.
    #[serde(default)]
    pub percent_yes: Option<u32>,
}

/// The sample of one instrument's cases a report states.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PublishedSample {
    /// The framework's instrument id (`sentence-management`, `court-report`, ...).
    pub instrument: String,
    /// Cases inspected.
    #[serde(default)]
    pub cases: Option<u32>,
    /// Of which community sentences.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub community: Option<u32>,
    /// Of which releases on licence.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub licence: Option<u32>,
    /// Of which under Probation Reset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset: Option<u32>,
    /// Of which on the adjusted standards.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub adjusted: Option<u32>,
}

/// Where one figure came from.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Provenance {
    /// The figure's path in the result (`score`, `standards[3].rating`,
    /// `standards[3].key_questions[0].percent_yes`, `samples[0].cases`).
    pub figure: String,
    /// The 1-based line of the source text it was read on.
    #[serde(default)]
    pub line: Option<u64>,
    /// Stated by the report, or derived by arithmetic from stated figures.
    pub how: How,
}

/// Whether a figure was printed in the report or worked out from printed figures.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum How {
    Stated,
    Derived,
}

impl PublishedResult {
    /// A short name for findings and tables: the unit, else the title, else the source, else
    /// "result N" (1-based `index`).
    pub fn label(&self, index: usize) -> String {
        self.unit
            .as_deref()
            .or(self.title.as_deref())
            .or(self.source_file.as_deref())
            .or(self.source_url.as_deref())
            .map(str::to_string)
            .unwrap_or_else(|| format!("result {}", index + 1))
    }

    /// The year the result speaks for: of publication, else of fieldwork.
    pub fn year(&self) -> Option<u32> {
        self.published
            .as_deref()
            .or(self.fieldwork_started.as_deref())
            .and_then(|d| d.get(..4))
            .and_then(|y| y.parse().ok())
    }

    /// A standard's entry by code.
    pub fn standard(&self, code: &str) -> Option<&PublishedStandard> {
        self.standards.iter().find(|s| s.code == code)
    }

    /// Records where `figure` came from.
    pub fn note_source(&mut self, figure: impl Into<String>, line: Option<u64>, how: How) {
        self.provenance.push(Provenance {
            figure: figure.into(),
            line,
            how,
        });
    }
}

/// Reads published results from JSON: a list of result objects, or one object. `file` names the
/// source in errors; each error names the result (`[3]`) and the field.
///
/// # Errors
/// Not JSON, neither a list nor an object, an unknown field, a value of the wrong type, a
/// percentage over 100, a score over its maximum, an unknown kind, a date not in an accepted
/// form, text with control characters or over [`TEXT_MAX_CHARS`].
pub fn from_json(text: &str, file: &str) -> Result<Vec<PublishedResult>, InputError> {
    let value: serde_json::Value = serde_json::from_str(text).map_err(|e| {
        InputError::new(ErrorKind::Syntax, file, format!("not valid JSON: {e}"))
            .at_line(e.line() as u64)
    })?;
    let items = match value {
        serde_json::Value::Array(items) => items,
        object @ serde_json::Value::Object(_) => vec![object],
        _ => {
            return Err(InputError::new(
                ErrorKind::Syntax,
                file,
                "expected a list of published results (or one result object)",
            ));
        }
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            let mut result: PublishedResult = serde_json::from_value(item).map_err(|e| {
                InputError::new(ErrorKind::Syntax, file, e.to_string()).at_column(format!("[{i}]"))
            })?;
            normalise(&mut result)
                .map_err(|(field, problem)| {
                    InputError::new(ErrorKind::BadValue, file, problem)
                        .at_column(format!("[{i}].{field}"))
                })
                .map(|()| result)
        })
        .collect()
}

/// Checks one result's values and puts them in their kept form (trimmed text, ISO dates, no
/// spaces in codes); the error is the field's path and what is wrong.
pub fn normalise(result: &mut PublishedResult) -> Result<(), (String, String)> {
    let texts = [
        ("source_url", &mut result.source_url),
        ("source_file", &mut result.source_file),
        ("title", &mut result.title),
        ("unit", &mut result.unit),
        ("region", &mut result.region),
        ("kind", &mut result.kind),
        ("programme", &mut result.programme),
        ("overall_rating", &mut result.overall_rating),
    ];
    for (field, value) in texts {
        tidy(value).map_err(|p| (field.to_string(), p))?;
    }
    if let Some(notes) = &result.notes {
        text::check_multiline(notes, text::NOTE_MAX_CHARS)
            .map_err(|p| ("notes".to_string(), p.to_string()))?;
    }
    if let Some(kind) = &result.kind
        && !KINDS.contains(&kind.as_str())
    {
        return Err((
            "kind".into(),
            format!(
                "'{kind}' is not a kind; expected one of {}",
                KINDS.join(", ")
            ),
        ));
    }
    for (field, value) in [
        ("published", &mut result.published),
        ("fieldwork_started", &mut result.fieldwork_started),
    ] {
        tidy(value).map_err(|p| (field.to_string(), p))?;
        // A year alone is kept as it is: sources often give no more.
        if let Some(date) = value
            && !(date.len() == 4 && date.bytes().all(|b| b.is_ascii_digit()))
        {
            *date = crate::date::parse(date).map_err(|p| (field.to_string(), p))?;
        }
    }
    if let (Some(score), Some(max)) = (result.score, result.score_max)
        && score > max
    {
        return Err((
            "score".into(),
            format!("a score of {score} is over its maximum {max}"),
        ));
    }
    for (s, standard) in result.standards.iter_mut().enumerate() {
        standard.code.retain(|c| !c.is_whitespace());
        if standard.code.is_empty() {
            return Err((format!("standards[{s}].code"), "no standard code".into()));
        }
        tidy(&mut standard.name).map_err(|p| (format!("standards[{s}].name"), p))?;
        tidy(&mut standard.rating).map_err(|p| (format!("standards[{s}].rating"), p))?;
        for (k, kq) in standard.key_questions.iter_mut().enumerate() {
            let at = format!("standards[{s}].key_questions[{k}]");
            tidy(&mut kq.text).map_err(|p| (format!("{at}.text"), p))?;
            if let Some(p) = kq.percent_yes
                && p > 100
            {
                return Err((
                    format!("{at}.percent_yes"),
                    format!("{p} is not a percentage (0 to 100)"),
                ));
            }
        }
    }
    for (i, sample) in result.samples.iter().enumerate() {
        if sample.instrument.trim().is_empty() {
            return Err((format!("samples[{i}].instrument"), "no instrument".into()));
        }
    }
    Ok(())
}

/// Trims a text field, turns blank into null, and refuses control characters and overlong text.
fn tidy(value: &mut Option<String>) -> Result<(), String> {
    if let Some(text) = value {
        let trimmed = text.trim();
        if trimmed.is_empty() {
            *value = None;
            return Ok(());
        }
        text::check_line(trimmed, TEXT_MAX_CHARS).map_err(|p| p.to_string())?;
        *text = trimmed.to_string();
    }
    Ok(())
}

/// The results as the JSON shape [`from_json`] reads (pretty, one result per list entry).
pub fn to_json(results: &[PublishedResult]) -> String {
    serde_json::to_string_pretty(results).expect("published results serialise")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_issues_shape_with_nulls_and_missing_fields_is_read() {
        let text = r#"[{"source_url": null, "title": "T", "kind": "pdu", "programme": "2021",
            "published": "2022-03", "fieldwork_started": null, "score": 2, "score_max": 27,
            "overall_rating": "Inadequate",
            "standards": [{"code": "2.1", "name": "Assessment", "rating": "Inadequate",
              "key_questions": [{"text": "Q?", "percent_yes": 40}, {"text": null, "percent_yes": null}]}],
            "notes": null}, {}]"#;
        let results = from_json(text, "r.json").expect("reads");
        assert_eq!(results.len(), 2);
        assert_eq!(results[0].score, Some(2));
        assert_eq!(results[0].standards[0].key_questions[1].percent_yes, None);
        assert_eq!(results[1], PublishedResult::default());
        let nulls = from_json(
            r#"{"standards": [{"code": "P2.1", "key_questions": null}], "samples": null, "provenance": null}"#,
            "r.json",
        )
        .expect("null lists are empty lists");
        assert!(nulls[0].samples.is_empty() && nulls[0].standards[0].key_questions.is_empty());
    }

    #[test]
    fn each_error_names_the_result_and_field() {
        let bad = |text: &str| from_json(text, "r.json").expect_err("refused").to_string();
        assert!(bad(r#"[{}, {"scor": 1}]"#).contains("'[1]'"));
        assert!(bad(r#"[{"kind": "prison"}]"#).contains("'[0].kind'"));
        let percent =
            bad(r#"[{"standards": [{"code": "P2.1", "key_questions": [{"percent_yes": 101}]}]}]"#);
        assert!(
            percent.contains("standards[0].key_questions[0].percent_yes"),
            "{percent}"
        );
        assert!(bad(r#"[{"score": 25, "score_max": 24}]"#).contains("over its maximum"));
        assert!(bad(r#"[{"published": "31/31/2024"}]"#).contains("[0].published"));
        assert!(bad(r#"[{"unit": "a\u0007b"}]"#).contains("[0].unit"));
        assert!(bad("3").contains("expected a list"));
    }

    #[test]
    fn codes_lose_their_spaces_and_dates_become_iso() {
        let results = from_json(
            r#"{"published": "05/2025", "standards": [{"code": "P 2.1"}]}"#,
            "r.json",
        )
        .expect("reads");
        assert_eq!(results[0].standards[0].code, "P2.1");
        assert_eq!(results[0].published.as_deref(), Some("2025-05"));
        assert_eq!(results[0].year(), Some(2025));
        let year = from_json(r#"{"published": "2023"}"#, "r.json").expect("a year alone");
        assert_eq!(year[0].published.as_deref(), Some("2023"));
    }
}
