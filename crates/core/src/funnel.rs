//! Funnel-plot control limits (issue 19, inspector consistency): how far one inspector's share of
//! Yes on a key question may sit from the team's before it is more than chance, for the number of
//! cases they marked. The limits are Spiegelhalter's exact binomial ones with interpolation
//! (D. J. Spiegelhalter, "Funnel plots for comparing institutional performance", *Statistics in
//! Medicine* 24, 2005, appendix A.1.1): for a target share θ, n cases and tail probability p, rₚ is
//! the smallest r with F(r) ≥ p under Binomial(n, θ), α = (F(rₚ) − p) / (F(rₚ) − F(rₚ − 1)), and
//! the limit is (rₚ − α) / n. The usual pairs are 95% (p = 0.025, 0.975) and 99.8% (p = 0.001,
//! 0.999). Shares are fractions, not per cent.

use serde::Serialize;
use statrs::distribution::{Binomial, DiscreteCDF};

/// The lower and upper control limit (fractions) at `coverage` (0.95, 0.998) around `target` for
/// `n` cases; `None` for no cases, a target outside 0..=1 or a coverage outside (0, 1). A target
/// of 0 or 1 has both limits at the target.
pub fn limits(target: f64, n: u64, coverage: f64) -> Option<(f64, f64)> {
    if n == 0 || !(0.0..=1.0).contains(&target) || !(coverage > 0.0 && coverage < 1.0) {
        return None;
    }
    // A target of none or all leaves no room for chance: the limits are the target itself (the
    // interpolation would otherwise invent a spread from a distribution with none).
    if target == 0.0 || target == 1.0 {
        return Some((target, target));
    }
    let tail = (1.0 - coverage) / 2.0;
    Some((limit(target, n, tail)?, limit(target, n, 1.0 - tail)?))
}

fn limit(target: f64, n: u64, p: f64) -> Option<f64> {
    let binomial = Binomial::new(target, n).ok()?;
    let cdf = |r: i64| {
        if r < 0 { 0.0 } else { binomial.cdf(r as u64) }
    };
    // The smallest r with F(r) ≥ p, by bisection (F rises with r; F(n) = 1 ≥ p).
    let (mut lo, mut hi) = (0_i64, n as i64);
    if cdf(hi) < p {
        return None;
    }
    while lo < hi {
        let mid = lo + (hi - lo) / 2;
        if cdf(mid) >= p {
            hi = mid;
        } else {
            lo = mid + 1;
        }
    }
    let r = lo;
    let step = cdf(r) - cdf(r - 1);
    let alpha = if step > 0.0 { (cdf(r) - p) / step } else { 0.0 };
    Some(((r as f64 - alpha) / n as f64).clamp(0.0, 1.0))
}

/// Where one marker's share sits on the funnel.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Position {
    /// Within the 95% limits.
    Within,
    /// Outside the 95% limits, within the 99.8%: worth a look.
    Warning,
    /// Outside the 99.8% limits.
    Alarm,
}

/// Where `yes` of `n` sits against `target` (the team's share); `None` for no cases.
pub fn position(yes: u64, n: u64, target: f64) -> Option<Position> {
    let share = yes as f64 / n as f64;
    let (lo95, hi95) = limits(target, n, 0.95)?;
    let (lo998, hi998) = limits(target, n, 0.998)?;
    Some(if share < lo998 || share > hi998 {
        Position::Alarm
    } else if share < lo95 || share > hi95 {
        Position::Warning
    } else {
        Position::Within
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_narrow_as_cases_grow_and_hold_the_target() {
        let (a, b) = limits(0.6, 10, 0.95).expect("limits");
        let (c, d) = limits(0.6, 1000, 0.95).expect("limits");
        assert!(a < c && c < 0.6 && 0.6 < d && d < b, "{a} {b} {c} {d}");
        let (e, f) = limits(0.6, 1000, 0.998).expect("limits");
        assert!(e < c && f > d, "99.8% is wider than 95%");
        assert_eq!(limits(0.6, 0, 0.95), None);
        assert_eq!(limits(1.0, 20, 0.95), Some((1.0, 1.0)));
    }

    #[test]
    fn an_outlier_is_flagged_and_a_small_number_is_not_over_read() {
        assert_eq!(position(2, 3, 0.7), Some(Position::Within));
        assert_eq!(position(30, 100, 0.7), Some(Position::Alarm));
        assert_eq!(position(0, 0, 0.7), None);
    }
}
