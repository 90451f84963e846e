//! Domain one's evidence (issue 17) on both backends: a survey's aggregates recorded with an
//! inspection and read back as they were, recorded again for the same survey as version 2 (the
//! interviews and measures beside it untouched), every recording in the audit log with its counts
//! and never a respondent's answer, and nothing recorded once the inspection is published.

use casework_core::domain_one::{self, Rows, SurveyMapping};
use casework_store::{EvidenceFile, Store, StoreError};
use casework_testkit::on_both_backends;

use crate::{assert_chain_valid, from_disk, publish};

fn fixture(name: &str) -> String {
    std::fs::read_to_string(crate::fixtures().join("evidence").join(name)).expect("fixture")
}

fn staff_survey() -> domain_one::SurveyAggregate {
    let mapping = SurveyMapping::from_toml(&fixture("staff-survey.toml"), "m").expect("mapping");
    let rows = Rows::from_csv(&fixture("staff-survey.csv"), "staff-survey.csv").expect("csv");
    domain_one::survey::read(&mapping, rows).expect("survey")
}

/// A store at `url` with Derby City imported as `dc` by "tester", and its framework.
async fn derby_city_as_dc(url: &str) -> (Store, &'static casework_core::Framework) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("derby-city");
    store
        .import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");
    (store, fw)
}

async fn evidence_is_recorded_versioned_and_frozen_at_publication(url: &str) {
    let (store, _) = derby_city_as_dc(url).await;
    let survey = staff_survey();
    let measures = domain_one::measure::read(
        Rows::from_csv(&fixture("measures.csv"), "measures.csv").expect("csv"),
    )
    .expect("measures");
    let v = store
        .record_domain_one(
            "dc",
            "staff-survey.csv",
            &EvidenceFile::Survey(survey.clone()),
            "lead",
        )
        .await
        .expect("record the survey");
    assert_eq!(v, 1);
    store
        .record_domain_one(
            "dc",
            "measures.csv",
            &EvidenceFile::Measures(measures.clone()),
            "lead",
        )
        .await
        .expect("record the measures");
    let (kept, records) = store.domain_one("dc").await.expect("read");
    assert_eq!(kept.surveys, vec![survey.clone()]);
    assert_eq!(kept.measures, measures);
    assert!(kept.interviews.is_empty());
    assert_eq!(records.len(), 2);

    // The same survey again, fewer questions: it replaces the first, version 2.
    let mut fewer = survey.clone();
    fewer.questions.truncate(3);
    let v = store
        .record_domain_one(
            "dc",
            "again.csv",
            &EvidenceFile::Survey(fewer.clone()),
            "inspector",
        )
        .await
        .expect("record again");
    assert_eq!(v, 2);
    let (kept, records) = store.domain_one("dc").await.expect("read");
    assert_eq!(kept.surveys, vec![fewer]);
    assert_eq!(kept.measures, measures, "the measures stay as they were");
    let record = records
        .iter()
        .find(|r| r.kind == "survey")
        .expect("survey record");
    assert_eq!(
        (
            record.version,
            record.file_name.as_str(),
            record.recorded_by.as_str()
        ),
        (2, "again.csv", "inspector")
    );

    let log = store
        .audit_history("dc", "domain-one:dc:survey:staff")
        .await
        .expect("log");
    assert_eq!(log.len(), 2);
    let after = log[1].after.clone().unwrap_or_default();
    assert!(
        after.contains("\"respondents\":40") && after.contains("again.csv"),
        "{after}"
    );
    assert!(
        !after.contains("Agree"),
        "the audit log counts, it does not copy answers"
    );
    assert_chain_valid(&store).await;

    publish(&store, "dc", "lead").await;
    let refused = store
        .record_domain_one("dc", "late.csv", &EvidenceFile::Survey(survey), "lead")
        .await;
    assert!(
        matches!(refused, Err(StoreError::Conflict(_))),
        "{refused:?}"
    );
    let (_, records) = store.domain_one("dc").await.expect("read");
    assert!(records.iter().all(|r| r.file_name != "late.csv"));
}
on_both_backends!(
    domain_one_evidence,
    evidence_is_recorded_versioned_and_frozen_at_publication
);

