//! Domain one's evidence in an inspection workbook, both ways: the `domain-one` sheet holds
//! `domain-one.json` (core's `domain_one::kept`) one line per row under a `json` header, so no
//! cell comes near a spreadsheet's 32,767-character limit and an error's line is a sheet row.

use std::path::{Path, PathBuf};

use casework_core::Inspection;
use casework_core::domain_one::kept;
use casework_core::input::{ErrorKind, InputError, Place};

/// The sheet of domain one's evidence.
pub const SHEET: &str = "domain-one";
/// Its one column's header.
pub const HEADER: &str = "json";

/// The virtual `book/domain-one.json` the sheet's rows hold: (its path, its text, the row of each
/// of its lines).
pub fn file(book: &Path, rows: &[Vec<String>]) -> Result<(PathBuf, String, Vec<u64>), InputError> {
    let cell = |row: &Vec<String>| row.first().map_or("", String::as_str).to_string();
    if rows.first().map(cell).as_deref() != Some(HEADER) {
        return Err(InputError {
            line: Some(1),
            place: Place::Row,
            ..InputError::new(
                ErrorKind::Syntax,
                format!("{}, sheet '{SHEET}'", book.display()),
                format!("the sheet's one column is headed '{HEADER}'"),
            )
        });
    }
    let (mut lines, mut at) = (Vec::new(), Vec::new());
    // Anything right of the one column would be dropped in silence: refused where it is.
    if let Some((i, _)) = rows
        .iter()
        .enumerate()
        .find(|(_, row)| row.iter().skip(1).any(|c| !c.trim().is_empty()))
    {
        return Err(InputError {
            line: Some(i as u64 + 1),
            place: Place::Row,
            ..InputError::new(
                ErrorKind::Syntax,
                format!("{}, sheet '{SHEET}'", book.display()),
                format!("a value right of column A; the sheet's one column is '{HEADER}'"),
            )
        });
    }
    for (i, row) in rows.iter().enumerate().skip(1) {
        lines.push(cell(row));
        at.push(i as u64 + 1);
    }
    Ok((book.join(kept::FILE), lines.join("\n"), at))
}

/// The sheet's rows (header first) for `inspection`'s evidence; none where it has none.
pub fn rows(inspection: &Inspection) -> Vec<String> {
    if inspection.domain_one.is_empty() {
        return Vec::new();
    }
    std::iter::once(HEADER.to_string())
        .chain(
            kept::to_json(&inspection.domain_one)
                .lines()
                .map(str::to_string),
        )
        .collect()
}
