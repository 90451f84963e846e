//! The case sample (issue 16) on both backends: the committed caseload extract stored with an
//! inspection, the draw recorded once with its drawn cases created in progress and allocated in
//! turn, an excluded case (with answers already given, Yes, No and not applicable) leaving every
//! count while its stratum's next reserve takes its place, what is refused with nothing changed,
//! and publication deleting the extract with its reason recorded.

use casework_core::framework::{Framework, builtin};
use casework_core::sampling::extract::{Caseload, ColumnMapping, read_csv};
use casework_core::sampling::spec::{SampleSpec, Window};
use casework_core::sampling::{ALGORITHM, Role, draw, plan};
use casework_core::{Answer, rate};
use casework_store::{NewDraw, PUBLISHED_REASON, Store, StoreError, new_sample_cases};
use casework_testkit::on_both_backends;

use crate::{assert_chain_valid, from_disk, publish};

const SM: &str = "sentence-management";

/// A store with Derby City imported as "dc" and the committed caseload extract stored with it,
/// and the extract as read.
async fn with_extract(url: &str) -> (Store, &'static Framework, Caseload) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("derby-city");
    store
        .import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");
    let dir = crate::fixtures().join("sampling");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).expect("fixture");
    let (text, mapping) = (read("caseload.csv"), read("mapping.toml"));
    let parsed = ColumnMapping::from_toml(&mapping, "mapping.toml").expect("mapping");
    let caseload = read_csv(fw, SM, &parsed, "caseload.csv", &text).expect("extract");
    let body = caseload.to_csv(fw);
    store
        .store_caseload_extract("dc", "caseload.csv", &mapping, &body, 5000, "lead")
        .await
        .expect("store the extract");
    (store, fw, caseload)
}

