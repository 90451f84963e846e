//! Administration in the web (issue 15, part 7): an admin adds a user (the password shown once
//! works), changes their role (their sessions end), resets the password (the old one stops
//! working), disables and enables them, assigns them to an inspection and takes them off; an
//! admin cannot lock themselves out; every change is in the audit log under the admin's name.
//! Error pages carry the signed-in header (part 6). Both backends.

use axum::http::{Method, StatusCode};
use casework_testkit::client::Client;
use casework_testkit::on_both_backends;
use casework_web::Config;
use serde_json::json;

use crate::{PDU, demo_app, enc};

/// The password shown once on an admin's page.
fn shown_password(body: &str) -> String {
    let start = body.find("id=\"new-password\"").expect("a password shown");
    let from = body[start..].find('>').expect("tag end") + start + 1;
    let to = body[from..].find('<').expect("text end") + from;
    body[from..to].to_string()
}

async fn sign_in_status(router: &axum::Router, name: &str, password: &str) -> StatusCode {
    Client::new(router.clone())
        .json(
            Method::POST,
            "/api/v1/session",
            json!({"name": name, "password": password}),
            None,
        )
        .await
        .status
}

async fn an_admin_manages_users_in_the_web(url: &str) {
    let (store, router, passwords) = demo_app(url, Config::default()).await;
    let mut admin = Client::new(router.clone());
    let csrf = admin.sign_in("demo-admin", &passwords["demo-admin"]).await;
    let mut lead = Client::new(router.clone());
    let lead_csrf = lead.sign_in("demo-lead", &passwords["demo-lead"]).await;
    assert_eq!(lead.get("/admin/users").await.status, StatusCode::FORBIDDEN);
    let r = lead
        .form(
            "/admin/users",
            &[("csrf", &lead_csrf), ("name", "x"), ("role", "admin")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "only admins add users");

    let list = admin.get("/admin/users").await;
    assert_eq!(list.status, StatusCode::OK);
    assert!(
        list.body.contains("data-user=\"demo-lead\"") && list.body.contains("id=\"users-link\"")
    );

    // Added: the password is shown once, never cached, and works.
    let r = admin
        .form(
            "/admin/users",
            &[("csrf", &csrf), ("name", "newbie"), ("role", "inspector")],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    assert_eq!(r.headers["cache-control"], "no-store");
    let first = shown_password(&r.body);
    assert_eq!(
        sign_in_status(&router, "newbie", &first).await,
        StatusCode::OK
    );
    let again = admin
        .form(
            "/admin/users",
            &[("csrf", &csrf), ("name", "newbie"), ("role", "lead")],
        )
        .await;
    assert_eq!(again.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        again.body.contains("already a user called newbie")
            && again.body.contains("govuk-error-summary")
    );

    // Assigned: they see the inspection; taken off: it is gone for them.
    let mut newbie = Client::new(router.clone());
    newbie.sign_in("newbie", &first).await;
    let overview = format!("/inspections/{}", enc(PDU));
    assert_eq!(newbie.get(&overview).await.status, StatusCode::NOT_FOUND);
    let r = admin
        .form(
            "/admin/users/newbie/inspections",
            &[("csrf", &csrf), ("inspection", PDU), ("action", "assign")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(newbie.get(&overview).await.status, StatusCode::OK);
    let page = admin.get("/admin/users/newbie").await;
    assert!(
        page.body.contains("2 sessions") && page.body.contains(&enc(PDU)),
        "{}",
        page.body
    );
    admin
        .form(
            "/admin/users/newbie/inspections",
            &[("csrf", &csrf), ("inspection", PDU), ("action", "unassign")],
        )
        .await;
    assert_eq!(newbie.get(&overview).await.status, StatusCode::NOT_FOUND);

    // A role change ends their sessions.
    let r = admin
        .form(
            "/admin/users/newbie/role",
            &[("csrf", &csrf), ("value", "lead")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        newbie.get("/").await.location.as_deref(),
        Some("/sign-in"),
        "signed out by the role change"
    );
    assert_eq!(
        store
            .user("newbie")
            .await
            .expect("user")
            .expect("newbie")
            .role
            .as_str(),
        "lead"
    );

    // A reset password: the old one no longer works, the new one does.
    let r = admin
        .form("/admin/users/newbie/password", &[("csrf", &csrf)])
        .await;
    let second = shown_password(&r.body);
    assert_ne!(first, second);
    assert_eq!(
        sign_in_status(&router, "newbie", &first).await,
        StatusCode::UNAUTHORIZED
    );
    assert_eq!(
        sign_in_status(&router, "newbie", &second).await,
        StatusCode::OK
    );

    // Disabled, then enabled; sessions ended on request.
    admin
        .form(
            "/admin/users/newbie/disabled",
            &[("csrf", &csrf), ("value", "true")],
        )
        .await;
    assert_eq!(
        sign_in_status(&router, "newbie", &second).await,
        StatusCode::UNAUTHORIZED
    );
    admin
        .form(
            "/admin/users/newbie/disabled",
            &[("csrf", &csrf), ("value", "false")],
        )
        .await;
    let mut back = Client::new(router.clone());
    back.sign_in("newbie", &second).await;
    admin
        .form("/admin/users/newbie/sessions", &[("csrf", &csrf)])
        .await;
    assert_eq!(back.get("/").await.location.as_deref(), Some("/sign-in"));

    // No locking yourself out.
    let r = admin
        .form(
            "/admin/users/demo-admin/disabled",
            &[("csrf", &csrf), ("value", "true")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    let r = admin
        .form(
            "/admin/users/demo-admin/role",
            &[("csrf", &csrf), ("value", "viewer")],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        !store
            .user("demo-admin")
            .await
            .expect("user")
            .expect("admin")
            .disabled
    );

    // Every change audited under the admin's name; the password never.
    let entries = store.audit_entries().await.expect("audit");
    let by_admin: Vec<&str> = entries
        .iter()
        .filter(|e| e.actor == "demo-admin" && e.entity.contains("newbie"))
        .map(|e| e.action.as_str())
        .collect();
    assert!(by_admin.len() >= 7, "{by_admin:?}");
    assert!(
        entries
            .iter()
            .all(|e| !e.after.as_deref().unwrap_or("").contains(&second)),
        "a password in the audit log"
    );

    // Error pages carry the signed-in header.
    let missing = admin.get("/inspections/no-such-inspection").await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("Page not found"));
    assert!(
        missing.body.contains("id=\"signed-in-as\">demo-admin<"),
        "{}",
        missing.body
    );
    let anonymous = Client::new(router.clone()).get("/no-such-page").await;
    assert!(!anonymous.body.contains("signed-in-as"));
    store.close().await;
}
on_both_backends!(admin_pages, an_admin_manages_users_in_the_web);
