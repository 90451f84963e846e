//! The national picture's SVG charts (issue 18): a standard's ratings across units as one
//! stacked bar, and its key questions' percentages across units as dot strips with the median
//! marked. Each chart has a title and a description giving every number it draws, each segment
//! its count printed on it, and the pages print the same numbers in a table beside it: colour is
//! never the only signal. No JavaScript; every text is escaped.

use std::fmt::Write;

use crate::chart::escape;
use crate::colours::colours;
use crate::national_distribution::StandardDistribution;

const WIDTH: u32 = 560;
const LEFT: u32 = 90;
const SPAN: u32 = 440;

fn chart_id(prefix: &str, code: &str) -> String {
    format!("{prefix}-{}", code.replace('.', "-"))
}

/// One stacked bar: each rating's share of the results, its count on it.
pub fn ratings_bar(d: &StandardDistribution) -> String {
    let total: usize = d.counts.iter().map(|c| c.results).sum();
    let id = chart_id("ratings", &d.code);
    let summary: Vec<String> = d
        .counts
        .iter()
        .map(|c| format!("{}: {}", c.label, c.results))
        .collect();
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} 64" width="{WIDTH}" height="64" role="img" aria-labelledby="{id}-title {id}-desc" font-family="Arial, Helvetica, sans-serif" font-size="13"><title id="{id}-title">{}: ratings across {total} results</title><desc id="{id}-desc">{}</desc>"#,
        escape(&format!("{} {}", d.code, d.name)),
        escape(&summary.join("; "))
    );
    let _ = write!(svg, r#"<text x="0" y="30">{}</text>"#, escape(&d.code));
    let mut x = f64::from(LEFT);
    for c in d.counts.iter().filter(|c| c.results > 0) {
        let width = f64::from(SPAN) * c.results as f64 / total.max(1) as f64;
        let (fill, ink) = colours(&c.id);
        let _ = write!(
            svg,
            r##"<rect x="{x:.1}" y="12" width="{width:.1}" height="28" fill="{fill}" stroke="#0b0c0c" stroke-width="0.5"/><text x="{:.1}" y="31" text-anchor="middle" fill="{ink}">{}</text>"##,
            x + width / 2.0,
            c.results
        );
        x += width;
    }
    if total == 0 {
        let _ = write!(svg, r#"<text x="{LEFT}" y="31">no results rate it</text>"#);
    }
    svg.push_str("</svg>");
    svg
}

fn x_of(percent: u32) -> f64 {
    f64::from(LEFT) + f64::from(SPAN) * f64::from(percent.min(100)) / 100.0
}

/// One row per key question: a dot per result at its percentage, the median as a bar.
pub fn percent_strips(d: &StandardDistribution) -> String {
    let rows = d.key_questions.len() as u32;
    let height = 20 + rows * 30 + 24;
    let id = chart_id("percentages", &d.code);
    let summary: Vec<String> = d
        .key_questions
        .iter()
        .map(|k| {
            let list: Vec<String> = k.percents.iter().map(|p| format!("{p}%")).collect();
            match k.median {
                Some(m) => format!("{}: {} (median {m}%)", k.id, list.join(", ")),
                None => format!("{}: no percentages", k.id),
            }
        })
        .collect();
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="Arial, Helvetica, sans-serif" font-size="13"><title id="{id}-title">{}: key question percentages across results</title><desc id="{id}-desc">{}</desc>"#,
        escape(&format!("{} {}", d.code, d.name)),
        escape(&summary.join("; "))
    );
    for (n, k) in d.key_questions.iter().enumerate() {
        let y = 20 + n as u32 * 30;
        let _ = write!(svg, r#"<text x="0" y="{}">{}</text>"#, y + 5, escape(&k.id));
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" y1="{y}" x2="{}" y2="{y}" stroke="#b1b4b6"/>"##,
            LEFT + SPAN
        );
        for p in &k.percents {
            let _ = write!(
                svg,
                r##"<circle cx="{:.1}" cy="{y}" r="5" fill="#1d70b8" fill-opacity="0.6" stroke="#0b0c0c" stroke-width="0.5"/>"##,
                x_of(*p)
            );
        }
        if let Some(m) = k.median {
            let x = f64::from(LEFT) + f64::from(SPAN) * m.clamp(0.0, 100.0) / 100.0;
            let _ = write!(
                svg,
                r##"<line x1="{x:.1}" y1="{}" x2="{x:.1}" y2="{}" stroke="#0b0c0c" stroke-width="3"/>"##,
                y - 10,
                y + 10
            );
        }
    }
    let axis = 20 + rows * 30;
    for tick in [0, 50, 65, 80, 100] {
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{}" text-anchor="middle" font-size="11">{tick}%</text>"#,
            x_of(tick),
            axis + 4
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::national_distribution::{KeyQuestionDistribution, RatingCount};

    fn d() -> StandardDistribution {
        StandardDistribution {
            code: "P2.1".into(),
            name: "Assessment <&>".into(),
            counts: vec![
                RatingCount {
                    id: "good".into(),
                    label: "Good".into(),
                    results: 1,
                },
                RatingCount {
                    id: "inadequate".into(),
                    label: "Inadequate".into(),
                    results: 3,
                },
            ],
            key_questions: vec![KeyQuestionDistribution {
                id: "P2.1.1".into(),
                percents: vec![40, 59],
                median: Some(49.5),
                median_text: "49.5".into(),
            }],
        }
    }

    #[test]
    fn the_charts_say_their_numbers_in_words_and_escape_text() {
        let bar = ratings_bar(&d());
        assert!(bar.contains("Good: 1; Inadequate: 3"), "{bar}");
        assert!(bar.contains("Assessment &lt;&amp;&gt;"));
        assert!(!bar.contains("<&>"));
        let strips = percent_strips(&d());
        assert!(
            strips.contains("P2.1.1: 40%, 59% (median 49.5%)"),
            "{strips}"
        );
        assert_eq!(strips.matches("<circle").count(), 2);
    }
}
