//! The evidence view of domain one (issue 17): for each judged standard of an inspection's kind,
//! its judged rating and rationale, then each of its key questions (framework data) with its
//! prompts, its judged rating and rationale, and the evidence filed against it; evidence filed
//! against the standard as a whole sits under the standard. Each piece of evidence is shown as the
//! report's named figure shows it (the small-numbers rule applied), with what it says for and
//! against; what names no judged standard is listed last. The evidence page of the web shows it,
//! and the internal report's annexe ([`crate::Report::with_evidence_annexe`]); never a published
//! report.

use casework_core::Framework;
use casework_core::domain_one::Evidence;
use casework_core::domain_one::interview::Judgement;
use casework_core::domain_one::measure::Group;
use casework_core::framework::Basis;
use serde::Serialize;

use crate::domain_one::add_figures;
use crate::figures::Figures;

/// A judged standard's rating and the inspectors' rationale, as the inspection records them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct JudgedStandard {
    pub standard: String,
    /// A rating id of the framework.
    pub rating: String,
    pub rationale: Option<String>,
}

/// One piece of evidence as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceRow {
    /// `Survey: staff`, `Interviews: practitioners`, `Staffing`, `Performance`, `Document`.
    pub source: String,
    /// The question, topic, measure or document.
    pub what: String,
    /// As the report's figure shows it ("15 out of 20 (75%)", "12.5%"), or a document's date.
    pub shown: String,
    /// What it says for and against: agreeing and not, positive, negative and mixed judgements, or
    /// a document's judgement; blank for a measure.
    pub bearing: String,
    /// The figure's name, for the narrative (`survey.staff.vision.agree`); blank for a document.
    pub figure: String,
    /// For a measure: its date and source; for a survey question or a topic: how many answered.
    pub detail: String,
}

/// One key question of a judged standard with its judged rating and evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct KeyQuestionEvidence {
    pub id: String,
    pub text: String,
    pub prompts: Vec<String>,
    /// The judged rating's label, or "not yet rated".
    pub rating: String,
    /// The rating's id, blank when not yet rated (the form's choice).
    pub rating_id: String,
    pub rationale: String,
    pub rows: Vec<EvidenceRow>,
}

/// One judged standard with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StandardEvidence {
    pub code: String,
    pub name: String,
    /// The judged rating's label, or "not yet rated".
    pub rating: String,
    pub rationale: String,
    /// Evidence filed against the standard as a whole.
    pub rows: Vec<EvidenceRow>,
    pub key_questions: Vec<KeyQuestionEvidence>,
}

const NOT_YET_RATED: &str = "not yet rated";

/// Every row of `evidence`, with what it is filed against (a standard, a key question or none).
fn rows(fw: &Framework, evidence: &Evidence) -> Vec<(Option<String>, EvidenceRow)> {
    let mut figures = Figures::default();
    add_figures(&mut figures, evidence, &fw.evidence);
    let shown = |name: &str| figures.get(name).map_or(String::new(), |f| f.text.clone());
    let mut out = Vec::new();
    for s in &evidence.surveys {
        for q in &s.questions {
            let at = |what: &str| format!("survey.{}.{}.{what}", s.survey, q.id);
            out.push((
                q.standard.clone(),
                EvidenceRow {
                    source: format!("Survey: {}", s.survey),
                    what: q.id.clone(),
                    shown: format!("{} ({})", shown(&at("agree")), shown(&at("percent"))),
                    bearing: format!(
                        "{} agreed, {} did not",
                        q.agree,
                        q.answered.saturating_sub(q.agree)
                    ),
                    detail: format!("{} answered of {} respondents", q.answered, s.respondents),
                    figure: at("agree"),
                },
            ));
        }
    }
    for r in &evidence.interviews {
        for t in &r.topics {
            let figure = format!("interview.{}.{}.positive", r.role, t.topic);
            out.push((
                t.standard.clone(),
                EvidenceRow {
                    source: format!("Interviews: {}", r.role),
                    what: t.topic.clone(),
                    shown: shown(&figure),
                    bearing: format!(
                        "{} positive, {} negative, {} mixed",
                        t.positive, t.negative, t.mixed
                    ),
                    detail: format!("discussed with {} of {} people met", t.discussed, r.people),
                    figure,
                },
            ));
        }
    }
    for m in &evidence.measures {
        let figure = format!("{}.{}", m.group.id(), m.id);
        out.push((
            m.standard.clone(),
            EvidenceRow {
                source: match m.group {
                    Group::Staffing => "Staffing".into(),
                    Group::Performance => "Performance".into(),
                },
                what: m.label.clone(),
                shown: shown(&figure),
                bearing: String::new(),
                detail: format!("{}, {}", date_shown(&m.date), m.source),
                figure,
            },
        ));
    }
    for d in &evidence.documents {
        let row = EvidenceRow {
            source: "Document".into(),
            what: d.title.clone(),
            shown: date_shown(&d.date),
            bearing: match d.judgement {
                Some(Judgement::Positive) => "for".into(),
                Some(Judgement::Negative) => "against".into(),
                Some(Judgement::Mixed) => "mixed".into(),
                None => String::new(),
            },
            detail: String::new(),
            figure: String::new(),
        };
        if d.filed.is_empty() {
            out.push((None, row.clone()));
        }
        out.extend(d.filed.iter().map(|t| (Some(t.clone()), row.clone())));
    }
    out
}