async fn the_sample_is_drawn_replaced_and_minimised(url: &str) {
    let (store, fw, caseload) = with_extract(url).await;
    let before = rate(fw, &store.load("dc").await.expect("load").0);
    let stored = store
        .caseload_extract("dc")
        .await
        .expect("read")
        .expect("stored");
    assert_eq!(
        (stored.cases, stored.file_name.as_str()),
        (5000, "caseload.csv")
    );
    let body = stored.body.expect("body");
    assert!(!body.contains("Team"), "only the fields read are kept");

    let mut spec = SampleSpec::builtin(builtin()).expect("spec");
    spec.windows
        .push(Window::parse("2024-07-29..2024-08-04").expect("window"));
    let p = plan(fw, &spec, &caseload).expect("plan");
    let drawn = draw(&p, 2026);
    let inspectors = ["ana".to_string(), "ben".to_string()];
    let cases = new_sample_cases(fw, &p, &caseload, &drawn, &inspectors);
    let specification = toml::to_string(&spec).expect("spec TOML");
    let new = NewDraw {
        instrument: SM,
        specification: &specification,
        seed: 2026,
        algorithm: ALGORITHM,
        population: p.population,
        size: p.size,
        confidence: "0.8".into(),
        cases,
    };
    store
        .record_case_sample("dc", fw, &new, "lead")
        .await
        .expect("record the draw");
    let again = store.record_case_sample("dc", fw, &new, "lead").await;
    assert!(
        matches!(&again, Err(StoreError::Conflict(m)) if m.contains("already drawn")),
        "{again:?}"
    );
    let replaced_extract = store
        .store_caseload_extract("dc", "other.csv", "", "reference\n", 0, "lead")
        .await;
    assert!(matches!(replaced_extract, Err(StoreError::Conflict(_))));

    let sample = store
        .case_sample("dc")
        .await
        .expect("sample")
        .expect("drawn");
    assert_eq!((sample.seed, sample.size as usize), (2026, p.size as usize));
    assert_eq!(sample.in_sample().count() as u64, p.size);
    let after_draw = rate(fw, &store.load("dc").await.expect("load").0);
    assert_eq!(
        after_draw.in_progress, p.size,
        "the drawn cases are in progress"
    );
    assert_eq!(
        after_draw.standards, before.standards,
        "and counted in no figure"
    );
    let drawn_refs: Vec<&str> = drawn
        .iter()
        .filter(|d| d.role == Role::Drawn)
        .map(|d| caseload.cases[d.case].reference.as_str())
        .collect();
    let reviews = store.case_reviews("dc").await.expect("reviews");
    for (i, r) in drawn_refs.iter().enumerate() {
        let review = reviews.iter().find(|c| c.case_ref == *r).expect("created");
        assert_eq!(
            review.inspector.as_deref(),
            Some(inspectors[i % 2].as_str()),
            "{r}"
        );
    }

    // Answer every question of the first drawn case: Yes, No, not applicable in turn, whichever
    // the case allows, until it is complete and counted.
    let excluded = drawn_refs[0];
    let instrument = fw.instrument(SM).expect("instrument");
    let mut version = store.case("dc", SM, excluded).await.expect("case").version;
    let mut given = [0; 3];
    for (qi, q) in instrument.questions.iter().enumerate() {
        let order = [Answer::Yes, Answer::No, Answer::NotApplicable];
        for k in 0..3 {
            let answer = order[(qi + k) % 3];
            let edit = casework_store::AnswerEdit {
                inspection: "dc",
                instrument: SM,
                case_ref: excluded,
                question: &q.id,
                answer,
                expected_version: version,
                actor: "ana",
                reason: None,
            };
            if let Ok(v) = store.set_answer(&edit).await {
                version = v;
                given[(qi + k) % 3] += 1;
                break;
            }
        }
    }
    assert!(
        given.iter().all(|&n| n > 0),
        "Yes, No and not applicable all given: {given:?}"
    );
    let answered = rate(fw, &store.load("dc").await.expect("load").0);
    assert_eq!(
        answered.in_progress,
        p.size - 1,
        "the answered case is complete"
    );
    assert_ne!(answered.standards, before.standards, "and counted");

    // Refused, nothing changed: no reason; a case not in the sample.
    for (case, reason) in [(excluded, "  "), ("DC-SM-0001", "not drawn")] {
        let refused = store
            .replace_sampled_case("dc", fw, case, reason, "lead")
            .await;
        assert!(refused.is_err(), "{case}: {refused:?}");
    }
    let r = store
        .replace_sampled_case("dc", fw, excluded, "transferred to another region", "lead")
        .await
        .expect("replace");
    assert_eq!(r.excluded, excluded);
    let reserve = drawn
        .iter()
        .find(|d| d.role == Role::Reserve && d.stratum == drawn[0].stratum && d.order == 1)
        .map(|d| caseload.cases[d.case].reference.clone());
    assert_eq!(r.replacement, reserve, "the stratum's first reserve");
    let replaced = rate(fw, &store.load("dc").await.expect("load").0);
    assert_eq!(
        replaced.standards, before.standards,
        "the excluded case leaves every count"
    );
    assert_eq!(replaced.prompts, before.prompts);
    assert_eq!(replaced.in_progress, p.size, "the reserve is in progress");
    let sample = store
        .case_sample("dc")
        .await
        .expect("sample")
        .expect("drawn");
    let gone = sample
        .cases
        .iter()
        .find(|c| c.case_ref == excluded)
        .expect("kept");
    assert_eq!(
        (gone.status.as_str(), gone.reason.as_deref()),
        ("excluded", Some("transferred to another region"))
    );
    let brought = reserve.expect("a reserve");
    let review = store.case_reviews("dc").await.expect("reviews");
    let review = review
        .iter()
        .find(|c| c.case_ref == brought)
        .expect("the reserve is a case");
    assert_eq!(
        review.inspector.as_deref(),
        Some("ana"),
        "the excluded case's inspector"
    );
    assert!(
        store
            .replace_sampled_case("dc", fw, excluded, "again", "lead")
            .await
            .is_err()
    );
    assert_chain_valid(&store).await;
}
on_both_backends!(case_sample, the_sample_is_drawn_replaced_and_minimised);

/// Publication deletes the extract (its body) and records why; the record of it stays.
async fn publication_deletes_the_extract(url: &str) {
    let (store, _, _) = with_extract(url).await;
    publish(&store, "dc", "lead").await;
    let stored = store
        .caseload_extract("dc")
        .await
        .expect("read")
        .expect("record kept");
    assert_eq!(stored.body, None);
    assert_eq!(stored.deleted_reason.as_deref(), Some(PUBLISHED_REASON));
    let log = store.audit_entries().await.expect("log");
    assert!(log.iter().any(|e| e.action == "delete-caseload-extract"));
    assert!(
        log.iter()
            .all(|e| !e.after.as_deref().unwrap_or("").contains("X100000")),
        "no case of the extract in the audit log"
    );
    assert_chain_valid(&store).await;
}
on_both_backends!(extract_minimised, publication_deletes_the_extract);
