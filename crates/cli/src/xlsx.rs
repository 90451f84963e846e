//! Inspections as XLSX workbooks: an `inspection` sheet of field / value rows (the `inspection.toml`
//! fields, judged ratings as `judged.P1.1`), and one sheet per instrument named like its CSV file
//! (`sentence-management`, `court-reports`, ...) with the same columns.
//!
//! Reading presents the workbook to core's loader as a virtual inspection directory, so every rule
//! and every located error is exactly as for CSV; errors name the workbook, sheet, row and column.
//! A workbook holds one inspection: a region's PDU inspections stay directories.

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use calamine::{Data, Reader, open_workbook_auto};
use casework_core::Inspection;
use casework_core::framework::Framework;
use casework_core::input::write::cases_csv;
use casework_core::input::{self, ErrorKind, InputError, MANIFEST};
use casework_core::inspection::Manifest;
use rust_xlsxwriter::{Format, Workbook};

pub const MANIFEST_SHEET: &str = "inspection";

fn sheet_of(instrument_file: &str) -> &str {
    instrument_file
        .strip_suffix(".csv")
        .unwrap_or(instrument_file)
}

/// A cell as the text a CSV cell would hold.
fn cell_text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => format!("{}", *f as i64),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "Y" } else { "N" }.to_string(),
        Data::DateTime(d) => excel_date(d.as_f64()),
        Data::DateTimeIso(s) => s.chars().take(10).collect(),
        Data::DurationIso(s) => s.clone(),
        Data::Error(e) => format!("#{e:?}"),
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

/// The `inspection` sheet as `inspection.toml` text.
fn manifest_text(book: &Path, rows: &[Vec<String>]) -> Result<String, InputError> {
    let mut table = toml::Table::new();
    let mut judged = toml::Table::new();
    for (i, row) in rows.iter().enumerate() {
        let line = i as u64 + 1;
        let field = row.first().map(|s| s.trim()).unwrap_or("");
        let value = row.get(1).map(|s| s.trim()).unwrap_or("");
        if (i == 0 && field == "field") || (field.is_empty() && value.is_empty()) {
            continue;
        }
        let at = |p: String| error(book, Some(MANIFEST_SHEET), p).at_line(line);
        if let Some(code) = field.strip_prefix("judged.") {
            judged.insert(code.to_string(), value.into());
        } else if field == "units" {
            return Err(at(
                "a workbook holds one inspection; import a region with its PDU inspections as a directory"
                    .into(),
            ));
        } else if value.is_empty() {
            continue;
        } else if table.insert(field.to_string(), value.into()).is_some() {
            return Err(at(format!("field '{field}' is given twice")));
        }
    }
    if !judged.is_empty() {
        table.insert("judged".into(), judged.into());
    }
    toml::to_string(&table).map_err(|e| error(book, Some(MANIFEST_SHEET), e.to_string()))
}

/// An instrument sheet as CSV text. Rows take the header's width (cells right of the last header are
/// layout); wholly blank rows stay as blank lines, which the CSV reader skips, so row numbers in
/// errors are the sheet's own.
fn sheet_csv(book: &Path, name: &str, rows: &[Vec<String>]) -> Result<String, InputError> {
    let width = rows
        .first()
        .and_then(|h| h.iter().rposition(|c| !c.trim().is_empty()))
        .map_or(0, |i| i + 1);
    let mut text = String::new();
    for row in rows {
        if row.iter().all(|c| c.trim().is_empty()) {
            text.push('\n');
            continue;
        }
        let mut cells: Vec<&str> = row.iter().take(width).map(String::as_str).collect();
        cells.resize(width, "");
        let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
        w.write_record(&cells)
            .map_err(|e| error(book, Some(name), e.to_string()))?;
        let line = w
            .into_inner()
            .map_err(|e| error(book, Some(name), e.to_string()))?;
        text.push_str(&String::from_utf8_lossy(&line));
    }
    Ok(text)
}

