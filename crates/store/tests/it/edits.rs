//! Case edits: versioned, checked against the framework and audited; parallel writers lose no
//! update; concurrent edits commit together and refusals stay apart; one edit the database refuses
//! fails alone; text no backend can store is refused alike.

use casework_core::Answer;
use casework_core::rate;
use casework_store::{AnswerEdit, CaseChange, CaseEdit, Role, Store, StoreError};
use casework_testkit::{exec, on_both_backends};

use crate::{assert_chain_valid, edit, from_disk};

async fn edits_are_versioned_checked_and_audited(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("derby-city");
    store
        .import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");
    let case = store
        .case("dc", "sentence-management", "DC-SM-0001")
        .await
        .expect("case");
    assert_eq!(case.version, 1);
    let old = case.answers.get("P2.1.1").cloned().expect("answered");
    let new = if old == "Y" { Answer::No } else { Answer::Yes };
    let yes_before = rate(fw, &store.load("dc").await.expect("load").0)
        .key_question("P2.1", "P2.1.1")
        .expect("kq")
        .yes;

    let v = store
        .set_answer(&edit("P2.1.1", new, 1, "alice"))
        .await
        .expect("edit");
    assert_eq!(v, 2);
    let (after, after_fw) = store.load("dc").await.expect("load");
    let yes_after = rate(&after_fw, &after)
        .key_question("P2.1", "P2.1.1")
        .expect("kq")
        .yes;
    assert_eq!(
        yes_after as i64 - yes_before as i64,
        if new == Answer::Yes { 1 } else { -1 }
    );

    // A stale edit is refused, names the versions and what changed, and saves nothing.
    let err = store
        .set_answer(&edit("P2.1.2", Answer::Yes, 1, "bob"))
        .await
        .expect_err("stale");
    let text = err.to_string();
    assert!(
        matches!(
            err,
            StoreError::StaleVersion {
                expected: 1,
                current: 2,
                ..
            }
        ),
        "{text}"
    );
    assert!(
        text.contains(&format!("P2.1.1 {old} -> {} by alice", new.as_cell())),
        "{text}"
    );
    assert_eq!(
        store
            .case("dc", "sentence-management", "DC-SM-0001")
            .await
            .expect("case")
            .version,
        2
    );

    // The framework's rules apply to edits as to imports.
    let err = store
        .set_answer(&edit("P2.1.1", Answer::NotApplicable, 2, "alice"))
        .await
        .expect_err("NA not allowed");
    assert!(matches!(err, StoreError::Invalid(_)), "{err}");
    let err = store
        .set_answer(&edit("R2.3.1", Answer::Yes, 2, "alice"))
        .await
        .expect_err("other instrument");
    assert!(
        err.to_string().contains("not a question of instrument"),
        "{err}"
    );

    let entries = store.audit_entries().await.expect("audit");
    let last = entries.last().expect("entry");
    assert_eq!(
        (last.action.as_str(), last.actor.as_str()),
        ("set-answer", "alice")
    );
    assert!(
        last.before
            .as_deref()
            .unwrap_or("")
            .contains(&format!("\"answer\":\"{old}\""))
    );
    assert_chain_valid(&store).await;
    store.close().await;
}
on_both_backends!(
    edits_are_versioned_and_audited,
    edits_are_versioned_checked_and_audited
);

async fn parallel_writers_on_one_case_lose_no_update(url: &str) {
    const PROMPTS: [&str; 8] = [
        "P2.1.1a", "P2.1.1b", "P2.1.1c", "P2.1.1d", "P2.1.2a", "P2.1.2b", "P2.1.2c", "P2.1.3a",
    ];
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("derby-city");
    store
        .import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");
    // Each writer changes its prompt to the other answer: every write is a real change.
    let start = store
        .case("dc", "sentence-management", "DC-SM-0001")
        .await
        .expect("case");
    let target = |prompt: &str| match start.answers.get(prompt).map(String::as_str) {
        Some("Y") => Answer::No,
        _ => Answer::Yes,
    };
    let targets: Vec<Answer> = PROMPTS.iter().map(|p| target(p)).collect();
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(PROMPTS.len()));
    let mut tasks = Vec::new();
    for (i, prompt) in PROMPTS.iter().enumerate() {
        let (store, barrier, answer) = (store.clone(), barrier.clone(), targets[i]);
        tasks.push(tokio::spawn(async move {
            let actor = format!("writer-{i}");
            // Everyone reads version 1 before anyone writes: only one first write can win.
            let mut version = store
                .case("dc", "sentence-management", "DC-SM-0001")
                .await
                .expect("case")
                .version;
            barrier.wait().await;
            let mut conflicts = 0;
            loop {
                match store
                    .set_answer(&edit(prompt, answer, version, &actor))
                    .await
                {
                    Ok(_) => return conflicts,
                    Err(StoreError::StaleVersion { current, .. }) => {
                        conflicts += 1;
                        version = current;
                    }
                    Err(e) => panic!("{actor}: {e}"),
                }
            }
        }));
    }
    let mut conflicts = 0;
    for t in tasks {
        conflicts += t.await.expect("task");
    }
    assert!(conflicts >= PROMPTS.len() - 1, "only {conflicts} conflicts");
    let case = store
        .case("dc", "sentence-management", "DC-SM-0001")
        .await
        .expect("case");
    assert_eq!(
        case.version,
        1 + PROMPTS.len() as i64,
        "every write got its own version"
    );
    for (prompt, answer) in PROMPTS.iter().zip(&targets) {
        assert_eq!(
            case.answers.get(*prompt).map(String::as_str),
            Some(answer.as_cell()),
            "{prompt} lost"
        );
    }
    let edits = store
        .audit_entries()
        .await
        .expect("audit")
        .into_iter()
        .filter(|e| e.action == "set-answer")
        .count();
    assert_eq!(edits, PROMPTS.len());
    assert_chain_valid(&store).await;
    store.close().await;
}
on_both_backends!(
    parallel_writers_lose_no_update,
    parallel_writers_on_one_case_lose_no_update
);

