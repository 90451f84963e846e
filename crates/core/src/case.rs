//! Sampled cases: their attributes (sentence type, Probation Reset, management oversight, evidence
//! notes) and their answers, held per instrument as one dense table so that rating a million cases
//! is a linear scan.

use rayon::iter::ParallelExtend;
use serde::{Deserialize, Serialize};

use crate::answer::Answer;
use crate::framework::{Instrument, Question, QuestionKind};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SentenceType {
    /// Community order or suspended sentence order.
    Community,
    /// Release on licence from custody.
    Licence,
}

impl SentenceType {
    /// The spellings accepted (any case), for error messages and the README.
    pub const ALLOWED: &'static str = "community (or community order, CO), licence (or license)";

    pub fn parse(cell: &str) -> Option<SentenceType> {
        match cell.trim().to_ascii_lowercase().as_str() {
            "community" | "community order" | "co" => Some(SentenceType::Community),
            "licence" | "license" => Some(SentenceType::Licence),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SentenceType::Community => "community",
            SentenceType::Licence => "licence",
        }
    }
}

/// Which set of standards a case is judged against, derived from its Probation Reset attributes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum StandardsSet {
    /// No Probation Reset.
    Core,
    /// Reset after more than the threshold: core standards, judged proportionately.
    Proportionate,
    /// Reset within the threshold: the adjusted standards.
    Adjusted,
}

/// Management oversight as judged on the case.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Oversight {
    Sufficient,
    Insufficient,
    Ineffective,
    Absent,
    NotRequired,
}

impl Oversight {
    pub const ALLOWED: &'static str = "sufficient, insufficient, ineffective, absent, not-required";
    pub const ALL: [Oversight; 5] = [
        Oversight::Sufficient,
        Oversight::Insufficient,
        Oversight::Ineffective,
        Oversight::Absent,
        Oversight::NotRequired,
    ];

    pub fn parse(cell: &str) -> Option<Oversight> {
        match cell.trim().to_ascii_lowercase().replace(' ', "-").as_str() {
            "sufficient" => Some(Oversight::Sufficient),
            "insufficient" => Some(Oversight::Insufficient),
            "ineffective" => Some(Oversight::Ineffective),
            "absent" => Some(Oversight::Absent),
            "not-required" => Some(Oversight::NotRequired),
            _ => None,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Oversight::Sufficient => "sufficient",
            Oversight::Insufficient => "insufficient",
            Oversight::Ineffective => "ineffective",
            Oversight::Absent => "absent",
            Oversight::NotRequired => "not-required",
        }
    }

    /// Oversight was needed and fell short: what the reports quote a share of.
    pub fn is_shortfall(self) -> bool {
        matches!(
            self,
            Oversight::Insufficient | Oversight::Ineffective | Oversight::Absent
        )
    }
}

/// The most weeks of supervision before contact was suspended under Probation Reset that a case
/// may record: three years, the longest a community order runs. [inferred: a bound on what can be
/// typed, not a rule of the methodology; sampled cases began six to eight months before fieldwork.]
pub const RESET_WEEKS_MAX: u32 = 156;

/// Parses "weeks supervised before contact was suspended": a whole number from 0 to
/// [`RESET_WEEKS_MAX`]. The one rule every reader and the web form apply.
pub fn parse_reset_weeks(text: &str) -> Result<u32, String> {
    let text = text.trim();
    match text.parse::<u32>() {
        Ok(weeks) if weeks <= RESET_WEEKS_MAX => Ok(weeks),
        _ => Err(format!(
            "'{text}' is not allowed; weeks before suspension is a whole number from 0 to {RESET_WEEKS_MAX}"
        )),
    }
}

/// One sampled case's identity and attributes (its answers live in the [`CaseSet`] table).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseRecord {
    pub id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sentence: Option<SentenceType>,
    /// `Some(weeks)` when Probation Reset applied: weeks supervised before contact was suspended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reset_weeks: Option<u32>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub oversight: Option<Oversight>,
    /// Inspector's evidence notes: personal data, never logged.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
}

impl CaseRecord {
    pub fn standards_set(&self, reset_adjusted_max_weeks: u32) -> StandardsSet {
        match self.reset_weeks {
            None => StandardsSet::Core,
            Some(w) if w <= reset_adjusted_max_weeks => StandardsSet::Adjusted,
            Some(_) => StandardsSet::Proportionate,
        }
    }
}

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
