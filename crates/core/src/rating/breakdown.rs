//! Breakdowns: a question's answers counted within subgroups of cases ("assessments by probation
//! officers" against "by probation service officers"). The counting is the rating's own (Yes and
//! No are relevant; Not applicable and unanswered are not), over the same cases the inspection's
//! figures pool: its own and, for a region, its PDU inspections'.

use serde::{Deserialize, Serialize};

use crate::answer::Answer;
use crate::framework::{Framework, QuestionKind};
use crate::inspection::Inspection;
use crate::subgroup::Subgroup;

use super::tally::Counts;

/// Answer counts of question `question` among the cases of `subgroup`, pooled over `inspection`
/// and its units. `None` if the framework has no such question. Source: the rating's count
/// (METHODOLOGY.md, "percentage Yes of relevant cases").
pub fn count(
    fw: &Framework,
    inspection: &Inspection,
    question: &str,
    subgroup: &Subgroup,
) -> Option<Counts> {
    let r = fw.question_ref(question)?;
    let instrument = &fw.instruments[r.instrument];
    let weeks = fw.rules.reset_adjusted_max_weeks;
    let mut counts = Counts::default();
    for set in pooled(inspection).filter_map(|i| i.cases_for(&instrument.id)) {
        for (case, answers) in set.rows() {
            if !subgroup.contains(case, weeks) {
                continue;
            }
            match answers[r.question] {
                Answer::Yes => counts.yes += 1,
                Answer::No => counts.no += 1,
                Answer::NotApplicable => counts.not_applicable += 1,
                Answer::Unanswered => counts.unanswered += 1,
            }
        }
    }
    Some(counts)
}

/// How many cases of `instrument` are in `subgroup`, pooled as [`count`].
pub fn cases_in(
    fw: &Framework,
    inspection: &Inspection,
    instrument: &str,
    subgroup: &Subgroup,
) -> u64 {
    let weeks = fw.rules.reset_adjusted_max_weeks;
    pooled(inspection)
        .filter_map(|i| i.cases_for(instrument))
        .flat_map(|s| s.cases())
        .filter(|c| subgroup.contains(c, weeks))
        .count() as u64
}

fn pooled(inspection: &Inspection) -> impl Iterator<Item = &Inspection> {
    std::iter::once(inspection).chain(inspection.units.iter())
}

/// One value of the attribute broken down by, with its case count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakdownGroup {
    /// The value id (`pso`), or `not-recorded` for cases without one.
    pub value: String,
    pub label: String,
    pub cases: u64,
}

/// One question's counts in each group, in the order of [`Breakdown::groups`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BreakdownRow {
    pub question: String,
    /// `key` or `prompt`.
    pub kind: String,
    pub text: String,
    /// (Yes, relevant) per group. A percentage of a handful is not printed alone: renderers show
    /// the counts beside it (see [`SMALL_GROUP`]).
    pub cells: Vec<(u64, u64)>,
}

/// Groups with fewer relevant cases than this are shown as counts, with no bare percentage
/// ("4 out of 18" rather than "22%"). [inferred: the reports print counts for groups of 18 and
/// 43 cases, percentages only over whole samples.]
pub const SMALL_GROUP: u64 = 20;

/// One breakdown cell as every renderer shows it: "4 out of 18" for a group under
/// [`SMALL_GROUP`] relevant cases, "16 out of 43 (37%)" otherwise, "none relevant" for none.
pub fn shown(yes: u64, relevant: u64) -> String {
    match relevant {
        0 => "none relevant".to_string(),
        r if r < SMALL_GROUP => format!("{yes} out of {r}"),
        r => format!(
            "{yes} out of {r} ({}%)",
            crate::framework::printed_percent(yes, r)
        ),
    }
}

/// Every instrument's questions broken down by each declared attribute its cases record: what
/// [`crate::rate`] puts in `Ratings::breakdowns`. One pass finds whether any case records any
/// attribute, so data without attributes costs a scan and nothing more.
pub fn recorded(fw: &Framework, inspection: &Inspection) -> Vec<Breakdown> {
    let mut out = Vec::new();
    for instrument in &fw.instruments {
        let sets: Vec<_> = pooled(inspection)
            .filter_map(|i| i.cases_for(&instrument.id))
            .collect();
        if !sets
            .iter()
            .any(|s| s.cases().iter().any(|c| !c.attributes.is_empty()))
        {
            continue;
        }
        for attribute in fw.attributes_of(&instrument.id) {
            let records = |s: &&crate::case::CaseSet| {
                s.cases()
                    .iter()
                    .any(|c| c.attributes.contains_key(&attribute.id))
            };
            if sets.iter().any(records)
                && let Ok(b) = breakdown(fw, inspection, &attribute.id, Some(&instrument.id))
            {
                out.push(b);
            }
        }
    }
    out
}

