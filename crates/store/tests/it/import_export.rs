//! Importing and reading back: the five seeds rate from the store as from their files, import
//! -> export is byte for byte, a failed import changes nothing, a database from a newer Casework is
//! refused untouched, answers stored as JSON by schema version 2 are upgraded at open, and a backup
//! holds everything a restore needs.

use casework_core::Answer;
use casework_core::input::write::inspection_files;
use casework_core::{Inspection, framework::Framework, rate};
use casework_store::{CaseChange, CaseEdit, Role, Store, StoreError};
use casework_testkit::{exec, on_both_backends};

use crate::{SEEDS, assert_chain_valid, edit, fixtures, from_disk};

async fn seeds_rate_from_the_store_as_from_their_files(url: &str) {
    let store = Store::open(url).await.expect("open");
    for name in SEEDS {
        let (inspection, fw) = from_disk(name);
        let summary = store
            .import(fw, &inspection, name, "tester", Some("acceptance"))
            .await
            .expect("import");
        assert_eq!(summary.inspections, 1 + inspection.units.len());
        let (stored, stored_fw) = store.load(name).await.expect("load");
        assert_eq!(stored_fw.content_hash(), fw.content_hash());
        assert_eq!(
            rate(&stored_fw, &stored),
            rate(fw, &inspection),
            "{name}: ratings from the store"
        );
        assert_eq!(
            stored, inspection,
            "{name}: the stored inspection is the imported one"
        );
    }
    let listed = store.list().await.expect("list");
    assert!(listed.iter().any(|s| s.slug == "east-midlands/derby-city"
        && s.parent.as_deref() == Some("east-midlands")
        && s.cases == 34));
    store.close().await;
}
on_both_backends!(
    seeds_rate_from_the_store,
    seeds_rate_from_the_store_as_from_their_files
);

/// An inspection's directory files, its PDU inspections where it points.
fn files_of(fw: &Framework, inspection: &Inspection) -> Vec<(std::path::PathBuf, String)> {
    inspection_files(fw, inspection, inspection.unit_paths.clone())
}

async fn export_round_trips_byte_for_byte(url: &str) {
    let store = Store::open(url).await.expect("open");
    for name in SEEDS {
        let (inspection, fw) = from_disk(name);
        store
            .import(fw, &inspection, name, "tester", None)
            .await
            .expect("import");
        let (stored, stored_fw) = store.load(name).await.expect("load");
        let dir = fixtures().join(name);
        for (rel, text) in files_of(&stored_fw, &stored) {
            let original = std::fs::read_to_string(dir.join(&rel)).expect("fixture file");
            assert!(
                original == text,
                "{name}/{}: export differs from the import",
                rel.display()
            );
        }
        for (unit, path) in stored.units.iter().zip(&stored.unit_paths) {
            for (rel, text) in files_of(&stored_fw, unit) {
                let original =
                    std::fs::read_to_string(dir.join(path).join(&rel)).expect("unit file");
                assert!(original == text, "{name}/{path}/{}: differs", rel.display());
            }
        }
    }
    store.close().await;
}
on_both_backends!(export_round_trips, export_round_trips_byte_for_byte);

async fn counts(url: &str) -> (usize, i64, usize) {
    let store = Store::open(url).await.expect("open");
    let list = store.list().await.expect("list");
    let cases = list.iter().map(|s| s.cases).sum();
    let audit = store.audit_entries().await.expect("audit").len();
    store.close().await;
    (list.len(), cases, audit)
}