/// Reads an inspection workbook, with the framework it names (or `framework`).
pub fn read(
    book: &Path,
    framework: Option<&'static Framework>,
) -> Result<(Inspection, &'static Framework), InputError> {
    let mut workbook = open_workbook_auto(book)
        .map_err(|e| error(book, None, format!("cannot open the workbook: {e}")))?;
    let mut sheets: BTreeMap<String, Vec<Vec<String>>> = BTreeMap::new();
    for name in workbook.sheet_names() {
        let range = workbook
            .worksheet_range(&name)
            .map_err(|e| error(book, Some(&name), e.to_string()))?;
        let rows = range
            .rows()
            .map(|r| r.iter().map(cell_text).collect())
            .collect();
        sheets.insert(name, rows);
    }
    let manifest = manifest_text(
        book,
        sheets
            .get(MANIFEST_SHEET)
            .ok_or_else(|| error(book, None, format!("no '{MANIFEST_SHEET}' sheet")))?,
    )?;
    // The workbook as a directory: inspection.toml and one CSV per instrument sheet.
    let mut files: BTreeMap<PathBuf, String> = BTreeMap::new();
    files.insert(book.join(MANIFEST), manifest);
    for (name, rows) in &sheets {
        if name == MANIFEST_SHEET {
            continue;
        }
        files.insert(
            book.join(format!("{name}.csv")),
            sheet_csv(book, name, rows)?,
        );
    }
    let source = |p: &Path| -> io::Result<Option<String>> { Ok(files.get(p).cloned()) };
    let (inspection, fw) = input::load(book, &source, framework).map_err(|mut e| {
        // Name sheets, not the virtual files behind them.
        let prefix = format!("{}/", book.display());
        if let Some(rest) = e.file.strip_prefix(&prefix) {
            e.file = match rest.strip_suffix(".csv") {
                Some(sheet) => format!("{}, sheet '{sheet}'", book.display()),
                None => format!("{}, sheet '{MANIFEST_SHEET}'", book.display()),
            };
        }
        e
    })?;
    for name in sheets.keys() {
        let known =
            name == MANIFEST_SHEET || fw.instruments.iter().any(|i| sheet_of(&i.file) == name);
        if !known {
            let allowed: Vec<&str> = fw.instruments.iter().map(|i| sheet_of(&i.file)).collect();
            return Err(InputError::new(
                ErrorKind::UnknownReference,
                book.display().to_string(),
                format!(
                    "unknown sheet '{name}'; allowed: {MANIFEST_SHEET}, {}",
                    allowed.join(", ")
                ),
            ));
        }
    }
    Ok((inspection, fw))
}

/// Writes an inspection (without PDU inspections) as a workbook. Every cell is text, so the
/// workbook reads back exactly; headers are bold and frozen, columns sized.
pub fn write(book: &Path, fw: &Framework, inspection: &Inspection) -> anyhow::Result<()> {
    if !inspection.units.is_empty() {
        anyhow::bail!(
            "a workbook holds one inspection, and this is a region with {} PDU inspections; export it to a directory",
            inspection.units.len()
        );
    }
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let manifest = Manifest::of(inspection, vec![]);
    let mut rows: Vec<(String, String)> = vec![
        ("framework".into(), manifest.framework.clone()),
        (
            "framework_version".into(),
            manifest.framework_version.clone().unwrap_or_default(),
        ),
        ("kind".into(), manifest.kind.clone()),
        ("unit".into(), manifest.unit.clone()),
        ("region".into(), manifest.region.clone().unwrap_or_default()),
        (
            "fieldwork_start".into(),
            manifest.fieldwork_start.clone().unwrap_or_default(),
        ),
        (
            "fieldwork_end".into(),
            manifest.fieldwork_end.clone().unwrap_or_default(),
        ),
    ];
    rows.extend(
        manifest
            .judged
            .iter()
            .map(|(code, rating)| (format!("judged.{code}"), rating.clone())),
    );
    let sheet = workbook.add_worksheet().set_name(MANIFEST_SHEET)?;
    sheet.write_string_with_format(0, 0, "field", &bold)?;
    sheet.write_string_with_format(0, 1, "value", &bold)?;
    for (i, (field, value)) in rows.iter().enumerate() {
        sheet.write_string(i as u32 + 1, 0, field)?;
        sheet.write_string(i as u32 + 1, 1, value)?;
    }
    sheet.set_column_width(0, 22)?;
    sheet.set_column_width(1, 40)?;
    sheet.set_freeze_panes(1, 0)?;
    for set in &inspection.cases {
        let instrument = fw
            .instrument(&set.instrument)
            .ok_or_else(|| anyhow::anyhow!("unknown instrument {}", set.instrument))?;
        let sheet = workbook
            .add_worksheet()
            .set_name(sheet_of(&instrument.file))?;
        let text = cases_csv(fw, set);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(text.as_bytes());
        for (r, record) in reader.records().enumerate() {
            let record = record?;
            for (c, value) in record.iter().enumerate() {
                if r == 0 {
                    sheet.write_string_with_format(0, c as u16, value, &bold)?;
                } else if !value.is_empty() {
                    sheet.write_string(r as u32, c as u16, value)?;
                }
            }
        }
        sheet.set_column_width(0, 16)?;
        sheet.set_freeze_panes(1, 1)?;
    }
    let tmp = book.with_extension("xlsx.writing");
    workbook.save(&tmp)?;
    std::fs::rename(&tmp, book)?;
    Ok(())
}
