//! The inspection held whole in the store: a case in progress, evidence notes, judged ratings
//! with their rationale and the narrative go in with an import, come back with a load exactly, and
//! stay current as the web edits them (evidence and answers, a case finishing), on both backends.

use casework_core::Answer;
use casework_core::case::{CaseStatus, SentenceType};
use casework_core::input::write::inspection_files;
use casework_core::rate;
use casework_store::{CaseChange, CaseEdit, Store, StoreError};
use casework_testkit::on_both_backends;

use crate::from_disk;

const CASE: &str = "N-SM-0003";

fn change<'a>(change: CaseChange<'a>, version: i64) -> CaseEdit<'a> {
    CaseEdit {
        inspection: "notts",
        instrument: "sentence-management",
        case_ref: CASE,
        change,
        expected_version: version,
        actor: "inspector",
        reason: None,
    }
}

async fn an_inspection_mid_fieldwork_round_trips(url: &str) {
    let store = Store::open(url).await.expect("open");
    // Nottinghamshire's fixture has a narrative and evidence notes; leave one case in progress
    // (its sentence not recorded, a key question unanswered) and give a judged rating a rationale.
    let (mut inspection, fw) = from_disk("nottinghamshire");
    assert!(
        !inspection.narrative.is_empty(),
        "the fixture has a narrative"
    );
    let inst = fw.instrument("sentence-management").expect("instrument");
    let set = &mut inspection.cases[0];
    let index = set.cases().iter().position(|c| c.id == CASE).expect("case");
    set.case_mut(index).sentence = None;
    set.answers_mut(index)[0] = Answer::Unanswered;
    set.settle_status(index, inst, fw.rules.reset_adjusted_max_weeks);
    assert_eq!(set.cases()[index].status, CaseStatus::InProgress);
    inspection.judged_rationale.insert(
        "P1.1".into(),
        "Leaders' vision was clear;\nstaff knew it.".into(),
    );
    store
        .import(fw, &inspection, "notts", "tester", None)
        .await
        .expect("import");
    let (stored, stored_fw) = store.load("notts").await.expect("load");
    assert_eq!(
        stored, inspection,
        "the stored inspection is the imported one"
    );
    assert_eq!(
        inspection_files(&stored_fw, &stored, vec![]),
        inspection_files(fw, &inspection, vec![]),
        "exports as it was imported"
    );
    assert_eq!(rate(&stored_fw, &stored).in_progress, 1);

    // The web finishes the case: an evidence note, the sentence, the missing answer.
    let note = CaseChange::Evidence {
        question: "P2.1.1",
        note: "  Read the pre-sentence report.  ",
    };
    let v = store.edit_case(&change(note, 1)).await.expect("note");
    let v = store
        .edit_case(&change(
            CaseChange::Sentence(Some(SentenceType::Community)),
            v,
        ))
        .await
        .expect("sentence");
    let (loaded, _) = store.load("notts").await.expect("load");
    let case = &loaded.cases[0].cases()[index];
    assert_eq!(case.evidence["P2.1.1"], "Read the pre-sentence report.");
    assert_eq!(
        case.status,
        CaseStatus::InProgress,
        "a key answer is missing"
    );
    let answer = CaseChange::Answer {
        question: "P2.1.1",
        answer: Answer::Yes,
    };
    store.edit_case(&change(answer, v)).await.expect("answer");
    let (kept, _) = store.load("notts").await.expect("load");
    assert_eq!(kept.cases[0].cases()[index].status, CaseStatus::Complete);
    assert_eq!(rate(&stored_fw, &kept).in_progress, 0);
    // What memory holds is what the database holds.
    let fresh = Store::open(url).await.expect("second handle");
    let (reread, _) = fresh.load("notts").await.expect("reread");
    assert_eq!(
        reread, kept,
        "kept current in memory as the database has it"
    );
    fresh.close().await;

    // Text the store would refuse from a file is refused from memory alike, nothing written.
    let mut bad = inspection.clone();
    bad.narrative.insert("notes.md".into(), "x".into());
    let refused = store.import(fw, &bad, "bad", "tester", None).await;
    assert!(
        matches!(&refused, Err(StoreError::Invalid(m)) if m.contains("notes.md")),
        "{refused:?}"
    );
    assert!(store.load("bad").await.is_err(), "nothing half-imported");
    store.close().await;
}
on_both_backends!(
    mid_fieldwork_round_trip,
    an_inspection_mid_fieldwork_round_trips
);

