//! An inspection's domain-one evidence page (issue 17), for its team: for each judged standard
//! and each of its key questions, the judged rating and rationale beside the evidence filed
//! against it (survey questions, interview topics, measures, as the report's figures show them,
//! with each figure's name for the narrative; documents), and each evidence file recorded with its
//! version. Leads and inspectors upload a file (a survey export with its mapping, an interviews,
//! measures, documents or key question ratings table; CSV), read by
//! `crate::domain_one::read_file` as `casework evidence` reads it: a bad file is refused with its
//! file, line and column, and nothing is recorded; and they rate a key question with its
//! rationale (saved on the version they read: a rating saved meanwhile is never lost in silence).
//! QA reviewers read. The view is `casework_report::evidence_view`.

use axum::extract::{Multipart, Path, Query, State};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::{Form, Router};
use casework_core::domain_one::{Rows, ratings};
use casework_report::evidence_view::{JudgedStandard, by_standard};
use casework_store::EvidenceFile;
use serde::Deserialize;

use crate::access::{Need, decide};
use crate::auth::SignedIn;
use crate::domain_one::{EvidenceKind, read_file};
use crate::error::{PageError, WebError};
use crate::state::AppState;
use crate::views::{ctx, render};

use super::me;

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route(
            "/inspections/{slug}/evidence",
            get(page)
                .post(upload)
                .layer(axum::extract::DefaultBodyLimit::max(
                    crate::edge::UPLOAD_MAX_BYTES,
                )),
        )
        .route("/inspections/{slug}/evidence/rating", post(rate))
}

/// The key question ratings' record, whose version a rating is saved on.
const RATINGS: &str = "ratings";

#[derive(Deserialize)]
struct PageQuery {
    /// The version just recorded: a number, or the notice is not shown.
    recorded: Option<String>,
}

async fn page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Query(q): Query<PageQuery>,
) -> Result<Html<String>, PageError> {
    // The team's working evidence: not for viewers, even once published.
    let standing = state.authorize(&who, &slug, Need::ReadCases).await?;
    let can_edit = decide(who.user.role, Some(standing), Need::Edit).is_ok() && !standing.frozen;
    let fw = state.store.framework_of(&slug).await?;
    let info = state.store.stored(&slug).await?;
    let judged: Vec<JudgedStandard> = state
        .store
        .judged(&slug)
        .await?
        .into_iter()
        .map(|j| JudgedStandard {
            standard: j.standard,
            rating: j.rating,
            rationale: j.rationale,
        })
        .collect();
    let (evidence, records) = state.store.domain_one(&slug).await?;
    let standards = by_standard(&fw, &info.kind, &judged, &evidence);
    let earlier: Vec<_> = state
        .store
        .domain_one_history(&slug)
        .await?
        .into_iter()
        .map(|(record, _)| record)
        .collect();
    Ok(Html(render(
        "evidence.html",
        ctx! {
            title => format!("Domain one evidence: {}", info.unit), me => me(&who),
            csrf => &who.csrf, errors => (), slug => &slug, unit => &info.unit,
            standards => standards, records => records, earlier => earlier,
            small_numbers => fw.evidence.small_numbers, can_edit => can_edit,
            ratings_version => records.iter().find(|r| r.kind == RATINGS).map_or(0, |r| r.version),
            rating_options => &fw.ratings,
            notice => q.recorded.and_then(|v| v.parse::<u64>().ok()).map(|v| format!("Recorded (version {v})")),
        },
    )?))
}

