//! Bad input gives a clear, located error: every kind of mistake a user can make in an inspection
//! directory or JSON document is reported with its kind, file, line and column, and nothing loads.

use std::collections::HashMap;

use crate::support::{ALL_YES, ATTRS, KEYS, PDU_TOML, Tree, assert_located, row};
use casework_core::input::{ErrorKind, InputError};

#[test]
fn a_valid_pdu_loads() {
    let t = Tree::pdu(&[
        &row("C1", "community,N,,sufficient", ALL_YES),
        &row("C2", "licence,Y,12,absent", "N,N,N,N,N,N,N,N,N,NA,NA,NA"),
    ]);
    let inspection = t.load("pdu").expect("valid");
    assert_eq!(inspection.unit, "Testford");
    assert_eq!(inspection.case_count(), 2);
    assert_eq!(inspection.fieldwork_start.as_deref(), Some("2025-02-24"));
}

#[test]
fn unknown_column() {
    let mut t = Tree::pdu_no_cases();
    t.put(
        "pdu/sentence-management.csv",
        &format!(
            "{ATTRS},{KEYS},P9.9\n{},Y\n",
            row("C1", "community,N,,", ALL_YES)
        ),
    );
    let e = t.error("pdu");
    assert_located(
        &e,
        ErrorKind::UnknownColumn,
        "sentence-management.csv",
        Some(1),
        "P9.9",
    );
}

#[test]
fn duplicate_case_id_names_the_first_line() {
    let t = Tree::pdu(&[
        &row("C1", "community,N,,", ALL_YES),
        &row("C2", "community,N,,", ALL_YES),
        &row("C1", "licence,N,,", ALL_YES),
    ]);
    let e = t.error("pdu");
    assert_located(
        &e,
        ErrorKind::DuplicateCase,
        "sentence-management.csv",
        Some(4),
        "case_id",
    );
    assert!(e.problem.contains("first on line 2"), "{e}");
}

#[test]
fn an_answer_that_is_not_y_n_or_na() {
    let t = Tree::pdu(&[&row("C1", "community,N,,", "Y,Maybe,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y")]);
    let e = t.error("pdu");
    assert_located(
        &e,
        ErrorKind::BadValue,
        "sentence-management.csv",
        Some(2),
        "P2.1.2",
    );
    assert!(
        e.problem.contains("'Maybe'") && e.problem.contains(casework_core::Answer::ALLOWED),
        "{e}"
    );
}

#[test]
fn a_blank_key_question() {
    let t = Tree::pdu(&[&row("C1", "community,N,,", "Y,Y,Y,,Y,Y,Y,Y,Y,Y,Y,Y")]);
    let e = t.error("pdu");
    assert_located(
        &e,
        ErrorKind::MissingKeyAnswer,
        "sentence-management.csv",
        Some(2),
        "P2.2.1",
    );
}

#[test]
fn not_applicable_where_the_question_does_not_allow_it() {
    let t = Tree::pdu(&[&row("C1", "community,N,,", "NA,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y")]);
    let e = t.error("pdu");
    assert_located(
        &e,
        ErrorKind::NotApplicableNotAllowed,
        "sentence-management.csv",
        Some(2),
        "P2.1.1",
    );
}

#[test]
fn an_answer_to_a_licence_only_prompt_on_a_community_case() {
    let mut t = Tree::pdu_no_cases();
    t.put(
        "pdu/sentence-management.csv",
        &format!(
            "{ATTRS},{KEYS},P2.1.3h\n{},NA\n{},Y\n{},Y\n",
            row("C1", "community,N,,", ALL_YES),
            row("C2", "licence,N,,", ALL_YES),
            row("C3", "community,N,,", ALL_YES)
        ),
    );
    let e = t.error("pdu");
    assert_located(
        &e,
        ErrorKind::DoesNotApply,
        "sentence-management.csv",
        Some(4),
        "P2.1.3h",
    );
    assert!(e.problem.contains("C3"), "{e}");
}

#[test]
fn an_answer_to_a_prompt_the_adjusted_standards_leave_out() {
    let csv = |weeks: u32| {
        format!(
            "{ATTRS},{KEYS},P2.4.2c\n{},Y\n",
            row("C1", &format!("licence,Y,{weeks},"), ALL_YES)
        )
    };
    let mut t = Tree::pdu_no_cases();
    t.put("pdu/sentence-management.csv", &csv(10));
    t.load("pdu")
        .expect("proportionate Reset case (10 weeks) takes the prompt");
    t.put("pdu/sentence-management.csv", &csv(8));
    let e = t.error("pdu");
    assert_located(
        &e,
        ErrorKind::DoesNotApply,
        "sentence-management.csv",
        Some(2),
        "P2.4.2c",
    );
}

