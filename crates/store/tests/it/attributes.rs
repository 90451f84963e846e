//! A case's declared attributes (the framework's `[[attributes]]`, such as practitioner grade):
//! imported and loaded back with the case, edited like any attribute (versioned, audited, a value
//! the framework does not allow refused naming the attribute), kept through other edits, and
//! the in-memory loads equal to fresh ones afterwards.

use casework_store::{CaseChange, CaseEdit, Store, StoreError};
use casework_testkit::on_both_backends;

use crate::from_disk;

async fn declared_attributes_are_stored_edited_and_audited(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("leicester-leicestershire-rutland");
    store
        .import(fw, &inspection, "llr", "tester", None)
        .await
        .expect("import");
    let case_ref = "LLR-SM-0001";
    let before = store
        .case("llr", "sentence-management", case_ref)
        .await
        .expect("case");
    let imported = inspection.cases[0].cases()[0].attributes.clone();
    assert!(!imported.is_empty(), "the fixture records grades");
    assert_eq!(before.record.attributes, imported, "read as imported");
    store.load_shared("llr").await.expect("warm the cache");

    let set = |value, version| CaseEdit {
        inspection: "llr",
        instrument: "sentence-management",
        case_ref,
        change: CaseChange::Attribute {
            attribute: "grade",
            value,
        },
        expected_version: version,
        actor: "alice",
        reason: Some("grade corrected"),
    };
    let want = if imported.get("grade").map(String::as_str) == Some("spo") {
        ("Probation officer", "po")
    } else {
        ("Senior probation officer", "spo")
    };
    // By label, kept by id.
    let edited = store
        .edit(&set(Some(want.0), before.version))
        .await
        .expect("edit");
    assert_eq!(edited.version, before.version + 1);
    let after = store
        .case("llr", "sentence-management", case_ref)
        .await
        .expect("case");
    assert_eq!(
        after.record.attributes.get("grade").map(String::as_str),
        Some(want.1)
    );
    assert_eq!(
        after.record.sentence, before.record.sentence,
        "nothing else moved"
    );

    // The same value again changes nothing and records nothing.
    let entries = store.audit_entries().await.expect("audit").len();
    let same = store
        .edit(&set(Some(want.1), edited.version))
        .await
        .expect("no-op");
    assert_eq!(same.version, edited.version);
    assert_eq!(store.audit_entries().await.expect("audit").len(), entries);
    let last = store
        .audit_entries()
        .await
        .expect("audit")
        .pop()
        .expect("an entry");
    assert_eq!(last.action, "set-attributes");
    assert!(
        last.after.as_deref().is_some_and(|a| a.contains(want.1)),
        "{last:?}"
    );

    // Not a value the framework allows, or not an attribute: refused, naming it.
    for (attribute, value) in [("grade", "chief"), ("grade", "po\0"), ("shoe-size", "9")] {
        let refused = store
            .edit(&CaseEdit {
                change: CaseChange::Attribute {
                    attribute,
                    value: Some(value),
                },
                ..set(None, edited.version)
            })
            .await;
        assert!(
            matches!(&refused, Err(StoreError::Invalid(m))
                if m.contains(attribute) || m.starts_with("the attribute value")),
            "{attribute}={value:?}: {refused:?}"
        );
    }
    // An answer edit keeps the attributes; clearing one removes it.
    let cleared = store.edit(&set(None, edited.version)).await.expect("clear");
    let now = store
        .case("llr", "sentence-management", case_ref)
        .await
        .expect("case");
    assert_eq!(now.version, cleared.version);
    assert!(!now.record.attributes.contains_key("grade"));
    assert_eq!(now.record.attributes.get("rosh"), imported.get("rosh"));

    // The cached load equals a fresh store's.
    let (cached, _) = store.load("llr").await.expect("load");
    let fresh = Store::open(url).await.expect("open again");
    let (reread, _) = fresh.load("llr").await.expect("load");
    assert_eq!(cached, reread);
    assert!(
        !reread.cases[0].cases()[0].attributes.contains_key("grade"),
        "the cleared grade stays cleared"
    );
    fresh.close().await;
    store.close().await;
}
on_both_backends!(
    declared_attributes_edited,
    declared_attributes_are_stored_edited_and_audited
);
