//! Error pages with the signed-in header (issue 15, part 6): an HTML error page is first made
//! without a session (it must work when nothing else does); for a request that carries a live
//! session, this renders it again with who is signed in and the way to sign out, as every other
//! page has. The message and status are kept; nothing else is read.

use axum::extract::{Request, State};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use axum_extra::extract::CookieJar;

use crate::auth::{SESSION_COOKIE, token_hash};
use crate::error::ErrorShown;
use crate::state::AppState;

pub async fn signed_in_errors(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let token = CookieJar::from_headers(req.headers())
        .get(SESSION_COOKIE)
        .map(|c| c.value().to_string());
    let response = next.run(req).await;
    let (Some(token), Some(ErrorShown(message))) =
        (token, response.extensions().get::<ErrorShown>().cloned())
    else {
        return response;
    };
    let Ok(Some(session)) = state.store.session(&token_hash(&token)).await else {
        return response;
    };
    let me = crate::pages::Me::of(&session.user);
    let status = response.status();
    let body = crate::views::error_page_as(status, &message, me, &session.csrf_token);
    let (mut parts, _) = response.into_parts();
    parts.headers.remove(axum::http::header::CONTENT_LENGTH);
    let mut rendered = (status, Html(body)).into_response();
    for (name, value) in parts.headers.iter() {
        if name != axum::http::header::CONTENT_TYPE {
            rendered.headers_mut().insert(name.clone(), value.clone());
        }
    }
    rendered
}
