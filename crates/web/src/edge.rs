//! The service's edge: rules every request and response keeps, whatever route it takes, applied as
//! middleware so that no handler (present or future) can forget them.
//!
//! - [`check_text`]: text that reaches a handler is text Casework can store ([`casework_core::text`]):
//!   every path segment, query parameter, form field and JSON string is decoded and checked for
//!   control characters and a length cap before any handler runs, and refused with 422 naming the
//!   field. The same on SQLite and PostgreSQL, which cannot store U+0000 at all.
//! - [`shape_errors`]: every error under `/api/` is the JSON error body the OpenAPI document
//!   declares (`{"error": "..."}`), including axum's own rejections (malformed JSON, wrong types,
//!   a missing content type, an unknown route, a method not allowed, a body too large); every
//!   other error is a GOV.UK error page.
//! - Personal data is not cached: everything but the static assets is sent with
//!   `Cache-Control: no-store`.

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{Html, IntoResponse, Response};
use casework_core::text::{self, TextProblem};

use crate::error::WebError;

/// The longest value any single form field, JSON string or query parameter may have before a
/// handler looks at it: twice the longest field Casework has (an evidence note), so that a note a
/// little over its limit still gets the form's own error message.
pub const FIELD_MAX_CHARS: usize = 2 * text::NOTE_MAX_CHARS;

/// Bodies buffered for the check (forms and JSON) are at most this long.
pub const BODY_MAX_BYTES: usize = 1 << 20;

/// The longest body the service takes at all: a file uploaded to a page that takes files (the
/// case sample's extract, domain one's evidence), each route raising axum's own 2 MB limit for
/// multipart bodies to it; forms and JSON stay within [`BODY_MAX_BYTES`].
pub const UPLOAD_MAX_BYTES: usize = 16 << 20;

/// A field that breaks the rules: where, and why.
struct Refusal {
    field: String,
    problem: TextProblem,
}

/// Checks one value: no control characters but tab, line feed and carriage return (form text
/// areas send CRLF), at most [`FIELD_MAX_CHARS`].
fn check_value(field: &str, value: &str) -> Result<(), Refusal> {
    text::check_multiline(value, FIELD_MAX_CHARS).map_err(|problem| Refusal {
        field: field.to_string(),
        problem,
    })
}

/// Checks a field's name: one line, at most [`text::LINE_MAX_CHARS`].
fn check_name(field: &str) -> Result<(), Refusal> {
    text::check_line(field, text::LINE_MAX_CHARS).map_err(|problem| Refusal {
        field: "a field name".to_string(),
        problem,
    })
}

/// The path's segments, decoded. A segment that is not UTF-8 once decoded is refused.
fn check_path(path: &str) -> Result<(), Refusal> {
    for (i, raw) in path.split('/').enumerate().skip(1) {
        let field = format!("segment {i} of the address");
        let decoded = percent_encoding::percent_decode_str(raw)
            .decode_utf8()
            .map_err(|_| Refusal {
                field: field.clone(),
                problem: TextProblem::Shape("a web address is UTF-8 text once decoded"),
            })?;
        text::check_line(&decoded, text::LINE_MAX_CHARS)
            .map_err(|problem| Refusal { field, problem })?;
    }
    Ok(())
}

fn check_pairs(pairs: &[u8]) -> Result<(), Refusal> {
    // `form_urlencoded` decodes invalid UTF-8 lossily: a replacement character is not a control.
    for (name, value) in form_urlencoded::parse(pairs) {
        check_name(&name)?;
        check_value(&name, &value)?;
    }
    Ok(())
}

fn check_json(value: &serde_json::Value, at: &mut String) -> Result<(), Refusal> {
    match value {
        serde_json::Value::String(s) => {
            let field = if at.is_empty() {
                "the body"
            } else {
                at.as_str()
            };
            check_value(field, s)
        }
        serde_json::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let len = at.len();
                at.push_str(&format!("[{i}]"));
                check_json(item, at)?;
                at.truncate(len);
            }
            Ok(())
        }
        serde_json::Value::Object(fields) => {
            for (key, item) in fields {
                check_name(key)?;
                let len = at.len();
                if !at.is_empty() {
                    at.push('.');
                }
                at.push_str(key);
                check_json(item, at)?;
                at.truncate(len);
            }
            Ok(())
        }
        _ => Ok(()),
    }
}

fn is_api(path: &str) -> bool {
    path.starts_with("/api/")
}

fn content_type(req: &Request) -> String {
    req.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase()
}

fn refuse(api: bool, refusal: Refusal) -> Response {
    let message = format!("{} {}", refusal.field, refusal.problem);
    if api {
        let body = serde_json::json!({ "error": message, "field": refusal.field });
        (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(body)).into_response()
    } else {
        crate::error::PageError(WebError::BadRequest(message)).into_response()
    }
}

