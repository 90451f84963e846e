//! Inspections as XLSX workbooks: an `inspection` sheet of field / value rows (the `inspection.toml`
//! fields, judged ratings as `judged.P1.1` with `judged.P1.1.rationale`), one sheet per instrument
//! named like its CSV file (`sentence-management`, `court-reports`, ...) with the same columns, and
//! the `evidence` and `narrative` sheets (`parts`) and the `domain-one` sheet (`domain_one`).
//! `write` writes one.
//!
//! Reading presents the workbook to core's loader as a virtual inspection directory, so every rule
//! and every located error is exactly as for CSV; errors name the workbook, sheet, row and column
//! as the spreadsheet shows them. A workbook holds one inspection: a region's PDU inspections stay
//! directories.
//!
//! Reading is bounded before it allocates (core's `input::limits`): the file's size and its
//! parts' declared unzipped sizes are checked first, then cells are streamed one at a time and a
//! cell beyond the rows or columns allowed, or past the workbook's cell budget, stops the read
//! with its place. Nothing is sized from the sheet's own declared dimension.

mod domain_one;
mod parts;
pub mod published;
mod write;

pub use write::write;

use std::collections::BTreeMap;
use std::fs::File;
use std::io::{self, BufReader};
use std::path::{Path, PathBuf};

use calamine::{DataRef, Reader, Xlsx, open_workbook};
use casework_core::Inspection;
use casework_core::framework::Framework;
use casework_core::input::limits::{
    SHEET_MAX_COLUMNS, SHEET_MAX_ROWS, WORKBOOK_MAX_BYTES, WORKBOOK_MAX_CELLS,
    WORKBOOK_MAX_UNZIPPED_BYTES, size_in_words,
};
use casework_core::input::{self, ErrorKind, InputError, MANIFEST, Place, Source};
use casework_core::narrative;

pub const MANIFEST_SHEET: &str = "inspection";

pub(crate) fn sheet_of(instrument_file: &str) -> &str {
    instrument_file
        .strip_suffix(".csv")
        .unwrap_or(instrument_file)
}

/// A cell as the text a CSV cell would hold.
fn cell_text(cell: &DataRef<'_>) -> String {
    match cell {
        DataRef::Empty => String::new(),
        DataRef::String(s) => s.clone(),
        DataRef::SharedString(s) => (*s).to_string(),
        DataRef::Int(i) => i.to_string(),
        DataRef::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        DataRef::Float(f) => f.to_string(),
        DataRef::Bool(b) => if *b { "Y" } else { "N" }.to_string(),
        DataRef::DateTime(d) => excel_date(d.as_f64()),
        DataRef::DateTimeIso(s) => s.chars().take(10).collect(),
        DataRef::DurationIso(s) => s.clone(),
        DataRef::Error(e) => format!("#{e:?}"),
    }
}

/// An Excel date serial as YYYY-MM-DD (serial 25569 is 1970-01-01).
fn excel_date(serial: f64) -> String {
    let z = serial.floor() as i64 - 25569 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

fn error(book: &Path, sheet: Option<&str>, problem: impl Into<String>) -> InputError {
    let file = match sheet {
        Some(s) => format!("{}, sheet '{s}'", book.display()),
        None => book.display().to_string(),
    };
    InputError::new(ErrorKind::Syntax, file, problem)
}

/// `column` (0-based) as the spreadsheet names it: A, Z, AA, XFD.
fn column_name(column: u32) -> String {
    let mut n = column + 1;
    let mut name = Vec::new();
    while n > 0 {
        let rem = (n - 1) % 26;
        name.push(b'A' + rem as u8);
        n = (n - 1) / 26;
    }
    name.reverse();
    String::from_utf8(name).unwrap_or_default()
}

/// The workbook's size and its parts' declared unzipped sizes, before anything is unzipped.
fn check_archive(book: &Path) -> Result<(), InputError> {
    let too_large =
        |problem: String| InputError::new(ErrorKind::TooLarge, book.display().to_string(), problem);
    let file = File::open(book)
        .map_err(|e| error(book, None, format!("cannot open the workbook: {e}")))?;
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > WORKBOOK_MAX_BYTES {
        return Err(too_large(format!(
            "the workbook is over the limit of {}",
            size_in_words(WORKBOOK_MAX_BYTES)
        )));
    }
    let mut archive = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|e| error(book, None, format!("not an XLSX workbook: {e}")))?;
    let mut unzipped: u64 = 0;
    for i in 0..archive.len() {
        let part = archive
            .by_index_raw(i)
            .map_err(|e| error(book, None, format!("not an XLSX workbook: {e}")))?;
        unzipped = unzipped.saturating_add(part.size());
    }
    if unzipped > WORKBOOK_MAX_UNZIPPED_BYTES {
        return Err(too_large(format!(
            "the workbook unzips to {} bytes, over the limit of {}",
            unzipped,
            size_in_words(WORKBOOK_MAX_UNZIPPED_BYTES)
        )));
    }
    Ok(())
}

