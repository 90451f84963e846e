//! Administration in the web (issue 15, part 7), for admins only: the users (add with a generated
//! password shown once, change role, reset the password, disable and enable, end their
//! sessions) and who works on which inspection. Every change goes through the store's audited
//! operations, as `casework user` does; an admin cannot disable or demote themselves (the way
//! back in would be the terminal). Anyone else is answered 403.

use axum::Form;
use axum::Router;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use casework_store::{Role, User};
use serde::{Deserialize, Serialize};

use crate::auth::{SignedIn, hash_password, new_password};
use crate::error::{PageError, WebError};
use crate::links::segment;
use crate::state::AppState;
use crate::views::{ctx, render};

use super::{FieldError, Notice, me};

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/admin/users", get(users).post(add_user))
        .route("/admin/users/{name}", get(user_page))
        .route("/admin/users/{name}/role", post(change_role))
        .route("/admin/users/{name}/password", post(reset_password))
        .route("/admin/users/{name}/disabled", post(set_disabled))
        .route("/admin/users/{name}/sessions", post(end_sessions))
        .route("/admin/users/{name}/inspections", post(assignment))
}

fn admin_only(who: &SignedIn) -> Result<(), WebError> {
    if who.user.role == Role::Admin {
        Ok(())
    } else {
        Err(WebError::Forbidden)
    }
}

#[derive(Serialize)]
struct RoleOption {
    id: &'static str,
    label: &'static str,
}

fn role_options() -> Vec<RoleOption> {
    Role::ALL
        .iter()
        .map(|r| RoleOption {
            id: r.as_str(),
            label: r.label(),
        })
        .collect()
}

#[derive(Serialize)]
struct UserRow {
    name: String,
    role: &'static str,
    disabled: bool,
    href: String,
}

fn user_href(name: &str) -> String {
    format!("/admin/users/{}", segment(name))
}

fn notice_text(key: Option<&str>) -> Option<&'static str> {
    Some(match key? {
        "role" => "The role was changed; their sessions ended",
        "disabled" => "The user was disabled; their sessions ended",
        "enabled" => "The user can sign in again",
        "sessions" => "Their sessions ended: they must sign in again",
        "assigned" => "Assigned",
        "unassigned" => "Taken off the inspection",
        _ => return None,
    })
}

async fn users(State(state): State<AppState>, who: SignedIn) -> Result<Response, PageError> {
    admin_only(&who)?;
    users_page(&state, &who, Vec::new(), "", "inspector").await
}

async fn users_page(
    state: &AppState,
    who: &SignedIn,
    errors: Vec<FieldError>,
    name: &str,
    role: &str,
) -> Result<Response, PageError> {
    let rows: Vec<UserRow> = state
        .store
        .users()
        .await?
        .into_iter()
        .map(|u: User| UserRow {
            href: user_href(&u.name),
            role: u.role.label(),
            disabled: u.disabled,
            name: u.name,
        })
        .collect();
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let body = render(
        "admin_users.html",
        ctx! {
            title => "Users", me => me(who), csrf => &who.csrf, errors => &errors,
            users => rows, roles => role_options(), name => name, role => role,
        },
    )?;
    Ok((status, Html(body)).into_response())
}

#[derive(Deserialize)]
struct AddForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    role: String,
}

async fn add_user(
    State(state): State<AppState>,
    who: SignedIn,
    Form(f): Form<AddForm>,
) -> Result<Response, PageError> {
    who.check_csrf(Some(&f.csrf))?;
    admin_only(&who)?;
    let name = f.name.trim();
    let refuse = |field, message: String| FieldError { field, message };
    let Some(role) = Role::parse(&f.role) else {
        let e = refuse("role", "Choose a role".into());
        return users_page(&state, &who, vec![e], name, &f.role).await;
    };
    if name.is_empty() {
        let e = refuse("name", "Enter a user name".into());
        return users_page(&state, &who, vec![e], name, &f.role).await;
    }
    if state.store.user(name).await?.is_some() {
        let e = refuse(
            "name",
            format!(
                "There is already a user called {name}: open them to change their role or password"
            ),
        );
        return users_page(&state, &who, vec![e], name, &f.role).await;
    }
    let password = new_password();
    let hash = hash_password(&password).map_err(WebError::Internal)?;
    match state
        .store
        .put_user(name, role, &hash, &who.user.name)
        .await
    {
        Ok(()) => password_page(&who, name, &password, "added"),
        Err(e) => match WebError::from(e) {
            WebError::BadRequest(message) => {
                users_page(&state, &who, vec![refuse("name", message)], name, &f.role).await
            }
            other => Err(PageError(other)),
        },
    }
}

/// A new password, shown this once: never cached, never stored in clear.
fn password_page(
    who: &SignedIn,
    name: &str,
    password: &str,
    done: &str,
) -> Result<Response, PageError> {
    let body = render(
        "admin_password.html",
        ctx! {
            title => format!("Password for {name}"), me => me(who), csrf => &who.csrf,
            errors => (), name => name, password => password, done => done,
            href => user_href(name),
        },
    )?;
    let mut response = Html(body).into_response();
    response
        .headers_mut()
        .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    Ok(response)
}

