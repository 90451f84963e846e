//! `casework_core::proportion`'s Wilson, Clopper-Pearson ("beta") and Jeffreys intervals against
//! `statsmodels.stats.proportion.proportion_confint` on a grid of (Yes, relevant) up to 500 at
//! two confidence levels, edge cases included (0 of n, n of n, 1 of 1), equal to the ninth
//! decimal; 0 of 0, where statsmodels gives NaN, has no interval here. statsmodels is pinned and
//! installed by `.ci/run`; without it the test says SKIPPED, or fails when
//! `CASEWORK_REQUIRE_TOOLS` is set.

use casework_core::proportion::{IntervalFn, clopper_pearson, jeffreys, wilson};

const SCRIPT: &str = r#"
import json, math
from statsmodels.stats.proportion import proportion_confint
out = []
for n in [0, 1, 2, 3, 5, 10, 34, 38, 71, 77, 150, 333, 500]:
    for k in sorted({0, 1, 2, n // 3, n // 2, (2 * n) // 3, n - 2, n - 1, n}):
        if k < 0 or k > n:
            continue
        for c in [0.95, 0.8]:
            row = [k, n, c]
            for method in ["wilson", "beta", "jeffreys"]:
                lo, hi = proportion_confint(k, n, alpha=1 - c, method=method) if n else (math.nan, math.nan)
                row += [None if math.isnan(lo) else float(lo), None if math.isnan(hi) else float(hi)]
            out.append(row)
print(json.dumps(out))
"#;

type Row = (u64, u64, f64, [Option<f64>; 6]);

#[test]
fn proportion_intervals_equal_statsmodels() {
    let Some(output) = crate::scipy::run(SCRIPT, "statsmodels") else {
        return;
    };
    let rows: Vec<Vec<serde_json::Value>> =
        serde_json::from_slice(&output).expect("the peer's JSON");
    let rows: Vec<Row> = rows
        .into_iter()
        .map(|r| {
            let bounds: Vec<Option<f64>> = r[3..].iter().map(serde_json::Value::as_f64).collect();
            (
                r[0].as_u64().expect("k"),
                r[1].as_u64().expect("n"),
                r[2].as_f64().expect("c"),
                bounds.try_into().expect("six bounds"),
            )
        })
        .collect();
    assert!(rows.len() > 150, "{} rows", rows.len());
    let methods: [(&str, IntervalFn); 3] = [
        ("wilson", wilson),
        ("clopper-pearson", clopper_pearson),
        ("jeffreys", jeffreys),
    ];
    for (k, n, c, bounds) in rows {
        for (m, (name, interval)) in methods.iter().enumerate() {
            let ours = interval(k, n, c);
            let (lo, hi) = (bounds[2 * m], bounds[2 * m + 1]);
            match (ours, lo, hi) {
                (None, None, None) => assert_eq!(n, 0, "{name}: only 0 of 0 is undefined"),
                (Some(i), Some(lo), Some(hi)) => {
                    assert!(
                        (i.lower - lo).abs() < 1e-9 && (i.upper - hi).abs() < 1e-9,
                        "{name} {k} of {n} at {c}: ({}, {}) here, ({lo}, {hi}) in statsmodels",
                        i.lower,
                        i.upper
                    );
                    assert!((0.0..=1.0).contains(&i.lower) && (0.0..=1.0).contains(&i.upper));
                }
                other => panic!("{name} {k} of {n} at {c}: {other:?}"),
            }
        }
    }
}
