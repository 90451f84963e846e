//! A case's history, from the audit log, in words, newest first: each change as people say it
//! ("P2.1.1 Is the assessment ...?: Yes → No", "Sentence: licence → community", "Practitioner
//! grade: PO → PSO"), the note of an evidence change named, never quoted.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Html;
use axum::routing::get;
use casework_core::Framework;
use casework_core::framework::Instrument;
use casework_store::{case_entity, changed_attributes, describe_change};
use serde::Serialize;
use serde_json::Value;

use crate::access::Need;
use crate::auth::SignedIn;
use crate::error::PageError;
use crate::links::case_href;
use crate::state::AppState;
use crate::views::{ctx, parse_pair, render};

use super::me;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route(
        "/inspections/{slug}/cases/{instrument}/{case_ref}/history",
        get(history),
    )
}

#[derive(Serialize)]
struct HistoryRow {
    at: String,
    actor: String,
    what: String,
    reason: String,
}

async fn history(
    State(state): State<AppState>,
    who: SignedIn,
    Path((slug, instrument, case_ref)): Path<(String, String, String)>,
) -> Result<Html<String>, PageError> {
    // Existence (404) and the rules of review before anything is shown.
    state
        .authorize_case(&who, &slug, &instrument, &case_ref, Need::ReadCases)
        .await?;
    let fw = state.store.framework_of(&slug).await?;
    let label = fw
        .instrument(&instrument)
        .map(|i| i.label.clone())
        .unwrap_or_default();
    let info = state.store.stored(&slug).await?;
    let inst = fw.instrument(&instrument);
    let entries: Vec<HistoryRow> = state
        .store
        .audit_history(&slug, &case_entity(&instrument, &case_ref))
        .await?
        .iter()
        .rev()
        .map(|e| {
            let (before, after) = parse_pair(e);
            HistoryRow {
                // To the second, as people read it: 2026-11-23 10:04:05.
                at: e.at.get(..19).unwrap_or(&e.at).replacen('T', " ", 1),
                actor: e.actor.clone(),
                what: in_words(&fw, inst, &before, &after),
                reason: e.reason.clone().unwrap_or_default(),
            }
        })
        .collect();
    Ok(Html(render(
        "history.html",
        ctx! {
            title => format!("History of case {case_ref}"), me => me(&who), csrf => &who.csrf,
            errors => (), slug => &slug, unit => &info.unit, case_ref => &case_ref,
            instrument_label => label, case_href => case_href(&slug, &instrument, &case_ref),
            entries => entries,
        },
    )?))
}

/// An answer code as people say it.
fn answer_words(v: &Value) -> &str {
    match v.as_str() {
        Some("Y") => "Yes",
        Some("N") => "No",
        Some("NA") => "Not applicable",
        Some("") | None => "blank",
        Some(other) => other,
    }
}

/// One audited change of a case in words, from its before and after (as the store records them):
/// questions by their id and text, attributes by their label and values' labels. What the store's
/// own description ([`describe_change`]) says is the fallback for anything else.
fn in_words(
    fw: &Framework,
    instrument: Option<&Instrument>,
    before: &Value,
    after: &Value,
) -> String {
    let question = after["question"].as_str().unwrap_or("?");
    let question_text = instrument
        .and_then(|i| i.questions.iter().find(|q| q.id == question))
        .map_or(question.to_string(), |q| format!("{question} {}", q.text));
    if after.get("answer").is_some() {
        return format!(
            "{question_text}: {} \u{2192} {}",
            answer_words(&before["answer"]),
            answer_words(&after["answer"])
        );
    }
    if after.get("evidence").is_some() {
        return format!("Evidence note on {question_text} changed");
    }
    let text = |v: &Value| match v {
        Value::Null => "blank".to_string(),
        Value::String(s) if s.is_empty() => "blank".to_string(),
        Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    let mut parts = Vec::new();
    for (field, label) in [
        ("sentence", "Sentence"),
        ("reset_weeks", "Weeks supervised before Probation Reset"),
        ("oversight", "Management oversight"),
    ] {
        if before[field] != after[field] {
            parts.push(format!(
                "{label}: {} \u{2192} {}",
                text(&before[field]),
                text(&after[field])
            ));
        }
    }
    for (key, was, now) in changed_attributes(before, after) {
        let attribute = fw.attribute(key);
        let value = |v: Option<&str>| match (v, attribute) {
            (Some(id), Some(a)) => a
                .values
                .iter()
                .find(|x| x.id == id)
                .map_or(id.to_string(), |x| x.label.clone()),
            (Some(id), None) => id.to_string(),
            (None, _) => "blank".to_string(),
        };
        let label = attribute.map_or(key, |a| a.label.as_str());
        parts.push(format!("{label}: {} \u{2192} {}", value(was), value(now)));
    }
    if parts.is_empty() {
        describe_change(before, after)
    } else {
        parts.join("; ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use casework_core::framework::builtin;
    use serde_json::json;

    #[test]
    fn changes_are_told_in_words() {
        let fw = builtin();
        let inst = fw.instrument("sentence-management");
        let q = &inst.expect("instrument").questions[0];
        let said = in_words(
            fw,
            inst,
            &json!({"question": q.id, "answer": "Y"}),
            &json!({"question": q.id, "answer": "N"}),
        );
        assert_eq!(said, format!("{} {}: Yes \u{2192} No", q.id, q.text));
        let said = in_words(
            fw,
            inst,
            &json!({"sentence": "licence", "attributes": {"grade": "po"}}),
            &json!({"sentence": "community", "attributes": {"grade": "pso"}}),
        );
        let grade = fw.attribute("grade").expect("grade");
        let label = |id: &str| {
            grade
                .values
                .iter()
                .find(|v| v.id == id)
                .expect("value")
                .label
                .clone()
        };
        assert_eq!(
            said,
            format!(
                "Sentence: licence \u{2192} community; {}: {} \u{2192} {}",
                grade.label,
                label("po"),
                label("pso")
            )
        );
        let said = in_words(
            fw,
            inst,
            &json!({"question": q.id}),
            &json!({"question": q.id, "evidence": "secret"}),
        );
        assert!(
            !said.contains("secret") && said.starts_with("Evidence note on"),
            "{said}"
        );
    }
}