#[test]
fn a_sentence_type_that_does_not_exist() {
    let t = Tree::pdu(&[&row("C1", "suspended,N,,", ALL_YES)]);
    let e = t.error("pdu");
    assert_located(
        &e,
        ErrorKind::BadValue,
        "sentence-management.csv",
        Some(2),
        "sentence",
    );
    assert!(
        e.problem.contains(casework_core::SentenceType::ALLOWED),
        "{e}"
    );
}

#[test]
fn probation_reset_without_weeks_and_weeks_without_reset() {
    let t = Tree::pdu(&[&row("C1", "community,Y,,", ALL_YES)]);
    let e = t.error("pdu");
    assert_located(
        &e,
        ErrorKind::BadValue,
        "sentence-management.csv",
        Some(2),
        "weeks_before_suspension",
    );
    let t = Tree::pdu(&[&row("C1", "community,N,6,", ALL_YES)]);
    let e = t.error("pdu");
    assert_located(
        &e,
        ErrorKind::BadValue,
        "sentence-management.csv",
        Some(2),
        "weeks_before_suspension",
    );
    let t = Tree::pdu(&[&row("C1", "community,perhaps,6,", ALL_YES)]);
    let e = t.error("pdu");
    assert_located(
        &e,
        ErrorKind::BadValue,
        "sentence-management.csv",
        Some(2),
        "probation_reset",
    );
}

#[test]
fn a_management_oversight_value_that_does_not_exist() {
    let t = Tree::pdu(&[&row("C1", "community,N,,excellent", ALL_YES)]);
    let e = t.error("pdu");
    assert_located(
        &e,
        ErrorKind::BadValue,
        "sentence-management.csv",
        Some(2),
        "management_oversight",
    );
    assert!(e.problem.contains("not-required"), "{e}");
}

#[test]
fn a_missing_key_question_column() {
    let mut t = Tree::pdu_no_cases();
    t.put(
        "pdu/sentence-management.csv",
        &format!("{ATTRS},P2.1.1\nC1,community,N,,,Y\n"),
    );
    let e = t.error("pdu");
    assert_located(
        &e,
        ErrorKind::MissingColumn,
        "sentence-management.csv",
        Some(1),
        "P2.1.2",
    );
}

#[test]
fn a_ragged_row_is_a_syntax_error_with_its_line() {
    let t = Tree::pdu(&[&row("C1", "community,N,,", ALL_YES), "C2,community,N"]);
    let e = t.error("pdu");
    assert_eq!(e.kind, ErrorKind::Syntax, "{e}");
    assert_eq!(e.line, Some(3), "{e}");
}

fn manifest_error(toml: &str) -> InputError {
    let mut t = Tree::pdu(&[&row("C1", "community,N,,", ALL_YES)]);
    t.put("pdu/inspection.toml", toml);
    t.error("pdu")
}

#[test]
fn an_unknown_framework() {
    let e = manifest_error(&PDU_TOML.replace("probation-2023", "probation-1999"));
    assert_eq!(e.kind, ErrorKind::Framework, "{e}");
    assert_eq!(e.column.as_deref(), Some("framework"));
    assert!(e.to_string().contains("probation-1999") && e.to_string().contains("--framework"));
}

#[test]
fn a_framework_version_other_than_the_one_loaded() {
    let e = manifest_error(&PDU_TOML.replace("kind = ", "framework_version = \"0.9\"\nkind = "));
    assert_eq!(e.kind, ErrorKind::Framework, "{e}");
    assert_eq!(e.column.as_deref(), Some("framework_version"));
}

#[test]
fn an_unknown_inspection_kind() {
    let e = manifest_error(&PDU_TOML.replace("kind = \"pdu\"", "kind = \"prison\""));
    assert_eq!(e.kind, ErrorKind::UnknownReference, "{e}");
    assert_eq!(e.column.as_deref(), Some("kind"));
    assert!(e.problem.contains("pdu, region"), "{e}");
}

#[test]
fn a_judged_standard_without_a_rating() {
    let e = manifest_error(&PDU_TOML.replace("\"P1.2\" = \"requires-improvement\"\n", ""));
    assert_eq!(e.kind, ErrorKind::Judged, "{e}");
    assert!(e.problem.contains("P1.2"), "{e}");
}

