//! Writing an inspection as a workbook (what `xlsx::read` reads back exactly): the `inspection`
//! sheet, one sheet per instrument with cases, and the `evidence`, `narrative` and `domain-one`
//! sheets where there is any.

use std::path::Path;

use casework_core::Inspection;
use casework_core::framework::Framework;
use casework_core::input::evidence;
use casework_core::input::write::cases_csv;
use casework_core::inspection::Manifest;
use rust_xlsxwriter::{Format, Workbook, Worksheet};

use super::parts::{self, EVIDENCE_SHEET, NARRATIVE_SHEET, RATIONALE};
use super::{MANIFEST_SHEET, sheet_of};

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
    for (code, entry) in &manifest.judged {
        rows.push((format!("judged.{code}"), entry.rating().to_string()));
        if let Some(rationale) = entry.rationale() {
            rows.push((format!("judged.{code}{RATIONALE}"), rationale.to_string()));
        }
    }
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
        csv_to_sheet(sheet, &cases_csv(fw, set), &bold)?;
        sheet.set_column_width(0, 16)?;
        sheet.set_freeze_panes(1, 1)?;
    }
    if let Some(text) = evidence::write(fw, &inspection.cases) {
        let sheet = workbook.add_worksheet().set_name(EVIDENCE_SHEET)?;
        csv_to_sheet(sheet, &text, &bold)?;
        sheet.set_column_width(3, 80)?;
        sheet.set_freeze_panes(1, 0)?;
    }
    let evidence_lines = super::domain_one::rows(inspection);
    if !evidence_lines.is_empty() {
        let sheet = workbook
            .add_worksheet()
            .set_name(super::domain_one::SHEET)?;
        for (r, line) in evidence_lines.iter().enumerate() {
            if r == 0 {
                sheet.write_string_with_format(0, 0, line, &bold)?;
            } else {
                sheet.write_string(r as u32, 0, line)?;
            }
        }
        sheet.set_column_width(0, 100)?;
    }
    if !inspection.narrative.is_empty() {
        let sheet = workbook.add_worksheet().set_name(NARRATIVE_SHEET)?;
        for (r, [file, line]) in parts::narrative_rows(inspection).iter().enumerate() {
            if r == 0 {
                sheet.write_string_with_format(0, 0, file, &bold)?;
                sheet.write_string_with_format(0, 1, line, &bold)?;
                continue;
            }
            sheet.write_string(r as u32, 0, file)?;
            if !line.is_empty() {
                sheet.write_string(r as u32, 1, line)?;
            }
        }
        sheet.set_column_width(0, 28)?;
        sheet.set_column_width(1, 100)?;
        sheet.set_freeze_panes(1, 0)?;
    }
    let tmp = book.with_extension("xlsx.writing");
    workbook.save(&tmp)?;
    std::fs::rename(&tmp, book)?;
    Ok(())
}

/// Writes CSV text (as core writes it) into `sheet`, the first row in bold.
fn csv_to_sheet(sheet: &mut Worksheet, text: &str, bold: &Format) -> anyhow::Result<()> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(text.as_bytes());
    for (r, record) in reader.records().enumerate() {
        let record = record?;
        for (c, value) in record.iter().enumerate() {
            // The CSV writer marks text a spreadsheet would run; a workbook's text cells are
            // never run, so they hold the value itself.
            let value = casework_core::text::from_spreadsheet(value);
            if r == 0 {
                sheet.write_string_with_format(0, c as u16, value, bold)?;
            } else if !value.is_empty() {
                sheet.write_string(r as u32, c as u16, value)?;
            }
        }
    }
    Ok(())
}
