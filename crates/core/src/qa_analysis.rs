//! What quality assurance shows a lead (issue 19), from double-marked cases and the inspection:
//! agreement per question (key questions and prompts), over the key questions and over every
//! question; the inspection as it was before reconciliation (each double-marked case with its
//! original answers), for band-level agreement (`band_changes`); and each inspector's share of
//! Yes per key question against the team's, placed on the funnel (`funnel`). Pure: the store
//! supplies the markings and who inspected each case.

use std::collections::HashMap;

use serde::Serialize;

use crate::Answer;
use crate::case::CaseSet;
use crate::double_marking::{QuestionAgreement, compare, compare_all};
use crate::framework::{Framework, QuestionKind};
use crate::funnel::{Position, limits, position};
use crate::inspection::Inspection;

/// One double-marked case: where it is (its unit is its inspection's `unit`), who inspected it,
/// and both markings (one answer per question of its instrument, in order).
#[derive(Debug, Clone, Copy)]
pub struct MarkedCase<'a> {
    pub unit: &'a str,
    pub instrument: &'a str,
    pub case_ref: &'a str,
    pub original: &'a [Answer],
    pub second: &'a [Answer],
}

/// One question's agreement, named as the framework names it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QuestionRow {
    pub instrument: String,
    pub question: String,
    pub key_question: bool,
    /// Its short name where the framework gives one, else its text.
    pub name: String,
    pub agreement: QuestionAgreement,
}

/// Agreement over a QA sample.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AgreementReport {
    /// Double-marked cases.
    pub cases: usize,
    /// Every key question's markings pooled.
    pub key_questions: QuestionAgreement,
    /// Every question's markings pooled (key questions and prompts).
    pub overall: QuestionAgreement,
    /// Each question at least one marker answered on some case, in the framework's order (a case
    /// neither marker answered on a question is left out of that question and of the pools).
    pub questions: Vec<QuestionRow>,
}

impl AgreementReport {
    /// Every row as tables list them: the two pools, then each question, each labelled
    /// (instrument or "all", question or pool, "pooled" / "key question" / "prompt").
    pub fn labelled(&self) -> Vec<[&str; 3]> {
        let mut out = vec![
            ["all", "all questions", "pooled"],
            ["all", "key questions", "pooled"],
        ];
        out.extend(self.questions.iter().map(|q| {
            let kind = if q.key_question {
                "key question"
            } else {
                "prompt"
            };
            [q.instrument.as_str(), q.question.as_str(), kind]
        }));
        out
    }

    /// The agreement of each row of [`AgreementReport::labelled`], in the same order.
    pub fn rows(&self) -> Vec<&QuestionAgreement> {
        let mut out = vec![&self.overall, &self.key_questions];
        out.extend(self.questions.iter().map(|q| &q.agreement));
        out
    }
}

