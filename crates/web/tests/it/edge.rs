//! The service's edge: text no backend can store refused where it enters, every API error as JSON
//! in the declared shape, nothing signed in cached.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use casework_testkit::TestDb;
use casework_testkit::client::{Client, Reply};
use casework_testkit::on_both_backends;
use casework_web::Config;
use serde_json::json;

use crate::{CASE, INSTRUMENT, PDU, demo_app, enc, field};

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
    let db = TestDb::sqlite();
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
