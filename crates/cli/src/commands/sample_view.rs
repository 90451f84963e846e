//! How `casework sample` prints a plan, a draw and a comparison: a readable table, JSON, or CSV
//! (text cells marked where a spreadsheet would run them as formulas). Renders what
//! `casework_core::sampling` computed; decides nothing.

use std::fmt::Write;

use anyhow::Result;
use casework_core::sampling::compare::Comparison;
use casework_core::sampling::extract::Field;
use casework_core::sampling::write::iso;
use casework_core::sampling::{ALGORITHM, DrawnCase, Role};
use casework_core::text::to_spreadsheet;
use clap::ValueEnum;
use serde_json::json;

/// How a plan, draw or comparison is printed.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum SampleFormat {
    Table,
    Json,
    /// One row per case or value, for a spreadsheet (text that would run as a formula is
    /// marked as text).
    Csv,
}

use casework_store::CaseSample;
use casework_web::sampling::Planned;

/// A fraction as per cent to one decimal.
fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// CSV text from rows of cells, each through `to_spreadsheet`.
fn csv_text(header: &[String], rows: &[Vec<String>]) -> Result<String> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(header)?;
    for row in rows {
        w.write_record(row.iter().map(|c| to_spreadsheet(c).into_owned()))?;
    }
    Ok(String::from_utf8(w.into_inner()?)?)
}

/// The plan: population, size, margin, strata.
pub fn plan(p: &Planned, format: SampleFormat) -> Result<String> {
    let plan = &p.plan;
    let by = p.spec.strata.by.join(", ");
    match format {
        SampleFormat::Json => Ok(serde_json::to_string_pretty(&json!({
            "specification": { "id": p.spec.id, "version": p.spec.version, "size": p.spec.size,
                               "windows": p.spec.windows, "strata": p.spec.strata },
            "extract": { "cases": p.caseload.cases.len(), "pdus": p.caseload.pdus.len(),
                         "ignored_columns": p.caseload.ignored_columns },
            "plan": plan,
        }))? + "\n"),
        SampleFormat::Csv => {
            let header: Vec<String> = p
                .spec
                .strata
                .by
                .iter()
                .cloned()
                .chain(["eligible".into(), "allotted".into()])
                .collect();
            let rows: Vec<Vec<String>> = plan
                .strata
                .iter()
                .map(|s| {
                    let mut row = s.key.clone();
                    row.push(s.population.to_string());
                    row.push(s.allotted.to_string());
                    row
                })
                .collect();
            csv_text(&header, &rows)
        }
        SampleFormat::Table => {
            let mut out = String::new();
            let e = &plan.eligibility;
            let _ = writeln!(
                out,
                "Caseload extract: {} cases in {} PDUs; {} eligible",
                p.caseload.cases.len(),
                p.caseload.pdus.len(),
                plan.population
            );
            if !p.spec.windows.is_empty() {
                let windows: Vec<String> = p
                    .spec
                    .windows
                    .iter()
                    .map(|w| format!("{} to {}", w.from, w.to))
                    .collect();
                let _ = writeln!(
                    out,
                    "  started {} ({} outside)",
                    windows.join(" or "),
                    e.outside_windows
                );
            }
            for (reason, n) in &e.excluded {
                let _ = writeln!(out, "  excluded {n}: {reason}");
            }
            if !p.caseload.ignored_columns.is_empty() {
                let _ = writeln!(
                    out,
                    "  columns not read (never kept): {}",
                    p.caseload.ignored_columns.join(", ")
                );
            }
            let size = p.spec.size;
            let rule = match (size.fixed, plan.computed_size) {
                (Some(_), _) => "fixed by the specification".to_string(),
                (None, _) => format!(
                    "Cochran with the finite population correction: {:.0}% confidence, margin {:.0} points, p = {}",
                    size.confidence * 100.0,
                    size.margin * 100.0,
                    size.proportion
                ),
            };
            let _ = writeln!(out, "Sample size: {} cases ({rule})", plan.size);
            if let Some(m) = plan.margin {
                let _ = writeln!(
                    out,
                    "Margin of error: ±{:.1} percentage points at {:.0}% confidence",
                    m * 100.0,
                    plan.confidence * 100.0
                );
            }
            let _ = writeln!(
                out,
                "Reserves: {} per stratum\n\nStrata ({by})",
                plan.reserves_per_stratum
            );
            for s in &plan.strata {
                let _ = writeln!(
                    out,
                    "  {:<50} {:>6} eligible {:>4} allotted",
                    s.key.join(" / "),
                    s.population,
                    s.allotted
                );
            }
            Ok(out)
        }
    }
}

