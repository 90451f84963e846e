//! How sure each rating is (issue 16): for every key question its Wilson interval, the
//! probability that the true share of Yes lies in the band it was rated in, and the fewest
//! answers that would move the band; for every case-based standard the same for its rating. Pure;
//! [`crate::rate`] attaches the results to `Ratings`, which every output renders.
//!
//! - **Interval**: the Wilson score interval of Yes of relevant at `certainty.interval`
//!   ([`crate::proportion::wilson`]).
//! - **Band probability**: under Jeffreys' prior the share's posterior after k Yes of n relevant
//!   is Beta(k + ½, n − k + ½) (Brown, Cai and DasGupta 2001); the probability is its mass on the
//!   shares the framework would put in the rated band ([`band_shares`]). A standard's rating is
//!   its lowest key question's band, so its probability is P(min of the shares lies in the band)
//!   = Π(1 − Fᵢ(lower)) − Π(1 − Fᵢ(upper)), treating the key questions' posteriors as
//!   independent (an approximation: they are answered on the same cases).
//! - **Secure or fragile**: secure when that probability is at least
//!   `certainty.secure_probability` (Casework's convention, data in the framework: [inferred]).
//! - **Smallest change**: with the relevant cases fixed, the fewest No answers turned Yes that
//!   put the key question in a higher band, and the fewest Yes turned No that put it lower; for a
//!   standard, the Yes needed on every key question below the next band up (their sum), and the
//!   fewest on any one key question that would take the rating down. Counted on the pooled
//!   answers, so only under `pooling = "pooled-answers"`; under `mean-of-units` none is given.

use serde::{Deserialize, Serialize};

use super::{KeyQuestionResult, RatingOut, StandardResult};
use crate::framework::{Banding, CertaintySettings, Framework, PercentageBand, Pooling, RatingDef};
use crate::proportion::{Interval, JeffreysPosterior, wilson};

/// Whether a rating is likely to be the true share's band.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Sureness {
    Secure,
    Fragile,
}

impl Sureness {
    pub fn label(self) -> &'static str {
        match self {
            Sureness::Secure => "secure",
            Sureness::Fragile => "fragile",
        }
    }
}

/// A change of answers that moves a band: `answers` No turned Yes (up) or Yes turned No (down),
/// giving the rating `to`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Shift {
    pub answers: u64,
    pub to: RatingOut,
    /// For a standard: the key questions whose answers change, with how many each (the sum is
    /// `answers`); empty for a key question.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_questions: Vec<(String, u64)>,
}

/// How sure one key question's or standard's band is.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Certainty {
    /// The Wilson interval of the share of Yes (key questions only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<Interval>,
    /// P(the true share is in the rated band), a fraction in [0, 1].
    pub band_probability: f64,
    pub sureness: Sureness,
    /// The fewest answers that would raise the band; `None` at the top band or under
    /// mean-of-units pooling.
    pub up: Option<Shift>,
    /// The fewest answers that would lower the band; `None` at the bottom band or under
    /// mean-of-units pooling.
    pub down: Option<Shift>,
}

/// The shares (fractions, lower inclusive, upper exclusive) that the framework rates in `band`:
/// under rounded banding the whole-number percentage rounds half up, so 65-79 is
/// [0.645, 0.795); under exact banding [0.65, 0.80). The lowest band starts at 0, the highest
/// ends at 1.
pub fn band_shares(band: &PercentageBand, banding: Banding) -> (f64, f64) {
    let (lower, upper) = match banding {
        Banding::Rounded => (f64::from(band.min) - 0.5, f64::from(band.max) + 0.5),
        Banding::Exact => (f64::from(band.min), f64::from(band.max) + 1.0),
    };
    let lower = if band.min == 0 { 0.0 } else { lower / 100.0 };
    let upper = if band.max >= 100 { 1.0 } else { upper / 100.0 };
    (lower, upper)
}

/// The percentage band of a rating.
fn band_of<'f>(fw: &'f Framework, rating: &str) -> Option<&'f PercentageBand> {
    fw.percentage_bands.iter().find(|b| b.rating == rating)
}

/// The points of the band k Yes of n would be rated in.
fn points(fw: &Framework, yes: u64, relevant: u64) -> &RatingDef {
    fw.band_for(yes, relevant, fw.rules.banding)
}

/// The fewest No → Yes (`up`) or Yes → No changes that take k of n to a band whose points pass
/// `threshold` (above it going up, below it going down), with the band reached.
fn fewest(fw: &Framework, yes: u64, relevant: u64, up: bool, threshold: u32) -> Option<Shift> {
    let room = if up { relevant - yes } else { yes };
    (1..=room).find_map(|d| {
        let k = if up { yes + d } else { yes - d };
        let band = points(fw, k, relevant);
        let moved = if up {
            band.points > threshold
        } else {
            band.points < threshold
        };
        moved.then(|| Shift {
            answers: d,
            to: RatingOut::from(band),
            key_questions: Vec::new(),
        })
    })
}

