//! Casework's web service: inspectors record cases in the browser and watch the ratings change;
//! leads see progress; viewers see published findings. Server-rendered pages in the GOV.UK Design
//! System that work without JavaScript, a JSON API under `/api/v1` described at `/api/openapi.json`,
//! password sign-in with server-side sessions, CSRF tokens on every form, and per-role,
//! per-inspection access.
//!
//! Owns: HTTP routing and rendering. The rules stay in `casework_core` (ratings, applicability) and
//! the data and its audit log in `casework_store`; this crate composes them per request.

mod access;
mod api;
mod assets;
mod auth;
pub mod demo;
pub mod domain_one;
mod edge;
mod error;
mod form;
mod links;
mod pages;
pub mod publishing;
pub mod quality;
mod rated;
pub mod sampling;
mod serve;
mod signed_in_errors;
mod state;
mod throttle;
mod views;

use std::path::PathBuf;

use axum::Router;
use axum::http::{HeaderName, HeaderValue, header};
use tower_http::set_header::SetResponseHeaderLayer;

pub use access::{Need, decide};
pub use auth::{hash_password, new_password, verify_password};
pub use error::WebError;
pub use serve::{HEADER_READ_TIMEOUT, serve, serve_on};
pub use state::AppState;

/// How the service runs.
#[derive(Debug, Clone)]
pub struct Config {
    /// `node_modules/govuk-frontend/dist/govuk`, from `npm ci`; without it pages are unstyled.
    pub govuk_frontend: Option<PathBuf>,
    /// Mark cookies `Secure` (on by default; browsers treat http://127.0.0.1 as secure).
    pub secure_cookies: bool,
    /// Sign-in attempts allowed per user name per minute from one client address.
    pub sign_in_per_minute: u32,
    /// Sign-in attempts allowed per minute from one client address, at any names.
    pub sign_in_per_minute_per_client: u32,
    /// How long a client has to send a request's headers once it starts one.
    pub header_read_timeout: std::time::Duration,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            govuk_frontend: None,
            secure_cookies: true,
            sign_in_per_minute: 10,
            sign_in_per_minute_per_client: 30,
            header_read_timeout: HEADER_READ_TIMEOUT,
        }
    }
}

/// The whole service as a router (tests drive it in-process; `serve` binds it).
pub fn app(state: AppState) -> Router {
    let headers = [
        (
            header::CONTENT_SECURITY_POLICY,
            "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; \
             font-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; \
             base-uri 'self'; object-src 'none'",
        ),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff"),
        (header::X_FRAME_OPTIONS, "DENY"),
        (header::REFERRER_POLICY, "same-origin"),
        (
            HeaderName::from_static("cross-origin-opener-policy"),
            "same-origin",
        ),
    ];
    let mut router = Router::new()
        .merge(pages::routes())
        .nest("/api/v1", api::routes())
        .merge(api::openapi_route())
        .merge(assets::routes(&state.config))
        .fallback(|| async { error::PageError(error::WebError::NotFound) })
        // Innermost to outermost: text checked once the body is within its limit, then every
        // error given its side's shape, then the security headers on whatever went out.
        .layer(axum::middleware::from_fn(edge::check_text))
        .layer(tower_http::limit::RequestBodyLimitLayer::new(
            edge::UPLOAD_MAX_BYTES,
        ))
        .layer(axum::middleware::from_fn(edge::shape_errors))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            signed_in_errors::signed_in_errors,
        ));
    for (name, value) in headers {
        // A handler that sets its own (the report preview's policy) keeps it.
        router = router.layer(SetResponseHeaderLayer::if_not_present(
            name,
            HeaderValue::from_static(value),
        ));
    }
    router.with_state(state)
}
