//! Quality assurance in the report (issue 19), when an inspection has double-marked cases: the
//! narrative's named figures (`qa.*`) and the data workbook's two QA sheets (agreement per
//! question and pooled; each inspector's consistency per key question with the funnel's control
//! limits). Read off core's results (`casework_core::qa_analysis`); nothing computed here.
//!
//! Names: `qa.cases` (double-marked cases); over the key questions pooled, `qa.agreement` (observed
//! agreement, a whole per cent), `qa.agreement.out-of` ("41 out of 45" cases both answered Yes or
//! No that agree), `qa.kappa` and `qa.ac1` (two decimals, or "undefined"); `qa.band-changes`
//! (bands, ratings, score and overall rating that reconciliation moved).

use casework_core::agreement::Statistic;
use casework_core::band_changes::BandChanges;
use casework_core::double_marking::QuestionAgreement;
use casework_core::framework::printed_percent;
use casework_core::qa_analysis::{AgreementReport, KeyQuestionFunnel};

use crate::figures::{Figure, Figures, Value};
use crate::workbook::{Cell, Table};

/// What quality assurance gives the report.
#[derive(Debug, Clone)]
pub struct QaFigures {
    pub agreement: AgreementReport,
    pub band_changes: BandChanges,
    pub consistency: Vec<KeyQuestionFunnel>,
}

fn coefficient(s: &Statistic) -> Figure {
    Figure {
        text: s
            .value()
            .map_or_else(|| "undefined".to_string(), |v| format!("{v:.2}")),
        value: Value::Words,
    }
}

/// Adds the `qa.*` figures to `figures`.
pub(crate) fn add_figures(figures: &mut Figures, qa: &QaFigures) {
    let k = &qa.agreement.key_questions;
    let cases = qa.agreement.cases as u64;
    figures.put("qa.cases", Figure::count(cases));
    if k.compared > 0 {
        let p = printed_percent(k.agreed as u64, k.compared as u64);
        figures.put("qa.agreement", Figure::percent(p));
    } else {
        figures.put("qa.agreement", Figure::words("undefined"));
    }
    figures.put(
        "qa.agreement.out-of",
        Figure::out_of(k.agreed as u64, k.compared as u64),
    );
    figures.put("qa.kappa", coefficient(&k.cohen_kappa));
    figures.put("qa.ac1", coefficient(&k.gwet_ac1));
    let c = &qa.band_changes;
    let moved = c.key_questions.len()
        + c.standards.len()
        + usize::from(c.score.is_some())
        + usize::from(c.overall.is_some());
    figures.put("qa.band-changes", Figure::count(moved as u64));
}

/// The report's annexe on quality assurance: what was double-marked and how far the markers
/// agreed, in sentences, and each key question's funnel plot.
#[derive(Debug, Clone, serde::Serialize)]
pub struct QualityAnnexe {
    pub paragraphs: Vec<String>,
    /// (caption, SVG) per key question.
    pub funnels: Vec<(String, String)>,
}

fn in_words(s: &Statistic) -> String {
    match s {
        Statistic::Defined(e) => match e.interval {
            Some((lo, hi)) => format!("{:.2} (95% interval {lo:.2} to {hi:.2})", e.value),
            None => format!("{:.2}", e.value),
        },
        Statistic::Undefined { reason } => format!("undefined ({reason})"),
    }
}

/// The annexe for `qa`.
pub(crate) fn annexe(qa: &QaFigures) -> QualityAnnexe {
    let k = &qa.agreement.key_questions;
    let mut paragraphs = vec![format!(
        "A second inspector marked {} cases blind, drawn at random from each inspector's submitted cases.",
        qa.agreement.cases
    )];
    if let (Some(p), Some((lo, hi))) = (k.percent_agreement, k.percent_agreement_interval) {
        paragraphs.push(format!(
            "On the key questions both answered Yes or No, they agreed on {} of {} ({:.0}%, 95% interval {:.0}% to {:.0}%); Cohen's kappa {}; Gwet's AC1 {}.",
            k.agreed,
            k.compared,
            p * 100.0,
            lo * 100.0,
            hi * 100.0,
            in_words(&k.cohen_kappa),
            in_words(&k.gwet_ac1)
        ));
    }
    paragraphs.push(if qa.band_changes.is_empty() {
        "Reconciling their differences moved no key question's band, no standard's rating and not the score.".into()
    } else {
        "Reconciling their differences moved at least one band, rating or the score; the ratings in this report are after reconciliation.".into()
    });
    QualityAnnexe {
        paragraphs,
        funnels: qa
            .consistency
            .iter()
            .map(|f| {
                (
                    format!("{} {}: each inspector's share of Yes against the team's, with 95% and 99.8% control limits", f.question, f.name),
                    crate::funnel_chart::funnel_svg(f),
                )
            })
            .collect(),
    }
}

/// A statistic's value and 95% interval as three cells (empty where undefined).
fn statistic_cells(s: &Statistic) -> [Cell; 3] {
    match s {
        Statistic::Defined(e) => {
            let (lo, hi) = e.interval.map_or((Cell::Empty, Cell::Empty), |(a, b)| {
                (Cell::Decimal(a), Cell::Decimal(b))
            });
            [Cell::Decimal(e.value), lo, hi]
        }
        Statistic::Undefined { .. } => [Cell::Text("undefined".into()), Cell::Empty, Cell::Empty],
    }
}