async fn user_page(
    State(state): State<AppState>,
    who: SignedIn,
    Path(name): Path<String>,
    Query(q): Query<Notice>,
) -> Result<Response, PageError> {
    admin_only(&who)?;
    let user = state.store.user(&name).await?.ok_or(WebError::NotFound)?;
    let assigned = state.store.assignments(&name).await?;
    let inspections: Vec<String> = state
        .store
        .list()
        .await?
        .into_iter()
        .map(|i| i.slug)
        .filter(|s| !assigned.contains(s))
        .collect();
    let sessions = state.store.session_count(&name).await?;
    let body = render(
        "admin_user.html",
        ctx! {
            title => format!("User {}", user.name), me => me(&who), csrf => &who.csrf,
            errors => (), user => &user, role => user.role.as_str(), roles => role_options(),
            assigned => assigned, inspections => inspections, sessions => sessions,
            href => user_href(&name), yourself => name == who.user.name,
            has_password => user.password_hash.is_some(),
            notice => notice_text(q.notice.as_deref()),
        },
    )?;
    Ok(Html(body).into_response())
}

#[derive(Deserialize)]
struct ValueForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    value: String,
}

fn done(name: &str, notice: &str) -> Response {
    Redirect::to(&format!("{}?notice={notice}", user_href(name))).into_response()
}

/// The user named, for a change by an admin who is not changing their own standing.
async fn target(
    state: &AppState,
    who: &SignedIn,
    name: &str,
    own: bool,
) -> Result<User, PageError> {
    admin_only(who)?;
    let user = state.store.user(name).await?.ok_or(WebError::NotFound)?;
    if own && name == who.user.name {
        return Err(PageError(WebError::Conflict(
            "You cannot change your own role or disable yourself: ask another admin".into(),
        )));
    }
    Ok(user)
}

async fn change_role(
    State(state): State<AppState>,
    who: SignedIn,
    Path(name): Path<String>,
    Form(f): Form<ValueForm>,
) -> Result<Response, PageError> {
    who.check_csrf(Some(&f.csrf))?;
    let user = target(&state, &who, &name, true).await?;
    let role = Role::parse(&f.value)
        .ok_or_else(|| WebError::BadRequest(format!("'{}' is not a role", f.value)))?;
    let Some(hash) = user.password_hash else {
        return Err(PageError(WebError::BadRequest(
            "This name has no account (it appears only in the audit log): add it as a user".into(),
        )));
    };
    state
        .store
        .put_user(&name, role, &hash, &who.user.name)
        .await?;
    Ok(done(&name, "role"))
}

async fn reset_password(
    State(state): State<AppState>,
    who: SignedIn,
    Path(name): Path<String>,
    Form(f): Form<ValueForm>,
) -> Result<Response, PageError> {
    who.check_csrf(Some(&f.csrf))?;
    let user = target(&state, &who, &name, false).await?;
    let password = new_password();
    let hash = hash_password(&password).map_err(WebError::Internal)?;
    state
        .store
        .put_user(&name, user.role, &hash, &who.user.name)
        .await?;
    password_page(&who, &name, &password, "reset")
}

async fn set_disabled(
    State(state): State<AppState>,
    who: SignedIn,
    Path(name): Path<String>,
    Form(f): Form<ValueForm>,
) -> Result<Response, PageError> {
    who.check_csrf(Some(&f.csrf))?;
    target(&state, &who, &name, true).await?;
    let disable = f.value == "true";
    state
        .store
        .set_disabled(&name, disable, &who.user.name)
        .await?;
    Ok(done(&name, if disable { "disabled" } else { "enabled" }))
}

async fn end_sessions(
    State(state): State<AppState>,
    who: SignedIn,
    Path(name): Path<String>,
    Form(f): Form<ValueForm>,
) -> Result<Response, PageError> {
    who.check_csrf(Some(&f.csrf))?;
    target(&state, &who, &name, false).await?;
    state.store.revoke_sessions(&name, &who.user.name).await?;
    Ok(done(&name, "sessions"))
}

#[derive(Deserialize)]
struct AssignForm {
    #[serde(default)]
    csrf: String,
    #[serde(default)]
    inspection: String,
    #[serde(default)]
    action: String,
}

async fn assignment(
    State(state): State<AppState>,
    who: SignedIn,
    Path(name): Path<String>,
    Form(f): Form<AssignForm>,
) -> Result<Response, PageError> {
    who.check_csrf(Some(&f.csrf))?;
    target(&state, &who, &name, false).await?;
    let notice = match f.action.as_str() {
        "assign" => {
            state
                .store
                .assign(&name, &f.inspection, &who.user.name)
                .await?;
            "assigned"
        }
        "unassign" => {
            state
                .store
                .unassign(&name, &f.inspection, &who.user.name)
                .await?;
            "unassigned"
        }
        other => {
            return Err(PageError(WebError::BadRequest(format!(
                "'{other}' is neither assign nor unassign"
            ))));
        }
    };
    Ok(done(&name, notice))
}
