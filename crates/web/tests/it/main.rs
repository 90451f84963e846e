//! The web service over HTTP, in-process (tower's `oneshot` on the router): every route for every
//! role (the permission matrix), recording a case through the form and through the API with the
//! ratings following, validation errors, conflicts, CSRF rejection, escaping of evidence notes,
//! sign-in throttling and sign-out, and the service's edge (text checks, error shapes, caching).
//! Runs on SQLite, and on PostgreSQL when `DATABASE_URL` is set. One test binary, a module per
//! subject; what they share is here.

mod admin;
mod api;
mod edge;
mod evidence;
mod forms;
mod links;
mod national;
mod permissions;
mod publication;
mod quality;
mod report_text;
mod sample;
mod sign_in;

use std::collections::BTreeMap;

use axum::Router;
use casework_store::{Role, Store};
use casework_testkit::client::Client;
use casework_web::{AppState, Config, app, hash_password};

pub use casework_web::demo::{IN_REVIEW, PUBLISHED as DEMO_PUBLISHED, REGION as DEMO_REGION};

pub const PDU: &str = "northmarch/ashvale";
pub const INSTRUMENT: &str = "sentence-management";
pub const CASE: &str = "ASH-SM-0001";
pub const PUBLISHED_CASE: &str = "COR-SM-0001";
pub const OUTSIDER_PASSWORD: &str = "an outsider's long password";

pub fn enc(s: &str) -> String {
    s.replace('/', "%2F")
}

/// A demo store and its service; returns the store, the router and the demo passwords by name.
pub async fn demo_app(url: &str, config: Config) -> (Store, Router, BTreeMap<String, String>) {
    let store = Store::open(url).await.expect("open store");
    let mut passwords: BTreeMap<String, String> = casework_web::demo::load(&store)
        .await
        .expect("demo")
        .into_iter()
        .map(|(name, _, password)| (name, password))
        .collect();
    let hash = hash_password(OUTSIDER_PASSWORD).expect("hash");
    store
        .put_user("outsider", Role::Inspector, &hash, "test")
        .await
        .expect("outsider");
    passwords.insert("outsider".into(), OUTSIDER_PASSWORD.into());
    let router = app(AppState::new(store.clone(), config));
    (store, router, passwords)
}

pub fn field<'a>(html: &'a str, name: &str) -> &'a str {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no field {name}"))
        + marker.len();
    let end = html[start..].find('"').expect("closing quote") + start;
    &html[start..end]
}

/// The yes count and relevant count of a key question on the ratings page (from the API).
pub async fn kq(client: &mut Client, slug: &str, standard: &str, id: &str) -> (u64, u64) {
    let r = client
        .get(&format!("/api/v1/inspections/{}/ratings", enc(slug)))
        .await;
    let ratings = r.json();
    let s = ratings["ratings"]["standards"]
        .as_array()
        .expect("standards")
        .iter()
        .find(|s| s["code"] == standard)
        .expect("standard")
        .clone();
    let k = s["key_questions"]
        .as_array()
        .expect("kqs")
        .iter()
        .find(|k| k["id"] == id)
        .expect("kq")
        .clone();
    (
        k["yes"].as_u64().expect("yes"),
        k["relevant"].as_u64().expect("relevant"),
    )
}

/// A multipart body of `(name, file name, content)` parts (no file name: a plain field).
pub fn multipart(parts: &[(&str, Option<&str>, &str)]) -> (String, String) {
    let boundary = "casework-test-boundary";
    let mut body = String::new();
    for (name, file, content) in parts {
        body.push_str(&format!(
            "--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\""
        ));
        if let Some(f) = file {
            body.push_str(&format!("; filename=\"{f}\"\r\nContent-Type: text/csv"));
        }
        body.push_str(&format!("\r\n\r\n{content}\r\n"));
    }
    body.push_str(&format!("--{boundary}--\r\n"));
    (format!("multipart/form-data; boundary={boundary}"), body)
}
