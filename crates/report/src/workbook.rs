//! The data workbook: the figures behind the report as tables (inspection, ratings, one sheet per
//! case-based standard with every key question and prompt, management oversight, sample
//! composition), written as XLSX (rust_xlsxwriter: numbers as numbers, percentages formatted,
//! frozen headers, column widths) or as one CSV file per table. Both come from the same tables.

use std::path::Path;

use casework_core::framework::printed_percent;
use casework_core::{Framework, Ratings};
use rust_xlsxwriter::{Format, Workbook};

use crate::error::ReportError;

/// One cell of a data table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Count(u64),
    /// A printed whole percentage, as the report shows it.
    Percent(u32),
    /// An exact percentage (0–100), unrounded.
    Exact(f64),
    /// A fraction or coefficient (an agreement statistic, a share), to four decimals.
    Decimal(f64),
    Empty,
}

impl Cell {
    fn opt_count(n: Option<u64>) -> Cell {
        n.map_or(Cell::Empty, Cell::Count)
    }
    fn opt_percent(p: Option<u32>) -> Cell {
        p.map_or(Cell::Empty, Cell::Percent)
    }
    fn text(s: &str) -> Cell {
        Cell::Text(s.to_string())
    }
}

/// A named table: a sheet in the workbook, a file in the CSV directory.
#[derive(Debug, Clone)]
pub struct Table {
    /// Sheet name (at most 31 characters, none of `[]:*?/\`).
    pub sheet: String,
    /// CSV file stem.
    pub file: String,
    pub headers: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
}

const COUNTS: [&str; 6] = [
    "Yes",
    "No",
    "Not applicable",
    "Relevant",
    "% Yes",
    "Exact % Yes",
];

fn exact(yes: u64, relevant: u64) -> Cell {
    if relevant == 0 {
        Cell::Empty
    } else {
        Cell::Exact(casework_core::framework::exact_percent(yes, relevant))
    }
}

/// A key question's or prompt's row: level, id, text, the four counts, printed and exact percent.
fn question_row(
    level: &str,
    id: &str,
    text: &str,
    [yes, no, not_applicable, relevant]: [u64; 4],
    percent: Option<u32>,
) -> Vec<Cell> {
    vec![
        Cell::text(level),
        Cell::text(id),
        Cell::text(text),
        Cell::Count(yes),
        Cell::Count(no),
        Cell::Count(not_applicable),
        Cell::Count(relevant),
        Cell::opt_percent(percent),
        exact(yes, relevant),
    ]
}

