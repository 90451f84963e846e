//! The web service over HTTP, in-process (tower's `oneshot` on the router): every route for every
//! role (the permission matrix), recording a case through the form and through the API with the
//! ratings following, validation errors, conflicts, CSRF rejection, escaping of evidence notes,
//! sign-in rate limiting and sign-out. Runs on SQLite, and on PostgreSQL when `DATABASE_URL` is set.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::Router;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use casework_cli::web::{DEMO_PUBLISHED, DEMO_REGION, load_demo};
use casework_store::{Role, Store};
use casework_web::{AppState, Config, app, hash_password};
use http_body_util::BodyExt;
use serde_json::{Value, json};
use sqlx::Executor;
use tower::ServiceExt;

const PDU: &str = "northmarch/ashvale";
const INSTRUMENT: &str = "sentence-management";
const CASE: &str = "ASH-SM-0001";
const PUBLISHED_CASE: &str = "COR-SM-0001";
const OUTSIDER_PASSWORD: &str = "an outsider's long password";

static COUNTER: AtomicUsize = AtomicUsize::new(0);

fn unique() -> String {
    format!(
        "{}_{}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::SeqCst)
    )
}

fn enc(s: &str) -> String {
    s.replace('/', "%2F")
}

/// A browser-like client: keeps cookies between requests.
struct Client {
    app: Router,
    cookies: BTreeMap<String, String>,
}

struct Reply {
    status: StatusCode,
    location: Option<String>,
    headers: axum::http::HeaderMap,
    body: String,
}

impl Reply {
    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }
}

impl Client {
    fn new(app: Router) -> Client {
        Client {
            app,
            cookies: BTreeMap::new(),
        }
    }

    async fn send(&mut self, mut req: Request<Body>) -> Reply {
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

    async fn get(&mut self, path: &str) -> Reply {
        self.send(Request::get(path).body(Body::empty()).expect("request"))
            .await
    }

    async fn form(&mut self, path: &str, fields: &[(&str, &str)]) -> Reply {
        let body = serde_urlencoded::to_string(fields).expect("form");
        self.send(
            Request::post(path)
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(body))
                .expect("request"),
        )
        .await
    }

