//! What a request can fail with, and how each failure is answered: a GOV.UK error page for
//! browsers, `{"error": ...}` for the API. Denials are 403, or 404 where the inspection's existence
//! is itself private; messages never carry case evidence.

use axum::Json;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use casework_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum WebError {
    #[error("Sign in to continue")]
    SignInRequired,
    #[error("You do not have permission to do that")]
    Forbidden,
    #[error("Page not found")]
    NotFound,
    #[error(
        "The form was out of date or did not come from this site; go back, reload and try again"
    )]
    Csrf,
    #[error("Too many sign-in attempts; wait a minute and try again")]
    TooManyAttempts,
    #[error("{0}")]
    BadRequest(String),
    #[error("{0}")]
    Conflict(String),
    #[error("Something went wrong on our side; nothing was lost, try again")]
    Internal(String),
}

impl WebError {
    pub fn status(&self) -> StatusCode {
        match self {
            WebError::SignInRequired => StatusCode::UNAUTHORIZED,
            WebError::Forbidden | WebError::Csrf => StatusCode::FORBIDDEN,
            WebError::NotFound => StatusCode::NOT_FOUND,
            WebError::TooManyAttempts => StatusCode::TOO_MANY_REQUESTS,
            WebError::BadRequest(_) => StatusCode::UNPROCESSABLE_ENTITY,
            WebError::Conflict(_) => StatusCode::CONFLICT,
            WebError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }
}

impl From<StoreError> for WebError {
    fn from(e: StoreError) -> WebError {
        match e {
            StoreError::NotFound(_) => WebError::NotFound,
            StoreError::StaleVersion { .. } | StoreError::Conflict(_) => {
                WebError::Conflict(e.to_string())
            }
            StoreError::Invalid(m) => WebError::BadRequest(m),
            other => WebError::Internal(other.to_string()),
        }
    }
}

impl From<minijinja::Error> for WebError {
    fn from(e: minijinja::Error) -> WebError {
        WebError::Internal(format!("template: {e:#}"))
    }
}

fn log_internal(e: &WebError) {
    if let WebError::Internal(detail) = e {
        // Store and template errors name tables and templates, never case content.
        eprintln!("casework-web: internal error: {detail}");
    }
}

/// An error page's message, carried on its response so that the page can be rendered again
/// with the signed-in header (`signed_in_errors`).
#[derive(Debug, Clone)]
pub struct ErrorShown(pub String);

/// An error page for the HTML routes.
pub struct PageError(pub WebError);

impl From<WebError> for PageError {
    fn from(e: WebError) -> PageError {
        PageError(e)
    }
}

impl From<StoreError> for PageError {
    fn from(e: StoreError) -> PageError {
        PageError(e.into())
    }
}

impl From<minijinja::Error> for PageError {
    fn from(e: minijinja::Error) -> PageError {
        PageError(e.into())
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        log_internal(&self.0);
        if matches!(self.0, WebError::SignInRequired) {
            return axum::response::Redirect::to("/sign-in").into_response();
        }
        let status = self.0.status();
        let message = self.0.to_string();
        let body = crate::views::error_page(status, &message);
        let mut response = (status, Html(body)).into_response();
        // `signed_in_errors` puts the header back for a signed-in user.
        response.extensions_mut().insert(ErrorShown(message));
        response
    }
}

/// An error for the JSON API.
pub struct ApiError(pub WebError);

impl From<WebError> for ApiError {
    fn from(e: WebError) -> ApiError {
        ApiError(e)
    }
}

impl From<StoreError> for ApiError {
    fn from(e: StoreError) -> ApiError {
        ApiError(e.into())
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        log_internal(&self.0);
        let message = match &self.0 {
            WebError::Internal(_) => "internal error".to_string(),
            other => other.to_string(),
        };
        (
            self.0.status(),
            Json(serde_json::json!({ "error": message })),
        )
            .into_response()
    }
}
