//! Published results as one flat CSV table (issue 18: "CSV for the flat parts"): one row per
//! result, the result's own fields, then one column per standard code holding its rating. Key
//! question percentages, samples and provenance travel in JSON (and the workbook). Cells leave
//! through the spreadsheet guard (`text::to_spreadsheet`) and come back through its inverse.

use crate::input_error::{ErrorKind, InputError};
use crate::text::{from_spreadsheet, to_spreadsheet};

use super::result::{PublishedResult, PublishedStandard, normalise};

/// The result's own columns, in order.
pub const COLUMNS: [&str; 13] = [
    "source_url",
    "source_file",
    "title",
    "unit",
    "region",
    "kind",
    "programme",
    "published",
    "fieldwork_started",
    "score",
    "score_max",
    "overall_rating",
    "notes",
];

fn cell(result: &PublishedResult, column: &str) -> String {
    let text = |v: &Option<String>| v.clone().unwrap_or_default();
    let number = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    match column {
        "source_url" => text(&result.source_url),
        "source_file" => text(&result.source_file),
        "title" => text(&result.title),
        "unit" => text(&result.unit),
        "region" => text(&result.region),
        "kind" => text(&result.kind),
        "programme" => text(&result.programme),
        "published" => text(&result.published),
        "fieldwork_started" => text(&result.fieldwork_started),
        "score" => number(result.score),
        "score_max" => number(result.score_max),
        "overall_rating" => text(&result.overall_rating),
        "notes" => text(&result.notes),
        _ => String::new(),
    }
}

/// A standard's code: an optional capital letter, then numbers joined by dots ("P2.1", "2.3").
fn looks_like_code(text: &str) -> bool {
    let digits = text
        .strip_prefix(|c: char| c.is_ascii_uppercase())
        .unwrap_or(text);
    !digits.is_empty()
        && digits.contains('.')
        && digits
            .split('.')
            .all(|part| !part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
}

/// The standard codes of `results`, in first-seen order: the table's rating columns.
pub fn standard_codes(results: &[PublishedResult]) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for s in results.iter().flat_map(|r| &r.standards) {
        if !codes.contains(&s.code) {
            codes.push(s.code.clone());
        }
    }
    codes
}

/// The table: header, then a row per result.
pub fn to_csv(results: &[PublishedResult]) -> String {
    let codes = standard_codes(results);
    let mut out = csv::Writer::from_writer(Vec::new());
    let header: Vec<&str> = COLUMNS
        .iter()
        .copied()
        .chain(codes.iter().map(String::as_str))
        .collect();
    out.write_record(&header).expect("writes to memory");
    for result in results {
        let mut row: Vec<String> = COLUMNS
            .iter()
            .map(|c| to_spreadsheet(&cell(result, c)).into_owned())
            .collect();
        for code in &codes {
            let rating = result
                .standard(code)
                .and_then(|s| s.rating.clone())
                .unwrap_or_default();
            row.push(to_spreadsheet(&rating).into_owned());
        }
        out.write_record(&row).expect("writes to memory");
    }
    String::from_utf8(out.into_inner().expect("flushes to memory")).expect("UTF-8 in, UTF-8 out")
}

