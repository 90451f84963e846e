//! Quality assurance (issue 19) on both backends: review moves and what the state machine refuses
//! (with nothing changed), a locked case's answers refused until it is reopened with a reason,
//! the QA sample drawn once from its seed, blind second marking and what it refuses, the
//! disagreements, and reconciliation: the answer made by an audited edit, a second lead told what
//! the first decided.

use casework_core::Answer;
use casework_core::framework::{Framework, QuestionKind};
use casework_core::review::{ReviewAction, ReviewState};
use casework_store::{Store, StoreError};
use casework_testkit::on_both_backends;

use crate::{assert_chain_valid, from_disk};

const SM: &str = "sentence-management";

async fn state_of(store: &Store, case_ref: &str) -> ReviewState {
    store.case("dc", SM, case_ref).await.expect("case").review
}

/// A store with Derby City imported as "dc"; its sentence-management case references.
async fn derby_city(url: &str) -> (Store, &'static Framework, Vec<String>) {
    let store = Store::open(url).await.expect("open");
    let (inspection, fw) = from_disk("derby-city");
    store
        .import(fw, &inspection, "dc", "tester", None)
        .await
        .expect("import");
    let refs = store
        .case_reviews("dc")
        .await
        .expect("reviews")
        .into_iter()
        .filter(|c| c.instrument == SM)
        .map(|c| c.case_ref)
        .collect();
    (store, fw, refs)
}

