//! Loaded inspections kept in memory (the store's `loaded` cache): equal to fresh loads after
//! every edit, whoever made it, and kept current by a stream of edits after a reread.

use casework_core::Answer;
use casework_store::{AnswerEdit, Store};
use casework_testkit::on_both_backends;

use crate::{edit, from_disk};

/// Loads are served from memory between changes (see the store's `live` module): whatever made the
/// change, this store or another one on the same database (another process), and whichever
/// inspection it touched (a PDU's case, the region's own), a load afterwards equals a load by a
/// store that has never loaded anything.
async fn loads_stay_current_with_every_edit(url: &str) {
    use casework_store::{CaseChange, CaseEdit};
    let here = Store::open(url).await.expect("open");
    let elsewhere = Store::open(url).await.expect("open a second store");
    let (inspection, fw) = from_disk("east-midlands");
    here.import(fw, &inspection, "em", "tester", None)
        .await
        .expect("import");
    let slugs = ["em", "em/synthetic-pdu-1", "em/synthetic-pdu-2"];
    let edits: [(&str, &str, &str, &str); 4] = [
        (
            "em/synthetic-pdu-1",
            "sentence-management",
            "EMO-SM-0001",
            "P2.1.1",
        ),
        (
            "em/synthetic-pdu-2",
            "sentence-management",
            "EMO-SM-0056",
            "P2.1.1",
        ),
        ("em", "unpaid-work", "EM-UW-0001", "R2.4.1"),
        (
            "em/synthetic-pdu-1",
            "sentence-management",
            "EMO-SM-0002",
            "P2.2.1",
        ),
    ];
    for round in 0..12 {
        for slug in slugs {
            here.load_shared(slug).await.expect("warm the cache");
        }
        let (slug, instrument, case_ref, question) = edits[round % edits.len()];
        let writer = if round % 3 == 2 { &elsewhere } else { &here };
        let case = writer
            .case(slug, instrument, case_ref)
            .await
            .expect("case exists");
        let change = if round % 5 == 4 {
            CaseChange::Oversight(None)
        } else {
            let answer = match case.answers.get(question).map(String::as_str) {
                Some("Y") => Answer::No,
                _ => Answer::Yes,
            };
            CaseChange::Answer { question, answer }
        };
        let edited = writer
            .edit(&CaseEdit {
                inspection: slug,
                instrument,
                case_ref,
                change,
                expected_version: case.version,
                actor: "tester",
                reason: None,
            })
            .await
            .expect("edit");
        assert_eq!(edited.version, case.version + 1);
        let fresh = Store::open(url).await.expect("open a fresh store");
        // As the edit left it: here, from memory; elsewhere, read (it was never loaded there).
        let since = writer
            .load_shared_since(slug, edited.revision)
            .await
            .expect("load since the edit");
        assert!(since.revision >= edited.revision);
        let (read, _) = fresh.load(slug).await.expect("fresh load");
        assert_eq!(
            *since.inspection, read,
            "round {round}: {slug} as the edit left it differs from the database"
        );
        for slug in slugs {
            let (cached, _) = here.load(slug).await.expect("load");
            let (read, _) = fresh.load(slug).await.expect("fresh load");
            assert_eq!(
                cached, read,
                "round {round}: {slug} as loaded from memory differs from the database"
            );
        }
        fresh.close().await;
    }
    here.close().await;
    elsewhere.close().await;
}
on_both_backends!(loads_stay_current, loads_stay_current_with_every_edit);

/// An inspection reread while this store's edits keep committing (here after another process's
/// edit made it stale) is kept current by those edits from then on, not reread on every load.
async fn a_reload_during_a_stream_of_edits_catches_up(url: &str) {
    let here = Store::open(url).await.expect("open");
    let elsewhere = Store::open(url).await.expect("open a second store");
    let (inspection, fw) = from_disk("derby-city");
    here.import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");
    here.load_shared("dc").await.expect("warm");
    let version = elsewhere
        .set_answer(&edit("P2.1.1", Answer::No, 1, "bob"))
        .await
        .expect("edit elsewhere");
    assert_eq!(version, 2);
    let refs: Vec<String> = inspection.cases[0]
        .cases()
        .iter()
        .skip(1)
        .take(8)
        .map(|c| c.id.clone())
        .collect();
    let writers: Vec<_> = refs
        .into_iter()
        .map(|case_ref| {
            let here = here.clone();
            tokio::spawn(async move {
                // The first edit may set the answer the case already has, which changes nothing.
                let mut version = 1;
                for n in 0..25 {
                    version = here
                        .set_answer(&AnswerEdit {
                            case_ref: &case_ref,
                            question: "P2.1.2",
                            answer: if n % 2 == 0 { Answer::No } else { Answer::Yes },
                            ..edit("P2.1.2", Answer::Yes, version, "alice")
                        })
                        .await
                        .expect("edit");
                }
            })
        })
        .collect();
    let before = here.reads();
    let mut loads = 0;
    while !writers.iter().all(|w| w.is_finished()) {
        here.load_shared("dc").await.expect("load");
        loads += 1;
        tokio::task::yield_now().await;
    }
    for w in writers {
        w.await.expect("writer");
    }
    let reads = here.reads() - before;
    assert!(loads > 20, "only {loads} loads while the edits ran");
    // One reread for the other store's edit, a few more if edits overtook it.
    assert!(
        reads <= 4,
        "{reads} reads from the database for {loads} loads"
    );
    let (cached, _) = here.load("dc").await.expect("load");
    let fresh = Store::open(url).await.expect("open a third store");
    assert_eq!(cached, fresh.load("dc").await.expect("fresh load").0);
    for store in [here, elsewhere, fresh] {
        store.close().await;
    }
}
on_both_backends!(
    a_reload_catches_up,
    a_reload_during_a_stream_of_edits_catches_up
);
