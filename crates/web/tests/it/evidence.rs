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

/// A multipart POST of `fields` (name, file name, value) to `page`.
fn posted(page: &str, fields: &[(&str, Option<&str>, &str)]) -> Request<Body> {
    let (content_type, body) = multipart(fields);
    Request::post(page)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .expect("request")
}

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
    let section = |body: &str, from: &str, to: &str| {
        let start = body.find(from).unwrap_or_else(|| panic!("{from}"));
        let end = start + body[start..].find(to).unwrap_or_else(|| panic!("{to}"));
        body[start..end].to_string()
    };
    // P1.2 with its key questions: the workload evidence under P1.2.1, filed there.
    let p12 = section(&r.body, "id=\"standard-P1.2\"", "id=\"standard-P1.3\"");
    let workload = section(&p12, "id=\"kq-P1.2.1\"", "id=\"kq-P1.2.2\"");
    let q = survey
        .questions
        .iter()
        .find(|q| q.id == "workload-manageable")
        .expect("question");
    assert!(
        workload.contains("Do staffing and workload levels"),
        "its text: {workload}"
    );
    assert!(workload.contains("workload-manageable"), "{workload}");
    assert!(
        workload.contains(&format!("{} out of {}", q.agree, q.answered)),
        "{workload}"
    );
    assert!(workload.contains("survey.staff.workload-manageable.agree"));
    assert!(
        workload.contains("Interviews: practitioners") && workload.contains("2 out of 6"),
        "an interview record, workload positive of 6: {workload}"
    );
    assert!(
        workload.contains("2 positive, 4 negative, 0 mixed"),
        "for and against: {workload}"
    );
    assert!(workload.contains("18%"), "the vacancy rate: {workload}");
    assert!(workload.contains("not yet rated"));
    assert!(
        p12.contains("Probation officers in post"),
        "a measure filed against the standard as a whole: {p12}"
    );
    assert!(r.body.contains("id=\"standard-P1.1\""));
    assert!(r.body.contains("Judged rating"));

    // Uploads: a QA reviewer may not; an inspector's survey becomes version 2; a bad one is refused.
    let upload = |csrf: &str, export: &str| {
        let mapping = fixture("staff-survey.toml");
        posted(
            &page,
            &[
                ("csrf", None, csrf),
                ("kind", None, "survey"),
                ("file", Some("staff-survey.csv"), export),
                ("mapping", Some("staff-survey.toml"), &mapping),
            ],
        )
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
        after.body.contains("Recorded (version 2)"),
        "{}",
        after.body
    );
    assert!(
        after.body.contains("id=\"evidence-earlier\""),
        "version 1 listed as an earlier version"
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

/// Documents and key question ratings: uploaded as tables, shown under their key questions with
/// what they say for and against; a key question rated through its form (escaped where shown),
/// a rating saved on a version another has since replaced refused with nothing lost, a blank
/// rationale refused, and a QA reviewer refused.
async fn key_questions_are_rated_with_their_rationale(url: &str) {
    let (store, router, passwords) = demo_app(url, Config::default()).await;
    let page = format!("/inspections/{}/evidence", enc(IN_REVIEW));
    let rating = format!("{page}/rating");
    let mut inspector = Client::new(router.clone());
    let csrf = inspector
        .sign_in("demo-inspector", &passwords["demo-inspector"])
        .await;
    for (kind, file) in [("documents", "documents.csv"), ("ratings", "ratings.csv")] {
        let r = inspector
            .send(posted(
                &page,
                &[
                    ("csrf", None, &csrf),
                    ("kind", None, kind),
                    ("file", Some(file), &fixture(file)),
                ],
            ))
            .await;
        assert_eq!(r.status, StatusCode::SEE_OTHER, "{kind}: {}", r.body);
    }
    let r = inspector.get(&page).await;
    let p121 = {
        let start = r.body.find("id=\"kq-P1.2.1\"").expect("P1.2.1");
        &r.body[start..start + r.body[start..].find("id=\"kq-P1.2.2\"").expect("P1.2.2")]
    };
    assert!(p121.contains("Workforce plan and vacancy tracker") && p121.contains("against"));
    assert!(
        p121.contains("30 June 2024"),
        "the document's date as reports print it"
    );
    assert!(p121.contains("Requires improvement") && p121.contains("workforce plan is credible"));

    // One key question rated through the page, on the version it showed.
    let (_, records) = store.domain_one(IN_REVIEW).await.expect("read");
    let version = records
        .iter()
        .find(|r| r.kind == "ratings")
        .expect("ratings")
        .version;
    assert_eq!(version, 1);
    let form = |kq: &'static str, rating: &'static str, rationale: &'static str, based_on: u64| {
        (kq, rating, rationale, based_on.to_string())
    };
    let send = async |client: &mut Client, csrf: &str, f: (&str, &str, &str, String)| {
        client
            .form(
                &rating,
                &[
                    ("csrf", csrf),
                    ("key_question", f.0),
                    ("rating", f.1),
                    ("rationale", f.2),
                    ("based_on", &f.3),
                ],
            )
            .await
    };
    let r = send(
        &mut inspector,
        &csrf,
        form("P1.2.2", "good", "Allocation <b>matches</b> skills", 1),
    )
    .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let to = r.location.as_deref().expect("to the page");
    assert!(to.ends_with("#kq-P1.2.2"), "back to the key question: {to}");
    // A browser keeps the fragment to itself.
    let shown = inspector.get(to.split('#').next().unwrap_or(to)).await;
    assert!(
        shown
            .body
            .contains("Allocation &lt;b&gt;matches&lt;&#x2f;b&gt; skills")
    );
    assert!(!shown.body.contains("<b>matches"));
    let (evidence, _) = store.domain_one(IN_REVIEW).await.expect("read");
    assert_eq!(
        evidence
            .key_question_ratings
            .iter()
            .map(|r| (r.key_question.as_str(), r.rating.as_str()))
            .collect::<Vec<_>>(),
        [
            ("P1.1.1", "good"),
            ("P1.2.1", "requires-improvement"),
            ("P1.2.2", "good"),
            ("P1.2.3", "good")
        ],
        "the others kept, in framework order"
    );

    // Saved on version 1 when version 2 is there: refused, nothing lost.
    let stale = send(
        &mut inspector,
        &csrf,
        form("P1.2.3", "inadequate", "Stale", 1),
    )
    .await;
    assert_eq!(stale.status, StatusCode::CONFLICT, "{}", stale.body);
    let blank = send(&mut inspector, &csrf, form("P1.2.3", "good", "  ", 2)).await;
    assert_eq!(
        blank.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        blank.body
    );
    let case_based = send(&mut inspector, &csrf, form("P2.1.1", "good", "r", 2)).await;
    assert_eq!(case_based.status, StatusCode::UNPROCESSABLE_ENTITY);
    let mut qa = Client::new(router);
    let qa_csrf = qa.sign_in("demo-qa", &passwords["demo-qa"]).await;
    let refused = send(&mut qa, &qa_csrf, form("P1.2.3", "good", "QA", 2)).await;
    assert_eq!(refused.status, StatusCode::FORBIDDEN);
    let (after, records) = store.domain_one(IN_REVIEW).await.expect("read");
    assert_eq!(after, evidence, "nothing refused was saved");
    let ratings = records
        .iter()
        .find(|r| r.kind == "ratings")
        .expect("ratings");
    assert_eq!(
        (ratings.version, ratings.recorded_by.as_str()),
        (2, "demo-inspector")
    );

    // A region's key question is not this PDU's to rate.
    let region = send(&mut inspector, &csrf, form("R1.2.1", "good", "r", 2)).await;
    assert_eq!(
        region.status,
        StatusCode::UNPROCESSABLE_ENTITY,
        "{}",
        region.body
    );
    // A ratings table adds to the ratings kept: the others keep theirs.
    let r = inspector
        .send(posted(
            &page,
            &[
                ("csrf", None, &csrf),
                ("kind", None, "ratings"),
                (
                    "file",
                    Some("one.csv"),
                    "key_question,rating,rationale\nP1.3.2,good,Services match needs\n",
                ),
            ],
        ))
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (merged, _) = store.domain_one(IN_REVIEW).await.expect("read");
    assert_eq!(
        merged.key_question_ratings.len(),
        5,
        "four kept and one added"
    );
    assert!(
        merged
            .key_question_ratings
            .iter()
            .any(|r| r.key_question == "P1.2.2" && r.rationale.contains("Allocation"))
    );
    // A file over the 1 MiB of a form, within the 16 MiB of an upload, goes in.
    let mut big = String::from("title,date,standard,judgement\n");
    for i in 0..40_000 {
        big.push_str(&format!(
            "Team meeting minutes number {i:06} of the PDU,2024-05,P1.1.2,\n"
        ));
    }
    assert!(big.len() > 2 << 20);
    let r = inspector
        .send(posted(
            &page,
            &[
                ("csrf", None, &csrf),
                ("kind", None, "documents"),
                ("file", Some("minutes.csv"), &big),
            ],
        ))
        .await;
    assert_eq!(
        r.status,
        StatusCode::SEE_OTHER,
        "{}",
        &r.body[..r.body.len().min(500)]
    );
    let (kept, _) = store.domain_one(IN_REVIEW).await.expect("read");
    assert_eq!(kept.documents.len(), 40_000);
    // The notice shows a version number, never text from the address.
    let forged = inspector
        .get(&format!("{page}?recorded=9).%20Sign%20in%20at%20evil"))
        .await;
    assert!(!forged.body.contains("evil"), "no text from the address");
}
on_both_backends!(
    key_question_ratings,
    key_questions_are_rated_with_their_rationale
);
