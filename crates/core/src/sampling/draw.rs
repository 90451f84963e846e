//! The draw: from a caseload extract and a specification, the eligible population (windows and
//! exclusions), its strata, the sample size (Cochran with the finite population correction, or
//! fixed) and each stratum's allotment, then a stratified random sample without replacement with
//! reserves in order, from a recorded seed; and the next reserve that replaces an excluded case.
//!
//! The algorithm is fixed and named ([`ALGORITHM`]) so that the same extract, specification and
//! seed draw the same cases on any machine and in any later version: each stratum's eligible
//! cases are ordered by case reference (so the extract's row order does not matter); the strata
//! are taken in order of their key (the `strata.by` values, compared as text); one ChaCha8
//! generator (`rand_chacha::ChaCha8Rng::seed_from_u64(seed)`) serves them in that order, and in
//! each `rand::seq::index::sample` (rand 0.9, fully shuffled) picks allotment + reserves
//! positions: the first `allotted` are drawn, the rest are the reserves in order. A committed
//! expected draw in the tests guards it.
//!
//! Allocation ([`super::spec::Allocation::Proportional`]): stratum h of N_h eligible cases gets
//! ⌊n·N_h/N⌋, and the cases left over go one each to the largest remainders (n·N_h mod N), ties
//! to the earlier key (Hamilton's largest remainder method).

use std::collections::HashMap;

use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use serde::Serialize;

use super::codes::Column;
use super::extract::{Caseload, Field, field_of};
use super::size;
use super::spec::SampleSpec;
use crate::framework::Framework;

/// The draw's algorithm, recorded with every draw.
pub const ALGORITHM: &str = "casework-stratified-v1 (ChaCha8Rng::seed_from_u64, rand 0.9 seq::index::sample per stratum in key order, cases by reference)";

/// Who is eligible: the population's case indices (into the caseload), and how many were left
/// out and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Eligibility {
    #[serde(skip)]
    pub eligible: Vec<usize>,
    /// Cases whose start date lies outside every window.
    pub outside_windows: u64,
    /// `(reason, cases)` per exclusion of the specification, in its order.
    pub excluded: Vec<(String, u64)>,
}

/// The population's cases eligible under `spec`: start date in a window (any, when none is
/// given), then not excluded (the first exclusion that matches counts the case).
pub fn eligibility(fw: &Framework, spec: &SampleSpec, caseload: &Caseload) -> Eligibility {
    let windows: Vec<(u32, u32)> = spec.windows.iter().map(|w| w.days()).collect();
    let instrument = spec.instrument_id(fw);
    // Each exclusion as its field's column and, per code, whether the exclusion names it.
    let exclusions: Vec<(Column, Vec<bool>)> = spec
        .exclude
        .iter()
        .filter_map(|x| {
            let field = field_of(fw, instrument, &x.field).ok()?;
            let column = Column::new(fw, caseload, field);
            let named = (0..column.cardinality() as u32)
                .map(|code| {
                    x.values
                        .iter()
                        .any(|v| matches(fw, field, v, column.text(code)))
                })
                .collect();
            Some((column, named))
        })
        .collect();
    let mut out = Eligibility {
        eligible: Vec::new(),
        outside_windows: 0,
        excluded: spec.exclude.iter().map(|x| (x.reason.clone(), 0)).collect(),
    };
    for (i, case) in caseload.cases.iter().enumerate() {
        if !windows.is_empty()
            && !windows
                .iter()
                .any(|&(a, b)| a <= case.start && case.start <= b)
        {
            out.outside_windows += 1;
            continue;
        }
        let hit = exclusions
            .iter()
            .position(|(column, named)| column.code(i).is_some_and(|code| named[code as usize]));
        match hit {
            Some(x) => out.excluded[x].1 += 1,
            None => out.eligible.push(i),
        }
    }
    out
}

/// Whether a specification's value (any accepted spelling) names the case's value id.
fn matches(fw: &Framework, field: Field, spec_value: &str, case_value: &str) -> bool {
    match field {
        Field::Sentence => {
            super::extract::ExtractSentence::parse(spec_value).is_some_and(|s| s.id() == case_value)
        }
        Field::Pdu => spec_value.trim().eq_ignore_ascii_case(case_value),
        Field::Attribute(i) => fw.attributes[i]
            .parse(spec_value)
            .is_ok_and(|v| v == Some(case_value)),
    }
}

/// One stratum: its key (one value per `strata.by` field; "not recorded" where blank), its
/// eligible cases ordered by reference, and the cases it is allotted.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Stratum {
    pub key: Vec<String>,
    #[serde(skip)]
    pub cases: Vec<usize>,
    /// Eligible cases in the stratum (`cases.len()`).
    pub population: u64,
    pub allotted: u64,
}

/// The plan before a draw: population, size, the margin it gives, the strata and allotments.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Plan {
    pub eligibility: Eligibility,
    /// Eligible cases (N).
    pub population: u64,
    /// Cases to draw (n): the fixed size, or Cochran's, at most N.
    pub size: u64,
    /// Cochran's size for the specification's confidence and margin (`None` for no population).
    pub computed_size: Option<u64>,
    /// The margin of error (a fraction) `size` gives at the specification's confidence.
    pub margin: Option<f64>,
    pub confidence: f64,
    pub strata: Vec<Stratum>,
    pub reserves_per_stratum: u64,
}

/// Why a plan cannot be made.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PlanError {
    #[error(
        "no case of the extract is eligible ({outside} outside the windows, {excluded} excluded)"
    )]
    NoneEligible { outside: u64, excluded: u64 },
}

