//! Published results (issue 18) on both backends: imported in one transaction and read back as
//! they were, an identical result kept once however often it is imported, every stored result
//! and deletion in the audit log, and nothing stored for an import no one is named for.

use casework_core::published::{self, PublishedResult};
use casework_store::{PublishedImport, Store, StoreError};
use casework_testkit::on_both_backends;

use crate::assert_chain_valid;

fn results() -> Vec<PublishedResult> {
    published::from_json(
        r#"[{"unit": "Derby City PDU", "kind": "pdu", "programme": "2023", "published": "2025-05",
             "score": 7, "score_max": 21, "overall_rating": "Requires improvement",
             "standards": [{"code": "P2.1", "rating": "Inadequate",
               "key_questions": [{"text": "Q", "percent_yes": 59}, {"percent_yes": null}]}],
             "provenance": [{"figure": "score", "line": 67, "how": "stated"}]},
            {"unit": "A CRC", "kind": "crc_or_nps_division", "programme": "2018", "score": null}]"#,
        "results.json",
    )
    .expect("reads")
}

async fn results_are_kept_once_and_audited(url: &str) {
    let store = Store::open(url).await.expect("open");
    let first = store
        .import_published(&results(), "researcher")
        .await
        .expect("import");
    assert_eq!(
        first,
        PublishedImport {
            stored: 2,
            already: 0
        }
    );
    let again = store
        .import_published(&results(), "researcher")
        .await
        .expect("again");
    assert_eq!(
        again,
        PublishedImport {
            stored: 0,
            already: 2
        }
    );
    let stored = store.published_results().await.expect("read");
    assert_eq!(
        stored.iter().map(|s| s.result.clone()).collect::<Vec<_>>(),
        results(),
        "read back as imported, provenance and nulls included"
    );
    assert_eq!(stored[0].imported_by, "researcher");
    store
        .delete_published(stored[1].id, "lead")
        .await
        .expect("delete");
    assert_eq!(store.published_results().await.expect("read").len(), 1);
    assert!(matches!(
        store.delete_published(stored[1].id, "lead").await,
        Err(StoreError::NotFound(_))
    ));
    let log = store.audit_entries().await.expect("log");
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions
            .iter()
            .filter(|a| **a == "import-published-result")
            .count(),
        2
    );
    assert!(actions.contains(&"delete-published-result"));
    assert_chain_valid(&store).await;
}

on_both_backends!(published_results, results_are_kept_once_and_audited);

async fn an_unattributed_import_stores_nothing(url: &str) {
    let store = Store::open(url).await.expect("open");
    assert!(
        store.import_published(&results(), "").await.is_err(),
        "no actor"
    );
    assert!(store.published_results().await.expect("read").is_empty());
}

on_both_backends!(
    published_unattributed,
    an_unattributed_import_stores_nothing
);