/// A sheet's rows as text, one entry per row from the first (blank rows empty), streamed cell by
/// cell within the limits; `cells` is what is left of the workbook's cell budget.
fn read_sheet(
    workbook: &mut Xlsx<BufReader<File>>,
    book: &Path,
    name: &str,
    cells: &mut u64,
) -> Result<Vec<Vec<String>>, InputError> {
    let at = |problem: String, row: u32| {
        let mut e = error(book, Some(name), problem).at_line(u64::from(row) + 1);
        e.kind = ErrorKind::TooLarge;
        e.place = Place::Row;
        e
    };
    let unreadable =
        |e: calamine::XlsxError| error(book, Some(name), format!("cannot read the sheet: {e}"));
    let mut reader = workbook.worksheet_cells_reader(name).map_err(unreadable)?;
    let mut rows: Vec<Vec<String>> = Vec::new();
    while let Some(cell) = reader.next_cell().map_err(unreadable)? {
        let text = cell_text(cell.get_value());
        if text.is_empty() {
            continue;
        }
        let (row, column) = cell.get_position();
        if row >= SHEET_MAX_ROWS {
            return Err(at(
                format!(
                    "a value in row {}: a sheet may use at most {SHEET_MAX_ROWS} rows (a header and 100,000 cases)",
                    u64::from(row) + 1
                ),
                row,
            ));
        }
        if column >= SHEET_MAX_COLUMNS {
            return Err(at(
                format!(
                    "a value in column {}: a sheet may use at most {SHEET_MAX_COLUMNS} columns (up to {})",
                    column_name(column),
                    column_name(SHEET_MAX_COLUMNS - 1)
                ),
                row,
            ));
        }
        if *cells == 0 {
            return Err(at(
                format!("the workbook holds more than {WORKBOOK_MAX_CELLS} cells with values"),
                row,
            ));
        }
        *cells -= 1;
        let (row, column) = (row as usize, column as usize);
        if rows.len() <= row {
            rows.resize_with(row + 1, Vec::new);
        }
        let cells_of_row = &mut rows[row];
        if cells_of_row.len() <= column {
            cells_of_row.resize(column + 1, String::new());
        }
        cells_of_row[column] = text;
    }
    Ok(rows)
}

/// A virtual file made from a sheet, and for each of its lines the sheet row it came from.
struct SheetFile {
    text: String,
    rows: Vec<u64>,
}

impl SheetFile {
    /// The sheet row (1-based) that line `line` (1-based) of the text came from.
    fn row_of(&self, line: u64) -> Option<u64> {
        self.rows
            .get(usize::try_from(line).ok()?.checked_sub(1)?)
            .copied()
    }
}

/// One TOML value, quoted and escaped.
fn toml_string(value: &str) -> String {
    toml::Value::String(value.to_string()).to_string()
}

