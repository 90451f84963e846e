//! Publication in the web (issue 15, part 5): the factual-accuracy round (comments recorded by the
//! team, resolved by a lead only), the confirmation before publishing, the published report
//! served as published while a correction is under way, and the correction published as a new
//! version with its reason on the report. Both backends.

use axum::http::StatusCode;
use casework_store::Stage;
use casework_testkit::client::Client;
use casework_testkit::on_both_backends;
use casework_web::Config;

use crate::{DEMO_PUBLISHED, PDU, demo_app, enc};

fn at(slug: &str, rest: &str) -> String {
    format!("/inspections/{}{rest}", enc(slug))
}

async fn the_factual_accuracy_round_and_a_correction(url: &str) {
    let (store, router, passwords) = demo_app(url, Config::default()).await;
    let mut lead = Client::new(router.clone());
    let lead_csrf = lead.sign_in("demo-lead", &passwords["demo-lead"]).await;
    let mut inspector = Client::new(router.clone());
    let insp_csrf = inspector
        .sign_in("demo-inspector", &passwords["demo-inspector"])
        .await;
    let mut qa = Client::new(router.clone());
    let qa_csrf = qa.sign_in("demo-qa", &passwords["demo-qa"]).await;
    let mut viewer = Client::new(router.clone());
    viewer
        .sign_in("demo-viewer", &passwords["demo-viewer"])
        .await;

    // The factual-accuracy round on the unpublished PDU.
    let r = inspector
        .form(
            &at(PDU, "/stage"),
            &[("csrf", &insp_csrf), ("stage", "factual-accuracy")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "only leads move the stage");
    let r = lead
        .form(
            &at(PDU, "/stage"),
            &[("csrf", &lead_csrf), ("stage", "factual-accuracy")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let comment = "The PDU's <b>caseload</b> was 41, not 44.";
    let r = inspector
        .form(
            &at(PDU, "/factual-accuracy"),
            &[
                ("csrf", &insp_csrf),
                ("section", "P2.1"),
                ("comment", comment),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let r = qa
        .form(
            &at(PDU, "/factual-accuracy"),
            &[("csrf", &qa_csrf), ("section", "P2.1"), ("comment", "x")],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "QA reviewers read only");
    // A refused comment is shown again with what was typed.
    let r = inspector
        .form(
            &at(PDU, "/factual-accuracy"),
            &[
                ("csrf", &insp_csrf),
                ("section", "no-such-part"),
                ("comment", "Typed with care."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("govuk-error-summary") && r.body.contains("Typed with care."));
    let id = store
        .factual_accuracy_comments(PDU)
        .await
        .expect("comments")[0]
        .id
        .to_string();
    let resolve = at(PDU, &format!("/factual-accuracy/{id}"));
    let r = inspector
        .form(&resolve, &[("csrf", &insp_csrf), ("resolution", "Done")])
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN, "leads resolve");
    let page = lead.get(&at(PDU, "/publication")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("&lt;b&gt;caseload&lt;&#x2f;b&gt;")
            || page.body.contains("&lt;b&gt;caseload&lt;/b&gt;"),
        "the comment is escaped"
    );
    assert!(
        page.body
            .contains("1 factual-accuracy comment is not resolved")
    );
    let r = lead
        .form(
            &resolve,
            &[("csrf", &lead_csrf), ("resolution", "Corrected to 41.")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        lead.get(&at(PDU, "/publication"))
            .await
            .body
            .contains("Resolved")
    );
    // Outsiders never learn of it; viewers see no comments on a published one either.
    assert_eq!(
        viewer.get(&at(PDU, "/publication")).await.status,
        StatusCode::NOT_FOUND
    );
    let page = viewer.get(&at(DEMO_PUBLISHED, "/publication")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(!page.body.contains("id=\"comments\"") && page.body.contains("Version 1"));

    // Publishing asks first: a form without the confirmation goes to the confirmation page.
    let r = lead
        .form(&at(PDU, "/publish"), &[("csrf", &lead_csrf)])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(r.location.as_deref(), Some(at(PDU, "/publish").as_str()));
    let state = store.publication_state(PDU).await.expect("state");
    let confirm = lead.get(&at(PDU, "/publish")).await;
    assert_eq!(confirm.status, StatusCode::OK);
    if state.in_progress > 0 {
        // The demo PDU is mid-fieldwork: the page says why it cannot be published.
        assert!(
            confirm.body.contains("still in progress") && !confirm.body.contains("confirm-publish")
        );
        let r = lead
            .form(
                &at(PDU, "/publish"),
                &[("csrf", &lead_csrf), ("confirm", "yes")],
            )
            .await;
        assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
        assert!(r.body.contains("still in progress"));
    } else {
        assert!(confirm.body.contains("Publishing freezes"));
    }

    // The published PDU: readers get version 1 as published while a correction is under way.
    let served_v1 = viewer.get(&at(DEMO_PUBLISHED, "/report")).await;
    assert_eq!(served_v1.status, StatusCode::OK);
    let pdf = viewer.get(&at(DEMO_PUBLISHED, "/report.pdf")).await;
    assert!(pdf.body.starts_with("%PDF"));
    let disposition = pdf.headers[axum::http::header::CONTENT_DISPOSITION]
        .to_str()
        .expect("header")
        .to_string();
    assert!(disposition.contains("-v1-report.pdf"), "{disposition}");
    let r = lead
        .form(
            &at(DEMO_PUBLISHED, "/stage"),
            &[
                ("csrf", &lead_csrf),
                ("stage", "correction"),
                ("reason", ""),
            ],
        )
        .await;
    assert_eq!(
        r.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "a reason is needed"
    );
    assert!(r.body.contains("needs a reason"));
    let r = lead
        .form(
            &at(DEMO_PUBLISHED, "/stage"),
            &[
                ("csrf", &lead_csrf),
                ("stage", "correction"),
                ("reason", "The foreword thanked the wrong team."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    store
        .set_narrative(
            DEMO_PUBLISHED,
            "foreword.md",
            "Thanks to the Corriemoor team.\n",
            0,
            "demo-lead",
        )
        .await
        .expect("corrected text");
    let served = viewer.get(&at(DEMO_PUBLISHED, "/report")).await;
    assert_eq!(
        served.body, served_v1.body,
        "readers still get version 1 exactly"
    );
    let working = lead.get(&at(DEMO_PUBLISHED, "/report?working")).await;
    assert!(working.body.contains("Corriemoor team"));
    assert!(
        !viewer
            .get(&at(DEMO_PUBLISHED, "/report?working"))
            .await
            .body
            .contains("Corriemoor team"),
        "only the team sees the working copy"
    );
    let r = lead
        .form(
            &at(DEMO_PUBLISHED, "/publish"),
            &[("csrf", &lead_csrf), ("confirm", "yes"), ("reason", " ")],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("reason for the correction"));
    let r = lead
        .form(
            &at(DEMO_PUBLISHED, "/publish"),
            &[
                ("csrf", &lead_csrf),
                ("confirm", "yes"),
                ("reason", "The foreword now thanks the right team."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let state = store
        .publication_state(DEMO_PUBLISHED)
        .await
        .expect("state");
    assert_eq!((state.stage, state.versions.len()), (Stage::Published, 2));
    let served = viewer.get(&at(DEMO_PUBLISHED, "/report")).await;
    assert!(served.body.contains("Corriemoor team"));
    assert!(
        served
            .body
            .contains("(version 2): The foreword now thanks the right team."),
        "the correction's reason is on the report"
    );
    let v1 = viewer
        .get(&at(DEMO_PUBLISHED, "/published/1/report.html"))
        .await;
    assert_eq!(v1.status, StatusCode::OK);
    assert!(
        !v1.body.contains("Corriemoor team"),
        "version 1 is kept as it was"
    );
    assert_eq!(
        viewer
            .get(&at(DEMO_PUBLISHED, "/published/3/report.html"))
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    store.close().await;
}
on_both_backends!(
    publication_in_the_web,
    the_factual_accuracy_round_and_a_correction
);
