//! A generated SVG bar chart of a case-based standard's key questions: one bar per question, drawn
//! over the framework's rating bands, each bar labelled with its percentage (the colours are never
//! the only signal). No JavaScript; every text is escaped.

use std::fmt::Write;

use casework_core::Framework;
use casework_core::rating::StandardResult;

use crate::colours::colours;

/// Escapes text for SVG/XML content and attribute values.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const WIDTH: u32 = 640;
const LABEL_WIDTH: u32 = 250;
const BAR_LEFT: u32 = 260;
const BAR_SPAN: u32 = 320;
const ROW: u32 = 34;
const TOP: u32 = 24;

fn x_of(percent: f64) -> f64 {
    f64::from(BAR_LEFT) + f64::from(BAR_SPAN) * percent.clamp(0.0, 100.0) / 100.0
}

/// What each bar of a standard's chart is labelled with: what its key question measures, told
/// apart from the other bars. In order: the key question's short name (framework `short`); its
/// focus area, where no other bar shares it (a PDU standard: engaging, desistance, keeping safe);
/// the name of the PDU standard it comes from (a regional standard pooling one focus area across
/// Assessment, Planning, Implementation and delivery, Reviewing); its id.
pub fn bar_labels(fw: &Framework, s: &StandardResult) -> Vec<String> {
    s.key_questions
        .iter()
        .map(|k| {
            if let Some(short) = fw.question(&k.id).and_then(|(_, q)| q.short.as_deref()) {
                return short.to_string();
            }
            let focus_unique = k.focus.is_some()
                && s.key_questions
                    .iter()
                    .filter(|other| other.focus == k.focus)
                    .count()
                    == 1;
            if focus_unique && let Some(focus) = k.focus.as_deref().and_then(|f| fw.focus_label(f))
            {
                return focus.to_string();
            }
            fw.standards
                .iter()
                .find(|other| other.code != s.code && other.key_questions.contains(&k.id))
                .map_or_else(|| k.id.clone(), |home| home.name.clone())
        })
        .collect()
}

/// The chart for one standard. Bars are labelled by [`bar_labels`].
pub fn key_questions(fw: &Framework, s: &StandardResult) -> String {
    let labels = bar_labels(fw, s);
    let rows = s.key_questions.len() as u32;
    let height = TOP + rows * ROW + 28;
    let id = format!("chart-{}", s.code.replace('.', "-"));
    let mut svg = String::new();
    let summary: Vec<String> = s
        .key_questions
        .iter()
        .zip(&labels)
        .map(|(k, label)| {
            format!(
                "{label}: {}",
                k.percent
                    .map_or("no relevant cases".into(), |p| format!("{p}%"))
            )
        })
        .collect();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {height}" width="{WIDTH}" height="{height}" role="img" aria-labelledby="{id}-title {id}-desc" font-family="Arial, Helvetica, sans-serif" font-size="13"><title id="{id}-title">{}: percentage of cases judged satisfactory per key question</title><desc id="{id}-desc">{}</desc>"#,
        escape(&format!("{} {}", s.code, s.name)),
        escape(&summary.join("; "))
    );
    // The rating bands behind the bars, from the framework.
    for band in &fw.percentage_bands {
        let (fill, _) = colours(&band.rating);
        let (from, to) = (x_of(f64::from(band.min)), x_of(f64::from(band.max) + 1.0));
        let _ = write!(
            svg,
            r#"<rect x="{from:.1}" y="{TOP}" width="{:.1}" height="{}" fill="{fill}" fill-opacity="0.18"/>"#,
            to - from,
            rows * ROW
        );
    }
    for (n, (k, label)) in s.key_questions.iter().zip(&labels).enumerate() {
        let y = TOP + n as u32 * ROW;
        let weight = if k.driving { "bold" } else { "normal" };
        let _ = write!(
            svg,
            r#"<text x="{}" y="{}" text-anchor="end" font-weight="{weight}">{}</text>"#,
            LABEL_WIDTH,
            y + ROW / 2 + 5,
            escape(label)
        );
        let (text, width, fill) = match (k.percent, &k.band) {
            (Some(p), Some(band)) => (
                format!("{p}%"),
                x_of(f64::from(p)) - f64::from(BAR_LEFT),
                colours(&band.id).0,
            ),
            _ => ("no relevant cases".to_string(), 0.0, "#b1b4b6"),
        };
        let _ = write!(
            svg,
            r##"<rect x="{BAR_LEFT}" y="{}" width="{width:.1}" height="{}" fill="{fill}" stroke="#0b0c0c" stroke-width="0.5"/><text x="{:.1}" y="{}" font-weight="{weight}">{}</text>"##,
            y + 6,
            ROW - 12,
            f64::from(BAR_LEFT) + width + 6.0,
            y + ROW / 2 + 5,
            escape(&text)
        );
    }
    // The axis: 0, each band's lower edge, 100.
    let axis_y = TOP + rows * ROW;
    let _ = write!(
        svg,
        r##"<line x1="{BAR_LEFT}" y1="{axis_y}" x2="{}" y2="{axis_y}" stroke="#0b0c0c"/>"##,
        BAR_LEFT + BAR_SPAN
    );
    let mut ticks: Vec<u32> = fw.percentage_bands.iter().map(|b| b.min).collect();
    ticks.push(100);
    for t in ticks {
        let _ = write!(
            svg,
            r#"<text x="{:.1}" y="{}" text-anchor="middle" font-size="11">{t}%</text>"#,
            x_of(f64::from(t)),
            axis_y + 16
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use casework_core::framework::builtin;
    use casework_core::{Inspection, rate};

    use super::*;

    #[test]
    fn every_bar_says_what_it_measures_and_no_two_bars_of_a_chart_say_the_same() {
        let fw = builtin();
        let region = Inspection {
            framework: fw.id.clone(),
            kind: "region".into(),
            unit: "R".into(),
            ..Default::default()
        };
        let pdu = Inspection {
            kind: "pdu".into(),
            ..region.clone()
        };
        let mut seen = std::collections::BTreeMap::new();
        for inspection in [&region, &pdu] {
            for s in rate(fw, inspection).standards {
                let labels = bar_labels(fw, &s);
                for (k, label) in s.key_questions.iter().zip(&labels) {
                    assert_ne!(label, &k.id, "{} bar {} has no name", s.code, k.id);
                }
                let mut unique = labels.clone();
                unique.sort();
                unique.dedup();
                assert_eq!(unique.len(), labels.len(), "{}: {labels:?}", s.code);
                seen.insert(s.code.clone(), labels);
            }
        }
        assert_eq!(
            seen["R2.1"],
            [
                "Assessment",
                "Planning",
                "Implementation and delivery",
                "Reviewing"
            ]
        );
        assert_eq!(seen["R2.2"], seen["R2.1"]);
        assert_eq!(seen["R2.3"], ["Pre-sentence information and advice"]);
        assert_eq!(seen["P2.1"].len(), 3);
    }
}
