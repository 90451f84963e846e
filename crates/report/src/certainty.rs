//! How sure each rating is, in the report (issue 16): the methodology annexe's paragraphs (what
//! the interval and the secure/fragile label mean, then each case-based standard with its key
//! questions' intervals and the answers that would move its rating) and the workbook's
//! "Certainty" sheet. Renders `casework_core::certainty`'s results from `Ratings`; computes
//! nothing.

use casework_core::certainty::{Certainty, describe_standard};
use casework_core::{Framework, Ratings};

use crate::workbook::{Cell, Table};

/// An interval in whole per cent: "48% to 79%".
fn interval_words(c: &Certainty) -> Option<String> {
    c.interval
        .map(|i| format!("{:.0}% to {:.0}%", i.lower * 100.0, i.upper * 100.0))
}

/// The annexe's paragraphs on certainty; none when no standard was rated from cases.
pub fn paragraphs(fw: &Framework, ratings: &Ratings) -> Vec<String> {
    let rated: Vec<_> = ratings
        .standards
        .iter()
        .filter_map(|s| Some((s, s.certainty.as_ref()?, s.rating.as_ref()?)))
        .collect();
    if rated.is_empty() {
        return Vec::new();
    }
    let mut out = vec![format!(
        "Every percentage rests on a sample of cases, so each is shown with its {:.0}% Wilson \
         interval, the range of shares that fits the answers. A rating is called secure when the \
         chance that the true share lies in its band is at least {:.0}% (Jeffreys' posterior), and \
         fragile otherwise; for each standard we also give the fewest answers that would change \
         its rating.",
        fw.certainty.interval * 100.0,
        fw.certainty.secure_probability * 100.0
    )];
    for (s, c, rating) in rated {
        let questions: Vec<String> = s
            .key_questions
            .iter()
            .filter_map(|k| {
                let kc = k.certainty.as_ref()?;
                Some(format!(
                    "{} {}% ({})",
                    k.id,
                    k.percent?,
                    interval_words(kc)?
                ))
            })
            .collect();
        let mut line = format!(
            "{} {}: {}, {} ({:.0}% likely in its band). Key questions: {}.",
            s.code,
            s.name,
            rating.label,
            c.sureness.label(),
            c.band_probability * 100.0,
            questions.join("; ")
        );
        for (shift, up) in [(&c.up, true), (&c.down, false)] {
            if let Some(shift) = shift {
                line.push_str(&format!(" {}.", describe_standard(s, shift, up)));
            }
        }
        out.push(line);
    }
    out
}

/// The "Certainty" sheet: one row per key question of a rated case-based standard, then one
/// per standard; interval bounds and the band probability as fractions.
pub fn table(ratings: &Ratings) -> Table {
    let shift_cells = |c: &Certainty| {
        let cells = |s: &Option<casework_core::certainty::Shift>| match s {
            Some(s) => [Cell::Count(s.answers), Cell::Text(s.to.label.clone())],
            None => [Cell::Empty, Cell::Empty],
        };
        let [ua, ut] = cells(&c.up);
        let [da, dt] = cells(&c.down);
        [ua, ut, da, dt]
    };
    let mut rows = Vec::new();
    for s in &ratings.standards {
        let Some(sc) = &s.certainty else { continue };
        for k in &s.key_questions {
            let Some(kc) = &k.certainty else { continue };
            let mut row = vec![
                Cell::Text(s.code.clone()),
                Cell::Text(k.id.clone()),
                Cell::Count(k.yes),
                Cell::Count(k.relevant),
                k.percent.map_or(Cell::Empty, Cell::Percent),
                kc.interval.map_or(Cell::Empty, |i| Cell::Decimal(i.lower)),
                kc.interval.map_or(Cell::Empty, |i| Cell::Decimal(i.upper)),
                Cell::Text(k.band.as_ref().map_or(String::new(), |b| b.label.clone())),
                Cell::Decimal(kc.band_probability),
                Cell::Text(kc.sureness.label().into()),
            ];
            row.extend(shift_cells(kc));
            rows.push(row);
        }
        let mut row = vec![
            Cell::Text(s.code.clone()),
            Cell::Text("(standard)".into()),
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Empty,
            Cell::Text(s.rating.as_ref().map_or(String::new(), |r| r.label.clone())),
            Cell::Decimal(sc.band_probability),
            Cell::Text(sc.sureness.label().into()),
        ];
        row.extend(shift_cells(sc));
        rows.push(row);
    }
    Table {
        sheet: "Certainty".into(),
        file: "certainty".into(),
        headers: vec![
            "Standard",
            "Key question",
            "Yes",
            "Relevant",
            "% Yes",
            "Interval lower",
            "Interval upper",
            "Band",
            "P(in band)",
            "Secure or fragile",
            "Yes answers to move up",
            "Up to",
            "Yes answers to move down",
            "Down to",
        ],
        rows,
    }
}