/// A file posted with its kind (and, for a survey, its mapping): read, then recorded.
async fn upload(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    mut form: Multipart,
) -> Result<Response, PageError> {
    let (mut csrf, mut kind, mut file, mut mapping) = (String::new(), String::new(), None, None);
    let unreadable = |e: axum::extract::multipart::MultipartError| {
        WebError::BadRequest(format!("The upload could not be read: {e}"))
    };
    while let Some(field) = form.next_field().await.map_err(unreadable)? {
        let name = field.name().unwrap_or("").to_string();
        let file_name = field.file_name().unwrap_or("evidence.csv").to_string();
        match name.as_str() {
            "csrf" => csrf = field.text().await.map_err(unreadable)?,
            "kind" => kind = field.text().await.map_err(unreadable)?,
            "file" | "mapping" => {
                let bytes = field.bytes().await.map_err(unreadable)?;
                if bytes.is_empty() {
                    continue;
                }
                let text = casework_core::input::decode::utf8(&file_name, bytes.to_vec())
                    .map_err(|e| WebError::BadRequest(e.to_string()))?;
                if name == "file" {
                    file = Some((file_name, text));
                } else {
                    mapping = Some((file_name, text));
                }
            }
            _ => {}
        }
    }
    who.check_csrf(Some(&csrf))?;
    state.authorize(&who, &slug, Need::Edit).await?;
    let kind: EvidenceKind = serde_json::from_value(serde_json::Value::String(kind.clone()))
        .map_err(|_| {
            WebError::BadRequest(format!(
                "'{kind}' is not a kind of evidence file: survey, interviews, measures, documents or ratings"
            ))
        })?;
    let (name, text) =
        file.ok_or_else(|| WebError::BadRequest("Choose the file to upload (CSV)".into()))?;
    if mapping.is_some() && kind != EvidenceKind::Survey {
        return Err(WebError::BadRequest(
            "A mapping is read with a survey export only: choose \"A survey export\" or leave the mapping out".into(),
        )
        .into());
    }
    let fw = state.store.framework_of(&slug).await?;
    let inspection_kind = state.store.stored(&slug).await?.kind;
    let (evidence, records) = state.store.domain_one(&slug).await?;
    // Reading a large file is CPU work: off the threads that answer requests.
    let (file_name, framework) = (name.clone(), fw.clone());
    let read = tokio::task::spawn_blocking(move || {
        let rows = Rows::from_csv(&text, &file_name)?;
        read_file(
            &framework,
            Some(&inspection_kind),
            kind,
            rows,
            mapping.as_ref().map(|(n, t)| (t.as_str(), n.as_str())),
        )
    })
    .await
    .map_err(|e| WebError::Internal(format!("reading the file stopped: {e}")))?
    .map_err(|e| WebError::BadRequest(e.to_string()))?;
    let version = match read {
        // A ratings table adds to the ratings kept, on the version read.
        EvidenceFile::KeyQuestionRatings(given) => {
            let merged = ratings::merge(&fw, &evidence.key_question_ratings, given);
            let based_on = records
                .iter()
                .find(|r| r.kind == RATINGS)
                .map_or(0, |r| r.version);
            state
                .store
                .record_domain_one_based_on(
                    &slug,
                    &name,
                    &EvidenceFile::KeyQuestionRatings(merged),
                    &who.user.name,
                    based_on,
                )
                .await?
        }
        read => {
            state
                .store
                .record_domain_one(&slug, &name, &read, &who.user.name)
                .await?
        }
    };
    let href = format!("{}/evidence", crate::links::inspection_href(&slug));
    Ok(Redirect::to(&format!("{href}?recorded={version}")).into_response())
}

#[derive(Deserialize)]
struct RatingForm {
    csrf: String,
    key_question: String,
    rating: String,
    rationale: String,
    /// The ratings record's version the page showed (0: none yet).
    based_on: u64,
}

/// One key question's judged rating and rationale, saved with the others on the version read.
async fn rate(
    State(state): State<AppState>,
    who: SignedIn,
    Path(slug): Path<String>,
    Form(f): Form<RatingForm>,
) -> Result<Response, PageError> {
    who.check_csrf(Some(&f.csrf))?;
    state.authorize(&who, &slug, Need::Edit).await?;
    let fw = state.store.framework_of(&slug).await?;
    let inspection_kind = state.store.stored(&slug).await?.kind;
    let (evidence, _) = state.store.domain_one(&slug).await?;
    let rationale = f.rationale.replace("\r\n", "\n");
    let rated = ratings::set(
        &fw,
        Some(&inspection_kind),
        &evidence.key_question_ratings,
        &f.key_question,
        &f.rating,
        &rationale,
    )
    .map_err(|(field, problem)| WebError::BadRequest(format!("The {field}: {problem}")))?;
    let version = state
        .store
        .record_domain_one_based_on(
            &slug,
            "evidence page",
            &EvidenceFile::KeyQuestionRatings(rated),
            &who.user.name,
            f.based_on,
        )
        .await?;
    let href = format!("{}/evidence", crate::links::inspection_href(&slug));
    // The key question is the framework's (checked above); only its safe characters go into the
    // address.
    let anchor: String = f
        .key_question
        .chars()
        .filter(|c| c.is_ascii_alphanumeric() || *c == '.')
        .collect();
    Ok(Redirect::to(&format!("{href}?recorded={version}#kq-{anchor}")).into_response())
}
