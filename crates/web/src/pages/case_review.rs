//! A case's review on its page (issue 19): its state, its inspector, the QA reviewer's comments
//! when it was returned, and the moves this user may make on it now (submit; approve or return;
//! lock or reopen with a reason), each posted to `.../review` and applied by the store, which
//! refuses what the state machine does not allow.

use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::post;
use casework_core::framework::Framework;
use casework_core::review::{ReviewAction, ReviewState};
use casework_store::{ReturnComment, Standing, StoredCase};
use serde::{Deserialize, Serialize};

use crate::access::{Need, decide};
use crate::auth::SignedIn;
use crate::error::{PageError, WebError};
use crate::links::case_href;
use crate::state::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route(
        "/inspections/{slug}/cases/{instrument}/{case_ref}/review",
        post(review),
    )
}

/// A question a return may name.
#[derive(Serialize)]
pub(super) struct QuestionOption {
    id: String,
    label: String,
}

/// What the case page shows of the case's review.
#[derive(Serialize)]
pub(super) struct ReviewView {
    state: &'static str,
    label: &'static str,
    inspector: Option<String>,
    comments: Vec<ReturnComment>,
    /// The moves this user may make now.
    moves: Vec<&'static str>,
    questions: Vec<QuestionOption>,
    action: String,
}

/// The moves `who` may make on a case in `review` state: by role (inspectors and leads submit;
/// QA reviewers and leads approve or return, never their own case; leads lock and reopen) and by
/// the state machine.
fn moves(
    who: &SignedIn,
    standing: Standing,
    review: ReviewState,
    inspector: Option<&str>,
) -> Vec<&'static str> {
    if standing.frozen {
        return Vec::new();
    }
    let allowed = |need| decide(who.user.role, Some(standing), need).is_ok();
    let own = inspector == Some(who.user.name.as_str());
    ReviewAction::ALL
        .into_iter()
        .filter(|a| a.apply(review).is_ok())
        .filter(|a| match a {
            ReviewAction::Submit => allowed(Need::Edit),
            ReviewAction::Approve | ReviewAction::Return => allowed(Need::Review) && !own,
            ReviewAction::Lock | ReviewAction::Reopen => allowed(Need::Publish),
        })
        .map(ReviewAction::as_str)
        .collect()
}

pub(super) async fn view(
    state: &AppState,
    who: &SignedIn,
    standing: Standing,
    fw: &Framework,
    stored: &StoredCase,
) -> Result<ReviewView, WebError> {
    let comments = state
        .store
        .return_comments(&stored.inspection, &stored.instrument, &stored.case_ref)
        .await?;
    let questions = fw
        .instrument(&stored.instrument)
        .map(|inst| {
            inst.questions
                .iter()
                .map(|q| QuestionOption {
                    id: q.id.clone(),
                    label: format!("{} {}", q.id, q.short.as_deref().unwrap_or(&q.text)),
                })
                .collect()
        })
        .unwrap_or_default();
    Ok(ReviewView {
        state: stored.review.as_str(),
        label: stored.review.label(),
        inspector: stored.inspector.clone(),
        comments,
        moves: moves(who, standing, stored.review, stored.inspector.as_deref()),
        questions,
        action: format!(
            "{}/review",
            case_href(&stored.inspection, &stored.instrument, &stored.case_ref)
        ),
    })
}

#[derive(Deserialize)]
struct ReviewForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    action: String,
    #[serde(default)]
    question: String,
    #[serde(default)]
    comment: String,
    #[serde(default)]
    reason: String,
}

async fn review(
    State(state): State<AppState>,
    who: SignedIn,
    Path((slug, instrument, case_ref)): Path<(String, String, String)>,
    Form(f): Form<ReviewForm>,
) -> Result<Response, PageError> {
    who.check_csrf(Some(&f.csrf))?;
    let Some(action) = ReviewAction::parse(&f.action) else {
        return Err(WebError::BadRequest(format!("'{}' is not a review move", f.action)).into());
    };
    let need = match action {
        ReviewAction::Submit => Need::Edit,
        ReviewAction::Approve | ReviewAction::Return => Need::Review,
        ReviewAction::Lock | ReviewAction::Reopen => Need::Publish,
    };
    state.authorize(&who, &slug, need).await?;
    let returns = if action == ReviewAction::Return {
        vec![(f.question.trim().to_string(), f.comment)]
    } else {
        Vec::new()
    };
    let reason = Some(f.reason.as_str()).filter(|r| !r.trim().is_empty());
    state
        .store
        .review_case(
            &slug,
            &instrument,
            &case_ref,
            action,
            &returns,
            reason,
            &who.user.name,
        )
        .await?;
    Ok(Redirect::to(&format!(
        "{}?review={}",
        case_href(&slug, &instrument, &case_ref),
        action.as_str()
    ))
    .into_response())
}
