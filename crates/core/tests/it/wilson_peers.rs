//! `casework_core::wilson::wilson_interval` against SciPy's
//! `binomtest(k, n).proportion_ci(method="wilson")` on a grid of counts and two confidence
//! levels, edge cases included (0 of n, n of n, 1 of 1), equal to the ninth decimal. SciPy comes
//! with the agreement peers (`.ci/run`); without it the test says SKIPPED, or fails when
//! `CASEWORK_REQUIRE_TOOLS` is set.

use casework_core::wilson::wilson_interval;

const SCRIPT: &str = r#"
import json
from scipy.stats import binomtest
out = []
for n in [1, 2, 5, 34, 38, 77, 150, 1000]:
    for k in sorted({0, 1, n // 3, n // 2, n - 1, n}):
        if k < 0 or k > n:
            continue
        for c in [0.95, 0.8]:
            ci = binomtest(k, n).proportion_ci(confidence_level=c, method="wilson")
            out.append([k, n, c, ci.low, ci.high])
print(json.dumps(out))
"#;

#[test]
fn wilson_intervals_equal_scipy() {
    let Some(output) = crate::scipy::run(SCRIPT) else {
        return;
    };
    let rows: Vec<(u64, u64, f64, f64, f64)> =
        serde_json::from_slice(&output).expect("the peer's JSON");
    assert!(rows.len() > 60, "{} rows", rows.len());
    for (k, n, c, lo, hi) in rows {
        let (a, b) = wilson_interval(k, n, c).expect("interval");
        assert!(
            (a - lo).abs() < 1e-9 && (b - hi).abs() < 1e-9,
            "{k} of {n} at {c}: ({a}, {b}) here, ({lo}, {hi}) in SciPy"
        );
        assert!((0.0..=1.0).contains(&a) && (0.0..=1.0).contains(&b));
    }
}
