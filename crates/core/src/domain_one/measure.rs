//! Performance and staffing measures: named figures the probation service supplies (staff in
//! post, vacancy rate, sickness days, unpaid work hours outstanding), each with its value, unit,
//! date and source, read from a table with one row per measure:
//! `id,label,group,value,unit,date,source,standard` (`group` is `staffing` or `performance`;
//! `standard`, the domain-one standard it evidences, may be blank). A measure without a value,
//! unit, date or source, a unit or group not listed, or an id twice: a located error.

use serde::{Deserialize, Serialize};

use super::table::Rows;
use crate::input::{ErrorKind, InputError};

/// What a measure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    /// Per cent (0 to 100, as printed).
    Percent,
    Count,
    /// Full-time equivalent staff.
    Fte,
    Hours,
    Days,
    Weeks,
    Months,
    Years,
    Miles,
    /// A ratio or a rate per some base, as the source states it.
    Ratio,
}

impl Unit {
    pub const ALLOWED: &'static str =
        "percent, count, fte, hours, days, weeks, months, years, miles, ratio";

    pub fn parse(cell: &str) -> Option<Unit> {
        match cell.trim().to_ascii_lowercase().as_str() {
            "percent" | "%" | "per cent" => Some(Unit::Percent),
            "count" => Some(Unit::Count),
            "fte" => Some(Unit::Fte),
            "hours" => Some(Unit::Hours),
            "days" => Some(Unit::Days),
            "weeks" => Some(Unit::Weeks),
            "months" => Some(Unit::Months),
            "years" => Some(Unit::Years),
            "miles" => Some(Unit::Miles),
            "ratio" | "rate" => Some(Unit::Ratio),
            _ => None,
        }
    }
}

/// Which family of figures a measure belongs to: its figure is `<group>.<id>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Group {
    Staffing,
    Performance,
}

impl Group {
    pub fn id(self) -> &'static str {
        match self {
            Group::Staffing => "staffing",
            Group::Performance => "performance",
        }
    }
}

/// One measure.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Measure {
    /// Kebab-case, unique within its group.
    pub id: String,
    pub label: String,
    pub group: Group,
    /// The value as given, without thousands separators ("2345", "12.5"): shown with the
    /// decimals it was given.
    pub value: String,
    pub unit: Unit,
    /// ISO date or month (`2024-06-30`, `2024-06`).
    pub date: String,
    pub source: String,
    pub standard: Option<String>,
}

/// The columns a measures table must have.
pub const COLUMNS: [&str; 8] = [
    "id", "label", "group", "value", "unit", "date", "source", "standard",
];

/// Reads a measures table (see the module).
pub fn read(rows: Rows) -> Result<Vec<Measure>, InputError> {
    let Rows {
        file,
        place,
        header,
        rows,
    } = rows;
    let located = |line: u64, column: &str, problem: String| InputError {
        line: Some(line),
        place,
        column: Some(column.to_string()),
        ..InputError::new(ErrorKind::BadValue, file.clone(), problem)
    };
    let mut at = [0usize; 8];
    for (k, name) in COLUMNS.iter().enumerate() {
        at[k] = header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
            .ok_or_else(|| InputError {
                kind: ErrorKind::MissingColumn,
                ..located(1, name, format!("the header has no column '{name}'"))
            })?;
    }
    let mut out: Vec<Measure> = Vec::new();
    let mut lines: Vec<u64> = Vec::new();
    for (line, cells) in rows {
        let cell = |k: usize| cells.get(at[k]).map_or("", |c| c.trim());
        let required = |k: usize| {
            let text = cell(k);
            crate::text::check_line(text, crate::text::LINE_MAX_CHARS)
                .map_err(|p| located(line, COLUMNS[k], format!("the {} {p}", COLUMNS[k])))?;
            if text.is_empty() {
                return Err(located(
                    line,
                    COLUMNS[k],
                    format!("the {} is blank", COLUMNS[k]),
                ));
            }
            Ok(text)
        };
        let id = required(0)?;
        if !super::is_id(id) {
            return Err(located(
                line,
                "id",
                format!("'{id}' is not a kebab-case id"),
            ));
        }
        let group = match required(2)?.to_ascii_lowercase().as_str() {
            "staffing" => Group::Staffing,
            "performance" => Group::Performance,
            other => {
                return Err(located(
                    line,
                    "group",
                    format!("'{other}' is not a group; allowed: staffing, performance"),
                ));
            }
        };
        if let Some(k) = out.iter().position(|m| m.id == id && m.group == group) {
            return Err(InputError {
                kind: ErrorKind::DuplicateCase,
                ..located(
                    line,
                    "id",
                    format!(
                        "the measure '{id}' is already on {} {}",
                        place.noun(),
                        lines[k]
                    ),
                )
            });
        }
        let value = number(required(3)?)
            .ok_or_else(|| located(line, "value", format!("'{}' is not a number", cell(3))))?;
        let unit = Unit::parse(required(4)?).ok_or_else(|| {
            located(
                line,
                "unit",
                format!("'{}' is not a unit; allowed: {}", cell(4), Unit::ALLOWED),
            )
        })?;
        let date = crate::date::parse(required(5)?).map_err(|p| located(line, "date", p))?;
        let standard = Some(cell(7)).filter(|s| !s.is_empty()).map(str::to_string);
        out.push(Measure {
            id: id.to_string(),
            label: required(1)?.to_string(),
            group,
            value,
            unit,
            date,
            source: required(6)?.to_string(),
            standard,
        });
        lines.push(line);
    }
    Ok(out)
}

/// A number as typed ("2,345", "12.5", "-3"), thousands separators dropped; `None` if not one.
fn number(text: &str) -> Option<String> {
    let plain: String = text.chars().filter(|&c| c != ',').collect();
    let digits = plain.strip_prefix('-').unwrap_or(&plain);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, ""));
    let ok = !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
        && !(digits.contains('.') && fraction.is_empty());
    ok.then_some(plain)
}
