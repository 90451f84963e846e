//! Published results as a workbook (issue 18): a `results` sheet, the flat table
//! (`casework_core::published::table`: one row per result, its fields then one column per
//! standard's rating), and a `key_questions` sheet, one row per key question percentage (the
//! result's row on the `results` sheet, the standard's code, the key question's position, its
//! text, its percentage). Every cell is text or a whole number; reading it back gives the results
//! written.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use anyhow::{Context, Result};
use calamine::{Reader, Xlsx, open_workbook};
use casework_core::input::InputError;
use casework_core::input::limits::WORKBOOK_MAX_CELLS;
use casework_core::published::{PublishedKeyQuestion, PublishedResult, table};
use rust_xlsxwriter::{Format, Workbook};

pub const RESULTS_SHEET: &str = "results";
pub const KEY_QUESTIONS_SHEET: &str = "key_questions";
const KEY_QUESTION_COLUMNS: [&str; 5] =
    ["result_row", "standard", "position", "text", "percent_yes"];

/// Writes `results` to `book`.
pub fn write(book: &Path, results: &[PublishedResult]) -> Result<()> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let csv = table::to_csv(results);
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv.as_bytes());
    let sheet = workbook.add_worksheet().set_name(RESULTS_SHEET)?;
    for (r, record) in reader.records().enumerate() {
        let record = record.context("the results table")?;
        for (c, cell) in record.iter().enumerate() {
            let cell = casework_core::text::from_spreadsheet(cell);
            if r == 0 {
                sheet.write_string_with_format(0, c as u16, cell, &bold)?;
            } else {
                sheet.write_string(r as u32, c as u16, cell)?;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    let sheet = workbook.add_worksheet().set_name(KEY_QUESTIONS_SHEET)?;
    for (c, name) in KEY_QUESTION_COLUMNS.iter().enumerate() {
        sheet.write_string_with_format(0, c as u16, *name, &bold)?;
    }
    let mut row = 1u32;
    for (i, result) in results.iter().enumerate() {
        for standard in &result.standards {
            for (k, kq) in standard.key_questions.iter().enumerate() {
                sheet.write_number(row, 0, (i + 2) as f64)?;
                sheet.write_string(row, 1, &standard.code)?;
                sheet.write_number(row, 2, (k + 1) as f64)?;
                sheet.write_string(row, 3, kq.text.as_deref().unwrap_or(""))?;
                if let Some(p) = kq.percent_yes {
                    sheet.write_number(row, 4, f64::from(p))?;
                }
                row += 1;
            }
        }
    }
    sheet.set_freeze_panes(1, 0)?;
    workbook
        .save(book)
        .with_context(|| format!("cannot write {}", book.display()))?;
    Ok(())
}

/// Reads a workbook [`write`] wrote (or one laid out alike); errors name the sheet, row and column.
pub fn read(book: &Path) -> Result<Vec<PublishedResult>, InputError> {
    let name = book.display().to_string();
    let mut sheets = sheets_rows(book, &[RESULTS_SHEET, KEY_QUESTIONS_SHEET])?;
    let key_questions = sheets.pop().flatten().unwrap_or_default();
    let Some(rows) = sheets.pop().flatten() else {
        return Err(InputError::new(
            casework_core::input::ErrorKind::Syntax,
            name,
            format!("the workbook has no '{RESULTS_SHEET}' sheet"),
        ));
    };
    let mut out = csv::Writer::from_writer(Vec::new());
    let width = rows.first().map_or(0, Vec::len);
    for row in &rows {
        let mut cells: Vec<String> = row
            .iter()
            .map(|c| casework_core::text::to_spreadsheet(c).into_owned())
            .collect();
        cells.resize(width, String::new());
        out.write_record(&cells)
            .map_err(|e| sheet_error(&name, RESULTS_SHEET, e.to_string()))?;
    }
    let text = String::from_utf8(
        out.into_inner()
            .map_err(|e| sheet_error(&name, RESULTS_SHEET, e.to_string()))?,
    )
    .map_err(|e| sheet_error(&name, RESULTS_SHEET, e.to_string()))?;
    let mut results = table::from_csv(&text, &format!("{name}, sheet '{RESULTS_SHEET}'"))?;
    for (r, row) in key_questions.iter().enumerate().skip(1) {
        let at = |column: &str, problem: String| {
            sheet_error(&name, KEY_QUESTIONS_SHEET, problem)
                .at_line(r as u64 + 1)
                .at_column(column)
        };
        let cell = |c: usize| row.get(c).map(String::as_str).unwrap_or("").trim();
        let number = |c: usize| -> Result<Option<u32>, InputError> {
            let text = cell(c);
            if text.is_empty() {
                return Ok(None);
            }
            text.parse::<u32>().map(Some).map_err(|_| {
                at(
                    KEY_QUESTION_COLUMNS[c],
                    format!("'{text}' is not a whole number"),
                )
            })
        };
        let result_row = number(0)?.ok_or_else(|| at("result_row", "no row".into()))?;
        let position = number(2)?.ok_or_else(|| at("position", "no position".into()))?;
        let percent = number(4)?;
        if percent.is_some_and(|p| p > 100) {
            return Err(at("percent_yes", "a percentage is 0 to 100".into()));
        }
        let result = (result_row as usize)
            .checked_sub(2)
            .and_then(|i| results.get_mut(i))
            .ok_or_else(|| {
                at(
                    "result_row",
                    format!("no result on row {result_row} of '{RESULTS_SHEET}'"),
                )
            })?;
        let code = cell(1).to_string();
        let standard = match result.standards.iter().position(|s| s.code == code) {
            Some(s) => &mut result.standards[s],
            None => {
                result
                    .standards
                    .push(casework_core::published::PublishedStandard {
                        code,
                        ..Default::default()
                    });
                result.standards.last_mut().expect("just pushed")
            }
        };
        let k = position as usize;
        if k == 0 || k > 50 {
            return Err(at("position", "a position is 1 to 50".into()));
        }
        if standard.key_questions.len() < k {
            standard
                .key_questions
                .resize(k, PublishedKeyQuestion::default());
        }
        standard.key_questions[k - 1] = PublishedKeyQuestion {
            text: (!cell(3).is_empty()).then(|| cell(3).to_string()),
            percent_yes: percent,
        };
    }
    Ok(results)
}

/// Each named sheet of a workbook as rows of cell text (`None` for a sheet it does not have),
/// bounded as every workbook read is; row i of a result is sheet row i + 1.
pub fn sheets_rows(
    book: &Path,
    names: &[&str],
) -> Result<Vec<Option<Vec<Vec<String>>>>, InputError> {
    super::check_archive(book)?;
    let mut workbook: Xlsx<BufReader<File>> = open_workbook(book)
        .map_err(|e| super::error(book, None, format!("cannot open the workbook: {e}")))?;
    let present = workbook.sheet_names();
    let mut cells = WORKBOOK_MAX_CELLS;
    names
        .iter()
        .map(|name| {
            if present.iter().any(|p| p == name) {
                super::read_sheet(&mut workbook, book, name, &mut cells).map(Some)
            } else {
                Ok(None)
            }
        })
        .collect()
}

fn sheet_error(book: &str, sheet: &str, problem: String) -> InputError {
    let mut e = InputError::new(
        casework_core::input::ErrorKind::BadValue,
        format!("{book}, sheet '{sheet}'"),
        problem,
    );
    e.place = casework_core::input::Place::Row;
    e
}