/// Reads the table back: the result's columns by name (any may be absent), every other column a
/// standard's rating. Empty cells are null.
///
/// # Errors
/// A malformed row, a number that is not a whole number, or a value [`normalise`] refuses, each
/// naming the file, line and column.
pub fn from_csv(text: &str, file: &str) -> Result<Vec<PublishedResult>, InputError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| InputError::new(ErrorKind::Syntax, file, e.to_string()).at_line(1))?
        .iter()
        .map(|h| h.trim().to_string())
        .collect();
    // A table with none of the result's columns is not this table (a file saved with `;`
    // between cells reads as one column); a column that is not one must be a standard's code.
    if !header.iter().any(|h| COLUMNS.contains(&h.as_str())) {
        return Err(InputError::new(
            ErrorKind::MissingColumn,
            file,
            format!(
                "no column of a published result ({}); is the file comma-separated?",
                COLUMNS.join(", ")
            ),
        )
        .at_line(1));
    }
    if let Some(odd) = header
        .iter()
        .find(|h| !COLUMNS.contains(&h.as_str()) && !looks_like_code(h))
    {
        return Err(InputError::new(
            ErrorKind::UnknownColumn,
            file,
            format!(
                "'{odd}' is neither a result's column ({}) nor a standard's code (P2.1, 2.3)",
                COLUMNS.join(", ")
            ),
        )
        .at_line(1)
        .at_column(odd.clone()));
    }
    let mut results = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            InputError::new(ErrorKind::Syntax, file, e.to_string()).at_line(line)
        })?;
        let line = record.position().map_or(0, |p| p.line());
        let located = |column: &str, problem: String| {
            InputError::new(ErrorKind::BadValue, file, problem)
                .at_line(line)
                .at_column(column)
        };
        let mut result = PublishedResult::default();
        for (column, raw) in header.iter().zip(record.iter()) {
            let value = from_spreadsheet(raw.trim());
            let text = (!value.is_empty()).then(|| value.to_string());
            let number = || {
                text.as_deref()
                    .map(|v| {
                        v.parse::<u32>().map_err(|_| {
                            located(column, format!("'{v}' is not a whole number of points"))
                        })
                    })
                    .transpose()
            };
            match column.as_str() {
                "source_url" => result.source_url = text,
                "source_file" => result.source_file = text,
                "title" => result.title = text,
                "unit" => result.unit = text,
                "region" => result.region = text,
                "kind" => result.kind = text,
                "programme" => result.programme = text,
                "published" => result.published = text,
                "fieldwork_started" => result.fieldwork_started = text,
                "score" => result.score = number()?,
                "score_max" => result.score_max = number()?,
                "overall_rating" => result.overall_rating = text,
                "notes" => result.notes = text,
                code => {
                    if text.is_some() {
                        result.standards.push(PublishedStandard {
                            code: code.to_string(),
                            rating: text,
                            ..PublishedStandard::default()
                        });
                    }
                }
            }
        }
        normalise(&mut result).map_err(|(field, problem)| located(&field, problem))?;
        results.push(result);
    }
    Ok(results)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_round_trips_its_flat_parts() {
        let results = super::super::result::from_json(
            r#"[{"unit": "=cmd", "kind": "pdu", "programme": "2023", "score": 7, "score_max": 21,
                 "overall_rating": "Requires improvement",
                 "standards": [{"code": "P2.1", "rating": "Inadequate"}]},
                {"unit": "B", "score": null, "standards": [{"code": "R1.1", "rating": "Good"}]}]"#,
            "r.json",
        )
        .expect("reads");
        let csv = to_csv(&results);
        assert!(
            csv.contains("'=cmd"),
            "the spreadsheet guard applies: {csv}"
        );
        let back = from_csv(&csv, "r.csv").expect("reads back");
        assert_eq!(back, results);
    }

    #[test]
    fn a_table_of_other_columns_is_refused() {
        let e = from_csv("unit;score\nA;7\n", "r.csv").expect_err("refused");
        assert!(e.problem.contains("comma-separated"), "{e}");
        let e = from_csv("unit,evil\nA,x\n", "r.csv").expect_err("refused");
        assert_eq!(e.column.as_deref(), Some("evil"));
        assert!(from_csv("unit,P2.1,2.3\nA,Good,Good\n", "r.csv").is_ok());
    }

    #[test]
    fn a_bad_number_names_line_and_column() {
        let e = from_csv("unit,score\nA,7\nB,seven\n", "r.csv").expect_err("refused");
        assert_eq!((e.line, e.column.as_deref()), (Some(3), Some("score")));
    }
}
