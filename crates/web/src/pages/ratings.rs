//! An inspection's ratings page (every key question and prompt), its report (the HTML preview with
//! a way back and the downloads; the PDF and the data workbook, made from the stored inspection on
//! request, once per store revision), and publishing it.

use axum::Form;
use axum::Router;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use casework_core::Ratings;
use serde::{Deserialize, Serialize};

use crate::access::Need;
use crate::auth::SignedIn;
use crate::error::{PageError, WebError};
use crate::links::inspection_href;
use crate::state::AppState;
use crate::views::{Panel, Tag, ctx, render};

use super::me;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/inspections/{slug}/ratings", get(ratings_page))
        .route("/inspections/{slug}/report", get(report_preview))
        .route("/inspections/{slug}/report.pdf", get(report_pdf))
        .route("/inspections/{slug}/data.xlsx", get(report_workbook))
        .route("/inspections/{slug}/publish", post(publish))
}

#[derive(Serialize)]
struct PromptRow {
    id: String,
    text: String,
    yes: u64,
    relevant: u64,
    percent: Option<u32>,
}

#[derive(Serialize)]
struct KeyQuestionRow {
    id: String,
    text: String,
    yes: u64,
    relevant: u64,
    percent: Option<u32>,
    driving: bool,
    prompts: Vec<PromptRow>,
}

#[derive(Serialize)]
struct StandardView {
    code: String,
    name: String,
    rating: Tag,
    driving: Option<String>,
    key_questions: Vec<KeyQuestionRow>,
}

