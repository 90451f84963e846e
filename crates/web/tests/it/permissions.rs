//! The permission matrix: every route for every role, and an outsider.

use axum::http::Method;
use casework_testkit::client::Client;
use casework_testkit::on_both_backends;
use casework_web::Config;
use serde_json::json;

use crate::{
    CASE, DEMO_PUBLISHED, DEMO_REGION, IN_REVIEW, INSTRUMENT, PDU, PUBLISHED_CASE, demo_app, enc,
};

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
const UN: u16 = 401;
const FB: u16 = 403;
const NF: u16 = 404;
const CF: u16 = 409;
const UE: u16 = 422;

enum Call {
    Get(String),
    /// A case form post that changes nothing (the current version, no fields).
    SaveCase(&'static str, &'static str),
    /// The publish form without its confirmation (allowed: sent on to the confirmation page).
    Publish(&'static str),
    /// Move a draft to draft (allowed, and refused on the page as no move at all).
    Stage(&'static str),
    ApiGet(String),
    /// Sets an answer to what it already is, through the API.
    ApiSave(&'static str, &'static str),
    /// Publish a draft through the API (allowed, and refused: no factual-accuracy check yet).
    ApiPublish(&'static str),
    /// Move a draft to draft through the API (allowed, and refused as no move).
    ApiStage(&'static str),
    /// A form posted with the session's CSRF token and these fields.
    Form(String, &'static [(&'static str, &'static str)]),
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
        // The downloads follow the report they are made from.
        (
            Call::Get(format!("/inspections/{}/report.pdf", enc(PDU))),
            [S, OK, OK, OK, OK, NF, NF],
        ),
        (
            Call::Get(format!("/inspections/{}/data.xlsx", enc(pub_pdu))),
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
            [UN, CF, CF, FB, FB, NF, NF],
        ),
        (
            Call::ApiStage("northmarch/brackenford"),
            [UN, CF, CF, FB, FB, NF, NF],
        ),
        (
            Call::Get("/admin/users".into()),
            [S, OK, FB, FB, FB, FB, FB],
        ),
        (
            Call::Get("/admin/users/demo-lead".into()),
            [S, OK, FB, FB, FB, FB, FB],
        ),
        (
            Call::Stage("northmarch/brackenford"),
            [S, UE, UE, FB, FB, NF, NF],
        ),
        (
            Call::Get(format!("/inspections/{}/publication", enc(PDU))),
            [S, OK, OK, OK, OK, NF, NF],
        ),
        (
            Call::Get(format!("/inspections/{}/publish", enc(PDU))),
            [S, OK, OK, FB, FB, NF, NF],
        ),
        (
            Call::Get(format!("/inspections/{}/publication", enc(pub_pdu))),
            [S, OK, OK, OK, OK, OK, OK],
        ),
        (
            Call::Get(format!(
                "/inspections/{}/published/1/report.html",
                enc(pub_pdu)
            )),
            [S, OK, OK, OK, OK, OK, OK],
        ),
        (
            Call::Get(format!(
                "/inspections/{}/published/1/ratings.json",
                enc(PDU)
            )),
            [S, NF, NF, NF, NF, NF, NF],
        ),
        // Domain one's evidence (issue 17): the team's, never a viewer's.
        (
            Call::Get(format!("/inspections/{}/evidence", enc(PDU))),
            [S, OK, OK, OK, OK, NF, NF],
        ),
        (
            Call::Get(format!("/inspections/{}/evidence", enc(pub_pdu))),
            [S, OK, OK, OK, OK, FB, FB],
        ),
        // A key question's rating: leads and inspectors (refused here for its blank rationale).
        (
            Call::Form(
                format!("/inspections/{}/evidence/rating", enc(IN_REVIEW)),
                &[
                    ("key_question", "P1.2.1"),
                    ("rating", "good"),
                    ("rationale", " "),
                    ("based_on", "0"),
                ],
            ),
            [S, UE, UE, UE, FB, NF, NF],
        ),
        // Quality assurance (issue 19): the team reads it; leads draw, QA reviewers mark.
        (
            Call::Get(format!("/inspections/{}/qa", enc(PDU))),
            [S, OK, OK, OK, OK, NF, NF],
        ),
        (
            Call::Get(format!("/inspections/{}/qa", enc(pub_pdu))),
            [S, OK, OK, OK, OK, FB, FB],
        ),
        // A share that is not a number: refused on the form, nothing drawn.
        (
            Call::Form(
                format!("/inspections/{}/qa/sample", enc(IN_REVIEW)),
                &[("share", "ten")],
            ),
            [S, UE, UE, FB, FB, NF, NF],
        ),
        // Not drawn for QA: refused on the page; others may not mark at all.
        (
            Call::Get(format!(
                "/inspections/{}/qa/mark/{INSTRUMENT}/BRA-SM-0001",
                enc(IN_REVIEW)
            )),
            [S, CF, CF, FB, CF, NF, NF],
        ),
        // Reopening needs a reason (refused); only leads reopen.
        (
            Call::Form(
                format!("{}/review", case(IN_REVIEW, "BRA-SM-0001")),
                &[("action", "reopen")],
            ),
            [S, UE, UE, FB, FB, NF, NF],
        ),
        // QA reviewers do not change answers, whatever the case's state.
        (
            Call::SaveCase(IN_REVIEW, "BRA-SM-0001"),
            [S, S, S, CF, FB, NF, NF],
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
                        client.form(&path, &[("csrf", &csrf)]).await,
                    )
                }
                Call::ApiGet(path) => (format!("GET {path}"), client.get(path).await),
                Call::Form(path, fields) => {
                    let mut all = vec![("csrf", csrf.as_str())];
                    all.extend(fields.iter().copied());
                    (format!("POST {path}"), client.form(path, &all).await)
                }
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
                Call::Stage(slug) => {
                    let path = format!("/inspections/{}/stage", enc(slug));
                    (
                        format!("POST {path}"),
                        client
                            .form(&path, &[("csrf", &csrf), ("stage", "draft")])
                            .await,
                    )
                }
                Call::ApiStage(slug) => {
                    let path = format!("/api/v1/inspections/{}/stage", enc(slug));
                    let body = json!({"stage": "draft"});
                    (
                        format!("POST {path}"),
                        client.json(Method::POST, &path, body, Some(&csrf)).await,
                    )
                }
                Call::ApiPublish(slug) => {
                    let path = format!("/api/v1/inspections/{}/publish", enc(slug));
                    let body = json!({});
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
