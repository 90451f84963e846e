//! Sample size and margin of error for a proportion, with the finite population correction
//! (W. G. Cochran, *Sampling Techniques*, 3rd ed., 1977, §4.4, eq. 4.1-4.2):
//! n₀ = z²·p(1 − p) / e² and n = n₀ / (1 + (n₀ − 1) / N), rounded up and at most N; inversely the
//! margin a sample of n from N gives is e = z·√(p(1 − p)/n · (N − n)/(N − 1)). z is the standard
//! normal quantile at (1 + confidence) / 2, p the assumed proportion (0.5, the largest variance),
//! e the margin as a fraction (0.10 = ten percentage points), N and n counts of cases.

use crate::proportion::z_for;

/// Whether a fraction lies strictly between 0 and 1.
fn fraction(x: f64) -> bool {
    x > 0.0 && x < 1.0
}

/// Cochran's sample size with the finite population correction, in cases; `None` when the
/// population is empty or a parameter is not a fraction in (0, 1).
pub fn cochran(population: u64, confidence: f64, margin: f64, proportion: f64) -> Option<u64> {
    if population == 0 || !fraction(confidence) || !fraction(margin) || !fraction(proportion) {
        return None;
    }
    let z = z_for(confidence);
    let n0 = z * z * proportion * (1.0 - proportion) / (margin * margin);
    let n = n0 / (1.0 + (n0 - 1.0) / population as f64);
    // A hair under a whole number is that number (float error), never one more.
    let whole = (n - 1e-9).ceil().max(1.0) as u64;
    Some(whole.min(population))
}

/// The margin of error (a fraction) that `sample` cases drawn from `population` give; `Some(0.0)`
/// for a census, `None` for no sample, a sample larger than its population, or a parameter
/// outside (0, 1).
pub fn margin(population: u64, sample: u64, confidence: f64, proportion: f64) -> Option<f64> {
    if sample == 0 || sample > population || !fraction(confidence) || !fraction(proportion) {
        return None;
    }
    if sample == population {
        return Some(0.0);
    }
    let (big_n, n) = (population as f64, sample as f64);
    let z = z_for(confidence);
    Some(z * (proportion * (1.0 - proportion) / n * (big_n - n) / (big_n - 1.0)).sqrt())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (N, confidence, margin, n) from the textbook formula worked apart from this code (z from
    /// SciPy's `norm.ppf`): n₀ = z²/4e², n = ⌈n₀ / (1 + (n₀ − 1)/N)⌉.
    const TABLE: [(u64, f64, f64, u64); 8] = [
        (150, 0.80, 0.10, 33),    // n0 = 41.06: Derby City's 34 cases from about 150
        (1325, 0.80, 0.10, 40),   // 41.06 / 1.0302 = 39.85
        (100, 0.95, 0.05, 80),    // n0 = 384.15
        (1000, 0.95, 0.05, 278),  // 384.15 / 1.3832
        (10000, 0.95, 0.03, 965), // n0 = 1067.07
        (20, 0.95, 0.10, 17),     // n0 = 96.04 > N: 16.70
        (1_000_000, 0.90, 0.05, 271), // n0 = 270.55
        (1, 0.80, 0.10, 1),
    ];

    #[test]
    fn sizes_equal_the_textbook_formula() {
        for (population, confidence, margin_e, expected) in TABLE {
            assert_eq!(
                cochran(population, confidence, margin_e, 0.5),
                Some(expected),
                "N = {population}, {confidence}, ±{margin_e}"
            );
        }
        assert_eq!(cochran(0, 0.8, 0.1, 0.5), None);
        assert_eq!(cochran(150, 1.0, 0.1, 0.5), None);
        assert_eq!(cochran(150, 0.8, 0.0, 0.5), None);
    }

    #[test]
    fn the_margin_inverts_the_size() {
        // 34 cases of 150 at 80%: a margin just under ten points.
        let e = margin(150, 34, 0.80, 0.5).expect("margin");
        assert!((e - 0.0970).abs() < 5e-4, "{e}");
        for (population, confidence, margin_e, n) in TABLE {
            if n < population {
                let e = margin(population, n, confidence, 0.5).expect("margin");
                assert!(e <= margin_e + 1e-12, "{population}: {e} > {margin_e}");
            }
        }
        assert_eq!(margin(150, 150, 0.8, 0.5), Some(0.0));
        assert_eq!(margin(150, 0, 0.8, 0.5), None);
        assert_eq!(margin(150, 151, 0.8, 0.5), None);
    }
}
