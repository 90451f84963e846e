//! One batch through both backends: what only one batch can hold.

use std::path::Path;

use casework_core::Answer;
use casework_core::case::Oversight;

use super::*;
use crate::edits::CaseChange;

fn edit<'a>(case_ref: &'a str, change: CaseChange<'a>, version: i64) -> CaseEdit<'a> {
    CaseEdit {
        inspection: "dc",
        instrument: "sentence-management",
        case_ref,
        change,
        expected_version: version,
        actor: "tester",
        reason: None,
    }
}

fn answer(question: &str, answer: Answer) -> CaseChange<'_> {
    CaseChange::Answer { question, answer }
}

/// One batch holding what only a batch can: two edits of one case (the second based on the
/// first, then one based on the version both started from), an evidence note set and replaced,
/// an attribute change that a later answer must respect, and refusals among them.
async fn one_batch_decides_each_edit_in_order(url: &str) {
    let store = Store::open(url).await.expect("open");
    let source = |p: &Path| match std::fs::read_to_string(p) {
        Ok(text) => Ok(Some(text)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(e),
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/derby-city");
    let (inspection, fw) = casework_core::input::load(&dir, &source, None).expect("fixture");
    store
        .import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");
    let before = store.audit_entries().await.expect("audit").len();
    let a = "DC-SM-0001";
    let b = "DC-SM-0002";
    let note = |n| CaseChange::Evidence {
        question: "P2.1.1",
        note: n,
    };
    let edits = [
        edit(a, answer("P2.1.1", Answer::No), 1),
        edit(a, answer("P2.1.2", Answer::No), 2),
        edit(a, answer("P2.1.3", Answer::No), 1),
        edit(b, note("first"), 1),
        edit(b, note("second"), 2),
        edit(b, answer("P2.1.1", Answer::NotApplicable), 3),
        edit(b, CaseChange::Oversight(Some(Oversight::Absent)), 3),
        edit("DC-SM-9999", answer("P2.1.1", Answer::Yes), 1),
        edit(a, answer("R2.3.1", Answer::Yes), 3),
    ];
    let mut tx = store.pool.begin().await.expect("begin");
    let results = store.apply_batch(&mut tx, &edits).await.expect("batch");
    tx.commit().await.expect("commit");

    let versions: Vec<Option<i64>> = results
        .iter()
        .map(|r| r.as_ref().ok().map(|a| a.version))
        .collect();
    assert_eq!(
        versions,
        [
            Some(2),
            Some(3),
            None,
            Some(2),
            Some(3),
            None,
            Some(4),
            None,
            None
        ]
    );
    match &results[2] {
        Err(StoreError::StaleVersion {
            current: 3,
            changes,
            ..
        }) => assert_eq!(changes.len(), 2, "{changes:?}"),
        other => panic!("{other:?}"),
    }
    assert!(matches!(&results[5], Err(StoreError::Invalid(m)) if m.contains("P2.1.1")));
    assert!(matches!(&results[7], Err(StoreError::NotFound(_))));
    assert!(matches!(&results[8], Err(StoreError::Invalid(m)) if m.contains("R2.3.1")));

    let case_a = store.case("dc", "sentence-management", a).await.expect("a");
    assert_eq!(
        (case_a.version, case_a.answers["P2.1.1"].as_str()),
        (3, "N")
    );
    assert_eq!(case_a.answers["P2.1.2"], "N");
    let case_b = store.case("dc", "sentence-management", b).await.expect("b");
    assert_eq!(case_b.version, 4);
    assert_eq!(case_b.evidence["P2.1.1"], "second");
    assert_eq!(case_b.record.oversight, Some(Oversight::Absent));

    // One entry per edit made, chained in order, numbered as the results say.
    let entries = store.audit_entries().await.expect("audit");
    let made: Vec<i64> = results
        .iter()
        .filter_map(|r| r.as_ref().ok().and_then(|a| a.appended).map(|a| a.seq))
        .collect();
    let new: Vec<i64> = entries[before..].iter().map(|e| e.seq).collect();
    assert_eq!(made, new);
    assert!(
        store
            .audit_verify()
            .await
            .expect("verify")
            .first_broken
            .is_none()
    );
    store.close().await;
}

casework_testkit::on_both_backends!(
    one_batch_decides_each_edit_in_order_on_both_backends,
    one_batch_decides_each_edit_in_order
);
