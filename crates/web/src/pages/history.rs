//! A case's history, from the audit log, in words.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Html;
use axum::routing::get;
use casework_store::{case_entity, describe_change};
use serde::Serialize;

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
    state.authorize(&who, &slug, Need::ReadCases).await?;
    // Existence check (and 404) before anything is shown.
    state.store.case(&slug, &instrument, &case_ref).await?;
    let fw = state.store.framework_of(&slug).await?;
    let label = fw
        .instrument(&instrument)
        .map(|i| i.label.clone())
        .unwrap_or_default();
    let info = state.store.stored(&slug).await?;
    let entries: Vec<HistoryRow> = state
        .store
        .audit_history(&slug, &case_entity(&instrument, &case_ref))
        .await?
        .iter()
        .map(|e| {
            let (before, after) = parse_pair(e);
            HistoryRow {
                // To the second, as people read it: 2026-11-23 10:04:05.
                at: e.at.get(..19).unwrap_or(&e.at).replacen('T', " ", 1),
                actor: e.actor.clone(),
                what: describe_change(&before, &after),
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
