//! What `casework qa` prints: review progress, the QA sample, disagreements, agreement (band
//! changes first) and inspector consistency, each as a readable table, JSON or CSV (every text
//! cell written so a spreadsheet shows it as text, never runs it). Undefined statistics are
//! printed as "undefined" with their reason, never as 0 or NaN.

use anyhow::Result;
use casework_core::agreement::Statistic;
use casework_core::double_marking::QuestionAgreement;
use casework_store::{Disagreement, QaSample, Store};
use casework_web::quality::{QaOverview, overview};
use clap::ValueEnum;

use super::qa_csv::{AGREEMENT_CSV_HEADER, agreement_numbers, csv};
use super::{Db, block_on};
use crate::outln;
use crate::terminal::clean as shown;

/// How `casework qa` prints figures.
#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum QaFormat {
    Table,
    Json,
    Csv,
}

fn load(inspection: &str, db: &Db) -> Result<QaOverview> {
    block_on(async {
        let store = Store::open(&db.db).await?;
        let result = overview(&store, inspection).await;
        store.close().await;
        Ok(result?)
    })
}

/// A fraction as a percentage with one decimal.
fn percent(x: f64) -> String {
    format!("{:.1}%", x * 100.0)
}

/// A statistic as printed: value and interval to three decimals, or "undefined (reason)".
fn statistic(s: &Statistic) -> String {
    match s {
        Statistic::Defined(e) => match e.interval {
            Some((lo, hi)) => format!("{:.3} ({lo:.3} to {hi:.3})", e.value),
            None => format!("{:.3} (no interval)", e.value),
        },
        Statistic::Undefined { reason } => format!("undefined ({reason})"),
    }
}

fn observed(q: &QuestionAgreement) -> String {
    match (q.percent_agreement, q.percent_agreement_interval) {
        (Some(p), Some((lo, hi))) => format!("{} ({} to {})", percent(p), percent(lo), percent(hi)),
        _ => "undefined (no case answered Yes or No by both)".into(),
    }
}

/// The row of one question or pool: compared, agreed, applicability disagreements, missing,
/// observed agreement, kappa, AC1, alpha.
fn agreement_cells(q: &QuestionAgreement) -> Vec<String> {
    vec![
        q.compared.to_string(),
        q.agreed.to_string(),
        q.applicability_disagreements.to_string(),
        q.missing.to_string(),
        observed(q),
        statistic(&q.cohen_kappa),
        statistic(&q.gwet_ac1),
        statistic(&q.krippendorff_alpha),
    ]
}

pub fn status(inspection: &str, db: &Db) -> Result<()> {
    let o = load(inspection, db)?;
    outln!("{}", shown(inspection))?;
    for (state, n) in &o.reviews {
        outln!("  {:<16} {n}", state.label())?;
    }
    match &o.sample {
        Some(s) => {
            let marked = s.cases.iter().filter(|c| c.submitted_at.is_some()).count();
            outln!(
                "QA sample: {} cases ({}% per inspector and instrument, seed {}), {marked} second-marked",
                s.cases.len(),
                s.share_percent,
                s.seed
            )?;
        }
        None => outln!("QA sample: not drawn")?,
    }
    Ok(())
}

pub fn sample(s: &QaSample, format: QaFormat) -> Result<()> {
    let rows: Vec<Vec<String>> = s
        .cases
        .iter()
        .map(|c| {
            vec![
                c.inspection.clone(),
                c.instrument.clone(),
                c.case_ref.clone(),
                c.inspector.clone().unwrap_or_default(),
                c.reviewer.clone().unwrap_or_default(),
            ]
        })
        .collect();
    match format {
        QaFormat::Json => outln!("{}", serde_json::to_string_pretty(s)?).map_err(Into::into),
        QaFormat::Csv => csv(
            &[
                "inspection",
                "instrument",
                "case",
                "inspector",
                "second marker",
            ],
            &rows,
            5,
        ),
        QaFormat::Table => {
            outln!(
                "QA sample drawn by {} at {}: {}% of each inspector's cases per instrument, seed {}",
                shown(&s.drawn_by),
                s.drawn_at,
                s.share_percent,
                s.seed
            )?;
            for r in rows {
                let marked = if r[4].is_empty() {
                    "not yet second-marked".to_string()
                } else {
                    format!("second-marked by {}", shown(&r[4]))
                };
                outln!(
                    "  {} {} {} (inspector {}): {marked}",
                    shown(&r[0]),
                    shown(&r[1]),
                    shown(&r[2]),
                    shown(&r[3])
                )?;
            }
            Ok(())
        }
    }
}

