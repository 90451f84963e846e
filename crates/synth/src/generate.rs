//! Deterministic synthetic cases: given an instrument, how many cases (and their mix of sentence
//! types, Probation Reset and oversight) and, per question, the Yes and relevant counts wanted, builds
//! a case set with exactly those counts. Answers are correlated through a per-case "quality" so the
//! data looks like real casework (a case done well tends to be done well throughout).
//!
//! Used by the demo, the benchmarks (`cargo xtask bench`), the crash tests and the acceptance
//! fixtures. Same inputs and seed → same cases, byte for byte.

use std::collections::BTreeMap;

use casework_core::case::{CaseRecord, CaseSet, Oversight, SentenceType};
use casework_core::framework::{Attribute, Framework, Instrument, QuestionKind};
use casework_core::subgroup::Subgroup;
use casework_core::{Answer, Inspection, StandardsSet};

use crate::choose::choose;

/// SplitMix64: tiny, fast, and stable across platforms and releases, which a seeded generator
/// whose output is committed needs more than statistical polish.
#[derive(Debug, Clone)]
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in [0, 1).
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    pub fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next_u64() % n }
    }

    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = self.below(i as u64 + 1) as usize;
            items.swap(i, j);
        }
    }
}

/// Wanted counts for one question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Target {
    pub yes: u64,
    pub relevant: u64,
}

/// The case mix of one generated set.
#[derive(Debug, Clone, Default)]
pub struct Mix {
    pub cases: usize,
    /// Of `cases`, how many are community sentences (the rest licences), where recorded.
    pub community: usize,
    /// Probation Reset cases, and how many of them are on the adjusted standards.
    pub reset: usize,
    pub adjusted: usize,
    /// Management oversight: (shortfall, needed); the rest of the cases "not required".
    pub oversight: Option<(usize, usize)>,
    /// Declared attributes: (attribute id, [(value id, cases)]); cases beyond the counts given do
    /// not record the attribute.
    pub attributes: Vec<(String, Vec<(String, usize)>)>,
    /// For questions without a target: these Yes and relevant counts, as far as the cases allow,
    /// in place of plausible ones (a PDU's share of its region's figure, rounded down, so the
    /// published PDUs never hold more than the region's pooled total).
    pub shares: BTreeMap<String, Target>,
    /// Case ids are `{prefix}-{n:04}`.
    pub id_prefix: String,
}

/// What went wrong building a set: the wanted counts cannot be met.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SynthError(pub String);

impl std::fmt::Display for SynthError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for SynthError {}

/// Builds the case records (attributes only) for a mix.
fn records(instrument: &Instrument, mix: &Mix, rng: &mut Rng) -> Vec<CaseRecord> {
    let has = |a| instrument.attributes.contains(&a);
    let mut sentence: Vec<Option<SentenceType>> = (0..mix.cases)
        .map(|i| {
            has(Attribute::Sentence).then_some(if i < mix.community {
                SentenceType::Community
            } else {
                SentenceType::Licence
            })
        })
        .collect();
    rng.shuffle(&mut sentence);
    let mut reset: Vec<Option<u32>> = (0..mix.cases)
        .map(|i| {
            if !has(Attribute::ProbationReset) || i >= mix.reset {
                None
            } else if i < mix.adjusted {
                Some(3 + (i as u32 % 6)) // 3..=8 weeks: adjusted standards
            } else {
                Some(9 + (i as u32 % 12)) // 9..=20 weeks: proportionate
            }
        })
        .collect();
    rng.shuffle(&mut reset);
    let mut oversight: Vec<Option<Oversight>> = (0..mix.cases)
        .map(|i| {
            if !has(Attribute::ManagementOversight) {
                return None;
            }
            let (shortfall, needed) = mix.oversight.unwrap_or((mix.cases / 2, mix.cases));
            Some(if i < shortfall {
                [
                    Oversight::Insufficient,
                    Oversight::Absent,
                    Oversight::Ineffective,
                ][i % 3]
            } else if i < needed {
                Oversight::Sufficient
            } else {
                Oversight::NotRequired
            })
        })
        .collect();
    rng.shuffle(&mut oversight);
    let mut records: Vec<CaseRecord> = (0..mix.cases)
        .map(|i| CaseRecord {
            id: format!("{}-{:04}", mix.id_prefix, i + 1),
            sentence: sentence[i],
            reset_weeks: reset[i],
            oversight: oversight[i],
            attributes: BTreeMap::new(),
            notes: None,
            ..CaseRecord::default()
        })
        .collect();
    // Attributes draw from a generator of their own, so adding them leaves every other draw, and
    // so every answer, as it was.
    let mut rng = Rng(rng.0 ^ 0x5EED_A771_B075_0000);
    for (attribute, counts) in &mix.attributes {
        let mut values: Vec<Option<&String>> = counts
            .iter()
            .flat_map(|(value, n)| std::iter::repeat_n(Some(value), *n))
            .chain(std::iter::repeat(None))
            .take(mix.cases)
            .collect();
        rng.shuffle(&mut values);
        for (record, value) in records.iter_mut().zip(values) {
            if let Some(value) = value {
                record.attributes.insert(attribute.clone(), value.clone());
            }
        }
    }
    records
}

