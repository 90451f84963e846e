//! The audit log: its chain verifies and tampering is found; it records each change's real before
//! and after, and nothing for a change that changes nothing.

use casework_core::Answer;
use casework_store::{CaseChange, CaseEdit, Role, Store};
use casework_testkit::{exec, on_both_backends};

use crate::{assert_chain_valid, edit, from_disk};

async fn the_audit_chain_verifies_and_tampering_is_found(url: &str) {
    let store = Store::open(url).await.expect("open");
    for name in ["derby-city", "nottinghamshire"] {
        let (inspection, fw) = from_disk(name);
        store
            .import(fw, &inspection, name, "inspector-a", Some("fieldwork"))
            .await
            .expect("import");
    }
    let entries = store.audit_entries().await.expect("entries");
    assert_eq!(entries.len(), 2);
    assert_eq!(entries[0].actor, "inspector-a");
    assert_eq!(entries[0].action, "import");
    assert_eq!(entries[0].reason.as_deref(), Some("fieldwork"));
    assert!(
        entries[0]
            .after
            .as_deref()
            .unwrap_or("")
            .contains("\"sentence-management\":34")
    );
    assert_eq!(entries[1].prev_hash, entries[0].hash);
    let report = store.audit_verify().await.expect("verify");
    assert_eq!((report.entries, report.first_broken), (2, None));

    // Rewrite who did the first change: its hash no longer matches.
    let first = entries[0].seq;
    exec(
        url,
        &format!("UPDATE audit_log SET actor = 'mallory' WHERE seq = {first}"),
    );
    let report = store.audit_verify().await.expect("verify");
    assert_eq!(report.first_broken.as_ref().map(|b| b.0), Some(first));
    assert!(
        report
            .first_broken
            .as_ref()
            .is_some_and(|b| b.1.contains("hash"))
    );
    // Put it back, then delete it: the next entry no longer follows.
    exec(
        url,
        &format!("UPDATE audit_log SET actor = 'inspector-a' WHERE seq = {first}"),
    );
    assert_chain_valid(&store).await;
    exec(url, &format!("DELETE FROM audit_log WHERE seq = {first}"));
    let report = store.audit_verify().await.expect("verify");
    assert_eq!(report.first_broken.map(|b| b.0), Some(entries[1].seq));
    store.close().await;
}
on_both_backends!(
    audit_tampering_is_found,
    the_audit_chain_verifies_and_tampering_is_found
);

/// The audit log records each change's real before and after, and nothing for a change that
/// changes nothing (issue 13, point 7).
async fn the_audit_log_records_real_changes_only(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("derby-city");
    store
        .import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");
    store
        .put_user("alice", Role::Inspector, "$argon2id$h", "admin")
        .await
        .expect("user");
    let count = async || store.audit_entries().await.expect("audit").len();
    let last = async || {
        store
            .audit_entries()
            .await
            .expect("audit")
            .pop()
            .expect("entry")
    };
    let json = |text: &Option<String>| -> serde_json::Value {
        serde_json::from_str(text.as_deref().unwrap_or("null")).expect("json")
    };

    crate::publish(&store, "dc", "lead").await;
    let e = last().await;
    assert_eq!(e.action, "publish");
    assert_eq!(json(&e.before)["stage"], "factual-accuracy");
    assert_eq!(json(&e.after)["stage"], "published");
    assert_eq!(json(&e.after)["version"], 1);
    let n = count().await;
    let again = store
        .set_stage("dc", casework_store::Stage::FactualAccuracy, None, "lead")
        .await;
    assert!(again.is_err(), "{again:?}");
    assert_eq!(count().await, n, "a refused move records nothing");
    crate::withdraw(&store, "dc", "lead").await;
    let e = last().await;
    assert_eq!(json(&e.before)["stage"], "published");
    assert_eq!(e.reason.as_deref(), Some("withdrawn"));

    let case = store
        .case("dc", "sentence-management", "DC-SM-0001")
        .await
        .expect("case");
    let current = Answer::parse(&case.answers["P2.1.1"]).expect("answer");
    let n = count().await;
    let same = store
        .edit(&CaseEdit {
            inspection: "dc",
            instrument: "sentence-management",
            case_ref: "DC-SM-0001",
            change: CaseChange::Answer {
                question: "P2.1.1",
                answer: current,
            },
            expected_version: 1,
            actor: "alice",
            reason: None,
        })
        .await
        .expect("the same answer again");
    assert_eq!((same.version, same.revision), (1, 0));
    assert_eq!(count().await, n, "the same answer again records nothing");
    let other = if current == Answer::Yes {
        Answer::No
    } else {
        Answer::Yes
    };
    store
        .set_answer(&edit("P2.1.1", other, 1, "alice"))
        .await
        .expect("edit");
    let e = last().await;
    assert_eq!(
        (
            json(&e.before)["version"].as_i64(),
            json(&e.after)["version"].as_i64()
        ),
        (Some(1), Some(2))
    );
    assert_eq!(json(&e.before)["answer"], current.as_cell());

    assert!(store.assign("alice", "dc", "admin").await.expect("assign"));
    let n = count().await;
    assert!(!store.assign("alice", "dc", "admin").await.expect("again"));
    assert_eq!(count().await, n);
    assert!(
        store
            .unassign("alice", "dc", "admin")
            .await
            .expect("unassign")
    );
    assert_eq!(json(&last().await.before)["member"], true);
    assert!(!store.unassign("alice", "dc", "admin").await.expect("again"));
    assert!(store.members("dc").await.expect("members").is_empty());
    assert_chain_valid(&store).await;
    store.close().await;
}
on_both_backends!(
    audit_records_real_changes_only,
    the_audit_log_records_real_changes_only
);