    async fn json(&mut self, method: Method, path: &str, body: Value, csrf: Option<&str>) -> Reply {
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
    async fn sign_in(&mut self, name: &str, password: &str) -> String {
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

/// A demo store and its service; returns the store, the router and the demo passwords by name.
async fn demo_app(url: &str, config: Config) -> (Store, Router, BTreeMap<String, String>) {
    let store = Store::open(url).await.expect("open store");
    let mut passwords: BTreeMap<String, String> = load_demo(&store)
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

struct TestDb {
    url: String,
    cleanup: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

fn sqlite_db() -> TestDb {
    let dir = tempfile::tempdir().expect("temp dir");
    TestDb {
        url: dir.path().join("web.db").display().to_string(),
        cleanup: None,
        _dir: Some(dir),
    }
}

async fn postgres_db() -> Option<TestDb> {
    let Ok(base) = std::env::var("DATABASE_URL") else {
        eprintln!("SKIPPED (PostgreSQL): DATABASE_URL is not set; .ci/run sets it");
        return None;
    };
    sqlx::any::install_default_drivers();
    let schema = format!("cw_web_{}", unique());
    let pool = sqlx::AnyPool::connect(&base).await.expect("connect");
    pool.execute(format!("CREATE SCHEMA {schema}").as_str())
        .await
        .expect("create schema");
    pool.close().await;
    Some(TestDb {
        url: casework_store::postgres_url_in_schema(&base, &schema),
        cleanup: Some((base, schema)),
        _dir: None,
    })
}

impl TestDb {
    async fn drop_schema(&self) {
        if let Some((base, schema)) = &self.cleanup {
            let pool = sqlx::AnyPool::connect(base).await.expect("connect");
            let _ = pool
                .execute(format!("DROP SCHEMA {schema} CASCADE").as_str())
                .await;
            pool.close().await;
        }
    }
}

macro_rules! on_both_backends {
    ($name:ident, $scenario:ident) => {
        #[tokio::test(flavor = "multi_thread", worker_threads = 4)]
        async fn $name() {
            let db = sqlite_db();
            $scenario(&db.url).await;
            if let Some(db) = postgres_db().await {
                $scenario(&db.url).await;
                db.drop_schema().await;
            }
        }
    };
}

const ROLES: [&str; 7] = [
    "anonymous",
    "demo-admin",
    "demo-lead",
    "demo-inspector",
    "demo-qa",
    "demo-viewer",
    "outsider",
];

/// What each role gets. `S` = 303 See Other (a page redirect: to sign-in for the anonymous, to the
/// result for a successful form).
const OK: u16 = 200;
const S: u16 = 303;
const NC: u16 = 204;
const UN: u16 = 401;
const FB: u16 = 403;
const NF: u16 = 404;

enum Call {
    Get(String),
    /// A case form post that changes nothing (the current version, no fields).
    SaveCase(&'static str, &'static str),
    /// Withdraw publication of an unpublished PDU (allowed, and changes nothing).
    Publish(&'static str),
    ApiGet(String),
    /// Sets an answer to what it already is, through the API.
    ApiSave(&'static str, &'static str),
    ApiPublish(&'static str),
}

fn matrix() -> Vec<(Call, [u16; 7])> {
    let case = |slug: &str, c: &str| format!("/inspections/{}/cases/{INSTRUMENT}/{c}", enc(slug));
    let pub_pdu = DEMO_PUBLISHED;
    vec![
        //                                                anon admin lead insp qa  view  outs
        (Call::Get("/".into()), [S, OK, OK, OK, OK, OK, OK]),
        (
            Call::Get(format!("/inspections/{DEMO_REGION}")),
            [S, OK, OK, OK, OK, NF, NF],
        ),
        (
            Call::Get(format!("/inspections/{}", enc(PDU))),
            [S, OK, OK, OK, OK, NF, NF],
        ),
        (
            Call::Get(format!("/inspections/{}", enc(pub_pdu))),
            [S, OK, OK, OK, OK, OK, OK],
        ),
        (
            Call::Get(format!("/inspections/{}/ratings", enc(PDU))),
            [S, OK, OK, OK, OK, NF, NF],
        ),
        (
            Call::Get(format!("/inspections/{}/ratings", enc(pub_pdu))),
            [S, OK, OK, OK, OK, OK, OK],
        ),
        (
            Call::Get(format!("/inspections/{DEMO_REGION}/report")),
            [S, OK, OK, OK, OK, NF, NF],
        ),
        (
            Call::Get(format!("/inspections/{}/report", enc(pub_pdu))),
            [S, OK, OK, OK, OK, OK, OK],
        ),
        (Call::Get(case(PDU, CASE)), [S, OK, OK, OK, OK, NF, NF]),
        (
            Call::Get(case(pub_pdu, PUBLISHED_CASE)),
            [S, OK, OK, OK, OK, FB, FB],
        ),
        (
            Call::Get(format!("{}/history", case(PDU, CASE))),
            [S, OK, OK, OK, OK, NF, NF],
        ),
        (
            Call::Get(format!("{}/history", case(pub_pdu, PUBLISHED_CASE))),
            [S, OK, OK, OK, OK, FB, FB],
        ),
        (
            Call::Get("/inspections/no-such-inspection".into()),
            [S, NF, NF, NF, NF, NF, NF],
        ),
        (
            Call::Get(case(PDU, "NO-SUCH-CASE")),
            [S, NF, NF, NF, NF, NF, NF],
        ),
        (Call::SaveCase(PDU, CASE), [S, S, S, S, FB, NF, NF]),
        (
            Call::Publish("northmarch/brackenford"),
            [S, S, S, FB, FB, NF, NF],
        ),
        (
            Call::ApiGet("/api/v1/inspections".into()),
            [UN, OK, OK, OK, OK, OK, OK],
        ),
        (
            Call::ApiGet(format!("/api/v1/inspections/{}", enc(PDU))),
            [UN, OK, OK, OK, OK, NF, NF],
        ),
        (
            Call::ApiGet(format!("/api/v1/inspections/{}/ratings", enc(pub_pdu))),
            [UN, OK, OK, OK, OK, OK, OK],
        ),
        (
            Call::ApiGet(format!("/api/v1{}", case(PDU, CASE))),
            [UN, OK, OK, OK, OK, NF, NF],
        ),
        (
            Call::ApiGet(format!("/api/v1{}", case(pub_pdu, PUBLISHED_CASE))),
            [UN, OK, OK, OK, OK, FB, FB],
        ),
        (
            Call::ApiGet(format!("/api/v1{}/history", case(PDU, CASE))),
            [UN, OK, OK, OK, OK, NF, NF],
        ),
        (Call::ApiSave(PDU, CASE), [UN, OK, OK, OK, FB, NF, NF]),
        (
            Call::ApiPublish("northmarch/brackenford"),
            [UN, NC, NC, FB, FB, NF, NF],
        ),
    ]
}

async fn every_role_gets_what_the_matrix_says(url: &str) {
    let (store, router, passwords) = demo_app(url, Config::default()).await;
    let mut failures = Vec::new();
    for (role_index, role) in ROLES.iter().enumerate() {
        let mut client = Client::new(router.clone());
        let csrf = match passwords.get(*role) {
            Some(p) => client.sign_in(role, p).await,
            None => "no-session".to_string(),
        };
        for (call, expected) in matrix() {
            let (label, reply) = match &call {
                Call::Get(path) => (format!("GET {path}"), client.get(path).await),
                Call::SaveCase(slug, case) => {
                    let version = store
                        .case(slug, INSTRUMENT, case)
                        .await
                        .expect("case")
                        .version;
                    let path = format!("/inspections/{}/cases/{INSTRUMENT}/{case}", enc(slug));
                    let v = version.to_string();
                    (
                        format!("POST {path}"),
                        client
                            .form(&path, &[("csrf", &csrf), ("version", &v)])
                            .await,
                    )
                }
                Call::Publish(slug) => {
                    let path = format!("/inspections/{}/publish", enc(slug));
                    (
                        format!("POST {path}"),
                        client
                            .form(&path, &[("csrf", &csrf), ("published", "false")])
                            .await,
                    )
                }
                Call::ApiGet(path) => (format!("GET {path}"), client.get(path).await),
                Call::ApiSave(slug, case) => {
                    let stored = store.case(slug, INSTRUMENT, case).await.expect("case");
                    let answer = stored.answers.get("P2.1.1").cloned().unwrap_or_default();
                    let path = format!(
                        "/api/v1/inspections/{}/cases/{INSTRUMENT}/{case}/answers/P2.1.1",
                        enc(slug)
                    );
                    let body = json!({"answer": answer, "version": stored.version});
                    (
                        format!("PUT {path}"),
                        client.json(Method::PUT, &path, body, Some(&csrf)).await,
                    )
                }
                Call::ApiPublish(slug) => {
                    let path = format!("/api/v1/inspections/{}/publish", enc(slug));
                    let body = json!({"published": false});
                    (
                        format!("POST {path}"),
                        client.json(Method::POST, &path, body, Some(&csrf)).await,
                    )
                }
            };
            let want = expected[role_index];
            if reply.status.as_u16() != want {
                failures.push(format!(
                    "{role}: {label}: got {}, want {want}",
                    reply.status
                ));
            }
            if role_index == 0 && want == S {
                assert_eq!(reply.location.as_deref(), Some("/sign-in"), "{label}");
            }
            // A denial never leaks the page it denies.
            if matches!(want, FB | NF) {
                assert!(
                    !reply.body.contains("case-form") && !reply.body.contains("\"answers\""),
                    "{role}: {label} leaked content"
                );
            }
        }
    }
    assert!(
        failures.is_empty(),
        "permission matrix:\n{}",
        failures.join("\n")
    );
    store.close().await;
}

on_both_backends!(permission_matrix, every_role_gets_what_the_matrix_says);

fn field<'a>(html: &'a str, name: &str) -> &'a str {
    let marker = format!("name=\"{name}\" value=\"");
    let start = html
        .find(&marker)
        .unwrap_or_else(|| panic!("no field {name}"))
        + marker.len();
    let end = html[start..].find('"').expect("closing quote") + start;
    &html[start..end]
}

/// The yes count and relevant count of a key question on the ratings page (from the API).
async fn kq(client: &mut Client, slug: &str, standard: &str, id: &str) -> (u64, u64) {
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

async fn an_inspector_records_a_case_through_the_form(url: &str) {
    let (store, router, passwords) = demo_app(url, Config::default()).await;
    let mut c = Client::new(router);

    // Sign in through the form: a double-submit token guards it, a wrong password re-renders.
    let page = c.get("/sign-in").await;
    assert_eq!(page.status, StatusCode::OK);
    let token = field(&page.body, "csrf").to_string();
    let wrong = c
        .form(
            "/sign-in",
            &[
                ("csrf", &token),
                ("name", "demo-inspector"),
                ("password", "wrong"),
            ],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::UNAUTHORIZED);
    assert!(wrong.body.contains("govuk-error-summary"));
    let forged = c
        .form(
            "/sign-in",
            &[
                ("csrf", "forged"),
                ("name", "demo-inspector"),
                ("password", &passwords["demo-inspector"]),
            ],
        )
        .await;
    assert_eq!(
        forged.status,
        StatusCode::FORBIDDEN,
        "sign-in without the form's token"
    );
    let ok = c
        .form(
            "/sign-in",
            &[
                ("csrf", &token),
                ("name", "demo-inspector"),
                ("password", &passwords["demo-inspector"]),
            ],
        )
        .await;
    assert_eq!(
        (ok.status, ok.location.as_deref()),
        (StatusCode::SEE_OTHER, Some("/"))
    );

    let path = format!("/inspections/{}/cases/{INSTRUMENT}/{CASE}", enc(PDU));
    let form = c.get(&path).await;
    assert_eq!(form.status, StatusCode::OK);
    let csrf = field(&form.body, "csrf").to_string();
    let version = field(&form.body, "version").to_string();
    assert!(form.body.contains("id=\"ratings-panel\""));

    // Flip a Yes to No: the key question's yes count drops by one.
    let stored = store.case(PDU, INSTRUMENT, CASE).await.expect("case");
    let (qid, standard) = ["P2.1.1", "P2.2.1", "P2.3.1", "P2.4.1"]
        .iter()
        .zip(["P2.1", "P2.2", "P2.3", "P2.4"])
        .find(|(q, _)| stored.answers.get(**q).map(String::as_str) == Some("Y"))
        .map(|(q, s)| (q.to_string(), s))
        .expect("a Yes to flip");
    let before = kq(&mut c, PDU, standard, &qid).await;
    let note = "<script>alert(1)</script><b onclick=\"x()\">evidence</b> & more";
    let answer_name = format!("answer:{qid}");
    let evidence_name = format!("evidence:{qid}");
    let saved = c
        .form(
            &path,
            &[
                ("csrf", &csrf),
                ("version", &version),
                (&answer_name, "N"),
                (&evidence_name, note),
                ("reason", "QA finding"),
            ],
        )
        .await;
    assert_eq!(saved.status, StatusCode::SEE_OTHER, "{}", saved.body);
    assert_eq!(
        saved.location.as_deref(),
        Some(format!("{path}?saved=2").as_str())
    );
    let after = kq(&mut c, PDU, standard, &qid).await;
    assert_eq!(
        after,
        (before.0 - 1, before.1),
        "{qid}: yes count follows the answer"
    );

    // The note is stored as typed and shown as text, never as markup.
    let page = c.get(&format!("{path}?saved=2")).await;
    assert!(page.body.contains("id=\"saved-banner\""));
    assert!(
        !page.body.contains("<script>alert"),
        "evidence markup must be escaped"
    );
    assert!(
        !page.body.contains("<b onclick"),
        "evidence markup must be escaped"
    );
    assert!(
        page.body
            .contains("&lt;script&gt;alert(1)&lt;&#x2f;script&gt;")
    );
    let stored = store.case(PDU, INSTRUMENT, CASE).await.expect("case");
    assert_eq!(stored.evidence.get(&qid).map(String::as_str), Some(note));
    assert_eq!(stored.answers.get(&qid).map(String::as_str), Some("N"));

    // History: both changes, by whom and why, the note named, not quoted.
    let history = c.get(&format!("{path}/history")).await;
    assert!(
        history.body.contains(&format!("{qid} Y -&gt; N")),
        "{}",
        history.body
    );
    assert!(
        history
            .body
            .contains(&format!("evidence note on {qid} changed"))
    );
    assert!(history.body.contains("demo-inspector") && history.body.contains("QA finding"));

    // A bad field: the GOV.UK error summary, and nothing saved.
    let version = stored.version.to_string();
    let bad = c
        .form(
            &path,
            &[
                ("csrf", &csrf),
                ("version", &version),
                ("reset_weeks", "abc"),
                (&answer_name, "Y"),
            ],
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("govuk-error-summary") && bad.body.contains("href=\"#reset_weeks\""));
    assert!(
        bad.body.contains("value=\"abc\""),
        "the form keeps what was typed"
    );
    assert_eq!(
        store
            .case(PDU, INSTRUMENT, CASE)
            .await
            .expect("case")
            .version,
        stored.version
    );

    // A stale version: 409 and what changed, nothing saved.
    let stale = c
        .form(
            &path,
            &[("csrf", &csrf), ("version", "1"), (&answer_name, "Y")],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(
        stale
            .body
            .contains(&format!("{qid} Y -&gt; N by demo-inspector")),
        "{}",
        stale.body
    );
    assert_eq!(
        store
            .case(PDU, INSTRUMENT, CASE)
            .await
            .expect("case")
            .version,
        stored.version
    );

    // No CSRF token, or another one: refused.
    for token in ["", "0000"] {
        let r = c
            .form(
                &path,
                &[("csrf", token), ("version", &version), (&answer_name, "Y")],
            )
            .await;
        assert_eq!(r.status, StatusCode::FORBIDDEN);
    }
    assert_eq!(
        store
            .case(PDU, INSTRUMENT, CASE)
            .await
            .expect("case")
            .version,
        stored.version
    );

    // Published inspections are read-only, even for their inspectors.
    let published = format!(
        "/inspections/{}/cases/{INSTRUMENT}/{PUBLISHED_CASE}",
        enc(DEMO_PUBLISHED)
    );
    let page = c.get(&published).await;
    assert!(page.body.contains("id=\"read-only\"") && !page.body.contains("id=\"save\""));
    let v = store
        .case(DEMO_PUBLISHED, INSTRUMENT, PUBLISHED_CASE)
        .await
        .expect("case")
        .version
        .to_string();
    let r = c
        .form(
            &published,
            &[("csrf", &csrf), ("version", &v), ("reset_weeks", "")],
        )
        .await;
    assert!(r.status == StatusCode::UNPROCESSABLE_ENTITY || r.status == StatusCode::SEE_OTHER);
    let r = c
        .form(
            &published,
            &[("csrf", &csrf), ("version", &v), ("oversight", "absent")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("published"));

    // The audit chain holds every change.
    assert!(
        store
            .audit_verify()
            .await
            .expect("verify")
            .first_broken
            .is_none()
    );

    // Sign out: the session is gone.
    let out = c.form("/sign-out", &[("csrf", &csrf)]).await;
    assert_eq!(out.location.as_deref(), Some("/sign-in"));
    assert_eq!(c.get("/").await.location.as_deref(), Some("/sign-in"));
    store.close().await;
}

on_both_backends!(form_flow, an_inspector_records_a_case_through_the_form);

async fn the_api_saves_answers_with_versions(url: &str) {
    let (store, router, passwords) = demo_app(url, Config::default()).await;
    let mut c = Client::new(router);
    let csrf = c
        .sign_in("demo-inspector", &passwords["demo-inspector"])
        .await;
    let base = format!("/api/v1/inspections/{}/cases/{INSTRUMENT}/{CASE}", enc(PDU));
    let case = c.get(&base).await.json();
    let version = case["version"].as_i64().expect("version");
    let current = case["answers"]["P2.1.1"]
        .as_str()
        .expect("answered")
        .to_string();
    let flipped = if current == "Y" { "N" } else { "Y" };
    let put = |v: i64, a: &str| json!({"answer": a, "version": v});

    let r = c
        .json(
            Method::PUT,
            &format!("{base}/answers/P2.1.1"),
            put(version, flipped),
            Some(&csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.json()["version"], version + 1);
    assert!(r.json()["panel"]["standards"].is_array());

    let stale = c
        .json(
            Method::PUT,
            &format!("{base}/answers/P2.1.1"),
            put(version, &current),
            Some(&csrf),
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    assert!(
        stale.json()["error"]
            .as_str()
            .expect("error")
            .contains(&format!("P2.1.1 {current} -> {flipped}"))
    );

    let no_csrf = c
        .json(
            Method::PUT,
            &format!("{base}/answers/P2.1.1"),
            put(version + 1, &current),
            None,
        )
        .await;
    assert_eq!(no_csrf.status, StatusCode::FORBIDDEN);
    let bad = c
        .json(
            Method::PUT,
            &format!("{base}/answers/P2.1.1"),
            put(version + 1, "maybe"),
            Some(&csrf),
        )
        .await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    let unknown = c
        .json(
            Method::PUT,
            &format!("{base}/answers/R9.9"),
            put(version + 1, "Y"),
            Some(&csrf),
        )
        .await;
    assert_eq!(unknown.status, StatusCode::UNPROCESSABLE_ENTITY);

    let note = c
        .json(
            Method::PUT,
            &format!("{base}/evidence/P2.1.1"),
            json!({"note": "<i>seen</i>", "version": version + 1}),
            Some(&csrf),
        )
        .await;
    assert_eq!(note.status, StatusCode::OK);
    assert_eq!(
        c.get(&base).await.json()["evidence"]["P2.1.1"],
        "<i>seen</i>"
    );
    let history = c.get(&format!("{base}/history")).await.json();
    assert_eq!(history.as_array().expect("entries").len(), 2);
    assert_eq!(
        store
            .case(PDU, INSTRUMENT, CASE)
            .await
            .expect("case")
            .version,
        version + 2
    );
    store.close().await;
}

on_both_backends!(api_flow, the_api_saves_answers_with_versions);

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_is_rate_limited_per_user() {
    let db = sqlite_db();
    let config = Config {
        sign_in_per_minute: 3,
        ..Config::default()
    };
    let (store, router, passwords) = demo_app(&db.url, config).await;
    let mut c = Client::new(router);
    let attempt = |password: String| json!({"name": "demo-qa", "password": password});
    let mut statuses = Vec::new();
    for _ in 0..4 {
        let r = c
            .json(
                Method::POST,
                "/api/v1/session",
                attempt("wrong".into()),
                None,
            )
            .await;
        statuses.push(r.status.as_u16());
    }
    assert_eq!(statuses, [401, 401, 401, 429]);
    // Even the right password waits out the minute; another user is unaffected.
    let r = c
        .json(
            Method::POST,
            "/api/v1/session",
            attempt(passwords["demo-qa"].clone()),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
    c.sign_in("demo-lead", &passwords["demo-lead"]).await;
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn openapi_describes_the_api_and_pages_carry_security_headers() {
    let db = sqlite_db();
    let (store, router, _) = demo_app(&db.url, Config::default()).await;
    let mut c = Client::new(router.clone());
    let doc = c.get("/api/openapi.json").await.json();
    let paths = doc["paths"].as_object().expect("paths");
    for p in [
        "/api/v1/session",
        "/api/v1/inspections",
        "/api/v1/inspections/{slug}",
        "/api/v1/inspections/{slug}/ratings",
        "/api/v1/inspections/{slug}/publish",
        "/api/v1/inspections/{slug}/cases/{instrument}/{case_ref}",
        "/api/v1/inspections/{slug}/cases/{instrument}/{case_ref}/answers/{question}",
        "/api/v1/inspections/{slug}/cases/{instrument}/{case_ref}/evidence/{question}",
        "/api/v1/inspections/{slug}/cases/{instrument}/{case_ref}/history",
    ] {
        assert!(paths.contains_key(p), "OpenAPI lacks {p}");
    }
    let resp = router
        .oneshot(
            Request::get("/sign-in")
                .body(Body::empty())
                .expect("request"),
        )
        .await
        .expect("response");
    let h = resp.headers();
    assert!(
        h[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .expect("csp")
            .contains("script-src 'self'")
    );
    assert_eq!(h[header::X_FRAME_OPTIONS], "DENY");
    let cookie = h[header::SET_COOKIE].to_str().expect("cookie");
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("Secure") && cookie.contains("SameSite=Lax")
    );
    store.close().await;
}

/// Every same-site link on the main pages leads somewhere (slugs hold `/`: a link that does not
/// encode it matches no route).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_link_on_the_main_pages_resolves() {
    let db = sqlite_db();
    let (store, router, passwords) = demo_app(&db.url, Config::default()).await;
    let mut c = Client::new(router);
    c.sign_in("demo-admin", &passwords["demo-admin"]).await;
    let pages = [
        "/".to_string(),
        format!("/inspections/{DEMO_REGION}"),
        format!("/inspections/{}/ratings", enc(PDU)),
        format!("/inspections/{}/cases/{INSTRUMENT}/{CASE}", enc(PDU)),
        format!(
            "/inspections/{}/cases/{INSTRUMENT}/{CASE}/history",
            enc(PDU)
        ),
    ];
    let mut checked = 0;
    for page in pages {
        let body = c.get(&page).await.body.replace("&#x2f;", "/");
        let links: std::collections::BTreeSet<String> = body
            .split("href=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|h| {
                h.starts_with('/') && !h.starts_with("/static") && !h.starts_with("/assets")
            })
            .map(str::to_string)
            .collect();
        assert!(!links.is_empty(), "{page} has links");
        // The first few cases stand for the rest.
        for link in links.iter().take(40) {
            let r = c.get(link).await;
            assert_eq!(r.status, StatusCode::OK, "{link} (linked from {page})");
            checked += 1;
        }
    }
    assert!(checked > 20, "checked {checked} links");
    store.close().await;
}

// ---------------------------------------------------------------------------------------------
// Hardening (issue 13): the service's edge, its errors, sessions and links.

/// A raw request through the client (its cookies), for bodies and headers the helpers do not make.
async fn raw(
    c: &mut Client,
    method: Method,
    path: &str,
    headers: &[(&str, &str)],
    body: Vec<u8>,
) -> Reply {
    let mut req = Request::builder().method(method).uri(path);
    for (name, value) in headers {
        req = req.header(*name, *value);
    }
    c.send(req.body(Body::from(body)).expect("request")).await
}

fn case_api(question_kind: &str, question: &str) -> String {
    format!(
        "/api/v1/inspections/{}/cases/{INSTRUMENT}/{CASE}/{question_kind}/{question}",
        enc(PDU)
    )
}

/// Text a backend cannot store (U+0000, or any control character) is refused where it enters,
/// with 422 naming the field, on both backends alike, and nothing is saved (issue 13, point 2a).
async fn text_no_backend_can_store_is_refused_at_the_edge(url: &str) {
    let (store, router, passwords) = demo_app(url, Config::default()).await;
    let audit = store.audit_entries().await.expect("audit").len();
    let mut c = Client::new(router.clone());
    let csrf = c
        .sign_in("demo-inspector", &passwords["demo-inspector"])
        .await;

    let r = c
        .json(
            Method::PUT,
            &case_api("evidence", "P2.1.1"),
            json!({"note": "seen on\u{0000}Tuesday", "version": 1}),
            Some(&csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["field"], "note", "{}", r.body);
    assert!(
        r.json()["error"].as_str().unwrap_or("").contains("U+0000"),
        "{}",
        r.body
    );

    let r = c
        .json(
            Method::PUT,
            &case_api("answers", "P2.1.1"),
            json!({"answer": "Y", "version": 1, "reason": "because\u{1b}[2J"}),
            Some(&csrf),
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert_eq!(r.json()["field"], "reason");

    // A path segment and a query parameter, on the API (JSON) and on the pages (HTML).
    let r = c
        .get(&format!("/api/v1/inspections/{}%00x", enc(PDU)))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap_or("")
            .starts_with("application/json")
    );
    let r = c.get(&format!("/inspections/{}%00x", enc(PDU))).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("govuk-"), "a GOV.UK error page");
    let r = c
        .get(&format!("/inspections/{}?notice=a%00b", enc(PDU)))
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    // A form field.
    let page = c
        .get(&format!(
            "/inspections/{}/cases/{INSTRUMENT}/{CASE}",
            enc(PDU)
        ))
        .await;
    let version = field(&page.body, "version").to_string();
    let form_csrf = field(&page.body, "csrf").to_string();
    let r = c
        .form(
            &format!("/inspections/{}/cases/{INSTRUMENT}/{CASE}", enc(PDU)),
            &[
                ("csrf", form_csrf.as_str()),
                ("version", version.as_str()),
                ("evidence:P2.1.1", "a\u{0}b"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("evidence:P2.1.1"), "names the field");

    // Signing in with a name no account can have.
    let mut anonymous = Client::new(router);
    let r = anonymous
        .json(
            Method::POST,
            "/api/v1/session",
            json!({"name": "demo-lead\u{0}", "password": "x"}),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);

    assert_eq!(
        store.audit_entries().await.expect("audit").len(),
        audit,
        "nothing saved"
    );
    let case = store.case(PDU, INSTRUMENT, CASE).await.expect("case");
    assert_eq!(case.version, 1);
    store.close().await;
}
on_both_backends!(
    text_refused_at_the_edge,
    text_no_backend_can_store_is_refused_at_the_edge
);

/// Every error under `/api/` is the JSON error body the OpenAPI document declares, whatever
/// produced it (issue 13, point 8); and nothing signed in is cached.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_api_error_is_json_in_the_declared_shape() {
    let db = sqlite_db();
    let (store, router, passwords) = demo_app(&db.url, Config::default()).await;
    let mut c = Client::new(router);
    let declared =
        c.get("/api/openapi.json").await.json()["components"]["schemas"]["ErrorBody"].clone();
    assert_eq!(declared["required"], json!(["error"]), "{declared}");
    let csrf = c
        .sign_in("demo-inspector", &passwords["demo-inspector"])
        .await;
    let answer = case_api("answers", "P2.1.1");
    let json_type = ("content-type", "application/json");
    let token = ("x-csrf-token", csrf.as_str());
    /// What is tried, how, and the status it must get.
    type ErrorCase<'a> = (
        &'a str,
        Method,
        String,
        Vec<(&'a str, &'a str)>,
        Vec<u8>,
        u16,
    );
    let cases: Vec<ErrorCase<'_>> = vec![
        (
            "malformed JSON",
            Method::PUT,
            answer.clone(),
            vec![json_type, token],
            b"{not json".to_vec(),
            400,
        ),
        (
            "wrong types",
            Method::PUT,
            answer.clone(),
            vec![json_type, token],
            br#"{"answer": 5, "version": "one"}"#.to_vec(),
            422,
        ),
        (
            "no content type",
            Method::PUT,
            answer.clone(),
            vec![token],
            br#"{"answer": "Y", "version": 1}"#.to_vec(),
            415,
        ),
        (
            "an unknown route",
            Method::GET,
            "/api/v1/no-such-thing".into(),
            vec![],
            vec![],
            404,
        ),
        (
            "a method not allowed",
            Method::DELETE,
            "/api/v1/inspections".into(),
            vec![token],
            vec![],
            405,
        ),
        (
            "invalid UTF-8 in the path",
            Method::GET,
            "/api/v1/inspections/%FF%FE".into(),
            vec![],
            vec![],
            422,
        ),
        (
            "a body over the limit",
            Method::PUT,
            answer.clone(),
            vec![json_type, token],
            vec![b' '; 2 << 20],
            413,
        ),
        (
            "no CSRF token",
            Method::PUT,
            answer.clone(),
            vec![json_type],
            br#"{"answer": "Y", "version": 1}"#.to_vec(),
            403,
        ),
        (
            "no such inspection",
            Method::GET,
            "/api/v1/inspections/nowhere".into(),
            vec![],
            vec![],
            404,
        ),
    ];
    for (what, method, path, headers, body, status) in cases {
        let r = raw(&mut c, method, &path, &headers, body).await;
        assert_eq!(r.status.as_u16(), status, "{what}: {}", r.body);
        let kind = r.headers[header::CONTENT_TYPE].to_str().unwrap_or("");
        assert!(kind.starts_with("application/json"), "{what}: {kind}");
        assert!(
            r.json()["error"].as_str().is_some_and(|e| !e.is_empty()),
            "{what}: {}",
            r.body
        );
        assert_eq!(r.headers[header::CACHE_CONTROL], "no-store", "{what}");
    }
    // Signed-in pages and API answers are never cached; static assets may be.
    for path in [
        "/".to_string(),
        format!("/inspections/{}", enc(PDU)),
        "/api/v1/inspections".into(),
    ] {
        let r = c.get(&path).await;
        assert_eq!(r.status, StatusCode::OK, "{path}");
        assert_eq!(r.headers[header::CACHE_CONTROL], "no-store", "{path}");
    }
    let r = c.get("/favicon.ico").await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(r.headers[header::CONTENT_TYPE], "image/x-icon");
    assert_ne!(r.headers[header::CACHE_CONTROL], "no-store");
    store.close().await;
}

/// A user's sessions end when their password or role changes, when they are disabled or their
/// sessions revoked; taking them off an inspection takes it away (issue 13, point 5).
async fn sessions_end_when_the_account_changes(url: &str) {
    let (store, router, passwords) = demo_app(url, Config::default()).await;
    let mut c = Client::new(router);
    let name = "demo-inspector";
    c.sign_in(name, &passwords[name]).await;
    assert_eq!(c.get("/").await.status, StatusCode::OK);
    let signed_out =
        |r: Reply| r.status == StatusCode::SEE_OTHER && r.location.as_deref() == Some("/sign-in");

    let new_password = "a brand new long password";
    let hash = hash_password(new_password).expect("hash");
    store
        .put_user(name, Role::Inspector, &hash, "admin")
        .await
        .expect("new password");
    assert!(
        signed_out(c.get("/").await),
        "a password change ends the session"
    );
    c.sign_in(name, new_password).await;

    store
        .put_user(name, Role::Qa, &hash, "admin")
        .await
        .expect("new role");
    assert!(
        signed_out(c.get("/").await),
        "a role change ends the session"
    );
    store
        .put_user(name, Role::Inspector, &hash, "admin")
        .await
        .expect("role back");
    c.sign_in(name, new_password).await;

    store
        .set_disabled(name, true, "admin")
        .await
        .expect("disable");
    assert!(signed_out(c.get("/").await), "disabling ends the session");
    let r = c
        .json(
            Method::POST,
            "/api/v1/session",
            json!({"name": name, "password": new_password}),
            None,
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNAUTHORIZED,
        "a disabled user cannot sign in"
    );
    store
        .set_disabled(name, false, "admin")
        .await
        .expect("enable");
    c.sign_in(name, new_password).await;

    assert_eq!(
        store.revoke_sessions(name, "admin").await.expect("revoke"),
        1
    );
    assert!(signed_out(c.get("/").await), "revoked");
    c.sign_in(name, new_password).await;
    assert_eq!(
        c.get(&format!("/inspections/{DEMO_REGION}")).await.status,
        StatusCode::OK
    );
    store
        .unassign(name, DEMO_REGION, "admin")
        .await
        .expect("unassign");
    assert_eq!(
        c.get(&format!("/inspections/{DEMO_REGION}")).await.status,
        StatusCode::NOT_FOUND
    );
    store.close().await;
}
on_both_backends!(
    sessions_end_on_account_changes,
    sessions_end_when_the_account_changes
);

/// Signs in through the API as if from `ip`; returns the status.
async fn sign_in_from(c: &mut Client, ip: [u8; 4], name: &str, password: &str) -> u16 {
    let req = Request::post("/api/v1/session")
        .header(header::CONTENT_TYPE, "application/json")
        .extension(axum::extract::ConnectInfo(std::net::SocketAddr::from((
            ip, 40000,
        ))))
        .body(Body::from(
            json!({"name": name, "password": password}).to_string(),
        ))
        .expect("request");
    c.send(req).await.status.as_u16()
}

/// Sign-in fields are capped before any work, and a name's allowance is kept per client: guessing
/// at a name from one address does not lock its owner out at another (issue 13, point 1).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_is_capped_and_throttled_per_client() {
    let db = sqlite_db();
    let config = Config {
        sign_in_per_minute: 2,
        ..Config::default()
    };
    let (store, router, passwords) = demo_app(&db.url, config).await;
    let mut c = Client::new(router);
    let long = "n".repeat(101);
    assert_eq!(sign_in_from(&mut c, [10, 0, 0, 9], &long, "x").await, 422);
    let long_password = "p".repeat(1025);
    assert_eq!(
        sign_in_from(&mut c, [10, 0, 0, 9], "demo-qa", &long_password).await,
        422
    );
    let attacker = [10, 0, 0, 66];
    let mut statuses = Vec::new();
    for _ in 0..3 {
        statuses.push(sign_in_from(&mut c, attacker, "demo-qa", "guess").await);
    }
    assert_eq!(statuses, [401, 401, 429]);
    assert_eq!(
        sign_in_from(&mut c, [10, 0, 0, 7], "demo-qa", &passwords["demo-qa"]).await,
        200
    );
    store.close().await;
}

/// Links lead only where the reader may go: a viewer on a published PDU sees no link to its
/// unpublished region (issue 13, point 16).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewers_links_lead_only_where_they_may_go() {
    let db = sqlite_db();
    let (store, router, passwords) = demo_app(&db.url, Config::default()).await;
    let mut c = Client::new(router);
    c.sign_in("demo-viewer", &passwords["demo-viewer"]).await;
    let page = c
        .get(&format!("/inspections/{}", enc(DEMO_PUBLISHED)))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let links: Vec<String> = page
        .body
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|h| h.starts_with('/') && !h.starts_with("/static") && !h.starts_with("/assets"))
        .map(|h| h.replace("&#x2f;", "/"))
        .collect();
    assert!(!links.is_empty());
    for link in &links {
        assert_eq!(c.get(link).await.status, StatusCode::OK, "{link}");
    }
    assert!(
        !links
            .iter()
            .any(|l| l == &format!("/inspections/{DEMO_REGION}"))
    );
    store.close().await;
}

/// Probation Reset weeks: one rule, stated with its range, in the form as in files (issue 13,
/// point 14).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_weeks_follow_one_rule_with_its_range() {
    let db = sqlite_db();
    let (store, router, passwords) = demo_app(&db.url, Config::default()).await;
    let mut c = Client::new(router);
    c.sign_in("demo-inspector", &passwords["demo-inspector"])
        .await;
    let path = format!("/inspections/{}/cases/{INSTRUMENT}/{CASE}", enc(PDU));
    for weeks in ["9999", "157", "-1", "six"] {
        let page = c.get(&path).await;
        let (csrf, version) = (
            field(&page.body, "csrf").to_string(),
            field(&page.body, "version").to_string(),
        );
        let r = c
            .form(
                &path,
                &[
                    ("csrf", csrf.as_str()),
                    ("version", version.as_str()),
                    ("reset_weeks", weeks),
                ],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{weeks}");
        assert!(r.body.contains("from 0 to 156"), "{weeks}");
    }
    store.close().await;
}
