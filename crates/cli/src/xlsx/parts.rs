//! The parts of an inspection workbook beyond its cases, both ways: judged ratings with their
//! rationale on the `inspection` sheet (`judged.P1.1`, `judged.P1.1.rationale`), the `evidence`
//! sheet (the columns of `evidence.csv`) and the `narrative` sheet, one row per line of each
//! narrative file (`file`, `text`), so no cell comes near a spreadsheet's 32,767-character limit.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use casework_core::Inspection;
use casework_core::input::{ErrorKind, InputError, Place};
use casework_core::narrative;

/// The sheet of evidence notes (its CSV file is `evidence.csv`).
pub const EVIDENCE_SHEET: &str = "evidence";
/// The sheet of narrative lines.
pub const NARRATIVE_SHEET: &str = "narrative";
/// The narrative sheet's header.
pub const NARRATIVE_HEADER: [&str; 2] = ["file", "text"];

/// The suffix of a judged rating's rationale row on the `inspection` sheet.
pub const RATIONALE: &str = ".rationale";

/// A TOML basic string holding `value` on one line (line breaks escaped), so each sheet row stays
/// one line of the manifest text and errors keep their row.
pub fn toml_one_line(value: &str) -> String {
    serde_json::to_string(value).expect("a string serialises")
}

/// The `[judged]` lines of the manifest text from the sheet's `judged.CODE` and
/// `judged.CODE.rationale` rows: (code → (rating, its row)) and (code → (rationale, its row)).
/// Each line is returned with the row it stands for.
pub fn judged_lines(
    ratings: &BTreeMap<String, (String, u64)>,
    rationales: &BTreeMap<String, (String, u64)>,
    at: impl Fn(String, u64) -> InputError,
) -> Result<Vec<(String, u64)>, InputError> {
    if let Some((code, (_, row))) = rationales.iter().find(|(c, _)| !ratings.contains_key(*c)) {
        return Err(at(
            format!("a rationale for {code} without its rating; add a row 'judged.{code}'"),
            *row,
        ));
    }
    Ok(ratings
        .iter()
        .map(|(code, (rating, row))| {
            let key = format!("judged.{}", toml_one_line(code));
            let line = match rationales.get(code) {
                Some((rationale, _)) => format!(
                    "{key} = {{ rating = {}, rationale = {} }}\n",
                    toml_one_line(rating),
                    toml_one_line(rationale)
                ),
                None => format!("{key} = {}\n", toml_one_line(rating)),
            };
            (line, *row)
        })
        .collect())
}

/// The narrative files held by the `narrative` sheet's rows: `book/narrative/<file>` → (text, the
/// row of each of its lines).
pub fn narrative_files(
    book: &Path,
    rows: &[Vec<String>],
) -> Result<BTreeMap<PathBuf, (String, Vec<u64>)>, InputError> {
    let mut files: BTreeMap<PathBuf, (Vec<String>, Vec<u64>)> = BTreeMap::new();
    for (i, row) in rows.iter().enumerate() {
        let row_number = i as u64 + 1;
        let cell = |c: usize| row.get(c).map(String::as_str).unwrap_or("");
        if i == 0 {
            if [cell(0), cell(1)] != NARRATIVE_HEADER {
                return Err(InputError {
                    line: Some(1),
                    place: Place::Row,
                    ..InputError::new(
                        ErrorKind::Syntax,
                        format!("{}, sheet '{NARRATIVE_SHEET}'", book.display()),
                        format!(
                            "the header is '{}', '{}'; the narrative sheet's columns are: {}",
                            cell(0),
                            cell(1),
                            NARRATIVE_HEADER.join(", ")
                        ),
                    )
                });
            }
            continue;
        }
        if row.iter().all(|c| c.is_empty()) {
            continue;
        }
        let entry = files
            .entry(book.join(narrative::DIR).join(cell(0).trim()))
            .or_default();
        entry.0.push(cell(1).to_string());
        entry.1.push(row_number);
    }
    Ok(files
        .into_iter()
        .map(|(path, (lines, rows))| (path, (lines.join("\n"), rows)))
        .collect())
}

/// The `narrative` sheet's rows (header first) for an inspection's narrative files.
pub fn narrative_rows(inspection: &Inspection) -> Vec<[String; 2]> {
    let mut rows = vec![NARRATIVE_HEADER.map(str::to_string)];
    for (name, text) in &inspection.narrative {
        rows.extend(
            text.split('\n')
                .map(|line| [name.clone(), line.to_string()]),
        );
    }
    rows
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn narrative_lines_make_the_file_again() {
        let mut inspection = Inspection::default();
        for text in ["", "one line", "two\nlines\n", "\n\nblank first\n\n"] {
            inspection.narrative.clear();
            inspection
                .narrative
                .insert("foreword.md".into(), text.to_string());
            let rows: Vec<Vec<String>> = narrative_rows(&inspection)
                .into_iter()
                .map(|r| r.to_vec())
                .collect();
            let files = narrative_files(Path::new("b.xlsx"), &rows).expect("read back");
            let (back, _) = &files[&Path::new("b.xlsx").join("narrative/foreword.md")];
            assert_eq!(back, text);
        }
    }

    #[test]
    fn a_rationale_needs_its_rating() {
        let rationale = BTreeMap::from([("P1.1".to_string(), ("why".to_string(), 9))]);
        let err = judged_lines(&BTreeMap::new(), &rationale, |p, row| {
            InputError::new(ErrorKind::Syntax, "b", p).at_line(row)
        })
        .unwrap_err();
        assert_eq!(err.line, Some(9));
        assert!(err.problem.contains("judged.P1.1"), "{}", err.problem);
        let ratings = BTreeMap::from([("P1.1".to_string(), ("good".to_string(), 8))]);
        let lines = judged_lines(&ratings, &rationale, |p, _| {
            InputError::new(ErrorKind::Syntax, "b", p)
        })
        .expect("lines");
        assert_eq!(
            lines,
            vec![(
                "judged.\"P1.1\" = { rating = \"good\", rationale = \"why\" }\n".to_string(),
                8
            )]
        );
    }
}
