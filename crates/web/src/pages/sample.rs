//! An inspection's case sample page for a lead (issue 16): upload the caseload extract (CSV,
//! with an optional column mapping), see the plan (population, size, the margin it gives, each
//! stratum's allotment) for the commencement windows entered, draw the sample, replace a drawn
//! case with a recorded reason, and compare the sample with its population. Figures from
//! `crate::sampling`; every change through the store.

use axum::Form;
use axum::Router;
use axum::extract::{Multipart, Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use casework_core::sampling::spec::Window;
use serde::{Deserialize, Serialize};

use crate::access::Need;
use crate::auth::SignedIn;
use crate::error::{PageError, WebError};
use crate::links::inspection_href;
use crate::sampling::{comparison, draw_sample, inspectors, planned, specification};
use crate::state::AppState;
use crate::views::{ctx, render};

use super::{FieldError, me};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/inspections/{slug}/sample", get(page))
        .route(
            "/inspections/{slug}/sample/extract",
            post(upload).layer(axum::extract::DefaultBodyLimit::max(
                crate::edge::UPLOAD_MAX_BYTES,
            )),
        )
        .route("/inspections/{slug}/sample/draw", post(draw))
        .route("/inspections/{slug}/sample/replace", post(replace))
}

fn sample_href(slug: &str) -> String {
    format!("{}/sample", inspection_href(slug))
}

/// Windows as typed, one `FROM..TO` per line.
fn windows_of(text: &str) -> Result<Vec<Window>, WebError> {
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(|l| Window::parse(l).map_err(WebError::BadRequest))
        .collect()
}

#[derive(Deserialize)]
struct PageQuery {
    notice: Option<String>,
    #[serde(default)]
    windows: String,
}

fn notice_text(key: Option<&str>) -> Option<String> {
    Some(match key? {
        "extract" => "The caseload extract was stored".into(),
        "drawn" => "The sample was drawn and its cases created".into(),
        k if k.starts_with("replaced") => {
            "The case was excluded and its stratum's next reserve brought in (where one was left)"
                .into()
        }
        _ => return None,
    })
}

#[derive(Serialize)]
struct StratumRow {
    key: String,
    population: u64,
    allotted: u64,
}

#[derive(Serialize)]
struct CompareView {
    field: String,
    value: String,
    population: String,
    sample: String,
    difference: String,
    large: bool,
}

async fn page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Html<String>, PageError> {
    state.authorize(&who, &slug, Need::Publish).await?;
    let store = &state.store;
    let stored = store.stored(&slug).await?;
    let extract = store.caseload_extract(&slug).await?;
    let sample = store.case_sample(&slug).await?;
    let fw = store.load_shared(&slug).await?.framework;
    let windows = windows_of(&q.windows)?;
    // The plan: the recorded one after a draw; before, for the windows entered.
    let plan = match &extract {
        Some(e) if e.body.is_some() => {
            let spec = specification(&fw, None, &windows)?;
            Some(planned(store, &slug, Some(spec)).await?)
        }
        _ => None,
    };
    let strata: Vec<StratumRow> = plan
        .iter()
        .flat_map(|p| &p.plan.strata)
        .map(|s| StratumRow {
            key: s.key.join(" / "),
            population: s.population,
            allotted: s.allotted,
        })
        .collect();
    let summary = plan.as_ref().map(|p| {
        let margin = p.plan.margin.map_or("undefined".into(), |m| format!("±{:.1} percentage points", m * 100.0));
        format!(
            "{} of the {} cases in the extract are eligible; {} cases give a margin of error of {margin} at {:.0}% confidence.",
            p.plan.population, p.caseload.cases.len(), p.plan.size, p.plan.confidence * 100.0
        )
    });
    let compared: Vec<CompareView> = match (&sample, &plan) {
        (Some(_), Some(_)) => comparison(store, &slug)
            .await?
            .rows
            .into_iter()
            .map(|r| CompareView {
                field: r.field,
                value: r.value,
                population: format!("{} ({:.1}%)", r.population, r.population_share * 100.0),
                sample: format!("{} ({:.1}%)", r.sample, r.sample_share * 100.0),
                difference: r
                    .standardised_difference
                    .map_or("undefined".into(), |d| format!("{d:.2}")),
                large: r.large,
            })
            .collect(),
        _ => Vec::new(),
    };
    let body = render(
        "sample.html",
        ctx! {
            title => format!("Case sample: {}", stored.unit), me => me(&who),
            csrf => &who.csrf, slug => &slug, unit => &stored.unit, errors => Vec::<FieldError>::new(),
            notice => notice_text(q.notice.as_deref()),
            extract => &extract, sample => &sample, summary => summary, strata => strata,
            windows => &q.windows, compared => compared,
            in_sample => sample.as_ref().map(|s| s.in_sample().map(|c| c.case_ref.clone()).collect::<Vec<_>>()).unwrap_or_default(),
        },
    )?;
    Ok(Html(body))
}

