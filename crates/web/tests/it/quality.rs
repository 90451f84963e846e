//! Quality assurance in the web (issue 19) on the demo, both backends: a lead draws the QA sample;
//! a drawn case's answers stay hidden from the QA reviewer until the blind second marking is
//! recorded; the disagreement is listed and reconciled by one lead (a second is told what the
//! first decided); the agreement shows no band changes; an inspector cannot change a submitted
//! case; and after locking, the locked-only ratings equal the provisional ones.

use axum::http::StatusCode;
use casework_core::Answer;
use casework_testkit::client::Client;
use casework_testkit::on_both_backends;
use casework_web::Config;

use crate::{DEMO_REGION, IN_REVIEW, INSTRUMENT, demo_app, enc};

fn at(rest: &str) -> String {
    format!("/inspections/{}{rest}", enc(IN_REVIEW))
}

/// The ratings page's tables: everything from the first key-question table on.
fn tables(html: &str) -> &str {
    let start = html
        .find("<table class=\"govuk-table key-questions\"")
        .expect("tables");
    &html[start..]
}

async fn a_qa_round_in_the_browser_pages(url: &str) {
    let (store, router, passwords) = demo_app(url, Config::default()).await;
    let mut lead = Client::new(router.clone());
    let lead_csrf = lead.sign_in("demo-lead", &passwords["demo-lead"]).await;
    let mut qa = Client::new(router.clone());
    let qa_csrf = qa.sign_in("demo-qa", &passwords["demo-qa"]).await;
    let mut inspector = Client::new(router.clone());
    let insp_csrf = inspector
        .sign_in("demo-inspector", &passwords["demo-inspector"])
        .await;

    let page = lead.get(&at("/qa")).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("id=\"draw-sample\""));
    let r = lead
        .form(
            &at("/qa/sample"),
            &[("csrf", &lead_csrf), ("share", "10"), ("seed", "19")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let sample = store
        .qa_sample(IN_REVIEW)
        .await
        .expect("sample")
        .expect("drawn");
    assert_eq!(sample.seed, 19);
    assert!(
        sample.cases.len() >= 2,
        "{} cases drawn",
        sample.cases.len()
    );
    let drawn = sample
        .cases
        .iter()
        .find(|c| c.instrument == INSTRUMENT)
        .expect("a drawn sentence-management case");
    let case_path = at(&format!("/cases/{INSTRUMENT}/{}", drawn.case_ref));

    // Blind: the QA reviewer sees neither the case page nor its history nor the API read.
    let page = qa.get(&at("/qa")).await;
    assert!(page.body.contains("Mark blind"), "the reviewer's queue");
    for path in [
        case_path.clone(),
        format!("{case_path}/history"),
        format!("/api/v1{case_path}"),
    ] {
        let r = qa.get(&path).await;
        assert_eq!(r.status, StatusCode::CONFLICT, "{path}");
        assert!(!r.body.contains("case-form") && !r.body.contains("\"answers\""));
    }
    let mark_path = at(&format!("/qa/mark/{INSTRUMENT}/{}", drawn.case_ref));
    let form = qa.get(&mark_path).await;
    assert_eq!(form.status, StatusCode::OK);
    // Every question starts "Not marked": no recorded answer is shown on the blind form.
    let chunks: Vec<&str> = form.body.split(" checked").collect();
    assert!(chunks.len() > 10, "radios on the form");
    for before in &chunks[..chunks.len() - 1] {
        let tail = &before[before.rfind("<input").expect("an input")..];
        assert!(tail.contains("value=\"\""), "an answer shown: {tail}");
    }

    // The reviewer gives every recorded answer but flips the first Yes.
    let case = store
        .case(IN_REVIEW, INSTRUMENT, &drawn.case_ref)
        .await
        .expect("case");
    let (flipped_q, _) = case
        .answers
        .iter()
        .find(|(_, a)| a.as_str() == "Y")
        .expect("a Yes");
    let names: Vec<(String, String)> = case
        .answers
        .iter()
        .map(|(q, a)| {
            let a = if q == flipped_q {
                "N".to_string()
            } else {
                a.clone()
            };
            (format!("q:{q}"), a)
        })
        .collect();
    let mut fields: Vec<(&str, &str)> = vec![("csrf", &qa_csrf)];
    fields.extend(names.iter().map(|(k, v)| (k.as_str(), v.as_str())));
    let bad: Vec<(&str, &str)> = vec![("csrf", &qa_csrf), ("q:NOPE", "Y")];
    let r = qa.form(&mark_path, &bad).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        r.body.contains("no question &#x27;NOPE&#x27;") || r.body.contains("no question 'NOPE'"),
        "{}",
        r.body
    );
    let r = qa.form(&mark_path, &fields).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        qa.get(&case_path).await.status,
        StatusCode::OK,
        "seen once marked"
    );
    assert_eq!(
        qa.get(&mark_path).await.status,
        StatusCode::CONFLICT,
        "marked once"
    );

    // The lead sees the disagreement and reconciles it to the inspector's answer.
    let page = lead.get(&at("/qa")).await;
    assert!(
        page.body
            .contains(&format!("{INSTRUMENT} {}</a>, {flipped_q}", drawn.case_ref)),
        "listed"
    );
    let reconcile = |answer: &'static str, reason: &'static str| {
        let (case_ref, question) = (drawn.case_ref.clone(), flipped_q.clone());
        move |csrf: String| {
            vec![
                ("csrf".to_string(), csrf),
                ("inspection".into(), IN_REVIEW.to_string()),
                ("instrument".into(), INSTRUMENT.to_string()),
                ("case_ref".into(), case_ref),
                ("question".into(), question),
                ("answer".into(), answer.to_string()),
                ("reason".into(), reason.to_string()),
            ]
        }
    };
    let first = reconcile("Y", "The plan was reviewed in time.")(lead_csrf.clone());
    let first: Vec<(&str, &str)> = first
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = lead.form(&at("/qa/reconcile"), &first).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let mut admin = Client::new(router.clone());
    let admin_csrf = admin.sign_in("demo-admin", &passwords["demo-admin"]).await;
    let second = reconcile("N", "No.")(admin_csrf);
    let second: Vec<(&str, &str)> = second
        .iter()
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let r = admin.form(&at("/qa/reconcile"), &second).await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(
        r.body.contains("already reconciled by demo-lead"),
        "told the winner"
    );
    let page = lead.get(&at("/qa")).await;
    assert!(page.body.contains("No band changes"), "band changes first");
    assert!(page.body.contains("Reconciled to Yes by demo-lead"));
    assert!(page.body.contains("Gwet&#x27;s AC1") || page.body.contains("Gwet's AC1"));
    assert!(page.body.contains("<svg"), "a funnel per key question");
    let case = store
        .case(IN_REVIEW, INSTRUMENT, &drawn.case_ref)
        .await
        .expect("case");
    assert_eq!(case.answers[flipped_q.as_str()], Answer::Yes.as_cell());

    // A QA reviewer returns an undrawn submitted case with a comment: listed as returned, the
    // comment on the inspector's case page, which they may change again.
    let drawn_refs: Vec<&str> = sample.cases.iter().map(|c| c.case_ref.as_str()).collect();
    let other = store
        .case_reviews(IN_REVIEW)
        .await
        .expect("reviews")
        .into_iter()
        .find(|c| {
            c.instrument == INSTRUMENT
                && c.state == casework_core::review::ReviewState::Submitted
                && !drawn_refs.contains(&c.case_ref.as_str())
        })
        .expect("an undrawn submitted case");
    let other_path = at(&format!("/cases/{INSTRUMENT}/{}", other.case_ref));
    let r = qa
        .form(
            &format!("{other_path}/review"),
            &[
                ("csrf", &qa_csrf),
                ("action", "return"),
                ("question", "P2.1.1"),
                ("comment", "Check the <b>risk</b> assessment."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert!(
        qa.get(&at("/qa"))
            .await
            .body
            .contains("id=\"returned-cases\"")
    );
    let page = inspector.get(&other_path).await;
    assert!(
        page.body.contains("Check the &lt;b&gt;risk") && !page.body.contains("<b>risk"),
        "the comment, escaped"
    );
    assert!(
        page.body.contains("data-state=\"returned\"") && !page.body.contains("id=\"read-only\"")
    );

    let r = inspector
        .form(
            &format!("{other_path}/review"),
            &[("csrf", &insp_csrf), ("action", "submit")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "resubmitted: {}", r.body);

    // An inspector cannot change a submitted case.
    let r = inspector
        .form(
            &case_path,
            &[("csrf", &insp_csrf), ("version", &case.version.to_string())],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);

    // Locked: the locked-only ratings equal the provisional ones.
    let r = lead.form(&at("/qa/lock"), &[("csrf", &lead_csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let provisional = lead.get(&at("/ratings")).await;
    let locked = lead.get(&at("/ratings?locked")).await;
    assert!(provisional.body.contains("data-basis=\"provisional\""));
    assert!(locked.body.contains("data-basis=\"locked-only\""));
    assert_eq!(tables(&provisional.body), tables(&locked.body));
    let api = format!("/api/v1/inspections/{}/ratings", enc(IN_REVIEW));
    let provisional = lead.get(&api).await.json();
    let locked = lead.get(&format!("{api}?locked=true")).await.json();
    assert_eq!(
        (provisional["basis"].as_str(), locked["basis"].as_str()),
        (Some("provisional"), Some("locked-only"))
    );
    assert_eq!(provisional["ratings"], locked["ratings"]);
    let page = lead.get(&case_path).await;
    assert!(page.body.contains("data-state=\"locked\""));
    assert!(page.body.contains("id=\"review-reopen\""));
    store.close().await;
}
on_both_backends!(qa_round, a_qa_round_in_the_browser_pages);

/// A sample drawn on the region covers its PDUs' submitted cases; a reviewer who marks one of them
/// (on the PDU's route) is sent back to the region's QA page, which lists the sample.
async fn a_region_sample_returns_the_reviewer_to_the_region(url: &str) {
    let (store, router, passwords) = demo_app(url, Config::default()).await;
    let mut lead = Client::new(router.clone());
    let lead_csrf = lead.sign_in("demo-lead", &passwords["demo-lead"]).await;
    let mut qa = Client::new(router.clone());
    let qa_csrf = qa.sign_in("demo-qa", &passwords["demo-qa"]).await;
    let region_qa = format!("/inspections/{DEMO_REGION}/qa");
    let r = lead
        .form(
            &format!("{region_qa}/sample"),
            &[("csrf", &lead_csrf), ("share", "5"), ("seed", "3")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let sample = store
        .qa_sample(DEMO_REGION)
        .await
        .expect("sample")
        .expect("drawn");
    assert!(
        sample.cases.iter().all(|c| c.inspection == IN_REVIEW),
        "only submitted cases"
    );
    let case = &sample.cases[0];
    let mark = at(&format!("/qa/mark/{}/{}", case.instrument, case.case_ref));
    assert!(
        qa.get(&region_qa).await.body.contains("Mark blind"),
        "the region lists its sample"
    );
    let r = qa.form(&mark, &[("csrf", &qa_csrf)]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        r.location.as_deref(),
        Some(format!("{region_qa}?notice=marked").as_str())
    );
    store.close().await;
}
on_both_backends!(
    region_sample,
    a_region_sample_returns_the_reviewer_to_the_region
);
