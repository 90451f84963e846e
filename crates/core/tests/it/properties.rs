//! The rules at their boundaries and as properties: band edges (49/50, 64/65, 79/80) under both
//! banding methods, the rounded/exact disagreement report, empty denominators, the overall score
//! bands, lowest-key-question rating, Not applicable answers never moving a figure, and regional
//! pooling (a region of one PDU rates like it; PDU order does not matter; pooled = sums).

use std::collections::BTreeMap;

use casework_core::framework::{BUILTIN, Framework, builtin};
use casework_core::{Answer, CaseRecord, CaseSet, Inspection, Ratings, SentenceType, rate};
use proptest::prelude::*;

const KQS: [&str; 12] = [
    "P2.1.1", "P2.1.2", "P2.1.3", "P2.2.1", "P2.2.2", "P2.2.3", "P2.3.1", "P2.3.2", "P2.3.3",
    "P2.4.1", "P2.4.2", "P2.4.3",
];

fn exact_framework() -> Framework {
    let text = BUILTIN[0]
        .1
        .replacen("banding = \"rounded\"", "banding = \"exact\"", 1);
    Framework::from_toml(&text, "exact").expect("valid variant")
}

/// Per key question: (yes, no, not applicable). Case i answers Yes while i < yes, then No, then NA.
type Counts = BTreeMap<&'static str, (usize, usize, usize)>;