async fn upload(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    mut form: Multipart,
) -> Result<Response, PageError> {
    let (mut csrf, mut file, mut name, mut mapping) =
        (String::new(), None, String::new(), String::new());
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        WebError::BadRequest(format!("The upload could not be read: {e}"))
    };
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        match field.name().unwrap_or("") {
            "csrf" => csrf = field.text().await.map_err(unreadable)?,
            "extract" => {
                name = field.file_name().unwrap_or("extract.csv").to_string();
                file = Some(field.bytes().await.map_err(unreadable)?);
            }
            "mapping" => {
                let bytes = field.bytes().await.map_err(unreadable)?;
                mapping = String::from_utf8(bytes.to_vec()).map_err(|_| {
                    WebError::BadRequest("The mapping file is not UTF-8 text".into())
                })?;
            }
            _ => {}
        }
    }
    who.check_csrf(Some(&csrf))?;
    state.authorize(&who, &slug, Need::Publish).await?;
    let bytes = file.filter(|b| !b.is_empty()).ok_or_else(|| {
        WebError::BadRequest("Choose the caseload extract to upload (CSV)".into())
    })?;
    let text = casework_core::input::decode::utf8(&name, bytes.to_vec())
        .map_err(|e| WebError::BadRequest(e.to_string()))?;
    let fw = state.store.load_shared(&slug).await?.framework;
    let caseload = crate::sampling::read_extract(&fw, &name, &text, &mapping)?;
    crate::sampling::store_extract(
        &state.store,
        &slug,
        &fw,
        &name,
        &mapping,
        &caseload,
        &who.user.name,
    )
    .await?;
    Ok(Redirect::to(&format!("{}?notice=extract", sample_href(&slug))).into_response())
}

#[derive(Deserialize)]
struct DrawForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    seed: String,
    #[serde(default)]
    windows: String,
}

async fn draw(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Form(f): Form<DrawForm>,
) -> Result<Response, PageError> {
    who.check_csrf(Some(&f.csrf))?;
    state.authorize(&who, &slug, Need::Publish).await?;
    let seed = super::seed_from(&f.seed)?;
    let fw = state.store.load_shared(&slug).await?.framework;
    let spec = specification(&fw, None, &windows_of(&f.windows)?)?;
    let team = inspectors(&state.store, &slug).await?;
    draw_sample(&state.store, &slug, spec, seed, &team, &who.user.name).await?;
    Ok(Redirect::to(&format!("{}?notice=drawn", sample_href(&slug))).into_response())
}

#[derive(Deserialize)]
struct ReplaceForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    case: String,
    #[serde(default)]
    reason: String,
}

async fn replace(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Form(f): Form<ReplaceForm>,
) -> Result<Response, PageError> {
    who.check_csrf(Some(&f.csrf))?;
    state.authorize(&who, &slug, Need::Publish).await?;
    let fw = state.store.load_shared(&slug).await?.framework;
    state
        .store
        .replace_sampled_case(&slug, &fw, &f.case, &f.reason, &who.user.name)
        .await?;
    Ok(Redirect::to(&format!("{}?notice=replaced", sample_href(&slug))).into_response())
}
