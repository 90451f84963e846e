//! Publication in the web (issue 15): an inspection's stage and published versions; the
//! factual-accuracy check (the inspected organisation's comments recorded against each part of
//! the report, each resolved by a lead); the confirmation that says what publishing freezes; the
//! stage moves (start or leave the check, reopen for correction, withdraw); and the list of
//! published versions (their files: `published`). Leads (and admins) move and publish; leads and
//! inspectors record comments; readers of a published inspection see its versions, never the
//! comments.

use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use casework_core::narrative::{comment_sections, heading};
use casework_store::{FactualAccuracyComment, Publication, Stage, Standing};
use serde::{Deserialize, Serialize};

use crate::access::{Need, decide};
use crate::auth::SignedIn;
use crate::error::{PageError, WebError};
use crate::links::inspection_href;
use crate::state::AppState;
use crate::views::{ctx, render};

use super::{FieldError, Notice, me};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/inspections/{slug}/publication", get(page))
        .route("/inspections/{slug}/stage", post(move_stage))
        .route("/inspections/{slug}/publish", get(confirm).post(publish))
        .route("/inspections/{slug}/factual-accuracy", post(add_comment))
        .route("/inspections/{slug}/factual-accuracy/{id}", post(resolve))
}

#[derive(Serialize)]
struct SectionOption {
    key: String,
    heading: String,
}

#[derive(Serialize)]
struct CommentView {
    id: i64,
    heading: String,
    comment: String,
    recorded_by: String,
    recorded_at: String,
    resolution: Option<String>,
    resolved_by: Option<String>,
}

/// What the user typed, kept on the page when their form is refused.
#[derive(Default, Serialize)]
struct Kept {
    section: String,
    comment: String,
    reason: String,
    resolution_for: i64,
    resolution: String,
}

fn notice_text(key: Option<&str>) -> Option<&'static str> {
    Some(match key? {
        "factual-accuracy" => "The factual-accuracy check has started",
        "draft" => "It is back to draft",
        "correction" => "It is reopened for correction; readers still see the published version",
        "published" => "Published",
        "comment" => "The comment was recorded",
        "resolved" => "The comment was resolved",
        _ => return None,
    })
}

fn publication_href(slug: &str) -> String {
    format!("{}/publication", inspection_href(slug))
}

async fn page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Query(q): Query<Notice>,
) -> Result<Shown, PageError> {
    let standing = state.authorize(&who, &slug, Need::Read).await?;
    let notice = notice_text(q.notice.as_deref());
    render_page(
        &state,
        &who,
        &slug,
        standing,
        Vec::new(),
        Kept::default(),
        notice,
    )
    .await
}

/// A page, with 422 when it shows a refused form's errors.
type Shown = (StatusCode, Html<String>);

fn shown<T>(errors: &[T], body: String) -> Shown {
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    (status, Html(body))
}

async fn render_page(
    state: &AppState,
    who: &SignedIn,
    slug: &str,
    standing: Standing,
    errors: Vec<FieldError>,
    kept: Kept,
    notice: Option<&str>,
) -> Result<Shown, PageError> {
    let rated = state.rated(slug, &standing).await?;
    let publication = state.store.publication_state(slug).await?;
    let allowed = |need| decide(who.user.role, Some(standing), need).is_ok();
    // The comments are the inspected organisation's words to the team: members only.
    let team = allowed(Need::ReadCases);
    let comments: Vec<CommentView> = if team {
        state
            .store
            .factual_accuracy_comments(slug)
            .await?
            .into_iter()
            .map(|c: FactualAccuracyComment| CommentView {
                heading: heading(&rated.fw, &c.section),
                id: c.id,
                comment: c.comment,
                recorded_by: c.recorded_by,
                recorded_at: c.recorded_at,
                resolution: c.resolution,
                resolved_by: c.resolved_by,
            })
            .collect()
    } else {
        Vec::new()
    };
    let sections: Vec<SectionOption> = comment_sections(&rated.fw, &rated.inspection.kind)
        .into_iter()
        .map(|key| SectionOption {
            heading: heading(&rated.fw, &key),
            key,
        })
        .collect();
    let versions: Vec<&Publication> = if publication.stage.visible() || team {
        publication.versions.iter().rev().collect()
    } else {
        Vec::new()
    };
    let body = render(
        "publication.html",
        ctx! {
            title => format!("Publication: {}", rated.inspection.unit), me => me(who),
            csrf => &who.csrf, errors => errors, slug => slug, unit => &rated.inspection.unit,
            stage => publication.stage.as_str(), stage_label => publication.stage.label(),
            versions => versions, comments => comments, sections => sections,
            blockers => publication.blockers(), team => team,
            can_edit => allowed(Need::Edit), can_publish => allowed(Need::Publish),
            kept => kept, notice => notice,
        },
    )?;
    Ok(shown(&errors, body))
}

/// A refused form: shown again with the message at `field` and what was typed kept; anything
/// but a refusal of what the user asked is an error page.
async fn refused(
    state: &AppState,
    who: &SignedIn,
    slug: &str,
    standing: Standing,
    field: &'static str,
    error: WebError,
    kept: Kept,
) -> Result<Response, PageError> {
    match error {
        WebError::BadRequest(message) | WebError::Conflict(message) => Ok(render_page(
            state,
            who,
            slug,
            standing,
            vec![FieldError { field, message }],
            kept,
            None,
        )
        .await
        .into_response()),
        other => Err(PageError(other)),
    }
}

