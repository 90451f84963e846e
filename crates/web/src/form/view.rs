//! The case form's content: its questions grouped key question by key question with their prompts
//! beneath, the answers each allows, which apply to the case, and its attributes, with what the
//! inspector posted kept on a re-shown form and each field's error beside it.

use casework_core::Answer;
use casework_core::case::CaseRecord;
use casework_core::framework::{Attribute, Framework, Instrument, Question, QuestionKind};
use casework_store::StoredCase;
use serde::Serialize;

use super::{FieldError, Posted, dom_id};

/// A radio option.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
}

/// One question on the form.
#[derive(Debug, Clone, Serialize)]
pub struct QuestionView {
    pub id: String,
    pub dom: String,
    pub text: String,
    pub applies: bool,
    pub options: Vec<Choice>,
    pub answer: String,
    pub evidence: String,
    pub error: Option<String>,
    /// After a stale save: the answer the user chose that was not saved, where it differs from
    /// the current one ("Yes").
    pub unsaved_answer: Option<&'static str>,
    /// After a stale save: the evidence note the user typed that was not saved, where it differs.
    pub unsaved_evidence: Option<String>,
}

/// A key question with its prompts beneath.
#[derive(Debug, Clone, Serialize)]
pub struct Group {
    pub key: QuestionView,
    pub prompts: Vec<QuestionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct AttributeView {
    pub shown: bool,
    pub value: String,
    pub options: Vec<Choice>,
    pub error: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Attributes {
    pub sentence: AttributeView,
    pub reset: AttributeView,
    pub oversight: AttributeView,
    /// The framework's declared attributes this instrument records, in declaration order.
    pub declared: Vec<DeclaredView>,
}

/// A radio option of a declared attribute.
#[derive(Debug, Clone, Serialize)]
pub struct DeclaredChoice {
    pub value: String,
    pub label: String,
}

/// A declared attribute on the form (`attribute:<id>`).
#[derive(Debug, Clone, Serialize)]
pub struct DeclaredView {
    pub id: String,
    pub label: String,
    pub value: String,
    pub options: Vec<DeclaredChoice>,
    pub error: Option<String>,
}

/// One standard's part of the form: its heading and its key questions (the form's sections, each
/// in the contents list).
#[derive(Debug, Clone, Serialize)]
pub struct Section {
    pub code: String,
    pub name: String,
    pub dom: String,
    pub groups: Vec<Group>,
}

/// An answer as the form's options call it.
fn answer_label(cell: &str) -> &'static str {
    match Answer::parse(cell) {
        Some(Answer::Yes) => "Yes",
        Some(Answer::No) => "No",
        Some(Answer::NotApplicable) => "Not applicable",
        _ => "Not answered",
    }
}

/// The form's content for a case: `values` overrides what is shown (a re-shown form keeps what the
/// inspector typed), `errors` marks fields, and `unsaved` (after a stale save, the form shows the
/// case as it is now) is what the user posted, shown beside each field where it differs.
pub fn view(
    fw: &Framework,
    instrument: &Instrument,
    stored: &StoredCase,
    values: Option<&Posted>,
    errors: &[FieldError],
    unsaved: Option<&Posted>,
) -> (Attributes, Vec<Section>) {
    let field_error = |name: &str| {
        errors
            .iter()
            .find(|e| e.name == name)
            .map(|e| e.message.clone())
    };
    let record: &CaseRecord = &stored.record;
    let shown = |posted: Option<&String>, stored: String| posted.cloned().unwrap_or(stored);
    let attributes = Attributes {
        sentence: AttributeView {
            shown: instrument.attributes.contains(&Attribute::Sentence),
            value: shown(
                values.and_then(|v| v.sentence.as_ref()),
                record
                    .sentence
                    .map(|s| s.as_str().to_string())
                    .unwrap_or_default(),
            ),
            options: vec![
                Choice {
                    value: "community",
                    label: "Community order",
                },
                Choice {
                    value: "licence",
                    label: "Licence",
                },
                Choice {
                    value: "",
                    label: "Not recorded",
                },
            ],
            error: field_error("sentence"),
        },
        reset: AttributeView {
            shown: instrument.attributes.contains(&Attribute::ProbationReset),
            value: shown(
                values.and_then(|v| v.reset_weeks.as_ref()),
                record
                    .reset_weeks
                    .map(|w| w.to_string())
                    .unwrap_or_default(),
            ),
            options: vec![],
            error: field_error("reset_weeks"),
        },
        oversight: AttributeView {
            shown: instrument
                .attributes
                .contains(&Attribute::ManagementOversight),
            value: shown(
                values.and_then(|v| v.oversight.as_ref()),
                record
                    .oversight
                    .map(|o| o.as_str().to_string())
                    .unwrap_or_default(),
            ),
            options: vec![
                Choice {
                    value: "sufficient",
                    label: "Sufficient",
                },
                Choice {
                    value: "insufficient",
                    label: "Insufficient",
                },
                Choice {
                    value: "ineffective",
                    label: "Ineffective",
                },
                Choice {
                    value: "absent",
                    label: "Absent",
                },
                Choice {
                    value: "not-required",
                    label: "Not required",
                },
                Choice {
                    value: "",
                    label: "Not recorded",
                },
            ],
            error: field_error("oversight"),
        },
        declared: fw
            .attributes_of(&instrument.id)
            .map(|a| DeclaredView {
                id: a.id.clone(),
                label: a.label.clone(),
                value: shown(
                    values.and_then(|v| v.declared.get(&a.id)),
                    record.attributes.get(&a.id).cloned().unwrap_or_default(),
                ),
                options: a
                    .values
                    .iter()
                    .map(|v| DeclaredChoice {
                        value: v.id.clone(),
                        label: v.label.clone(),
                    })
                    .chain(std::iter::once(DeclaredChoice {
                        value: String::new(),
                        label: "Not recorded".into(),
                    }))
                    .collect(),
                error: field_error(&format!("attribute:{}", a.id)),
            })
            .collect(),
    };
    let question_view = |q: &Question| {
        let answer = values
            .and_then(|v| v.answers.get(&q.id).cloned())
            .or_else(|| stored.answers.get(&q.id).cloned())
            .unwrap_or_default();
        let evidence = values
            .and_then(|v| v.evidence.get(&q.id).cloned())
            .or_else(|| stored.evidence.get(&q.id).cloned())
            .unwrap_or_default();
        let unsaved_answer = unsaved
            .and_then(|p| p.answers.get(&q.id))
            .map(|a| answer_label(a))
            .filter(|&yours| yours != answer_label(&answer));
        let unsaved_evidence = unsaved
            .and_then(|p| p.evidence.get(&q.id))
            .filter(|yours| yours.trim() != evidence.trim() && !yours.trim().is_empty())
            .cloned();
        let mut options = vec![
            Choice {
                value: "Y",
                label: "Yes",
            },
            Choice {
                value: "N",
                label: "No",
            },
        ];
        if q.allow_na {
            options.push(Choice {
                value: "NA",
                label: "Not applicable",
            });
        }
        options.push(Choice {
            value: "",
            label: "Not answered",
        });
        QuestionView {
            id: q.id.clone(),
            dom: dom_id(&q.id),
            text: q.text.clone(),
            applies: q.applies.holds(record, fw.rules.reset_adjusted_max_weeks),
            options,
            answer: Answer::parse(&answer)
                .map(|a| a.as_cell().to_string())
                .unwrap_or(answer),
            evidence,
            error: field_error(&format!("answer:{}", q.id)),
            unsaved_answer,
            unsaved_evidence,
        }
    };
    let groups: Vec<Group> = instrument
        .questions
        .iter()
        .filter(|q| q.kind == QuestionKind::Key)
        .map(|k| Group {
            key: question_view(k),
            prompts: instrument
                .questions
                .iter()
                .filter(|p| p.kind == QuestionKind::Prompt && p.parent.as_deref() == Some(&k.id))
                .map(question_view)
                .collect(),
        })
        .collect();
    (attributes, sections(fw, groups))
}

/// `groups` under their standards' headings, in form order (a key question no standard lists
/// goes under "Other questions").
fn sections(fw: &Framework, groups: Vec<Group>) -> Vec<Section> {
    let mut out: Vec<Section> = Vec::new();
    for group in groups {
        let standard = fw
            .standards
            .iter()
            .find(|s| s.key_questions.contains(&group.key.id));
        let (code, name) = standard
            .map(|s| (s.code.clone(), s.name.clone()))
            .unwrap_or_else(|| (String::new(), "Other questions".into()));
        match out.last_mut() {
            Some(last) if last.code == code => last.groups.push(group),
            _ => out.push(Section {
                dom: format!(
                    "standard-{}",
                    dom_id(if code.is_empty() { "other" } else { &code })
                ),
                code,
                name,
                groups: vec![group],
            }),
        }
    }
    out
}
