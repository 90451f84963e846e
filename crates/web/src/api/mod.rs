//! The JSON API under `/api/v1`: the same operations as the pages (sign in, list, overview, ratings,
//! read a case, save one answer or evidence note with its version, history, publish), with the same
//! access rules, described by the OpenAPI document at `/api/openapi.json`. Writes carry the
//! session's CSRF token in `X-CSRF-Token`. This module holds the document, signing in and the
//! inspections; `cases` a case's reads and saves; `national` the national picture of published
//! results.

mod cases;
mod national;

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use axum_extra::extract::CookieJar;
use serde::{Deserialize, Serialize};
use utoipa::{OpenApi, ToSchema};

use casework_store::Stage;

use crate::access::{Need, decide};
use crate::auth::{ApiUser, ClientAddr, SESSION_COOKIE, check_sign_in_fields};
use crate::auth::{check_credentials, start_session};
use crate::error::{ApiError, WebError};
use crate::state::AppState;
use crate::views::Panel;
use crate::views::{Progress, progress};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/session", post(sign_in).delete(sign_out))
        .route("/inspections", get(list))
        .route("/inspections/{slug}", get(overview))
        .route("/inspections/{slug}/ratings", get(ratings))
        .route("/inspections/{slug}/publish", post(publish))
        .route("/inspections/{slug}/stage", post(stage))
        .merge(cases::routes())
        .merge(national::routes())
}

pub fn openapi_route() -> Router<AppState> {
    Router::new().route(
        "/api/openapi.json",
        get(|| async { Json(ApiDoc::openapi()) }),
    )
}

#[derive(OpenApi)]
#[openapi(
    info(
        title = "Casework API",
        description = "Probation inspection casework: inspections, cases, answers and live ratings. Sign in with POST /api/v1/session; send the returned csrf_token as X-CSRF-Token on every write."
    ),
    paths(
        sign_in,
        sign_out,
        list,
        overview,
        ratings,
        publish,
        stage,
        cases::case,
        cases::save_answer,
        cases::save_evidence,
        cases::history,
        national::national,
        national::units,
        national::spread,
        national::bands
    ),
    components(schemas(
        SignIn,
        SessionInfo,
        InspectionItem,
        Overview,
        Progress,
        Panel,
        RatingsBody,
        cases::CaseBody,
        cases::AnswerBody,
        cases::EvidenceBody,
        cases::Saved,
        PublishBody,
        PublishedBody,
        StageBody,
        cases::HistoryItem,
        national::NationalBody,
        ErrorBody
    ))
)]
pub struct ApiDoc;

/// Every error under `/api/`, whatever produced it (a handler, a malformed or oversized body, an
/// unknown route, a method not allowed): a sentence for people.
#[derive(Serialize, ToSchema)]
pub struct ErrorBody {
    pub error: String,
    /// For text refused at the service's edge (422): the field, path segment or query parameter.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<String>,
}

#[derive(Deserialize, ToSchema)]
pub struct SignIn {
    pub name: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct SessionInfo {
    pub user: String,
    pub role: String,
    /// Send as `X-CSRF-Token` on every write.
    pub csrf_token: String,
}

/// Signs in; the session is the `casework_session` cookie.
#[utoipa::path(post, path = "/api/v1/session", request_body = SignIn,
    responses((status = 200, body = SessionInfo), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 413, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody), (status = 429, body = ErrorBody)))]
async fn sign_in(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    jar: CookieJar,
    Json(body): Json<SignIn>,
) -> Result<Response, ApiError> {
    check_sign_in_fields(&body.name, &body.password).map_err(WebError::BadRequest)?;
    state.sign_in_attempt(client, &body.name)?;
    let user = check_credentials(&state, &body.name, &body.password)
        .await?
        .ok_or(ApiError(WebError::SignInRequired))?;
    let (jar, csrf) = start_session(&state, jar, &user.name).await?;
    let info = SessionInfo {
        user: user.name,
        role: user.role.as_str().into(),
        csrf_token: csrf,
    };
    Ok((jar, Json(info)).into_response())
}

/// Signs out.
#[utoipa::path(delete, path = "/api/v1/session", responses((status = 204)))]
async fn sign_out(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    jar: CookieJar,
) -> Result<Response, ApiError> {
    state.store.end_session(&who.token_hash).await?;
    Ok((jar.remove(SESSION_COOKIE), StatusCode::NO_CONTENT).into_response())
}

#[derive(Serialize, ToSchema)]
pub struct InspectionItem {
    pub slug: String,
    pub kind: String,
    pub unit: String,
    pub parent: Option<String>,
    pub cases: i64,
    pub published: bool,
}

/// The inspections the signed-in user may see.
#[utoipa::path(get, path = "/api/v1/inspections", responses((status = 200, body = Vec<InspectionItem>)))]
async fn list(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
) -> Result<Json<Vec<InspectionItem>>, ApiError> {
    let mut out = Vec::new();
    for i in state.store.list().await? {
        let standing = state.store.standing(&i.slug, &who.user.name).await?;
        if decide(who.user.role, standing, Need::Read).is_ok() {
            out.push(InspectionItem {
                slug: i.slug,
                kind: i.kind,
                unit: i.unit,
                parent: i.parent,
                cases: i.cases,
                published: i.published,
            });
        }
    }
    Ok(Json(out))
}