#[derive(Deserialize)]
struct StageForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    stage: String,
    #[serde(default)]
    reason: String,
}

async fn move_stage(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Form(f): Form<StageForm>,
) -> Result<Response, PageError> {
    who.check_csrf(Some(&f.csrf))?;
    let standing = state.authorize(&who, &slug, Need::Publish).await?;
    let Some(to) = Stage::parse(&f.stage) else {
        return Err(PageError(WebError::BadRequest(format!(
            "'{}' is not a stage",
            f.stage
        ))));
    };
    let reason = Some(f.reason.as_str()).filter(|r| !r.trim().is_empty());
    match state
        .store
        .set_stage(&slug, to, reason, &who.user.name)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "{}?notice={}",
            publication_href(&slug),
            to.as_str()
        ))
        .into_response()),
        Err(e) => {
            let kept = Kept {
                reason: f.reason,
                ..Kept::default()
            };
            refused(&state, &who, &slug, standing, "reason", e.into(), kept).await
        }
    }
}

/// The confirmation: what publishing freezes, and anything that stands in its way.
async fn confirm(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
) -> Result<Shown, PageError> {
    let standing = state.authorize(&who, &slug, Need::Publish).await?;
    confirm_page(&state, &who, &slug, standing, Vec::new(), String::new()).await
}

async fn confirm_page(
    state: &AppState,
    who: &SignedIn,
    slug: &str,
    standing: Standing,
    errors: Vec<FieldError>,
    reason: String,
) -> Result<Shown, PageError> {
    let rated = state.rated(slug, &standing).await?;
    let publication = state.store.publication_state(slug).await?;
    let inspection = &rated.inspection;
    let cases = inspection.case_count()
        + inspection
            .units
            .iter()
            .map(|u| u.case_count())
            .sum::<usize>();
    let written = state
        .store
        .narrative(slug)
        .await?
        .into_iter()
        .filter(|f| f.version > 0)
        .count();
    let body = render(
        "publish.html",
        ctx! {
            title => format!("Publish: {}", rated.inspection.unit), me => me(who),
            csrf => &who.csrf, errors => &errors, slug => slug, unit => &rated.inspection.unit,
            version => publication.next_version(),
            correction => publication.stage == Stage::Correction,
            blockers => publication.blockers(), cases => cases, written => written,
            judged => rated.inspection.judged.len(), units => rated.inspection.units.len(),
            reason => reason,
        },
    )?;
    Ok(shown(&errors, body))
}

#[derive(Deserialize)]
struct PublishForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    confirm: String,
    #[serde(default)]
    reason: String,
}

async fn publish(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Form(f): Form<PublishForm>,
) -> Result<Response, PageError> {
    who.check_csrf(Some(&f.csrf))?;
    let standing = state.authorize(&who, &slug, Need::Publish).await?;
    let confirm_href = format!("{}/publish", inspection_href(&slug));
    if f.confirm != "yes" {
        return Ok(Redirect::to(&confirm_href).into_response());
    }
    let reason = Some(f.reason.as_str()).filter(|r| !r.trim().is_empty());
    match crate::publishing::publish(&state.store, &slug, reason, &who.user.name).await {
        Ok(_) => Ok(
            Redirect::to(&format!("{}?notice=published", publication_href(&slug))).into_response(),
        ),
        Err(WebError::BadRequest(message) | WebError::Conflict(message)) => {
            let errors = vec![FieldError {
                field: "reason",
                message,
            }];
            Ok(
                confirm_page(&state, &who, &slug, standing, errors, f.reason)
                    .await
                    .into_response(),
            )
        }
        Err(other) => Err(PageError(other)),
    }
}

#[derive(Deserialize)]
struct CommentForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    section: String,
    #[serde(default)]
    comment: String,
}

async fn add_comment(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Form(f): Form<CommentForm>,
) -> Result<Response, PageError> {
    who.check_csrf(Some(&f.csrf))?;
    let standing = state.authorize(&who, &slug, Need::Edit).await?;
    match state
        .store
        .add_factual_accuracy_comment(&slug, &f.section, &f.comment, &who.user.name)
        .await
    {
        Ok(_) => Ok(Redirect::to(&format!(
            "{}?notice=comment#comments",
            publication_href(&slug)
        ))
        .into_response()),
        Err(e) => {
            let kept = Kept {
                section: f.section,
                comment: f.comment,
                ..Kept::default()
            };
            refused(&state, &who, &slug, standing, "comment", e.into(), kept).await
        }
    }
}

#[derive(Deserialize)]
struct ResolveForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    resolution: String,
}

async fn resolve(
    State(state): State<AppState>,
    who: SignedIn,
    Path((slug, id)): Path<(String, i64)>,
    Form(f): Form<ResolveForm>,
) -> Result<Response, PageError> {
    who.check_csrf(Some(&f.csrf))?;
    let standing = state.authorize(&who, &slug, Need::Publish).await?;
    match state
        .store
        .resolve_factual_accuracy_comment(&slug, id, &f.resolution, &who.user.name)
        .await
    {
        Ok(()) => Ok(Redirect::to(&format!(
            "{}?notice=resolved#comments",
            publication_href(&slug)
        ))
        .into_response()),
        Err(e) => {
            let kept = Kept {
                resolution_for: id,
                resolution: f.resolution,
                ..Kept::default()
            };
            let field = "comments";
            refused(&state, &who, &slug, standing, field, e.into(), kept).await
        }
    }
}