/// Every table of the data workbook.
pub fn tables(fw: &Framework, ratings: &Ratings) -> Vec<Table> {
    let mut out = Vec::new();
    let field = |name: &str, value: Cell| vec![Cell::text(name), value];
    let opt_text = |v: &Option<String>| v.as_deref().map_or(Cell::Empty, Cell::text);
    out.push(Table {
        sheet: "Inspection".into(),
        file: "inspection".into(),
        headers: vec!["Field", "Value"],
        rows: vec![
            field("Unit", Cell::text(&ratings.unit)),
            field("Region", opt_text(&ratings.region)),
            field("Inspection", Cell::text(&ratings.kind_label)),
            field("Fieldwork start", opt_text(&ratings.fieldwork_start)),
            field("Fieldwork end", opt_text(&ratings.fieldwork_end)),
            field("Score", Cell::Count(ratings.score.into())),
            field("Maximum score", Cell::Count(ratings.max_score.into())),
            field(
                "Overall rating",
                ratings
                    .overall
                    .as_ref()
                    .map_or(Cell::Empty, |r| Cell::text(&r.label)),
            ),
            field(
                "Framework",
                Cell::Text(format!(
                    "{} {} ({})",
                    ratings.framework.id, ratings.framework.version, ratings.framework.content_hash
                )),
            ),
        ],
    });
    out.push(Table {
        sheet: "Ratings".into(),
        file: "ratings".into(),
        headers: vec![
            "Code",
            "Standard",
            "Domain",
            "Basis",
            "Rating",
            "Points",
            "Lowest key question",
            "Lowest % Yes",
            "Cases",
        ],
        rows: ratings
            .standards
            .iter()
            .map(|s| {
                let lowest = s.key_questions.iter().find(|k| k.driving);
                vec![
                    Cell::text(&s.code),
                    Cell::text(&s.name),
                    Cell::Count(s.domain.into()),
                    Cell::text(if s.key_questions.is_empty() {
                        "judged"
                    } else {
                        "cases"
                    }),
                    s.rating
                        .as_ref()
                        .map_or(Cell::Empty, |r| Cell::text(&r.label)),
                    s.rating
                        .as_ref()
                        .map_or(Cell::Empty, |r| Cell::Count(r.points.into())),
                    lowest.map_or(Cell::Empty, |k| Cell::text(&k.id)),
                    Cell::opt_percent(lowest.and_then(|k| k.percent)),
                    if s.key_questions.is_empty() {
                        Cell::Empty
                    } else {
                        Cell::Count(s.cases)
                    },
                ]
            })
            .collect(),
    });
    for s in ratings
        .standards
        .iter()
        .filter(|s| !s.key_questions.is_empty())
    {
        let mut rows = Vec::new();
        for k in &s.key_questions {
            rows.push(question_row(
                "key question",
                &k.id,
                &k.text,
                [k.yes, k.no, k.not_applicable, k.relevant],
                k.percent,
            ));
            for p in ratings.prompts.iter().filter(|p| p.parent == k.id) {
                rows.push(question_row(
                    "prompt",
                    &p.id,
                    &p.text,
                    [p.yes, p.no, p.not_applicable, p.relevant],
                    p.percent,
                ));
            }
        }
        let mut headers = vec!["Level", "Id", "Question"];
        headers.extend(COUNTS);
        out.push(Table {
            sheet: sheet_name(&format!("{} {}", s.code, s.name)),
            file: s.code.clone(),
            headers,
            rows,
        });
    }
    out.push(Table {
        sheet: "Management oversight".into(),
        file: "oversight".into(),
        headers: vec![
            "Instrument",
            "Sufficient",
            "Insufficient",
            "Ineffective",
            "Absent",
            "Not required",
            "Not recorded",
            "Not sufficient",
            "Needed",
            "Judged",
            "Not sufficient % of needed",
            "Not sufficient % of judged",
            "Sufficient % of judged",
        ],
        rows: ratings
            .oversight
            .iter()
            .map(|o| {
                vec![
                    Cell::Text(
                        fw.instrument(&o.instrument)
                            .map_or_else(|| o.instrument.clone(), |i| i.label.clone()),
                    ),
                    Cell::Count(o.sufficient),
                    Cell::Count(o.insufficient),
                    Cell::Count(o.ineffective),
                    Cell::Count(o.absent),
                    Cell::Count(o.not_required),
                    Cell::Count(o.not_recorded),
                    Cell::Count(o.shortfall),
                    Cell::Count(o.needed),
                    Cell::Count(o.judged),
                    Cell::opt_percent(o.shortfall_percent_of_needed),
                    Cell::opt_percent(o.shortfall_percent_of_judged),
                    Cell::opt_percent(o.sufficient_percent_of_judged),
                ]
            })
            .collect(),
    });
    out.push(Table {
        sheet: "Sample".into(),
        file: "sample".into(),
        headers: vec![
            "Instrument",
            "Cases",
            "Community",
            "Licence",
            "Probation Reset",
            "Reset proportionate",
            "Reset adjusted",
        ],
        rows: ratings
            .sample
            .iter()
            .map(|s| {
                vec![
                    Cell::text(&s.label),
                    Cell::Count(s.cases),
                    Cell::opt_count(s.community),
                    Cell::opt_count(s.licence),
                    Cell::opt_count(s.probation_reset),
                    Cell::opt_count(s.reset_proportionate),
                    Cell::opt_count(s.reset_adjusted),
                ]
            })
            .collect(),
    });
    if !ratings.breakdowns.is_empty() {
        out.push(breakdowns(fw, ratings));
    }
    if !ratings.units.is_empty() {
        out.push(Table {
            sheet: "PDUs".into(),
            file: "pdus".into(),
            headers: vec!["PDU", "Cases"],
            rows: ratings
                .units
                .iter()
                .map(|u| vec![Cell::text(&u.unit), Cell::Count(u.cases)])
                .collect(),
        });
    }
    out
}

/// Every question by each declared attribute the cases record: one row per question and group,
/// with the group's case count beside its Yes and relevant counts.
fn breakdowns(fw: &Framework, ratings: &Ratings) -> Table {
    let mut rows = Vec::new();
    for b in &ratings.breakdowns {
        let instrument = fw
            .instrument(&b.instrument)
            .map_or(b.instrument.as_str(), |i| i.label.as_str());
        for row in &b.rows {
            for (group, &(yes, relevant)) in b.groups.iter().zip(&row.cells) {
                rows.push(vec![
                    Cell::text(instrument),
                    Cell::text(&b.label),
                    Cell::text(&group.label),
                    Cell::Count(group.cases),
                    Cell::text(&row.question),
                    Cell::text(&row.text),
                    Cell::Count(yes),
                    Cell::Count(relevant),
                    Cell::opt_percent((relevant > 0).then(|| printed_percent(yes, relevant))),
                ]);
            }
        }
    }
    Table {
        sheet: "Breakdowns".into(),
        file: "breakdowns".into(),
        headers: vec![
            "Instrument",
            "Attribute",
            "Group",
            "Cases in group",
            "Question",
            "Text",
            "Yes",
            "Relevant",
            "% Yes",
        ],
        rows,
    }
}

