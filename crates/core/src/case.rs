//! Sampled cases against their instrument: which answers a question allows on a case (the
//! applicability rule, from the framework), and one instrument's cases held as one dense answer
//! table so that rating a million cases is a linear scan. A case's own attributes are plain data in
//! [`crate::record`], re-exported here.

use rayon::iter::ParallelExtend;

use crate::answer::Answer;
use crate::framework::{Attribute, Instrument, Question, QuestionKind};

pub use crate::record::{
    CaseRecord, CaseStatus, Oversight, RESET_WEEKS_MAX, SentenceType, StandardsSet,
    parse_reset_weeks,
};

/// Why one answer is not acceptable for one case (located by the caller).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AnswerProblem {
    /// Y or N given where the question does not apply to this case.
    DoesNotApply,
    /// A key question that applies was left blank.
    MissingKeyAnswer,
    /// NA given where the question does not allow it.
    NotApplicableNotAllowed,
}

impl std::fmt::Display for AnswerProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AnswerProblem::DoesNotApply => f.write_str(
                "this question does not apply to this case (see its applicability in the framework); leave it blank or NA",
            ),
            AnswerProblem::MissingKeyAnswer => {
                f.write_str("a key question that applies to this case has no answer; allowed: Y, N")
            }
            AnswerProblem::NotApplicableNotAllowed => f.write_str(
                "Not applicable is not allowed for this question, which applies to every such case; allowed: Y, N",
            ),
        }
    }
}

/// Checks one answer against the question's applicability and allowed answers.
pub fn check_answer(
    question: &Question,
    case: &CaseRecord,
    answer: Answer,
    reset_adjusted_max_weeks: u32,
) -> Result<(), AnswerProblem> {
    let applies = question.applies.holds(case, reset_adjusted_max_weeks);
    match (applies, answer) {
        (false, Answer::Yes | Answer::No) => Err(AnswerProblem::DoesNotApply),
        (false, _) => Ok(()),
        (true, Answer::Unanswered) if question.kind == QuestionKind::Key => {
            Err(AnswerProblem::MissingKeyAnswer)
        }
        (true, Answer::NotApplicable) if !question.allow_na => {
            Err(AnswerProblem::NotApplicableNotAllowed)
        }
        _ => Ok(()),
    }
}

/// Checks one answer on a case that is still being recorded: as [`check_answer`], except that a key
/// question may stay blank until the case is complete (see [`is_assessed`]).
pub fn check_answer_in_progress(
    question: &Question,
    case: &CaseRecord,
    answer: Answer,
    reset_adjusted_max_weeks: u32,
) -> Result<(), AnswerProblem> {
    match check_answer(question, case, answer, reset_adjusted_max_weeks) {
        Err(AnswerProblem::MissingKeyAnswer) => Ok(()),
        other => other,
    }
}

/// Whether a case is fully assessed: every answer is allowed and every key question that applies
/// has one. `answers` holds one entry per instrument question, in framework order.
pub fn is_assessed(
    instrument: &Instrument,
    case: &CaseRecord,
    answers: &[Answer],
    reset_adjusted_max_weeks: u32,
) -> bool {
    instrument
        .questions
        .iter()
        .zip(answers)
        .all(|(q, a)| check_answer(q, case, *a, reset_adjusted_max_weeks).is_ok())
}

/// A case's status, the one rule every reader, the store and the web apply: complete when the
/// instrument's sentence type is given (where it records one) and [`is_assessed`] holds; in
/// progress otherwise. Only complete cases are counted in ratings (`rating::rate`).
pub fn case_status(
    instrument: &Instrument,
    case: &CaseRecord,
    answers: &[Answer],
    reset_adjusted_max_weeks: u32,
) -> CaseStatus {
    let sentence_missing =
        case.sentence.is_none() && instrument.attributes.contains(&Attribute::Sentence);
    if !sentence_missing && is_assessed(instrument, case, answers, reset_adjusted_max_weeks) {
        CaseStatus::Complete
    } else {
        CaseStatus::InProgress
    }
}

/// All of one inspection's cases on one instrument: the records and a dense answer table, one row per
/// case, one column per instrument question in framework order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CaseSet {
    pub instrument: String,
    width: usize,
    cases: Vec<CaseRecord>,
    answers: Vec<Answer>,
}

impl CaseSet {
    pub fn new(instrument: &Instrument) -> CaseSet {
        CaseSet {
            instrument: instrument.id.clone(),
            width: instrument.questions.len(),
            cases: Vec::new(),
            answers: Vec::new(),
        }
    }

    pub fn with_capacity(instrument: &Instrument, cases: usize) -> CaseSet {
        let mut set = CaseSet::new(instrument);
        set.cases.reserve(cases);
        set.answers.reserve(cases * set.width);
        set
    }

