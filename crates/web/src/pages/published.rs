//! A published version's files, served exactly as published (issue 15): the report (HTML, with
//! its policy), the PDF, the data workbook and the ratings JSON, by version
//! (`/inspections/{slug}/published/{version}/{file}`) and, through `ratings`, as the report's own
//! addresses while an inspection is published. Readers get them while it is published; its team
//! always.

use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;

use crate::access::{Need, decide};
use crate::auth::SignedIn;
use crate::error::{PageError, WebError};
use crate::state::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new().route(
        "/inspections/{slug}/published/{version}/{file}",
        get(published_file),
    )
}

/// The report page's policy: one self-contained page, inline styles and SVG, no scripts at all.
pub(super) const REPORT_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; form-action 'none'; base-uri 'none'";

/// A published file's name in a URL, its content type, and how it is served.
const FILES: &[(&str, &str)] = &[
    ("report.html", "text/html; charset=utf-8"),
    ("report.pdf", "application/pdf"),
    (
        "data.xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    ),
    ("ratings.json", "application/json"),
];

/// One published version's file, as published. Readers get it while the inspection is
/// published; the team always.
async fn published_file(
    State(state): State<AppState>,
    who: SignedIn,
    Path((slug, version, file)): Path<(String, i64, String)>,
) -> Result<Response, PageError> {
    let standing = state.authorize(&who, &slug, Need::Read).await?;
    let team = decide(who.user.role, Some(standing), Need::ReadCases).is_ok();
    if !standing.published && !team {
        return Err(PageError(WebError::NotFound));
    }
    let Some((_, kind)) = FILES.iter().find(|(name, _)| *name == file) else {
        return Err(PageError(WebError::NotFound));
    };
    let (_, files) = state
        .store
        .published_files(&slug, Some(version))
        .await?
        .ok_or(PageError(WebError::NotFound))?;
    Ok(served(&slug, version, &file, kind, files))
}

/// A published file as a response: the HTML report shown, the rest downloaded.
pub(super) fn served(
    slug: &str,
    version: i64,
    file: &str,
    kind: &'static str,
    files: casework_store::PublishedFiles,
) -> Response {
    let bytes: Vec<u8> = match file {
        "report.html" => files.html.into_bytes(),
        "report.pdf" => files.pdf,
        "data.xlsx" => files.workbook,
        _ => files.ratings.into_bytes(),
    };
    let mut headers = vec![(header::CONTENT_TYPE, HeaderValue::from_static(kind))];
    if file == "report.html" {
        // The report is one self-contained page: inline styles and SVG, no scripts at all.
        headers.push((
            header::CONTENT_SECURITY_POLICY,
            HeaderValue::from_static(REPORT_POLICY),
        ));
    } else {
        let name = format!("{}-v{version}-{file}", slug.replace('/', "-"));
        headers.push((
            header::CONTENT_DISPOSITION,
            HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
                .unwrap_or_else(|_| HeaderValue::from_static("attachment")),
        ));
    }
    let mut response = bytes.into_response();
    for (name, value) in headers {
        response.headers_mut().insert(name, value);
    }
    response
}

/// The content type of a published file by name (`report.pdf`), if it is one.
pub(super) fn file_kind(file: &str) -> Option<&'static str> {
    FILES
        .iter()
        .find(|(name, _)| *name == file)
        .map(|(_, k)| *k)
}
