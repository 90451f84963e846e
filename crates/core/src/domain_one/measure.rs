//! Performance and staffing measures: named figures the probation service supplies (staff in
//! post, vacancy rate, sickness days, unpaid work hours outstanding), each with its value, unit,
//! date and source, read from a table with one row per measure:
//! `id,label,group,value,unit,date,source,standard` (`group` is `staffing` or `performance`;
//! `standard`, the domain-one standard or key question it evidences, may be blank). A measure without a value,
//! unit, date or source, a unit or group not listed, or an id twice: a located error.

use serde::{Deserialize, Serialize};

use super::table::Rows;
use crate::input_error::{ErrorKind, InputError};

/// What a measure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Unit {
    /// Per cent, as printed (it may pass 100: staff in post against a target).
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
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
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
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
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
    let (at, locate, rows) = rows.open("measure", COLUMNS)?;
    let located = |line: u64, column: &str, problem: String| locate.at(line, column, problem);
    let place = locate.place;
    let mut out: Vec<Measure> = Vec::new();
    // (group, id) -> its line: the duplicate check in one lookup a row.
    let mut lines: std::collections::HashMap<(Group, String), u64> = Default::default();
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
                    format!(
                        "{} is not a group; allowed: staffing, performance",
                        super::quoted(other)
                    ),
                ));
            }
        };
        if let Some(first) = lines.insert((group, id.to_string()), line) {
            return Err(InputError {
                kind: ErrorKind::DuplicateCase,
                ..located(
                    line,
                    "id",
                    format!("the measure '{id}' is already on {} {first}", place.noun()),
                )
            });
        }
        let value = number(required(3)?).ok_or_else(|| {
            located(
                line,
                "value",
                format!(
                    "{} is not a number (digits, a decimal point, commas only between thousands)",
                    super::quoted(cell(3))
                ),
            )
        })?;
        let unit = Unit::parse(required(4)?).ok_or_else(|| {
            located(
                line,
                "unit",
                format!(
                    "{} is not a unit; allowed: {}",
                    super::quoted(cell(4)),
                    Unit::ALLOWED
                ),
            )
        })?;
        in_range(unit, &value).map_err(|p| located(line, "value", p))?;
        let date = crate::date::parse(required(5)?).map_err(|p| located(line, "date", p))?;
        let standard = super::standard_cell(cell(7)).map_err(|p| located(line, "standard", p))?;
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
    }
    Ok(out)
}

/// Whether `value` (as kept) can be a measure in `unit`: nothing but a ratio is negative (a
/// count, staff, a percentage, time or distance below zero is a typing error). A percentage may
/// pass 100: East Midlands (2024) prints senior probation officers in post at "107 per cent" of
/// target. The problem otherwise.
pub(crate) fn in_range(unit: Unit, value: &str) -> Result<(), String> {
    if value.starts_with('-') && unit != Unit::Ratio {
        return Err(format!(
            "{value} is below zero, which a measure in this unit cannot be"
        ));
    }
    Ok(())
}

/// A number as typed ("2,345", "12.5", "-3"): digits with an optional decimal part, commas only
/// between groups of three digits (dropped), no leading zero before another digit, an optional
/// minus sign (not on zero); `None` for anything else ("1,2,3", "1.000,5", "0012", "1e5").
pub(crate) fn number(text: &str) -> Option<String> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) if !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()) => (w, Some(f)),
        Some(_) => return None,
        None => (digits, None),
    };
    let groups: Vec<&str> = whole.split(',').collect();
    let grouped_ok = groups.iter().enumerate().all(|(k, g)| {
        !g.is_empty()
            && g.bytes().all(|b| b.is_ascii_digit())
            && (groups.len() == 1 || if k == 0 { g.len() <= 3 } else { g.len() == 3 })
    });
    let plain_whole: String = groups.concat();
    if !grouped_ok || (plain_whole.len() > 1 && plain_whole.starts_with('0')) {
        return None;
    }
    let zero = plain_whole.bytes().all(|b| b == b'0')
        && fraction.is_none_or(|f| f.bytes().all(|b| b == b'0'));
    if text.starts_with('-') && zero {
        return None;
    }
    let sign = if text.starts_with('-') { "-" } else { "" };
    Some(match fraction {
        Some(f) => format!("{sign}{plain_whole}.{f}"),
        None => format!("{sign}{plain_whole}"),
    })
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn numbers_take_commas_only_between_thousands() {
        for (typed, kept) in [
            ("2,345", "2345"),
            ("1,234,567.50", "1234567.50"),
            ("12.5", "12.5"),
            ("-3", "-3"),
            ("0", "0"),
            ("0.5", "0.5"),
            ("999", "999"),
        ] {
            assert_eq!(number(typed).as_deref(), Some(kept), "{typed}");
        }
        for bad in [
            "1,2,3", "12,34", "1,,2", "1.000,5", "0012", "1e5", "NaN", "-0", "1.", ".5", "", "-",
            ",123", "1,2345", "inf", "+3",
        ] {
            assert_eq!(number(bad), None, "{bad}");
        }
    }
}
