//! `casework_core::funnel` against SciPy's binomial distribution (`scipy.stats.binom`), computing
//! Spiegelhalter's (2005) interpolated limits the same way on a grid of team shares, case counts
//! and both coverages, equal to the sixth decimal. SciPy comes with the agreement peers
//! (`.ci/run`); without it the test says SKIPPED, or fails when `CASEWORK_REQUIRE_TOOLS` is set.

use casework_core::funnel::limits;

const SCRIPT: &str = r#"
import json
from scipy.stats import binom
out = []
for theta in [0.05, 0.3, 0.5, 0.62, 0.9, 0.97]:
    for n in [1, 3, 8, 20, 34, 100, 500]:
        for cov in [0.95, 0.998]:
            row = []
            for p in [(1 - cov) / 2, 1 - (1 - cov) / 2]:
                r = int(binom.ppf(p, n, theta))
                f = binom.cdf(r, n, theta)
                g = binom.cdf(r - 1, n, theta) if r > 0 else 0.0
                a = (f - p) / (f - g) if f > g else 0.0
                row.append(min(1.0, max(0.0, (r - a) / n)))
            out.append([theta, n, cov, row[0], row[1]])
print(json.dumps(out))
"#;

#[test]
fn funnel_limits_equal_scipy() {
    let Some(output) = crate::scipy::run(SCRIPT, "scipy") else {
        return;
    };
    let rows: Vec<(f64, u64, f64, f64, f64)> =
        serde_json::from_slice(&output).expect("the peer's JSON");
    assert_eq!(rows.len(), 6 * 7 * 2);
    for (theta, n, coverage, lo, hi) in rows {
        let (a, b) = limits(theta, n, coverage).expect("limits");
        assert!(
            (a - lo).abs() < 1e-6 && (b - hi).abs() < 1e-6,
            "θ {theta}, n {n}, {coverage}: ({a}, {b}) here, ({lo}, {hi}) in SciPy"
        );
    }
}
