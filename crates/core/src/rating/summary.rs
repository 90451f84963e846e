//! Descriptive figures that are not ratings: the sample's composition per instrument and the
//! management oversight shares, with both denominators named.

use serde::{Deserialize, Serialize};

use crate::case::{Oversight, SentenceType, StandardsSet};
use crate::framework::{Attribute, Framework};
use crate::inspection::Inspection;

/// Cases inspected on one instrument (pooled over the inspection and its units).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct InstrumentSample {
    pub instrument: String,
    pub label: String,
    pub cases: u64,
    /// Present where the instrument records sentence type.
    pub community: Option<u64>,
    pub licence: Option<u64>,
    /// Present where the instrument records Probation Reset.
    pub probation_reset: Option<u64>,
    pub reset_proportionate: Option<u64>,
    pub reset_adjusted: Option<u64>,
}

/// Management oversight on one instrument's cases.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct OversightSummary {
    pub instrument: String,
    pub sufficient: u64,
    pub insufficient: u64,
    pub ineffective: u64,
    pub absent: u64,
    pub not_required: u64,
    pub not_recorded: u64,
    /// Insufficient + ineffective + absent.
    pub shortfall: u64,
    /// Cases where oversight was needed: every judged case except "not required".
    pub needed: u64,
    /// Every case with an oversight judgement recorded.
    pub judged: u64,
    /// shortfall / needed, whole per cent; `None` when no case needed it.
    pub shortfall_percent_of_needed: Option<u32>,
    /// shortfall / judged, whole per cent (the other denominator reports sometimes use).
    pub shortfall_percent_of_judged: Option<u32>,
    /// sufficient / judged, whole per cent: "oversight was sufficient in 28 per cent of cases"
    /// (Leicester, Leicestershire and Rutland, l.223, beside "20 of the 69" and "69%").
    pub sufficient_percent_of_judged: Option<u32>,
}

pub(super) fn sample(fw: &Framework, inspections: &[&Inspection]) -> Vec<InstrumentSample> {
    let weeks = fw.rules.reset_adjusted_max_weeks;
    let mut out = Vec::new();
    for inst in &fw.instruments {
        let sets: Vec<_> = inspections
            .iter()
            .filter_map(|i| i.cases_for(&inst.id))
            .collect();
        let cases: u64 = sets.iter().map(|s| s.len() as u64).sum();
        if cases == 0 {
            continue;
        }
        let records = || sets.iter().flat_map(|s| s.cases());
        let count = |f: &dyn Fn(&crate::case::CaseRecord) -> bool| {
            Some(records().filter(|c| f(c)).count() as u64)
        };
        let has = |a| inst.attributes.contains(&a);
        let (community, licence) = if has(Attribute::Sentence) {
            (
                count(&|c| c.sentence == Some(SentenceType::Community)),
                count(&|c| c.sentence == Some(SentenceType::Licence)),
            )
        } else {
            (None, None)
        };
        let (reset, proportionate, adjusted) = if has(Attribute::ProbationReset) {
            (
                count(&|c| c.reset_weeks.is_some()),
                count(&|c| c.standards_set(weeks) == StandardsSet::Proportionate),
                count(&|c| c.standards_set(weeks) == StandardsSet::Adjusted),
            )
        } else {
            (None, None, None)
        };
        out.push(InstrumentSample {
            instrument: inst.id.clone(),
            label: inst.label.clone(),
            cases,
            community,
            licence,
            probation_reset: reset,
            reset_proportionate: proportionate,
            reset_adjusted: adjusted,
        });
    }
    out
}

fn whole_percent(part: u64, whole: u64) -> Option<u32> {
    (whole > 0).then(|| crate::framework::printed_percent(part, whole))
}

pub(super) fn oversight(fw: &Framework, inspections: &[&Inspection]) -> Vec<OversightSummary> {
    let mut out = Vec::new();
    for inst in &fw.instruments {
        if !inst.attributes.contains(&Attribute::ManagementOversight) {
            continue;
        }
        let mut s = OversightSummary {
            instrument: inst.id.clone(),
            ..Default::default()
        };
        let mut any = false;
        for set in inspections.iter().filter_map(|i| i.cases_for(&inst.id)) {
            for case in set.cases() {
                any = true;
                match case.oversight {
                    None => s.not_recorded += 1,
                    Some(Oversight::Sufficient) => s.sufficient += 1,
                    Some(Oversight::Insufficient) => s.insufficient += 1,
                    Some(Oversight::Ineffective) => s.ineffective += 1,
                    Some(Oversight::Absent) => s.absent += 1,
                    Some(Oversight::NotRequired) => s.not_required += 1,
                }
            }
        }
        if !any {
            continue;
        }
        s.shortfall = s.insufficient + s.ineffective + s.absent;
        s.judged = s.shortfall + s.sufficient + s.not_required;
        s.needed = s.shortfall + s.sufficient;
        s.shortfall_percent_of_needed = whole_percent(s.shortfall, s.needed);
        s.shortfall_percent_of_judged = whole_percent(s.shortfall, s.judged);
        s.sufficient_percent_of_judged = whole_percent(s.sufficient, s.judged);
        out.push(s);
    }
    out
}