fn counts(spec: &[(&'static str, (usize, usize, usize))]) -> Counts {
    let mut c: Counts = KQS.iter().map(|k| (*k, (10, 0, 0))).collect();
    c.extend(spec.iter().copied());
    c
}

fn cases(fw: &Framework, c: &Counts, prefix: &str) -> CaseSet {
    let inst = fw.instrument("sentence-management").expect("instrument");
    let n = c.values().map(|(y, no, na)| y + no + na).max().unwrap_or(0);
    let mut set = CaseSet::new(inst);
    for i in 0..n {
        let row: Vec<Answer> = inst
            .questions
            .iter()
            .map(|q| match c.get(q.id.as_str()) {
                Some(&(y, _, _)) if i < y => Answer::Yes,
                Some(&(y, no, _)) if i < y + no => Answer::No,
                Some(&(y, no, na)) if i < y + no + na => Answer::NotApplicable,
                _ => Answer::Unanswered,
            })
            .collect();
        set.push(
            CaseRecord {
                id: format!("{prefix}{i}"),
                sentence: Some(SentenceType::Community),
                ..Default::default()
            },
            &row,
        );
    }
    set
}

fn judged(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(c, r)| (c.to_string(), r.to_string()))
        .collect()
}

fn pdu(fw: &Framework, c: &Counts, name: &str) -> Inspection {
    Inspection {
        framework: "probation-2023".into(),
        kind: "pdu".into(),
        unit: name.into(),
        region: Some("Test Region".into()),
        judged: judged(&[
            ("P1.1", "requires-improvement"),
            ("P1.2", "requires-improvement"),
            ("P1.3", "requires-improvement"),
        ]),
        cases: vec![cases(fw, c, name)],
        ..Default::default()
    }
}

fn region(units: Vec<Inspection>) -> Inspection {
    Inspection {
        framework: "probation-2023".into(),
        kind: "region".into(),
        unit: "Test Region".into(),
        judged: judged(&[("R1.1", "good"), ("R1.2", "good")]),
        units,
        ..Default::default()
    }
}

fn rating_of(r: &Ratings, code: &str) -> Option<String> {
    r.standard(code)
        .and_then(|s| s.rating.as_ref())
        .map(|x| x.id.clone())
}

#[test]
fn band_edges_under_both_banding_methods() {
    let exact = exact_framework();
    for fw in [builtin(), &exact] {
        for (yes, want) in [
            (49, "inadequate"),
            (50, "requires-improvement"),
            (64, "requires-improvement"),
            (65, "good"),
            (79, "good"),
            (80, "outstanding"),
            (100, "outstanding"),
            (0, "inadequate"),
        ] {
            let c = counts(&[
                ("P2.1.1", (yes, 100 - yes, 0)),
                ("P2.1.2", (100, 0, 0)),
                ("P2.1.3", (100, 0, 0)),
            ]);
            let r = rate(fw, &pdu(fw, &c, "E"));
            assert_eq!(
                rating_of(&r, "P2.1").as_deref(),
                Some(want),
                "{yes}/100 under {:?}",
                fw.rules.banding
            );
            assert_eq!(
                r.key_question("P2.1", "P2.1.1").and_then(|k| k.percent),
                Some(yes as u32)
            );
            assert!(r.banding_disagreements.is_empty());
        }
    }
}

#[test]
fn a_fraction_just_under_an_edge_is_where_the_methods_disagree() {
    // 22 of 34 = 64.7%: printed 65% (Good when banded rounded), Requires improvement when exact.
    let c = counts(&[("P2.1.1", (22, 12, 0))]);
    let rounded = rate(builtin(), &pdu(builtin(), &c, "D"));
    let exact_fw = exact_framework();
    let exact = rate(&exact_fw, &pdu(&exact_fw, &c, "D"));
    assert_eq!(rating_of(&rounded, "P2.1").as_deref(), Some("good"));
    assert_eq!(
        rating_of(&exact, "P2.1").as_deref(),
        Some("requires-improvement")
    );
    for r in [&rounded, &exact] {
        let d = &r.banding_disagreements;
        assert_eq!(d.len(), 1, "{d:?}");
        assert_eq!(d[0].standard, "P2.1");
        assert_eq!(d[0].key_question, "P2.1.1");
        assert_eq!(d[0].rounded.id, "good");
        assert_eq!(d[0].exact.id, "requires-improvement");
        assert_eq!(
            r.key_question("P2.1", "P2.1.1").and_then(|k| k.percent),
            Some(65)
        );
    }
    // 20 of 34 = 58.8%: both methods say Requires improvement, nothing to flag.
    let c = counts(&[("P2.1.1", (20, 14, 0))]);
    assert!(
        rate(builtin(), &pdu(builtin(), &c, "D"))
            .banding_disagreements
            .is_empty()
    );
}

#[test]
fn half_a_point_below_each_edge_rounds_up_but_bands_down_when_exact() {
    let exact_fw = exact_framework();
    for (yes, rounded_band, exact_band) in [
        (99, "requires-improvement", "inadequate"), // 49.5%
        (129, "good", "requires-improvement"),      // 64.5%
        (159, "outstanding", "good"),               // 79.5%
    ] {
        let c = counts(&[("P2.3.2", (yes, 200 - yes, 0))]);
        let r = rate(builtin(), &pdu(builtin(), &c, "H"));
        let e = rate(&exact_fw, &pdu(&exact_fw, &c, "H"));
        assert_eq!(
            rating_of(&r, "P2.3").as_deref(),
            Some(rounded_band),
            "{yes}/200"
        );
        assert_eq!(
            rating_of(&e, "P2.3").as_deref(),
            Some(exact_band),
            "{yes}/200"
        );
        assert_eq!(r.banding_disagreements.len(), 1);
        assert_eq!(e.banding_disagreements.len(), 1);
    }
}

#[test]
fn no_relevant_cases_means_no_rating_and_no_overall() {
    let c = counts(&[
        ("P2.4.1", (0, 0, 10)),
        ("P2.4.2", (0, 0, 10)),
        ("P2.4.3", (0, 0, 10)),
    ]);
    let r = rate(builtin(), &pdu(builtin(), &c, "N"));
    let p24 = r.standard("P2.4").expect("P2.4");
    assert_eq!(p24.rating, None);
    assert_eq!(p24.driving, None);
    for kq in &p24.key_questions {
        assert_eq!((kq.percent, kq.relevant, kq.exact_percent), (None, 0, None));
        assert_eq!(kq.not_applicable, 10);
    }
    assert_eq!(r.unrated, vec!["P2.4".to_string()]);
    assert_eq!(r.overall, None);
    // Score counts the rated standards only: 3 x RI + 3 x Outstanding.
    assert_eq!(r.score, 3 + 9);
    assert_eq!(r.max_score, 21);
    // One relevant case is enough for a rating.
    let c = counts(&[
        ("P2.4.1", (0, 1, 9)),
        ("P2.4.2", (0, 0, 10)),
        ("P2.4.3", (0, 0, 10)),
    ]);
    let r = rate(builtin(), &pdu(builtin(), &c, "N"));
    assert_eq!(rating_of(&r, "P2.4").as_deref(), Some("inadequate"));
    assert!(r.overall.is_some());
}

#[test]
fn overall_score_bands_for_every_score() {
    let fw = builtin();
    let expect = |score: u32, edges: [u32; 3]| match score {
        s if s <= edges[0] => "inadequate",
        s if s <= edges[1] => "requires-improvement",
        s if s <= edges[2] => "good",
        _ => "outstanding",
    };
    let pdu_kind = fw.kind("pdu").expect("pdu");
    for s in 0..=21 {
        let got = fw.overall_for(pdu_kind, s).map(|r| r.id.as_str());
        assert_eq!(got, Some(expect(s, [3, 10, 17])), "PDU score {s}");
    }
    assert!(fw.overall_for(pdu_kind, 22).is_none());
    let region_kind = fw.kind("region").expect("region");
    for s in 0..=24 {
        let got = fw.overall_for(region_kind, s).map(|r| r.id.as_str());
        assert_eq!(got, Some(expect(s, [4, 12, 20])), "region score {s}");
    }
}

#[test]
fn score_3_is_inadequate_and_4_requires_improvement_end_to_end() {
    let fw = builtin();
    let all_poor = counts(&KQS.map(|k| (k, (1, 9, 0))));
    let mut inspection = pdu(fw, &all_poor, "S");
    let r = rate(fw, &inspection);
    assert_eq!(
        (r.score, r.overall.map(|o| o.id)),
        (3, Some("inadequate".into()))
    );
    inspection.judged.insert("P1.1".into(), "good".into());
    let r = rate(fw, &inspection);
    assert_eq!(
        (r.score, r.overall.map(|o| o.id)),
        (4, Some("requires-improvement".into()))
    );
}

fn kq_counts() -> impl Strategy<Value = (usize, usize)> {
    (0usize..40, 0usize..40).prop_filter("at least one relevant case", |(y, n)| y + n > 0)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn a_standard_takes_the_band_of_its_lowest_key_question(
        a in kq_counts(), b in kq_counts(), c in kq_counts()
    ) {
        let fw = builtin();
        let spec = counts(&[
            ("P2.2.1", (a.0, a.1, 0)),
            ("P2.2.2", (b.0, b.1, 0)),
            ("P2.2.3", (c.0, c.1, 0)),
        ]);
        let r = rate(fw, &pdu(fw, &spec, "L"));
        let lowest = [a, b, c]
            .iter()
            .map(|&(y, n)| casework_core::framework::printed_percent(y as u64, (y + n) as u64))
            .min()
            .expect("three");
        let want = fw.band_for_percent(f64::from(lowest)).id.clone();
        prop_assert_eq!(rating_of(&r, "P2.2"), Some(want));
        let driving = r.standard("P2.2").and_then(|s| s.driving.clone()).expect("driving");
        prop_assert_eq!(r.key_question("P2.2", &driving).and_then(|k| k.percent), Some(lowest));
    }

    #[test]
    fn not_applicable_answers_never_change_a_figure(
        a in kq_counts(), b in kq_counts(), extra in 1usize..30
    ) {
        let fw = builtin();
        let base = counts(&[("P2.4.1", (a.0, a.1, 0)), ("P2.4.3", (b.0, b.1, 0))]);
        let with_na = counts(&[("P2.4.1", (a.0, a.1, extra)), ("P2.4.3", (b.0, b.1, extra + 3))]);
        let r1 = rate(fw, &pdu(fw, &base, "A"));
        let r2 = rate(fw, &pdu(fw, &with_na, "A"));
        for (s1, s2) in r1.standards.iter().zip(&r2.standards) {
            prop_assert_eq!(&s1.rating, &s2.rating);
            for (k1, k2) in s1.key_questions.iter().zip(&s2.key_questions) {
                prop_assert_eq!((k1.yes, k1.relevant, k1.percent), (k2.yes, k2.relevant, k2.percent));
            }
        }
        prop_assert_eq!(r1.score, r2.score);
        prop_assert_eq!(&r1.overall, &r2.overall);
    }

    #[test]
    fn a_region_of_one_pdu_rates_like_that_pdu(
        s in proptest::collection::vec(kq_counts(), 12)
    ) {
        let fw = builtin();
        let spec: Counts = KQS.iter().zip(&s).map(|(k, &(y, n))| (*k, (y, n, 0))).collect();
        let p = pdu(fw, &spec, "One");
        let pr = rate(fw, &p);
        let rr = rate(fw, &region(vec![p]));
        for (regional, stage_focus) in [("R2.1", 3), ("R2.2", 2)] {
            for stage in 1..=4 {
                let kq = format!("P2.{stage}.{stage_focus}");
                let at_pdu = pr.key_question(&format!("P2.{stage}"), &kq).expect("pdu kq");
                let at_region = rr.key_question(regional, &kq).expect("region kq");
                prop_assert_eq!(
                    (at_pdu.yes, at_pdu.relevant, at_pdu.percent),
                    (at_region.yes, at_region.relevant, at_region.percent)
                );
            }
        }
    }

    #[test]
    fn pooling_sums_answers_and_ignores_pdu_order(
        units in proptest::collection::vec(proptest::collection::vec(kq_counts(), 12), 2..5),
        rotate in 0usize..4
    ) {
        let fw = builtin();
        let pdus: Vec<Inspection> = units
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let spec: Counts = KQS.iter().zip(s).map(|(k, &(y, n))| (*k, (y, n, 0))).collect();
                pdu(fw, &spec, &format!("U{i}"))
            })
            .collect();
        let mut rotated = pdus.clone();
        rotated.rotate_left(rotate % pdus.len());
        let a = rate(fw, &region(pdus));
        let b = rate(fw, &region(rotated));
        prop_assert_eq!(&a.standards, &b.standards);
        prop_assert_eq!(a.score, b.score);
        // Pooled = sum of Yes over sum of relevant, for P2.1.3 (R2.1's first key question).
        let yes: usize = units.iter().map(|s| s[2].0).sum();
        let relevant: usize = units.iter().map(|s| s[2].0 + s[2].1).sum();
        let kq = a.key_question("R2.1", "P2.1.3").expect("kq");
        prop_assert_eq!((kq.yes, kq.relevant), (yes as u64, relevant as u64));
        prop_assert_eq!(
            kq.percent,
            Some(casework_core::framework::printed_percent(yes as u64, relevant as u64))
        );
    }
}
