//! A case through the API: reading it, saving one answer or one evidence note with the version it
//! was based on (409 with what changed when stale), and its history from the audit log.

use std::collections::BTreeMap;

use axum::extract::{Path, State};
use axum::routing::{get, put};
use axum::{Json, Router};
use casework_core::Answer;
use casework_store::{CaseChange, CaseEdit, case_entity, describe_change};
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use crate::access::Need;
use crate::auth::ApiUser;
use crate::error::{ApiError, WebError};
use crate::state::AppState;
use crate::views::{Panel, parse_pair};

use super::ErrorBody;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/inspections/{slug}/cases/{instrument}/{case_ref}",
            get(case),
        )
        .route(
            "/inspections/{slug}/cases/{instrument}/{case_ref}/answers/{question}",
            put(save_answer),
        )
        .route(
            "/inspections/{slug}/cases/{instrument}/{case_ref}/evidence/{question}",
            put(save_evidence),
        )
        .route(
            "/inspections/{slug}/cases/{instrument}/{case_ref}/history",
            get(history),
        )
}

#[derive(Serialize, ToSchema)]
pub struct CaseBody {
    pub case_ref: String,
    pub instrument: String,
    /// Send this back with a change; a stale one is refused with 409.
    pub version: i64,
    /// Question id → Y, N or NA (blank answers absent).
    pub answers: BTreeMap<String, String>,
    /// Question id → evidence note.
    pub evidence: BTreeMap<String, String>,
    pub sentence: Option<String>,
    pub reset_weeks: Option<u32>,
    pub oversight: Option<String>,
    /// The framework's declared attributes recorded for the case: attribute id → value id.
    pub attributes: BTreeMap<String, String>,
}

/// One case: answers, evidence notes, attributes and version.
#[utoipa::path(get, path = "/api/v1/inspections/{slug}/cases/{instrument}/{case_ref}",
    params(("slug" = String, Path), ("instrument" = String, Path), ("case_ref" = String, Path)),
    responses((status = 200, body = CaseBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn case(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path((slug, instrument, case_ref)): Path<(String, String, String)>,
) -> Result<Json<CaseBody>, ApiError> {
    let (_, c) = state
        .authorize_case(&who, &slug, &instrument, &case_ref, Need::ReadCases)
        .await?;
    Ok(Json(CaseBody {
        case_ref: c.case_ref,
        instrument: c.instrument,
        version: c.version,
        answers: c.answers,
        evidence: c.evidence,
        sentence: c.record.sentence.map(|s| s.as_str().into()),
        reset_weeks: c.record.reset_weeks,
        oversight: c.record.oversight.map(|o| o.as_str().into()),
        attributes: c.record.attributes,
    }))
}

#[derive(Deserialize, ToSchema)]
pub struct AnswerBody {
    /// Y, N, NA, or empty to clear.
    pub answer: String,
    /// The case version this change is based on.
    pub version: i64,
    pub reason: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct EvidenceBody {
    /// Empty clears the note.
    pub note: String,
    pub version: i64,
    pub reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct Saved {
    /// The case's new version.
    pub version: i64,
    /// The inspection's ratings as this change left them (a later change by someone else shows on
    /// the next read).
    pub panel: Panel,
}

async fn apply(
    state: &AppState,
    who: &crate::auth::SignedIn,
    (slug, instrument, case_ref): (&str, &str, &str),
    change: CaseChange<'_>,
    version: i64,
    reason: Option<&str>,
) -> Result<Json<Saved>, ApiError> {
    state
        .authorize_case(who, slug, instrument, case_ref, Need::Edit)
        .await?;
    let edited = state
        .store
        .edit(&CaseEdit {
            inspection: slug,
            instrument,
            case_ref,
            change,
            expected_version: version,
            actor: &who.user.name,
            reason,
        })
        .await?;
    let rated = state.rated_since(slug, edited.revision).await?;
    let ratings = &rated.ratings;
    Ok(Json(Saved {
        version: edited.version,
        panel: Panel::of(ratings),
    }))
}

/// Saves one answer. 409 with what changed when `version` is stale; 422 when the framework does
/// not allow the answer on this case.
#[utoipa::path(put, path = "/api/v1/inspections/{slug}/cases/{instrument}/{case_ref}/answers/{question}",
    params(("slug" = String, Path), ("instrument" = String, Path), ("case_ref" = String, Path), ("question" = String, Path)),
    request_body = AnswerBody,
    responses((status = 200, body = Saved), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn save_answer(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path((slug, instrument, case_ref, question)): Path<(String, String, String, String)>,
    Json(body): Json<AnswerBody>,
) -> Result<Json<Saved>, ApiError> {
    let answer = Answer::parse(&body.answer).ok_or_else(|| {
        WebError::BadRequest(format!(
            "answer '{}': allowed Y, N, NA or empty",
            body.answer
        ))
    })?;
    apply(
        &state,
        &who,
        (&slug, &instrument, &case_ref),
        CaseChange::Answer {
            question: &question,
            answer,
        },
        body.version,
        body.reason.as_deref(),
    )
    .await
}

/// Saves one evidence note.
#[utoipa::path(put, path = "/api/v1/inspections/{slug}/cases/{instrument}/{case_ref}/evidence/{question}",
    params(("slug" = String, Path), ("instrument" = String, Path), ("case_ref" = String, Path), ("question" = String, Path)),
    request_body = EvidenceBody,
    responses((status = 200, body = Saved), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn save_evidence(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path((slug, instrument, case_ref, question)): Path<(String, String, String, String)>,
    Json(body): Json<EvidenceBody>,
) -> Result<Json<Saved>, ApiError> {
    if body.note.chars().count() > casework_core::text::NOTE_MAX_CHARS {
        return Err(WebError::BadRequest(format!(
            "an evidence note is at most {} characters",
            casework_core::text::NOTE_MAX_CHARS
        ))
        .into());
    }
    apply(
        &state,
        &who,
        (&slug, &instrument, &case_ref),
        CaseChange::Evidence {
            question: &question,
            note: body.note.trim(),
        },
        body.version,
        body.reason.as_deref(),
    )
    .await
}

#[derive(Serialize, ToSchema)]
pub struct HistoryItem {
    pub at: String,
    pub actor: String,
    pub action: String,
    pub what: String,
    pub reason: Option<String>,
}

/// A case's changes, from the audit log.
#[utoipa::path(get, path = "/api/v1/inspections/{slug}/cases/{instrument}/{case_ref}/history",
    params(("slug" = String, Path), ("instrument" = String, Path), ("case_ref" = String, Path)),
    responses((status = 200, body = Vec<HistoryItem>), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
async fn history(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path((slug, instrument, case_ref)): Path<(String, String, String)>,
) -> Result<Json<Vec<HistoryItem>>, ApiError> {
    state
        .authorize_case(&who, &slug, &instrument, &case_ref, Need::ReadCases)
        .await?;
    let entries = state
        .store
        .audit_history(&slug, &case_entity(&instrument, &case_ref))
        .await?;
    Ok(Json(
        entries
            .into_iter()
            .map(|e| {
                let (before, after) = parse_pair(&e);
                HistoryItem {
                    what: describe_change(&before, &after),
                    at: e.at,
                    actor: e.actor,
                    action: e.action,
                    reason: e.reason,
                }
            })
            .collect(),
    ))
}
