//! The Wilson score interval for a proportion (E. B. Wilson, "Probable inference, the law of
//! succession, and statistical inference", *JASA* 22, 1927): for k successes of n at confidence
//! c, with z the standard normal quantile at (1 + c) / 2 and p = k / n,
//! (p + z²/2n ± z·√(p(1 − p)/n + z²/4n²)) / (1 + z²/n). Used for observed agreement (issue 19)
//! and, later, each key question's share of Yes (issue 16). Fractions, not per cent. Checked
//! against SciPy's `binomtest(k, n).proportion_ci(method="wilson")` in `tests/it/wilson_peers.rs`.

use statrs::distribution::{ContinuousCDF, Normal};

/// The Wilson interval (lower, upper) for `successes` of `n` at `confidence` (e.g. 0.95);
/// `None` when n is 0 (no interval: nothing was observed), successes exceed n, or the confidence
/// is outside (0, 1). The bounds lie in [0, 1] exactly: 0 of n has lower bound 0, n of n upper
/// bound 1.
pub fn wilson_interval(successes: u64, n: u64, confidence: f64) -> Option<(f64, f64)> {
    if n == 0 || successes > n || !(confidence > 0.0 && confidence < 1.0) {
        return None;
    }
    let z = Normal::standard().inverse_cdf((1.0 + confidence) / 2.0);
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edges_are_exact_and_nothing_observed_has_no_interval() {
        assert_eq!(wilson_interval(0, 0, 0.95), None);
        assert_eq!(wilson_interval(3, 2, 0.95), None);
        let (lo, hi) = wilson_interval(38, 38, 0.95).expect("defined");
        assert!(lo > 0.9 && hi == 1.0, "({lo}, {hi})");
        let (lo, hi) = wilson_interval(0, 77, 0.95).expect("defined");
        assert!(lo == 0.0 && hi < 0.05, "({lo}, {hi})");
        let (lo, hi) = wilson_interval(1, 1, 0.95).expect("defined");
        assert!(
            lo < 0.25 && hi == 1.0,
            "1 of 1 is very uncertain: ({lo}, {hi})"
        );
    }
}
