//! Links lead only where the reader may go: every link on the main pages resolves, and a viewer
//! is never sent to what they may not open.

use axum::http::StatusCode;
use casework_testkit::TestDb;
use casework_testkit::client::Client;
use casework_web::Config;

use crate::{CASE, DEMO_PUBLISHED, DEMO_REGION, INSTRUMENT, PDU, demo_app, enc};

/// Every same-site link on the main pages leads somewhere (slugs hold `/`: a link that does not
/// encode it matches no route).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn every_link_on_the_main_pages_resolves() {
    let db = TestDb::sqlite();
    let (store, router, passwords) = demo_app(&db.url, Config::default()).await;
    let mut c = Client::new(router);
    c.sign_in("demo-admin", &passwords["demo-admin"]).await;
    let pages = [
        "/".to_string(),
        format!("/inspections/{DEMO_REGION}"),
        format!("/inspections/{}/ratings", enc(PDU)),
        // The report's bar: back to the ratings, and the PDF and workbook downloads.
        format!("/inspections/{}/report", enc(PDU)),
        format!("/inspections/{}/cases/{INSTRUMENT}/{CASE}", enc(PDU)),
        format!(
            "/inspections/{}/cases/{INSTRUMENT}/{CASE}/history",
            enc(PDU)
        ),
    ];
    let mut checked = 0;
    for page in pages {
        let body = c.get(&page).await.body.replace("&#x2f;", "/");
        let links: std::collections::BTreeSet<String> = body
            .split("href=\"")
            .skip(1)
            .filter_map(|rest| rest.split('"').next())
            .filter(|h| {
                h.starts_with('/') && !h.starts_with("/static") && !h.starts_with("/assets")
            })
            .map(str::to_string)
            .collect();
        assert!(!links.is_empty(), "{page} has links");
        // The first few cases stand for the rest.
        for link in links.iter().take(40) {
            let r = c.get(link).await;
            assert_eq!(r.status, StatusCode::OK, "{link} (linked from {page})");
            checked += 1;
        }
    }
    assert!(checked > 20, "checked {checked} links");
    store.close().await;
}

/// Links lead only where the reader may go: a viewer on a published PDU sees no link to its
/// unpublished region (issue 13, point 16).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_viewers_links_lead_only_where_they_may_go() {
    let db = TestDb::sqlite();
    let (store, router, passwords) = demo_app(&db.url, Config::default()).await;
    let mut c = Client::new(router);
    c.sign_in("demo-viewer", &passwords["demo-viewer"]).await;
    let page = c
        .get(&format!("/inspections/{}", enc(DEMO_PUBLISHED)))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let links: Vec<String> = page
        .body
        .split("href=\"")
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .filter(|h| h.starts_with('/') && !h.starts_with("/static") && !h.starts_with("/assets"))
        .map(|h| h.replace("&#x2f;", "/"))
        .collect();
    assert!(!links.is_empty());
    for link in &links {
        assert_eq!(c.get(link).await.status, StatusCode::OK, "{link}");
    }
    assert!(
        !links
            .iter()
            .any(|l| l == &format!("/inspections/{DEMO_REGION}"))
    );
    store.close().await;
}

/// The report's downloads are the stored inspection's report, made on request: a PDF and a
/// workbook, named after the inspection.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_report_downloads_are_made_from_the_stored_inspection() {
    let db = TestDb::sqlite();
    let (store, router, passwords) = demo_app(&db.url, Config::default()).await;
    let mut c = Client::new(router);
    c.sign_in("demo-admin", &passwords["demo-admin"]).await;
    let page = c.get(&format!("/inspections/{}/report", enc(PDU))).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("Back to the ratings"), "a way back");
    let pdf = c
        .get(&format!("/inspections/{}/report.pdf", enc(PDU)))
        .await;
    assert_eq!(pdf.status, StatusCode::OK);
    assert_eq!(pdf.headers["content-type"], "application/pdf");
    assert!(pdf.body.starts_with("%PDF"), "a PDF");
    let disposition = pdf.headers["content-disposition"].to_str().expect("ascii");
    assert!(
        disposition.starts_with("attachment") && disposition.contains(&PDU.replace('/', "-")),
        "{disposition}"
    );
    let book = c.get(&format!("/inspections/{}/data.xlsx", enc(PDU))).await;
    assert_eq!(book.status, StatusCode::OK);
    assert!(book.body.starts_with("PK"), "an XLSX (zip) archive");
    store.close().await;
}

/// An error page is GOV.UK's: its title, and what to do next.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_missing_page_says_what_to_do_next() {
    let db = TestDb::sqlite();
    let (store, router, passwords) = demo_app(&db.url, Config::default()).await;
    let mut c = Client::new(router);
    c.sign_in("demo-inspector", &passwords["demo-inspector"])
        .await;
    let r = c.get("/inspections/no-such-inspection").await;
    assert_eq!(r.status, StatusCode::NOT_FOUND);
    assert!(r.body.contains("<title>Page not found"), "{}", r.body);
    assert!(
        r.body
            .contains("If you typed the web address, check it is correct.")
    );
    assert!(r.body.contains("ask its lead inspector"));
    store.close().await;
}
