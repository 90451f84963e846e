//! The national picture (issue 18), for every signed-in user: the league table of published
//! results (`/national`, filtered by programme, kind, region and year, sorted by score or any
//! standard), a unit's history across its inspections (`/national/units/{unit}`), and each
//! standard's ratings and key questions' percentages across units
//! (`/national/distributions/{programme}/{kind}`) as SVG charts with the numbers in tables beside
//! them. Published results are public figures; nothing here is personal data.

use axum::Router;
use axum::extract::{Path, Query, State};
use axum::response::Html;
use axum::routing::get;
use casework_core::published::PublishedResult;
use casework_report::national::{
    LeagueQuery, histories, league, page_of, standard_codes, unit_key,
};
use casework_report::national_chart::{percent_strips, ratings_bar};
use casework_report::national_distribution::distributions;
use serde::{Deserialize, Serialize};

use crate::auth::SignedIn;
use crate::error::{PageError, WebError};
use crate::state::AppState;
use crate::views::{ctx, render};

use super::me;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/national", get(league_page))
        .route("/national/units/{unit}", get(unit_page))
        .route(
            "/national/distributions/{programme}/{kind}",
            get(distributions_page),
        )
}

/// The league table's filters as a form sends them: blank means "any".
#[derive(Debug, Default, Deserialize)]
pub(crate) struct Filters {
    programme: Option<String>,
    kind: Option<String>,
    region: Option<String>,
    year: Option<String>,
    sort: Option<String>,
    /// 1-based; the league table shows [`PAGE_ROWS`] results a page.
    page: Option<String>,
}

/// Results a page of the league table shows (the API gives ten times as many).
pub(crate) const PAGE_ROWS: usize = 100;