/// A key question's certainty; `None` when no case was relevant or it has no band.
pub fn key_question(fw: &Framework, kq: &KeyQuestionResult) -> Option<Certainty> {
    let settings = fw.certainty;
    let band = kq.band.as_ref()?;
    let posterior = JeffreysPosterior::new(kq.yes, kq.relevant)?;
    let (lower, upper) = band_shares(band_of(fw, &band.id)?, fw.rules.banding);
    let probability = posterior.between(lower, upper);
    let pooled = fw.rules.pooling == Pooling::PooledAnswers;
    Some(Certainty {
        interval: wilson(kq.yes, kq.relevant, settings.interval),
        band_probability: probability,
        sureness: sureness(probability, settings),
        up: pooled
            .then(|| fewest(fw, kq.yes, kq.relevant, true, band.points))
            .flatten(),
        down: pooled
            .then(|| fewest(fw, kq.yes, kq.relevant, false, band.points))
            .flatten(),
    })
}

fn sureness(probability: f64, settings: CertaintySettings) -> Sureness {
    if probability >= settings.secure_probability {
        Sureness::Secure
    } else {
        Sureness::Fragile
    }
}

/// A case-based standard's certainty from its key questions (whose `certainty` need not be set);
/// `None` when it has no rating.
pub fn standard(fw: &Framework, standard: &StandardResult) -> Option<Certainty> {
    let rating = standard.rating.as_ref()?;
    let (lower, upper) = band_shares(band_of(fw, &rating.id)?, fw.rules.banding);
    let counted: Vec<&KeyQuestionResult> = standard
        .key_questions
        .iter()
        .filter(|k| k.relevant > 0)
        .collect();
    let (mut all_above_lower, mut all_above_upper) = (1.0, 1.0);
    for kq in &counted {
        let posterior = JeffreysPosterior::new(kq.yes, kq.relevant)?;
        all_above_lower *= 1.0 - posterior.below(lower);
        all_above_upper *= 1.0 - posterior.below(upper);
    }
    let probability = f64::clamp(all_above_lower - all_above_upper, 0.0, 1.0);
    let pooled = fw.rules.pooling == Pooling::PooledAnswers;
    Some(Certainty {
        interval: None,
        band_probability: probability,
        sureness: sureness(probability, fw.certainty),
        up: pooled.then(|| standard_up(fw, &counted, rating)).flatten(),
        down: pooled
            .then(|| standard_down(fw, &counted, rating))
            .flatten(),
    })
}

/// Every key question at or below the rating must pass it; the sum of their fewest changes, and
/// the lowest band they reach together.
fn standard_up(
    fw: &Framework,
    counted: &[&KeyQuestionResult],
    rating: &RatingOut,
) -> Option<Shift> {
    let mut answers = 0;
    let mut changes = Vec::new();
    let mut to: Option<RatingOut> = None;
    for kq in counted {
        let band = points(fw, kq.yes, kq.relevant);
        let reached = if band.points > rating.points {
            RatingOut::from(band)
        } else {
            let shift = fewest(fw, kq.yes, kq.relevant, true, rating.points)?;
            answers += shift.answers;
            changes.push((kq.id.clone(), shift.answers));
            shift.to
        };
        if to.as_ref().is_none_or(|t| reached.points < t.points) {
            to = Some(reached);
        }
    }
    Some(Shift {
        answers,
        to: to?,
        key_questions: changes,
    })
}

/// The key question that the fewest changes take below the rating.
fn standard_down(
    fw: &Framework,
    counted: &[&KeyQuestionResult],
    rating: &RatingOut,
) -> Option<Shift> {
    counted
        .iter()
        .filter_map(|kq| {
            fewest(fw, kq.yes, kq.relevant, false, rating.points).map(|mut s| {
                s.key_questions = vec![(kq.id.clone(), s.answers)];
                s
            })
        })
        .min_by_key(|s| s.answers)
}

/// Sets the certainty of a case-based standard and of each of its key questions.
pub fn attach(fw: &Framework, result: &mut StandardResult) {
    // Certainty is about bands; a framework that bands nothing has none to be sure of.
    if !fw.rates() {
        return;
    }
    for kq in &mut result.key_questions {
        kq.certainty = key_question(fw, kq);
    }
    result.certainty = standard(fw, result);
}

/// The sentence for a shift: "2 more Yes answers out of 34 would make P2.2 Good" (up) or
/// "1 fewer Yes answer would make P2.2 Requires improvement" (down), naming the key questions
/// where a standard's change spans several.
pub fn describe(subject: &str, shift: &Shift, up: bool, relevant: Option<u64>) -> String {
    let plural = if shift.answers == 1 { "" } else { "s" };
    let more = if up { "more" } else { "fewer" };
    let out_of = relevant.map_or(String::new(), |n| format!(" out of {n}"));
    let across = if shift.key_questions.len() > 1 {
        let parts: Vec<String> = shift
            .key_questions
            .iter()
            .map(|(kq, n)| format!("{n} on {kq}"))
            .collect();
        format!(" ({})", parts.join(", "))
    } else {
        String::new()
    };
    format!(
        "{} {more} Yes answer{plural}{out_of}{across} would make {subject} {}",
        shift.answers, shift.to.label
    )
}

