//! The JSON API: saving answers with versions, the OpenAPI document, and security headers.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use casework_testkit::TestDb;
use casework_testkit::client::Client;
use casework_testkit::on_both_backends;
use casework_web::Config;
use serde_json::json;
use tower::ServiceExt;

use crate::{CASE, INSTRUMENT, PDU, demo_app, enc};

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
async fn openapi_describes_the_api_and_pages_carry_security_headers() {
    let db = TestDb::sqlite();
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
    // The whole document, as clients see it: any change to the API's shape shows in review.
    // After a deliberate change: UPDATE_EXPECT=1 cargo test -p casework-web openapi
    let pretty = serde_json::to_string_pretty(&doc).expect("json");
    expect_test::expect_file!["openapi.json"].assert_eq(&format!("{pretty}\n"));
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