async fn quality_assurance_runs_as_the_issue_asks(url: &str) {
    let (store, fw, refs) = derby_city(url).await;
    assert!(refs.len() >= 10, "{} cases", refs.len());
    let key_question = fw
        .instrument(SM)
        .expect("instrument")
        .questions
        .iter()
        .find(|q| q.kind == QuestionKind::Key && !q.allow_na)
        .expect("a key question without NA")
        .id
        .clone();

    // A case with a key question unanswered cannot be submitted; nothing changes.
    let first = store.case("dc", SM, &refs[0]).await.expect("case");
    store
        .set_answer(&casework_store::AnswerEdit {
            inspection: "dc",
            instrument: SM,
            case_ref: &refs[0],
            question: &key_question,
            answer: Answer::Unanswered,
            expected_version: first.version,
            actor: "ana",
            reason: None,
        })
        .await
        .expect("clear an answer");
    let refused = store
        .review_case("dc", SM, &refs[0], ReviewAction::Submit, &[], None, "ana")
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Conflict(m)) if m.contains(&refs[0]) && m.contains("cannot be submitted")),
        "{refused:?}"
    );
    assert_eq!(state_of(&store, &refs[0]).await, ReviewState::InProgress);

    // Ten cases submitted, alternately by two inspectors.
    for (i, case_ref) in refs[1..11].iter().enumerate() {
        let inspector = if i % 2 == 0 { "ana" } else { "ben" };
        let to = store
            .review_case(
                "dc",
                SM,
                case_ref,
                ReviewAction::Submit,
                &[],
                None,
                inspector,
            )
            .await
            .expect("submit");
        assert_eq!(to, ReviewState::Submitted);
    }
    // A move the state machine does not allow names the case and the moves that are.
    let refused = store
        .review_case(
            "dc",
            SM,
            &refs[1],
            ReviewAction::Reopen,
            &[],
            Some("why"),
            "lead",
        )
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Conflict(m)) if m.contains(&refs[1]) && m.contains("allowed: approve, return, lock")),
        "{refused:?}"
    );
    // An inspector cannot QA their own case.
    let refused = store
        .review_case("dc", SM, &refs[1], ReviewAction::Approve, &[], None, "ana")
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Conflict(m)) if m.contains("cannot QA their own case")),
        "{refused:?}"
    );
    // A return needs a comment on a question the instrument has.
    let refused = store
        .review_case("dc", SM, &refs[2], ReviewAction::Return, &[], None, "quinn")
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Invalid(_))),
        "{refused:?}"
    );
    let refused = store
        .review_case(
            "dc",
            SM,
            &refs[2],
            ReviewAction::Return,
            &[("P9.9".into(), "look again".into())],
            None,
            "quinn",
        )
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Invalid(m)) if m.contains("no question 'P9.9'")),
        "{refused:?}"
    );
    let to = store
        .review_case(
            "dc",
            SM,
            &refs[2],
            ReviewAction::Return,
            &[(key_question.clone(), "Check the risk assessment.".into())],
            None,
            "quinn",
        )
        .await
        .expect("return");
    assert_eq!(to, ReviewState::Returned);
    let comments = store
        .return_comments("dc", SM, &refs[2])
        .await
        .expect("comments");
    assert_eq!(comments.len(), 1);
    assert_eq!(
        (
            comments[0].question.as_str(),
            comments[0].returned_by.as_str()
        ),
        (key_question.as_str(), "quinn")
    );
    store
        .review_case("dc", SM, &refs[2], ReviewAction::Submit, &[], None, "ben")
        .await
        .expect("resubmit");
    store
        .review_case(
            "dc",
            SM,
            &refs[1],
            ReviewAction::Approve,
            &[],
            None,
            "quinn",
        )
        .await
        .expect("approve");

    // The QA sample: a bad share and no second draw; drawn once from its seed.
    let refused = store.draw_qa_sample("dc", 0, 7, "lead").await;
    assert!(
        matches!(&refused, Err(StoreError::Invalid(_))),
        "{refused:?}"
    );
    let sample = store
        .draw_qa_sample("dc", 30, 7, "lead")
        .await
        .expect("draw");
    assert_eq!((sample.seed, sample.share_percent), (7, 30));
    let inspectors: std::collections::BTreeSet<_> = sample
        .cases
        .iter()
        .filter_map(|c| c.inspector.clone())
        .collect();
    assert_eq!(inspectors.len(), 2, "every inspector in the sample");
    assert_eq!(sample.cases.len(), 4, "30% of two strata of 5, rounded");
    let again = store.draw_qa_sample("dc", 30, 8, "lead").await;
    assert!(
        matches!(&again, Err(StoreError::Conflict(m)) if m.contains("seed 7")),
        "{again:?}"
    );

    // Blind second marking: not on an undrawn case, not by the case's own inspector.
    let drawn = &sample.cases[0];
    let undrawn = refs[1..11]
        .iter()
        .find(|r| !sample.cases.iter().any(|c| &&c.case_ref == r))
        .expect("an undrawn case");
    let refused = store
        .record_second_marking("dc", SM, undrawn, &[], "quinn")
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Invalid(m)) if m.contains(undrawn.as_str()) && m.contains("not drawn for QA")),
        "{refused:?}"
    );
    let own = drawn.inspector.clone().expect("inspector");
    let refused = store
        .record_second_marking("dc", SM, &drawn.case_ref, &[], &own)
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Conflict(m)) if m.contains("their own case")),
        "{refused:?}"
    );
    // The reviewer disagrees on the key question and agrees on the rest.
    let case = store.case("dc", SM, &drawn.case_ref).await.expect("case");
    let theirs = Answer::parse(&case.answers[&key_question]).expect("answer");
    let flipped = if theirs == Answer::Yes {
        Answer::No
    } else {
        Answer::Yes
    };
    let mut marks: Vec<(String, Answer)> = case
        .answers
        .iter()
        .map(|(q, a)| (q.clone(), Answer::parse(a).expect("answer")))
        .collect();
    for m in &mut marks {
        if m.0 == key_question {
            m.1 = flipped;
        }
    }
    let mut twice = marks.clone();
    twice.push(marks[0].clone());
    let refused = store
        .record_second_marking("dc", SM, &drawn.case_ref, &twice, "quinn")
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Invalid(m)) if m.contains("marked twice")),
        "{refused:?}"
    );
    store
        .record_second_marking("dc", SM, &drawn.case_ref, &marks, "quinn")
        .await
        .expect("second marking");
    let refused = store
        .record_second_marking("dc", SM, &drawn.case_ref, &marks, "quinn")
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Conflict(m)) if m.contains("already second-marked")),
        "{refused:?}"
    );
    let disagreements = store.disagreements("dc").await.expect("disagreements");
    assert_eq!(disagreements.len(), 1, "{disagreements:?}");
    assert_eq!(
        (
            disagreements[0].question.as_str(),
            disagreements[0].original,
            disagreements[0].second
        ),
        (key_question.as_str(), theirs, flipped)
    );

    // Reconciliation: not of a question without disagreement; the first lead wins.
    let other = marks
        .iter()
        .find(|(q, _)| q != &key_question)
        .expect("q")
        .0
        .clone();
    let refused = store
        .reconcile("dc", SM, &drawn.case_ref, &other, Answer::Yes, "x", "lead")
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Invalid(m)) if m.contains("no disagreement to reconcile") && m.contains(&other)),
        "{refused:?}"
    );
    store
        .reconcile(
            "dc",
            SM,
            &drawn.case_ref,
            &key_question,
            flipped,
            "The plan shows it.",
            "lead",
        )
        .await
        .expect("reconcile");
    let case = store.case("dc", SM, &drawn.case_ref).await.expect("case");
    assert_eq!(case.answers[&key_question], flipped.as_cell());
    let history = store
        .audit_history("dc", &casework_store::case_entity(SM, &drawn.case_ref))
        .await
        .expect("audit");
    assert!(
        history
            .iter()
            .any(|e| e.action == "set-answer" && e.reason.as_deref() == Some("The plan shows it.")),
        "the reconciled answer is an ordinary audited edit"
    );
    let loser = store
        .reconcile(
            "dc",
            SM,
            &drawn.case_ref,
            &key_question,
            theirs,
            "No.",
            "lead-2",
        )
        .await;
    assert!(
        matches!(&loser, Err(StoreError::Conflict(m)) if m.contains("already reconciled by lead") && m.contains("The plan shows it.")),
        "{loser:?}"
    );
    let d = store.disagreements("dc").await.expect("disagreements");
    assert_eq!(d[0].reconciled.as_ref().map(|r| r.answer), Some(flipped));

    // Locking: submitted and reviewed cases only; a locked case's answers are refused until it
    // is reopened with a reason.
    let locked = store.lock_reviewed_cases("dc", "lead").await.expect("lock");
    assert_eq!(locked, 10);
    assert_eq!(state_of(&store, &refs[0]).await, ReviewState::InProgress);
    let case = store.case("dc", SM, &refs[3]).await.expect("case");
    assert_eq!(case.review, ReviewState::Locked);
    let refused = store
        .set_answer(&casework_store::AnswerEdit {
            inspection: "dc",
            instrument: SM,
            case_ref: &refs[3],
            question: &key_question,
            answer: Answer::Unanswered,
            expected_version: case.version,
            actor: "lead",
            reason: None,
        })
        .await;
    assert!(
        matches!(&refused, Err(StoreError::Conflict(m)) if m.contains("is locked")),
        "{refused:?}"
    );
    let refused = store
        .review_case("dc", SM, &refs[3], ReviewAction::Reopen, &[], None, "lead")
        .await;
    assert!(matches!(&refused, Err(StoreError::Invalid(m)) if m.contains("needs a reason")));
    store
        .review_case(
            "dc",
            SM,
            &refs[3],
            ReviewAction::Reopen,
            &[],
            Some("A late document."),
            "lead",
        )
        .await
        .expect("reopen");
    assert_eq!(state_of(&store, &refs[3]).await, ReviewState::InProgress);
    assert_chain_valid(&store).await;
    store.close().await;
}
on_both_backends!(quality_assurance, quality_assurance_runs_as_the_issue_asks);