/// Plans the sample of `caseload` under `spec`.
pub fn plan(fw: &Framework, spec: &SampleSpec, caseload: &Caseload) -> Result<Plan, PlanError> {
    let eligibility = eligibility(fw, spec, caseload);
    let population = eligibility.eligible.len() as u64;
    if population == 0 {
        return Err(PlanError::NoneEligible {
            outside: eligibility.outside_windows,
            excluded: eligibility.excluded.iter().map(|(_, n)| n).sum(),
        });
    }
    let rule = spec.size;
    let computed_size = size::cochran(population, rule.confidence, rule.margin, rule.proportion);
    let size = rule
        .fixed
        .or(computed_size)
        .unwrap_or(population)
        .min(population);
    let mut strata = strata(fw, spec, caseload, &eligibility.eligible);
    allot(&mut strata, size, population);
    Ok(Plan {
        margin: size::margin(population, size, rule.confidence, rule.proportion),
        eligibility,
        population,
        size,
        computed_size,
        confidence: rule.confidence,
        strata,
        reserves_per_stratum: spec.reserves.per_stratum,
    })
}

/// A blank value's place in a stratum's key.
const NOT_RECORDED: &str = "not recorded";

/// The eligible cases grouped by the strata fields, strata in key order, cases by reference.
/// Each case's key is its fields' ranks ([`Column::ranks`]), so keys compare as their texts do
/// without a string per case; taking the cases in reference order leaves each stratum's in it.
fn strata(
    fw: &Framework,
    spec: &SampleSpec,
    caseload: &Caseload,
    eligible: &[usize],
) -> Vec<Stratum> {
    let columns: Vec<(Column, Vec<u32>)> = spec
        .strata_fields(fw)
        .into_iter()
        .map(|f| {
            let column = Column::new(fw, caseload, f);
            let ranks = column.ranks(NOT_RECORDED);
            (column, ranks)
        })
        .collect();
    let mut is_eligible = vec![false; caseload.cases.len()];
    for &i in eligible {
        is_eligible[i] = true;
    }
    // Strata as first met: their rank keys, one case's index (for the key's text) and cases.
    let mut index: HashMap<Vec<u32>, usize> = HashMap::new();
    let mut found: Vec<(Vec<u32>, usize, Vec<usize>)> = Vec::new();
    let mut key = Vec::with_capacity(columns.len());
    for &i in caseload.by_reference() {
        let i = i as usize;
        if !is_eligible[i] {
            continue;
        }
        key.clear();
        key.extend(columns.iter().map(|(column, ranks)| {
            ranks[column.code(i).map_or(column.cardinality(), |c| c as usize)]
        }));
        match index.get(key.as_slice()) {
            Some(&h) => found[h].2.push(i),
            None => {
                index.insert(key.clone(), found.len());
                found.push((key.clone(), i, vec![i]));
            }
        }
    }
    found.sort_by(|a, b| a.0.cmp(&b.0));
    found
        .into_iter()
        .map(|(_, first, cases)| Stratum {
            key: columns
                .iter()
                .map(|(column, _)| {
                    column
                        .code(first)
                        .map_or(NOT_RECORDED, |c| column.text(c))
                        .to_string()
                })
                .collect(),
            population: cases.len() as u64,
            cases,
            allotted: 0,
        })
        .collect()
}

/// Proportional allocation by largest remainder (see the module).
fn allot(strata: &mut [Stratum], size: u64, population: u64) {
    let mut remainders: Vec<(u64, usize)> = Vec::new();
    let mut given = 0;
    for (h, s) in strata.iter_mut().enumerate() {
        let share = u128::from(size) * s.cases.len() as u128;
        s.allotted = (share / u128::from(population)) as u64;
        given += s.allotted;
        remainders.push(((share % u128::from(population)) as u64, h));
    }
    remainders.sort_by(|(ra, ha), (rb, hb)| rb.cmp(ra).then(ha.cmp(hb)));
    for &(_, h) in remainders.iter().take((size - given) as usize) {
        strata[h].allotted += 1;
    }
}

/// Whether a case was drawn for the sample or as a reserve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    Drawn,
    Reserve,
}

/// One case of a draw: its index in the caseload, its stratum (index into `Plan::strata`), its
/// role and its order within the stratum's drawn cases or reserves (1-based).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct DrawnCase {
    pub case: usize,
    pub stratum: usize,
    pub role: Role,
    pub order: u64,
}

/// Draws the sample of `plan` from `seed`: every stratum's drawn cases then its reserves, strata
/// in key order.
pub fn draw(plan: &Plan, seed: u64) -> Vec<DrawnCase> {
    let mut rng = ChaCha8Rng::seed_from_u64(seed);
    let mut out = Vec::new();
    for (h, stratum) in plan.strata.iter().enumerate() {
        let wanted = (stratum.allotted + plan.reserves_per_stratum).min(stratum.cases.len() as u64);
        if wanted == 0 {
            continue;
        }
        let picks = rand::seq::index::sample(&mut rng, stratum.cases.len(), wanted as usize);
        for (k, position) in picks.into_iter().enumerate() {
            let k = k as u64;
            let (role, order) = if k < stratum.allotted {
                (Role::Drawn, k + 1)
            } else {
                (Role::Reserve, k - stratum.allotted + 1)
            };
            out.push(DrawnCase {
                case: stratum.cases[position],
                stratum: h,
                role,
                order,
            });
        }
    }
    out
}

/// Allocates cases to inspectors evenly: the i-th case (in the order given) to inspector
/// i mod k; `None` for each case when there is no inspector.
pub fn allocate(cases: usize, inspectors: &[String]) -> Vec<Option<&str>> {
    (0..cases)
        .map(|i| (!inspectors.is_empty()).then(|| inspectors[i % inspectors.len()].as_str()))
        .collect()
}