async fn report_text_is_versioned_audited_and_frozen_when_published(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("derby-city");
    store
        .import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");
    let files = store.narrative("dc").await.expect("narrative");
    assert_eq!(files[0].name, "foreword.md");
    assert_eq!((files[0].version, files[0].body.as_str()), (0, ""));
    let revision = store.revision().await.expect("revision");
    let v = store
        .set_narrative("dc", "foreword.md", "Thanks to {{unit}}.\n", 0, "lead")
        .await
        .expect("written");
    assert_eq!(v, 1);
    // Saving the same text again changes nothing and records nothing.
    assert_eq!(
        store
            .set_narrative("dc", "foreword.md", "Thanks to {{unit}}.\n", 1, "lead")
            .await
            .expect("same"),
        1
    );
    assert_eq!(store.revision().await.expect("revision"), revision + 1);
    // A save based on what the other writer replaced is refused, saying who saved it.
    let stale = store
        .set_narrative("dc", "foreword.md", "Mine.\n", 0, "inspector")
        .await;
    match stale {
        Err(StoreError::StaleVersion {
            expected: 0,
            current: 1,
            changes,
            ..
        }) => assert!(changes[0].contains("saved by lead"), "{changes:?}"),
        other => panic!("expected a stale save, got {other:?}"),
    }
    let refused = store.set_narrative("dc", "notes.md", "x", 0, "lead").await;
    assert!(
        matches!(refused, Err(StoreError::Invalid(_))),
        "{refused:?}"
    );
    // The judged rating and its rationale.
    let judged = store.judged("dc").await.expect("judged");
    assert_eq!(
        judged
            .iter()
            .map(|j| j.standard.as_str())
            .collect::<Vec<_>>(),
        ["P1.1", "P1.2", "P1.3"]
    );
    let v = store
        .set_judged(
            "dc",
            "P1.2",
            "good",
            Some(" Staffing improved. "),
            1,
            "lead",
        )
        .await
        .expect("judged saved");
    assert_eq!(v, 2);
    let stale = store
        .set_judged("dc", "P1.2", "inadequate", None, 1, "lead")
        .await;
    assert!(
        matches!(stale, Err(StoreError::StaleVersion { .. })),
        "{stale:?}"
    );
    let refused = store
        .set_judged("dc", "P2.1", "good", None, 1, "lead")
        .await;
    assert!(
        matches!(refused, Err(StoreError::Invalid(_))),
        "{refused:?}"
    );
    let (loaded, _) = store.load("dc").await.expect("load");
    assert_eq!(loaded.judged["P1.2"], "good");
    assert_eq!(loaded.judged_rationale["P1.2"], "Staffing improved.");
    assert_eq!(loaded.narrative["foreword.md"], "Thanks to {{unit}}.\n");
    // Removing the text removes the file.
    assert_eq!(
        store
            .set_narrative("dc", "foreword.md", "", 1, "lead")
            .await
            .expect("removed"),
        0
    );
    assert!(store.load("dc").await.expect("load").0.narrative.is_empty());
    // Published: frozen.
    crate::publish(&store, "dc", "lead").await;
    let frozen = store
        .set_narrative("dc", "foreword.md", "Late.\n", 0, "lead")
        .await;
    assert!(matches!(frozen, Err(StoreError::Conflict(_))), "{frozen:?}");
    crate::assert_chain_valid(&store).await;
    store.close().await;
}
on_both_backends!(
    report_text,
    report_text_is_versioned_audited_and_frozen_when_published
);