fn date_shown(date: &str) -> String {
    casework_core::date::shown(date).unwrap_or_else(|| date.to_string())
}

/// The judged standards of inspection kind `kind`, in framework order, each with its judged
/// rating (from `judged`), its key questions with theirs (from
/// `evidence`) and the evidence filed against each; then (code "other") what names none of them.
pub fn by_standard(
    fw: &Framework,
    kind: &str,
    judged: &[JudgedStandard],
    evidence: &Evidence,
) -> Vec<StandardEvidence> {
    let label = |id: &str| {
        fw.rating(id)
            .map_or(NOT_YET_RATED.into(), |r| r.label.clone())
    };
    let mut all = rows(fw, evidence);
    let mut take = |target: &str| {
        let (mine, rest) = std::mem::take(&mut all)
            .into_iter()
            .partition(|(t, _)| t.as_deref() == Some(target));
        all = rest;
        mine.into_iter().map(|(_, r)| r).collect::<Vec<_>>()
    };
    let codes = fw.kind(kind).map_or(&[][..], |k| k.standards.as_slice());
    let mut out: Vec<StandardEvidence> = codes
        .iter()
        .filter_map(|code| fw.standard(code))
        .filter(|s| s.basis == Basis::Judged)
        .map(|s| {
            let given = judged.iter().find(|j| j.standard == s.code);
            let key_questions = s
                .judged_key_questions
                .iter()
                .map(|kq| {
                    let rated = evidence
                        .key_question_ratings
                        .iter()
                        .find(|r| r.key_question == kq.id);
                    KeyQuestionEvidence {
                        id: kq.id.clone(),
                        text: kq.text.clone(),
                        prompts: kq.prompts.clone(),
                        rating: rated.map_or(NOT_YET_RATED.into(), |r| label(&r.rating)),
                        rating_id: rated.map_or(String::new(), |r| r.rating.clone()),
                        rationale: rated.map_or(String::new(), |r| r.rationale.clone()),
                        rows: take(&kq.id),
                    }
                })
                .collect();
            StandardEvidence {
                code: s.code.clone(),
                name: s.name.clone(),
                rating: given.map_or(NOT_YET_RATED.into(), |j| label(&j.rating)),
                rationale: given.and_then(|j| j.rationale.clone()).unwrap_or_default(),
                rows: take(&s.code),
                key_questions,
            }
        })
        .collect();
    if !all.is_empty() {
        out.push(StandardEvidence {
            code: "other".into(),
            name: "Filed against no judged standard of this inspection".into(),
            rating: String::new(),
            rationale: String::new(),
            rows: all.into_iter().map(|(_, r)| r).collect(),
            key_questions: Vec::new(),
        });
    }
    out
}