/// Two leads reconcile the same disagreement at once: exactly one wins; the other is told what the
/// winner decided, and the case holds the winner's answer.
async fn concurrent_reconciliation_has_one_winner(url: &str) {
    let (store, _, refs) = derby_city(url).await;
    let store = std::sync::Arc::new(store);
    for r in &refs[..3] {
        store
            .review_case("dc", SM, r, ReviewAction::Submit, &[], None, "ana")
            .await
            .expect("submit");
    }
    let sample = store
        .draw_qa_sample("dc", 100, 1, "lead")
        .await
        .expect("draw");
    let case_ref = sample.cases[0].case_ref.clone();
    let case = store.case("dc", SM, &case_ref).await.expect("case");
    let (question, answer) = case
        .answers
        .iter()
        .find(|(_, a)| a.as_str() == "Y")
        .map(|(q, _)| (q.clone(), Answer::No))
        .expect("a Yes answer");
    store
        .record_second_marking("dc", SM, &case_ref, &[(question.clone(), answer)], "quinn")
        .await
        .expect("mark");
    let tasks: Vec<_> = [("lead-a", Answer::No), ("lead-b", Answer::Yes)]
        .into_iter()
        .map(|(lead, choice)| {
            let (store, case_ref, question) = (store.clone(), case_ref.clone(), question.clone());
            tokio::spawn(async move {
                let reason = format!("decided by {lead}");
                (
                    choice,
                    store
                        .reconcile("dc", SM, &case_ref, &question, choice, &reason, lead)
                        .await,
                )
            })
        })
        .collect();
    let mut outcomes = Vec::new();
    for t in tasks {
        outcomes.push(t.await.expect("task"));
    }
    let winners: Vec<_> = outcomes.iter().filter(|(_, r)| r.is_ok()).collect();
    assert_eq!(winners.len(), 1, "{outcomes:?}");
    let won = winners[0].0;
    let loser = outcomes.iter().find(|(_, r)| r.is_err()).expect("a loser");
    assert!(
        matches!(&loser.1, Err(StoreError::Conflict(m)) if m.contains("already reconciled by lead-")),
        "{:?}",
        loser.1
    );
    let case = store.case("dc", SM, &case_ref).await.expect("case");
    assert_eq!(case.answers[&question], won.as_cell());
    assert_chain_valid(&store).await;
}
on_both_backends!(
    concurrent_reconciliation,
    concurrent_reconciliation_has_one_winner
);
