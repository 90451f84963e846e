//! Blind second marking (issue 19): a QA reviewer marks a case drawn for QA without seeing its
//! answers or evidence notes (the form shows the case's attributes, which decide what applies, and
//! every question blank); once recorded, the case's own answers become visible to them and the
//! disagreements appear on the QA page. The store refuses a case not drawn, one already marked,
//! and the reviewer's own case, naming the case and question.

use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use casework_core::framework::QuestionKind;
use casework_core::{Answer, SentenceType};
use casework_store::Drawn;
use serde::Serialize;

use crate::access::Need;
use crate::auth::SignedIn;
use crate::error::{PageError, WebError};
use crate::state::AppState;
use crate::views::{ctx, render};

use super::quality::qa_href;
use super::{FieldError, me};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route(
        "/inspections/{slug}/qa/mark/{instrument}/{case_ref}",
        get(form).post(record),
    )
}

#[derive(Serialize)]
struct MarkQuestion {
    id: String,
    dom: String,
    text: String,
    key: bool,
    /// The reviewer's answer as posted (kept when the form is refused).
    value: String,
}

/// The inspection whose QA page lists the case's sample (a region's, for a sample drawn across
/// its PDUs), so the reviewer goes back to it.
async fn sample_of(
    state: &AppState,
    (slug, instrument, case_ref): (&str, &str, &str),
) -> Result<String, WebError> {
    Ok(state
        .store
        .sampled_by(slug, instrument, case_ref)
        .await?
        .unwrap_or_else(|| slug.to_string()))
}

async fn render_form(
    state: &AppState,
    who: &SignedIn,
    (slug, instrument, case_ref): (&str, &str, &str),
    posted: &[(String, String)],
    errors: Vec<FieldError>,
) -> Result<(StatusCode, Html<String>), PageError> {
    let stored = state.store.case(slug, instrument, case_ref).await?;
    match state.store.drawn_for_qa(slug, instrument, case_ref).await? {
        Drawn::AwaitingSecondMarking => {}
        Drawn::NotDrawn => {
            return Err(WebError::Conflict(format!(
                "{instrument} case {case_ref} was not drawn for QA, so it is not second-marked."
            ))
            .into());
        }
        Drawn::SecondMarked { reviewer } => {
            return Err(WebError::Conflict(format!(
                "{instrument} case {case_ref} was already second-marked by {reviewer}."
            ))
            .into());
        }
    }
    let fw = state.store.framework_of(slug).await?;
    let inst = fw.instrument(instrument).ok_or(WebError::NotFound)?;
    let questions: Vec<MarkQuestion> = inst
        .questions
        .iter()
        .map(|q| MarkQuestion {
            dom: format!("q-{}", q.id.replace('.', "-")),
            id: q.id.clone(),
            text: q.text.clone(),
            key: q.kind == QuestionKind::Key,
            value: posted
                .iter()
                .find(|(k, _)| k.strip_prefix("q:") == Some(q.id.as_str()))
                .map(|(_, v)| v.clone())
                .unwrap_or_default(),
        })
        .collect();
    let record = &stored.record;
    let body = render(
        "marking.html",
        ctx! {
            title => format!("Second marking: case {case_ref}"), me => me(who), csrf => &who.csrf,
            slug => slug, unit => state.store.stored(slug).await?.unit, instrument_label => &inst.label,
            case_ref => case_ref,
            sentence => record.sentence.map(|s| match s {
                SentenceType::Community => "Community order",
                SentenceType::Licence => "Licence",
            }),
            reset_weeks => record.reset_weeks, errors => &errors, questions => questions,
            qa => qa_href(&sample_of(state, (slug, instrument, case_ref)).await?),
        },
    )?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, Html(body)))
}

async fn form(
    State(state): State<AppState>,
    who: SignedIn,
    Path((slug, instrument, case_ref)): Path<(String, String, String)>,
) -> Result<(StatusCode, Html<String>), PageError> {
    state.authorize(&who, &slug, Need::Review).await?;
    render_form(
        &state,
        &who,
        (&slug, &instrument, &case_ref),
        &[],
        Vec::new(),
    )
    .await
}

async fn record(
    State(state): State<AppState>,
    who: SignedIn,
    Path((slug, instrument, case_ref)): Path<(String, String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let csrf = pairs
        .iter()
        .find(|(k, _)| k == "csrf")
        .map(|(_, v)| v.as_str());
    who.check_csrf(csrf)?;
    state.authorize(&who, &slug, Need::Review).await?;
    let mut marks = Vec::new();
    for (key, value) in &pairs {
        let Some(question) = key.strip_prefix("q:") else {
            continue;
        };
        match Answer::parse(value) {
            Some(Answer::Unanswered) => {}
            Some(a) => marks.push((question.to_string(), a)),
            None => {
                return Err(WebError::BadRequest(format!(
                    "'{value}' is not an answer to {question}"
                ))
                .into());
            }
        }
    }
    match state
        .store
        .record_second_marking(&slug, &instrument, &case_ref, &marks, &who.user.name)
        .await
    {
        Ok(()) => {
            let sample = sample_of(&state, (&slug, &instrument, &case_ref)).await?;
            Ok(Redirect::to(&format!("{}?notice=marked", qa_href(&sample))).into_response())
        }
        Err(e) if e.is_refusal() => {
            let message = WebError::from(e).to_string();
            Ok(render_form(
                &state,
                &who,
                (&slug, &instrument, &case_ref),
                &pairs,
                vec![FieldError {
                    field: "questions",
                    message,
                }],
            )
            .await
            .into_response())
        }
        Err(e) => Err(e.into()),
    }
}
