//! Writing the report in the web: the page listing the narrative files and the judged ratings
//! (each rating with its rationale, saved on its own), and one narrative file's page (a textarea
//! with a preview, figures by name as in the files; an unknown figure is a GOV.UK error at its
//! line and column; a stale save is refused with the text saved now shown and the user's text
//! kept). Leads and inspectors edit (`Need::Edit`); saves are versioned and audited by the store.

use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::get;
use casework_core::narrative::heading;
use casework_report::narrative::{self, Block, PreviousRecommendation};
use casework_report::{Figures, ReportError, SourceFile};
use casework_store::StoreError;
use serde::{Deserialize, Serialize};

use crate::access::Need;
use crate::auth::SignedIn;
use crate::error::PageError;
use crate::links::inspection_href;
use crate::rated::Rated;
use crate::state::AppState;
use crate::views::{ctx, render};

use super::{FieldError, Notice, me};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/inspections/{slug}/report-text", get(overview))
        .route(
            "/inspections/{slug}/narrative/{name}",
            get(narrative_page).post(save_narrative),
        )
        .route(
            "/inspections/{slug}/judged/{standard}",
            axum::routing::post(save_judged),
        )
}

#[derive(Serialize)]
struct FileRow {
    name: String,
    heading: String,
    version: i64,
    lines: usize,
}

#[derive(Serialize)]
struct JudgedRow {
    standard: String,
    name: String,
    rating: String,
    rationale: Option<String>,
    version: i64,
}

async fn overview(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Query(q): Query<Notice>,
) -> Result<Html<String>, PageError> {
    let standing = state.authorize(&who, &slug, Need::Edit).await?;
    let rated = state.rated(&slug, &standing).await?;
    let fw = &rated.fw;
    let files: Vec<FileRow> = state
        .store
        .narrative(&slug)
        .await?
        .into_iter()
        .map(|f| FileRow {
            heading: heading(fw, &f.name),
            lines: f.body.lines().count(),
            name: f.name,
            version: f.version,
        })
        .collect();
    let judged: Vec<JudgedRow> = state
        .store
        .judged(&slug)
        .await?
        .into_iter()
        .map(|j| JudgedRow {
            name: fw
                .standard(&j.standard)
                .map(|s| s.name.clone())
                .unwrap_or_default(),
            standard: j.standard,
            rating: j.rating,
            rationale: j.rationale,
            version: j.version,
        })
        .collect();
    let notice = match q.notice.as_deref() {
        Some("saved") => Some("Saved"),
        Some("removed") => Some("The text was removed"),
        _ => None,
    };
    Ok(Html(render(
        "report_text.html",
        ctx! {
            title => format!("Writing the report: {}", rated.inspection.unit), me => me(&who),
            csrf => &who.csrf, errors => (), slug => &slug, unit => &rated.inspection.unit,
            files => files, judged => judged, ratings => &fw.ratings, notice => notice,
        },
    )?))
}

/// The preview of `body` as file `name`: its blocks (a section) or rows (previous
/// recommendations), with figures filled in, or where it goes wrong.
fn preview(
    rated: &Rated,
    slug: &str,
    name: &str,
    body: &str,
) -> Result<(Vec<Block>, Vec<PreviousRecommendation>), ReportError> {
    let figures = Figures::of(&rated.ratings);
    let known = narrative::known_sections(&rated.fw, &rated.ratings.kind);
    let file = SourceFile {
        name: name.to_string(),
        text: body.to_string(),
    };
    let built = narrative::build(&[file], &figures, &known, slug)?;
    Ok((
        built.sections.into_values().next().unwrap_or_default(),
        built.previous,
    ))
}

/// The message for a narrative that does not fill in: where, then what.
fn located(e: &ReportError) -> String {
    match e {
        ReportError::Narrative {
            line,
            column,
            problem,
            ..
        } => match (line, column) {
            (Some(l), Some(c)) => format!("Line {l}, column {c}: {problem}"),
            (Some(l), None) => format!("Line {l}: {problem}"),
            _ => problem.clone(),
        },
        other => other.to_string(),
    }
}

/// What one narrative page shows.
struct FilePage<'a> {
    slug: &'a str,
    name: &'a str,
    body: &'a str,
    version: i64,
    errors: Vec<FieldError>,
    saved_now: Option<String>,
}