/// Every question of one instrument broken down by one declared attribute.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Breakdown {
    pub instrument: String,
    pub attribute: String,
    pub label: String,
    pub groups: Vec<BreakdownGroup>,
    pub rows: Vec<BreakdownRow>,
}

/// The breakdown of `instrument`'s questions (the primary instrument where `None`) by the
/// declared attribute `attribute`. `Err` names an attribute the framework does not declare for
/// that instrument, with those it does.
pub fn breakdown(
    fw: &Framework,
    inspection: &Inspection,
    attribute: &str,
    instrument: Option<&str>,
) -> Result<Breakdown, String> {
    // Over complete cases only, as the ratings are.
    let complete = inspection.complete_only();
    let inspection = &*complete;
    let instrument = match instrument {
        Some(id) => fw
            .instrument(id)
            .ok_or_else(|| format!("unknown instrument '{id}'"))?,
        None => fw.primary_instrument(),
    };
    let attr = fw
        .attributes_of(&instrument.id)
        .find(|a| a.id == attribute)
        .ok_or_else(|| {
            let known: Vec<&str> = fw
                .attributes_of(&instrument.id)
                .map(|a| a.id.as_str())
                .collect();
            format!(
                "'{attribute}' is not an attribute instrument '{}' records; allowed: {}",
                instrument.id,
                if known.is_empty() {
                    "none".to_string()
                } else {
                    known.join(", ")
                }
            )
        })?;
    let mut groups: Vec<(String, String, Option<&str>)> = attr
        .values
        .iter()
        .map(|v| (v.id.clone(), v.label.clone(), Some(v.id.as_str())))
        .collect();
    groups.push(("not-recorded".into(), "Not recorded".into(), None));
    let width = instrument.questions.len();
    let mut cells = vec![vec![(0u64, 0u64); groups.len()]; width];
    let mut cases = vec![0u64; groups.len()];
    for set in pooled(inspection).filter_map(|i| i.cases_for(&instrument.id)) {
        for (case, answers) in set.rows() {
            let value = case.attributes.get(attribute).map(String::as_str);
            let g = groups
                .iter()
                .position(|(_, _, v)| *v == value)
                .unwrap_or(groups.len() - 1);
            cases[g] += 1;
            for (qi, a) in answers.iter().enumerate() {
                match a {
                    Answer::Yes => {
                        cells[qi][g].0 += 1;
                        cells[qi][g].1 += 1;
                    }
                    Answer::No => cells[qi][g].1 += 1,
                    _ => {}
                }
            }
        }
    }
    // The "not recorded" group is kept only where some case lacks the attribute.
    let keep: Vec<bool> = (0..groups.len())
        .map(|g| g + 1 < groups.len() || cases[g] > 0)
        .collect();
    let pick = |row: &[(u64, u64)]| -> Vec<(u64, u64)> {
        row.iter()
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(c, _)| *c)
            .collect()
    };
    Ok(Breakdown {
        instrument: instrument.id.clone(),
        attribute: attr.id.clone(),
        label: attr.label.clone(),
        groups: groups
            .iter()
            .zip(&cases)
            .zip(&keep)
            .filter(|(_, k)| **k)
            .map(|(((value, label, _), n), _)| BreakdownGroup {
                value: value.clone(),
                label: label.clone(),
                cases: *n,
            })
            .collect(),
        rows: instrument
            .questions
            .iter()
            .enumerate()
            .map(|(qi, q)| BreakdownRow {
                question: q.id.clone(),
                kind: match q.kind {
                    QuestionKind::Key => "key",
                    QuestionKind::Prompt => "prompt",
                }
                .to_string(),
                text: q.text.clone(),
                cells: pick(&cells[qi]),
            })
            .collect(),
    })
}
