//! The HTML pages: sign in and out, the inspections list, an inspection's overview (a region's rolls
//! up its PDUs), its ratings, the report preview, a case's form and its history. Every page checks
//! access first (`AppState::authorize`) and renders through the auto-escaping templates.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use axum_extra::extract::CookieJar;
use casework_core::case::is_assessed;
use casework_core::{Framework, Inspection, Ratings, rate};
use casework_store::{AuditEntry, CaseEdit, StoreError, StoredCase, case_entity, describe_change};
use serde::{Deserialize, Serialize};

use crate::access::{Need, decide};
use crate::auth::{
    self, ClientAddr, MaybeSignedIn, SESSION_COOKIE, SESSION_SECONDS, SIGN_IN_COOKIE, SignedIn,
    check_sign_in_fields, cookie, new_token, token_hash, verify_password,
};
use crate::error::{PageError, WebError};
use crate::form::{self, FieldError, Posted};
use crate::state::AppState;
use crate::views::{Panel, Tag, ctx, render};

pub fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(inspections))
        .route("/sign-in", get(sign_in_page).post(sign_in))
        .route("/sign-out", post(sign_out))
        .route("/inspections/{slug}", get(overview))
        .route("/inspections/{slug}/ratings", get(ratings_page))
        .route("/inspections/{slug}/report", get(report_preview))
        .route("/inspections/{slug}/publish", post(publish))
        .route(
            "/inspections/{slug}/cases/{instrument}/{case_ref}",
            get(case_page).post(save_case),
        )
        .route(
            "/inspections/{slug}/cases/{instrument}/{case_ref}/history",
            get(history),
        )
}

/// What a path segment must encode: everything but letters, digits and `-._~` (slugs hold `/`;
/// case references may hold anything).
const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

pub fn segment(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, SEGMENT).to_string()
}

pub fn inspection_href(slug: &str) -> String {
    format!("/inspections/{}", segment(slug))
}

pub fn case_href(slug: &str, instrument: &str, case_ref: &str) -> String {
    format!(
        "{}/cases/{}/{}",
        inspection_href(slug),
        segment(instrument),
        segment(case_ref)
    )
}

#[derive(Serialize)]
struct Me<'a> {
    name: &'a str,
    role: &'static str,
}

fn me(who: &SignedIn) -> Me<'_> {
    Me {
        name: &who.user.name,
        role: who.user.role.label(),
    }
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

#[derive(Deserialize)]
struct SignInForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf: String,
}

fn sign_in_form(token: &str, name: &str, errors: &[FieldError]) -> Result<String, WebError> {
    render(
        "sign_in.html",
        ctx! { title => "Sign in", me => (), csrf => "", sign_in_token => token, name => name, errors => errors },
    )
}

async fn sign_in_page(
    State(state): State<AppState>,
    MaybeSignedIn(who): MaybeSignedIn,
    jar: CookieJar,
) -> Result<Response, PageError> {
    if who.is_some() {
        return Ok(Redirect::to("/").into_response());
    }
    let token = new_token();
    let jar = jar.add(cookie(
        SIGN_IN_COOKIE,
        token.clone(),
        state.config.secure_cookies,
        3600,
    ));
    Ok((jar, Html(sign_in_form(&token, "", &[])?)).into_response())
}

/// Checks a name and password (argon2id, off the async threads); an unknown or disabled name costs
/// the same and is refused the same.
pub async fn check_credentials(
    state: &AppState,
    name: &str,
    password: &str,
) -> Result<Option<casework_store::User>, WebError> {
    const NOBODY: &str = "$argon2id$v=19$m=19456,t=2,p=1$c29tZXNhbHRzb21lc2FsdA$5R+7t4pI7oOvOpgHjcRK4rlXOaB5J6Gz7mRCJ1Zl6u0";
    let user = state.store.user(name.trim()).await?;
    let hash = user
        .as_ref()
        .and_then(|u| u.password_hash.clone())
        .unwrap_or_else(|| NOBODY.to_string());
    let password = password.to_string();
    let ok = tokio::task::spawn_blocking(move || verify_password(&hash, &password))
        .await
        .map_err(|e| WebError::Internal(e.to_string()))?;
    Ok(user.filter(|u| ok && u.password_hash.is_some() && !u.disabled))
}

