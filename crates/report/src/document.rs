//! The report as both renderers see it: the engine's ratings and the inspectors' narrative put in
//! the published reports' order (ratings panel, foreword, recommendations, background, each domain's
//! standards, previous recommendations, data annexe). Every number here is copied from [`Ratings`];
//! nothing is computed but wording.

use casework_core::date::{month_year, shown};
use casework_core::rating::{KeyQuestionResult, RatingOut, StandardResult};
use casework_core::{Framework, Ratings};
use serde::Serialize;

use crate::analysis::{BreakdownTable, PromptLine, breakdown_tables, prompt_lines};
use crate::chart;
use crate::colours::colours;
use crate::figures::NO_RELEVANT_CASES;
use crate::narrative::{Block, Narrative, PreviousRecommendation, SECTIONS, STANDARD_PARTS};

/// A rating as shown: words, and a style class whose colour is never the only signal.
#[derive(Debug, Clone, Serialize)]
pub struct RatingView {
    pub id: String,
    pub label: String,
    pub points: u32,
    /// Background and text colours for this rating (see [`colours`]).
    pub fill: &'static str,
    pub ink: &'static str,
}

impl RatingView {
    fn of(r: &RatingOut) -> RatingView {
        let (fill, ink) = colours(&r.id);
        RatingView {
            id: r.id.clone(),
            label: r.label.clone(),
            points: r.points,
            fill,
            ink,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct PanelRow {
    pub code: String,
    pub name: String,
    pub rating: Option<RatingView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct KeyQuestionView {
    pub id: String,
    pub text: String,
    /// "35%", or "no relevant cases".
    pub percent: String,
    pub yes: u64,
    pub relevant: u64,
    /// The lowest key question, which drives the standard's rating: shown in bold.
    pub lowest: bool,
    /// Its prompts' figures, printed beneath the table.
    pub prompts: Vec<PromptLine>,
}

#[derive(Debug, Clone, Serialize)]
pub struct StandardView {
    pub code: String,
    pub name: String,
    pub statement: String,
    pub case_based: bool,
    pub rating: Option<RatingView>,
    /// For a case-based standard: how its rating was reached.
    pub sentence: Option<String>,
    pub key_questions: Vec<KeyQuestionView>,
    /// An SVG bar chart of the key questions (case-based standards of domain two).
    pub chart: Option<String>,
    pub narrative: Vec<Block>,
    /// Its strengths and areas for improvement, where the inspectors wrote them.
    pub parts: Vec<SectionView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct DomainView {
    pub number: u32,
    pub label: String,
    pub standards: Vec<StandardView>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SectionView {
    pub key: String,
    pub heading: String,
    pub blocks: Vec<Block>,
}

#[derive(Debug, Clone, Serialize)]
pub struct SampleRow {
    pub instrument: String,
    pub cases: u64,
    pub community: Option<u64>,
    pub licence: Option<u64>,
    pub probation_reset: Option<u64>,
    pub reset_adjusted: Option<u64>,
}

#[derive(Debug, Clone, Serialize)]
pub struct OversightRow {
    pub instrument: String,
    pub sufficient: u64,
    pub shortfall: u64,
    pub needed: u64,
    pub judged: u64,
    /// Sufficient as a share of every judged case ("28%").
    pub sufficient_percent: String,
    /// Not sufficient as a share of the cases that needed oversight ("71%").
    pub shortfall_percent: String,
    /// Not sufficient as a share of every judged case ("69%").
    pub shortfall_percent_of_judged: String,
}

/// Everything one report shows.
#[derive(Debug, Clone, Serialize)]
pub struct Document {
    pub title: String,
    /// "draft: N cases in progress" when cases were still in progress (`Ratings::in_progress`):
    /// shown on every page, since these ratings leave those cases out.
    pub draft: Option<String>,
    /// The corrections made since first publication, oldest first, each "Corrected on
    /// 30 November 2026 (version 2): the reason"; shown under the title (issue 15: a correction is
    /// a new version with its reason on the report).
    pub corrections: Vec<String>,
    pub unit: String,
    pub region: Option<String>,
    pub kind_label: String,
    /// The month fieldwork started, as the reports' panel prints it ("February 2025").
    pub fieldwork_start: Option<String>,
    /// The day it ended where known ("4 April 2025"), or its month.
    pub fieldwork_end: Option<String>,
    /// Whether the programme rates at all; one that reports figures only (the 2025 dynamic
    /// inspection: `ratings = []`) has no score and no ratings to show.
    pub rated: bool,
    pub score: u32,
    pub max_score: u32,
    pub overall: Option<RatingView>,
    pub panel: Vec<PanelRow>,
    /// Foreword, executive summary, recommendations and background (those with text), before the
    /// domains.
    pub opening: Vec<SectionView>,
    pub domains: Vec<DomainView>,
    /// Diversity and inclusion, feedback, serious further offences, acknowledgements (those with
    /// text), after them.
    pub closing: Vec<SectionView>,
    pub previous: Vec<PreviousRecommendation>,
    pub sample: Vec<SampleRow>,
    pub oversight: Vec<OversightRow>,
    /// Key questions by each case attribute the cases record.
    pub breakdowns: Vec<BreakdownTable>,
    /// How the cases were counted and the ratings worked out, from the framework and the sample.
    pub methodology: Vec<String>,
    pub units: Vec<(String, u64)>,
    pub framework: String,
    /// Quality assurance's annexe, where the inspection has double-marked cases
    /// (`crate::quality::annexe`).
    pub quality: Option<crate::quality::QualityAnnexe>,
    /// Domain one's evidence per judged standard and key question, in the internal report only
    /// (`crate::Report::with_evidence_annexe`; never in a published one).
    pub evidence: Option<Vec<crate::evidence_view::StandardEvidence>>,
}

/// The draft marker for a report made with `in_progress` cases still in progress, if any.
pub fn draft_marker(in_progress: u64) -> Option<String> {
    match in_progress {
        0 => None,
        1 => Some("draft: 1 case in progress".to_string()),
        n => Some(format!("draft: {n} cases in progress")),
    }
}

fn number_word(n: usize) -> String {
    const WORDS: [&str; 11] = [
        "no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    WORDS
        .get(n)
        .map_or_else(|| n.to_string(), |w| w.to_string())
}

/// How a case-based standard's rating was reached, in the reports' form.
pub fn rating_sentence(name: &str, key_questions: usize) -> String {
    if key_questions == 1 {
        format!(
            "Our rating for {name} is based on the percentage of cases we inspected that were judged satisfactory against one key question."
        )
    } else {
        format!(
            "Our rating for {name} is based on the percentage of cases we inspected that were judged satisfactory against {} key questions, and is driven by the lowest score.",
            number_word(key_questions)
        )
    }
}

fn key_question(kq: &KeyQuestionResult, ratings: &Ratings) -> KeyQuestionView {
    KeyQuestionView {
        id: kq.id.clone(),
        text: kq.text.clone(),
        percent: kq
            .percent
            .map_or_else(|| NO_RELEVANT_CASES.to_string(), |p| format!("{p}%")),
        yes: kq.yes,
        relevant: kq.relevant,
        lowest: kq.driving,
        prompts: prompt_lines(ratings, &kq.id),
    }
}

fn standard(
    fw: &Framework,
    s: &StandardResult,
    ratings: &Ratings,
    narrative: &Narrative,
) -> StandardView {
    let case_based = !s.key_questions.is_empty();
    let statement = fw
        .standard(&s.code)
        .map(|d| d.statement.clone())
        .unwrap_or_default();
    StandardView {
        code: s.code.clone(),
        name: s.name.clone(),
        statement,
        case_based,
        rating: s.rating.as_ref().map(RatingView::of),
        sentence: case_based.then(|| rating_sentence(&s.name, s.key_questions.len())),
        key_questions: s
            .key_questions
            .iter()
            .map(|k| key_question(k, ratings))
            .collect(),
        chart: (case_based && s.domain == 2).then(|| chart::key_questions(fw, s)),
        narrative: narrative.sections.get(&s.code).cloned().unwrap_or_default(),
        parts: STANDARD_PARTS
            .iter()
            .filter_map(|(part, heading)| {
                narrative
                    .sections
                    .get(&format!("{}-{part}", s.code))
                    .map(|blocks| SectionView {
                        key: format!("{}-{part}", s.code),
                        heading: heading.to_string(),
                        blocks: blocks.clone(),
                    })
            })
            .collect(),
    }
}

fn sections(narrative: &Narrative, keys: &[&str]) -> Vec<SectionView> {
    SECTIONS
        .iter()
        .filter(|(key, _)| keys.contains(key))
        .filter_map(|(key, heading)| {
            narrative.sections.get(*key).map(|blocks| SectionView {
                key: key.to_string(),
                heading: heading.to_string(),
                blocks: blocks.clone(),
            })
        })
        .collect()
}

impl Document {
    pub fn new(fw: &Framework, ratings: &Ratings, narrative: &Narrative) -> Document {
        let mut domains: Vec<DomainView> = Vec::new();
        for s in &ratings.standards {
            if domains.last().is_none_or(|d| d.number != s.domain) {
                domains.push(DomainView {
                    number: s.domain,
                    label: fw.domain_label(s.domain).unwrap_or_default().to_string(),
                    standards: Vec::new(),
                });
            }
            if let Some(d) = domains.last_mut() {
                d.standards.push(standard(fw, s, ratings, narrative));
            }
        }
        Document {
            title: format!("An inspection of probation services in {}", ratings.unit),
            draft: draft_marker(ratings.in_progress),
            corrections: Vec::new(),
            quality: None,
            evidence: None,
            unit: ratings.unit.clone(),
            region: ratings.region.clone(),
            kind_label: ratings.kind_label.clone(),
            fieldwork_start: ratings
                .fieldwork_start
                .as_deref()
                .map(|d| month_year(d).unwrap_or_else(|| d.to_string())),
            fieldwork_end: ratings
                .fieldwork_end
                .as_deref()
                .map(|d| shown(d).unwrap_or_else(|| d.to_string())),
            score: ratings.score,
            max_score: ratings.max_score,
            rated: fw.rates(),
            overall: ratings.overall.as_ref().map(RatingView::of),
            panel: ratings
                .standards
                .iter()
                .map(|s| PanelRow {
                    code: s.code.clone(),
                    name: s.name.clone(),
                    rating: s.rating.as_ref().map(RatingView::of),
                })
                .collect(),
            opening: sections(
                narrative,
                &[
                    "foreword",
                    "executive-summary",
                    "recommendations",
                    "background",
                ],
            ),
            domains,
            closing: sections(
                narrative,
                &[
                    "diversity",
                    "feedback",
                    "serious-further-offences",
                    "acknowledgements",
                ],
            ),
            previous: narrative.previous.clone(),
            sample: ratings
                .sample
                .iter()
                .map(|s| SampleRow {
                    instrument: s.label.clone(),
                    cases: s.cases,
                    community: s.community,
                    licence: s.licence,
                    probation_reset: s.probation_reset,
                    reset_adjusted: s.reset_adjusted,
                })
                .collect(),
            oversight: ratings
                .oversight
                .iter()
                .map(|o| OversightRow {
                    instrument: fw
                        .instrument(&o.instrument)
                        .map_or_else(|| o.instrument.clone(), |i| i.label.clone()),
                    sufficient: o.sufficient,
                    shortfall: o.shortfall,
                    needed: o.needed,
                    judged: o.judged,
                    sufficient_percent: shown_percent(o.sufficient_percent_of_judged),
                    shortfall_percent: shown_percent(o.shortfall_percent_of_needed),
                    shortfall_percent_of_judged: shown_percent(o.shortfall_percent_of_judged),
                })
                .collect(),
            breakdowns: breakdown_tables(fw, ratings),
            methodology: crate::methodology::paragraphs(fw, ratings),
            units: ratings
                .units
                .iter()
                .map(|u| (u.unit.clone(), u.cases))
                .collect(),
            framework: format!(
                "{} version {} ({})",
                ratings.framework.id, ratings.framework.version, ratings.framework.content_hash
            ),
        }
    }
}

/// A whole percentage as shown, or the words for no relevant cases.
fn shown_percent(percent: Option<u32>) -> String {
    percent.map_or_else(|| NO_RELEVANT_CASES.to_string(), |p| format!("{p}%"))
}
