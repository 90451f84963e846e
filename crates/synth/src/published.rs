//! The published figures' model: `tests/fixtures/published.toml` as data (each inspection's sample,
//! key questions, management oversight counts and [`FigureSpec`]s), with the targets the fixture
//! generator meets derived from it.

use std::collections::BTreeMap;

use serde::Deserialize;

use crate::figures::{FigureSpec, Measure, answer_targets};
use casework_core::subgroup::Subgroup;

use crate::generate::{SubgroupTargets, SynthError, Target};

type Result<T> = std::result::Result<T, SynthError>;

/// A [`SynthError`] from format arguments.
macro_rules! fail {
    ($($arg:tt)*) => { SynthError(format!($($arg)*)) };
}

#[derive(Debug, Clone, Deserialize)]
pub struct Published {
    pub inspections: Vec<PublishedInspection>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct PublishedInspection {
    pub dir: String,
    pub seed: String,
    pub kind: String,
    pub unit: String,
    #[serde(default)]
    pub region: Option<String>,
    pub fieldwork_start: String,
    #[serde(default)]
    pub fieldwork_end: Option<String>,
    pub score: u32,
    pub overall: String,
    #[serde(default)]
    pub units: Vec<String>,
    #[serde(default)]
    pub synthetic_units: usize,
    #[serde(default)]
    pub judged: BTreeMap<String, String>,
    pub ratings: BTreeMap<String, String>,
    #[serde(default)]
    pub sample: BTreeMap<String, SampleSpec>,
    pub key_questions: Vec<KeyQuestionSpec>,
    /// Management oversight counts chosen where the figures alone do not fix them.
    #[serde(default)]
    pub oversight: Vec<OversightSpec>,
    /// Every other case-derived figure the report prints.
    #[serde(default)]
    pub figures: Vec<FigureSpec>,
}

#[derive(Debug, Clone, Default, Deserialize)]
pub struct SampleSpec {
    pub cases: usize,
    #[serde(default)]
    pub community: Option<usize>,
    #[serde(default)]
    pub licence: Option<usize>,
    #[serde(default)]
    pub reset: Option<usize>,
    #[serde(default)]
    pub adjusted: Option<usize>,
    /// Cases per value of declared attributes: `{ grade = { po = 43, pso = 18 } }`.
    #[serde(default)]
    pub attributes: BTreeMap<String, BTreeMap<String, usize>>,
}

#[derive(Debug, Clone, Deserialize)]
pub struct KeyQuestionSpec {
    pub standard: String,
    pub id: String,
    pub percent: u32,
    pub yes: u64,
    pub relevant: u64,
}

#[derive(Debug, Clone, Deserialize)]
pub struct OversightSpec {
    pub instrument: String,
    #[serde(default)]
    pub shortfall: Option<u64>,
    #[serde(default)]
    pub needed: Option<u64>,
    #[serde(default)]
    pub percent: Option<u32>,
}

impl Published {
    /// The published figures from `published.toml`'s text; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<Published> {
        toml::from_str(text).map_err(|e| fail!("{origin} is not a valid spec: {e}"))
    }
}

impl PublishedInspection {
    /// Every question target: key questions and the answer figures, by question id; and the
    /// targets within subgroups.
    pub(crate) fn targets(&self) -> Result<(BTreeMap<String, Target>, SubgroupTargets)> {
        let (mut t, within) =
            answer_targets(&self.figures).map_err(|e| fail!("{}: {e}", self.dir))?;
        for k in &self.key_questions {
            t.insert(
                k.id.clone(),
                Target {
                    yes: k.yes,
                    relevant: k.relevant,
                },
            );
        }
        let mut within = within;
        for f in self
            .figures
            .iter()
            .filter(|f| f.measure == Measure::Comparison)
        {
            self.compare(f, &t, &mut within)?;
        }
        Ok((t, within))
    }

