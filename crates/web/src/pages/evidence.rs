//! An inspection's domain-one evidence page (issue 17), for its team: for each judged standard,
//! the judged rating and rationale beside the evidence filed against it (survey questions,
//! interview topics, measures, as the report's figures show them, with each figure's name for the
//! narrative), and each evidence file recorded with its version. Read-only here: files are
//! recorded with `casework evidence ... --into ID`. The view is `crate::domain_one`.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Html;
use axum::routing::get;

use crate::access::Need;
use crate::auth::SignedIn;
use crate::domain_one::by_standard;
use crate::error::PageError;
use crate::state::AppState;
use crate::views::{ctx, render};

use super::me;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route("/inspections/{slug}/evidence", get(page))
}

async fn page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
) -> Result<Html<String>, PageError> {
    // The team's working evidence: not for viewers, even once published.
    state.authorize(&who, &slug, Need::ReadCases).await?;
    let fw = state.store.framework_of(&slug).await?;
    let info = state.store.stored(&slug).await?;
    let judged = state.store.judged(&slug).await?;
    let (evidence, records) = state.store.domain_one(&slug).await?;
    let standards = by_standard(&fw, &info.kind, &judged, &evidence);
    Ok(Html(render(
        "evidence.html",
        ctx! {
            title => format!("Domain one evidence: {}", info.unit), me => me(&who),
            csrf => &who.csrf, errors => (), slug => &slug, unit => &info.unit,
            standards => standards, records => records,
            small_numbers => fw.evidence.small_numbers,
        },
    )?))
}
