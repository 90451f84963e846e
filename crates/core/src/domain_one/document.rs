//! Documents the inspected organisation submits (strategies, minutes, workforce plans, audits):
//! what each is, its date, which domain-one standards or key questions it evidences and, where the
//! inspectors make one, whether it speaks for or against them; read from a table with one row per
//! document: `title,date,standard[,judgement]` (`standard` one or more codes or key question ids
//! separated by `;`, or blank; `judgement` `positive`, `negative`, `mixed` or blank). The
//! document itself is not kept. A blank title or date, a date not a date, or the same title and
//! date twice: a located error.

use serde::{Deserialize, Serialize};

use super::interview::Judgement;
use super::table::Rows;
use crate::input_error::{ErrorKind, InputError};

/// One submitted document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Document {
    pub title: String,
    /// ISO date or month (`2024-06-30`, `2024-06`).
    pub date: String,
    /// The standards and key questions it evidences (`P1.1`, `P1.2.3`), in the order given.
    #[serde(default)]
    pub filed: Vec<String>,
    /// For (`positive`), against (`negative`) or `mixed`, where the inspectors say.
    #[serde(default)]
    pub judgement: Option<Judgement>,
}

/// The columns a documents table must have.
pub const COLUMNS: [&str; 3] = ["title", "date", "standard"];

/// Reads a documents table (see the module).
pub fn read(rows: Rows) -> Result<Vec<Document>, InputError> {
    let judgement_at = rows.column("judgement")?;
    let (at, locate, rows) = rows.open("document", COLUMNS)?;
    let place = locate.place;
    let mut out: Vec<Document> = Vec::new();
    // (title, date) -> its line: the duplicate check in one lookup a row.
    let mut lines: std::collections::HashMap<(String, String), u64> = Default::default();
    for (line, cells) in rows {
        let cell = |k: usize| cells.get(k).map_or("", |c| c.trim());
        let title = cell(at[0]);
        crate::text::check_line(title, crate::text::LINE_MAX_CHARS)
            .map_err(|p| locate.at(line, "title", format!("the title {p}")))?;
        if title.is_empty() {
            return Err(locate.at(line, "title", "the title is blank".into()));
        }
        if cell(at[1]).is_empty() {
            return Err(locate.at(line, "date", "the date is blank".into()));
        }
        let date = crate::date::parse(cell(at[1])).map_err(|p| locate.at(line, "date", p))?;
        let mut filed = Vec::new();
        for part in cell(at[2]).split(';').filter(|p| !p.trim().is_empty()) {
            if let Some(code) =
                super::standard_cell(part).map_err(|p| locate.at(line, "standard", p))?
                && !filed.contains(&code)
            {
                filed.push(code);
            }
        }
        let judgement = match judgement_at {
            Some(k) => {
                super::interview::judgement(cell(k)).map_err(|p| locate.at(line, "judgement", p))?
            }
            None => None,
        };
        if let Some(first) = lines.insert((title.to_string(), date.clone()), line) {
            return Err(InputError {
                kind: ErrorKind::DuplicateCase,
                ..locate.at(
                    line,
                    "title",
                    format!(
                        "the document {} of {date} is already on {} {first}",
                        super::quoted(title),
                        place.noun()
                    ),
                )
            });
        }
        out.push(Document {
            title: title.to_string(),
            date,
            filed,
            judgement,
        });
    }
    Ok(out)
}