/// Builds a case set meeting every target exactly. Questions without a target get plausible
/// answers: key questions around 55% Yes, prompts following their key question.
pub fn generate(
    fw: &Framework,
    instrument: &Instrument,
    mix: &Mix,
    targets: &BTreeMap<String, Target>,
    seed: u64,
) -> Result<CaseSet, SynthError> {
    generate_within(fw, instrument, mix, targets, &BTreeMap::new(), seed)
}

/// Wanted counts of one question within subgroups of cases, besides its whole-set [`Target`].
pub type SubgroupTargets = BTreeMap<String, Vec<(Subgroup, Target)>>;

/// Draws of the case attributes tried before [`generate_within`] gives up.
const ATTEMPTS: u64 = 32;

/// As [`generate`], also meeting, per question, the Yes and relevant counts wanted within
/// subgroups of cases ("4 out of the 18 cases managed by PSOs"). Subgroups may overlap; the
/// cases are chosen by a local search ([`crate::choose`]). Attributes are drawn at random, so a
/// draw can leave a subgroup's counts unreachable (all 18 cases of a subgroup relevant to a
/// prompt not asked under the adjusted standards, and one of them drawn adjusted): then the
/// next seed in a fixed sequence draws again, up to [`ATTEMPTS`] times, and the error names the
/// question whose counts no draw met. Deterministic: the same inputs give the same set.
pub fn generate_within(
    fw: &Framework,
    instrument: &Instrument,
    mix: &Mix,
    targets: &BTreeMap<String, Target>,
    subgroup_targets: &SubgroupTargets,
    seed: u64,
) -> Result<CaseSet, SynthError> {
    let mut last = None;
    for attempt in 0..ATTEMPTS {
        let seed = seed.wrapping_add(attempt.wrapping_mul(0x9E37_79B9));
        match draw(fw, instrument, mix, targets, subgroup_targets, seed) {
            Ok(set) => return Ok(set),
            Err(e) if subgroup_targets.is_empty() => return Err(e),
            Err(e) => last = Some(e),
        }
    }
    Err(last.expect("at least one attempt"))
}

