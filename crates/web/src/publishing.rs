//! Making a publication: the report's files made from the stored inspection as it stands, with
//! every correction's reason on them, handed to the store to keep as published
//! ([`Store::publish`]). The one way the web's pages, its API, the demo and `casework publish`
//! publish, so a published version is always exactly what the store held when it was made.

use casework_core::rate;
use casework_store::{PublishedFiles, Stage, Store};

use crate::error::WebError;

/// Publishes `slug` as its next version (a correction gives `reason`, shown on the report);
/// returns the version. Refused, with nothing stored, for everything [`Store::publish`] refuses,
/// and when the narrative does not fill in.
pub async fn publish(
    store: &Store,
    slug: &str,
    reason: Option<&str>,
    actor: &str,
) -> Result<i64, WebError> {
    let state = store.publication_state(slug).await?;
    let blockers = state.blockers();
    if !blockers.is_empty() {
        return Err(WebError::Conflict(format!(
            "It cannot be published yet: {}.",
            blockers.join("; ")
        )));
    }
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    if state.stage == Stage::Correction && reason.is_none() {
        return Err(WebError::BadRequest(
            "Give the reason for the correction: it is shown on the report.".into(),
        ));
    }
    let today = time::OffsetDateTime::now_utc().date().to_string();
    let mut corrections: Vec<(i64, String, String)> = state
        .versions
        .iter()
        .filter(|v| v.version > 1)
        .filter_map(|v| {
            let day = v.published_at.get(..10)?.to_string();
            Some((v.version, day, v.reason.clone()?))
        })
        .collect();
    let version = state.next_version();
    if let (true, Some(reason)) = (version > 1, reason) {
        corrections.push((version, today, reason.to_string()));
    }
    let loaded = store.load_shared(slug).await?;
    let qa = crate::quality::report_figures(store, slug).await?;
    let shown = slug.to_string();
    let files = tokio::task::spawn_blocking(move || -> Result<PublishedFiles, WebError> {
        let ratings = rate(&loaded.framework, &loaded.inspection);
        let report = casework_report::Report::with_quality(
            &loaded.framework,
            &ratings,
            &casework_report::narrative::files_of(&loaded.inspection),
            &shown,
            &qa,
        )
        .map_err(report_error)?
        .with_corrections(&corrections);
        Ok(PublishedFiles {
            html: report.html().map_err(report_error)?,
            pdf: report.pdf().map_err(report_error)?,
            workbook: casework_report::workbook::xlsx_bytes(&report.tables)
                .map_err(report_error)?,
            ratings: serde_json::to_string_pretty(&ratings)
                .map_err(|e| WebError::Internal(e.to_string()))?,
        })
    })
    .await
    .map_err(|e| WebError::Internal(e.to_string()))??;
    Ok(store
        .publish(slug, &files, loaded.revision, reason, actor)
        .await?)
}

/// A narrative that does not fill in (an unknown figure, a bad table) is the user's to fix: said
/// as such, with where; anything else is ours.
pub fn report_error(e: casework_report::ReportError) -> WebError {
    match e {
        casework_report::ReportError::Narrative { .. } => WebError::BadRequest(e.to_string()),
        other => WebError::Internal(other.to_string()),
    }
}

/// The published ratings, when this user is served them instead of the working copy: the
/// inspection is being corrected (so the two may differ) and the user is not of its team.
/// `None`: show the ratings as they stand.
pub async fn readers_ratings(
    store: &Store,
    who: &crate::auth::SignedIn,
    slug: &str,
    standing: &casework_store::Standing,
) -> Result<Option<casework_core::Ratings>, WebError> {
    let correcting = standing.published && !standing.frozen;
    let team = crate::access::decide(
        who.user.role,
        Some(*standing),
        crate::access::Need::ReadCases,
    )
    .is_ok();
    if !correcting || team {
        return Ok(None);
    }
    let Some((_, files)) = store.published_files(slug, None).await? else {
        return Ok(None);
    };
    serde_json::from_str(&files.ratings)
        .map(Some)
        .map_err(|e| WebError::Internal(format!("published ratings of {slug}: {e}")))
}
