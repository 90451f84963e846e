//! Every kind of bad input's message, whole, as a user reads it: one snapshot of them all
//! (`messages.txt`), so a change to any wording is seen in review. After a deliberate change,
//! `UPDATE_EXPECT=1 cargo test -p casework-core messages` writes the snapshot again.

use expect_test::expect_file;

use crate::support::{ALL_YES, ATTRS, KEYS, PDU_TOML, Tree, row};

/// (what is wrong, the tree, the path loaded).
fn cases() -> Vec<(&'static str, Tree, &'static str)> {
    let csv_with = |rows: &[String]| Tree::pdu(rows);
    let manifest = |toml: &str| {
        let mut t = Tree::pdu(&[row("C1", "community,N,,", ALL_YES)]);
        t.put("pdu/inspection.toml", toml);
        t
    };
    let mut out = vec![
        (
            "unknown column",
            {
                let mut t = Tree::pdu_no_cases();
                t.put(
                    "pdu/sentence-management.csv",
                    &format!("{ATTRS},{KEYS},P9.9\nC1,community,N,,,{ALL_YES},Y\n"),
                );
                t
            },
            "pdu",
        ),
        (
            "duplicate case id",
            csv_with(&[
                row("C1", "community,N,,", ALL_YES),
                row("C1", "licence,N,,", ALL_YES),
            ]),
            "pdu",
        ),
        (
            "not an answer",
            csv_with(&[row("C1", "community,N,,", "Y,Maybe,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y")]),
            "pdu",
        ),
        (
            "a blank key question",
            csv_with(&[row("C1", "community,N,,", ",Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y")]),
            "pdu",
        ),
        (
            "NA where not allowed",
            csv_with(&[row("C1", "community,N,,", "NA,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y,Y")]),
            "pdu",
        ),
        (
            "not a sentence type",
            csv_with(&[row("C1", "suspended,N,,", ALL_YES)]),
            "pdu",
        ),
        (
            "Reset without weeks",
            csv_with(&[row("C1", "community,Y,,", ALL_YES)]),
            "pdu",
        ),
        (
            "weeks without Reset",
            csv_with(&[row("C1", "community,N,4,", ALL_YES)]),
            "pdu",
        ),
        (
            "weeks out of range",
            csv_with(&[row("C1", "community,Y,157,", ALL_YES)]),
            "pdu",
        ),
        (
            "not an oversight judgement",
            csv_with(&[row("C1", "community,N,,maybe", ALL_YES)]),
            "pdu",
        ),
        (
            "a control character in an id",
            csv_with(&[row("C\u{1b}1", "community,N,,", ALL_YES)]),
            "pdu",
        ),
        (
            "a missing key question column",
            {
                let mut t = Tree::pdu_no_cases();
                t.put(
                    "pdu/sentence-management.csv",
                    &format!("{ATTRS}\nC1,community,N,,\n"),
                );
                t
            },
            "pdu",
        ),
        (
            "a ragged row",
            {
                let mut t = Tree::pdu_no_cases();
                t.put(
                    "pdu/sentence-management.csv",
                    &format!("{ATTRS},{KEYS}\nC1,community\n"),
                );
                t
            },
            "pdu",
        ),
        (
            "a note over the limit",
            {
                let mut t = Tree::pdu_no_cases();
                t.put(
                    "pdu/sentence-management.csv",
                    &format!(
                        "{ATTRS},notes,{KEYS}\nC1,community,N,,,{},{ALL_YES}\n",
                        "n".repeat(10_001)
                    ),
                );
                t
            },
            "pdu",
        ),
        (
            "an unknown framework",
            manifest(&PDU_TOML.replace("probation-2023", "probation-1999")),
            "pdu",
        ),
        (
            "another framework version",
            manifest(&PDU_TOML.replace(
                "kind = \"pdu\"",
                "framework_version = \"0.1\"\nkind = \"pdu\"",
            )),
            "pdu",
        ),
        (
            "an unknown kind",
            manifest(&PDU_TOML.replace("kind = \"pdu\"", "kind = \"ward\"")),
            "pdu",
        ),
        (
            "a judged standard without a rating",
            manifest(&PDU_TOML.replace("\"P1.3\" = \"good\"\n", "")),
            "pdu",
        ),
        (
            "a judged rating for a case-based standard",
            manifest(&format!("{PDU_TOML}\"P2.1\" = \"good\"\n")),
            "pdu",
        ),
        (
            "a rating that does not exist",
            manifest(&PDU_TOML.replace("\"P1.1\" = \"good\"", "\"P1.1\" = \"great\"")),
            "pdu",
        ),
        (
            "a month-first date",
            manifest(&PDU_TOML.replace(
                "fieldwork_start = 2025-02-24",
                "fieldwork_start = \"02/24/2025\"",
            )),
            "pdu",
        ),
        ("invalid TOML", manifest("framework = \n"), "pdu"),
        ("no inspection here", Tree::pdu_no_cases(), "elsewhere"),
    ];
    let mut json = Tree::pdu_no_cases();
    json.put(
        "doc.json",
        "{\"framework\": \"probation-2023\", \"kind\": \"pdu\", \"unit\": \"T\", \"judged\": {\"P1.1\": \"good\", \"P1.2\": \"good\", \"P1.3\": \"good\"}, \"cases\": {\"sentence-management\": [{\"id\": \"C1\", \"sentence\": \"community\", \"answers\": {\"P9.9\": \"Y\"}}]}}",
    );
    out.push(("JSON: an unknown question", json, "doc.json"));
    out
}

#[test]
fn every_input_error_message_as_a_user_reads_it() {
    let mut text = String::new();
    for (what, tree, path) in cases() {
        let shown = match tree.load(path) {
            Ok(_) => panic!("{what}: loaded"),
            Err(e) => e.to_string(),
        };
        text.push_str(&format!("{what}\n    {shown}\n"));
    }
    expect_file!["messages.txt"].assert_eq(&text);
}
