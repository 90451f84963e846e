//! Intervals and posteriors for a proportion: k successes (Yes answers) of n trials (relevant
//! cases). Fractions in [0, 1], never per cent. Three intervals, named as in
//! `statsmodels.stats.proportion.proportion_confint`, which they equal to 1e-9
//! (`tests/it/proportion_peers.rs`):
//! - **Wilson** (E. B. Wilson, "Probable inference, the law of succession, and statistical
//!   inference", *JASA* 22, 1927): with z the standard normal quantile at (1 + c) / 2 and
//!   p = k / n, (p + z²/2n ± z·√(p(1 − p)/n + z²/4n²)) / (1 + z²/n). The one Casework shows.
//! - **Clopper-Pearson** (*Biometrika* 26, 1934), the exact interval: the α/2 quantile of
//!   Beta(k, n − k + 1) and the 1 − α/2 quantile of Beta(k + 1, n − k); 0 and 1 at the edges.
//! - **Jeffreys** (Brown, Cai and DasGupta, *Statistical Science* 16, 2001): the equal-tailed
//!   interval of the posterior Beta(k + ½, n − k + ½) under Jeffreys' prior. As in statsmodels,
//!   their modification at the edges (lower bound 0 when k = 0, upper 1 when k = n) is not
//!   applied: 0 of n has a small positive lower bound.
//!
//! Every function returns `None` where nothing was observed (n = 0), k exceeds n, or the
//! confidence is outside (0, 1): an interval that does not exist is absent, never NaN. Bounds lie
//! in [0, 1] exactly (no 1.0000000000000002).

use statrs::distribution::{Beta, ContinuousCDF, Normal};

/// A two-sided interval for a proportion, as fractions in [0, 1].
#[derive(Debug, Clone, Copy, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct Interval {
    pub lower: f64,
    pub upper: f64,
    /// The confidence level, a fraction (0.95).
    pub confidence: f64,
}

/// The shape of [`wilson`], [`clopper_pearson`] and [`jeffreys`]: (successes, n, confidence).
pub type IntervalFn = fn(u64, u64, f64) -> Option<Interval>;

/// Whether the counts and confidence admit an interval at all.
fn defined(successes: u64, n: u64, confidence: f64) -> bool {
    n > 0 && successes <= n && confidence > 0.0 && confidence < 1.0
}

/// The standard normal quantile z at (1 + confidence) / 2 (1.959964 for 0.95).
pub fn z_for(confidence: f64) -> f64 {
    Normal::standard().inverse_cdf((1.0 + confidence) / 2.0)
}

/// The Wilson interval (lower, upper) for `successes` of `n` at `confidence` (e.g. 0.95); `None`
/// when undefined (see the module). 0 of n has lower bound 0, n of n upper bound 1.
pub fn wilson_interval(successes: u64, n: u64, confidence: f64) -> Option<(f64, f64)> {
    if !defined(successes, n, confidence) {
        return None;
    }
    let z = z_for(confidence);
    let (k, n) = (successes as f64, n as f64);
    let p = k / n;
    let z2 = z * z;
    let centre = p + z2 / (2.0 * n);
    let spread = z * (p * (1.0 - p) / n + z2 / (4.0 * n * n)).sqrt();
    let denominator = 1.0 + z2 / n;
    let lower = if successes == 0 {
        0.0
    } else {
        ((centre - spread) / denominator).clamp(0.0, 1.0)
    };
    let upper = if k == n {
        1.0
    } else {
        ((centre + spread) / denominator).clamp(0.0, 1.0)
    };
    Some((lower, upper))
}

/// [`wilson_interval`] as an [`Interval`].
pub fn wilson(successes: u64, n: u64, confidence: f64) -> Option<Interval> {
    wilson_interval(successes, n, confidence).map(|(lower, upper)| Interval {
        lower,
        upper,
        confidence,
    })
}

/// The q quantile of Beta(a, b), within [0, 1].
fn beta_quantile(a: f64, b: f64, q: f64) -> f64 {
    let beta = Beta::new(a, b).expect("positive shape parameters");
    beta.inverse_cdf(q).clamp(0.0, 1.0)
}