#[test]
fn a_judged_rating_for_a_case_based_standard() {
    let e = manifest_error(&format!("{PDU_TOML}\"P2.1\" = \"good\"\n"));
    assert_eq!(e.kind, ErrorKind::Judged, "{e}");
    assert_eq!(e.column.as_deref(), Some("judged.\"P2.1\""));
}

#[test]
fn a_rating_that_does_not_exist() {
    let e = manifest_error(&PDU_TOML.replace("\"P1.1\" = \"good\"", "\"P1.1\" = \"brilliant\""));
    assert_eq!(e.kind, ErrorKind::UnknownReference, "{e}");
    assert!(e.problem.contains("requires-improvement"), "{e}");
}

#[test]
fn a_pdu_that_lists_units() {
    let e = manifest_error(&PDU_TOML.replace("kind = ", "units = [\"../other\"]\nkind = "));
    assert_eq!(e.kind, ErrorKind::Unit, "{e}");
    assert_eq!(e.column.as_deref(), Some("units"));
}

#[test]
fn invalid_toml_reports_its_line() {
    let e = manifest_error("framework = \"probation-2023\"\nkind = pdu\n");
    assert_eq!(e.kind, ErrorKind::Syntax, "{e}");
    assert_eq!(e.line, Some(2), "{e}");
    let e = manifest_error(&format!("colour = \"blue\"\n{PDU_TOML}"));
    assert_eq!(e.kind, ErrorKind::Syntax, "{e}");
    assert!(e.problem.contains("colour"), "{e}");
}

#[test]
fn a_region_with_a_pdu_of_another_region() {
    let mut t = Tree::pdu(&[&row("C1", "community,N,,", ALL_YES)]);
    t.put(
        "region/inspection.toml",
        "framework = \"probation-2023\"\nkind = \"region\"\nunit = \"Elsewhere\"\nunits = [\"../pdu\"]\n[judged]\n\"R1.1\" = \"good\"\n\"R1.2\" = \"good\"\n",
    );
    let e = t.error("region");
    assert_eq!(e.kind, ErrorKind::Unit, "{e}");
    assert_eq!(e.column.as_deref(), Some("units[0]"));
    assert!(e.problem.contains("Test Region"), "{e}");
    // The same region, named right, loads with its PDU.
    t.put(
        "region/inspection.toml",
        "framework = \"probation-2023\"\nkind = \"region\"\nunit = \"Test Region\"\nunits = [\"../pdu\"]\n[judged]\n\"R1.1\" = \"good\"\n\"R1.2\" = \"good\"\n",
    );
    assert_eq!(t.load("region").expect("region").units.len(), 1);
}

#[test]
fn a_missing_inspection_is_reported_as_such() {
    let t = Tree::pdu_no_cases();
    let e = t.error("nowhere");
    assert_eq!(e.kind, ErrorKind::Io, "{e}");
    assert!(e.problem.contains("inspection.toml"), "{e}");
}

const JSON_DOC: &str = r#"{
  "framework": "probation-2023",
  "kind": "pdu",
  "unit": "Testford",
  "region": "Test Region",
  "fieldwork_start": "2025-02-24",
  "judged": {"P1.1": "good", "P1.2": "requires-improvement", "P1.3": "good"},
  "cases": {
    "sentence-management": [
      {"id": "C1", "sentence": "community", "probation_reset": false, "management_oversight": "sufficient",
       "answers": {"P2.1.1": "Y", "P2.1.2": "Y", "P2.1.3": "Y", "P2.2.1": "Y", "P2.2.2": "Y", "P2.2.3": "Y",
                   "P2.3.1": "Y", "P2.3.2": "Y", "P2.3.3": "Y", "P2.4.1": "Y", "P2.4.2": "Y", "P2.4.3": "Y"}},
      {"id": "C2", "sentence": "licence", "probation_reset": true, "weeks_before_suspension": 12,
       "management_oversight": "absent",
       "answers": {"P2.1.1": "N", "P2.1.2": "N", "P2.1.3": "N", "P2.2.1": "N", "P2.2.2": "N", "P2.2.3": "N",
                   "P2.3.1": "N", "P2.3.2": "N", "P2.3.3": "N", "P2.4.1": "NA", "P2.4.2": "NA", "P2.4.3": "NA"}}
    ]
  }
}"#;