async fn a_failed_import_changes_nothing(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (pdu, fw) = from_disk("nottinghamshire");
    // Occupy the id the region's third PDU inspection would get, so the region import fails after
    // writing the region and two of its PDUs.
    store
        .import(fw, &pdu, "em/nottinghamshire", "tester", None)
        .await
        .expect("import");
    store.close().await;
    let before = counts(url).await;
    let store = Store::open(url).await.expect("open");
    let (region, fw) = from_disk("east-midlands");
    let err = store
        .import(fw, &region, "em", "tester", None)
        .await
        .expect_err("conflict");
    assert!(matches!(err, StoreError::Conflict(_)), "{err}");
    assert!(err.to_string().contains("em/nottinghamshire"), "{err}");
    assert!(matches!(
        store.load("em").await,
        Err(StoreError::NotFound(_))
    ));
    assert!(matches!(
        store.load("em/derby-city").await,
        Err(StoreError::NotFound(_))
    ));
    store.close().await;
    assert_eq!(counts(url).await, before, "nothing was written");
    // And the same id again is refused too.
    let store = Store::open(url).await.expect("open");
    let err = store
        .import(fw, &pdu, "em/nottinghamshire", "tester", None)
        .await
        .expect_err("duplicate");
    assert!(err.to_string().contains("already stored"), "{err}");
    store.close().await;
}
on_both_backends!(
    failed_import_changes_nothing,
    a_failed_import_changes_nothing
);

async fn a_newer_database_is_refused_untouched(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("derby-city");
    store
        .import(fw, &inspection, "derby-city", "tester", None)
        .await
        .expect("import");
    store.close().await;
    let checksum = if url.starts_with("postgres") {
        "decode('00', 'hex')"
    } else {
        "X'00'"
    };
    exec(
        url,
        &format!(
            "INSERT INTO _sqlx_migrations (version, description, success, checksum, execution_time) \
             VALUES (9999, 'from the future', TRUE, {checksum}, 0)"
        ),
    );
    let err = Store::open(url).await.expect_err("refused");
    assert!(
        matches!(err, StoreError::NewerSchema { version: 9999, .. }),
        "{err}"
    );
    assert!(err.to_string().contains("newer Casework"), "{err}");
    // Untouched: take the future migration out again and everything is still there.
    exec(url, "DELETE FROM _sqlx_migrations WHERE version = 9999");
    let store = Store::open(url).await.expect("open");
    assert!(store.load("derby-city").await.is_ok());
    store.close().await;
}
on_both_backends!(
    newer_database_is_refused,
    a_newer_database_is_refused_untouched
);

/// A database from before schema version 3 holds answers as JSON objects; opening it with this
/// build rewrites them as codes, once, and every figure stays the same.
async fn answers_stored_as_json_are_upgraded_at_open(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("east-midlands");
    store
        .import(fw, &inspection, "em", "tester", None)
        .await
        .expect("import");
    let before = store.load("em").await.expect("load");
    let audit = store.audit_entries().await.expect("audit");
    // Back to how version 2 stored them: the case's answers as a JSON object, blanks left out.
    let mut rewrites = Vec::new();
    let children = store.children("em").await.expect("children");
    let units = std::iter::once("em".to_string())
        .chain(children.into_iter().map(|c| c.slug))
        .zip(std::iter::once(&before.0).chain(&before.0.units));
    for (slug, unit) in units {
        for set in &unit.cases {
            for case in set.cases() {
                let stored = store
                    .case(&slug, &set.instrument, &case.id)
                    .await
                    .expect("case");
                let json = serde_json::to_string(&stored.answers).expect("json");
                rewrites.push(format!(
                    "UPDATE cases SET answers = '{json}' WHERE case_ref = '{}' AND instrument = '{}' \
                     AND inspection_id = (SELECT id FROM inspections WHERE slug = '{slug}')",
                    case.id, set.instrument
                ));
            }
        }
    }
    assert!(rewrites.len() > 600, "{} cases", rewrites.len());
    store.close().await;
    rewrites.push("INSERT INTO pending_upgrades (name) VALUES ('answer-codes')".into());
    exec(url, &rewrites.join(";\n"));

    let store = Store::open(url).await.expect("open upgrades");
    let after = store.load("em").await.expect("load");
    assert_eq!(after.0, before.0, "the same inspection");
    assert_eq!(rate(&after.1, &after.0), rate(&before.1, &before.0));
    assert_eq!(
        store.audit_entries().await.expect("audit"),
        audit,
        "no audit entry"
    );
    store.close().await;
    // Done: the step is no longer pending (recording it again is allowed), and running it again
    // finds nothing left to rewrite.
    exec(
        url,
        "INSERT INTO pending_upgrades (name) VALUES ('answer-codes')",
    );
    let store = Store::open(url).await.expect("open again");
    assert_eq!(store.load("em").await.expect("load").0, before.0);
    store.close().await;
}
on_both_backends!(
    answers_stored_as_json_are_upgraded,
    answers_stored_as_json_are_upgraded_at_open
);

