//! Writing the report in the web: a narrative section with a figure, previewed and saved; an
//! unknown figure refused at its line; a stale save refused with the user's text kept; a judged
//! rating and its rationale changing the ratings; and what a QA reviewer may not do. Both backends.

use axum::http::StatusCode;
use casework_testkit::client::Client;
use casework_testkit::on_both_backends;
use casework_web::Config;

use crate::{PDU, demo_app, enc};

fn base() -> String {
    format!("/inspections/{}", enc(PDU))
}

async fn a_lead_writes_the_report_text(url: &str) {
    let (store, router, passwords) = demo_app(url, Config::default()).await;
    let mut c = Client::new(router.clone());
    let csrf = c
        .sign_in("demo-inspector", &passwords["demo-inspector"])
        .await;
    let list = c.get(&format!("{}/report-text", base())).await;
    assert_eq!(list.status, StatusCode::OK, "{}", list.body);
    assert!(list.body.contains("foreword.md"));
    let page = c.get(&format!("{}/narrative/foreword.md", base())).await;
    assert_eq!(page.status, StatusCode::OK);
    let version = store
        .narrative(PDU)
        .await
        .expect("narrative")
        .into_iter()
        .find(|f| f.name == "foreword.md")
        .expect("foreword")
        .version
        .to_string();
    let path = format!("{}/narrative/foreword.md", base());

    // An unknown figure: a GOV.UK error at its line and column; nothing saved.
    let typo = "Thanks.\r\nScored {{scroe-out-of}} in all.";
    let r = c
        .form(
            &path,
            &[
                ("csrf", &csrf),
                ("version", &version),
                ("body", typo),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("govuk-error-summary"), "an error summary");
    assert!(
        r.body.contains("Line 2, column 8: unknown figure"),
        "{}",
        r.body
    );
    assert!(r.body.contains("scroe-out-of"), "the text is kept");

    // Preview, then save: the figure filled in.
    let text = "Thanks to the staff.\r\n\r\nThe score was {{score-out-of}}.";
    let r = c
        .form(
            &path,
            &[
                ("csrf", &csrf),
                ("version", &version),
                ("body", text),
                ("action", "preview"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let score = store.load(PDU).await.expect("load");
    let ratings = casework_core::rate(&score.1, &score.0);
    let shown = format!("The score was {}/{}.", ratings.score, ratings.max_score);
    // The page escapes '/' as '&#x2f;'.
    let unescaped = |body: &str| body.replace("&#x2f;", "/");
    assert!(
        unescaped(&r.body).contains(&shown),
        "preview fills in the figure"
    );
    let r = c
        .form(
            &path,
            &[
                ("csrf", &csrf),
                ("version", &version),
                ("body", text),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let report = c.get(&format!("{}/report", base())).await;
    assert!(unescaped(&report.body).contains(&shown), "in the report");

    // Someone saves on top of an older version: refused, their text kept, the saved one shown.
    let r = c
        .form(
            &path,
            &[
                ("csrf", &csrf),
                ("version", &version),
                ("body", "Mine."),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::CONFLICT);
    assert!(r.body.contains("was changed by someone else"), "{}", r.body);
    assert!(
        r.body.contains(">Mine.</textarea>"),
        "the user's text is kept"
    );
    assert!(
        r.body.contains("Thanks to the staff."),
        "the saved text is shown beside it"
    );

    // A judged rating and its rationale: the ratings follow.
    let judged = store.judged(PDU).await.expect("judged");
    let p12 = judged.iter().find(|j| j.standard == "P1.2").expect("P1.2");
    let other = if p12.rating == "inadequate" {
        "outstanding"
    } else {
        "inadequate"
    };
    let r = c
        .form(
            &format!("{}/judged/P1.2", base()),
            &[
                ("csrf", &csrf),
                ("version", &p12.version.to_string()),
                ("rating", other),
                ("rationale", "Staffing fell short."),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let (inspection, fw) = store.load(PDU).await.expect("load");
    assert_eq!(inspection.judged["P1.2"], other);
    assert_eq!(inspection.judged_rationale["P1.2"], "Staffing fell short.");
    let after = casework_core::rate(&fw, &inspection);
    assert_ne!(
        after.score, ratings.score,
        "the score follows the judged rating"
    );

    // A QA reviewer reads but does not write.
    let mut qa = Client::new(router);
    let qa_csrf = qa.sign_in("demo-qa", &passwords["demo-qa"]).await;
    let r = qa
        .form(
            &path,
            &[
                ("csrf", &qa_csrf),
                ("version", "1"),
                ("body", "x"),
                ("action", "save"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    store.close().await;
}
on_both_backends!(writing_the_report, a_lead_writes_the_report_text);