#[test]
fn a_json_document_loads_like_the_same_csv() {
    let csv = Tree::pdu(&[
        &row("C1", "community,N,,sufficient", ALL_YES),
        &row("C2", "licence,Y,12,absent", "N,N,N,N,N,N,N,N,N,NA,NA,NA"),
    ])
    .load("pdu")
    .expect("csv");
    let mut t = Tree(HashMap::new());
    t.put("doc.json", JSON_DOC);
    let json = t.load("doc.json").expect("json");
    assert_eq!(json, csv);
    // The same document as inspection.json in a directory.
    t.put("dir/inspection.json", JSON_DOC);
    assert_eq!(t.load("dir").expect("json dir"), csv);
}

#[test]
fn json_with_an_unknown_question_names_the_field() {
    let mut t = Tree(HashMap::new());
    t.put(
        "doc.json",
        &JSON_DOC.replacen("\"P2.1.1\": \"Y\"", "\"P7.7\": \"Y\"", 1),
    );
    let e = t.error("doc.json");
    assert_eq!(e.kind, ErrorKind::UnknownColumn, "{e}");
    assert_eq!(
        e.column.as_deref(),
        Some("cases.sentence-management[0].answers.P7.7")
    );
}

#[test]
fn json_with_a_missing_key_answer_names_the_field() {
    let mut t = Tree(HashMap::new());
    t.put("doc.json", &JSON_DOC.replacen("\"P2.2.1\": \"N\", ", "", 1));
    let e = t.error("doc.json");
    assert_eq!(e.kind, ErrorKind::MissingKeyAnswer, "{e}");
    assert_eq!(
        e.column.as_deref(),
        Some("cases.sentence-management[1].answers.P2.2.1")
    );
}

#[test]
fn invalid_json_reports_its_line() {
    let mut t = Tree(HashMap::new());
    t.put(
        "doc.json",
        "{\n  \"framework\": \"probation-2023\",\n  \"kind\": \n}",
    );
    let e = t.error("doc.json");
    assert_eq!(e.kind, ErrorKind::Syntax, "{e}");
    assert_eq!(e.line, Some(4), "{e}");
}

#[test]
fn a_spreadsheet_export_with_a_byte_order_mark_and_crlf_loads() {
    let mut t = Tree::pdu_no_cases();
    t.put(
        "pdu/sentence-management.csv",
        &format!(
            "\u{feff}{ATTRS},{KEYS}\r\n{}\r\n",
            row(
                "C1",
                "Community,n,,Sufficient",
                "Yes,No,N/A,y,n,y,y,y,y,NA,na,Y"
            )
            .replace("N/A,", "Y,")
        ),
    );
    let inspection = t.load("pdu").expect("loads");
    assert_eq!(inspection.case_count(), 1);
    assert_eq!(inspection.cases[0].cases()[0].id, "C1");
}

#[test]
fn lines_are_the_same_with_crlf_line_endings() {
    // A spreadsheet's CSV export ends lines with CRLF; the line an error names must still be the
    // one the file shows (the csv crate counts a CRLF's line feed only on the next record).
    for eol in ["\n", "\r\n"] {
        let mut t = Tree::pdu_no_cases();
        t.put(
            "pdu/sentence-management.csv",
            &[
                format!("{ATTRS},{KEYS}"),
                row("C1", "community,N,,", ALL_YES),
                row("C2", "community,N,,", ALL_YES),
                row("C3", "suspended,N,,", ALL_YES),
                row("C2", "community,N,,", ALL_YES),
                String::new(),
            ]
            .join(eol),
        );
        let e = t.error("pdu");
        assert_located(
            &e,
            ErrorKind::BadValue,
            "sentence-management.csv",
            Some(4),
            "sentence",
        );
        let mut t = Tree::pdu_no_cases();
        t.put(
            "pdu/sentence-management.csv",
            &[
                format!("{ATTRS},{KEYS}"),
                row("C1", "community,N,,", ALL_YES),
                row("C2", "community,N,,", ALL_YES),
                row("C1", "community,N,,", ALL_YES),
                String::new(),
            ]
            .join(eol),
        );
        let e = t.error("pdu");
        assert_located(
            &e,
            ErrorKind::DuplicateCase,
            "sentence-management.csv",
            Some(4),
            "case_id",
        );
        assert!(e.problem.contains("first on line 2"), "{eol:?}: {e}");
    }
}
