//! Publication (issue 15, part 5): the stages in order, the factual-accuracy comments, what
//! publishing refuses (with nothing written), the published files kept byte for byte with their
//! SHA-256, the freeze, a correction as a new version with its reason, and withdrawal.

use casework_core::Answer;
use casework_store::{Stage, Store, StoreError, sha256_hex};
use casework_testkit::on_both_backends;

use crate::{assert_chain_valid, edit, from_disk, stand_in_files};

async fn publication_runs_as_the_inspectorate_does(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("derby-city");
    store
        .import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");
    let files = stand_in_files("dc");
    let state = store.publication_state("dc").await.expect("state");
    assert_eq!((state.stage, state.versions.len()), (Stage::Draft, 0));

    // Draft: neither published nor reopened, and no comments.
    let revision = store.revision().await.expect("revision");
    let refused = store.publish("dc", &files, revision, None, "lead").await;
    assert!(
        matches!(&refused, Err(StoreError::Conflict(m)) if m.contains("factual-accuracy check has not started")),
        "{refused:?}"
    );
    assert!(
        store
            .set_stage("dc", Stage::Correction, Some("x"), "lead")
            .await
            .is_err()
    );
    assert!(
        store
            .add_factual_accuracy_comment("dc", "foreword", "Wrong date.", "lead")
            .await
            .is_err()
    );

    // The factual-accuracy check: comments against parts of the report, resolved by a lead.
    store
        .set_stage("dc", Stage::FactualAccuracy, None, "lead")
        .await
        .expect("start the check");
    let unknown = store
        .add_factual_accuracy_comment("dc", "appendix-z", "Hm.", "lead")
        .await;
    assert!(
        matches!(&unknown, Err(StoreError::Invalid(m)) if m.contains("appendix-z")),
        "{unknown:?}"
    );
    let empty = store
        .add_factual_accuracy_comment("dc", "P2.1", "  ", "lead")
        .await;
    assert!(matches!(empty, Err(StoreError::Invalid(_))), "{empty:?}");
    let id = store
        .add_factual_accuracy_comment(
            "dc",
            "P2.1",
            "The caseload figure is from\nMarch, not April.",
            "inspector",
        )
        .await
        .expect("comment");
    let state = store.publication_state("dc").await.expect("state");
    assert_eq!(state.unresolved, 1);
    let revision = store.revision().await.expect("revision");
    let refused = store.publish("dc", &files, revision, None, "lead").await;
    assert!(
        matches!(&refused, Err(StoreError::Conflict(m)) if m.contains("1 factual-accuracy comment is not resolved")),
        "{refused:?}"
    );
    assert!(matches!(
        store
            .resolve_factual_accuracy_comment("dc", id + 99, "Done.", "lead")
            .await,
        Err(StoreError::NotFound(_))
    ));
    store
        .resolve_factual_accuracy_comment("dc", id, "Corrected to March.", "lead")
        .await
        .expect("resolve");
    let comments = store
        .factual_accuracy_comments("dc")
        .await
        .expect("comments");
    assert_eq!(comments.len(), 1);
    assert_eq!(comments[0].section, "P2.1");
    assert_eq!(
        comments[0].resolution.as_deref(),
        Some("Corrected to March.")
    );
    assert_eq!(comments[0].resolved_by.as_deref(), Some("lead"));

    // Files made before a change are refused, and nothing is written.
    let before_change = store.revision().await.expect("revision");
    let case = store
        .case("dc", "sentence-management", "DC-SM-0001")
        .await
        .expect("case");
    let flipped = if case.answers["P2.1.1"] == "Y" {
        Answer::No
    } else {
        Answer::Yes
    };
    store
        .set_answer(&edit("P2.1.1", flipped, case.version, "inspector"))
        .await
        .expect("an answer corrected during the check");
    let stale = store
        .publish("dc", &files, before_change, None, "lead")
        .await;
    assert!(
        matches!(&stale, Err(StoreError::Conflict(m)) if m.contains("changed after")),
        "{stale:?}"
    );
    let state = store.publication_state("dc").await.expect("state");
    assert_eq!(
        (state.stage, state.versions.len()),
        (Stage::FactualAccuracy, 0)
    );

    // A case in progress stands in the way too.
    let case = store
        .case("dc", "sentence-management", "DC-SM-0001")
        .await
        .expect("case");
    store
        .set_answer(&edit(
            "P2.1.1",
            Answer::Unanswered,
            case.version,
            "inspector",
        ))
        .await
        .expect("cleared");
    let state = store.publication_state("dc").await.expect("state");
    assert_eq!(state.in_progress, 1);
    assert!(state.blockers()[0].contains("1 case is still in progress"));
    store
        .set_answer(&edit("P2.1.1", flipped, case.version + 1, "inspector"))
        .await
        .expect("answered again");

    // Published: the files kept as given, with their SHA-256; everything frozen.
    let revision = store.revision().await.expect("revision");
    let version = store
        .publish("dc", &files, revision, None, "lead")
        .await
        .expect("publish");
    assert_eq!(version, 1);
    let (p, kept) = store
        .published_files("dc", None)
        .await
        .expect("files")
        .expect("published");
    assert_eq!(kept, files);
    assert_eq!(p.pdf_sha256, sha256_hex(&files.pdf));
    assert_eq!(p.workbook_sha256, sha256_hex(&files.workbook));
    assert_eq!((p.revision, p.published_by.as_str()), (revision, "lead"));
    let standing = store.standing("dc", "nobody").await.expect("standing");
    assert!(standing.is_some_and(|s| s.published && s.frozen));
    assert!(store.list().await.expect("list")[0].published);
    let case = store
        .case("dc", "sentence-management", "DC-SM-0001")
        .await
        .expect("case");
    let frozen = store
        .set_answer(&edit("P2.1.1", Answer::Yes, case.version, "inspector"))
        .await;
    assert!(matches!(frozen, Err(StoreError::Invalid(_))), "{frozen:?}");
    let frozen = store
        .set_narrative("dc", "foreword.md", "Late.\n", 0, "lead")
        .await;
    assert!(matches!(frozen, Err(StoreError::Conflict(_))), "{frozen:?}");

    // A correction: reopened with a reason, readers still served version 1, published again as
    // version 2 with its reason; version 1 is kept unchanged.
    let no_reason = store.set_stage("dc", Stage::Correction, None, "lead").await;
    assert!(
        matches!(no_reason, Err(StoreError::Invalid(_))),
        "{no_reason:?}"
    );
    store
        .set_stage(
            "dc",
            Stage::Correction,
            Some("P2.1's caseload month"),
            "lead",
        )
        .await
        .expect("reopen");
    let standing = store.standing("dc", "nobody").await.expect("standing");
    assert!(standing.is_some_and(|s| s.published && !s.frozen));
    store
        .set_narrative("dc", "foreword.md", "Corrected.\n", 0, "lead")
        .await
        .expect("editable while correcting");
    let revision = store.revision().await.expect("revision");
    let mut corrected = files.clone();
    corrected.html.push_str("<p>Corrected</p>");
    let no_reason = store
        .publish("dc", &corrected, revision, None, "lead")
        .await;
    assert!(
        matches!(no_reason, Err(StoreError::Invalid(_))),
        "{no_reason:?}"
    );
    let version = store
        .publish(
            "dc",
            &corrected,
            revision,
            Some("The caseload month."),
            "lead",
        )
        .await
        .expect("publish the correction");
    assert_eq!(version, 2);
    let (p2, newest) = store
        .published_files("dc", None)
        .await
        .expect("files")
        .expect("v2");
    assert_eq!(
        (p2.version, p2.reason.as_deref()),
        (2, Some("The caseload month."))
    );
    assert_eq!(newest, corrected);
    let (_, first) = store
        .published_files("dc", Some(1))
        .await
        .expect("files")
        .expect("v1");
    assert_eq!(first, files);
    assert!(
        store
            .published_files("dc", Some(3))
            .await
            .expect("files")
            .is_none()
    );

    // Withdrawn: readers see nothing; the versions stay on record.
    crate::withdraw(&store, "dc", "lead").await;
    let state = store.publication_state("dc").await.expect("state");
    assert_eq!((state.stage, state.versions.len()), (Stage::Draft, 2));
    let standing = store.standing("dc", "nobody").await.expect("standing");
    assert!(standing.is_some_and(|s| !s.published && !s.frozen));
    let actions: Vec<String> = store
        .audit_entries()
        .await
        .expect("audit")
        .into_iter()
        .filter(|e| e.entity == "inspection:dc" || e.entity.starts_with("factual-accuracy:"))
        .map(|e| e.action)
        .collect();
    assert_eq!(
        actions,
        [
            "set-stage",
            "add-factual-accuracy-comment",
            "resolve-factual-accuracy-comment",
            "publish",
            "set-stage",
            "publish",
            "set-stage"
        ]
    );
    assert_chain_valid(&store).await;
    store.close().await;
}
on_both_backends!(publication, publication_runs_as_the_inspectorate_does);

