//! `casework_core::agreement` against its peers (issue 19): the `irrCAC` Python package (Gwet's
//! AC1, Conger's kappa, Krippendorff's alpha, each with standard error and 95% interval) and the
//! `krippendorff` package (alpha), on the same data, equal to the fourth decimal place: Cohen's
//! worked example, Gwet's handbook example (four markers, five categories, missing marks), the
//! high-agreement paradox, complete agreement in one category (undefined), nothing marked twice
//! (undefined), missing marks, three markers, and seeded random tables. The peers run through
//! `python3 crates/core/tests/peers/agreement.py` (pinned by `.ci/run`); without them the test says SKIPPED,
//! or fails when `CASEWORK_REQUIRE_TOOLS` is set.

use std::io::Write;
use std::process::{Command, Stdio};

use casework_core::agreement::{
    Row, Statistic, cohen_kappa, gwet_ac1, krippendorff_alpha, percent_agreement,
};
use serde_json::{Value, json};

/// Gwet's handbook example (Gwet 2014, table 2.16; irrCAC's `raw_4raters`): 12 cases, 4
/// markers, categories 1-5 as indices 0-4. irrCAC documents AC1 = 0.77544 (se 0.14295).
fn gwet_four_markers() -> Vec<Row> {
    let m = |v: [i32; 4]| -> Row {
        v.iter()
            .map(|&x| (x > 0).then(|| usize::try_from(x - 1).unwrap_or(0)))
            .collect()
    };
    vec![
        m([1, 1, 0, 1]),
        m([2, 2, 3, 2]),
        m([3, 3, 3, 3]),
        m([3, 3, 3, 3]),
        m([2, 2, 2, 2]),
        m([1, 2, 3, 4]),
        m([4, 4, 4, 4]),
        m([1, 1, 2, 1]),
        m([2, 2, 2, 2]),
        m([0, 5, 5, 5]),
        m([0, 0, 1, 1]),
        m([0, 0, 3, 0]),
    ]
}

/// Two markers' Yes (1) / No (0) marks: `yy` cases both Yes, `yn`, `ny`, `nn`.
fn two_by_two(yy: usize, yn: usize, ny: usize, nn: usize) -> Vec<Row> {
    let mut rows = Vec::new();
    for (count, a, b) in [(yy, 1, 1), (yn, 1, 0), (ny, 0, 1), (nn, 0, 0)] {
        rows.extend(std::iter::repeat_n(vec![Some(a), Some(b)], count));
    }
    rows
}

/// A seeded table: `cases` × `markers`, `categories` categories, about one mark in ten missing;
/// markers agree with a case's "true" category with probability 0.8. (A fixed LCG: the data,
/// not the generator, is what is compared.)
fn random(seed: u64, cases: usize, markers: usize, categories: usize) -> Vec<Row> {
    let mut state = seed;
    let mut next = || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) as usize
    };
    (0..cases)
        .map(|_| {
            let truth = next() % categories;
            let mut row: Row = (0..markers)
                .map(|_| match next() % 100 {
                    0..10 => None,
                    10..80 => Some(truth),
                    _ => Some(next() % categories),
                })
                .collect();
            if row.iter().filter(|c| c.is_some()).count() == 0 {
                row[0] = Some(truth);
            }
            row
        })
        .collect()
}

fn data_sets() -> Vec<(&'static str, Vec<Row>, usize)> {
    let mut missing = two_by_two(20, 3, 2, 15);
    missing.push(vec![Some(1), None]);
    missing.push(vec![None, Some(0)]);
    missing.push(vec![Some(0), None]);
    vec![
        ("Cohen-style worked example", two_by_two(5, 1, 1, 3), 2),
        ("Gwet's handbook, four markers", gwet_four_markers(), 5),
        ("high-agreement paradox", two_by_two(48, 1, 1, 0), 2),
        ("balanced disagreement", two_by_two(10, 10, 10, 10), 2),
        (
            "complete agreement in one category",
            two_by_two(30, 0, 0, 0),
            2,
        ),
        ("missing marks", missing, 2),
        ("three markers, three categories", random(7, 40, 3, 3), 3),
        ("random 2 markers, 200 cases", random(11, 200, 2, 2), 2),
        ("random 4 markers, 60 cases", random(23, 60, 4, 2), 2),
        ("random 2 markers, 3 categories", random(42, 120, 2, 3), 3),
        ("random 3 markers, 25 cases", random(99, 25, 3, 2), 2),
    ]
}