/// The Clopper-Pearson ("exact") interval; `None` when undefined.
pub fn clopper_pearson(successes: u64, n: u64, confidence: f64) -> Option<Interval> {
    if !defined(successes, n, confidence) {
        return None;
    }
    let alpha = 1.0 - confidence;
    let (k, n) = (successes as f64, n as f64);
    let lower = if successes == 0 {
        0.0
    } else {
        beta_quantile(k, n - k + 1.0, alpha / 2.0)
    };
    let upper = if k == n {
        1.0
    } else {
        beta_quantile(k + 1.0, n - k, 1.0 - alpha / 2.0)
    };
    Some(Interval {
        lower,
        upper,
        confidence,
    })
}

/// The Jeffreys interval; `None` when undefined.
pub fn jeffreys(successes: u64, n: u64, confidence: f64) -> Option<Interval> {
    if !defined(successes, n, confidence) {
        return None;
    }
    let alpha = 1.0 - confidence;
    let posterior = JeffreysPosterior::new(successes, n)?;
    Some(Interval {
        lower: beta_quantile(posterior.a, posterior.b, alpha / 2.0),
        upper: beta_quantile(posterior.a, posterior.b, 1.0 - alpha / 2.0),
        confidence,
    })
}

/// The posterior of a proportion under Jeffreys' prior Beta(½, ½) after k successes of n:
/// Beta(k + ½, n − k + ½).
#[derive(Debug, Clone, Copy)]
pub struct JeffreysPosterior {
    a: f64,
    b: f64,
}

impl JeffreysPosterior {
    /// `None` when n is 0 (the posterior would be the prior: nothing was observed) or k > n.
    pub fn new(successes: u64, n: u64) -> Option<JeffreysPosterior> {
        (n > 0 && successes <= n).then(|| JeffreysPosterior {
            a: successes as f64 + 0.5,
            b: (n - successes) as f64 + 0.5,
        })
    }

    /// P(p < x), for x a fraction; 0 at or below 0, 1 at or above 1.
    pub fn below(&self, x: f64) -> f64 {
        if x <= 0.0 {
            return 0.0;
        }
        if x >= 1.0 {
            return 1.0;
        }
        Beta::new(self.a, self.b)
            .expect("positive shape parameters")
            .cdf(x)
            .clamp(0.0, 1.0)
    }

    /// P(lower ≤ p < upper), fractions; within [0, 1].
    pub fn between(&self, lower: f64, upper: f64) -> f64 {
        (self.below(upper) - self.below(lower)).clamp(0.0, 1.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_are_exact_and_nothing_observed_has_no_interval() {
        for (exact_edges, interval) in [
            (true, wilson as IntervalFn),
            (true, clopper_pearson),
            (false, jeffreys),
        ] {
            assert_eq!(interval(0, 0, 0.95), None);
            assert_eq!(interval(3, 2, 0.95), None);
            assert_eq!(interval(1, 2, 1.0), None);
            let all = interval(38, 38, 0.95).expect("defined");
            let none = interval(0, 77, 0.95).expect("defined");
            let one = interval(1, 1, 0.95).expect("defined");
            for i in [all, none, one] {
                assert!(
                    0.0 <= i.lower && i.lower < i.upper && i.upper <= 1.0,
                    "{i:?}"
                );
            }
            assert!(all.lower > 0.85 && none.upper < 0.05, "{all:?} {none:?}");
            assert!(one.lower < 0.25, "1 of 1 is very uncertain: {one:?}");
            if exact_edges {
                assert!(all.upper == 1.0 && none.lower == 0.0 && one.upper == 1.0);
            }
        }
    }

    #[test]
    fn the_posterior_is_a_probability() {
        assert!(JeffreysPosterior::new(0, 0).is_none());
        let p = JeffreysPosterior::new(22, 34).expect("defined");
        assert_eq!(p.between(0.0, 1.0), 1.0);
        assert_eq!(p.below(-1.0), 0.0);
        let middle = p.between(0.5, 0.8);
        assert!(middle > 0.9 && middle < 1.0, "{middle}");
    }
}
