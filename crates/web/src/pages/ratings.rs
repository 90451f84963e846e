//! An inspection's ratings page (every key question and prompt), its report preview, and
//! publishing it.

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
    let fw = &rated.fw;
    let ratings = &rated.ratings;
    let html = casework_report::Report::new(fw, ratings, &[], &slug)
        .and_then(|r| r.html())
        .map_err(|e| WebError::Internal(e.to_string()))?;
    // The report is one self-contained page: inline styles and SVG, no scripts at all.
    let policy = HeaderValue::from_static(
        "default-src 'none'; style-src 'unsafe-inline'; img-src data:; frame-ancestors 'none'; form-action 'none'; base-uri 'none'",
    );
    Ok(([(header::CONTENT_SECURITY_POLICY, policy)], Html(html)).into_response())
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
