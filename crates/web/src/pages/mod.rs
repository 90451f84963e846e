//! The HTML pages: sign in and out, the inspections list, an inspection's overview (a region's rolls
//! up its PDUs), its ratings, the report preview, writing the report's text, its publication, a case's form and its
//! history, administration (users and who works on what), and the national picture of
//! published results. Every page checks
//! access first (`AppState::authorize`) and renders through the auto-escaping templates. One module
//! per page or pair of pages; this one routes them.

mod admin;
mod case;
mod case_review;
mod evidence;
mod history;
mod marking;
pub(crate) mod national;
mod overview;
mod publication;
mod published;
mod quality;
mod ratings;
mod report_text;
mod sample;
mod sign_in;

use axum::Router;
use serde::Serialize;

use crate::auth::SignedIn;
use crate::error::WebError;
use crate::state::AppState;

pub fn routes() -> Router<AppState> {
    Router::new()
        .merge(sign_in::routes())
        .merge(admin::routes())
        .merge(overview::routes())
        .merge(ratings::routes())
        .merge(publication::routes())
        .merge(published::routes())
        .merge(report_text::routes())
        .merge(case::routes())
        .merge(case_review::routes())
        .merge(sample::routes())
        .merge(evidence::routes())
        .merge(history::routes())
        .merge(quality::routes())
        .merge(marking::routes())
        .merge(national::routes())
}

/// An error shown on a form: the id of its field and the message.
#[derive(Serialize)]
pub(super) struct FieldError {
    pub(super) field: &'static str,
    pub(super) message: String,
}

/// `?notice=`: what the page's banner says just happened (each page words its own keys).
#[derive(serde::Deserialize)]
pub(super) struct Notice {
    pub(super) notice: Option<String>,
}

#[derive(Serialize)]
pub(super) struct Me<'a> {
    name: &'a str,
    role: &'static str,
    /// Shows the Users link.
    admin: bool,
}

pub(super) fn me(who: &SignedIn) -> Me<'_> {
    Me::of(&who.user)
}

impl Me<'_> {
    /// The header's view of `user`.
    pub(crate) fn of(user: &casework_store::User) -> Me<'_> {
        Me {
            name: &user.name,
            role: user.role.label(),
            admin: user.role == casework_store::Role::Admin,
        }
    }
}

/// A seed as typed in a form: blank for a random one (below 2^63, so both backends store it
/// alike; recorded with what it draws), else a whole number.
pub(super) fn seed_from(text: &str) -> Result<u64, WebError> {
    match text.trim() {
        "" => Ok(rand::random::<u64>() >> 1),
        typed => typed
            .parse()
            .map_err(|_| WebError::BadRequest(format!("The seed '{typed}' is not a whole number"))),
    }
}
