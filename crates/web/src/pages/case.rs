//! A case's form: showing it (with the ratings panel), and saving what was posted as store edits,
//! with stale versions and validation errors shown on the form.

use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use casework_core::review::ReviewState;
use casework_store::{CaseEdit, Drawn, StoreError, StoredCase, case_entity, describe_change};
use serde::Deserialize;

use crate::access::{Need, decide, decide_case};
use crate::auth::SignedIn;
use crate::error::{PageError, WebError};
use crate::form::{self, FieldError, Posted};
use crate::links::case_href;
use crate::state::AppState;
use crate::views::{Panel, ctx, parse_pair, render};

use super::{case_review, me};

pub(super) fn routes() -> Router<AppState> {
    Router::new().route(
        "/inspections/{slug}/cases/{instrument}/{case_ref}",
        get(case_page).post(save_case),
    )
}

struct CaseContext<'a> {
    state: &'a AppState,
    who: &'a SignedIn,
    slug: &'a str,
    instrument: &'a str,
    case_ref: &'a str,
}

impl CaseContext<'_> {
    async fn render(
        &self,
        stored: &StoredCase,
        values: Option<&Posted>,
        errors: &[FieldError],
        notice: Option<String>,
        conflict: Option<(String, Option<&Posted>)>,
    ) -> Result<String, WebError> {
        let standing = self
            .state
            .authorize(self.who, self.slug, Need::ReadCases)
            .await?;
        let rated = self.state.rated(self.slug, &standing).await?;
        let inspection = &rated.inspection;
        let fw = &rated.fw;
        let ratings = &rated.ratings;
        let inst = fw.instrument(self.instrument).ok_or(WebError::NotFound)?;
        let (conflict, unsaved) = conflict.unzip();
        let (attributes, sections) =
            form::view(fw, inst, stored, values, errors, unsaved.flatten());
        let role = self.who.user.role;
        let read_only = if standing.frozen {
            Some(
                "This inspection is published: its cases are read-only until a lead reopens it for correction.",
            )
        } else if decide(role, Some(standing), Need::Edit).is_err() {
            Some("You can read this case but not change it.")
        } else if stored.review == ReviewState::Locked {
            Some("This case is locked: a lead reopens it, with a reason, before it changes.")
        } else if decide_case(role, Need::Edit, stored.review, &Drawn::NotDrawn).is_err() {
            Some(
                "This case is handed in for QA: you change it again only if QA returns it or a lead reopens it.",
            )
        } else {
            None
        };
        let review = case_review::view(self.state, self.who, standing, fw, stored).await?;
        let href = case_href(self.slug, self.instrument, self.case_ref);
        render(
            "case.html",
            ctx! {
                title => format!("Case {}", self.case_ref), me => me(self.who), csrf => &self.who.csrf,
                errors => errors, slug => self.slug, unit => &inspection.unit,
                instrument_label => &inst.label, case_ref => self.case_ref,
                version => stored.version, read_only => read_only, notice => notice,
                conflict => conflict, attributes => attributes, sections => sections,
                panel => Panel::of(ratings), action => &href,
                api => format!("/api/v1{href}"),
                history_href => format!("{href}/history"), review => review,
            },
        )
        .map_err(WebError::from)
    }
}

#[derive(Deserialize)]
struct Saved {
    saved: Option<usize>,
    /// The review move just made.
    review: Option<String>,
}

