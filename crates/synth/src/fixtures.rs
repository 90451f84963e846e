//! The acceptance fixtures: `tests/fixtures/published.toml` holds the figures published in the five
//! reference reports; [`generate_all`] builds, deterministically, the files of case-level inspection
//! directories whose ratings reproduce them.
//!
//! How: each PDU fixture gets exactly the published sample (size, community/licence, Probation Reset,
//! adjusted) and, per key question and quoted prompt, the chosen Yes/relevant counts, spread over the
//! cases by [`crate::generate`]. A regional fixture lists the published PDU fixtures of its region and
//! adds synthetic "other PDU" inspections holding the rest of the pooled sample: their counts are the
//! regional totals minus what the published PDUs contribute, so the pooled percentages match. The
//! region's own fieldwork instruments (unpaid work, victim contact) sit in the region's directory.

use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;

use casework_core::framework::{Framework, Scope};
use casework_core::rating::tally::tally;
use casework_core::{CaseSet, Inspection};

use casework_core::input::write::inspection_files;

use crate::Files;
use crate::generate::{
    self as synth, Mix, SubgroupTargets, SynthError, Target, generate_within, split,
};
use crate::published::attribute_mix;
pub use crate::published::{
    KeyQuestionSpec, OversightSpec, Published, PublishedInspection, SampleSpec,
};

type Result<T> = std::result::Result<T, SynthError>;

/// A [`SynthError`] from format arguments.
macro_rules! fail {
    ($($arg:tt)*) => { SynthError(format!($($arg)*)) };
}