/// Documents and key question ratings are kept beside the rest; a rating saved on the version its
/// writer read is refused when another was recorded since (nothing written, nothing logged), and
/// the audit entry names the key questions and ratings, not the rationale.
async fn ratings_are_saved_on_the_version_read(url: &str) {
    let (store, fw) = derby_city_as_dc(url).await;
    let rows = |name: &str| Rows::from_csv(&fixture(name), name).expect("csv");
    let documents = domain_one::document::read(rows("documents.csv")).expect("documents");
    let ratings = domain_one::ratings::read(fw, Some("pdu"), rows("ratings.csv")).expect("ratings");
    store
        .record_domain_one(
            "dc",
            "documents.csv",
            &EvidenceFile::Documents(documents.clone()),
            "lead",
        )
        .await
        .expect("documents");
    let first = EvidenceFile::KeyQuestionRatings(ratings.clone());
    let v = store
        .record_domain_one_based_on("dc", "ratings.csv", &first, "lead", 0)
        .await
        .expect("first ratings");
    assert_eq!(v, 1);
    let (kept, _) = store.domain_one("dc").await.expect("read");
    assert_eq!(
        (kept.documents, kept.key_question_ratings.clone()),
        (documents, ratings.clone())
    );

    let changed = domain_one::ratings::set(
        fw,
        Some("pdu"),
        &ratings,
        "P1.2.2",
        "inadequate",
        "Cases allocated by turn",
    )
    .expect("set");
    let stale = store
        .record_domain_one_based_on(
            "dc",
            "page",
            &EvidenceFile::KeyQuestionRatings(changed.clone()),
            "inspector",
            0,
        )
        .await;
    assert!(
        matches!(
            stale,
            Err(StoreError::StaleVersion {
                expected: 0,
                current: 1,
                ..
            })
        ),
        "{stale:?}"
    );
    let (kept, _) = store.domain_one("dc").await.expect("read");
    assert_eq!(kept.key_question_ratings, ratings, "nothing written");
    let v = store
        .record_domain_one_based_on(
            "dc",
            "page",
            &EvidenceFile::KeyQuestionRatings(changed.clone()),
            "inspector",
            1,
        )
        .await
        .expect("on the version read");
    assert_eq!(v, 2);
    let log = store
        .audit_history("dc", "domain-one:dc:ratings:ratings")
        .await
        .expect("log");
    assert_eq!(log.len(), 2, "the stale save left no entry");
    // The version replaced is kept, rationale and all.
    let history = store.domain_one_history("dc").await.expect("history");
    let earlier: Vec<_> = history
        .iter()
        .filter(|(r, _)| r.kind == "ratings")
        .collect();
    assert_eq!(earlier.len(), 1);
    assert_eq!(
        (earlier[0].0.version, earlier[0].0.file_name.as_str()),
        (1, "ratings.csv")
    );
    assert_eq!(
        earlier[0].1,
        EvidenceFile::KeyQuestionRatings(ratings.clone())
    );
    let after = log[1].after.clone().unwrap_or_default();
    assert!(
        after.contains("\"P1.2.2\"") && after.contains("inadequate"),
        "{after}"
    );
    assert!(!after.contains("allocated by turn"), "{after}");
    assert_chain_valid(&store).await;
}
on_both_backends!(domain_one_ratings, ratings_are_saved_on_the_version_read);

/// An imported inspection's domain-one evidence (from its `domain-one.json`) is kept with it in
/// the import's one transaction, each part version 1, named in the import's audit entry by its
/// counts, and loaded back with the inspection (what export writes).
async fn imported_evidence_is_kept_and_loaded_with_the_inspection(url: &str) {
    let store = Store::open(url).await.expect("open");
    let (mut inspection, fw) = from_disk("derby-city");
    let rows = |name: &str| Rows::from_csv(&fixture(name), name).expect("csv");
    inspection.domain_one = domain_one::Evidence {
        surveys: vec![staff_survey()],
        documents: domain_one::document::read(rows("documents.csv")).expect("documents"),
        key_question_ratings: domain_one::ratings::read(fw, Some("pdu"), rows("ratings.csv"))
            .expect("ratings"),
        ..Default::default()
    };
    store
        .import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");
    let (kept, records) = store.domain_one("dc").await.expect("read");
    assert_eq!(kept, inspection.domain_one);
    assert_eq!(records.len(), 3);
    assert!(
        records
            .iter()
            .all(|r| r.version == 1 && r.recorded_by == "tester")
    );
    let (loaded, _) = store.load("dc").await.expect("load");
    assert_eq!(loaded.domain_one, inspection.domain_one);
    let log = store.audit_history("dc", "inspection").await.expect("log");
    let after = log[0].after.clone().unwrap_or_default();
    assert!(
        after.contains("\"respondents\":40") && after.contains("\"documents\":6"),
        "{after}"
    );
    assert!(
        !after.contains("Vacancies among"),
        "no rationale copied: {after}"
    );
    assert_chain_valid(&store).await;
}
on_both_backends!(
    domain_one_imported,
    imported_evidence_is_kept_and_loaded_with_the_inspection
);
