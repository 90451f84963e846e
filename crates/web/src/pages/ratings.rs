//! An inspection's ratings page (every key question and prompt), its report (the HTML preview with
//! a way back and the downloads; the PDF and the data workbook, made from the stored inspection on
//! request, once per store revision; a published inspection's as published, `publication`).

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, header};
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use casework_core::Ratings;
use casework_core::certainty::describe_standard;
use casework_core::rating::StandardResult;
use casework_store::{PublishedFiles, Standing};
use serde::{Deserialize, Serialize};

use crate::access::{Need, decide};
use crate::auth::SignedIn;
use crate::error::{PageError, WebError};
use crate::links::inspection_href;
use crate::publishing::report_error;
use crate::quality::{Basis, report_figures};
use crate::state::AppState;
use crate::views::{Panel, Tag, ctx, render};

use super::me;
use super::published::REPORT_POLICY;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/inspections/{slug}/ratings", get(ratings_page))
        .route("/inspections/{slug}/report", get(report_preview))
        .route("/inspections/{slug}/report.pdf", get(report_pdf))
        .route("/inspections/{slug}/data.xlsx", get(report_workbook))
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
    /// The Wilson interval in whole per cent ("48–79%"), and `secure` or `fragile`.
    interval: Option<String>,
    sureness: Option<&'static str>,
    prompts: Vec<PromptRow>,
}

