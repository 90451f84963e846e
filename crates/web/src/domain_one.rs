//! Domain one's evidence (issue 17): reading one evidence file of a kind into what the store
//! records ([`read_file`], for the page's upload and `casework evidence`), and the evidence
//! view: for each judged standard of the inspection's kind, the evidence filed against it (survey
//! questions, interview topics and measures that name it), each shown as the report's named figure
//! shows it (the small-numbers rule applied), beside the judged rating and the inspectors'
//! rationale; and what is filed against no standard. Pure over what the store gives.

use casework_core::Framework;
use casework_core::domain_one::{self, Evidence, Rows, SurveyMapping};
use casework_core::framework::Basis;
use casework_core::input::InputError;
use casework_report::domain_one::add_figures;
use casework_report::figures::Figures;
use casework_store::EvidenceFile;
use casework_store::JudgedRating;
use serde::Serialize;

/// The kinds of evidence file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EvidenceKind {
    /// A survey tool's per-respondent export, read through its mapping.
    Survey,
    Interviews,
    Measures,
}

/// Reads one evidence file's `rows` as `kind` (a survey through `mapping`, the mapping file's
/// TOML text and name): the aggregates to record. Errors are located in the file (or the
/// mapping); a survey without a mapping is refused, and so is evidence filed against a standard
/// `fw` does not judge.
pub fn read_file(
    fw: &Framework,
    kind: EvidenceKind,
    rows: Rows,
    mapping: Option<(&str, &str)>,
) -> Result<EvidenceFile, InputError> {
    let file = rows.file.clone();
    let read = read_kind(kind, rows, mapping)?;
    let judged: Vec<&str> = fw
        .standards
        .iter()
        .filter(|s| s.basis == Basis::Judged)
        .map(|s| s.code.as_str())
        .collect();
    let filed: Vec<(&str, &str)> = match &read {
        EvidenceFile::Survey(s) => s
            .questions
            .iter()
            .filter_map(|q| Some((q.id.as_str(), q.standard.as_deref()?)))
            .collect(),
        EvidenceFile::Interviews(roles) => roles
            .iter()
            .flat_map(|r| &r.topics)
            .filter_map(|t| Some((t.topic.as_str(), t.standard.as_deref()?)))
            .collect(),
        EvidenceFile::Measures(m) => m
            .iter()
            .filter_map(|m| Some((m.id.as_str(), m.standard.as_deref()?)))
            .collect(),
    };
    if let Some((what, code)) = filed.iter().find(|(_, code)| !judged.contains(code)) {
        return Err(InputError {
            column: Some("standard".into()),
            ..InputError::new(
                casework_core::input::ErrorKind::UnknownReference,
                file,
                format!(
                    "'{what}' is filed against {code}, which is not a judged standard; allowed: {}",
                    judged.join(", ")
                ),
            )
        });
    }
    Ok(read)
}

fn read_kind(
    kind: EvidenceKind,
    rows: Rows,
    mapping: Option<(&str, &str)>,
) -> Result<EvidenceFile, InputError> {
    Ok(match kind {
        EvidenceKind::Survey => {
            let (text, name) = mapping.ok_or_else(|| {
                InputError::new(
                    casework_core::input::ErrorKind::MissingColumn,
                    rows.file.clone(),
                    "a survey export is read through its mapping: give the mapping file too",
                )
            })?;
            let mapping = SurveyMapping::from_toml(text, name)?;
            EvidenceFile::Survey(domain_one::survey::read(&mapping, rows)?)
        }
        EvidenceKind::Interviews => EvidenceFile::Interviews(domain_one::interview::read(rows)?),
        EvidenceKind::Measures => EvidenceFile::Measures(domain_one::measure::read(rows)?),
    })
}

/// One piece of evidence as the page lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EvidenceRow {
    /// `Staff survey`, `Interviews: practitioners`, `Staffing`, `Performance`.
    pub source: String,
    /// The question, topic or measure.
    pub what: String,
    /// As the report's figure shows it ("15 out of 20", "75%", "12.5%").
    pub shown: String,
    /// The figure's name, for the narrative (`survey.staff.vision.agree`).
    pub figure: String,
    /// For a measure: its date and source; for a topic: its judgements.
    pub detail: String,
}

/// One judged standard with its evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StandardEvidence {
    pub code: String,
    pub name: String,
    /// The judged rating's label, or "not yet rated".
    pub rating: String,
    pub rationale: String,
    pub rows: Vec<EvidenceRow>,
}

/// Every row of `evidence`, with the standard it is filed against.
fn rows(fw: &Framework, evidence: &Evidence) -> Vec<(Option<String>, EvidenceRow)> {
    let mut figures = Figures::default();
    add_figures(&mut figures, evidence, &fw.evidence);
    let shown = |name: &str| figures.get(name).map_or(String::new(), |f| f.text.clone());
    let mut out = Vec::new();
    for s in &evidence.surveys {
        for q in &s.questions {
            let figure = format!("survey.{}.{}.percent", s.survey, q.id);
            out.push((
                q.standard.clone(),
                EvidenceRow {
                    source: format!("Survey: {}", s.survey),
                    what: q.id.clone(),
                    shown: format!(
                        "{} ({})",
                        shown(&format!("survey.{}.{}.agree", s.survey, q.id)),
                        shown(&figure)
                    ),
                    detail: format!("{} respondents in all", s.respondents),
                    figure,
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
                    detail: format!(
                        "positive {}, negative {}, mixed {}, of {} people met",
                        t.positive, t.negative, t.mixed, r.people
                    ),
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
                    casework_core::domain_one::measure::Group::Staffing => "Staffing".into(),
                    casework_core::domain_one::measure::Group::Performance => "Performance".into(),
                },
                what: m.label.clone(),
                shown: shown(&figure),
                detail: format!(
                    "{}, {}",
                    casework_core::date::shown(&m.date).unwrap_or_else(|| m.date.clone()),
                    m.source
                ),
                figure,
            },
        ));
    }
    out
}

/// The judged standards of inspection kind `kind`, in framework order, each with its judged
/// rating (from `judged`, as the store gives them) and its evidence; then (code "other") what
/// names none of them.
pub fn by_standard(
    fw: &Framework,
    kind: &str,
    judged: &[JudgedRating],
    evidence: &Evidence,
) -> Vec<StandardEvidence> {
    let mut all = rows(fw, evidence);
    let codes = fw.kind(kind).map_or(&[][..], |k| k.standards.as_slice());
    let mut out: Vec<StandardEvidence> = codes
        .iter()
        .filter_map(|code| fw.standard(code))
        .filter(|s| s.basis == Basis::Judged)
        .map(|s| {
            let given = judged.iter().find(|j| j.standard == s.code);
            StandardEvidence {
                code: s.code.clone(),
                name: s.name.clone(),
                rating: given
                    .and_then(|j| fw.rating(&j.rating))
                    .map_or("not yet rated".into(), |r| r.label.clone()),
                rationale: given.and_then(|j| j.rationale.clone()).unwrap_or_default(),
                rows: Vec::new(),
            }
        })
        .collect();
    all.retain(|(standard, row)| {
        match out
            .iter_mut()
            .find(|s| standard.as_deref() == Some(s.code.as_str()))
        {
            Some(s) => {
                s.rows.push(row.clone());
                false
            }
            None => true,
        }
    });
    if !all.is_empty() {
        out.push(StandardEvidence {
            code: "other".into(),
            name: "Filed against no judged standard".into(),
            rating: String::new(),
            rationale: String::new(),
            rows: all.into_iter().map(|(_, r)| r).collect(),
        });
    }
    out
}
