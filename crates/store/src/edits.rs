//! What an edit of a case is: an answer, an evidence note or a case attribute (sentence, Probation
//! Reset, management oversight, or one the framework declares), based on the case version it was made from; the audit log's name
//! for a case; and an audited change told in words. Plain data, which the queue of waiting edits,
//! the batch that applies them and the loaded-inspection cache all name.

use casework_core::Answer;
use casework_core::case::{Oversight, SentenceType};

/// What one edit changes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CaseChange<'a> {
    /// Set a question's answer (`Unanswered` clears it).
    Answer {
        question: &'a str,
        answer: Answer,
    },
    /// Set a question's evidence note (empty clears it).
    Evidence {
        question: &'a str,
        note: &'a str,
    },
    Sentence(Option<SentenceType>),
    /// `Some(weeks)` when Probation Reset applied.
    ResetWeeks(Option<u32>),
    Oversight(Option<Oversight>),
    /// Set a declared attribute (the framework's `[[attributes]]`) to a value id or label, or
    /// clear it (`None`).
    Attribute {
        attribute: &'a str,
        value: Option<&'a str>,
    },
}

/// One edit of one case, based on `expected_version`.
#[derive(Debug, Clone)]
pub struct CaseEdit<'a> {
    pub inspection: &'a str,
    pub instrument: &'a str,
    pub case_ref: &'a str,
    pub change: CaseChange<'a>,
    pub expected_version: i64,
    pub actor: &'a str,
    pub reason: Option<&'a str>,
}

/// One answer edit: set `question` of a case to `answer` (blank clears it), based on `expected_version`.
#[derive(Debug, Clone)]
pub struct AnswerEdit<'a> {
    pub inspection: &'a str,
    pub instrument: &'a str,
    pub case_ref: &'a str,
    pub question: &'a str,
    pub answer: Answer,
    pub expected_version: i64,
    pub actor: &'a str,
    pub reason: Option<&'a str>,
}

/// The audit log's entity name for a case.
pub fn case_entity(instrument: &str, case_ref: &str) -> String {
    format!("case:{instrument}/{case_ref}")
}

/// The declared attributes an audited case change changed, by id in order: (id, value id before,
/// after), `None` where not recorded.
pub fn changed_attributes<'v>(
    before: &'v serde_json::Value,
    after: &'v serde_json::Value,
) -> Vec<(&'v str, Option<&'v str>, Option<&'v str>)> {
    let (was, now) = (&before["attributes"], &after["attributes"]);
    let mut keys: Vec<&String> = was
        .as_object()
        .into_iter()
        .chain(now.as_object())
        .flat_map(|m| m.keys())
        .collect();
    keys.sort();
    keys.dedup();
    keys.into_iter()
        .filter(|key| was[*key] != now[*key])
        .map(|key| (key.as_str(), was[key].as_str(), now[key].as_str()))
        .collect()
}

/// One audited case change in words, from its before and after JSON. Evidence notes are named, not
/// quoted: conflict messages reach logs and terminals.
pub fn describe_change(before: &serde_json::Value, after: &serde_json::Value) -> String {
    let show = |v: &serde_json::Value| match v.as_str() {
        Some("") | None => "blank".to_string(),
        Some(x) => x.to_string(),
    };
    let question = after["question"].as_str().unwrap_or("?");
    if after.get("answer").is_some() {
        format!(
            "{question} {} -> {}",
            show(&before["answer"]),
            show(&after["answer"])
        )
    } else if after.get("evidence").is_some() {
        format!("evidence note on {question} changed")
    } else {
        let mut parts = Vec::new();
        for field in ["sentence", "reset_weeks", "oversight"] {
            if before[field] != after[field] {
                let text = |v: &serde_json::Value| match v {
                    serde_json::Value::Null => "blank".to_string(),
                    serde_json::Value::String(s) => s.clone(),
                    other => other.to_string(),
                };
                parts.push(format!(
                    "{field} {} -> {}",
                    text(&before[field]),
                    text(&after[field])
                ));
            }
        }
        for (key, was, now) in changed_attributes(before, after) {
            let text = |v: Option<&str>| v.unwrap_or("blank").to_string();
            parts.push(format!("{key} {} -> {}", text(was), text(now)));
        }
        if parts.is_empty() {
            "case attributes unchanged".to_string()
        } else {
            parts.join(", ")
        }
    }
}
