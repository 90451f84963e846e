//! Signing in and out through the pages: the form (with its double-submit token), the check of the
//! name and password, and the session cookie.

use axum::Form;
use axum::Router;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum_extra::extract::CookieJar;
use serde::Deserialize;

use crate::auth::{
    self, ClientAddr, MaybeSignedIn, SESSION_COOKIE, SIGN_IN_COOKIE, SignedIn, check_credentials,
    check_sign_in_fields, cookie, new_token, start_session,
};
use crate::error::{PageError, WebError};
use crate::form::FieldError;
use crate::state::AppState;
use crate::views::{ctx, render};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/sign-in", get(sign_in_page).post(sign_in))
        .route("/sign-out", post(sign_out))
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
    .map_err(WebError::from)
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