fn standards_view(ratings: &Ratings) -> Vec<StandardView> {
    ratings
        .standards
        .iter()
        .map(|s| StandardView {
            code: s.code.clone(),
            name: s.name.clone(),
            rating: Tag::of(s.rating.as_ref()),
            driving: s.driving.clone(),
            key_questions: s
                .key_questions
                .iter()
                .map(|k| KeyQuestionRow {
                    id: k.id.clone(),
                    text: k.text.clone(),
                    yes: k.yes,
                    relevant: k.relevant,
                    percent: k.percent,
                    driving: k.driving,
                    prompts: ratings
                        .prompts
                        .iter()
                        .filter(|p| p.parent == k.id)
                        .map(|p| PromptRow {
                            id: p.id.clone(),
                            text: p.text.clone(),
                            yes: p.yes,
                            relevant: p.relevant,
                            percent: p.percent,
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

async fn ratings_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
) -> Result<Html<String>, PageError> {
    let standing = state.authorize(&who, &slug, Need::Read).await?;
    let rated = state.rated(&slug, &standing).await?;
    let inspection = &rated.inspection;
    let ratings = &rated.ratings;
    // The same for everyone until the data changes: rendered once per revision.
    let tables = match rated.ratings_tables.get() {
        Some(tables) => tables,
        None => {
            let tables = render(
                "ratings_tables.html",
                ctx! {
                    standards => standards_view(ratings),
                    breakdowns => casework_report::analysis::breakdown_tables(&rated.fw, ratings),
                },
            )?;
            rated.ratings_tables.get_or_init(|| tables)
        }
    };
    Ok(Html(render(
        "ratings.html",
        ctx! {
            title => format!("Ratings: {}", inspection.unit), me => me(&who), csrf => &who.csrf,
            errors => (), slug => &slug, unit => &inspection.unit,
            panel => Panel::of(ratings),
            tables => tables,
        },
    )?))
}

async fn report_preview(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let standing = state.authorize(&who, &slug, Need::Read).await?;
    let rated = state.rated(&slug, &standing).await?;
    let html = rated
        .report(&slug)
        .and_then(|r| r.html())
        .map_err(report_error)?;
    // A bar above the report: back to the ratings, and the downloads.
    let ratings_href = format!("{}/ratings", inspection_href(&slug));
    let bar = format!(
        "<nav class=\"service\" aria-label=\"Report\" style=\"font-family: Arial, sans-serif; padding: .5rem 1rem; background: #1d70b8;\">\
         <a style=\"color: #fff; margin-right: 1.5rem\" href=\"{back}\">&larr; Back to the ratings</a>\
         <a style=\"color: #fff; margin-right: 1.5rem\" href=\"{base}/report.pdf\">Download the report (PDF)</a>\
         <a style=\"color: #fff\" href=\"{base}/data.xlsx\">Download the data workbook (XLSX)</a></nav>",
        back = casework_report::chart::escape(&ratings_href),
        base = casework_report::chart::escape(&inspection_href(&slug)),
    );
    let html = html.replacen("<body>", &format!("<body>\n{bar}"), 1);
    // The report is one self-contained page: inline styles and SVG, no scripts at all.
    let policy = HeaderValue::from_static(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; form-action 'none'; base-uri 'none'",
    );
    Ok(([(header::CONTENT_SECURITY_POLICY, policy)], Html(html)).into_response())
}

/// A narrative that does not fill in (an unknown figure, a bad table) is the user's to fix: said
/// as such, with where; anything else is ours.
fn report_error(e: casework_report::ReportError) -> WebError {
    match e {
        casework_report::ReportError::Narrative { .. } => WebError::BadRequest(e.to_string()),
        other => WebError::Internal(other.to_string()),
    }
}

/// The PDF of the report, as a download.
async fn report_pdf(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let standing = state.authorize(&who, &slug, Need::Read).await?;
    let rated = state.rated(&slug, &standing).await?;
    let bytes = made_once(&rated, &slug, |r| &r.pdf, |report| report.pdf()).await?;
    Ok(download(bytes, "application/pdf", &slug, "report.pdf"))
}

/// The data workbook, as a download.
async fn report_workbook(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
) -> Result<Response, PageError> {
    let standing = state.authorize(&who, &slug, Need::Read).await?;
    let rated = state.rated(&slug, &standing).await?;
    let bytes = made_once(
        &rated,
        &slug,
        |r| &r.workbook,
        |report| casework_report::workbook::xlsx_bytes(&report.tables),
    )
    .await?;
    let kind = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
    Ok(download(bytes, kind, &slug, "data.xlsx"))
}

/// A report output of this revision: the one already made, or made now off the async threads.
async fn made_once(
    rated: &std::sync::Arc<crate::rated::Rated>,
    slug: &str,
    slot: fn(&crate::rated::Rated) -> &std::sync::OnceLock<std::sync::Arc<[u8]>>,
    make: fn(&casework_report::Report) -> Result<Vec<u8>, casework_report::ReportError>,
) -> Result<std::sync::Arc<[u8]>, WebError> {
    if let Some(bytes) = slot(rated).get() {
        return Ok(bytes.clone());
    }
    let (rated, slug) = (rated.clone(), slug.to_string());
    tokio::task::spawn_blocking(move || {
        let bytes: std::sync::Arc<[u8]> = make(&rated.report(&slug).map_err(report_error)?)
            .map_err(report_error)?
            .into();
        Ok(slot(&rated).get_or_init(|| bytes).clone())
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))?
}

/// `bytes` as an attachment named after the inspection (its id's `/` made `-`).
fn download(bytes: std::sync::Arc<[u8]>, kind: &'static str, slug: &str, what: &str) -> Response {
    let name = format!("{}-{what}", slug.replace('/', "-"));
    let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
        .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
    (
        [
            (header::CONTENT_TYPE, HeaderValue::from_static(kind)),
            (header::CONTENT_DISPOSITION, disposition),
        ],
        bytes.to_vec(),
    )
        .into_response()
}

#[derive(Deserialize)]
struct PublishForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    published: String,
}

async fn publish(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Form(f): Form<PublishForm>,
) -> Result<Response, PageError> {
    who.check_csrf(Some(&f.csrf))?;
    state.authorize(&who, &slug, Need::Publish).await?;
    let published = f.published != "false";
    state
        .store
        .set_published(&slug, published, &who.user.name)
        .await?;
    let notice = if published { "published" } else { "withdrawn" };
    Ok(Redirect::to(&format!("{}?notice={notice}", inspection_href(&slug))).into_response())
}
