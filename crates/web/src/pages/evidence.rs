//! An inspection's domain-one evidence page (issue 17), for its team: for each judged standard,
//! the judged rating and rationale beside the evidence filed against it (survey questions,
//! interview topics, measures, as the report's figures show them, with each figure's name for the
//! narrative), and each evidence file recorded with its version. Leads and inspectors upload a
//! file (a survey export with its mapping, an interviews table, a measures table; CSV), read by
//! `crate::domain_one::read_file` as `casework evidence` reads it: a bad file is refused with
//! its file, line and column, and nothing is recorded. QA reviewers read. The view is
//! `crate::domain_one`.

use axum::Router;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use casework_core::domain_one::Rows;
use serde::Deserialize;

use crate::access::{Need, decide};
use crate::auth::SignedIn;
use crate::domain_one::{EvidenceKind, by_standard, read_file};
use crate::error::{PageError, WebError};
use crate::state::AppState;
use crate::views::{ctx, render};

use super::me;

/// The largest evidence file the page takes (the command line takes larger ones).
const UPLOAD_MAX_BYTES: usize = 16 << 20;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route(
        "/inspections/{slug}/evidence",
        get(page)
            .post(upload)
            .layer(axum::extract::DefaultBodyLimit::max(UPLOAD_MAX_BYTES)),
    )
}

#[derive(Deserialize)]
struct PageQuery {
    recorded: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Html<String>, PageError> {
    // The team's working evidence: not for viewers, even once published.
    let standing = state.authorize(&who, &slug, Need::ReadCases).await?;
    let can_edit = decide(who.user.role, Some(standing), Need::Edit).is_ok() && !standing.frozen;
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
            small_numbers => fw.evidence.small_numbers, can_edit => can_edit,
            notice => q.recorded.map(|v| format!("The file was recorded (version {v})")),
        },
    )?))
}

/// A file posted with its kind (and, for a survey, its mapping): read, then recorded.
async fn upload(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    mut form: Multipart,
) -> Result<Response, PageError> {
    let (mut csrf, mut kind, mut file, mut mapping) = (String::new(), String::new(), None, None);
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        WebError::BadRequest(format!("The upload could not be read: {e}"))
    };
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().unwrap_or("evidence.csv").to_string();
        match name.as_str() {
            "csrf" => csrf = field.text().await.map_err(unreadable)?,
            "kind" => kind = field.text().await.map_err(unreadable)?,
            "file" | "mapping" => {
                let bytes = field.bytes().await.map_err(unreadable)?;
                if bytes.is_empty() {
                    continue;
                }
                let text = casework_core::input::decode::utf8(&file_name, bytes.to_vec())
                    .map_err(|e| WebError::BadRequest(e.to_string()))?;
                if name == "file" {
                    file = Some((file_name, text));
                } else {
                    mapping = Some((file_name, text));
                }
            }
            _ => {}
        }
    }
    who.check_csrf(Some(&csrf))?;
    state.authorize(&who, &slug, Need::Edit).await?;
    let kind: EvidenceKind = serde_json::from_value(serde_json::Value::String(kind.clone()))
        .map_err(|_| {
            WebError::BadRequest(format!(
                "'{kind}' is not a kind of evidence file: survey, interviews or measures"
            ))
        })?;
    let (name, text) =
        file.ok_or_else(|| WebError::BadRequest("Choose the file to upload (CSV)".into()))?;
    let rows = Rows::from_csv(&text, &name).map_err(|e| WebError::BadRequest(e.to_string()))?;
    let fw = state.store.framework_of(&slug).await?;
    let read = read_file(
        &fw,
        kind,
        rows,
        mapping.as_ref().map(|(n, t)| (t.as_str(), n.as_str())),
    )
    .map_err(|e| WebError::BadRequest(e.to_string()))?;
    let version = state
        .store
        .record_domain_one(&slug, &name, &read, &who.user.name)
        .await?;
    let href = format!("{}/evidence", crate::links::inspection_href(&slug));
    Ok(Redirect::to(&format!("{href}?recorded={version}")).into_response())
}