pub fn disagreements(list: &[Disagreement], format: QaFormat) -> Result<()> {
    let rows: Vec<Vec<String>> = list
        .iter()
        .map(|d| {
            let (answer, reason, by) = match &d.reconciled {
                Some(r) => (
                    r.answer.as_cell().to_string(),
                    r.reason.clone(),
                    r.reconciled_by.clone(),
                ),
                None => Default::default(),
            };
            vec![
                d.inspection.clone(),
                d.instrument.clone(),
                d.case_ref.clone(),
                d.question.clone(),
                d.original.as_cell().to_string(),
                d.second.as_cell().to_string(),
                if d.about_applicability {
                    "applicability"
                } else {
                    "yes/no"
                }
                .to_string(),
                answer,
                reason,
                by,
            ]
        })
        .collect();
    match format {
        QaFormat::Json => outln!("{}", serde_json::to_string_pretty(list)?).map_err(Into::into),
        QaFormat::Csv => csv(
            &[
                "inspection",
                "instrument",
                "case",
                "question",
                "inspector's answer",
                "second marker's answer",
                "about",
                "reconciled answer",
                "reason",
                "reconciled by",
            ],
            &rows,
            10,
        ),
        QaFormat::Table => {
            if rows.is_empty() {
                outln!("no disagreements")?;
            }
            for r in rows {
                let state = if r[7].is_empty() {
                    "to reconcile".to_string()
                } else {
                    format!(
                        "reconciled to {} by {}: {}",
                        r[7],
                        shown(&r[9]),
                        shown(&r[8])
                    )
                };
                outln!(
                    "{} {} {} {}: {} / {} ({}) {state}",
                    shown(&r[0]),
                    shown(&r[1]),
                    shown(&r[2]),
                    shown(&r[3]),
                    r[4],
                    r[5],
                    r[6]
                )?;
            }
            Ok(())
        }
    }
}

pub fn agreement(inspection: &str, db: &Db, format: QaFormat) -> Result<()> {
    let o = load(inspection, db)?;
    let a = &o.agreement;
    let labelled = |cells: fn(&QuestionAgreement) -> Vec<String>| -> Vec<Vec<String>> {
        a.labelled()
            .into_iter()
            .zip(a.rows())
            .map(|(label, q)| {
                let mut row: Vec<String> = label.iter().map(|t| t.to_string()).collect();
                row.extend(cells(q));
                row
            })
            .collect()
    };
    let rows = labelled(agreement_cells);
    match format {
        QaFormat::Json => {
            let json = serde_json::json!({
                "inspection": o.inspection,
                "band_changes": o.band_changes,
                "agreement": o.agreement,
            });
            outln!("{}", serde_json::to_string_pretty(&json)?).map_err(Into::into)
        }
        QaFormat::Csv => csv(&AGREEMENT_CSV_HEADER, &labelled(agreement_numbers), 3),
        QaFormat::Table => {
            let c = &o.band_changes;
            if c.is_empty() {
                outln!(
                    "Band changes: none (reconciliation moved no key question's band, standard's rating, score or overall rating)"
                )?;
            } else {
                outln!("Band changes after reconciliation:")?;
                for ch in c.key_questions.iter().chain(&c.standards).chain(&c.overall) {
                    outln!(
                        "  {}: {} -> {}",
                        ch.id,
                        ch.before.as_deref().unwrap_or("not rated"),
                        ch.after.as_deref().unwrap_or("not rated")
                    )?;
                }
                if let Some((b, a)) = c.score {
                    outln!("  score: {b} -> {a}")?;
                }
            }
            outln!("Double-marked cases: {}", a.cases)?;
            for r in rows {
                outln!("{} {} ({}):", shown(&r[0]), shown(&r[1]), r[2])?;
                outln!(
                    "  compared {}, agreed {}, applicability disagreements {}, missing {}",
                    r[3],
                    r[4],
                    r[5],
                    r[6]
                )?;
                outln!(
                    "  observed agreement {}; kappa {}; AC1 {}; alpha {}",
                    r[7],
                    r[8],
                    r[9],
                    r[10]
                )?;
            }
            Ok(())
        }
    }
}

pub fn consistency(inspection: &str, db: &Db, format: QaFormat) -> Result<()> {
    let o = load(inspection, db)?;
    let mut rows = Vec::new();
    for f in &o.consistency {
        for p in &f.inspectors {
            rows.push(vec![
                f.instrument.clone(),
                f.question.clone(),
                p.inspector.clone(),
                p.yes.to_string(),
                p.cases.to_string(),
                format!("{:.4}", p.share),
                format!("{:.4}", f.team_share),
                format!("{:.4}", p.limits_95.0),
                format!("{:.4}", p.limits_95.1),
                format!("{:.4}", p.limits_998.0),
                format!("{:.4}", p.limits_998.1),
                serde_json::to_value(p.position)?
                    .as_str()
                    .unwrap_or_default()
                    .to_string(),
            ]);
        }
    }
    match format {
        QaFormat::Json => {
            outln!("{}", serde_json::to_string_pretty(&o.consistency)?).map_err(Into::into)
        }
        QaFormat::Csv => csv(
            &[
                "instrument",
                "key question",
                "inspector",
                "yes",
                "cases",
                "share",
                "team share",
                "95% lower",
                "95% upper",
                "99.8% lower",
                "99.8% upper",
                "position",
            ],
            &rows,
            3,
        ),
        QaFormat::Table => {
            if rows.is_empty() {
                outln!("no submitted case has an inspector yet")?;
            }
            for r in rows {
                let pc = |i: usize| percent(r[i].parse::<f64>().unwrap_or_default());
                outln!(
                    "{} {} {}: {} of {} Yes ({}) against the team's {}; 95% limits {} to {}, 99.8% limits {} to {}: {}",
                    shown(&r[0]),
                    shown(&r[1]),
                    shown(&r[2]),
                    r[3],
                    r[4],
                    pc(5),
                    pc(6),
                    pc(7),
                    pc(8),
                    pc(9),
                    pc(10),
                    r[11]
                )?;
            }
            Ok(())
        }
    }
}