/// Starts a session for `user` and returns the cookie jar that carries it and its CSRF token.
pub async fn start_session(
    state: &AppState,
    jar: CookieJar,
    user: &str,
) -> Result<(CookieJar, String), WebError> {
    let token = new_token();
    let csrf = new_token();
    state
        .store
        .create_session(
            &token_hash(&token),
            user,
            &csrf,
            casework_store::unix_now() + SESSION_SECONDS,
        )
        .await?;
    let jar = jar.add(cookie(
        SESSION_COOKIE,
        token,
        state.config.secure_cookies,
        SESSION_SECONDS,
    ));
    Ok((jar, csrf))
}

async fn sign_in(
    State(state): State<AppState>,
    ClientAddr(client): ClientAddr,
    jar: CookieJar,
    Form(f): Form<SignInForm>,
) -> Result<Response, PageError> {
    let expected = jar.get(SIGN_IN_COOKIE).map(|c| c.value().to_string());
    if !expected.is_some_and(|t| auth::same_token(&t, &f.csrf)) {
        return Err(WebError::Csrf.into());
    }
    let refuse = |status: StatusCode, message: &str| -> Result<Response, PageError> {
        let errors = [FieldError {
            field: "name".into(),
            name: "name".into(),
            message: message.into(),
        }];
        // A refused name is not shown back whole: it may be anything up to the body's limit.
        let shown: String = f
            .name
            .chars()
            .take(casework_core::text::NAME_MAX_CHARS)
            .collect();
        Ok((status, Html(sign_in_form(&f.csrf, &shown, &errors)?)).into_response())
    };
    if let Err(message) = check_sign_in_fields(&f.name, &f.password) {
        return refuse(StatusCode::UNPROCESSABLE_ENTITY, &message);
    }
    state.sign_in_attempt(client, &f.name)?;
    let Some(user) = check_credentials(&state, &f.name, &f.password).await? else {
        return refuse(
            StatusCode::UNAUTHORIZED,
            "The user name or password is not right",
        );
    };
    let (jar, _) = start_session(&state, jar.remove(SIGN_IN_COOKIE), &user.name).await?;
    Ok((jar, Redirect::to("/")).into_response())
}

#[derive(Deserialize)]
struct CsrfForm {
    #[serde(default)]
    csrf: String,
}

async fn sign_out(
    State(state): State<AppState>,
    who: SignedIn,
    jar: CookieJar,
    Form(f): Form<CsrfForm>,
) -> Result<Response, PageError> {
    who.check_csrf(Some(&f.csrf))?;
    state.store.end_session(&who.token_hash).await?;
    Ok((jar.remove(SESSION_COOKIE), Redirect::to("/sign-in")).into_response())
}

#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct Progress {
    pub instrument: String,
    pub label: String,
    pub assessed: usize,
    pub sampled: usize,
}