fn render_file(rated: &Rated, who: &SignedIn, page: FilePage<'_>) -> Result<Response, PageError> {
    let mut errors = page.errors;
    let (blocks, previous) = match preview(rated, page.slug, page.name, page.body) {
        Ok(p) => p,
        Err(e) => {
            if errors.is_empty() {
                errors.push(FieldError {
                    field: "body",
                    message: located(&e),
                });
            }
            Default::default()
        }
    };
    let status = if errors.is_empty() {
        axum::http::StatusCode::OK
    } else {
        axum::http::StatusCode::UNPROCESSABLE_ENTITY
    };
    let html = render(
        "narrative.html",
        ctx! {
            title => heading(&rated.fw, page.name), me => me(who), csrf => &who.csrf,
            errors => errors, slug => page.slug, unit => &rated.inspection.unit,
            name => page.name, heading => heading(&rated.fw, page.name), body => page.body,
            version => page.version, preview => blocks, previous => previous,
            saved_now => page.saved_now,
        },
    )?;
    Ok((status, Html(html)).into_response())
}

async fn narrative_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path((slug, name)): Path<(String, String)>,
) -> Result<Response, PageError> {
    let standing = state.authorize(&who, &slug, Need::Edit).await?;
    let rated = state.rated(&slug, &standing).await?;
    let file = state
        .store
        .narrative(&slug)
        .await?
        .into_iter()
        .find(|f| f.name == name)
        .ok_or(crate::error::WebError::NotFound)?;
    render_file(
        &rated,
        &who,
        FilePage {
            slug: &slug,
            name: &name,
            body: &file.body,
            version: file.version,
            errors: Vec::new(),
            saved_now: None,
        },
    )
}

#[derive(Deserialize)]
struct NarrativeForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    body: String,
    #[serde(default)]
    action: String,
}

async fn save_narrative(
    State(state): State<AppState>,
    who: SignedIn,
    Path((slug, name)): Path<(String, String)>,
    Form(f): Form<NarrativeForm>,
) -> Result<Response, PageError> {
    who.check_csrf(Some(&f.csrf))?;
    let standing = state.authorize(&who, &slug, Need::Edit).await?;
    let rated = state.rated(&slug, &standing).await?;
    // Browsers send CRLF line breaks; the file keeps LF, as the files on disk do.
    let body = f.body.replace("\r\n", "\n");
    let page = |errors, saved_now| FilePage {
        slug: &slug,
        name: &name,
        body: &body,
        version: f.version,
        errors,
        saved_now,
    };
    if f.action != "save" {
        return render_file(&rated, &who, page(Vec::new(), None));
    }
    // A text whose figures do not fill in is not saved: the error is shown at its line.
    if let Err(e) = preview(&rated, &slug, &name, &body) {
        let error = FieldError {
            field: "body",
            message: located(&e),
        };
        return render_file(&rated, &who, page(vec![error], None));
    }
    match state
        .store
        .set_narrative(&slug, &name, &body, f.version, &who.user.name)
        .await
    {
        Ok(version) => {
            let notice = if version == 0 { "removed" } else { "saved" };
            let to = format!("{}/report-text?notice={notice}", inspection_href(&slug));
            Ok(Redirect::to(&to).into_response())
        }
        Err(e @ (StoreError::StaleVersion { .. } | StoreError::Conflict(_))) => {
            let now = state
                .store
                .narrative(&slug)
                .await?
                .into_iter()
                .find(|file| file.name == name);
            let error = FieldError {
                field: "body",
                message: e.to_string(),
            };
            // Shown with the version now saved, so saving again (after merging) goes through.
            let mut shown = page(vec![error], now.as_ref().map(|n| n.body.clone()));
            shown.version = now.map_or(0, |n| n.version);
            let mut response = render_file(&rated, &who, shown)?;
            *response.status_mut() = axum::http::StatusCode::CONFLICT;
            Ok(response)
        }
        Err(StoreError::Invalid(message)) => {
            let error = FieldError {
                field: "body",
                message,
            };
            render_file(&rated, &who, page(vec![error], None))
        }
        Err(other) => Err(other.into()),
    }
}

#[derive(Deserialize)]
struct JudgedForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    version: i64,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    rationale: String,
}

async fn save_judged(
    State(state): State<AppState>,
    who: SignedIn,
    Path((slug, standard)): Path<(String, String)>,
    Form(f): Form<JudgedForm>,
) -> Result<Response, PageError> {
    who.check_csrf(Some(&f.csrf))?;
    state.authorize(&who, &slug, Need::Edit).await?;
    let rationale = f.rationale.replace("\r\n", "\n");
    state
        .store
        .set_judged(
            &slug,
            &standard,
            &f.rating,
            Some(&rationale),
            f.version,
            &who.user.name,
        )
        .await?;
    let to = format!("{}/report-text?notice=saved#judged", inspection_href(&slug));
    Ok(Redirect::to(&to).into_response())
}
