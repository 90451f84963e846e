//! Signing in: the allowance per name and per client, capped fields, and sessions that end when the
//! account changes.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use casework_store::Role;
use casework_testkit::TestDb;
use casework_testkit::client::{Client, Reply};
use casework_testkit::on_both_backends;
use casework_web::{Config, hash_password};
use serde_json::json;

use crate::{DEMO_REGION, demo_app};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sign_in_is_rate_limited_per_user() {
    let db = TestDb::sqlite();
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
    let db = TestDb::sqlite();
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