    /// Appends a case. `answers` must have one entry per instrument question.
    pub fn push(&mut self, case: CaseRecord, answers: &[Answer]) {
        assert_eq!(answers.len(), self.width, "answer row width");
        self.cases.push(case);
        self.answers.extend_from_slice(answers);
    }

    /// Appends every case of `other` (same instrument).
    pub fn extend(&mut self, other: CaseSet) {
        assert_eq!(self.width, other.width, "answer row width");
        self.cases.extend(other.cases);
        self.answers.extend(other.answers);
    }

    /// Appends every case of each of `others` in turn (same instrument), copying on all of
    /// rayon's threads: for the large sets a parallel parse puts together.
    pub(crate) fn par_extend(&mut self, others: impl IntoIterator<Item = CaseSet>) {
        for other in others {
            assert_eq!(self.width, other.width, "answer row width");
            self.cases.par_extend(other.cases);
            self.answers.par_extend(other.answers);
        }
    }

    pub fn len(&self) -> usize {
        self.cases.len()
    }

    pub fn is_empty(&self) -> bool {
        self.cases.is_empty()
    }

    pub fn width(&self) -> usize {
        self.width
    }

    pub fn cases(&self) -> &[CaseRecord] {
        &self.cases
    }

    pub fn answers(&self, case: usize) -> &[Answer] {
        &self.answers[case * self.width..(case + 1) * self.width]
    }

    /// One case's attributes, to change in place (a store keeping a loaded inspection current).
    pub fn case_mut(&mut self, case: usize) -> &mut CaseRecord {
        &mut self.cases[case]
    }

    /// One case's answers, to change in place.
    pub fn answers_mut(&mut self, case: usize) -> &mut [Answer] {
        &mut self.answers[case * self.width..(case + 1) * self.width]
    }

    /// The whole answer table, row-major.
    pub fn answer_table(&self) -> &[Answer] {
        &self.answers
    }

    /// Sets case `case`'s status again by [`case_status`], after its answers or sentence changed.
    pub fn settle_status(&mut self, case: usize, instrument: &Instrument, weeks: u32) {
        let status = case_status(instrument, &self.cases[case], self.answers(case), weeks);
        self.cases[case].status = status;
    }

    /// Cases still in progress (see [`case_status`]).
    pub fn in_progress(&self) -> usize {
        self.cases
            .iter()
            .filter(|c| !c.status.is_complete())
            .count()
    }

    /// The complete cases only, in order: what ratings count.
    pub fn complete_only(&self) -> CaseSet {
        self.retain(|c| c.status.is_complete())
    }

    /// The cases `keep` accepts, in order.
    pub fn retain(&self, keep: impl Fn(&CaseRecord) -> bool) -> CaseSet {
        let mut out = CaseSet {
            instrument: self.instrument.clone(),
            width: self.width,
            cases: Vec::new(),
            answers: Vec::new(),
        };
        for (case, answers) in self.rows().filter(|(c, _)| keep(c)) {
            out.cases.push(case.clone());
            out.answers.extend_from_slice(answers);
        }
        out
    }

    pub fn rows(&self) -> impl Iterator<Item = (&CaseRecord, &[Answer])> {
        self.cases
            .iter()
            .zip(self.answers.chunks_exact(self.width.max(1)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::builtin;

    #[test]
    fn a_case_is_assessed_once_every_applying_key_question_is_answered() {
        let fw = builtin();
        let inst = fw.instrument("court-report").expect("instrument");
        let case = CaseRecord {
            id: "C1".into(),
            ..Default::default()
        };
        let weeks = fw.rules.reset_adjusted_max_weeks;
        let mut answers = vec![Answer::Unanswered; inst.questions.len()];
        assert!(
            !is_assessed(inst, &case, &answers, weeks),
            "nothing answered"
        );
        for (a, q) in answers.iter_mut().zip(&inst.questions) {
            if q.kind == QuestionKind::Key {
                *a = Answer::No;
            }
        }
        assert!(
            is_assessed(inst, &case, &answers, weeks),
            "prompts may stay blank"
        );
        let last_key = inst
            .questions
            .iter()
            .rposition(|q| q.kind == QuestionKind::Key)
            .expect("a key question");
        answers[last_key] = Answer::Unanswered;
        assert!(
            !is_assessed(inst, &case, &answers, weeks),
            "one key question blank"
        );
        let q = &inst.questions[last_key];
        assert_eq!(
            check_answer(q, &case, Answer::Unanswered, weeks),
            Err(AnswerProblem::MissingKeyAnswer)
        );
        assert_eq!(
            check_answer_in_progress(q, &case, Answer::Unanswered, weeks),
            Ok(())
        );
        if !q.allow_na {
            assert_eq!(
                check_answer_in_progress(q, &case, Answer::NotApplicable, weeks),
                Err(AnswerProblem::NotApplicableNotAllowed),
                "in progress relaxes only blanks"
            );
        }
    }
}
