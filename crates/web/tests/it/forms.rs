//! Recording a case through the form: sign-in CSRF, saving, the ratings following, escaping,
//! validation errors with the GOV.UK error summary, stale versions, CSRF rejection, published
//! read-only, sign-out; and Probation Reset weeks' one rule.

use axum::http::StatusCode;
use casework_testkit::TestDb;
use casework_testkit::client::Client;
use casework_testkit::on_both_backends;
use casework_web::Config;

use crate::{CASE, DEMO_PUBLISHED, INSTRUMENT, PDU, PUBLISHED_CASE, demo_app, enc, field, kq};

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
        history.body.contains(": Yes \u{2192} No") && history.body.contains(&qid),
        "{}",
        history.body
    );
    assert!(history.body.contains(&format!("Evidence note on {qid} ")));
    assert!(history.body.contains("demo-inspector") && history.body.contains("QA finding"));
    // Newest first: the note was saved after the answer, in the same form.
    let at = |needle: &str| history.body.find(needle).expect(needle);
    assert!(
        at("Evidence note on") < at(": Yes \u{2192} No"),
        "newest first"
    );

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
    let note_name = format!("evidence:{qid}");
    let stale = c
        .form(
            &path,
            &[
                ("csrf", &csrf),
                ("version", "1"),
                (&answer_name, "Y"),
                (&note_name, "Seen in the <i>plan</i>, twice."),
            ],
        )
        .await;
    assert_eq!(stale.status, StatusCode::CONFLICT);
    // What the user chose and typed stays on the page beside the current values (escaped).
    assert!(
        stale.body.contains(&format!("data-unsaved=\"{qid}\""))
            && stale
                .body
                .contains("You chose <strong>Yes</strong> (not saved)"),
        "the unsaved answer is shown"
    );
    assert!(
        stale
            .body
            .contains("Seen in the &lt;i&gt;plan&lt;&#x2f;i&gt;, twice."),
        "the unsaved note is kept: {}",
        stale.body
    );
    // The form in sections per standard, with a contents list.
    assert!(
        stale.body.contains("id=\"contents\"") && stale.body.contains("href=\"#standard-P2-1\"")
    );
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

/// Probation Reset weeks: one rule, stated with its range, in the form as in files (issue 13,
/// point 14).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reset_weeks_follow_one_rule_with_its_range() {
    let db = TestDb::sqlite();
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

/// A declared attribute (practitioner grade) is shown on the form with the framework's values,
/// saved, shown again, refused naming its field when the value is not one the framework allows,
/// and cleared by "Not recorded".
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn declared_attributes_are_recorded_through_the_form() {
    let db = TestDb::sqlite();
    let (store, router, passwords) = demo_app(&db.url, Config::default()).await;
    let mut c = Client::new(router);
    c.sign_in("demo-inspector", &passwords["demo-inspector"])
        .await;
    let path = format!("/inspections/{}/cases/{INSTRUMENT}/{CASE}", enc(PDU));
    for (value, status) in [
        ("spo", StatusCode::SEE_OTHER),
        ("chief", StatusCode::UNPROCESSABLE_ENTITY),
    ] {
        let page = c.get(&path).await;
        assert!(
            page.body.contains("name=\"attribute:grade\""),
            "the form offers grade"
        );
        assert!(page.body.contains("Senior probation officer"));
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
                    ("attribute:grade", value),
                ],
            )
            .await;
        assert_eq!(r.status, status, "{value}");
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            assert!(
                r.body.contains("Select the practitioner grade"),
                "{}",
                r.body
            );
            assert!(r.body.contains("href=\"#attribute-grade-po\""));
        }
    }
    let stored = store.case(PDU, INSTRUMENT, CASE).await.expect("case");
    assert_eq!(
        stored.record.attributes.get("grade").map(String::as_str),
        Some("spo")
    );
    let page = c.get(&path).await;
    assert!(page.body.contains(
        "id=\"attribute-grade-spo\" name=\"attribute:grade\" type=\"radio\" value=\"spo\" checked"
    ));
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
                ("attribute:grade", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let stored = store.case(PDU, INSTRUMENT, CASE).await.expect("case");
    assert!(!stored.record.attributes.contains_key("grade"));
    store.close().await;
}

/// A cross-field error (a licence-only answer on a case changed to a community sentence) is a
/// GOV.UK error summary on the form, linking to the answer, with what the user chose kept; nothing
/// is saved (issue 15, part 6).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_cross_field_error_is_an_error_summary_with_the_inputs_kept() {
    let db = TestDb::sqlite();
    let (store, router, passwords) = demo_app(&db.url, Config::default()).await;
    let mut c = Client::new(router);
    c.sign_in("demo-inspector", &passwords["demo-inspector"])
        .await;
    let (inspection, _) = store.load(PDU).await.expect("load");
    let set = inspection.cases_for(INSTRUMENT).expect("cases");
    let mut licence_case = None;
    for (case, _) in set.rows() {
        let stored = store.case(PDU, INSTRUMENT, &case.id).await.expect("case");
        let licence = stored.record.sentence == Some(casework_core::case::SentenceType::Licence);
        if licence
            && matches!(
                stored.answers.get("P2.1.3h").map(String::as_str),
                Some("Y" | "N")
            )
        {
            licence_case = Some(stored);
            break;
        }
    }
    let stored = licence_case.expect("a demo licence case answering the licence-only P2.1.3h");
    let path = format!(
        "/inspections/{}/cases/{INSTRUMENT}/{}",
        enc(PDU),
        stored.record.id
    );
    let page = c.get(&path).await;
    let csrf = field(&page.body, "csrf").to_string();
    let version = stored.version.to_string();
    let r = c
        .form(
            &path,
            &[
                ("csrf", &csrf),
                ("version", &version),
                ("sentence", "community"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(r.body.contains("govuk-error-summary"), "an error summary");
    assert!(r.body.contains("P2.1.3h"), "naming the answer in the way");
    assert!(
        r.body.contains(
            "id=\"sentence-community\" name=\"sentence\" type=\"radio\" value=\"community\" checked"
        ),
        "the chosen sentence is kept"
    );
    assert_eq!(
        store
            .case(PDU, INSTRUMENT, &stored.record.id)
            .await
            .expect("case")
            .version,
        stored.version,
        "nothing saved"
    );
    store.close().await;
}
