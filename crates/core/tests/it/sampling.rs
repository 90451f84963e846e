//! The case sample (issue 16) from a caseload extract: located errors in the extract and its
//! mapping, the plan's size and allotment, eligibility by window and exclusion, the draw's
//! repeatability (seed, row order) against a committed expected draw, and the comparison.

use casework_core::framework::builtin;
use casework_core::input::{ErrorKind, Place};
use casework_core::sampling::extract::{self, Caseload, ColumnMapping, read_csv};
use casework_core::sampling::spec::{SampleSpec, Window};
use casework_core::sampling::{Role, compare, draw, plan};

const HEADER: &str = "reference,pdu,sentence,start,rosh,grade,name";

/// `n` cases over two PDUs, the sentences and risk levels in turn, all starting in August 2024.
fn extract_text(n: usize) -> String {
    let mut text = format!("{HEADER}\n");
    let sentences = ["community order", "SSO", "licence", "licence"];
    let rosh = ["low", "medium", "high", "medium"];
    for i in 0..n {
        text.push_str(&format!(
            "R{i:04},{},{},{:02}/08/2024,{},po,Someone Named\n",
            if i % 3 == 0 { "Eastmere" } else { "Westbury" },
            sentences[i % 4],
            i % 28 + 1,
            rosh[i / 4 % 4],
        ));
    }
    text
}

fn caseload(text: &str) -> Caseload {
    read_csv(
        builtin(),
        "sentence-management",
        &ColumnMapping::default(),
        "extract.csv",
        text,
    )
    .expect("the extract reads")
}

fn spec() -> SampleSpec {
    SampleSpec::builtin(builtin()).expect("the built-in specification")
}

#[test]
fn an_extract_keeps_only_the_mapped_fields() {
    let c = caseload(&extract_text(10));
    assert_eq!(c.cases.len(), 10);
    assert_eq!(c.pdus, ["Eastmere", "Westbury"]);
    assert_eq!(c.ignored_columns, ["name"], "the name column is never read");
    assert_eq!(c.cases[2].start, 20240803);
    let fw = builtin();
    assert_eq!(c.attributes_of(fw, 0), [("grade", "po"), ("rosh", "low")]);
}

#[test]
fn extract_errors_name_the_file_line_and_column() {
    let fw = builtin();
    let read = |text: &str, mapping: &ColumnMapping| {
        read_csv(fw, "sentence-management", mapping, "extract.csv", text).expect_err("refused")
    };
    let none = ColumnMapping::default();
    let mut bad_sentence = extract_text(3);
    bad_sentence.push_str("R9999,Eastmere,fine,01/08/2024,low,po,x\n");
    let e = read(&bad_sentence, &none);
    assert_eq!(
        (e.kind, e.line, e.column.as_deref()),
        (ErrorKind::BadValue, Some(5), Some("sentence"))
    );
    assert!(e.problem.contains("'fine' is not a sentence type"), "{e}");

    let mut duplicate = extract_text(3);
    duplicate.push_str("R0001,Eastmere,licence,01/08/2024,low,po,x\n");
    let e = read(&duplicate, &none);
    assert_eq!((e.kind, e.line), (ErrorKind::DuplicateCase, Some(5)));
    assert!(e.problem.contains("already on line 3"), "{e}");

    let mut out_of_scale = extract_text(2);
    out_of_scale.push_str("R9999,Eastmere,licence,01/08/2024,extreme,po,x\n");
    let e = read(&out_of_scale, &none);
    assert_eq!((e.line, e.column.as_deref()), (Some(4), Some("rosh")));

    let mut bad_date = extract_text(1);
    bad_date.push_str("R9999,Eastmere,licence,31/02/2024,low,po,x\n");
    assert_eq!(read(&bad_date, &none).column.as_deref(), Some("start"));

    let mapping =
        ColumnMapping::from_toml("[columns]\nreference = \"CRN\"\n", "map.toml").expect("mapping");
    let e = read(&extract_text(2), &mapping);
    assert_eq!((e.kind, e.line), (ErrorKind::MissingColumn, Some(1)));
    assert!(e.problem.contains("'CRN'"), "{e}");

    let e = read("reference,pdu,sentence\nR1,E,licence\n", &none);
    assert!(e.problem.contains("no column for start"), "{e}");

    let mapping =
        ColumnMapping::from_toml("[columns]\nsurname = \"name\"\n", "map.toml").expect("mapping");
    let e = read(&extract_text(2), &mapping);
    assert_eq!(e.kind, ErrorKind::UnknownColumn);
    assert!(e.problem.contains("'surname'"), "{e}");

    let e = extract::read(
        fw,
        "sentence-management",
        &none,
        "extract.xlsx",
        Place::Row,
        &[
            "reference".into(),
            "pdu".into(),
            "sentence".into(),
            "start".into(),
        ],
        [(
            2,
            vec![
                "R1".into(),
                "".into(),
                "licence".into(),
                "2024-08-01".into(),
            ],
        )]
        .into_iter(),
    )
    .expect_err("blank PDU");
    assert_eq!(
        (e.place, e.line, e.column.as_deref()),
        (Place::Row, Some(2), Some("pdu"))
    );
}