impl Filters {
    /// The query the filters ask for; a year that is not a whole number is refused.
    pub(crate) fn query(&self) -> Result<LeagueQuery, WebError> {
        let given = |v: &Option<String>| {
            v.as_deref()
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let year = match given(&self.year) {
            None => None,
            Some(y) => Some(y.parse().map_err(|_| {
                WebError::BadRequest(format!("The year '{y}' is not a year like 2025"))
            })?),
        };
        let query = LeagueQuery {
            programme: given(&self.programme),
            kind: given(&self.kind),
            region: given(&self.region),
            year,
            sort: given(&self.sort),
        };
        query.check().map_err(WebError::BadRequest)?;
        Ok(query)
    }

    /// The page asked for (1 when none or blank); not a whole number is refused.
    pub(crate) fn page(&self) -> Result<usize, WebError> {
        match self
            .page
            .as_deref()
            .map(str::trim)
            .filter(|p| !p.is_empty())
        {
            None => Ok(1),
            Some(p) => p
                .parse()
                .map_err(|_| WebError::BadRequest(format!("The page '{p}' is not a page number"))),
        }
    }
}

/// Every stored result with its id.
pub(crate) async fn stored(state: &AppState) -> Result<Vec<(i64, PublishedResult)>, WebError> {
    Ok(state
        .store
        .published_results()
        .await?
        .into_iter()
        .map(|s| (s.id, s.result))
        .collect())
}

/// The values a filter can take, from the results stored.
#[derive(Serialize)]
struct Choices {
    programmes: Vec<String>,
    kinds: Vec<String>,
    regions: Vec<String>,
    years: Vec<u32>,
    codes: Vec<String>,
    /// (programme, kind) pairs with results, for the distributions' links.
    groups: Vec<(String, String)>,
}

fn choices(results: &[(i64, PublishedResult)]) -> Choices {
    let mut c = Choices {
        programmes: Vec::new(),
        kinds: Vec::new(),
        regions: Vec::new(),
        years: Vec::new(),
        codes: Vec::new(),
        groups: Vec::new(),
    };
    for (_, r) in results {
        let push = |list: &mut Vec<String>, v: &Option<String>| {
            if let Some(v) = v
                && !list.contains(v)
            {
                list.push(v.clone());
            }
        };
        push(&mut c.programmes, &r.programme);
        push(&mut c.kinds, &r.kind);
        push(&mut c.regions, &r.region);
        if let Some(y) = r.year()
            && !c.years.contains(&y)
        {
            c.years.push(y);
        }
        for s in &r.standards {
            if !c.codes.contains(&s.code) {
                c.codes.push(s.code.clone());
            }
        }
        if let (Some(p), Some(k)) = (&r.programme, &r.kind) {
            let group = (p.clone(), k.clone());
            if !c.groups.contains(&group) {
                c.groups.push(group);
            }
        }
    }
    c.programmes.sort();
    c.kinds.sort();
    c.regions.sort();
    c.years.sort_unstable();
    c.groups.sort();
    c
}

async fn league_page(
    State(state): State<AppState>,
    who: SignedIn,
    Query(filters): Query<Filters>,
) -> Result<Html<String>, PageError> {
    let query = filters.query()?;
    let all = stored(&state).await?;
    let everything = league(&all, &query);
    let asked = filters.page()?;
    let (rows, pages) = page_of(&everything, asked, PAGE_ROWS);
    let page = asked.clamp(1, pages);
    let codes = standard_codes(rows);
    let with_keys: Vec<serde_json::Value> = rows
        .iter()
        .map(|r| {
            let mut v = serde_json::to_value(r).unwrap_or_default();
            v["unit_key"] = unit_key(&r.unit).into();
            v
        })
        .collect();
    Ok(Html(render(
        "national.html",
        ctx! {
            title => "National picture", me => me(&who), csrf => &who.csrf, errors => (),
            rows => with_keys, codes => codes, query => query, choices => choices(&all),
            stored => all.len(), total => everything.len(), page => page, pages => pages,
            first => (page - 1) * PAGE_ROWS,
            pager => pager(&query, page, pages),
        },
    )?))
}

/// The previous and next pages' addresses, the filters kept.
fn pager(query: &LeagueQuery, page: usize, pages: usize) -> serde_json::Value {
    let href = |p: usize| {
        let mut parts = vec![format!("page={p}")];
        for (name, value) in [
            ("programme", &query.programme),
            ("kind", &query.kind),
            ("region", &query.region),
            ("sort", &query.sort),
        ] {
            if let Some(v) = value {
                parts.push(format!("{name}={}", crate::links::segment(v)));
            }
        }
        if let Some(y) = query.year {
            parts.push(format!("year={y}"));
        }
        format!("/national?{}", parts.join("&"))
    };
    serde_json::json!({
        "previous": (page > 1).then(|| href(page - 1)),
        "next": (page < pages).then(|| href(page + 1)),
    })
}

async fn unit_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(unit): Path<String>,
) -> Result<Html<String>, PageError> {
    let all = stored(&state).await?;
    let history = histories(&all)
        .into_iter()
        .find(|h| unit_key(&h.unit) == unit_key(&unit))
        .ok_or(PageError(WebError::NotFound))?;
    Ok(Html(render(
        "national_unit.html",
        ctx! {
            title => format!("{}: inspections", history.unit), me => me(&who), csrf => &who.csrf,
            errors => (), history => history,
        },
    )?))
}

async fn distributions_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path((programme, kind)): Path<(String, String)>,
) -> Result<Html<String>, PageError> {
    let all = stored(&state).await?;
    let standards = distributions(&all, &programme, &kind);
    if standards.is_empty() {
        return Err(PageError(WebError::NotFound));
    }
    let results = all
        .iter()
        .filter(|(_, r)| {
            r.programme.as_deref() == Some(programme.as_str())
                && r.kind.as_deref() == Some(kind.as_str())
        })
        .count();
    let charts: Vec<serde_json::Value> = standards
        .iter()
        .map(|d| {
            serde_json::json!({
                "standard": d,
                "ratings_svg": ratings_bar(d),
                "percent_svg": if d.key_questions.is_empty() { String::new() } else { percent_strips(d) },
            })
        })
        .collect();
    Ok(Html(render(
        "national_distributions.html",
        ctx! {
            title => format!("Programme {programme}, {kind}: distributions"), me => me(&who),
            csrf => &who.csrf, errors => (), programme => programme, kind => kind,
            results => results, charts => charts,
        },
    )?))
}
