//! The case form: what a posted form asks for, and the edits that take the stored case there, in an
//! order the store accepts each in, checked first against the framework's rules so that a bad form
//! saves nothing. What the form shows is `view`'s.

use std::collections::BTreeMap;

use casework_core::Answer;
use casework_core::case::{
    Oversight, RESET_WEEKS_MAX, SentenceType, check_answer_in_progress, parse_reset_weeks,
};
use casework_core::framework::{Attribute, Framework, Instrument};
use casework_core::text::NOTE_MAX_CHARS;
use casework_store::{CaseChange, StoredCase};
use serde::Serialize;

/// A problem with one field, linked from the GOV.UK error summary.
#[derive(Debug, Clone, Serialize)]
pub struct FieldError {
    /// The id of the input the summary links to.
    pub field: String,
    pub message: String,
    /// The form field's name (`answer:P2.1.1`, `reset_weeks`).
    #[serde(skip)]
    pub name: String,
}

/// What a posted case form asks for. Fields absent from the post keep their stored values.
#[derive(Debug, Clone, Default)]
pub struct Posted {
    pub version: Option<i64>,
    pub csrf: Option<String>,
    pub reason: Option<String>,
    pub answers: BTreeMap<String, String>,
    pub evidence: BTreeMap<String, String>,
    pub sentence: Option<String>,
    pub reset_weeks: Option<String>,
    pub oversight: Option<String>,
    /// Declared attributes (`attribute:<id>` fields): attribute id → value id, blank clears.
    pub declared: BTreeMap<String, String>,
}

impl Posted {
    pub fn parse(pairs: Vec<(String, String)>) -> Posted {
        let mut p = Posted::default();
        for (name, value) in pairs {
            if let Some(q) = name.strip_prefix("answer:") {
                p.answers.insert(q.to_string(), value);
            } else if let Some(q) = name.strip_prefix("evidence:") {
                p.evidence.insert(q.to_string(), value);
            } else if let Some(a) = name.strip_prefix("attribute:") {
                p.declared.insert(a.to_string(), value);
            } else {
                match name.as_str() {
                    "version" => p.version = value.trim().parse().ok(),
                    "csrf" => p.csrf = Some(value),
                    "reason" => p.reason = Some(value).filter(|r| !r.trim().is_empty()),
                    "sentence" => p.sentence = Some(value),
                    "reset_weeks" => p.reset_weeks = Some(value),
                    "oversight" => p.oversight = Some(value),
                    _ => {}
                }
            }
        }
        p
    }
}

/// One edit, owning its text (the store's [`CaseChange`] borrows).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Planned {
    Answer(String, Answer),
    Evidence(String, String),
    Sentence(Option<SentenceType>),
    ResetWeeks(Option<u32>),
    Oversight(Option<Oversight>),
    /// A declared attribute and its value id (`None` clears it).
    Attribute(String, Option<String>),
}

impl Planned {
    pub fn change(&self) -> CaseChange<'_> {
        match self {
            Planned::Answer(q, a) => CaseChange::Answer {
                question: q,
                answer: *a,
            },
            Planned::Evidence(q, n) => CaseChange::Evidence {
                question: q,
                note: n,
            },
            Planned::Sentence(s) => CaseChange::Sentence(*s),
            Planned::ResetWeeks(w) => CaseChange::ResetWeeks(*w),
            Planned::Oversight(o) => CaseChange::Oversight(*o),
            Planned::Attribute(a, v) => CaseChange::Attribute {
                attribute: a,
                value: v.as_deref(),
            },
        }
    }
}

/// A question id as an HTML id fragment (`P2.1.1` → `P2-1-1`).
pub fn dom_id(question: &str) -> String {
    question.replace('.', "-")
}

fn answer_field(question: &str) -> String {
    format!("answer-{}-Y", dom_id(question))
}