/// One attempt of [`generate_within`] with one seed.
fn draw(
    fw: &Framework,
    instrument: &Instrument,
    mix: &Mix,
    targets: &BTreeMap<String, Target>,
    subgroup_targets: &SubgroupTargets,
    seed: u64,
) -> Result<CaseSet, SynthError> {
    let mut rng = Rng::new(seed);
    let cases = records(instrument, mix, &mut rng);
    let n = cases.len();
    let width = instrument.questions.len();
    let weeks = fw.rules.reset_adjusted_max_weeks;
    // A per-case quality drives every answer, with per-question noise.
    let quality: Vec<f64> = (0..n).map(|_| rng.unit()).collect();
    let mut table = vec![Answer::Unanswered; n * width];

    for (qi, q) in instrument.questions.iter().enumerate() {
        let applicable: Vec<usize> = (0..n)
            .filter(|&c| q.applies.holds(&cases[c], weeks))
            .collect();
        let parent = q
            .parent
            .as_ref()
            .and_then(|p| instrument.questions.iter().position(|x| &x.id == p));
        let within = subgroup_targets
            .get(&q.id)
            .map(Vec::as_slice)
            .unwrap_or(&[]);
        let target = match targets.get(&q.id) {
            Some(t) => *t,
            None => {
                let mut plausible = default_target(q.kind, q.allow_na, applicable.len(), &mut rng);
                if let Some(share) = mix.shares.get(&q.id) {
                    plausible.relevant = share.relevant.min(applicable.len() as u64);
                    plausible.yes = share.yes.min(plausible.relevant);
                }
                room_for(plausible, within, applicable.len() as u64)
            }
        };
        if target.yes > target.relevant {
            return Err(SynthError(format!(
                "{}: {} Yes is more than {} relevant",
                q.id, target.yes, target.relevant
            )));
        }
        if target.relevant as usize > applicable.len() {
            return Err(SynthError(format!(
                "{}: {} relevant cases wanted but only {} cases it applies to",
                q.id,
                target.relevant,
                applicable.len()
            )));
        }
        if !q.allow_na
            && q.kind == QuestionKind::Key
            && target.relevant as usize != applicable.len()
        {
            return Err(SynthError(format!(
                "{}: key question without Not applicable must be relevant in all {} cases it applies to, not {}",
                q.id,
                applicable.len(),
                target.relevant
            )));
        }
        // Which applicable cases are relevant: prefer, for a prompt, cases where its key question
        // was relevant; otherwise at random.
        let mut order: Vec<(f64, usize)> = applicable
            .iter()
            .map(|&c| {
                let boost = match parent {
                    Some(p) if matches!(table[c * width + p], Answer::Yes | Answer::No) => 1.0,
                    _ => 0.0,
                };
                (boost + rng.unit(), c)
            })
            .collect();
        order.sort_by(|a, b| b.0.total_cmp(&a.0));
        let member =
            |g: &Subgroup| -> Vec<bool> { cases.iter().map(|c| g.contains(c, weeks)).collect() };
        let groups: Vec<(Vec<bool>, Target)> =
            within.iter().map(|(g, t)| (member(g), *t)).collect();
        // Which applicable cases are relevant, and which of those are Yes: the best-ranked that
        // also meet the subgroups' counts.
        let pick = |ranked: &[usize], total: u64, count: fn(&Target) -> u64, what: &str| {
            let wanted: Vec<(&[bool], usize)> = groups
                .iter()
                .map(|(m, t)| (m.as_slice(), count(t) as usize))
                .collect();
            choose(ranked, total as usize, &wanted).ok_or_else(|| {
                SynthError(format!(
                    "{}: no choice of {total} {what} meets the subgroup counts {}",
                    q.id,
                    describe(within)
                ))
            })
        };
        let ranked: Vec<usize> = order.iter().map(|&(_, c)| c).collect();
        let relevant = pick(&ranked, target.relevant, |t| t.relevant, "relevant cases")?;
        // Which relevant cases are Yes: the best by quality (plus noise, plus the key question's own
        // answer for a prompt).
        let mut by_quality: Vec<(f64, usize)> = relevant
            .iter()
            .map(|&c| {
                let parent_yes = match parent {
                    Some(p) if table[c * width + p] == Answer::Yes => 0.6,
                    _ => 0.0,
                };
                (quality[c] + parent_yes + 0.35 * rng.unit(), c)
            })
            .collect();
        by_quality.sort_by(|a, b| b.0.total_cmp(&a.0));
        let ranked: Vec<usize> = by_quality.iter().map(|&(_, c)| c).collect();
        let yes = pick(
            &ranked,
            target.yes,
            |t| t.yes,
            "Yes among the relevant cases",
        )?;
        for &c in &relevant {
            table[c * width + qi] = Answer::No;
        }
        for &c in &yes {
            table[c * width + qi] = Answer::Yes;
        }
        if q.allow_na {
            for &c in &applicable {
                if table[c * width + qi] == Answer::Unanswered {
                    table[c * width + qi] = Answer::NotApplicable;
                }
            }
        }
    }

    let mut set = CaseSet::with_capacity(instrument, n);
    for (c, case) in cases.into_iter().enumerate() {
        set.push(case, &table[c * width..(c + 1) * width]);
    }
    Ok(set)
}

