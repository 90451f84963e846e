//! Case attributes the framework declares (practitioner grade, risk of serious harm level): read
//! from CSV columns and JSON by value id or label, refused where a value is not allowed (located),
//! checked on load of the framework, and counted by the breakdowns, whose cells show counts only
//! for small groups.

use casework_core::Framework;
use casework_core::framework::{BUILTIN, builtin};
use casework_core::input::ErrorKind;
use casework_core::rating::breakdown::{SMALL_GROUP, breakdown, count, shown};
use casework_core::subgroup::Subgroup;

use crate::support::{ALL_YES, ATTRS, KEYS, Tree, assert_located, row};

/// A PDU whose CSV carries `grade` after the built-in attributes.
fn graded(rows: &[(&str, &str, &str)]) -> Tree {
    let mut csv = format!("{ATTRS},grade,{KEYS}\n");
    for (id, grade, answers) in rows {
        csv.push_str(&row(
            id,
            &format!("community,N,,sufficient,{grade}"),
            answers,
        ));
        csv.push('\n');
    }
    let mut t = Tree::pdu_no_cases();
    t.put("pdu/sentence-management.csv", &csv);
    t
}

#[test]
fn a_declared_attribute_is_read_by_id_or_label_and_blank_is_not_recorded() {
    let t = graded(&[
        ("C1", "po", ALL_YES),
        ("C2", "Probation services officer", ALL_YES),
        ("C3", " PQIP ", ALL_YES),
        ("C4", "", ALL_YES),
    ]);
    let inspection = t.load("pdu").expect("valid");
    let grades: Vec<Option<&str>> = inspection.cases[0]
        .cases()
        .iter()
        .map(|c| c.attributes.get("grade").map(String::as_str))
        .collect();
    assert_eq!(grades, [Some("po"), Some("pso"), Some("pqip"), None]);
}

#[test]
fn a_value_the_framework_does_not_allow_is_refused_where_it_is() {
    let t = graded(&[("C1", "po", ALL_YES), ("C2", "chief", ALL_YES)]);
    let e = t.error("pdu");
    assert_located(
        &e,
        ErrorKind::BadValue,
        "sentence-management.csv",
        Some(3),
        "grade",
    );
    assert!(
        e.problem
            .contains("'chief' is not allowed; allowed: po, pso, pqip, spo"),
        "{e}"
    );
}

#[test]
fn an_attribute_another_instrument_records_is_an_unknown_column() {
    let mut t = Tree::pdu_no_cases();
    t.put(
        "pdu/sentence-management.csv",
        &format!(
            "{ATTRS},omic,{KEYS}\n{}\n",
            row("C1", "community,N,,,yes", ALL_YES)
        ),
    );
    let e = t.error("pdu");
    assert_located(
        &e,
        ErrorKind::UnknownColumn,
        "sentence-management.csv",
        Some(1),
        "omic",
    );
}

#[test]
fn json_cases_carry_attributes_and_refuse_unknown_ones() {
    let doc = |attributes: &str| {
        format!(
            r#"{{"framework": "probation-2023", "kind": "pdu", "unit": "T",
            "judged": {{"P1.1": "good", "P1.2": "good", "P1.3": "good"}},
            "cases": {{"sentence-management": [{{"id": "C1", "sentence": "community",
            "attributes": {attributes}, "answers": {{{}}}}}]}}}}"#,
            KEYS.split(',')
                .map(|k| format!("\"{k}\": \"Y\""))
                .collect::<Vec<_>>()
                .join(", ")
        )
    };
    let mut t = Tree::pdu_no_cases();
    t.put("doc.json", &doc(r#"{"grade": "PSO", "rosh": "Very high"}"#));
    let inspection = t.load("doc.json").expect("valid");
    let case = &inspection.cases[0].cases()[0];
    assert_eq!(
        case.attributes.get("grade").map(String::as_str),
        Some("pso")
    );
    assert_eq!(
        case.attributes.get("rosh").map(String::as_str),
        Some("very-high")
    );

    t.put("doc.json", &doc(r#"{"shoe-size": "9"}"#));
    let e = t.error("doc.json");
    assert_eq!(e.kind, ErrorKind::UnknownColumn);
    assert_eq!(
        e.column.as_deref(),
        Some("cases.sentence-management[0].attributes.shoe-size")
    );
}

#[test]
fn declarations_are_checked_when_the_framework_loads() {
    let text = BUILTIN[0].1;
    let broken = |from: &str, to: &str| {
        assert!(text.contains(from), "no {from:?}");
        Framework::from_toml(&text.replacen(from, to, 1), "t.toml").expect_err("refused")
    };
    let e = broken("id = \"rosh\"", "id = \"grade\"");
    assert!(
        e.path.starts_with("attributes[1].id") && e.problem.contains("declared twice"),
        "{e}"
    );
    let e = broken("id = \"rosh\"", "id = \"sentence\"");
    assert!(e.problem.contains("already a case column"), "{e}");
    let e = broken("id = \"rosh\"", "id = \"Risk Level\"");
    assert!(e.problem.contains("kebab-case"), "{e}");
    let e = broken(
        "instruments = [\"resettlement\"]",
        "instruments = [\"no-such-form\"]",
    );
    assert!(
        e.problem.contains("unknown instrument 'no-such-form'"),
        "{e}"
    );
}

#[test]
fn breakdowns_count_each_group_and_small_groups_show_counts_only() {
    let no_p211 = "N,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y";
    let t = graded(&[
        ("C1", "po", ALL_YES),
        ("C2", "po", no_p211),
        ("C3", "pso", ALL_YES),
        ("C4", "", no_p211),
    ]);
    let inspection = t.load("pdu").expect("valid");
    let fw = builtin();
    let b = breakdown(fw, &inspection, "grade", None).expect("grade is declared");
    let groups: Vec<(&str, u64)> = b
        .groups
        .iter()
        .map(|g| (g.value.as_str(), g.cases))
        .collect();
    assert_eq!(
        groups,
        [
            ("po", 2),
            ("pso", 1),
            ("pqip", 0),
            ("spo", 0),
            ("not-recorded", 1)
        ]
    );
    let p211 = b.rows.iter().find(|r| r.question == "P2.1.1").expect("row");
    assert_eq!(p211.cells, [(1, 2), (1, 1), (0, 0), (0, 0), (0, 1)]);
    let c = count(fw, &inspection, "P2.1.1", &Subgroup::of("grade", "po")).expect("question");
    assert_eq!((c.yes, c.no), (1, 1));
    assert!(
        breakdown(fw, &inspection, "omic", None).is_err(),
        "not on this instrument"
    );

    assert_eq!(shown(4, 18), "4 out of 18");
    assert_eq!(shown(SMALL_GROUP - 1, SMALL_GROUP - 1), "19 out of 19");
    assert_eq!(shown(15, SMALL_GROUP), "15 out of 20 (75%)");
    assert_eq!(shown(0, 0), "none relevant");
}
