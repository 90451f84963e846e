//! The case sample page (issue 16) on the demo, both backends: a lead uploads the committed
//! caseload extract with its mapping (multipart, CSRF checked), sees the plan and its margin for
//! the windows entered, draws the sample, replaces a case with a reason and sees the sample
//! against its population; an inspector may not open the page.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use casework_testkit::client::Client;
use casework_testkit::on_both_backends;
use casework_web::Config;

use crate::{IN_REVIEW, demo_app, enc, multipart};

fn at(rest: &str) -> String {
    format!("/inspections/{}{rest}", enc(IN_REVIEW))
}

async fn a_lead_samples_in_the_browser_pages(url: &str) {
    let (store, router, passwords) = demo_app(url, Config::default()).await;
    let mut lead = Client::new(router.clone());
    let csrf = lead.sign_in("demo-lead", &passwords["demo-lead"]).await;
    let page = lead.get(&at("/sample")).await;
    assert_eq!(page.status, StatusCode::OK, "{}", page.body);
    assert!(page.body.contains("id=\"upload-extract\""));

    let fixtures = casework_testkit::paths::fixtures().join("sampling");
    let extract = std::fs::read_to_string(fixtures.join("caseload.csv")).expect("extract");
    let mapping = std::fs::read_to_string(fixtures.join("mapping.toml")).expect("mapping");
    let upload = |csrf: &str| {
        let (kind, body) = multipart(&[
            ("csrf", None, csrf),
            ("extract", Some("caseload.csv"), &extract),
            ("mapping", Some("mapping.toml"), &mapping),
        ]);
        Request::post(at("/sample/extract"))
            .header(header::CONTENT_TYPE, kind)
            .body(Body::from(body))
            .expect("request")
    };
    let refused = lead.send(upload("not-the-token")).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    assert!(
        store
            .caseload_extract(IN_REVIEW)
            .await
            .expect("read")
            .is_none()
    );
    let r = lead.send(upload(&csrf)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let stored = store
        .caseload_extract(IN_REVIEW)
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(stored.cases, 5000);

    let plan = lead
        .get(&at("/sample?windows=2024-07-29..2024-08-04"))
        .await;
    assert!(
        plan.body.contains("200 of the 5000 cases in the extract are eligible; 35 cases give a margin of error of ±9.9 percentage points at 80% confidence."),
        "{}",
        plan.body
    );
    let r = lead
        .form(
            &at("/sample/draw"),
            &[
                ("csrf", &csrf),
                ("seed", "7"),
                ("windows", "2024-07-29..2024-08-04"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let sample = store
        .case_sample(IN_REVIEW)
        .await
        .expect("sample")
        .expect("drawn");
    assert_eq!((sample.seed, sample.size), (7, 35));
    let first = sample.in_sample().next().expect("a case").case_ref.clone();
    let r = lead
        .form(
            &at("/sample/replace"),
            &[("csrf", &csrf), ("case", &first), ("reason", "moved away")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let page = lead.get(&at("/sample")).await;
    assert!(page.body.contains("excluded: moved away"), "{}", page.body);
    assert!(page.body.contains("id=\"comparison\"") && page.body.contains("Risk of serious harm"));

    let mut inspector = Client::new(router);
    inspector
        .sign_in("demo-inspector", &passwords["demo-inspector"])
        .await;
    assert_eq!(
        inspector.get(&at("/sample")).await.status,
        StatusCode::FORBIDDEN
    );
}
on_both_backends!(sample_pages, a_lead_samples_in_the_browser_pages);
