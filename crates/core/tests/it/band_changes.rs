//! Band-level agreement (issue 19): rating one inspection with other answers says exactly which
//! key question bands, standard ratings, score and overall rating move, and nothing when none do.

use casework_core::Answer;
use casework_core::band_changes::band_changes;
use casework_core::framework::builtin;
use casework_core::rate;

use crate::support::{ALL_YES, Tree, row};

#[test]
fn reconciled_answers_that_move_a_band_are_listed_and_others_are_not() {
    let rows: Vec<String> = (1..=10)
        .map(|i| row(&format!("C{i}"), "community,N,,", ALL_YES))
        .collect();
    let inspection = Tree::pdu(&rows).load("pdu").expect("load");
    let fw = builtin();
    let before = rate(fw, &inspection);
    assert!(
        band_changes(&before, &before).is_empty(),
        "nothing moves against itself"
    );

    // One answer changed: P2.1.1 from 100% to 90% keeps its band (Outstanding from 80%).
    let mut one = inspection.clone();
    one.cases[0].answers_mut(0)[0] = Answer::No;
    let small = band_changes(&before, &rate(fw, &one));
    assert!(small.is_empty(), "{small:?}");

    // Six changed: P2.1.1 falls to 40%, and with it P2.1's rating and the score.
    let mut many = inspection.clone();
    for case in 0..6 {
        many.cases[0].answers_mut(case)[0] = Answer::No;
    }
    let after = rate(fw, &many);
    let moved = band_changes(&before, &after);
    assert_eq!(moved.key_questions.len(), 1, "{moved:?}");
    assert_eq!(moved.key_questions[0].id, "P2.1.1");
    assert_eq!(moved.standards[0].id, "P2.1");
    assert_ne!(moved.key_questions[0].before, moved.key_questions[0].after);
    assert_eq!(moved.score, Some((before.score, after.score)));
    assert!(before.score > after.score);
}