    /// Subgroup targets that make a comparison hold: for each key question the comparison names
    /// that has no counts for its two subgroups yet, their relevant cases in proportion to their
    /// sizes (every case where the key question allows no Not applicable) and just enough of the
    /// Yes answers in the `where` subgroup that its share is the larger. The subgroups must be
    /// made of declared attribute values the sample counts, and together be every case.
    fn compare(
        &self,
        f: &FigureSpec,
        whole: &BTreeMap<String, Target>,
        within: &mut SubgroupTargets,
    ) -> Result<()> {
        let (Some(better), Some(worse)) = (&f.subgroup, &f.versus) else {
            return Err(fail!(
                "{}: line {}: a comparison needs where and versus",
                self.dir,
                f.line
            ));
        };
        let size = |g: &Subgroup| -> Option<u64> {
            let mut n = 0;
            for (attribute, values) in &g.0 {
                let counts = self
                    .sample
                    .values()
                    .find_map(|s| s.attributes.get(attribute))?;
                n += values
                    .iter()
                    .map(|v| counts.get(v).copied().unwrap_or(0))
                    .sum::<usize>();
            }
            (g.0.len() == 1).then_some(n as u64)
        };
        let (Some(n_better), Some(n_worse)) = (size(better), size(worse)) else {
            return Err(fail!(
                "{}: line {}: compared subgroups must each be values of one declared attribute the sample counts",
                self.dir,
                f.line
            ));
        };
        for kq in self
            .key_questions
            .iter()
            .filter(|k| f.question.as_ref().is_none_or(|q| *q == k.id))
        {
            let list = within.entry(kq.id.clone()).or_default();
            if list.iter().any(|(g, _)| g == better || g == worse) {
                continue;
            }
            let Some(t) = whole.get(&kq.id) else { continue };
            let cases = n_better + n_worse;
            if cases == 0 {
                continue;
            }
            let rel_better = (t.relevant * n_better + cases / 2) / cases;
            let rel_worse = t.relevant - rel_better;
            // The smallest Yes count in `better` whose share beats the rest's.
            let yes_better = (0..=t.yes.min(rel_better))
                .find(|&y| {
                    let rest = t.yes - y;
                    rest <= rel_worse && y * rel_worse > rest * rel_better
                })
                .ok_or_else(|| {
                    fail!(
                        "{}: line {}: {} cannot be higher in {better} than in {worse} with {} Yes of {}",
                        self.dir,
                        f.line,
                        kq.id,
                        t.yes,
                        t.relevant
                    )
                })?;
            list.push((
                better.clone(),
                Target {
                    yes: yes_better,
                    relevant: rel_better,
                },
            ));
            list.push((
                worse.clone(),
                Target {
                    yes: t.yes - yes_better,
                    relevant: rel_worse,
                },
            ));
        }
        Ok(())
    }

    /// Management oversight for `instrument` as (shortfall, needed): from `oversight` where
    /// given, else from the oversight figures (shortfall and sufficient counts, or shortfall of
    /// needed); `None` where neither says.
    pub(crate) fn oversight_for(&self, instrument: &str, primary: &str) -> Option<(usize, usize)> {
        if let Some(o) = self.oversight.iter().find(|o| o.instrument == instrument) {
            return Some((o.shortfall? as usize, o.needed? as usize));
        }
        let (mut shortfall, mut sufficient, mut needed) = (None, None, None);
        for f in self.figures.iter().filter(|f| {
            f.measure == Measure::Oversight
                && f.instrument.as_deref().unwrap_or(primary) == instrument
        }) {
            let count = f.yes? as usize;
            match (f.oversight.as_deref(), f.over.as_deref()) {
                (Some("shortfall"), Some("needed")) => {
                    shortfall = Some(count);
                    needed = f.relevant.map(|r| r as usize);
                }
                (Some("shortfall"), _) => shortfall = Some(count),
                (Some("sufficient"), _) => sufficient = Some(count),
                _ => {}
            }
        }
        let cases = self.sample.get(instrument).map(|s| s.cases)?;
        // Where only one count is known, oversight was needed in every case.
        match (shortfall, sufficient) {
            (Some(shortfall), sufficient) => Some((
                shortfall,
                needed
                    .or(sufficient.map(|s| s + shortfall))
                    .unwrap_or(cases),
            )),
            (None, Some(sufficient)) => Some((cases.saturating_sub(sufficient), cases)),
            (None, None) => None,
        }
    }
}

/// The declared-attribute counts of a sample, in the generator's shape.
pub(crate) fn attribute_mix(spec: &SampleSpec) -> Vec<(String, Vec<(String, usize)>)> {
    spec.attributes
        .iter()
        .map(|(a, values)| {
            (
                a.clone(),
                values.iter().map(|(v, n)| (v.clone(), *n)).collect(),
            )
        })
        .collect()
}