async fn a_backup_is_a_consistent_copy_that_opens(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("east-midlands");
    store
        .import(fw, &inspection, "em", "tester", None)
        .await
        .expect("import");
    let (dc, fw) = from_disk("derby-city");
    store
        .import(fw, &dc, "dc", "tester", None)
        .await
        .expect("import");
    store
        .set_answer(&edit("P2.1.1", Answer::No, 1, "alice"))
        .await
        .expect("edit");
    // Everything a restore needs: people, who works on what, evidence notes, publication.
    store
        .put_user("lead", Role::Lead, "$argon2id$hash", "admin")
        .await
        .expect("user");
    store.assign("lead", "em", "admin").await.expect("assign");
    store
        .edit_case(&CaseEdit {
            inspection: "dc",
            instrument: "sentence-management",
            case_ref: "DC-SM-0001",
            change: CaseChange::Evidence {
                question: "P2.1.1",
                note: "seen in the <b>plan</b>",
            },
            expected_version: 2,
            actor: "alice",
            reason: None,
        })
        .await
        .expect("evidence");
    crate::publish(&store, "em", "lead").await;
    let dir = tempfile::tempdir().expect("a temporary directory");
    let file = dir.path().join("backup.db");
    store.backup(&file).await.expect("backup");
    let err = store.backup(&file).await.expect_err("exists");
    assert!(err.to_string().contains("already exists"), "{err}");

    let copy = Store::open(&file.display().to_string())
        .await
        .expect("open backup");
    for slug in ["em", "dc"] {
        let (a, afw) = store.load(slug).await.expect("load");
        let (b, bfw) = copy.load(slug).await.expect("load copy");
        assert_eq!(a, b, "{slug}");
        assert_eq!(rate(&afw, &a), rate(&bfw, &b), "{slug}");
    }
    let case = copy
        .case("dc", "sentence-management", "DC-SM-0001")
        .await
        .expect("case");
    assert_eq!(case.version, 3);
    assert_eq!(case.answers["P2.1.1"], "N");
    assert_eq!(case.evidence["P2.1.1"], "seen in the <b>plan</b>");
    assert_eq!(
        copy.users().await.expect("users"),
        store.users().await.expect("users")
    );
    assert_eq!(copy.members("em").await.expect("members"), ["lead"]);
    for slug in ["em", "em/derby-city", "dc"] {
        assert_eq!(
            copy.stored(slug).await.expect("stored").published,
            store.stored(slug).await.expect("stored").published,
            "{slug}"
        );
    }
    // The published version, its bytes included (PostgreSQL's BYTEA into SQLite's BLOB).
    assert_eq!(
        copy.published_files("em", None)
            .await
            .expect("copy's files"),
        store.published_files("em", None).await.expect("files")
    );
    assert_eq!(
        copy.publication_state("em").await.expect("state").stage,
        casework_store::Stage::Published
    );
    assert_eq!(
        copy.audit_entries().await.expect("audit"),
        store.audit_entries().await.expect("audit")
    );
    assert_chain_valid(&copy).await;
    copy.close().await;
    store.close().await;
}
on_both_backends!(
    backup_is_a_consistent_copy,
    a_backup_is_a_consistent_copy_that_opens
);