/// The edits that take `stored` to what `posted` asks, in an order the store accepts each in:
/// answers allowed on the case as it is, then attribute changes, then the answers that depend on
/// them, then evidence notes. Every problem is reported at once; with any, nothing is planned.
pub fn plan(
    fw: &Framework,
    instrument: &Instrument,
    stored: &StoredCase,
    posted: &Posted,
) -> Result<Vec<Planned>, Vec<FieldError>> {
    let mut errors = Vec::new();
    let mut record = stored.record.clone();
    let has = |a: Attribute| instrument.attributes.contains(&a);
    let mut attribute_changes = Vec::new();

    if let (true, Some(text)) = (has(Attribute::Sentence), &posted.sentence) {
        let value = if text.trim().is_empty() {
            None
        } else {
            SentenceType::parse(text)
        };
        if value.is_none() && !text.trim().is_empty() {
            errors.push(error(
                "sentence-community",
                "sentence",
                "Select community or licence",
            ));
        } else if value != record.sentence {
            record.sentence = value;
            attribute_changes.push(Planned::Sentence(value));
        }
    }
    if let (true, Some(text)) = (has(Attribute::ProbationReset), &posted.reset_weeks) {
        let text = text.trim();
        let value = if text.is_empty() {
            Ok(None)
        } else {
            parse_reset_weeks(text).map(Some)
        };
        match value {
            Err(_) => errors.push(error(
                "reset_weeks",
                "reset_weeks",
                &format!(
                    "Enter the weeks as a whole number from 0 to {RESET_WEEKS_MAX}, like 6, or leave it blank if Probation Reset did not apply"
                ),
            )),
            Ok(weeks) if weeks != record.reset_weeks => {
                record.reset_weeks = weeks;
                attribute_changes.push(Planned::ResetWeeks(weeks));
            }
            Ok(_) => {}
        }
    }
    if let (true, Some(text)) = (has(Attribute::ManagementOversight), &posted.oversight) {
        let value = if text.trim().is_empty() {
            None
        } else {
            Oversight::parse(text)
        };
        if value.is_none() && !text.trim().is_empty() {
            errors.push(error(
                "oversight-sufficient",
                "oversight",
                "Select the management oversight",
            ));
        } else if value != record.oversight {
            record.oversight = value;
            attribute_changes.push(Planned::Oversight(value));
        }
    }

    for (id, text) in &posted.declared {
        let Some(declared) = fw.attributes_of(&instrument.id).find(|a| &a.id == id) else {
            errors.push(error(
                "case-form",
                &format!("attribute:{id}"),
                &format!("{id} is not an attribute of this form"),
            ));
            continue;
        };
        match declared.parse(text) {
            Err(_) => errors.push(error(
                &format!(
                    "attribute-{id}-{}",
                    declared.values.first().map_or("blank", |v| v.id.as_str())
                ),
                &format!("attribute:{id}"),
                &format!("Select the {}", declared.label.to_lowercase()),
            )),
            Ok(value) if value != record.attributes.get(id).map(String::as_str) => {
                let value = value.map(str::to_string);
                match &value {
                    Some(v) => record.attributes.insert(id.clone(), v.clone()),
                    None => record.attributes.remove(id),
                };
                attribute_changes.push(Planned::Attribute(id.clone(), value));
            }
            Ok(_) => {}
        }
    }

    let weeks = fw.rules.reset_adjusted_max_weeks;
    let (mut early, mut late) = (Vec::new(), Vec::new());
    for (qid, text) in &posted.answers {
        let Some(question) = instrument.questions.iter().find(|q| &q.id == qid) else {
            errors.push(error(
                "case-form",
                &format!("answer:{qid}"),
                &format!("{qid} is not a question of this form"),
            ));
            continue;
        };
        let Some(answer) = Answer::parse(text) else {
            errors.push(error(
                &answer_field(qid),
                &format!("answer:{qid}"),
                &format!("{qid}: select Yes, No or Not applicable"),
            ));
            continue;
        };
        let current = stored
            .answers
            .get(qid)
            .and_then(|c| Answer::parse(c))
            .unwrap_or(Answer::Unanswered);
        if answer == current {
            continue;
        }
        if let Err(problem) = check_answer_in_progress(question, &record, answer, weeks) {
            errors.push(error(
                &answer_field(qid),
                &format!("answer:{qid}"),
                &format!("{qid}: {problem}"),
            ));
            continue;
        }
        let planned = Planned::Answer(qid.clone(), answer);
        if check_answer_in_progress(question, &stored.record, answer, weeks).is_ok() {
            early.push(planned);
        } else {
            late.push(planned);
        }
    }
    // Answers left as they are must still be allowed once the attributes change.
    for (qid, cell) in &stored.answers {
        if posted.answers.contains_key(qid) {
            continue;
        }
        if let (Some(q), Some(a)) = (
            instrument.questions.iter().find(|q| &q.id == qid),
            Answer::parse(cell),
        ) && let Err(problem) = check_answer_in_progress(q, &record, a, weeks)
        {
            errors.push(error(
                &answer_field(qid),
                &format!("answer:{qid}"),
                &format!("{qid}: {problem}"),
            ));
        }
    }
    let mut evidence = Vec::new();
    for (qid, note) in &posted.evidence {
        if !instrument.questions.iter().any(|q| &q.id == qid) {
            errors.push(error(
                "case-form",
                &format!("evidence:{qid}"),
                &format!("{qid} is not a question of this form"),
            ));
            continue;
        }
        let note = note.trim();
        if note.chars().count() > NOTE_MAX_CHARS {
            errors.push(error(
                &format!("evidence-{}", dom_id(qid)),
                &format!("evidence:{qid}"),
                &format!("Evidence for {qid} must be {NOTE_MAX_CHARS} characters or fewer"),
            ));
            continue;
        }
        if stored.evidence.get(qid).map(String::as_str).unwrap_or("") != note {
            evidence.push(Planned::Evidence(qid.clone(), note.to_string()));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    Ok(early
        .into_iter()
        .chain(attribute_changes)
        .chain(late)
        .chain(evidence)
        .collect())
}

fn error(field: &str, name: &str, message: &str) -> FieldError {
    FieldError {
        field: field.to_string(),
        name: name.to_string(),
        message: message.to_string(),
    }
}

mod view;

pub use view::view;