/// Concurrent edits of different cases are written together (see the store's `group_commit`): each
/// is saved exactly once, in a valid audit chain, and an edit refused among them (a stale version)
/// changes nothing while the others go ahead.
async fn concurrent_edits_commit_together_and_refusals_stay_apart(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("derby-city");
    store
        .import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");
    let before = store.audit_entries().await.expect("audit").len();
    let refs: Vec<String> = inspection.cases[0]
        .cases()
        .iter()
        .take(24)
        .map(|c| c.id.clone())
        .collect();
    let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(refs.len()));
    let mut tasks = Vec::new();
    for (i, case_ref) in refs.iter().enumerate() {
        let (store, barrier, case_ref) = (store.clone(), barrier.clone(), case_ref.clone());
        tasks.push(tokio::spawn(async move {
            barrier.wait().await;
            // Every fourth writer is based on a version that never existed.
            let expected_version = if i % 4 == 3 { 7 } else { 1 };
            store
                .set_answer(&AnswerEdit {
                    inspection: "dc",
                    instrument: "sentence-management",
                    case_ref: &case_ref,
                    question: "P2.1.1",
                    answer: Answer::Unanswered,
                    expected_version,
                    actor: "tester",
                    reason: None,
                })
                .await
        }));
    }
    for (i, task) in tasks.into_iter().enumerate() {
        match (i % 4 == 3, task.await.expect("task")) {
            (false, Ok(version)) => assert_eq!(version, 2, "writer {i}"),
            (true, Err(StoreError::StaleVersion { current: 1, .. })) => {}
            (stale, outcome) => panic!("writer {i} (stale: {stale}): {outcome:?}"),
        }
    }
    let fresh = Store::open(url).await.expect("open a fresh store");
    for (i, case_ref) in refs.iter().enumerate() {
        let case = fresh
            .case("dc", "sentence-management", case_ref)
            .await
            .expect("case");
        let saved = i % 4 != 3;
        assert_eq!(case.version, if saved { 2 } else { 1 }, "{case_ref}");
        assert_eq!(
            case.answers.contains_key("P2.1.1"),
            !saved,
            "{case_ref}: answer cleared only by the writers that were not stale"
        );
    }
    let entries = fresh.audit_entries().await.expect("audit").len();
    assert_eq!(entries - before, refs.len() - refs.len() / 4);
    assert_chain_valid(&fresh).await;
    fresh.close().await;
    store.close().await;
}
on_both_backends!(
    concurrent_edits_commit_together,
    concurrent_edits_commit_together_and_refusals_stay_apart
);

/// Creates, in the test's database, a trigger that makes the database itself refuse an evidence
/// note reading `poison`: a real database error for one edit, on either backend.
fn poison_evidence(url: &str) {
    if url.contains("://") {
        exec(
            url,
            "CREATE FUNCTION refuse_poison() RETURNS trigger AS $$ BEGIN \
             IF NEW.note = 'poison' THEN RAISE EXCEPTION 'poisoned note'; END IF; RETURN NEW; \
             END $$ LANGUAGE plpgsql; \
             CREATE TRIGGER refuse_poison BEFORE INSERT ON evidence FOR EACH ROW \
             EXECUTE FUNCTION refuse_poison();",
        );
    } else {
        exec(
            url,
            "CREATE TRIGGER refuse_poison BEFORE INSERT ON evidence WHEN NEW.note = 'poison' \
             BEGIN SELECT RAISE(ABORT, 'poisoned note'); END;",
        );
    }
}

