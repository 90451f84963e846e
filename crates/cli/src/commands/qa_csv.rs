//! `casework qa`'s CSV: text cells written so a spreadsheet never runs them, numbers as numbers
//! (fractions to four decimals), an undefined statistic as "undefined" with blank bounds.

use anyhow::Result;
use casework_core::agreement::Statistic;
use casework_core::double_marking::QuestionAgreement;
use casework_core::text::to_spreadsheet;

use crate::out;

/// Writes CSV: the first `text_columns` cells of each row are text (written so a spreadsheet never
/// runs them); the rest are numbers Casework computed, or "undefined", or blank.
pub fn csv(header: &[&str], rows: &[Vec<String>], text_columns: usize) -> Result<()> {
    let mut w = csv::WriterBuilder::new().from_writer(Vec::new());
    w.write_record(header)?;
    for row in rows {
        w.write_record(row.iter().enumerate().map(|(i, c)| {
            if i < text_columns {
                to_spreadsheet(c).into_owned()
            } else {
                c.clone()
            }
        }))?;
    }
    Ok(out!("{}", String::from_utf8(w.into_inner()?)?)?)
}

/// One question's or pool's figures for CSV: counts, then each statistic's value and 95% interval
/// as fractions (four decimals), "undefined" with blank bounds where the data give none.
pub fn agreement_numbers(q: &QuestionAgreement) -> Vec<String> {
    let f = |x: f64| format!("{x:.4}");
    let mut out = vec![
        q.compared.to_string(),
        q.agreed.to_string(),
        q.applicability_disagreements.to_string(),
        q.missing.to_string(),
    ];
    match (q.percent_agreement, q.percent_agreement_interval) {
        (Some(p), Some((lo, hi))) => out.extend([f(p), f(lo), f(hi)]),
        _ => out.extend(["undefined".into(), String::new(), String::new()]),
    }
    for s in [&q.cohen_kappa, &q.gwet_ac1, &q.krippendorff_alpha] {
        match s {
            Statistic::Defined(e) => {
                let (lo, hi) = e.interval.map(|(a, b)| (f(a), f(b))).unwrap_or_default();
                out.extend([f(e.value), lo, hi]);
            }
            Statistic::Undefined { .. } => {
                out.extend(["undefined".into(), String::new(), String::new()])
            }
        }
    }
    out
}

pub const AGREEMENT_CSV_HEADER: [&str; 19] = [
    "instrument",
    "question",
    "kind",
    "compared",
    "agreed",
    "applicability disagreements",
    "missing",
    "observed agreement",
    "observed agreement 95% lower",
    "observed agreement 95% upper",
    "Cohen's kappa",
    "kappa 95% lower",
    "kappa 95% upper",
    "Gwet's AC1",
    "AC1 95% lower",
    "AC1 95% upper",
    "Krippendorff's alpha",
    "alpha 95% lower",
    "alpha 95% upper",
];