/// Cases assessed and sampled per instrument, over the inspection and its PDU inspections.
pub(crate) fn progress(fw: &Framework, inspection: &Inspection) -> Vec<Progress> {
    let weeks = fw.rules.reset_adjusted_max_weeks;
    fw.instruments
        .iter()
        .filter_map(|inst| {
            let sets: Vec<_> = std::iter::once(inspection)
                .chain(&inspection.units)
                .filter_map(|i| i.cases_for(&inst.id))
                .collect();
            let sampled: usize = sets.iter().map(|s| s.len()).sum();
            (sampled > 0).then(|| Progress {
                instrument: inst.id.clone(),
                label: inst.label.clone(),
                sampled,
                assessed: sets
                    .iter()
                    .flat_map(|s| s.rows())
                    .filter(|(case, answers)| is_assessed(inst, case, answers, weeks))
                    .count(),
            })
        })
        .collect()
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

#[derive(Deserialize)]
struct Notice {
    notice: Option<String>,
}

async fn overview(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Query(q): Query<Notice>,
) -> Result<Html<String>, PageError> {
    let standing = state.authorize(&who, &slug, Need::Read).await?;
    let allowed = |need| decide(who.user.role, Some(standing), need).is_ok();
    let rated = state.rated(&slug, &standing).await?;
    let inspection = &rated.inspection;
    let fw = &rated.fw;
    let ratings = &rated.ratings;
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
    let notice = match q.notice.as_deref() {
        Some("published") => {
            Some("Published: viewers can now see this inspection, and its cases are read-only")
        }
        Some("withdrawn") => Some("Publication withdrawn: cases can be edited again"),
        _ => None,
    };
    Ok(Html(render(
        "overview.html",
        ctx! {
            title => &inspection.unit, me => me(&who), csrf => &who.csrf, errors => (),
            slug => &slug, unit => &inspection.unit, kind_label => &ratings.kind_label,
            published => standing.published, parent => parent, notice => notice,
            panel => Panel::of(ratings), progress => progress(fw, inspection),
            units => units, cases => cases, members => members,
            can_publish => allowed(Need::Publish),
        },
    )?))
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
                ctx! { standards => standards_view(ratings) },
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

struct CaseContext<'a> {
    state: &'a AppState,
    who: &'a SignedIn,
    slug: &'a str,
    instrument: &'a str,
    case_ref: &'a str,
}

impl CaseContext<'_> {
    async fn render(
        &self,
        stored: &StoredCase,
        values: Option<&Posted>,
        errors: &[FieldError],
        notice: Option<String>,
        conflict: Option<String>,
    ) -> Result<String, WebError> {
        let standing = self
            .state
            .authorize(self.who, self.slug, Need::ReadCases)
            .await?;
        let rated = self.state.rated(self.slug, &standing).await?;
        let inspection = &rated.inspection;
        let fw = &rated.fw;
        let ratings = &rated.ratings;
        let inst = fw.instrument(self.instrument).ok_or(WebError::NotFound)?;
        let (attributes, groups) = form::view(fw, inst, stored, values, errors);
        let read_only = if standing.published {
            Some("This inspection is published: its cases are read-only.")
        } else if decide(self.who.user.role, Some(standing), Need::Edit).is_err() {
            Some("You can read this case but not change it.")
        } else {
            None
        };
        let href = case_href(self.slug, self.instrument, self.case_ref);
        render(
            "case.html",
            ctx! {
                title => format!("Case {}", self.case_ref), me => me(self.who), csrf => &self.who.csrf,
                errors => errors, slug => self.slug, unit => &inspection.unit,
                instrument_label => &inst.label, case_ref => self.case_ref,
                version => stored.version, read_only => read_only, notice => notice,
                conflict => conflict, attributes => attributes, groups => groups,
                panel => Panel::of(ratings), action => &href,
                api => format!("/api/v1{href}"),
                history_href => format!("{href}/history"),
            },
        )
    }
}

#[derive(Deserialize)]
struct Saved {
    saved: Option<usize>,
}

async fn case_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path((slug, instrument, case_ref)): Path<(String, String, String)>,
    Query(q): Query<Saved>,
) -> Result<Html<String>, PageError> {
    state.authorize(&who, &slug, Need::ReadCases).await?;
    let stored = state.store.case(&slug, &instrument, &case_ref).await?;
    let notice = q.saved.map(|n| match n {
        0 => "Nothing had changed, so nothing was saved".to_string(),
        1 => "Saved 1 change".to_string(),
        n => format!("Saved {n} changes"),
    });
    let ctx = CaseContext {
        state: &state,
        who: &who,
        slug: &slug,
        instrument: &instrument,
        case_ref: &case_ref,
    };
    Ok(Html(ctx.render(&stored, None, &[], notice, None).await?))
}

/// What happened to a case after `version`, from its audit history.
async fn changes_after(
    state: &AppState,
    slug: &str,
    instrument: &str,
    case_ref: &str,
    version: i64,
) -> Result<String, WebError> {
    let entries = state
        .store
        .audit_history(slug, &case_entity(instrument, case_ref))
        .await?;
    let changes: Vec<String> = entries
        .iter()
        .filter_map(|e| {
            let (before, after) = parse_pair(e);
            (after["version"].as_i64().unwrap_or(0) > version)
                .then(|| format!("{} by {}", describe_change(&before, &after), e.actor))
        })
        .collect();
    Ok(if changes.is_empty() {
        "The case changed since you opened it.".to_string()
    } else {
        format!("Changed since you opened it: {}.", changes.join("; "))
    })
}

/// An audit entry's before and after JSON.
pub(crate) fn parse_pair(e: &AuditEntry) -> (serde_json::Value, serde_json::Value) {
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default()
    };
    (parse(&e.before), parse(&e.after))
}