fn seed_of(parts: &[&str]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in parts.join("/").bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

fn prefix(dir: &str, instrument: &str) -> String {
    let initials: String = dir
        .split('-')
        .filter_map(|w| w.chars().next())
        .collect::<String>()
        .to_uppercase();
    let inst: String = instrument
        .split('-')
        .filter_map(|w| w.chars().next())
        .collect::<String>()
        .to_uppercase();
    format!("{initials}-{inst}")
}

fn base_inspection(fw: &Framework, spec: &PublishedInspection) -> Inspection {
    Inspection {
        region: spec.region.clone(),
        fieldwork_start: Some(spec.fieldwork_start.clone()),
        fieldwork_end: spec.fieldwork_end.clone(),
        judged: spec.judged.clone(),
        ..synth::inspection(fw, &spec.kind, spec.unit.clone(), &[])
    }
}

/// The instruments whose questions are asked of each case set, and the targets among `all`.
fn targets_for(
    fw: &Framework,
    instrument: &str,
    all: &BTreeMap<String, Target>,
) -> BTreeMap<String, Target> {
    let inst = fw.instrument(instrument).expect("built-in instrument");
    inst.questions
        .iter()
        .filter_map(|q| all.get(&q.id).map(|t| (q.id.clone(), *t)))
        .collect()
}

/// The subgroup targets among `all` of the questions of `instrument`.
fn subgroups_for(fw: &Framework, instrument: &str, all: &SubgroupTargets) -> SubgroupTargets {
    all.iter()
        .filter(|(q, _)| fw.question(q).is_some_and(|(i, _)| i.id == instrument))
        .map(|(q, t)| (q.clone(), t.clone()))
        .collect()
}

fn mix_for(spec: &SampleSpec, oversight: Option<(usize, usize)>, id_prefix: String) -> Mix {
    Mix {
        cases: spec.cases,
        community: spec
            .community
            .or_else(|| spec.licence.map(|l| spec.cases - l))
            .unwrap_or(spec.cases / 2),
        reset: spec.reset.unwrap_or(0),
        adjusted: spec.adjusted.unwrap_or(0),
        oversight,
        attributes: attribute_mix(spec),
        shares: BTreeMap::new(),
        id_prefix,
    }
}

/// A PDU's share of its region's figures for the questions the PDU's report gives none: what the
/// region's total leaves after the PDUs that do publish a figure for the question, split by case
/// count among the rest (this PDU, the other silent ones, the synthetic PDUs), rounded down, so
/// the published PDUs never hold more than the region's pooled total.
fn regional_share(
    spec: &PublishedInspection,
    region: Option<&PublishedInspection>,
    published: &Published,
) -> Result<BTreeMap<String, Target>> {
    let Some(region) = region else {
        return Ok(BTreeMap::new());
    };
    let (targets, _) = region.targets()?;
    let (own, _) = spec.targets()?;
    let units: Vec<(&PublishedInspection, BTreeMap<String, Target>)> = published
        .inspections
        .iter()
        .filter(|u| region.units.contains(&u.dir))
        .map(|u| Ok((u, u.targets()?.0)))
        .collect::<Result<_>>()?;
    let mut out = BTreeMap::new();
    for (instrument, sample) in &spec.sample {
        let Some(total) = region.sample.get(instrument).map(|s| s.cases as u64) else {
            continue;
        };
        for (question, t) in &targets {
            if own.contains_key(question) {
                continue;
            }
            let (mut cases, mut yes, mut relevant) = (total, t.yes, t.relevant);
            for (unit, unit_targets) in &units {
                if let (Some(u), Some(s)) =
                    (unit_targets.get(question), unit.sample.get(instrument))
                {
                    cases = cases.saturating_sub(s.cases as u64);
                    yes = yes.saturating_sub(u.yes);
                    relevant = relevant.saturating_sub(u.relevant);
                }
            }
            let share = |n: u64| n * sample.cases as u64 / cases.max(1);
            out.insert(
                question.clone(),
                Target {
                    yes: share(yes),
                    relevant: share(relevant),
                },
            );
        }
    }
    Ok(out)
}

fn pdu(
    fw: &Framework,
    spec: &PublishedInspection,
    region: Option<&PublishedInspection>,
    published: &Published,
) -> Result<Inspection> {
    let mut inspection = base_inspection(fw, spec);
    let (all, within) = spec.targets()?;
    let shares = regional_share(spec, region, published)?;
    let primary = fw.primary_instrument().id.as_str();
    for inst in &fw.instruments {
        let Some(sample) = spec.sample.get(&inst.id) else {
            continue;
        };
        let oversight = spec.oversight_for(&inst.id, primary);
        let mix = Mix {
            shares: shares.clone(),
            ..mix_for(sample, oversight, prefix(&spec.dir, &inst.id))
        };
        let set = generate_within(
            fw,
            inst,
            &mix,
            &targets_for(fw, &inst.id, &all),
            &subgroups_for(fw, &inst.id, &within),
            seed_of(&[&spec.dir, &inst.id]),
        )
        .map_err(|e| fail!("{}: {e}", spec.dir))?;
        inspection.cases.push(set);
    }
    Ok(inspection)
}

/// Whether a region keeps an instrument's cases itself (fieldwork) or they come from PDU inspections.
fn region_owns(fw: &Framework, region_kind: &str, instrument: &str) -> bool {
    let Some(kind) = fw.kind(region_kind) else {
        return true;
    };
    kind.standards
        .iter()
        .filter_map(|c| fw.standard(c))
        .filter(|s| {
            s.key_questions
                .iter()
                .any(|k| fw.question(k).is_some_and(|(i, _)| i.id == instrument))
        })
        .all(|s| s.scope == Scope::Own)
}

fn region(
    fw: &Framework,
    spec: &PublishedInspection,
    pdus: &HashMap<String, Inspection>,
) -> Result<(Inspection, Vec<Inspection>)> {
    let mut inspection = base_inspection(fw, spec);
    let (all, within) = spec.targets()?;
    let primary = fw.primary_instrument().id.as_str();
    let seeds: Vec<&Inspection> = spec
        .units
        .iter()
        .map(|d| {
            pdus.get(d).ok_or_else(|| {
                fail!(
                    "{}: unit '{d}' is not a PDU fixture listed earlier",
                    spec.dir
                )
            })
        })
        .collect::<Result<_>>()?;
    let k = spec.synthetic_units;
    let unit_kind = fw
        .kind(&spec.kind)
        .and_then(|kd| kd.units.clone())
        .unwrap_or_default();
    let mut synthetic: Vec<Inspection> = (0..k)
        .map(|n| Inspection {
            region: Some(spec.unit.clone()),
            fieldwork_start: Some(spec.fieldwork_start.clone()),
            fieldwork_end: spec.fieldwork_end.clone(),
            ..synth::inspection(
                fw,
                &unit_kind,
                format!("{} synthetic PDU {}", spec.unit, n + 1),
                &[
                    ("P1.1", "requires-improvement"),
                    ("P1.2", "requires-improvement"),
                    ("P1.3", "requires-improvement"),
                ],
            )
        })
        .collect();

    for inst in &fw.instruments {
        let Some(sample) = spec.sample.get(&inst.id) else {
            continue;
        };
        let targets = targets_for(fw, &inst.id, &all);
        let subgroups = subgroups_for(fw, &inst.id, &within);
        let seed = seed_of(&[&spec.dir, &inst.id]);
        let oversight = spec.oversight_for(&inst.id, primary);
        if region_owns(fw, &spec.kind, &inst.id) {
            let mix = mix_for(sample, oversight, prefix(&spec.dir, &inst.id));
            let set = generate_within(fw, inst, &mix, &targets, &subgroups, seed)
                .map_err(|e| fail!("{}: {e}", spec.dir))?;
            inspection.cases.push(set);
            continue;
        }
        if !subgroups.is_empty() && !seeds.is_empty() {
            return Err(fail!(
                "{}: subgroup figures of a region pooled from published PDUs are not supported",
                spec.dir
            ));
        }
        // Pooled from PDU inspections: what the published PDUs do not supply, the synthetic ones do.
        let seed_sets: Vec<&CaseSet> = seeds.iter().filter_map(|s| s.cases_for(&inst.id)).collect();
        let seed_cases: usize = seed_sets.iter().map(|s| s.len()).sum();
        let count = |f: &dyn Fn(&casework_core::CaseRecord) -> bool| -> usize {
            seed_sets
                .iter()
                .flat_map(|s| s.cases())
                .filter(|c| f(c))
                .count()
        };
        let remainder = |total: Option<usize>, used: usize, what: &str| -> Result<Option<usize>> {
            total
                .map(|t| {
                    t.checked_sub(used).ok_or_else(|| {
                        fail!(
                            "{}: {} {what}: published PDUs already have {used}",
                            spec.dir,
                            inst.id
                        )
                    })
                })
                .transpose()
        };
        let rest = SampleSpec {
            cases: remainder(Some(sample.cases), seed_cases, "cases")?.unwrap_or(0),
            community: remainder(
                sample.community,
                count(&|c| c.sentence == Some(casework_core::SentenceType::Community)),
                "community",
            )?,
            licence: None,
            reset: remainder(sample.reset, count(&|c| c.reset_weeks.is_some()), "reset")?,
            adjusted: remainder(
                sample.adjusted,
                count(&|c| {
                    c.standards_set(fw.rules.reset_adjusted_max_weeks)
                        == casework_core::StandardsSet::Adjusted
                }),
                "adjusted",
            )?,
            attributes: sample
                .attributes
                .iter()
                .map(|(a, values)| {
                    let values = values
                        .iter()
                        .map(|(v, n)| {
                            let used = count(&|c| c.attributes.get(a) == Some(v));
                            Ok((v.clone(), remainder(Some(*n), used, a)?.unwrap_or(0)))
                        })
                        .collect::<Result<_>>()?;
                    Ok((a.clone(), values))
                })
                .collect::<Result<_>>()?,
        };
        // Oversight: what the published PDUs do not account for.
        let rest_oversight = match oversight {
            None => None,
            Some((shortfall, needed)) => {
                let seed_shortfall = count(&|c| c.oversight.is_some_and(|o| o.is_shortfall()));
                let seed_needed = count(&|c| {
                    c.oversight
                        .is_some_and(|o| o != casework_core::Oversight::NotRequired)
                });
                Some((
                    remainder(Some(shortfall), seed_shortfall, "oversight shortfall")?.unwrap_or(0),
                    remainder(Some(needed), seed_needed, "oversight needed")?.unwrap_or(0),
                ))
            }
        };
        if rest.cases == 0 {
            continue;
        }
        if k == 0 {
            return Err(fail!(
                "{}: {} cases of {} are not in the published PDUs; set synthetic_units",
                spec.dir,
                rest.cases,
                inst.id
            ));
        }
        let mut seed_tally = casework_core::rating::tally::Tally::empty(inst.questions.len());
        for s in &seed_sets {
            seed_tally.add(&tally(s));
        }
        let mut rest_targets = BTreeMap::new();
        for (qid, t) in &targets {
            let qi = inst
                .questions
                .iter()
                .position(|q| &q.id == qid)
                .expect("target of this instrument");
            let used = seed_tally.questions[qi];
            let (yes, relevant) = (
                t.yes.checked_sub(used.yes),
                t.relevant.checked_sub(used.relevant()),
            );
            let (Some(yes), Some(relevant)) = (yes, relevant) else {
                return Err(fail!(
                    "{}: {qid}: regional {}/{} is less than the published PDUs' {}/{}",
                    spec.dir,
                    t.yes,
                    t.relevant,
                    used.yes,
                    used.relevant()
                ));
            };
            rest_targets.insert(qid.clone(), Target { yes, relevant });
        }
        let mix = mix_for(
            &rest,
            rest_oversight,
            prefix(&format!("{}-other", spec.dir), &inst.id),
        );
        let set = generate_within(fw, inst, &mix, &rest_targets, &subgroups, seed)
            .map_err(|e| fail!("{} (synthetic PDUs): {e}", spec.dir))?;
        for (unit, part) in synthetic.iter_mut().zip(split(inst, &set, k)) {
            unit.cases.push(part);
        }
    }
    Ok((inspection, synthetic))
}

/// Every fixture directory, by its name (a PDU's, or a region's with its synthetic PDU
/// inspections in subdirectories), as files.
pub fn generate_all(fw: &Framework, published: &Published) -> Result<Vec<(String, Files)>> {
    let mut out = Vec::new();
    let mut pdus = HashMap::new();
    for spec in &published.inspections {
        match fw.kind(&spec.kind).map(|k| k.units.is_some()) {
            Some(false) => {
                let region = published
                    .inspections
                    .iter()
                    .find(|r| r.units.contains(&spec.dir));
                let inspection = pdu(fw, spec, region, published)?;
                out.push((spec.dir.clone(), inspection_files(fw, &inspection, vec![])));
                pdus.insert(spec.dir.clone(), inspection);
            }
            Some(true) => {
                let (inspection, synthetic) = region(fw, spec, &pdus)?;
                let mut unit_paths: Vec<String> =
                    spec.units.iter().map(|d| format!("../{d}")).collect();
                let mut files = Files::new();
                for (n, unit) in synthetic.iter().enumerate() {
                    let name = format!("synthetic-pdu-{}", n + 1);
                    files.extend(
                        inspection_files(fw, unit, vec![])
                            .into_iter()
                            .map(|(path, text)| (PathBuf::from(&name).join(path), text)),
                    );
                    unit_paths.push(name);
                }
                files.extend(inspection_files(fw, &inspection, unit_paths));
                out.push((spec.dir.clone(), files));
            }
            None => return Err(fail!("{}: unknown kind '{}'", spec.dir, spec.kind)),
        }
    }
    Ok(out)
}