/// The text rule at the edge (see the module documentation). Bodies of other types are left to
/// the handler's own extractor, which refuses them (415) before reading them.
pub async fn check_text(req: Request, next: Next) -> Response {
    let api = is_api(req.uri().path());
    if let Err(refusal) = check_path(req.uri().path()) {
        return refuse(api, refusal);
    }
    if let Some(query) = req.uri().query()
        && let Err(refusal) = check_pairs(query.as_bytes())
    {
        return refuse(api, refusal);
    }
    let kind = content_type(&req);
    let form = kind.starts_with("application/x-www-form-urlencoded");
    let json = kind.starts_with("application/json");
    if req.method() == Method::GET || !(form || json) {
        return next.run(req).await;
    }
    let (parts, body) = req.into_parts();
    let bytes: Bytes = match axum::body::to_bytes(body, BODY_MAX_BYTES).await {
        Ok(bytes) => bytes,
        Err(_) => {
            return shaped(
                api,
                StatusCode::PAYLOAD_TOO_LARGE,
                "the request is over the limit of 1 MiB",
            );
        }
    };
    let checked = if form {
        check_pairs(&bytes)
    } else {
        match serde_json::from_slice::<serde_json::Value>(&bytes) {
            Ok(value) => check_json(&value, &mut String::new()),
            // Not JSON: the handler's extractor says so, in the API's error shape.
            Err(_) => Ok(()),
        }
    };
    if let Err(refusal) = checked {
        return refuse(api, refusal);
    }
    next.run(Request::from_parts(parts, Body::from(bytes)))
        .await
}

/// An error response in the shape of its side of the service.
fn shaped(api: bool, status: StatusCode, message: &str) -> Response {
    if api {
        (status, axum::Json(serde_json::json!({ "error": message }))).into_response()
    } else {
        let body = crate::views::error_page(status, message);
        (status, Html(body)).into_response()
    }
}

/// Error bodies in the shape of their side of the service, and `Cache-Control: no-store` on
/// everything but static assets (see the module documentation).
pub async fn shape_errors(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let api = is_api(&path);
    let method = req.method().clone();
    let mut response = next.run(req).await;
    let status = response.status();
    let is_static =
        path.starts_with("/static/") || path.starts_with("/assets/") || path == "/favicon.ico";
    if !is_static {
        response
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    if !status.is_client_error() && !status.is_server_error() {
        return response;
    }
    let kind = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let already = if api {
        kind.starts_with("application/json")
    } else {
        kind.starts_with("text/html")
    };
    if already {
        return response;
    }
    // axum's own rejections are short plain text; anything longer is cut, not shown whole.
    let text = axum::body::to_bytes(std::mem::take(response.body_mut()), 4096)
        .await
        .map(|b| String::from_utf8_lossy(&b).trim().to_string())
        .unwrap_or_default();
    let message = match status {
        StatusCode::NOT_FOUND if api => format!("no such API route: {method} {path}"),
        StatusCode::METHOD_NOT_ALLOWED => format!("{method} is not allowed on {path}"),
        _ if !text.is_empty() && !text.starts_with('<') => text,
        _ => status.canonical_reason().unwrap_or("error").to_string(),
    };
    let mut shaped = shaped(api, status, &message);
    for name in [header::ALLOW, header::RETRY_AFTER] {
        if let Some(value) = response.headers().get(&name) {
            shaped.headers_mut().insert(name, value.clone());
        }
    }
    if !is_static {
        shaped
            .headers_mut()
            .insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
    }
    shaped
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_field_is_checked_and_named() {
        assert!(check_path("/inspections/east-midlands%2Fderby-city/cases/x/DC-1").is_ok());
        let e = check_path("/inspections/a%00b").expect_err("nul in a path");
        assert_eq!(e.field, "segment 2 of the address");
        assert!(check_path("/inspections/%FF%FE").is_err());
        let e = check_pairs(b"csrf=x&evidence%3AP2.1.1=a%00b").expect_err("nul in a form field");
        assert_eq!(e.field, "evidence:P2.1.1");
        assert!(check_pairs(b"note=line%0D%0Anext%09tab").is_ok());
        let mut at = String::new();
        let value = serde_json::json!({"answer": "Y", "list": [{"note": "x\u{1b}"}]});
        let e = check_json(&value, &mut at).expect_err("escape in JSON");
        assert_eq!(e.field, "list[0].note");
        let long = serde_json::json!({ "name": "n".repeat(FIELD_MAX_CHARS + 1) });
        assert!(matches!(
            check_json(&long, &mut String::new()),
            Err(Refusal {
                problem: TextProblem::TooLong { .. },
                ..
            })
        ));
    }
}
