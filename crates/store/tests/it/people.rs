//! People and access: users, membership, standing, sessions (ended when the user changes),
//! publication, and case edits by signed-in users.

use casework_core::Answer;
use casework_store::{CaseChange, CaseEdit, Role, Store, StoreError};
use casework_testkit::on_both_backends;

use crate::{assert_chain_valid, from_disk};

async fn people_sessions_publication_and_case_edits(url: &str) {
    use casework_core::case::{Oversight, SentenceType};
    use casework_store::Standing;
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("derby-city");
    store
        .import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");

    // Users, membership, standing.
    store
        .put_user("alice", Role::Inspector, "$argon2id$hash", "admin")
        .await
        .expect("user");
    assert!(matches!(
        store.put_user(" ", Role::Viewer, "h", "admin").await,
        Err(StoreError::Invalid(_))
    ));
    let alice = store.user("alice").await.expect("read").expect("alice");
    assert_eq!(
        (alice.role, alice.password_hash.as_deref()),
        (Role::Inspector, Some("$argon2id$hash"))
    );
    assert_eq!(
        store.standing("dc", "alice").await.expect("standing"),
        Some(Standing {
            published: false,
            frozen: false,
            member: false,
            revision: store.revision().await.expect("revision"),
        })
    );
    assert_eq!(
        store.standing("nope", "alice").await.expect("standing"),
        None
    );
    assert!(matches!(
        store.assign("nobody", "dc", "admin").await,
        Err(StoreError::NotFound(_))
    ));
    store.assign("alice", "dc", "admin").await.expect("assign");
    store
        .assign("alice", "dc", "admin")
        .await
        .expect("assigning twice is harmless");
    assert_eq!(store.members("dc").await.expect("members"), ["alice"]);
    assert!(
        store
            .standing("dc", "alice")
            .await
            .expect("standing")
            .expect("some")
            .member
    );

    // Sessions: found by token hash until they expire or end.
    let now = casework_store::unix_now();
    store
        .create_session("live", "alice", "csrf-1", now + 60)
        .await
        .expect("session");
    store
        .create_session("old", "alice", "csrf-2", now - 1)
        .await
        .expect("session");
    let s = store
        .session("live")
        .await
        .expect("read")
        .expect("live session");
    assert_eq!(
        (s.user.name.as_str(), s.csrf_token.as_str()),
        ("alice", "csrf-1")
    );
    assert!(
        store.session("old").await.expect("read").is_none(),
        "expired"
    );
    store.end_session("live").await.expect("end");
    assert!(
        store.session("live").await.expect("read").is_none(),
        "ended"
    );

    // Case edits: evidence notes, a blank key answer while in progress, attributes.
    let (case_ref, edit) = ("DC-SM-0001", |change, v| CaseEdit {
        inspection: "dc",
        instrument: "sentence-management",
        case_ref: "DC-SM-0001",
        change,
        expected_version: v,
        actor: "alice",
        reason: None,
    });
    let v = store
        .edit_case(&edit(
            CaseChange::Evidence {
                question: "P2.1.1",
                note: "<b>seen</b>",
            },
            1,
        ))
        .await
        .expect("note");
    assert_eq!(
        store
            .case("dc", "sentence-management", case_ref)
            .await
            .expect("case")
            .evidence["P2.1.1"],
        "<b>seen</b>"
    );
    let v = store
        .edit_case(&edit(
            CaseChange::Evidence {
                question: "P2.1.1",
                note: " ",
            },
            v,
        ))
        .await
        .expect("clear");
    assert!(
        store
            .case("dc", "sentence-management", case_ref)
            .await
            .expect("case")
            .evidence
            .is_empty()
    );
    let v = store
        .edit_case(&edit(
            CaseChange::Answer {
                question: "P2.1.1",
                answer: Answer::Unanswered,
            },
            v,
        ))
        .await
        .expect("a key answer may be blank while the case is in progress");
    let v = store
        .edit_case(&edit(CaseChange::Oversight(Some(Oversight::Absent)), v))
        .await
        .expect("oversight");
    assert_eq!(
        store
            .case("dc", "sentence-management", case_ref)
            .await
            .expect("case")
            .record
            .oversight,
        Some(Oversight::Absent)
    );
    assert!(matches!(
        store
            .edit_case(&edit(
                CaseChange::Evidence {
                    question: "R2.3.1",
                    note: "x"
                },
                v
            ))
            .await,
        Err(StoreError::Invalid(_))
    ));

    // An attribute change that would strand an answer is refused until the answer is cleared.
    let (loaded, _) = store.load("dc").await.expect("load");
    let set = loaded.cases_for("sentence-management").expect("sm");
    let qi = fw
        .instrument("sentence-management")
        .expect("sm")
        .questions
        .iter()
        .position(|q| q.id == "P2.1.3h")
        .expect("P2.1.3h");
    let licence = set
        .rows()
        .find(|(c, a)| {
            c.sentence == Some(SentenceType::Licence) && matches!(a[qi], Answer::Yes | Answer::No)
        })
        .map(|(c, _)| c.id.clone())
        .expect("a licence case answering the licence-only prompt");
    let lic_edit = |change, v| CaseEdit {
        case_ref: &licence,
        ..edit(change, v)
    };
    let lv = store
        .case("dc", "sentence-management", &licence)
        .await
        .expect("case")
        .version;
    let refused = store
        .edit_case(&lic_edit(
            CaseChange::Sentence(Some(SentenceType::Community)),
            lv,
        ))
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Invalid(m)) if m.contains("P2.1.3h") && m.contains("clear that answer first")),
        "{refused:?}"
    );
    let lv = store
        .edit_case(&lic_edit(
            CaseChange::Answer {
                question: "P2.1.3h",
                answer: Answer::Unanswered,
            },
            lv,
        ))
        .await
        .expect("clear");
    store
        .edit_case(&lic_edit(
            CaseChange::Sentence(Some(SentenceType::Community)),
            lv,
        ))
        .await
        .expect("now allowed");

    // Published (every case complete first): read-only until withdrawn.
    let v = store
        .edit_case(&edit(
            CaseChange::Answer {
                question: "P2.1.1",
                answer: Answer::Yes,
            },
            v,
        ))
        .await
        .expect("answered");
    crate::publish(&store, "dc", "admin").await;
    assert!(store.list().await.expect("list")[0].published);
    let refused = store.edit_case(&edit(CaseChange::Oversight(None), v)).await;
    assert!(
        matches!(&refused, Err(StoreError::Invalid(m)) if m.contains("published")),
        "{refused:?}"
    );
    crate::withdraw(&store, "dc", "admin").await;
    store
        .edit_case(&edit(CaseChange::Oversight(None), v))
        .await
        .expect("editable again");

    let history = store
        .audit_history("dc", "case:sentence-management/DC-SM-0001")
        .await
        .expect("history");
    assert_eq!(history.len(), 6);
    assert_chain_valid(&store).await;
    store.close().await;
}
on_both_backends!(
    people_sessions_publication_and_edits,
    people_sessions_publication_and_case_edits
);