#[derive(Serialize, ToSchema)]
pub struct Overview {
    pub slug: String,
    pub unit: String,
    pub published: bool,
    pub panel: Panel,
    pub progress: Vec<Progress>,
    /// A region's PDU inspections.
    pub units: Vec<String>,
}

/// Sample progress and the live ratings panel.
#[utoipa::path(get, path = "/api/v1/inspections/{slug}", params(("slug" = String, Path, description = "inspection id; a PDU in a region is `region/pdu`, URL-encoded")),
    responses((status = 200, body = Overview), (status = 404, body = ErrorBody)))]
async fn overview(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(slug): Path<String>,
) -> Result<Json<Overview>, ApiError> {
    let standing = state.authorize(&who, &slug, Need::Read).await?;
    let rated = state.rated(&slug, &standing).await?;
    let inspection = &rated.inspection;
    let fw = &rated.fw;
    let ratings = &rated.ratings;
    Ok(Json(Overview {
        units: state
            .store
            .children(&slug)
            .await?
            .into_iter()
            .map(|c| c.slug)
            .collect(),
        slug,
        unit: inspection.unit.clone(),
        published: standing.published,
        panel: Panel::of(ratings),
        progress: progress(fw, inspection),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct RatingsBody {
    /// Which cases the ratings count (issue 19): `published` (what was published, for readers),
    /// `provisional` (the team's working ratings: every complete case) or `locked-only`
    /// (`?locked=true`: the locked cases, what will be published).
    pub basis: &'static str,
    pub panel: Panel,
    /// Everything the rules produce: every key question, prompt figure, sample and oversight count.
    #[schema(value_type = Object)]
    pub ratings: serde_json::Value,
}

#[derive(Deserialize)]
struct RatingsQuery {
    #[serde(default)]
    locked: bool,
}

/// The full ratings, computed now from the stored answers.
#[utoipa::path(get, path = "/api/v1/inspections/{slug}/ratings",
    params(("slug" = String, Path), ("locked" = Option<bool>, Query, description = "The team's ratings over locked cases only")),
    responses((status = 200, body = RatingsBody), (status = 404, body = ErrorBody)))]
async fn ratings(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(slug): Path<String>,
    Query(q): Query<RatingsQuery>,
) -> Result<Json<RatingsBody>, ApiError> {
    let standing = state.authorize(&who, &slug, Need::Read).await?;
    let rated = state.rated(&slug, &standing).await?;
    let published =
        crate::publishing::readers_ratings(&state.store, &who, &slug, &standing).await?;
    let team = crate::access::decide(who.user.role, Some(standing), Need::ReadCases).is_ok();
    let locked = if team && q.locked && published.is_none() {
        let (only, _, _) =
            crate::quality::locked_only(&state.store, &slug, &rated.inspection).await?;
        Some(casework_core::rate(&rated.fw, &only))
    } else {
        None
    };
    let basis = match (&published, &locked) {
        (_, Some(_)) => "locked-only",
        (None, None) if team => "provisional",
        _ => "published",
    };
    let ratings = published
        .as_ref()
        .or(locked.as_ref())
        .unwrap_or(&rated.ratings);
    Ok(Json(RatingsBody {
        basis,
        panel: Panel::of(ratings),
        ratings: serde_json::to_value(ratings).map_err(|e| WebError::Internal(e.to_string()))?,
    }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct PublishBody {
    /// A correction's reason, shown on the report (required when correcting).
    #[serde(default)]
    pub reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct PublishedBody {
    /// The version just published (1 for the first publication).
    pub version: i64,
}

/// Publishes the inspection (and its PDU inspections) as its next version: the report's HTML,
/// PDF, data workbook and ratings JSON made now and kept as published. Needs the
/// factual-accuracy stage (or a correction, with its reason), every case complete and every
/// factual-accuracy comment resolved (409 otherwise). Leads and admins.
#[utoipa::path(post, path = "/api/v1/inspections/{slug}/publish", params(("slug" = String, Path)), request_body = PublishBody,
    responses((status = 200, body = PublishedBody), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn publish(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(slug): Path<String>,
    Json(body): Json<PublishBody>,
) -> Result<Json<PublishedBody>, ApiError> {
    state.authorize(&who, &slug, Need::Publish).await?;
    let version =
        crate::publishing::publish(&state.store, &slug, body.reason.as_deref(), &who.user.name)
            .await?;
    Ok(Json(PublishedBody { version }))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct StageBody {
    /// `draft`, `factual-accuracy` or `correction` (publishing is `/publish`).
    pub stage: String,
    /// Why: required to reopen for correction or to withdraw.
    #[serde(default)]
    pub reason: Option<String>,
}

/// Moves the inspection to another stage: start or leave the factual-accuracy check, reopen a
/// published inspection for correction, withdraw it to draft. Leads and admins.
#[utoipa::path(post, path = "/api/v1/inspections/{slug}/stage", params(("slug" = String, Path)), request_body = StageBody,
    responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 415, body = ErrorBody), (status = 422, body = ErrorBody)))]
async fn stage(
    State(state): State<AppState>,
    ApiUser(who): ApiUser,
    Path(slug): Path<String>,
    Json(body): Json<StageBody>,
) -> Result<StatusCode, ApiError> {
    state.authorize(&who, &slug, Need::Publish).await?;
    let to = Stage::parse(&body.stage)
        .ok_or_else(|| WebError::BadRequest(format!("'{}' is not a stage", body.stage)))?;
    state
        .store
        .set_stage(&slug, to, body.reason.as_deref(), &who.user.name)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}