fn agreement_row(label: [&str; 3], q: &QuestionAgreement) -> Vec<Cell> {
    let mut row: Vec<Cell> = label.iter().map(|t| Cell::Text(t.to_string())).collect();
    row.extend([
        Cell::Count(q.compared as u64),
        Cell::Count(q.agreed as u64),
        Cell::Count(q.applicability_disagreements as u64),
        Cell::Count(q.missing as u64),
    ]);
    match (q.percent_agreement, q.percent_agreement_interval) {
        (Some(p), Some((lo, hi))) => {
            row.extend([Cell::Decimal(p), Cell::Decimal(lo), Cell::Decimal(hi)])
        }
        _ => row.extend([Cell::Text("undefined".into()), Cell::Empty, Cell::Empty]),
    }
    for s in [&q.cohen_kappa, &q.gwet_ac1, &q.krippendorff_alpha] {
        row.extend(statistic_cells(s));
    }
    row
}

/// The data workbook's QA sheets.
pub(crate) fn tables(qa: &QaFigures) -> Vec<Table> {
    let a = &qa.agreement;
    let rows = a
        .labelled()
        .into_iter()
        .zip(a.rows())
        .map(|(label, q)| agreement_row(label, q))
        .collect();
    let consistency = qa
        .consistency
        .iter()
        .flat_map(|f| {
            f.inspectors.iter().map(move |p| {
                vec![
                    Cell::Text(f.instrument.clone()),
                    Cell::Text(f.question.clone()),
                    Cell::Text(p.inspector.clone()),
                    Cell::Count(p.yes),
                    Cell::Count(p.cases),
                    Cell::Decimal(p.share),
                    Cell::Decimal(f.team_share),
                    Cell::Decimal(p.limits_95.0),
                    Cell::Decimal(p.limits_95.1),
                    Cell::Decimal(p.limits_998.0),
                    Cell::Decimal(p.limits_998.1),
                    Cell::Text(
                        match p.position {
                            casework_core::funnel::Position::Within => "within",
                            casework_core::funnel::Position::Warning => "outside 95%",
                            casework_core::funnel::Position::Alarm => "outside 99.8%",
                        }
                        .into(),
                    ),
                ]
            })
        })
        .collect();
    vec![
        Table {
            sheet: "QA agreement".into(),
            file: "qa-agreement".into(),
            headers: vec![
                "Instrument",
                "Question",
                "Kind",
                "Compared",
                "Agreed",
                "Applicability disagreements",
                "Missing marks",
                "Observed agreement",
                "Observed 95% lower",
                "Observed 95% upper",
                "Cohen's kappa",
                "Kappa 95% lower",
                "Kappa 95% upper",
                "Gwet's AC1",
                "AC1 95% lower",
                "AC1 95% upper",
                "Krippendorff's alpha",
                "Alpha 95% lower",
                "Alpha 95% upper",
            ],
            rows,
        },
        Table {
            sheet: "QA consistency".into(),
            file: "qa-consistency".into(),
            headers: vec![
                "Instrument",
                "Key question",
                "Inspector",
                "Yes",
                "Cases",
                "Share of Yes",
                "Team share",
                "95% lower",
                "95% upper",
                "99.8% lower",
                "99.8% upper",
                "Position",
            ],
            rows: consistency,
        },
    ]
}

#[cfg(test)]
mod tests {
    use casework_core::Answer;
    use casework_core::framework::builtin;
    use casework_core::qa_analysis::{MarkedCase, agreement};

    use super::*;

    #[test]
    fn figures_and_sheets_read_the_agreement() {
        let fw = builtin();
        let inst = &fw.instruments[0];
        let key: Vec<usize> = inst
            .questions
            .iter()
            .enumerate()
            .filter(|(_, q)| q.kind == casework_core::framework::QuestionKind::Key)
            .map(|(i, _)| i)
            .take(2)
            .collect();
        let mut yes = vec![Answer::Unanswered; inst.questions.len()];
        let mut differ = yes.clone();
        for &k in &key {
            yes[k] = Answer::Yes;
            differ[k] = Answer::Yes;
        }
        differ[key[1]] = Answer::No;
        let marked: Vec<MarkedCase<'_>> = (0..4)
            .map(|i| MarkedCase {
                unit: "U",
                instrument: &inst.id,
                case_ref: ["a", "b", "c", "d"][i],
                original: &yes,
                second: if i == 0 { &differ } else { &yes },
            })
            .collect();
        let qa = QaFigures {
            agreement: agreement(fw, &marked),
            band_changes: BandChanges {
                key_questions: Vec::new(),
                standards: Vec::new(),
                score: None,
                overall: None,
            },
            consistency: Vec::new(),
        };
        let mut figures = Figures::default();
        add_figures(&mut figures, &qa);
        let text = |n: &str| figures.get(n).map(|f| f.text.clone());
        assert_eq!(text("qa.cases").as_deref(), Some("4"));
        assert_eq!(text("qa.agreement.out-of").as_deref(), Some("7 out of 8"));
        assert_eq!(text("qa.agreement").as_deref(), Some("88%"));
        assert_eq!(text("qa.band-changes").as_deref(), Some("0"));
        // The first marker always said Yes: kappa's chance agreement equals the observed, so 0.
        assert_eq!(text("qa.kappa").as_deref(), Some("0.00"));
        assert!(
            text("qa.ac1").is_some_and(|t| t.starts_with("0.")),
            "{:?}",
            text("qa.ac1")
        );
        let sheets = tables(&qa);
        assert_eq!(sheets[0].sheet, "QA agreement");
        assert_eq!(
            sheets[0].rows.len(),
            2 + 2,
            "two pools and the two key questions"
        );
        assert_eq!(sheets[0].rows[1][3], Cell::Count(8));
        assert_eq!(sheets[0].rows[1][10], Cell::Decimal(0.0));
    }
}