/// The `inspection` sheet as `inspection.toml` text, one line per row used.
fn manifest_text(book: &Path, rows: &[Vec<String>]) -> Result<SheetFile, InputError> {
    let mut out = SheetFile {
        text: String::new(),
        rows: Vec::new(),
    };
    let mut seen = BTreeMap::new();
    let mut ratings = BTreeMap::new();
    let mut rationales = BTreeMap::new();
    let at = |p: String, row_number: u64| {
        let mut e = error(book, Some(MANIFEST_SHEET), p).at_line(row_number);
        e.place = Place::Row;
        e
    };
    for (i, row) in rows.iter().enumerate() {
        let row_number = i as u64 + 1;
        let field = row.first().map(|s| s.trim()).unwrap_or("");
        let value = row.get(1).map(|s| s.trim()).unwrap_or("");
        if (i == 0 && field == "field") || field.is_empty() && value.is_empty() || value.is_empty()
        {
            continue;
        }
        if field == "units" {
            return Err(at(
                "a workbook holds one inspection; import a region with its PDU inspections as a directory"
                    .into(),
                row_number,
            ));
        }
        if let Some(first) = seen.insert(field.to_string(), row_number) {
            return Err(at(
                format!("field '{field}' is given twice (first in row {first})"),
                row_number,
            ));
        }
        if let Some(code) = field.strip_prefix("judged.") {
            match code.strip_suffix(parts::RATIONALE) {
                Some(code) => rationales.insert(code.to_string(), (value.to_string(), row_number)),
                None => ratings.insert(code.to_string(), (value.to_string(), row_number)),
            };
            continue;
        }
        out.text.push_str(&format!(
            "{} = {}\n",
            toml_string(field),
            toml_string(value)
        ));
        out.rows.push(row_number);
    }
    // `[judged]` last, as a table of its own would need to be.
    for (line, row) in parts::judged_lines(&ratings, &rationales, at)? {
        out.text.push_str(&line);
        out.rows.push(row);
    }
    Ok(out)
}

/// An instrument sheet as CSV text. Rows take the header's width (cells right of the last header are
/// layout); wholly blank rows stay as blank lines, which the CSV reader skips. A cell with line
/// breaks spans lines, so the text's lines are mapped back to sheet rows.
fn sheet_csv(book: &Path, name: &str, rows: &[Vec<String>]) -> Result<SheetFile, InputError> {
    let width = rows
        .first()
        .and_then(|h| h.iter().rposition(|c| !c.trim().is_empty()))
        .map_or(0, |i| i + 1);
    let mut out = SheetFile {
        text: String::new(),
        rows: Vec::new(),
    };
    for (i, row) in rows.iter().enumerate() {
        let row_number = i as u64 + 1;
        if row.iter().all(|c| c.trim().is_empty()) {
            out.text.push('\n');
            out.rows.push(row_number);
            continue;
        }
        // A cell is a cell's text, whatever it starts with: marked as text for the CSV reader,
        // which takes the mark off again.
        let mut cells: Vec<std::borrow::Cow<'_, str>> = row
            .iter()
            .take(width)
            .map(|c| casework_core::text::to_spreadsheet(c))
            .collect();
        cells.resize(width, std::borrow::Cow::Borrowed(""));
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        w.write_record(cells.iter().map(|c| c.as_bytes()))
            .map_err(|e| error(book, Some(name), e.to_string()))?;
        let line = w
            .into_inner()
            .map_err(|e| error(book, Some(name), e.to_string()))?;
        let line = String::from_utf8_lossy(&line);
        let lines = line.matches('\n').count().max(1);
        out.rows.extend(std::iter::repeat_n(row_number, lines));
        out.text.push_str(&line);
    }
    Ok(out)
}

/// A workbook's sheets as the files of a directory, for core's loader; it can list the narrative.
struct Sheets<'a>(&'a BTreeMap<PathBuf, SheetFile>);

impl Source for Sheets<'_> {
    fn read(&self, path: &Path, limit: u64) -> io::Result<Option<Vec<u8>>> {
        match self.0.get(path) {
            Some(f) if f.text.len() as u64 > limit => {
                Err(io::Error::from(io::ErrorKind::FileTooLarge))
            }
            other => Ok(other.map(|f| f.text.clone().into_bytes())),
        }
    }

    fn list(&self, dir: &Path) -> io::Result<Option<Vec<(String, bool)>>> {
        if !dir.ends_with(narrative::DIR) {
            return Ok(None);
        }
        Ok(Some(
            self.0
                .keys()
                .filter(|p| p.parent() == Some(dir))
                .filter_map(|p| Some((p.file_name()?.to_str()?.to_string(), false)))
                .collect(),
        ))
    }
}

