//! A browser-like client for a router driven in-process (tower's `oneshot`): it keeps cookies
//! between requests, posts forms and JSON, and signs in through the API.

use std::collections::BTreeMap;

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tower::ServiceExt;

/// A browser-like client: keeps cookies between requests.
pub struct Client {
    pub app: Router,
    pub cookies: BTreeMap<String, String>,
}

pub struct Reply {
    pub status: StatusCode,
    pub location: Option<String>,
    pub headers: axum::http::HeaderMap,
    pub body: String,
}

impl Reply {
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

impl Client {
    pub fn new(app: Router) -> Client {
        Client {
            app,
            cookies: BTreeMap::new(),
        }
    }

    pub async fn send(&mut self, mut req: Request<Body>) -> Reply {
        if !self.cookies.is_empty() {
            let cookie = self
                .cookies
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect::<Vec<_>>()
                .join("; ");
            req.headers_mut()
                .insert(header::COOKIE, cookie.parse().expect("cookie header"));
        }
        let resp = self.app.clone().oneshot(req).await.expect("response");
        for value in resp.headers().get_all(header::SET_COOKIE) {
            let text = value.to_str().expect("ascii cookie");
            let pair = text.split(';').next().unwrap_or("");
            let (name, val) = pair.split_once('=').expect("name=value");
            if val.is_empty() || text.contains("Max-Age=0") {
                self.cookies.remove(name);
            } else {
                self.cookies.insert(name.to_string(), val.to_string());
            }
        }
        let status = resp.status();
        let location = resp
            .headers()
            .get(header::LOCATION)
            .map(|l| l.to_str().expect("ascii").to_string());
        let headers = resp.headers().clone();
        let bytes = resp.into_body().collect().await.expect("body").to_bytes();
        Reply {
            status,
            location,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&mut self, path: &str) -> Reply {
        self.send(Request::get(path).body(Body::empty()).expect("request"))
            .await
    }

    pub async fn form(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(fields).expect("form");
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .expect("request"),
        )
        .await
    }

    pub async fn json(
        &mut self,
        method: Method,
        path: &str,
        body: Value,
        csrf: Option<&str>,
    ) -> Reply {
        let mut req = Request::builder()
            .method(method)
            .uri(path)
            .header(header::CONTENT_TYPE, "application/json");
        if let Some(token) = csrf {
            req = req.header("x-csrf-token", token);
        }
        self.send(req.body(Body::from(body.to_string())).expect("request"))
            .await
    }

    /// Signs in through the API; returns the session's CSRF token.
    pub async fn sign_in(&mut self, name: &str, password: &str) -> String {
        let r = self
            .json(
                Method::POST,
                "/api/v1/session",
                json!({"name": name, "password": password}),
                None,
            )
            .await;
        assert_eq!(r.status, StatusCode::OK, "sign in as {name}: {}", r.body);
        r.json()["csrf_token"]
            .as_str()
            .expect("csrf token")
            .to_string()
    }
}
