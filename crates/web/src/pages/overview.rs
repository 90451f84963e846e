//! The inspections a user may see, and an inspection's overview: sample progress, the ratings
//! panel, a region's PDUs with theirs, the case list for those who may read cases, the team.

use axum::Router;
use axum::extract::{Path, State};
use axum::response::Html;
use axum::routing::get;
use casework_core::case::is_assessed;
use casework_core::rate;
use serde::Serialize;

use crate::access::{Need, decide};
use crate::auth::SignedIn;
use crate::error::PageError;
use crate::links::case_href;
use crate::state::AppState;
use crate::views::{Panel, Tag, ctx, progress, render};

use super::me;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(inspections))
        .route("/inspections/{slug}", get(overview))
}

async fn inspections(
    State(state): State<AppState>,
    who: SignedIn,
) -> Result<Html<String>, PageError> {
    let mut visible = Vec::new();
    for i in state.store.list().await? {
        let standing = state.store.standing(&i.slug, &who.user.name).await?;
        if decide(who.user.role, standing, Need::Read).is_ok() {
            visible.push(i);
        }
    }
    Ok(Html(render(
        "inspections.html",
        ctx! { title => "Inspections", me => me(&who), csrf => &who.csrf, errors => (), inspections => visible },
    )?))
}

#[derive(Serialize)]
struct UnitRow {
    slug: String,
    unit: String,
    cases: usize,
    score: u32,
    max_score: u32,
    overall: Tag,
}

#[derive(Serialize)]
struct CaseRow {
    case_ref: String,
    href: String,
    assessed: bool,
}

#[derive(Serialize)]
struct CaseList {
    instrument: String,
    label: String,
    rows: Vec<CaseRow>,
}

async fn overview(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
) -> Result<Html<String>, PageError> {
    let standing = state.authorize(&who, &slug, Need::Read).await?;
    let allowed = |need| decide(who.user.role, Some(standing), need).is_ok();
    let rated = state.rated(&slug, &standing).await?;
    let inspection = &rated.inspection;
    let fw = &rated.fw;
    let published =
        crate::publishing::readers_ratings(&state.store, &who, &slug, &standing).await?;
    let ratings = published.as_ref().unwrap_or(&rated.ratings);
    let info = state.store.stored(&slug).await?;
    // The breadcrumb links to the region only for someone who may open it.
    let parent = match &info.parent {
        Some(p) => {
            let standing = state.store.standing(p, &who.user.name).await?;
            match decide(who.user.role, standing, Need::Read) {
                Ok(()) => Some(state.store.stored(p).await?),
                Err(_) => None,
            }
        }
        None => None,
    };
    let children = state.store.children(&slug).await?;
    let units: Vec<UnitRow> = children
        .iter()
        .zip(&inspection.units)
        .map(|(child, unit)| {
            let r = rate(fw, unit);
            UnitRow {
                slug: child.slug.clone(),
                unit: unit.unit.clone(),
                cases: unit.case_count(),
                score: r.score,
                max_score: r.max_score,
                overall: Tag::of(r.overall.as_ref()),
            }
        })
        .collect();
    let weeks = fw.rules.reset_adjusted_max_weeks;
    let cases: Vec<CaseList> = if allowed(Need::ReadCases) {
        inspection
            .cases
            .iter()
            .filter_map(|set| {
                let inst = fw.instrument(&set.instrument)?;
                Some(CaseList {
                    instrument: inst.id.clone(),
                    label: inst.label.clone(),
                    rows: set
                        .rows()
                        .map(|(case, answers)| CaseRow {
                            href: case_href(&slug, &inst.id, &case.id),
                            case_ref: case.id.clone(),
                            assessed: is_assessed(inst, case, answers, weeks),
                        })
                        .collect(),
                })
            })
            .collect()
    } else {
        Vec::new()
    };
    let members = if allowed(Need::ReadCases) {
        state.store.members(&slug).await?
    } else {
        Vec::new()
    };
    Ok(Html(render(
        "overview.html",
        ctx! {
            title => &inspection.unit, me => me(&who), csrf => &who.csrf, errors => (),
            slug => &slug, unit => &inspection.unit, kind_label => &ratings.kind_label,
            published => standing.published, correcting => standing.published && !standing.frozen,
            parent => parent, notice => (), team => allowed(Need::ReadCases),
            panel => Panel::of(ratings), progress => progress(fw, inspection),
            units => units, cases => cases, members => members,
            can_edit => allowed(Need::Edit), can_lead => allowed(Need::Publish),
        },
    )?))
}
