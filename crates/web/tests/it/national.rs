//! The national picture (issue 18) in-process on both backends: every signed-in user reads the
//! league table, filtered and in pages of 100 with links that keep the filters; a filter naming
//! nothing known is refused (422) rather than shown as an empty or misleading table; the API
//! pages alike; signed out, the pages send to sign-in and the API answers 401.

use axum::http::StatusCode;
use casework_core::published::{self, PublishedResult};
use casework_testkit::client::Client;
use casework_testkit::on_both_backends;
use casework_web::Config;

use crate::demo_app;

/// `n` synthetic 2023 PDU results, scores 0 to 20 in turn.
fn results(n: usize) -> Vec<PublishedResult> {
    let list: Vec<String> = (0..n)
        .map(|i| {
            format!(
                r#"{{"unit": "Synthetic PDU {i}", "region": "Synthetic", "kind": "pdu", "programme": "2023", "score": {}, "score_max": 21}}"#,
                i % 21
            )
        })
        .collect();
    published::from_json(&format!("[{}]", list.join(",")), "r.json").expect("results")
}

async fn the_league_table_pages_and_refuses_what_it_cannot_answer(url: &str) {
    let (store, router, passwords) = demo_app(url, Config::default()).await;
    store
        .import_published(&results(250), "researcher")
        .await
        .expect("import");
    let mut signed_out = Client::new(router.clone());
    assert_eq!(
        signed_out.get("/national").await.status,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        signed_out.get("/api/v1/national").await.status,
        StatusCode::UNAUTHORIZED
    );
    let mut viewer = Client::new(router);
    viewer
        .sign_in("demo-viewer", &passwords["demo-viewer"])
        .await;
    let page = viewer.get("/national?kind=pdu&region=Synthetic").await;
    assert_eq!(page.status, StatusCode::OK);
    assert_eq!(
        page.body.matches("data-result=").count(),
        100,
        "a page holds 100"
    );
    assert!(page.body.contains("page 1 of 3"), "the caption says where");
    let next = page
        .body
        .split("rel=\"next\"")
        .next()
        .and_then(|before| before.rsplit("href=\"").next())
        .expect("a next link");
    assert!(
        next.contains("page=2&amp;kind=pdu&amp;region=Synthetic"),
        "the next page keeps the filters: {next}"
    );
    let last = viewer
        .get("/national?kind=pdu&region=Synthetic&page=3")
        .await;
    assert_eq!(last.body.matches("data-result=").count(), 50);
    for bad in [
        "/national?sort=bogus",
        "/national?programme=1999",
        "/national?year=abc",
        "/national?page=x",
    ] {
        assert_eq!(
            viewer.get(bad).await.status,
            StatusCode::UNPROCESSABLE_ENTITY,
            "{bad}"
        );
    }
    let api = viewer.get("/api/v1/national?region=Synthetic").await;
    assert_eq!(api.status, StatusCode::OK);
    assert_eq!(api.json()["rows"].as_array().map(Vec::len), Some(250));
    assert_eq!(
        viewer.get("/api/v1/national?sort=bogus").await.status,
        StatusCode::UNPROCESSABLE_ENTITY
    );
}

on_both_backends!(
    national_league_table,
    the_league_table_pages_and_refuses_what_it_cannot_answer
);
