//! Domain one's evidence page (issue 17) on the demo, both backends: with the committed staff
//! survey, interviews and measures recorded, the page shows under P1.2 its survey figures as the
//! report names them, an interview record and a measure, beside the judged rating; a QA reviewer
//! reads it but may not upload; a viewer does not find it. An inspector uploads a survey through
//! the page (version 2); a bad file is refused with its line and nothing is recorded.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use casework_core::domain_one::{self, Rows, SurveyMapping};
use casework_store::EvidenceFile;
use casework_testkit::client::Client;
use casework_testkit::on_both_backends;
use casework_web::Config;

use crate::{IN_REVIEW, demo_app, enc, multipart};

fn fixture(name: &str) -> String {
    let dir = casework_testkit::paths::fixtures().join("evidence");
    std::fs::read_to_string(dir.join(name)).expect("fixture")
}

async fn the_team_sees_the_evidence_behind_each_judged_standard(url: &str) {
    let (store, router, passwords) = demo_app(url, Config::default()).await;
    let mapping = SurveyMapping::from_toml(&fixture("staff-survey.toml"), "m").expect("mapping");
    let rows = |name: &str| Rows::from_csv(&fixture(name), name).expect("csv");
    let survey = domain_one::survey::read(&mapping, rows("staff-survey.csv")).expect("survey");
    let interviews = domain_one::interview::read(rows("interviews.csv")).expect("interviews");
    let measures = domain_one::measure::read(rows("measures.csv")).expect("measures");
    for (file, evidence) in [
        ("staff-survey.csv", EvidenceFile::Survey(survey.clone())),
        ("interviews.csv", EvidenceFile::Interviews(interviews)),
        ("measures.csv", EvidenceFile::Measures(measures)),
    ] {
        store
            .record_domain_one(IN_REVIEW, file, &evidence, "demo-lead")
            .await
            .expect("record");
    }
    let page = format!("/inspections/{}/evidence", enc(IN_REVIEW));
    let mut qa = Client::new(router.clone());
    let qa_csrf = qa.sign_in("demo-qa", &passwords["demo-qa"]).await;
    let r = qa.get(&page).await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let start = r
        .body
        .find("id=\"evidence-P1.2\"")
        .expect("P1.2's evidence table");
    let end = start + r.body[start..].find("</table>").expect("its end");
    let p12 = &r.body[start..end];
    let q = survey
        .questions
        .iter()
        .find(|q| q.id == "workload-manageable")
        .expect("question");
    assert!(p12.contains("workload-manageable"), "{p12}");
    assert!(
        p12.contains(&format!("{} out of {}", q.agree, q.answered)),
        "{p12}"
    );
    assert!(p12.contains("survey.staff.workload-manageable.percent"));
    assert!(
        p12.contains("Interviews: practitioners"),
        "an interview record: {p12}"
    );
    assert!(
        p12.contains("2 out of 6"),
        "supervision, workload positive of 6: {p12}"
    );
    assert!(p12.contains("18%"), "the vacancy rate: {p12}");
    assert!(r.body.contains("id=\"standard-P1.1\""));
    assert!(r.body.contains("Judged rating"));

    // Uploads: a QA reviewer may not; an inspector's survey becomes version 2; a bad one is refused.
    let upload = |csrf: &str, export: &str| {
        let mapping = fixture("staff-survey.toml");
        let (kind, body) = multipart(&[
            ("csrf", None, csrf),
            ("kind", None, "survey"),
            ("file", Some("staff-survey.csv"), export),
            ("mapping", Some("staff-survey.toml"), &mapping),
        ]);
        Request::post(page.clone())
            .header(header::CONTENT_TYPE, kind)
            .body(Body::from(body))
            .expect("request")
    };
    assert!(
        !r.body.contains("id=\"record-evidence\""),
        "no upload form for QA"
    );
    let refused = qa
        .send(upload(&qa_csrf, &fixture("staff-survey.csv")))
        .await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN, "{}", refused.body);
    let mut inspector = Client::new(router.clone());
    let csrf = inspector
        .sign_in("demo-inspector", &passwords["demo-inspector"])
        .await;
    let form = inspector.get(&page).await;
    assert!(form.body.contains("id=\"record-evidence\""));
    let bad = fixture("staff-survey.csv").replacen(",Agree,", ",Agreed,", 1);
    let r = inspector.send(upload(&csrf, &bad)).await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY, "{}", r.body);
    assert!(
        r.body.contains("staff-survey.csv") && r.body.contains("&#x27;Agreed&#x27;"),
        "{}",
        r.body
    );
    let (_, records) = store.domain_one(IN_REVIEW).await.expect("read");
    assert!(records.iter().all(|r| r.kind != "survey" || r.version == 1));
    let r = inspector
        .send(upload(&csrf, &fixture("staff-survey.csv")))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let after = inspector
        .get(r.location.as_deref().expect("sent on to the page"))
        .await;
    assert!(
        after.body.contains("recorded (version 2)"),
        "{}",
        after.body
    );
    let (_, records) = store.domain_one(IN_REVIEW).await.expect("read");
    let survey = records.iter().find(|r| r.kind == "survey").expect("survey");
    assert_eq!(
        (survey.version, survey.recorded_by.as_str()),
        (2, "demo-inspector")
    );

    let mut viewer = Client::new(router);
    viewer
        .sign_in("demo-viewer", &passwords["demo-viewer"])
        .await;
    assert_eq!(viewer.get(&page).await.status, StatusCode::NOT_FOUND);
}
on_both_backends!(
    evidence_page,
    the_team_sees_the_evidence_behind_each_judged_standard
);