async fn save_case(
    State(state): State<AppState>,
    who: SignedIn,
    Path((slug, instrument, case_ref)): Path<(String, String, String)>,
    Form(pairs): Form<Vec<(String, String)>>,
) -> Result<Response, PageError> {
    let posted = Posted::parse(pairs);
    who.check_csrf(posted.csrf.as_deref())?;
    state.authorize(&who, &slug, Need::Edit).await?;
    let ctx = CaseContext {
        state: &state,
        who: &who,
        slug: &slug,
        instrument: &instrument,
        case_ref: &case_ref,
    };
    let stored = state.store.case(&slug, &instrument, &case_ref).await?;
    let Some(version) = posted.version else {
        return Err(WebError::BadRequest("the form has no version; reload the case".into()).into());
    };
    if version != stored.version {
        let conflict = changes_after(&state, &slug, &instrument, &case_ref, version).await?;
        let page = ctx.render(&stored, None, &[], None, Some(conflict)).await?;
        return Ok((StatusCode::CONFLICT, Html(page)).into_response());
    }
    let fw = state.store.framework_of(&slug).await?;
    let inst = fw.instrument(&instrument).ok_or(WebError::NotFound)?;
    let planned = match form::plan(&fw, inst, &stored, &posted) {
        Ok(p) => p,
        Err(errors) => {
            let page = ctx
                .render(&stored, Some(&posted), &errors, None, None)
                .await?;
            return Ok((StatusCode::UNPROCESSABLE_ENTITY, Html(page)).into_response());
        }
    };
    let mut version = version;
    for (done, change) in planned.iter().enumerate() {
        let edit = CaseEdit {
            inspection: &slug,
            instrument: &instrument,
            case_ref: &case_ref,
            change: change.change(),
            expected_version: version,
            actor: &who.user.name,
            reason: posted.reason.as_deref(),
        };
        match state.store.edit_case(&edit).await {
            Ok(v) => version = v,
            Err(StoreError::StaleVersion { .. }) => {
                let conflict = format!(
                    "{} {}",
                    if done > 0 {
                        format!("{done} of your changes were saved before this.")
                    } else {
                        String::new()
                    },
                    changes_after(&state, &slug, &instrument, &case_ref, version).await?
                );
                let now = state.store.case(&slug, &instrument, &case_ref).await?;
                let page = ctx.render(&now, None, &[], None, Some(conflict)).await?;
                return Ok((StatusCode::CONFLICT, Html(page)).into_response());
            }
            Err(e) => return Err(e.into()),
        }
    }
    Ok(Redirect::to(&format!(
        "{}?saved={}",
        case_href(&slug, &instrument, &case_ref),
        planned.len()
    ))
    .into_response())
}

#[derive(Serialize)]
struct HistoryRow {
    at: String,
    actor: String,
    what: String,
    reason: String,
}

async fn history(
    State(state): State<AppState>,
    who: SignedIn,
    Path((slug, instrument, case_ref)): Path<(String, String, String)>,
) -> Result<Html<String>, PageError> {
    state.authorize(&who, &slug, Need::ReadCases).await?;
    // Existence check (and 404) before anything is shown.
    state.store.case(&slug, &instrument, &case_ref).await?;
    let fw = state.store.framework_of(&slug).await?;
    let label = fw
        .instrument(&instrument)
        .map(|i| i.label.clone())
        .unwrap_or_default();
    let info = state.store.stored(&slug).await?;
    let entries: Vec<HistoryRow> = state
        .store
        .audit_history(&slug, &case_entity(&instrument, &case_ref))
        .await?
        .iter()
        .map(|e| {
            let (before, after) = parse_pair(e);
            HistoryRow {
                // To the second, as people read it: 2026-11-23 10:04:05.
                at: e.at.get(..19).unwrap_or(&e.at).replacen('T', " ", 1),
                actor: e.actor.clone(),
                what: describe_change(&before, &after),
                reason: e.reason.clone().unwrap_or_default(),
            }
        })
        .collect();
    Ok(Html(render(
        "history.html",
        ctx! {
            title => format!("History of case {case_ref}"), me => me(&who), csrf => &who.csrf,
            errors => (), slug => &slug, unit => &info.unit, case_ref => &case_ref,
            instrument_label => label, case_href => case_href(&slug, &instrument, &case_ref),
            entries => entries,
        },
    )?))
}