/// A plausible whole-set target widened to hold its subgroups' counts, as if the subgroups were
/// disjoint (the reports' are: grades, the standards sets), within the `applicable` cases.
fn room_for(plausible: Target, within: &[(Subgroup, Target)], applicable: u64) -> Target {
    if within.is_empty() {
        return plausible;
    }
    let relevant_in: u64 = within.iter().map(|(_, t)| t.relevant).sum();
    let yes_in: u64 = within.iter().map(|(_, t)| t.yes).sum();
    let relevant = plausible.relevant.max(relevant_in).min(applicable);
    let yes = plausible
        .yes
        .clamp(yes_in, yes_in + relevant.saturating_sub(relevant_in))
        .min(relevant);
    Target { yes, relevant }
}

/// Subgroup targets in words, for errors.
fn describe(within: &[(Subgroup, Target)]) -> String {
    within
        .iter()
        .map(|(g, t)| format!("[{g}: {} Yes of {} relevant]", t.yes, t.relevant))
        .collect::<Vec<_>>()
        .join(", ")
}

fn default_target(kind: QuestionKind, allow_na: bool, applicable: usize, rng: &mut Rng) -> Target {
    let relevant = match (kind, allow_na) {
        (QuestionKind::Key, false) => applicable,
        (_, true) => applicable - applicable / (4 + rng.below(4) as usize),
        (QuestionKind::Prompt, false) => applicable,
    } as u64;
    let share = match kind {
        QuestionKind::Key => 0.40 + 0.35 * rng.unit(),
        QuestionKind::Prompt => 0.35 + 0.45 * rng.unit(),
    };
    Target {
        yes: (relevant as f64 * share).round() as u64,
        relevant,
    }
}

/// A new inspection pinned to `fw`'s id and version, with judged ratings as (code, rating id).
pub fn inspection(
    fw: &Framework,
    kind: &str,
    unit: impl Into<String>,
    judged: &[(&str, &str)],
) -> Inspection {
    Inspection {
        framework: fw.id.clone(),
        framework_version: Some(fw.version.clone()),
        kind: kind.to_string(),
        unit: unit.into(),
        judged: judged
            .iter()
            .map(|(code, rating)| (code.to_string(), rating.to_string()))
            .collect(),
        ..Default::default()
    }
}

/// Splits a set's cases into `parts` consecutive sets of near-equal size (for synthetic PDUs).
pub fn split(instrument: &Instrument, set: &CaseSet, parts: usize) -> Vec<CaseSet> {
    let n = set.len();
    let parts = parts.max(1);
    (0..parts)
        .map(|p| {
            let (lo, hi) = (n * p / parts, n * (p + 1) / parts);
            let mut out = CaseSet::with_capacity(instrument, hi - lo);
            for c in lo..hi {
                out.push(set.cases()[c].clone(), set.answers(c));
            }
            out
        })
        .collect()
}

/// The standards set of every case, for sample checks.
pub fn standards_sets(fw: &Framework, set: &CaseSet) -> Vec<StandardsSet> {
    set.cases()
        .iter()
        .map(|c| c.standards_set(fw.rules.reset_adjusted_max_weeks))
        .collect()
}