/// A valid, unique-enough sheet name: forbidden characters dropped, at most 31 characters.
fn sheet_name(name: &str) -> String {
    name.chars()
        .filter(|c| !"[]:*?/\\".contains(*c))
        .take(31)
        .collect()
}

fn workbook_error(file: &Path) -> impl Fn(rust_xlsxwriter::XlsxError) -> ReportError + '_ {
    move |source| ReportError::Workbook {
        file: file.display().to_string(),
        source,
    }
}

/// Writes the tables as an XLSX workbook (via a temporary file, renamed into place).
pub fn write_xlsx(tables: &[Table], file: &Path) -> Result<(), ReportError> {
    let err = workbook_error(file);
    let mut workbook = build_xlsx(tables, file)?;
    let tmp = file.with_extension("xlsx.partial");
    workbook.save(&tmp).map_err(&err)?;
    std::fs::rename(&tmp, file).map_err(ReportError::io(file))
}

/// The data workbook's bytes (what [`write_xlsx`] writes), for serving without a file.
pub fn xlsx_bytes(tables: &[Table]) -> Result<Vec<u8>, ReportError> {
    let name = Path::new("data.xlsx");
    build_xlsx(tables, name)?
        .save_to_buffer()
        .map_err(workbook_error(name))
}

/// The data workbook in memory; `file` names it in errors.
fn build_xlsx(tables: &[Table], file: &Path) -> Result<Workbook, ReportError> {
    let err = workbook_error(file);
    let mut workbook = Workbook::new();
    let header = Format::new().set_bold().set_text_wrap();
    let percent = Format::new().set_num_format("0%");
    let exact = Format::new().set_num_format("0.0%");
    let decimal = Format::new().set_num_format("0.0000");
    for table in tables {
        let sheet = workbook
            .add_worksheet()
            .set_name(&table.sheet)
            .map_err(&err)?;
        let mut widths: Vec<usize> = table.headers.iter().map(|h| h.len().max(8)).collect();
        for (c, h) in table.headers.iter().enumerate() {
            sheet
                .write_string_with_format(0, c as u16, *h, &header)
                .map_err(&err)?;
        }
        for (r, row) in table.rows.iter().enumerate() {
            let r = r as u32 + 1;
            for (c, cell) in row.iter().enumerate() {
                let col = c as u16;
                match cell {
                    Cell::Text(t) => {
                        sheet.write_string(r, col, t).map_err(&err)?;
                        widths[c] = widths[c].max(t.chars().count().min(70));
                    }
                    Cell::Count(n) => {
                        sheet.write_number(r, col, *n as f64).map_err(&err)?;
                    }
                    Cell::Percent(p) => {
                        sheet
                            .write_number_with_format(r, col, f64::from(*p) / 100.0, &percent)
                            .map_err(&err)?;
                    }
                    Cell::Exact(p) => {
                        sheet
                            .write_number_with_format(r, col, p / 100.0, &exact)
                            .map_err(&err)?;
                    }
                    Cell::Decimal(x) => {
                        sheet
                            .write_number_with_format(r, col, *x, &decimal)
                            .map_err(&err)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        for (c, w) in widths.iter().enumerate() {
            sheet
                .set_column_width(c as u16, (*w as f64 + 2.0).min(72.0))
                .map_err(&err)?;
        }
        sheet.set_freeze_panes(1, 0).map_err(&err)?;
    }
    Ok(workbook)
}

/// Writes each table as `DIR/<file>.csv`. Percentages are written as whole numbers (35 for 35%).
/// Text a spreadsheet would run as a formula (a unit named `=HYPERLINK(...)`) is written with a
/// leading `'`, which spreadsheets show as text ([`casework_core::text::to_spreadsheet`]).
pub fn write_csv(tables: &[Table], dir: &Path) -> Result<(), ReportError> {
    std::fs::create_dir_all(dir).map_err(ReportError::io(dir))?;
    for table in tables {
        let path = dir.join(format!("{}.csv", table.file));
        let err = |source: csv::Error| ReportError::Csv {
            path: path.display().to_string(),
            source,
        };
        let mut w = csv::Writer::from_path(&path).map_err(err)?;
        w.write_record(&table.headers).map_err(err)?;
        for row in &table.rows {
            w.write_record(row.iter().map(|c| match c {
                Cell::Text(t) => casework_core::text::to_spreadsheet(t).into_owned(),
                Cell::Count(n) => n.to_string(),
                Cell::Percent(p) => p.to_string(),
                Cell::Exact(p) => format!("{p:.4}"),
                Cell::Decimal(x) => format!("{x:.4}"),
                Cell::Empty => String::new(),
            }))
            .map_err(err)?;
        }
        w.flush().map_err(ReportError::io(&path))?;
    }
    Ok(())
}