/// The drawn cases and reserves, stratum by stratum.
pub fn draw(p: &Planned, seed: u64, drawn: &[DrawnCase], format: SampleFormat) -> Result<String> {
    let fw = &*p.fw;
    let attributes: Vec<Field> = p
        .caseload
        .attributes
        .iter()
        .map(|&a| Field::Attribute(a))
        .collect();
    let mut header: Vec<String> = [
        "role",
        "stratum",
        "order",
        "reference",
        "pdu",
        "sentence",
        "start",
    ]
    .map(String::from)
    .to_vec();
    header.extend(
        p.caseload
            .attributes
            .iter()
            .map(|&a| fw.attributes[a].id.clone()),
    );
    let rows: Vec<Vec<String>> = drawn
        .iter()
        .map(|d| {
            let c = &p.caseload.cases[d.case];
            let mut row = vec![
                match d.role {
                    Role::Drawn => "drawn".into(),
                    Role::Reserve => "reserve".into(),
                },
                p.plan.strata[d.stratum].key.join(" / "),
                d.order.to_string(),
                c.reference.clone(),
                p.caseload.pdus[c.pdu as usize].clone(),
                c.sentence.id().into(),
                iso(c.start),
            ];
            row.extend(
                attributes
                    .iter()
                    .map(|&f| p.caseload.value_of(fw, d.case, f).unwrap_or("").to_string()),
            );
            row
        })
        .collect();
    match format {
        SampleFormat::Csv => csv_text(&header, &rows),
        SampleFormat::Json => {
            let cases: Vec<serde_json::Value> = rows
                .iter()
                .map(|r| {
                    serde_json::Value::Object(
                        header
                            .iter()
                            .cloned()
                            .zip(r.iter().map(|c| json!(c)))
                            .collect(),
                    )
                })
                .collect();
            Ok(serde_json::to_string_pretty(&json!({
                "seed": seed, "algorithm": ALGORITHM, "size": p.plan.size,
                "population": p.plan.population, "cases": cases,
            }))? + "\n")
        }
        SampleFormat::Table => {
            let mut out = format!(
                "{} cases drawn from {} eligible, seed {seed}\n",
                p.plan.size, p.plan.population
            );
            for row in rows {
                let _ = writeln!(
                    out,
                    "  {:<8} {:>2}  {:<12} {}  ({})",
                    row[0], row[2], row[3], row[6], row[1]
                );
            }
            Ok(out)
        }
    }
}

/// A stored inspection's recorded sample: each drawn case and reserve with its place now.
pub fn stored(sample: &CaseSample, format: SampleFormat) -> Result<String> {
    let header = [
        "role",
        "stratum",
        "order",
        "reference",
        "status",
        "reason",
        "replaces",
    ]
    .map(String::from);
    let rows: Vec<Vec<String>> = sample
        .cases
        .iter()
        .map(|c| {
            vec![
                c.role.clone(),
                c.stratum.clone(),
                c.position.to_string(),
                c.case_ref.clone(),
                c.status.clone(),
                c.reason.clone().unwrap_or_default(),
                c.replaces.clone().unwrap_or_default(),
            ]
        })
        .collect();
    match format {
        SampleFormat::Json => Ok(serde_json::to_string_pretty(sample)? + "\n"),
        SampleFormat::Csv => csv_text(&header, &rows),
        SampleFormat::Table => {
            let mut out = format!(
                "{} cases drawn from {} eligible (seed {}, by {} at {}); {} in the sample now\n",
                sample.size,
                sample.population,
                sample.seed,
                sample.drawn_by,
                sample.drawn_at,
                sample.in_sample().count()
            );
            for r in &rows {
                let mut line = format!(
                    "  {:<8} {:>2}  {:<12} {:<10} ({})",
                    r[0], r[2], r[3], r[4], r[1]
                );
                if !r[5].is_empty() {
                    line.push_str(&format!(": {}", r[5]));
                }
                if !r[6].is_empty() {
                    line.push_str(&format!(", replaces {}", r[6]));
                }
                let _ = writeln!(out, "{line}");
            }
            Ok(out)
        }
    }
}

/// The sample against its population.
pub fn comparison(c: &Comparison, format: SampleFormat) -> Result<String> {
    let d_text = |d: Option<f64>| d.map_or("undefined".to_string(), |d| format!("{d:.3}"));
    match format {
        SampleFormat::Json => Ok(serde_json::to_string_pretty(c)? + "\n"),
        SampleFormat::Csv => {
            let header = [
                "field",
                "value",
                "population",
                "population_share",
                "sample",
                "sample_share",
                "standardised_difference",
                "large",
            ]
            .map(String::from);
            let rows: Vec<Vec<String>> = c
                .rows
                .iter()
                .map(|r| {
                    vec![
                        r.field.clone(),
                        r.value.clone(),
                        r.population.to_string(),
                        format!("{:.4}", r.population_share),
                        r.sample.to_string(),
                        format!("{:.4}", r.sample_share),
                        d_text(r.standardised_difference),
                        r.large.to_string(),
                    ]
                })
                .collect();
            csv_text(&header, &rows)
        }
        SampleFormat::Table => {
            let mut out = format!(
                "Sample of {} against its population of {} (flagged: standardised difference of {} or more)\n",
                c.sample, c.population, c.large_difference
            );
            let mut field = "";
            for r in &c.rows {
                if r.field != field {
                    field = &r.field;
                    let _ = writeln!(
                        out,
                        "\n{field:<32} {:>16} {:>16} {:>10}",
                        "population", "sample", "std. diff."
                    );
                }
                let _ = writeln!(
                    out,
                    "  {:<30} {:>7} {:>8} {:>7} {:>8} {:>10}{}",
                    r.value,
                    r.population,
                    percent(r.population_share),
                    r.sample,
                    percent(r.sample_share),
                    d_text(r.standardised_difference),
                    if r.large { "  large" } else { "" }
                );
            }
            Ok(out)
        }
    }
}
