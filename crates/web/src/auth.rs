//! Signing in: argon2id password hashes, random tokens, the server-side session behind the
//! `casework_session` cookie (the store keeps only its SHA-256), and the CSRF token every form and
//! every API write must carry. The sign-in form itself is protected by a double-submit token.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use axum::extract::{FromRequestParts, RawPathParams};
use axum::http::request::Parts;
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use casework_store::{Standing, User};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::error::{ApiError, PageError, WebError};
use crate::state::AppState;

pub const SESSION_COOKIE: &str = "casework_session";
/// The double-submit token of the sign-in form (there is no session yet to hold one).
pub const SIGN_IN_COOKIE: &str = "casework_sign_in";
/// The header API writes carry the session's CSRF token in.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// How long a session lasts without signing in again.
pub const SESSION_SECONDS: i64 = 8 * 60 * 60;

/// An argon2id PHC string for `password` (default parameters: 19 MiB, 2 passes).
pub fn hash_password(password: &str) -> Result<String, String> {
    let mut salt = [0u8; 16];
    rand::rng().fill_bytes(&mut salt);
    let salt = SaltString::encode_b64(&salt).map_err(|e| e.to_string())?;
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| e.to_string())
}

pub fn verify_password(hash: &str, password: &str) -> bool {
    PasswordHash::new(hash)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// A random password for a new account: 20 letters and digits (about 119 bits).
pub fn new_password() -> String {
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789";
    let mut rng = rand::rng();
    (0..20)
        .map(|_| ALPHABET[(rng.next_u32() as usize) % ALPHABET.len()] as char)
        .collect()
}

/// 32 random bytes, hex.
pub fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    hex(&bytes)
}

pub fn token_hash(token: &str) -> String {
    hex(&Sha256::digest(token.as_bytes()))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Equal strings, compared in time that does not depend on where they differ.
pub fn same_token(a: &str, b: &str) -> bool {
    a.len() == b.len()
        && !a.is_empty()
        && a.bytes()
            .zip(b.bytes())
            .fold(0u8, |acc, (x, y)| acc | (x ^ y))
            == 0
}

pub fn cookie(name: &'static str, value: String, secure: bool, max_age: i64) -> Cookie<'static> {
    Cookie::build((name, value))
        .path("/")
        .http_only(true)
        .secure(secure)
        .same_site(SameSite::Lax)
        .max_age(time_duration(max_age))
        .build()
}

fn time_duration(seconds: i64) -> time::Duration {
    time::Duration::seconds(seconds)
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

/// The address a request came from (`0.0.0.0` when the service runs without one, in tests).
pub struct ClientAddr(pub std::net::IpAddr);

impl<S: Sync> FromRequestParts<S> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(ClientAddr(
            parts
                .extensions
                .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
                .map_or(std::net::Ipv4Addr::UNSPECIFIED.into(), |c| c.0.ip()),
        ))
    }
}

/// What a sign-in form or request says, checked before any work is done on it: a user name (one
/// line, at most `NAME_MAX_CHARS`) and a password of at most `PASSWORD_MAX_CHARS`.
pub fn check_sign_in_fields(name: &str, password: &str) -> Result<(), String> {
    use casework_core::text::{NAME_MAX_CHARS, PASSWORD_MAX_CHARS, check_name};
    if name.trim().is_empty() || password.is_empty() {
        return Err("Enter your user name and password".into());
    }
    if check_name(name.trim()).is_err() {
        return Err(format!(
            "A user name is at most {NAME_MAX_CHARS} characters on one line"
        ));
    }
    if password.chars().count() > PASSWORD_MAX_CHARS {
        return Err(format!(
            "A password is at most {PASSWORD_MAX_CHARS} characters"
        ));
    }
    Ok(())
}

/// The signed-in user of a request, with the session's CSRF token.
#[derive(Debug, Clone)]
pub struct SignedIn {
    pub user: User,
    pub csrf: String,
    pub token_hash: String,
    /// For a request about an inspection (its route has a `{slug}`): the user's standing on it,
    /// read in the same query as the session (`None` inside: no such inspection).
    pub standing: Option<(String, Option<Standing>)>,
}

impl SignedIn {
    /// Refuses a write whose token is not this session's.
    pub fn check_csrf(&self, token: Option<&str>) -> Result<(), WebError> {
        match token {
            Some(t) if same_token(t, &self.csrf) => Ok(()),
            _ => Err(WebError::Csrf),
        }
    }
}

/// The session named by the request's cookie, if it is live; on a route about an inspection, with
/// the user's standing on it, in one query.
pub async fn current(parts: &mut Parts, state: &AppState) -> Result<Option<SignedIn>, WebError> {
    let jar = CookieJar::from_headers(&parts.headers);
    let Some(token) = jar.get(SESSION_COOKIE).map(|c| c.value().to_string()) else {
        return Ok(None);
    };
    let hash = token_hash(&token);
    let slug = RawPathParams::from_request_parts(parts, state)
        .await
        .ok()
        .and_then(|params| {
            params
                .iter()
                .find(|(name, _)| *name == "slug")
                .map(|(_, value)| value.to_string())
        });
    let signed = match slug {
        Some(slug) => state
            .store
            .session_at(&hash, &slug)
            .await?
            .map(|(s, standing)| (s, Some((slug, standing)))),
        None => state.store.session(&hash).await?.map(|s| (s, None)),
    };
    Ok(signed.map(|(s, standing)| SignedIn {
        user: s.user,
        csrf: s.csrf_token,
        token_hash: hash,
        standing,
    }))
}

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        current(parts, state)
            .await?
            .ok_or(PageError(WebError::SignInRequired))
    }
}

/// A page that is shown signed in or out (sign-in itself).
pub struct MaybeSignedIn(pub Option<SignedIn>);

impl FromRequestParts<AppState> for MaybeSignedIn {
    type Rejection = PageError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, PageError> {
        Ok(MaybeSignedIn(current(parts, state).await?))
    }
}

/// The signed-in user of an API request; API writes also carry [`CSRF_HEADER`].
pub struct ApiUser(pub SignedIn);

impl FromRequestParts<AppState> for ApiUser {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> Result<Self, ApiError> {
        let signed = current(parts, state)
            .await?
            .ok_or(ApiError(WebError::SignInRequired))?;
        if !parts.method.is_safe() {
            let token = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok());
            signed.check_csrf(token)?;
        }
        Ok(ApiUser(signed))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn passwords_verify_only_themselves() {
        let hash = hash_password("correct horse").expect("hash");
        assert!(hash.starts_with("$argon2id$"));
        assert!(verify_password(&hash, "correct horse"));
        assert!(!verify_password(&hash, "correct horsf"));
        assert!(!verify_password("not a hash", "correct horse"));
    }

    #[test]
    fn tokens_are_random_and_compared_exactly() {
        let (a, b) = (new_token(), new_token());
        assert_eq!(a.len(), 64);
        assert_ne!(a, b);
        assert!(same_token(&a, &a.clone()));
        assert!(!same_token(&a, &b));
        assert!(!same_token("", ""));
        assert_eq!(new_password().len(), 20);
    }
}