/// A region's stage is its PDU inspections' too, and a change to a PDU after the files were made
/// refuses the region's publication.
async fn a_region_publishes_with_its_pdus(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("east-midlands");
    store
        .import(fw, &inspection, "em", "tester", None)
        .await
        .expect("import");
    store
        .set_stage("em", Stage::FactualAccuracy, None, "lead")
        .await
        .expect("check");
    let pdu = store.list().await.expect("list");
    let pdu = pdu
        .iter()
        .find(|i| i.slug != "em")
        .expect("a PDU inspection")
        .slug
        .clone();
    let before = store.revision().await.expect("revision");
    store
        .set_narrative(&pdu, "foreword.md", "A PDU's foreword.\n", 0, "lead")
        .await
        .expect("pdu text");
    let stale = store
        .publish("em", &stand_in_files("em"), before, None, "lead")
        .await;
    assert!(
        matches!(&stale, Err(StoreError::Conflict(m)) if m.contains("changed after")),
        "{stale:?}"
    );
    let now = store.revision().await.expect("revision");
    store
        .publish("em", &stand_in_files("em"), now, None, "lead")
        .await
        .expect("publish");
    for i in store.list().await.expect("list") {
        assert!(i.published, "{} is published with its region", i.slug);
    }
    let frozen = store
        .set_narrative(&pdu, "foreword.md", "", 1, "lead")
        .await;
    assert!(matches!(frozen, Err(StoreError::Conflict(_))), "{frozen:?}");
    store.close().await;
}
on_both_backends!(region_publication, a_region_publishes_with_its_pdus);