/// One edit the database refuses fails alone: the edits committed in the same group by other
/// users are saved, in every round (issue 13, point 2b).
async fn one_bad_edit_never_fails_another_users_edit(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("derby-city");
    store
        .import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");
    poison_evidence(url);
    let refs: Vec<String> = inspection.cases[0]
        .cases()
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let before = store.audit_entries().await.expect("audit").len();
    let rounds = 3;
    for round in 0..rounds {
        let barrier = std::sync::Arc::new(tokio::sync::Barrier::new(refs.len()));
        let mut tasks = Vec::new();
        for (i, case_ref) in refs.iter().enumerate() {
            let (store, barrier, case_ref) = (store.clone(), barrier.clone(), case_ref.clone());
            tasks.push(tokio::spawn(async move {
                barrier.wait().await;
                let note = if i == 7 {
                    "poison".to_string()
                } else {
                    format!("round {round}")
                };
                store
                    .edit(&CaseEdit {
                        inspection: "dc",
                        instrument: "sentence-management",
                        case_ref: &case_ref,
                        change: CaseChange::Evidence {
                            question: "P2.1.1",
                            note: &note,
                        },
                        // The poisoned case is never saved, so it stays at version 1.
                        expected_version: if i == 7 { 1 } else { round + 1 },
                        actor: if i == 7 { "mallory" } else { "alice" },
                        reason: None,
                    })
                    .await
            }));
        }
        for (i, task) in tasks.into_iter().enumerate() {
            match (i == 7, task.await.expect("task")) {
                (false, Ok(edited)) => assert_eq!(edited.version, round + 2, "case {i}"),
                (true, Err(StoreError::NotSaved { why, .. })) => {
                    assert!(why.contains("poisoned"), "{why}")
                }
                (poisoned, outcome) => panic!("round {round}, case {i} ({poisoned}): {outcome:?}"),
            }
        }
    }
    let fresh = Store::open(url).await.expect("open");
    for (i, case_ref) in refs.iter().enumerate() {
        let case = fresh
            .case("dc", "sentence-management", case_ref)
            .await
            .expect("case");
        if i == 7 {
            assert_eq!((case.version, case.evidence.len()), (1, 0));
        } else {
            assert_eq!(case.version, rounds + 1, "{case_ref}");
            assert_eq!(case.evidence["P2.1.1"], format!("round {}", rounds - 1));
        }
    }
    let entries = fresh.audit_entries().await.expect("audit").len() - before;
    assert_eq!(entries, (refs.len() - 1) * rounds as usize);
    assert_chain_valid(&fresh).await;
    fresh.close().await;
    store.close().await;
}
on_both_backends!(
    one_bad_edit_never_fails_another,
    one_bad_edit_never_fails_another_users_edit
);

/// Text a backend cannot store (U+0000) or that Casework does not accept is refused alike on
/// both backends, naming the field, and nothing is written (issue 13, points 2a and 6).
async fn text_is_refused_alike_on_both_backends(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("derby-city");
    store
        .import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");
    let n = store.audit_entries().await.expect("audit").len();
    let note = |note| CaseEdit {
        inspection: "dc",
        instrument: "sentence-management",
        case_ref: "DC-SM-0001",
        change: CaseChange::Evidence {
            question: "P2.1.1",
            note,
        },
        expected_version: 1,
        actor: "alice",
        reason: None,
    };
    let refused = store.edit(&note("before\0after")).await;
    assert!(
        matches!(&refused, Err(StoreError::Invalid(m)) if m.starts_with("the evidence note") && m.contains("U+0000")),
        "{refused:?}"
    );
    let refused = store
        .edit(&CaseEdit {
            case_ref: "DC\0",
            ..note("fine")
        })
        .await;
    assert!(matches!(&refused, Err(StoreError::Invalid(m)) if m.starts_with("the case reference")));
    let refused = store.put_user("a\0b", Role::Viewer, "h", "admin").await;
    assert!(
        matches!(refused, Err(StoreError::Invalid(_))),
        "{refused:?}"
    );
    for id in ["", "../x", "a/../b", "a\u{1b}[2J", "<b>x</b>", "dc two"] {
        let refused = store.import(fw, &inspection, id, "tester", None).await;
        assert!(
            matches!(&refused, Err(StoreError::Invalid(m)) if m.starts_with("the inspection id")),
            "{id:?}: {refused:?}"
        );
    }
    assert_eq!(store.audit_entries().await.expect("audit").len(), n);
    assert_eq!(store.list().await.expect("list").len(), 1);
    store.close().await;
}
on_both_backends!(text_refused_alike, text_is_refused_alike_on_both_backends);