/// The first sheet of a workbook as rows of cell text (a caseload extract's), bounded as every
/// workbook read is; row i of the result is sheet row i + 1.
pub fn first_sheet_rows(book: &Path) -> Result<Vec<Vec<String>>, InputError> {
    check_archive(book)?;
    let mut workbook: Xlsx<BufReader<File>> = open_workbook(book)
        .map_err(|e| error(book, None, format!("cannot open the workbook: {e}")))?;
    let name = workbook
        .sheet_names()
        .first()
        .cloned()
        .ok_or_else(|| error(book, None, "the workbook has no sheet"))?;
    let mut cells = WORKBOOK_MAX_CELLS;
    read_sheet(&mut workbook, book, &name, &mut cells)
}

/// Reads an inspection workbook, with the framework it names (or `framework`).
pub fn read(
    book: &Path,
    framework: Option<&'static Framework>,
) -> Result<(Inspection, &'static Framework), InputError> {
    check_archive(book)?;
    let mut workbook: Xlsx<BufReader<File>> = open_workbook(book)
        .map_err(|e| error(book, None, format!("cannot open the workbook: {e}")))?;
    let mut sheets: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    let mut cells = WORKBOOK_MAX_CELLS;
    for name in workbook.sheet_names() {
        let rows = read_sheet(&mut workbook, book, &name, &mut cells)?;
        sheets.insert(name, rows);
    }
    let manifest = manifest_text(
        book,
        sheets
            .get(MANIFEST_SHEET)
            .ok_or_else(|| error(book, None, format!("no '{MANIFEST_SHEET}' sheet")))?,
    )?;
    // The workbook as a directory: inspection.toml, one CSV per instrument sheet and the evidence
    // sheet, and the narrative sheet's files.
    let mut files: BTreeMap<PathBuf, SheetFile> = BTreeMap::new();
    files.insert(book.join(MANIFEST), manifest);
    for (name, rows) in &sheets {
        if name == MANIFEST_SHEET {
            continue;
        }
        if name == domain_one::SHEET {
            let (path, text, rows) = domain_one::file(book, rows)?;
            files.insert(path, SheetFile { text, rows });
            continue;
        }
        if name == parts::NARRATIVE_SHEET {
            for (path, (text, rows)) in parts::narrative_files(book, rows)? {
                files.insert(path, SheetFile { text, rows });
            }
            continue;
        }
        files.insert(
            book.join(format!("{name}.csv")),
            sheet_csv(book, name, rows)?,
        );
    }
    let source = Sheets(&files);
    let (inspection, fw) = input::load(book, &source, framework).map_err(|mut e| {
        // Name sheets and rows, not the virtual files and lines behind them.
        let prefix = format!("{}/", book.display());
        if let Some(rest) = e.file.strip_prefix(&prefix) {
            let virtual_file = files.get(&book.join(rest));
            e.line = e.line.and_then(|l| virtual_file.and_then(|f| f.row_of(l)));
            e.place = Place::Row;
            e.file = match rest.strip_suffix(".csv") {
                Some(sheet) => format!("{}, sheet '{sheet}'", book.display()),
                None if rest == casework_core::domain_one::kept::FILE => {
                    format!("{}, sheet '{}'", book.display(), domain_one::SHEET)
                }
                None if rest.starts_with(narrative::DIR) => {
                    format!("{}, sheet '{}'", book.display(), parts::NARRATIVE_SHEET)
                }
                None => format!("{}, sheet '{MANIFEST_SHEET}'", book.display()),
            };
        }
        e
    })?;
    for name in sheets.keys() {
        let mut allowed: Vec<&str> = vec![MANIFEST_SHEET];
        allowed.extend(fw.instruments.iter().map(|i| sheet_of(&i.file)));
        allowed.extend([
            parts::EVIDENCE_SHEET,
            parts::NARRATIVE_SHEET,
            domain_one::SHEET,
        ]);
        if !allowed.contains(&name.as_str()) {
            return Err(InputError::new(
                ErrorKind::UnknownReference,
                book.display().to_string(),
                format!("unknown sheet '{name}'; allowed: {}", allowed.join(", ")),
            ));
        }
    }
    Ok((inspection, fw))
}