#[derive(Serialize)]
struct StandardView {
    code: String,
    name: String,
    rating: Tag,
    driving: Option<String>,
    key_questions: Vec<KeyQuestionRow>,
    /// How sure the rating is, in words: "Fragile: 45% likely in its band", then what would
    /// move it.
    certainty: Vec<String>,
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
            certainty: certainty_lines(s),
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
                    interval: k
                        .certainty
                        .as_ref()
                        .and_then(|c| c.interval)
                        .map(|i| format!("{:.0}–{:.0}%", i.lower * 100.0, i.upper * 100.0)),
                    sureness: k.certainty.as_ref().map(|c| c.sureness.label()),
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

/// A standard's certainty as sentences: how likely its band, then the answers that would move it.
fn certainty_lines(standard: &StandardResult) -> Vec<String> {
    let Some(c) = &standard.certainty else {
        return Vec::new();
    };
    let mut lines = vec![format!(
        "{}: {:.0}% likely to be in its band.",
        capitalised(c.sureness.label()),
        c.band_probability * 100.0
    )];
    for (shift, up) in [(&c.up, true), (&c.down, false)] {
        if let Some(shift) = shift {
            lines.push(format!("{}.", describe_standard(standard, shift, up)));
        }
    }
    lines
}

fn capitalised(word: &str) -> String {
    let mut chars = word.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// `?locked`: ratings over the locked cases only (what will be published), for the team.
#[derive(Deserialize)]
struct BasisQuery {
    locked: Option<String>,
}

fn tables_of(rated: &crate::rated::Rated, ratings: &Ratings) -> Result<String, WebError> {
    Ok(render(
        "ratings_tables.html",
        ctx! {
            standards => standards_view(ratings),
            breakdowns => casework_report::analysis::breakdown_tables(&rated.fw, ratings),
        },
    )?)
}

async fn ratings_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Query(q): Query<BasisQuery>,
) -> Result<Html<String>, PageError> {
    let standing = state.authorize(&who, &slug, Need::Read).await?;
    let rated = state.rated(&slug, &standing).await?;
    let inspection = &rated.inspection;
    let published =
        crate::publishing::readers_ratings(&state.store, &who, &slug, &standing).await?;
    let team = decide(who.user.role, Some(standing), Need::ReadCases).is_ok();
    // The team is always told which cases count (issue 19); readers see what was published.
    let mut basis = None;
    let mut locked_ratings = None;
    if team && published.is_none() {
        let (locked, count, total) =
            crate::quality::locked_only(&state.store, &slug, inspection).await?;
        if q.locked.is_some() {
            locked_ratings = Some(casework_core::rate(&rated.fw, &locked));
            basis = Some(Basis::LockedOnly.describe(count, total));
        } else {
            basis = Some(Basis::Provisional.describe(count, total));
        }
    }
    let ratings = published
        .as_ref()
        .or(locked_ratings.as_ref())
        .unwrap_or(&rated.ratings);
    // The same for everyone until the data changes: rendered once per revision.
    let fresh;
    let tables = if published.is_some() || locked_ratings.is_some() {
        fresh = tables_of(&rated, ratings)?;
        &fresh
    } else if let Some(tables) = rated.ratings_tables.get() {
        tables
    } else {
        let tables = tables_of(&rated, ratings)?;
        rated.ratings_tables.get_or_init(|| tables)
    };
    Ok(Html(render(
        "ratings.html",
        ctx! {
            title => format!("Ratings: {}", inspection.unit), me => me(&who), csrf => &who.csrf,
            errors => (), slug => &slug, unit => &inspection.unit,
            panel => Panel::of(ratings),
            tables => tables, basis => basis, locked_only => locked_ratings.is_some(),
        },
    )?))
}

/// `?working`: the team's view of the inspection as it stands, not its published version.
#[derive(Deserialize)]
struct Working {
    working: Option<String>,
}

/// The published version's files when this request is served them: the inspection has a
/// published version readers may see, and the user is not of its team asking for the working
/// copy (`?working`). Served as published, never made again.
async fn as_published(
    state: &AppState,
    who: &SignedIn,
    slug: &str,
    standing: &Standing,
    working: &Working,
) -> Result<Option<(i64, PublishedFiles)>, WebError> {
    if !standing.published {
        return Ok(None);
    }
    let team = decide(who.user.role, Some(*standing), Need::ReadCases).is_ok();
    if team && working.working.is_some() {
        return Ok(None);
    }
    Ok(state
        .store
        .published_files(slug, None)
        .await?
        .map(|(p, files)| (p.version, files)))
}

async fn report_preview(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Query(working): Query<Working>,
) -> Result<Response, PageError> {
    let standing = state.authorize(&who, &slug, Need::Read).await?;
    if let Some((version, files)) = as_published(&state, &who, &slug, &standing, &working).await? {
        let html = with_bar(&files.html, &slug, &format!("published/{version}/"), "");
        return Ok((
            [(
                header::CONTENT_SECURITY_POLICY,
                HeaderValue::from_static(REPORT_POLICY),
            )],
            Html(html),
        )
            .into_response());
    }
    let rated = state.rated(&slug, &standing).await?;
    let qa = report_figures(&state.store, &slug).await?;
    let html = rated
        .report(&slug, &qa)
        .and_then(|r| r.html())
        .map_err(report_error)?;
    let suffix = if working.working.is_some() {
        "?working"
    } else {
        ""
    };
    let html = with_bar(&html, &slug, "", suffix);
    let policy = HeaderValue::from_static(REPORT_POLICY);
    Ok(([(header::CONTENT_SECURITY_POLICY, policy)], Html(html)).into_response())
}

/// `html` with a bar above the report: back to the ratings, and the downloads (under
/// `files_dir` of the inspection, each followed by `suffix`).
fn with_bar(html: &str, slug: &str, files_dir: &str, suffix: &str) -> String {
    let ratings_href = format!("{}/ratings", inspection_href(slug));
    let base = format!("{}/{files_dir}", inspection_href(slug));
    let bar = format!(
        "<nav class=\"service\" aria-label=\"Report\" style=\"font-family: Arial, sans-serif; padding: .5rem 1rem; background: #1d70b8;\">\
         <a style=\"color: #fff; margin-right: 1.5rem\" href=\"{back}\">&larr; Back to the ratings</a>\
         <a style=\"color: #fff; margin-right: 1.5rem\" href=\"{pdf}\">Download the report (PDF)</a>\
         <a style=\"color: #fff\" href=\"{xlsx}\">Download the data workbook (XLSX)</a></nav>",
        back = casework_report::chart::escape(&ratings_href),
        pdf = casework_report::chart::escape(&format!("{base}report.pdf{suffix}")),
        xlsx = casework_report::chart::escape(&format!("{base}data.xlsx{suffix}")),
    );
    // After the report's skip link, which stays the first thing on the page.
    html.replacen("<main", &format!("{bar}\n<main"), 1)
}

/// The PDF of the report, as a download.
async fn report_pdf(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Query(working): Query<Working>,
) -> Result<Response, PageError> {
    let standing = state.authorize(&who, &slug, Need::Read).await?;
    if let Some((version, files)) = as_published(&state, &who, &slug, &standing, &working).await? {
        let kind = super::published::file_kind("report.pdf").unwrap_or("application/pdf");
        return Ok(super::published::served(
            &slug,
            version,
            "report.pdf",
            kind,
            files,
        ));
    }
    let rated = state.rated(&slug, &standing).await?;
    let bytes = made_once(
        &state.store,
        &rated,
        &slug,
        |r| &r.pdf,
        |report| report.pdf(),
    )
    .await?;
    Ok(download(bytes, "application/pdf", &slug, "report.pdf"))
}

/// The data workbook, as a download.
async fn report_workbook(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Query(working): Query<Working>,
) -> Result<Response, PageError> {
    let standing = state.authorize(&who, &slug, Need::Read).await?;
    if let Some((version, files)) = as_published(&state, &who, &slug, &standing, &working).await? {
        let kind = super::published::file_kind("data.xlsx").unwrap_or("application/octet-stream");
        return Ok(super::published::served(
            &slug,
            version,
            "data.xlsx",
            kind,
            files,
        ));
    }
    let rated = state.rated(&slug, &standing).await?;
    let bytes = made_once(
        &state.store,
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
    store: &casework_store::Store,
    rated: &std::sync::Arc<crate::rated::Rated>,
    slug: &str,
    slot: fn(&crate::rated::Rated) -> &std::sync::OnceLock<std::sync::Arc<[u8]>>,
    make: fn(&casework_report::Report) -> Result<Vec<u8>, casework_report::ReportError>,
) -> Result<std::sync::Arc<[u8]>, WebError> {
    if let Some(bytes) = slot(rated).get() {
        return Ok(bytes.clone());
    }
    let qa = report_figures(store, slug).await?;
    let (rated, slug) = (rated.clone(), slug.to_string());
    tokio::task::spawn_blocking(move || {
        let report = rated.report(&slug, &qa).map_err(report_error)?;
        let bytes: std::sync::Arc<[u8]> = make(&report).map_err(report_error)?.into();
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