async fn case_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path((slug, instrument, case_ref)): Path<(String, String, String)>,
    Query(q): Query<Saved>,
) -> Result<Html<String>, PageError> {
    let (_, stored) = state
        .authorize_case(&who, &slug, &instrument, &case_ref, Need::ReadCases)
        .await?;
    let notice = q
        .saved
        .map(|n| match n {
            0 => "Nothing had changed, so nothing was saved".to_string(),
            1 => "Saved 1 change".to_string(),
            n => format!("Saved {n} changes"),
        })
        .or_else(|| {
            let moved = match q.review.as_deref()? {
                "submit" => "The case was submitted for QA",
                "approve" => "The case was marked as QA reviewed",
                "return" => "The case was returned to its inspector",
                "lock" => "The case was locked",
                "reopen" => "The case was reopened",
                _ => return None,
            };
            Some(moved.to_string())
        });
    let ctx = CaseContext {
        state: &state,
        who: &who,
        slug: &slug,
        instrument: &instrument,
        case_ref: &case_ref,
    };
    Ok(Html(ctx.render(&stored, None, &[], notice, None).await?))
}

/// What happened to a case after `version`, from its audit history.
async fn changes_after(
    state: &AppState,
    slug: &str,
    instrument: &str,
    case_ref: &str,
    version: i64,
) -> Result<String, WebError> {
    let entries = state
        .store
        .audit_history(slug, &case_entity(instrument, case_ref))
        .await?;
    let changes: Vec<String> = entries
        .iter()
        .filter_map(|e| {
            let (before, after) = parse_pair(e);
            (after["version"].as_i64().unwrap_or(0) > version)
                .then(|| format!("{} by {}", describe_change(&before, &after), e.actor))
        })
        .collect();
    Ok(if changes.is_empty() {
        "The case changed since you opened it.".to_string()
    } else {
        format!("Changed since you opened it: {}.", changes.join("; "))
    })
}

async fn save_case(
    State(state): State<AppState>,
    who: SignedIn,
    Path((slug, instrument, case_ref)): Path<(String, String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let posted = Posted::parse(pairs);
    who.check_csrf(posted.csrf.as_deref())?;
    let (_, stored) = state
        .authorize_case(&who, &slug, &instrument, &case_ref, Need::Edit)
        .await?;
    let ctx = CaseContext {
        state: &state,
        who: &who,
        slug: &slug,
        instrument: &instrument,
        case_ref: &case_ref,
    };
    let Some(version) = posted.version else {
        return Err(WebError::BadRequest("the form has no version; reload the case".into()).into());
    };
    if version != stored.version {
        let conflict = changes_after(&state, &slug, &instrument, &case_ref, version).await?;
        let page = ctx
            .render(&stored, None, &[], None, Some((conflict, Some(&posted))))
            .await?;
        return Ok((StatusCode::CONFLICT, Html(page)).into_response());
    }
    let fw = state.store.framework_of(&slug).await?;
    let inst = fw.instrument(&instrument).ok_or(WebError::NotFound)?;
    let planned = match form::plan(&fw, inst, &stored, &posted) {
        Ok(p) => p,
        Err(errors) => {
            let page = ctx
                .render(&stored, Some(&posted), &errors, None, None)
                .await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page)).into_response());
        }
    };
    let mut version = version;
    for (done, change) in planned.iter().enumerate() {
        let edit = CaseEdit {
            inspection: &slug,
            instrument: &instrument,
            case_ref: &case_ref,
            change: change.change(),
            expected_version: version,
            actor: &who.user.name,
            reason: posted.reason.as_deref(),
        };
        match state.store.edit_case(&edit).await {
            Ok(v) => version = v,
            Err(StoreError::StaleVersion { .. }) => {
                let conflict = format!(
                    "{} {}",
                    if done > 0 {
                        format!("{done} of your changes were saved before this.")
                    } else {
                        String::new()
                    },
                    changes_after(&state, &slug, &instrument, &case_ref, version).await?
                );
                let now = state.store.case(&slug, &instrument, &case_ref).await?;
                let page = ctx
                    .render(&now, None, &[], None, Some((conflict, Some(&posted))))
                    .await?;
                return Ok((StatusCode::CONFLICT, Html(page)).into_response());
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Redirect::to(&format!(
        "{}?saved={}",
        case_href(&slug, &instrument, &case_ref),
        planned.len()
    ))
    .into_response())
}