/// Agreement per question and pooled, over `marked` (statistics: `double_marking::compare`).
pub fn agreement(fw: &Framework, marked: &[MarkedCase<'_>]) -> AgreementReport {
    // Each question someone answered: (instrument, question index), and its pairs.
    let mut keys: Vec<(&str, usize)> = Vec::new();
    let mut tables: Vec<Vec<(Answer, Answer)>> = Vec::new();
    for inst in &fw.instruments {
        for (qi, _) in inst.questions.iter().enumerate() {
            let pairs: Vec<(Answer, Answer)> = marked
                .iter()
                .filter(|m| m.instrument == inst.id)
                .filter_map(|m| Some((*m.original.get(qi)?, *m.second.get(qi)?)))
                .filter(|&(a, b)| a != Answer::Unanswered || b != Answer::Unanswered)
                .collect();
            if !pairs.is_empty() {
                keys.push((&inst.id, qi));
                tables.push(pairs);
            }
        }
    }
    let results = compare_all(&tables);
    let mut questions = Vec::with_capacity(results.len());
    let (mut key_pairs, mut all_pairs) = (Vec::new(), Vec::new());
    for (((instrument, qi), pairs), agreement) in keys.into_iter().zip(tables).zip(results) {
        let Some(q) = fw.instrument(instrument).and_then(|i| i.questions.get(qi)) else {
            continue;
        };
        let key_question = q.kind == QuestionKind::Key;
        if key_question {
            key_pairs.extend_from_slice(&pairs);
        }
        all_pairs.extend(pairs);
        questions.push(QuestionRow {
            instrument: instrument.to_string(),
            question: q.id.clone(),
            key_question,
            name: q.short.clone().unwrap_or_else(|| q.text.clone()),
            agreement,
        });
    }
    AgreementReport {
        cases: marked.len(),
        key_questions: compare(&key_pairs),
        overall: compare(&all_pairs),
        questions,
    }
}

/// `inspection` with every double-marked case's answers put back as they were before
/// reconciliation (its `original`), statuses settled again: rate it and compare with the
/// inspection as it is (`band_changes`) to see whether reconciliation moved anything.
pub fn before_reconciliation(
    fw: &Framework,
    inspection: &Inspection,
    marked: &[MarkedCase<'_>],
) -> Inspection {
    let mut out = inspection.clone();
    put_back(fw, &mut out, marked);
    out
}

fn put_back(fw: &Framework, inspection: &mut Inspection, marked: &[MarkedCase<'_>]) {
    let weeks = fw.rules.reset_adjusted_max_weeks;
    for set in &mut inspection.cases {
        let Some(inst) = fw.instrument(&set.instrument) else {
            continue;
        };
        for m in marked
            .iter()
            .filter(|m| m.unit == inspection.unit && m.instrument == inst.id)
        {
            if let Some(i) = set.cases().iter().position(|c| c.id == m.case_ref)
                && m.original.len() == set.width()
            {
                set.answers_mut(i).copy_from_slice(m.original);
                set.settle_status(i, inst, weeks);
            }
        }
    }
    for unit in &mut inspection.units {
        put_back(fw, unit, marked);
    }
}

/// One inspector on one key question's funnel.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct FunnelPoint {
    pub inspector: String,
    /// Their cases answered Yes.
    pub yes: u64,
    /// Their cases answered Yes or No.
    pub cases: u64,
    /// `yes / cases` (a fraction).
    pub share: f64,
    /// The 95% and 99.8% control limits at their number of cases (fractions).
    pub limits_95: (f64, f64),
    pub limits_998: (f64, f64),
    pub position: Position,
}

/// One key question's funnel: the team's share and each inspector on it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyQuestionFunnel {
    pub instrument: String,
    pub question: String,
    pub name: String,
    pub team_yes: u64,
    pub team_cases: u64,
    /// `team_yes / team_cases` (a fraction): the funnel's target.
    pub team_share: f64,
    pub inspectors: Vec<FunnelPoint>,
}

/// Each inspector's share of Yes on each key question against the team's (Spiegelhalter's funnel,
/// `funnel`), over the complete cases of `inspection` and its PDU inspections whose inspector
/// `inspector_of(unit, instrument, case_ref)` names. Key questions no named inspector answered
/// Yes or No are left out; inspectors in name order.
pub fn consistency(
    fw: &Framework,
    inspection: &Inspection,
    inspector_of: &dyn Fn(&str, &str, &str) -> Option<String>,
) -> Vec<KeyQuestionFunnel> {
    let mut tally = Tally {
        index: fw
            .instruments
            .iter()
            .enumerate()
            .map(|(i, inst)| (inst.id.as_str(), i))
            .collect(),
        inspectors: HashMap::new(),
        counts: fw
            .instruments
            .iter()
            .map(|inst| vec![Vec::new(); inst.questions.len()])
            .collect(),
    };
    tally.count(inspection, inspector_of);
    let mut names: Vec<(&String, usize)> = tally.inspectors.iter().map(|(n, &i)| (n, i)).collect();
    names.sort();
    let mut out = Vec::new();
    for (ii, inst) in fw.instruments.iter().enumerate() {
        for (qi, q) in inst.questions.iter().enumerate() {
            let by_inspector = &tally.counts[ii][qi];
            if q.kind != QuestionKind::Key || by_inspector.is_empty() {
                continue;
            }
            let (team_yes, team_cases) = by_inspector
                .iter()
                .fold((0, 0), |(y, n), (a, b)| (y + a, n + b));
            if team_cases == 0 {
                continue;
            }
            let target = team_yes as f64 / team_cases as f64;
            let inspectors = names
                .iter()
                .filter_map(|&(inspector, i)| {
                    let &(yes, n) = by_inspector.get(i)?;
                    if n == 0 {
                        return None;
                    }
                    Some(FunnelPoint {
                        inspector: inspector.clone(),
                        yes,
                        cases: n,
                        share: yes as f64 / n as f64,
                        limits_95: limits(target, n, 0.95)?,
                        limits_998: limits(target, n, 0.998)?,
                        position: position(yes, n, target)?,
                    })
                })
                .collect();
            out.push(KeyQuestionFunnel {
                instrument: inst.id.clone(),
                question: q.id.clone(),
                name: q.short.clone().unwrap_or_else(|| q.text.clone()),
                team_yes,
                team_cases,
                team_share: target,
                inspectors,
            });
        }
    }
    out
}

/// Yes and Yes-or-No counts per instrument, question and inspector (by index, in order of first
/// appearance), filled in one pass over the cases.
struct Tally<'f> {
    index: HashMap<&'f str, usize>,
    inspectors: HashMap<String, usize>,
    /// [instrument][question][inspector] → (yes, yes or no).
    counts: Vec<Vec<Vec<(u64, u64)>>>,
}