/// A user's sessions end when their password or role changes, when they are disabled, and when an
/// administrator revokes them; a disabled user has no session at all (issue 13, point 5).
async fn sessions_end_when_a_user_changes(url: &str) {
    let store = Store::open(url).await.expect("open");
    let future = casework_store::unix_now() + 600;
    store
        .put_user("alice", Role::Inspector, "$argon2id$one", "admin")
        .await
        .expect("user");
    store
        .create_session("s1", "alice", "c", future)
        .await
        .expect("s1");
    assert!(store.session("s1").await.expect("read").is_some());
    store
        .put_user("alice", Role::Lead, "$argon2id$two", "admin")
        .await
        .expect("new password and role");
    assert!(
        store.session("s1").await.expect("read").is_none(),
        "ended by the change"
    );

    store
        .create_session("s2", "alice", "c", future)
        .await
        .expect("s2");
    assert!(
        store
            .set_disabled("alice", true, "admin")
            .await
            .expect("disable")
    );
    assert!(
        store.session("s2").await.expect("read").is_none(),
        "ended by disabling"
    );
    assert!(
        store
            .user("alice")
            .await
            .expect("read")
            .expect("alice")
            .disabled
    );
    store
        .create_session("s3", "alice", "c", future)
        .await
        .expect("s3");
    assert!(
        store.session("s3").await.expect("read").is_none(),
        "a disabled user has none"
    );
    assert!(
        !store
            .set_disabled("alice", true, "admin")
            .await
            .expect("again")
    );
    assert!(
        store
            .set_disabled("alice", false, "admin")
            .await
            .expect("enable")
    );
    assert!(store.session("s3").await.expect("read").is_some());

    store
        .create_session("s4", "alice", "c", future)
        .await
        .expect("s4");
    assert_eq!(store.session_count("alice").await.expect("count"), 2);
    assert_eq!(
        store
            .revoke_sessions("alice", "admin")
            .await
            .expect("revoke"),
        2
    );
    assert!(store.session("s4").await.expect("read").is_none());
    let n = store.audit_entries().await.expect("audit").len();
    assert_eq!(
        store
            .revoke_sessions("alice", "admin")
            .await
            .expect("again"),
        0
    );
    assert_eq!(store.audit_entries().await.expect("audit").len(), n);
    assert!(matches!(
        store.revoke_sessions("nobody", "admin").await,
        Err(StoreError::NotFound(_))
    ));
    assert_chain_valid(&store).await;
    store.close().await;
}
on_both_backends!(sessions_end_on_change, sessions_end_when_a_user_changes);
