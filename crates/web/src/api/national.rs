//! The national picture through the API (issue 18), for every signed-in user, as the pages and
//! `casework national` build it (`casework_report::national`): the league table under the same
//! filters, each unit's history, a programme and kind's distributions, and the overall score
//! bands the stored results allow.

use axum::extract::{Path, Query, State};
use axum::routing::get;
use axum::{Json, Router};
use casework_core::published;
use casework_report::national::{histories, league, page_of};
use casework_report::national_distribution::distributions;
use serde::Serialize;
use utoipa::ToSchema;

use crate::auth::ApiUser;
use crate::error::ApiError;
use crate::pages::national::{Filters, PAGE_ROWS, stored};

/// Rows a page of the API's lists holds (`?page=`, from 1).
const API_PAGE_ROWS: usize = 10 * PAGE_ROWS;
use crate::state::AppState;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/national", get(national))
        .route("/national/units", get(units))
        .route("/national/distributions/{programme}/{kind}", get(spread))
        .route("/national/bands", get(bands))
}

/// A list of rows, each as `casework_report::national` shapes it.
#[derive(Serialize, ToSchema)]
pub struct NationalBody {
    #[schema(value_type = Vec<Object>)]
    pub rows: serde_json::Value,
}

fn body(rows: impl Serialize) -> Json<NationalBody> {
    Json(NationalBody {
        rows: serde_json::to_value(rows).unwrap_or_default(),
    })
}

#[utoipa::path(get, path = "/api/v1/national",
    params(
        ("programme" = Option<String>, Query, description = "2018, 2021 or 2023"),
        ("kind" = Option<String>, Query, description = "pdu, region or crc_or_nps_division"),
        ("region" = Option<String>, Query, description = "a region, any letter case"),
        ("year" = Option<String>, Query, description = "year of publication (else of fieldwork)"),
        ("sort" = Option<String>, Query, description = "score (default, as a share of its maximum), unit, published, or a standard's code"),
        ("page" = Option<String>, Query, description = "1-based; 1,000 rows a page"),
    ),
    responses((status = 200, body = NationalBody, description = "the league table: id, unit, region, kind, programme, published, score, score_max, overall_rating, ratings [[code, rating]], findings"), (status = 401, body = super::ErrorBody), (status = 422, body = super::ErrorBody)))]
pub(super) async fn national(
    State(state): State<AppState>,
    ApiUser(_who): ApiUser,
    Query(filters): Query<Filters>,
) -> Result<Json<NationalBody>, ApiError> {
    let query = filters.query()?;
    let rows = league(&stored(&state).await?, &query);
    let (page, _) = page_of(&rows, filters.page()?, API_PAGE_ROWS);
    Ok(body(page))
}

#[utoipa::path(get, path = "/api/v1/national/units",
    params(("page" = Option<String>, Query, description = "1-based; 1,000 units a page")),
    responses((status = 200, body = NationalBody, description = "each unit's inspections, oldest first"), (status = 401, body = super::ErrorBody)))]
pub(super) async fn units(
    State(state): State<AppState>,
    ApiUser(_who): ApiUser,
    Query(filters): Query<Filters>,
) -> Result<Json<NationalBody>, ApiError> {
    let units = histories(&stored(&state).await?);
    let (page, _) = page_of(&units, filters.page()?, API_PAGE_ROWS);
    Ok(body(page))
}

#[utoipa::path(get, path = "/api/v1/national/distributions/{programme}/{kind}",
    params(("programme" = String, Path, description = "2018, 2021 or 2023"), ("kind" = String, Path, description = "pdu, region or crc_or_nps_division")),
    responses((status = 200, body = NationalBody, description = "per standard: rating counts, and each key question's percentages and median"), (status = 401, body = super::ErrorBody)))]
pub(super) async fn spread(
    State(state): State<AppState>,
    ApiUser(_who): ApiUser,
    Path((programme, kind)): Path<(String, String)>,
) -> Result<Json<NationalBody>, ApiError> {
    Ok(body(distributions(
        &stored(&state).await?,
        &programme,
        &kind,
    )))
}

#[utoipa::path(get, path = "/api/v1/national/bands",
    responses((status = 200, body = NationalBody, description = "each overall band edge of each kind: the range every stored result allows, the results pinning it, the framework's edge"), (status = 401, body = super::ErrorBody)))]
pub(super) async fn bands(
    State(state): State<AppState>,
    ApiUser(_who): ApiUser,
) -> Result<Json<NationalBody>, ApiError> {
    let results: Vec<_> = stored(&state).await?.into_iter().map(|(_, r)| r).collect();
    Ok(body(published::infer(&published::frameworks(), &results)))
}