impl Tally<'_> {
    fn count(
        &mut self,
        inspection: &Inspection,
        inspector_of: &dyn Fn(&str, &str, &str) -> Option<String>,
    ) {
        for set in &inspection.cases {
            if let Some(&ii) = self.index.get(set.instrument.as_str()) {
                self.count_set(set, ii, &inspection.unit, inspector_of);
            }
        }
        for unit in &inspection.units {
            self.count(unit, inspector_of);
        }
    }

    fn count_set(
        &mut self,
        set: &CaseSet,
        ii: usize,
        unit: &str,
        inspector_of: &dyn Fn(&str, &str, &str) -> Option<String>,
    ) {
        for (case, answers) in set.rows().filter(|(c, _)| c.status.is_complete()) {
            let Some(inspector) = inspector_of(unit, &set.instrument, &case.id) else {
                continue;
            };
            let next = self.inspectors.len();
            let who = *self.inspectors.entry(inspector).or_insert(next);
            for (qi, &a) in answers.iter().enumerate() {
                let yes = match a {
                    Answer::Yes => 1,
                    Answer::No => 0,
                    _ => continue,
                };
                let Some(row) = self.counts[ii].get_mut(qi) else {
                    continue;
                };
                if row.len() <= who {
                    row.resize(who + 1, (0, 0));
                }
                row[who].0 += yes;
                row[who].1 += 1;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::CaseRecord;
    use crate::framework::builtin;

    /// One instrument's cases: `spec` is (case id, answer to its first key question).
    fn inspection(fw: &Framework, spec: &[(&str, Answer)]) -> (Inspection, String, usize) {
        let inst = &fw.instruments[0];
        let kq = inst
            .questions
            .iter()
            .position(|q| q.kind == QuestionKind::Key)
            .expect("a key question");
        let mut set = CaseSet::new(inst);
        for (id, answer) in spec {
            let mut answers = vec![Answer::Unanswered; inst.questions.len()];
            answers[kq] = *answer;
            set.push(
                CaseRecord {
                    id: (*id).into(),
                    ..CaseRecord::default()
                },
                &answers,
            );
        }
        let inspection = Inspection {
            unit: "Ashvale".into(),
            cases: vec![set],
            ..Inspection::default()
        };
        (inspection, inst.id.clone(), kq)
    }

    #[test]
    fn an_inspector_far_from_the_team_is_outside_the_funnel() {
        let fw = builtin();
        let ids: Vec<String> = (0..40)
            .map(|i| format!("{}{i}", ["a", "b"][i % 2]))
            .collect();
        let spec: Vec<(&str, Answer)> = ids
            .iter()
            .enumerate()
            .map(|(i, id)| {
                let yes = i % 2 == 0 || i < 4;
                (id.as_str(), if yes { Answer::Yes } else { Answer::No })
            })
            .collect();
        let (inspection, instrument, kq) = inspection(fw, &spec);
        let funnels = consistency(fw, &inspection, &|unit, inst, case| {
            assert_eq!((unit, inst), ("Ashvale", instrument.as_str()));
            Some(case[..1].to_string())
        });
        assert_eq!(funnels.len(), 1, "only the answered key question");
        let f = &funnels[0];
        assert_eq!(f.question, fw.instruments[0].questions[kq].id);
        assert_eq!((f.team_yes, f.team_cases), (22, 40));
        let by: Vec<(&str, u64, Position)> = f
            .inspectors
            .iter()
            .map(|p| (p.inspector.as_str(), p.yes, p.position))
            .collect();
        assert_eq!(by, [("a", 20, Position::Alarm), ("b", 2, Position::Alarm)]);
        assert!(f.inspectors[0].limits_95.1 < 1.0 && f.inspectors[0].limits_95.0 > 0.0);
    }

    #[test]
    fn agreement_and_the_answers_before_reconciliation() {
        let fw = builtin();
        let (mut now, instrument, kq) = inspection(
            fw,
            &[("c1", Answer::Yes), ("c2", Answer::No), ("c3", Answer::Yes)],
        );
        let width = fw.instruments[0].questions.len();
        let mut original = vec![Answer::Unanswered; width];
        original[kq] = Answer::Yes;
        let mut second = original.clone();
        second[kq] = Answer::No;
        let agreed_no = {
            let mut a = vec![Answer::Unanswered; width];
            a[kq] = Answer::No;
            a
        };
        let marked = [
            MarkedCase {
                unit: "Ashvale",
                instrument: &instrument,
                case_ref: "c1",
                original: &original,
                second: &second,
            },
            MarkedCase {
                unit: "Ashvale",
                instrument: &instrument,
                case_ref: "c2",
                original: &agreed_no,
                second: &agreed_no,
            },
        ];
        let report = agreement(fw, &marked);
        assert_eq!(report.cases, 2);
        assert_eq!(
            (report.key_questions.compared, report.key_questions.agreed),
            (2, 1)
        );
        assert_eq!(report.questions.len(), 1, "only questions someone answered");
        assert_eq!(
            report.questions[0].question,
            fw.instruments[0].questions[kq].id
        );
        assert_eq!(report.questions[0].agreement.compared, 2);
        assert_eq!(
            report.overall.missing, 0,
            "unmarked questions are not missing marks"
        );

        // c1 was reconciled to No; before reconciliation it was Yes again.
        now.cases[0].answers_mut(0)[kq] = Answer::No;
        let before = before_reconciliation(fw, &now, &marked);
        assert_eq!(before.cases[0].answers(0)[kq], Answer::Yes);
        assert_eq!(now.cases[0].answers(0)[kq], Answer::No);
        assert_eq!(
            before.cases[0].answers(2)[kq],
            Answer::Yes,
            "unmarked cases untouched"
        );
    }
}