#[test]
fn the_plan_sizes_the_sample_and_allots_it_in_proportion() {
    let c = caseload(&extract_text(150));
    let p = plan(builtin(), &spec(), &c).expect("plan");
    assert_eq!(p.population, 150);
    assert_eq!(p.size, 33, "80% confidence and ten points from 150 cases");
    let margin = p.margin.expect("margin");
    assert!(margin > 0.09 && margin <= 0.10, "{margin}");
    assert_eq!(p.strata.iter().map(|s| s.allotted).sum::<u64>(), 33);
    for s in &p.strata {
        let share = 33.0 * s.population as f64 / 150.0;
        assert!((s.allotted as f64 - share).abs() < 1.0, "{s:?}");
    }
    // Strata are sentence type × PDU, in key order (the extract has no post-sentence supervision).
    assert_eq!(p.strata[0].key, ["community-order", "Eastmere"]);
    assert_eq!(p.strata.len(), 6, "three sentence types in two PDUs");
}

#[test]
fn windows_and_exclusions_decide_who_is_eligible() {
    let fw = builtin();
    let c = caseload(&extract_text(120));
    let mut s = spec();
    s.windows
        .push(Window::parse("2024-08-01..2024-08-07").expect("window"));
    s.windows
        .push(Window::parse("15/08/2024..21/08/2024").expect("window"));
    let text = toml::to_string(&s).expect("spec as TOML")
        + "\n[[exclude]]\nfield = \"sentence\"\nvalues = [\"SSO\"]\nreason = \"suspended sentences are sampled apart\"\n";
    let s = SampleSpec::from_toml(&text, "spec.toml", fw).expect("spec");
    let p = plan(fw, &s, &c).expect("plan");
    let e = &p.eligibility;
    let in_windows = c
        .cases
        .iter()
        .filter(|k| {
            (20240801..=20240807).contains(&k.start) || (20240815..=20240821).contains(&k.start)
        })
        .count() as u64;
    assert_eq!(e.outside_windows, 120 - in_windows);
    assert_eq!(e.excluded[0].0, "suspended sentences are sampled apart");
    assert_eq!(e.excluded[0].1 + p.population, in_windows);
    assert!(
        p.strata
            .iter()
            .all(|s| s.key[0] != "suspended-sentence-order")
    );

    assert!(Window::parse("2024-08-07..2024-08-01").is_err());
    assert!(Window::parse("2024-08").is_err());
    let bad = text.replace("values = [\"SSO\"]", "values = [\"fine\"]");
    let e = SampleSpec::from_toml(&bad, "spec.toml", fw).expect_err("bad value");
    assert_eq!(e.key, "exclude[0].values");
}

#[test]
fn the_same_extract_spec_and_seed_draw_the_same_cases_in_any_row_order() {
    let fw = builtin();
    let text = extract_text(150);
    let c = caseload(&text);
    let p = plan(fw, &spec(), &c).expect("plan");
    let a = draw(&p, 2026);
    assert_eq!(a, draw(&p, 2026));
    assert_ne!(a, draw(&p, 2027));
    let drawn: Vec<&str> = a
        .iter()
        .filter(|d| d.role == Role::Drawn)
        .map(|d| c.cases[d.case].reference.as_str())
        .collect();
    assert_eq!(drawn.len(), 33);
    let reserves = a.iter().filter(|d| d.role == Role::Reserve).count();
    assert_eq!(reserves, 2 * p.strata.len());
    // The rows reversed: the same cases.
    let mut lines: Vec<&str> = text.lines().collect();
    lines[1..].reverse();
    let reversed = caseload(&(lines.join("\n") + "\n"));
    let rp = plan(fw, &spec(), &reversed).expect("plan");
    let again: Vec<&str> = draw(&rp, 2026)
        .iter()
        .filter(|d| d.role == Role::Drawn)
        .map(|d| reversed.cases[d.case].reference.as_str())
        .collect();
    assert_eq!(drawn, again);
    // Committed expected draw: ChaCha8 seeded with 2026, rand 0.9's index::sample per stratum.
    expect_test::expect!["R0000 R0060 R0132 R0004 R0056 R0020 R0116 R0032 R0147 R0111 R0138 R0078 R0003 R0034 R0086 R0122 R0067 R0134 R0070 R0139 R0119 R0046 R0023 R0014 R0057 R0045 R0105 R0125 R0005 R0037 R0085 R0137 R0029"]
    .assert_eq(&drawn.join(" "));
}

#[test]
fn the_comparison_counts_every_value_of_every_field() {
    let fw = builtin();
    let c = caseload(&extract_text(150));
    let s = spec();
    let p = plan(fw, &s, &c).expect("plan");
    let drawn: Vec<usize> = draw(&p, 7)
        .iter()
        .filter(|d| d.role == Role::Drawn)
        .map(|d| d.case)
        .collect();
    let cmp = compare(fw, &s, &c, &p.eligibility.eligible, &drawn);
    assert_eq!((cmp.population, cmp.sample), (150, 33));
    for field in [
        "Sentence type",
        "PDU",
        "Risk of serious harm",
        "Practitioner grade",
    ] {
        let rows: Vec<_> = cmp.rows.iter().filter(|r| r.field == field).collect();
        assert_eq!(
            rows.iter().map(|r| r.population).sum::<u64>(),
            150,
            "{field}"
        );
        assert_eq!(rows.iter().map(|r| r.sample).sum::<u64>(), 33, "{field}");
    }
    // Every case is a PO's: the one grade row has both shares 1, its difference undefined.
    let po = cmp.rows.iter().find(|r| r.value == "po").expect("po");
    assert_eq!(po.standardised_difference, None);
    assert!(!po.large);
    // Stratified on PDU: the sample's PDU shares are within a case of the population's.
    for r in cmp.rows.iter().filter(|r| r.field == "PDU") {
        assert!(
            (r.sample_share - r.population_share).abs() < 1.5 / 33.0,
            "{r:?}"
        );
    }
}