/// [`describe`] for a standard's shift, "out of" the relevant cases where one key question moves.
pub fn describe_standard(standard: &StandardResult, shift: &Shift, up: bool) -> String {
    let relevant = match shift.key_questions.as_slice() {
        [(kq, _)] => standard
            .key_questions
            .iter()
            .find(|k| &k.id == kq)
            .map(|k| k.relevant),
        _ => None,
    };
    describe(&standard.code, shift, up, relevant)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::builtin;

    fn kq(id: &str, yes: u64, relevant: u64) -> KeyQuestionResult {
        let fw = builtin();
        KeyQuestionResult {
            id: id.into(),
            text: String::new(),
            focus: None,
            yes,
            no: relevant - yes,
            not_applicable: 0,
            relevant,
            percent: None,
            exact_percent: None,
            band: (relevant > 0).then(|| RatingOut::from(points(fw, yes, relevant))),
            driving: false,
            certainty: None,
        }
    }

    #[test]
    fn band_shares_follow_the_rounding_rule() {
        let fw = builtin();
        let good = band_of(fw, "good").expect("good");
        assert_eq!(band_shares(good, Banding::Rounded), (0.645, 0.795));
        assert_eq!(band_shares(good, Banding::Exact), (0.65, 0.80));
        let bottom = band_of(fw, "inadequate").expect("inadequate");
        assert_eq!(band_shares(bottom, Banding::Rounded), (0.0, 0.495));
        let top = band_of(fw, "outstanding").expect("outstanding");
        assert_eq!(band_shares(top, Banding::Rounded), (0.795, 1.0));
    }

    #[test]
    fn a_share_on_a_band_edge_is_fragile_and_says_what_would_move_it() {
        // 22 of 34 prints 65% (Good); 21 of 34 prints 62%; 27 of 34 prints 79%, 28 of 34 82%.
        let c = key_question(builtin(), &kq("q", 22, 34)).expect("certainty");
        assert_eq!(c.sureness, Sureness::Fragile);
        assert!(
            c.band_probability > 0.3 && c.band_probability < 0.6,
            "{c:?}"
        );
        let up = c.up.expect("up");
        assert_eq!((up.answers, up.to.id.as_str()), (6, "outstanding"));
        let down = c.down.expect("down");
        assert_eq!(
            (down.answers, down.to.id.as_str()),
            (1, "requires-improvement")
        );
        assert_eq!(
            describe("P2.2", &down, false, None),
            "1 fewer Yes answer would make P2.2 Requires improvement"
        );
        assert_eq!(
            describe("P2.2", &up, true, Some(34)),
            "6 more Yes answers out of 34 would make P2.2 Outstanding"
        );
    }

    #[test]
    fn the_edges_of_the_scale() {
        let fw = builtin();
        let all = key_question(fw, &kq("q", 38, 38)).expect("certainty");
        assert_eq!(all.sureness, Sureness::Secure);
        assert_eq!(all.interval.map(|i| i.upper), Some(1.0));
        assert!(all.up.is_none());
        let none = key_question(fw, &kq("q", 0, 77)).expect("certainty");
        assert_eq!(none.sureness, Sureness::Secure);
        assert_eq!(none.interval.map(|i| i.lower), Some(0.0));
        assert!(none.down.is_none());
        assert_eq!(none.up.map(|s| s.answers), Some(39)); // 39 of 77 prints 51%
        let one = key_question(fw, &kq("q", 1, 1)).expect("certainty");
        assert_eq!(one.sureness, Sureness::Fragile, "1 of 1 is very uncertain");
        let i = one.interval.expect("interval");
        assert!(i.upper - i.lower > 0.75, "{i:?}");
        assert!(key_question(fw, &kq("q", 0, 0)).is_none());
    }

    #[test]
    fn a_standard_moves_up_only_when_every_lowest_key_question_does() {
        let fw = builtin();
        // Two key questions at 65% and one at 88%: the standard is Good.
        let mut s = StandardResult {
            code: "P2.2".into(),
            name: String::new(),
            domain: 2,
            basis: crate::framework::Basis::KeyQuestions,
            rating: Some(RatingOut::from(points(fw, 22, 34))),
            key_questions: vec![kq("a", 22, 34), kq("b", 22, 34), kq("c", 30, 34)],
            driving: Some("a".into()),
            cases: 34,
            certainty: None,
        };
        attach(fw, &mut s);
        let c = s.certainty.expect("certainty");
        let up = c.up.expect("up");
        assert_eq!(up.answers, 12);
        assert_eq!(up.key_questions, vec![("a".into(), 6), ("b".into(), 6)]);
        assert_eq!(up.to.id, "outstanding");
        assert_eq!(
            describe("P2.2", &up, true, None),
            "12 more Yes answers (6 on a, 6 on b) would make P2.2 Outstanding"
        );
        let down = c.down.expect("down");
        assert_eq!((down.answers, down.key_questions.len()), (1, 1));
        // Two fragile key questions make the standard no surer than either.
        let a = s.key_questions[0].certainty.as_ref().expect("a");
        assert!(c.band_probability <= a.band_probability + 1e-12);
        assert!(s.key_questions[2].certainty.is_some());
    }
}
