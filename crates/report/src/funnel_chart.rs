//! A generated SVG funnel plot of one key question (issue 19, inspector consistency): cases marked
//! across, share of Yes up; the team's share as a line, the 95% and 99.8% control limits
//! (`casework_core::funnel`) drawn as curves over 1 to the largest number of cases, and each
//! inspector a labelled point (the label carries the figures, so colour is never the only
//! signal). No JavaScript; every text is escaped.

use std::fmt::Write;

use casework_core::funnel::{Position, limits};
use casework_core::qa_analysis::KeyQuestionFunnel;

use crate::chart::escape;

const WIDTH: f64 = 560.0;
const HEIGHT: f64 = 300.0;
const LEFT: f64 = 48.0;
const RIGHT: f64 = 150.0;
const TOP: f64 = 28.0;
const BOTTOM: f64 = 40.0;

/// The funnel of `f` as an SVG element, titled with the key question and described for screen
/// readers.
pub fn funnel_svg(f: &KeyQuestionFunnel) -> String {
    let most = f
        .inspectors
        .iter()
        .map(|p| p.cases)
        .max()
        .unwrap_or(1)
        .max(2);
    let plot_w = WIDTH - LEFT - RIGHT;
    let plot_h = HEIGHT - TOP - BOTTOM;
    let x = |n: f64| LEFT + plot_w * (n - 1.0) / (most as f64 - 1.0);
    let y = |share: f64| TOP + plot_h * (1.0 - share.clamp(0.0, 1.0));
    let title = format!("{} {}", f.question, f.name);
    let mut svg = String::new();
    let _ = write!(
        svg,
        r#"<svg xmlns="http://www.w3.org/2000/svg" class="cw-funnel" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-labelledby="funnel-{id}-title funnel-{id}-desc"><title id="funnel-{id}-title">{title}</title><desc id="funnel-{id}-desc">Each inspector's share of Yes against the team's {team:.0}%, with 95% and 99.8% control limits by number of cases.</desc>"#,
        id = escape(&f.question),
        title = escape(&title),
        team = f.team_share * 100.0,
    );
    // Axes and gridlines at 0, 50 and 100%.
    for share in [0.0, 0.5, 1.0] {
        let _ = write!(
            svg,
            r##"<line x1="{LEFT}" x2="{:.1}" y1="{y:.1}" y2="{y:.1}" stroke="#b1b4b6" stroke-width="1"/><text x="{:.1}" y="{:.1}" font-size="11" text-anchor="end" fill="#0b0c0c">{:.0}%</text>"##,
            LEFT + plot_w,
            LEFT - 6.0,
            y(share) + 4.0,
            share * 100.0,
            y = y(share),
        );
    }
    let _ = write!(
        svg,
        r##"<text x="{:.1}" y="{:.1}" font-size="11" text-anchor="middle" fill="#0b0c0c">Cases marked (1 to {most})</text>"##,
        LEFT + plot_w / 2.0,
        HEIGHT - 10.0
    );
    // The limits as polylines, sampled at every case count.
    for (coverage, dash) in [(0.95, "4 3"), (0.998, "1 3")] {
        for side in [0, 1] {
            let points: Vec<String> = (1..=most)
                .filter_map(|n| {
                    let (lo, hi) = limits(f.team_share, n, coverage)?;
                    let share = if side == 0 { lo } else { hi };
                    Some(format!("{:.1},{:.1}", x(n as f64), y(share)))
                })
                .collect();
            let _ = write!(
                svg,
                r##"<polyline points="{}" fill="none" stroke="#505a5f" stroke-width="1.5" stroke-dasharray="{dash}"/>"##,
                points.join(" ")
            );
        }
    }
    let _ = write!(
        svg,
        r##"<line x1="{LEFT}" x2="{:.1}" y1="{t:.1}" y2="{t:.1}" stroke="#1d70b8" stroke-width="2"/><text x="{:.1}" y="{:.1}" font-size="11" fill="#1d70b8">team {:.0}%</text>"##,
        LEFT + plot_w,
        LEFT + plot_w + 6.0,
        y(f.team_share) + 4.0,
        f.team_share * 100.0,
        t = y(f.team_share),
    );
    for (i, p) in f.inspectors.iter().enumerate() {
        let (fill, word) = match p.position {
            Position::Within => ("#00703c", "within"),
            Position::Warning => ("#f47738", "outside 95%"),
            Position::Alarm => ("#d4351c", "outside 99.8%"),
        };
        let (cx, cy) = (x(p.cases as f64), y(p.share));
        let _ = write!(
            svg,
            r##"<circle cx="{cx:.1}" cy="{cy:.1}" r="5" fill="{fill}" stroke="#0b0c0c"/><text x="{:.1}" y="{:.1}" font-size="11" fill="#0b0c0c">{}: {} of {} ({word})</text>"##,
            LEFT + plot_w + 6.0,
            TOP + 16.0 + 14.0 * i as f64,
            escape(&p.inspector),
            p.yes,
            p.cases,
        );
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use casework_core::qa_analysis::FunnelPoint;

    use super::*;

    #[test]
    fn inspector_names_are_escaped_and_each_point_is_labelled() {
        let point = |name: &str, yes, cases| FunnelPoint {
            inspector: name.into(),
            yes,
            cases,
            share: yes as f64 / cases as f64,
            limits_95: (0.2, 0.8),
            limits_998: (0.1, 0.9),
            position: Position::Within,
        };
        let f = KeyQuestionFunnel {
            instrument: "sm".into(),
            question: "P2.1.1".into(),
            name: "Assessment <engages>".into(),
            team_yes: 10,
            team_cases: 20,
            team_share: 0.5,
            inspectors: vec![point("<script>", 5, 10), point("ben", 5, 10)],
        };
        let svg = funnel_svg(&f);
        assert!(!svg.contains("<script>"));
        assert!(svg.contains("&lt;script&gt;: 5 of 10 (within)"));
        assert!(svg.contains("Assessment &lt;engages&gt;"));
        assert_eq!(svg.matches("<circle").count(), 2);
        assert_eq!(svg.matches("<polyline").count(), 4);
    }
}
