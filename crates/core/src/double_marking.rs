//! Double marking of one question (issue 19): two markers' answers on the same cases turned into
//! what agreement statistics read, with the three kinds of difference kept apart. Yes/No
//! agreement is measured on the cases both markers answered Yes or No; a case one marker found not
//! applicable and the other answered is a disagreement about applicability, counted apart; a case
//! either left unanswered is missing, never a category of its own.

use serde::Serialize;

use crate::Answer;
use crate::agreement::{
    Row, Statistic, cohen_kappa, gwet_ac1, krippendorff_alpha, percent_agreement,
};
use crate::proportion::wilson_interval;

/// Category indices of the Yes/No table the statistics read.
const NO: usize = 0;
const YES: usize = 1;

/// One question's double marking: counts (cases) and the agreement statistics on its Yes/No table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionAgreement {
    /// Cases both markers answered Yes or No.
    pub compared: usize,
    /// Of those, cases where they gave the same answer.
    pub agreed: usize,
    /// Cases where one found the question not applicable and the other answered Yes or No.
    pub applicability_disagreements: usize,
    /// Cases both found not applicable.
    pub both_not_applicable: usize,
    /// Cases either left unanswered.
    pub missing: usize,
    /// Percent agreement on the compared cases (a fraction); `None` when none were compared.
    pub percent_agreement: Option<f64>,
    /// Its 95% Wilson interval (`proportion::wilson_interval` of agreed of compared); `None` when
    /// none were compared.
    pub percent_agreement_interval: Option<(f64, f64)>,
    pub cohen_kappa: Statistic,
    pub gwet_ac1: Statistic,
    pub krippendorff_alpha: Statistic,
}

fn yes_no(a: Answer) -> Option<usize> {
    match a {
        Answer::Yes => Some(YES),
        Answer::No => Some(NO),
        _ => None,
    }
}

/// The double marking of one question: `pairs` is each case's (first marker's, second marker's)
/// answer.
pub fn compare(pairs: &[(Answer, Answer)]) -> QuestionAgreement {
    let mut rows: Vec<Row> = Vec::new();
    let (mut applicability, mut both_na, mut missing) = (0, 0, 0);
    for &(a, b) in pairs {
        match (a, b) {
            (Answer::Unanswered, _) | (_, Answer::Unanswered) => missing += 1,
            (Answer::NotApplicable, Answer::NotApplicable) => both_na += 1,
            (Answer::NotApplicable, _) | (_, Answer::NotApplicable) => applicability += 1,
            _ => rows.push(vec![yes_no(a), yes_no(b)]),
        }
    }
    let agreed = rows.iter().filter(|r| r[0] == r[1]).count();
    QuestionAgreement {
        compared: rows.len(),
        agreed,
        applicability_disagreements: applicability,
        both_not_applicable: both_na,
        missing,
        percent_agreement: percent_agreement(&rows, 2),
        percent_agreement_interval: wilson_interval(agreed as u64, rows.len() as u64, 0.95),
        cohen_kappa: cohen_kappa(&rows, 2),
        gwet_ac1: gwet_ac1(&rows, 2),
        krippendorff_alpha: krippendorff_alpha(&rows, 2),
    }
}

/// [`compare`] for every question of a QA sample at once (`questions[q]` is question q's pairs),
/// in parallel across questions; results in the same order.
pub fn compare_all(questions: &[Vec<(Answer, Answer)>]) -> Vec<QuestionAgreement> {
    use rayon::prelude::*;
    questions.par_iter().map(|pairs| compare(pairs)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use Answer::*;

    #[test]
    fn applicability_and_missing_are_counted_apart_from_yes_no() {
        let q = compare(&[
            (Yes, Yes),
            (No, No),
            (Yes, No),
            (NotApplicable, Yes),
            (No, NotApplicable),
            (NotApplicable, NotApplicable),
            (Unanswered, Yes),
            (Yes, Unanswered),
        ]);
        assert_eq!(
            (
                q.compared,
                q.agreed,
                q.applicability_disagreements,
                q.both_not_applicable,
                q.missing
            ),
            (3, 2, 2, 1, 2)
        );
        assert!((q.percent_agreement.expect("defined") - 2.0 / 3.0).abs() < 1e-12);
    }

    #[test]
    fn every_answer_yes_gives_undefined_kappa_not_zero() {
        let q = compare(&[(Yes, Yes); 12]);
        assert_eq!(q.percent_agreement, Some(1.0));
        assert_eq!(q.cohen_kappa.value(), None);
        assert_eq!(q.gwet_ac1.value(), Some(1.0));
    }

    #[test]
    fn nothing_compared_is_undefined_not_a_crash() {
        let q = compare(&[(NotApplicable, Yes), (Unanswered, Unanswered)]);
        assert_eq!((q.compared, q.percent_agreement), (0, None));
        assert!(matches!(q.gwet_ac1, Statistic::Undefined { .. }));
    }
}