fn peers(sets: &[(&str, Vec<Row>, usize)]) -> Option<Vec<Value>> {
    let script = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/peers/agreement.py");
    let input = json!(
        sets.iter()
            .map(|(_, rows, q)| json!({"rows": rows, "categories": q}))
            .collect::<Vec<_>>()
    );
    let child = Command::new("python3")
        .arg(&script)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn();
    let Ok(mut child) = child else {
        return None;
    };
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input.to_string().as_bytes())
        .expect("write the data sets");
    let out = child.wait_with_output().expect("python3 ran");
    if !out.status.success() {
        let err = String::from_utf8_lossy(&out.stderr);
        if err.contains("ModuleNotFoundError") {
            return None;
        }
        panic!("the peer script failed: {err}");
    }
    Some(serde_json::from_slice::<Vec<Value>>(&out.stdout).expect("the peers' JSON"))
}

/// Ours against the peer's figures for one coefficient, to the fourth decimal place.
fn same(name: &str, set: &str, ours: &Statistic, peer: &Value, failures: &mut Vec<String>) {
    let close = |a: f64, b: &Value| b.as_f64().is_some_and(|b| (a - b).abs() < 5e-5);
    match ours {
        Statistic::Undefined { .. } => {
            // Chance agreement of 1 makes the coefficient 0/0; a peer that divides anyway gets
            // a number from rounding noise in pe (irrCAC's alpha says 1.0), not from the data.
            let zero_over_zero = peer["pe"]
                .as_f64()
                .is_some_and(|pe| (1.0 - pe).abs() < 1e-9);
            if !peer.is_null() && !peer["value"].is_null() && !zero_over_zero {
                failures.push(format!(
                    "{set}: {name} undefined here, {} there",
                    peer["value"]
                ));
            }
        }
        Statistic::Defined(e) => {
            if !close(e.value, &peer["value"]) {
                failures.push(format!(
                    "{set}: {name} {} here, {} there",
                    e.value, peer["value"]
                ));
            }
            if !close(e.pa, &peer["pa"]) {
                failures.push(format!(
                    "{set}: {name} pa {} here, {} there",
                    e.pa, peer["pa"]
                ));
            }
            if let (Some(se), Some((lo, hi))) = (e.standard_error, e.interval) {
                if !close(se, &peer["se"]) {
                    failures.push(format!("{set}: {name} se {se} here, {} there", peer["se"]));
                }
                if !close(lo, &peer["interval"][0]) || !close(hi, &peer["interval"][1]) {
                    failures.push(format!(
                        "{set}: {name} interval ({lo}, {hi}) here, {} there",
                        peer["interval"]
                    ));
                }
            }
        }
    }
}

#[test]
fn agreement_statistics_equal_irrcac_and_krippendorff() {
    let sets = data_sets();
    let Some(peer) = peers(&sets) else {
        if std::env::var_os("CASEWORK_REQUIRE_TOOLS").is_some() {
            panic!(
                "python3 with irrCAC and krippendorff is required (CASEWORK_REQUIRE_TOOLS is set)"
            );
        }
        eprintln!(
            "SKIPPED: python3 with irrCAC and krippendorff is not installed (.ci/run installs them)"
        );
        return;
    };
    let mut failures = Vec::new();
    for ((set, rows, q), peer) in sets.iter().zip(&peer) {
        same("AC1", set, &gwet_ac1(rows, *q), &peer["ac1"], &mut failures);
        same(
            "kappa",
            set,
            &cohen_kappa(rows, *q),
            &peer["kappa"],
            &mut failures,
        );
        let alpha = krippendorff_alpha(rows, *q);
        same("alpha", set, &alpha, &peer["alpha"], &mut failures);
        let other = &peer["krippendorff_alpha"];
        match alpha.value() {
            Some(a) if other.as_f64().is_some_and(|b| (a - b).abs() < 5e-5) => {}
            None if other.is_null() => {}
            mine => failures.push(format!(
                "{set}: alpha {mine:?} here, {other} in krippendorff"
            )),
        }
        if let (Some(pa), Statistic::Defined(e)) = (percent_agreement(rows, *q), gwet_ac1(rows, *q))
        {
            assert!((pa - e.pa).abs() < 1e-12, "{set}: one percent agreement");
        }
    }
    // Gwet's documented figures, as published.
    let ac1 = gwet_ac1(&gwet_four_markers(), 5);
    let Statistic::Defined(e) = ac1 else {
        panic!("AC1 undefined on Gwet's example");
    };
    assert!(
        (e.value - 0.77544).abs() < 5e-6
            && (e.standard_error.unwrap_or(0.0) - 0.14295).abs() < 5e-6
    );
    assert!(
        failures.is_empty(),
        "{} difference(s):\n{}",
        failures.len(),
        failures.join("\n")
    );
}
