//! The ratings panel as readable text: unit, score, overall rating, each standard with its rating,
//! and under each case-based standard its key questions with percentage and Yes/relevant, the
//! driving (lowest) one marked, and how sure each is (interval, secure or fragile, the answers that
//! would move a rating). Renders [`Ratings`] only; computes no rule.

use casework_core::rating::breakdown::{Breakdown, SMALL_GROUP, shown};
use std::fmt::Write;

use casework_core::Ratings;
use casework_core::certainty::describe_standard;
use casework_core::framework::{Basis, Framework};
use casework_core::rating::{RatingOut, StandardResult};

/// A rule setting as it is spelled in the framework file.
fn setting_name(value: &impl serde::Serialize) -> String {
    serde_json::to_value(value)
        .ok()
        .and_then(|v| v.as_str().map(str::to_string))
        .unwrap_or_default()
}

fn rating_label(r: Option<&RatingOut>) -> &str {
    r.map_or("No rating (no relevant cases)", |r| r.label.as_str())
}

/// What to show beyond the ratings panel.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Under each key question, its prompts' "X out of Y relevant cases" figures.
    pub prompts: bool,
}

/// Renders the full panel.
pub fn render(fw: &Framework, ratings: &Ratings, options: Options) -> String {
    let mut out = String::new();
    let mut heading = format!("{}: {}", ratings.unit, ratings.kind_label);
    if let Some(region) = &ratings.region {
        let _ = write!(heading, " ({region})");
    }
    let _ = writeln!(out, "{heading}");
    if let Some(start) = ratings
        .fieldwork_start
        .as_deref()
        .and_then(casework_core::date::month_year)
    {
        let _ = writeln!(out, "Fieldwork started {start}");
    }
    let _ = writeln!(
        out,
        "Framework {} v{} (banding: {}, pooling: {})",
        ratings.framework.id,
        ratings.framework.version,
        setting_name(&ratings.framework.banding),
        setting_name(&ratings.framework.pooling)
    );
    if ratings.in_progress > 0 {
        let cases = match ratings.in_progress {
            1 => "1 case is".to_string(),
            n => format!("{n} cases are"),
        };
        let _ = writeln!(
            out,
            "Provisional: {cases} still in progress and counted in no figure below"
        );
    }
    let _ = writeln!(out);
    if !fw.rates() {
        // A programme that reports figures only (the 2025 dynamic inspection): shares of cases,
        // no ratings, no score.
        let _ = writeln!(
            out,
            "Figures only: this programme reports the share of cases meeting each key question, with no ratings and no score"
        );
    } else {
        let _ = writeln!(
            out,
            "Score            {}/{}",
            ratings.score, ratings.max_score
        );
    }
    match &ratings.overall {
        _ if !fw.rates() => {}
        Some(o) => {
            let _ = writeln!(out, "Overall rating   {}", o.label);
        }
        None => {
            let _ = writeln!(
                out,
                "Overall rating   not given: no rating for {}",
                ratings.unrated.join(", ")
            );
        }
    }

    let mut domain = None;
    for s in &ratings.standards {
        if domain != Some(s.domain) {
            domain = Some(s.domain);
            let label = fw.domain_label(s.domain).unwrap_or("");
            let _ = writeln!(out, "\n{}. {label}", s.domain);
        }
        let line = format!(
            "  {:<5} {:<30} {}",
            s.code,
            s.name,
            if fw.rates() {
                rating_label(s.rating.as_ref())
            } else {
                ""
            }
        );
        let _ = writeln!(out, "{}", line.trim_end());
        if s.basis == Basis::KeyQuestions {
            render_key_questions(&mut out, s, ratings, options);
        }
    }

    if !ratings.banding_disagreements.is_empty() {
        let _ = writeln!(
            out,
            "\nRatings that depend on the banding method (rounded vs exact percentage):"
        );
        for d in &ratings.banding_disagreements {
            let _ = writeln!(
                out,
                "  {} driven by {}: {}/{} = {:.2}%: rounded -> {}, exact -> {}",
                d.standard,
                d.key_question,
                d.yes,
                d.relevant,
                d.exact_percent,
                d.rounded.label,
                d.exact.label
            );
        }
    }

    let _ = writeln!(out, "\nSample");
    for s in &ratings.sample {
        let mut line = format!("  {:<22} {:>6} cases", s.instrument, s.cases);
        if let (Some(c), Some(l)) = (s.community, s.licence) {
            let _ = write!(line, "  ({c} community, {l} licence)");
        }
        if let (Some(r), Some(a)) = (s.probation_reset, s.reset_adjusted) {
            let _ = write!(line, "  Probation Reset {r}, adjusted standards {a}");
        }
        let _ = writeln!(out, "{line}");
    }
    for o in &ratings.oversight {
        if let (Some(sufficient), Some(of_needed), Some(of_judged)) = (
            o.sufficient_percent_of_judged,
            o.shortfall_percent_of_needed,
            o.shortfall_percent_of_judged,
        ) {
            let _ = writeln!(
                out,
                "  Management oversight ({}): sufficient in {} of {} judged cases ({sufficient}%); \
                 insufficient, ineffective or absent in {} of {} cases where it was needed \
                 ({of_needed}%), {of_judged}% of judged cases",
                o.instrument, o.sufficient, o.judged, o.shortfall, o.needed
            );
        }
    }
    if !ratings.units.is_empty() {
        let _ = writeln!(
            out,
            "\nPooled from {} PDU inspections (cases on all instruments)",
            ratings.units.len()
        );
        for u in &ratings.units {
            let _ = writeln!(out, "  {:<45} {:>6} cases", u.unit, u.cases);
        }
    }
    out
}

fn render_key_questions(out: &mut String, s: &StandardResult, ratings: &Ratings, options: Options) {
    for kq in &s.key_questions {
        let marker = if kq.driving { "*" } else { " " };
        let pct = kq
            .percent
            .map_or("  --".to_string(), |p| format!("{p:>3}%"));
        let counts = if kq.relevant == 0 {
            "no relevant cases".to_string()
        } else {
            format!("{}/{}", kq.yes, kq.relevant)
        };
        let sure = kq.certainty.as_ref().map_or(String::new(), |c| {
            let interval = c.interval.map_or(String::new(), |i| {
                format!("{:.0}-{:.0}%", i.lower * 100.0, i.upper * 100.0)
            });
            format!("{interval:>7} {:<7}", c.sureness.label())
        });
        let _ = writeln!(
            out,
            "      {marker} {pct} {counts:>10} {sure:>15}  {} {}",
            kq.id, kq.text
        );
        if options.prompts {
            for p in ratings.prompts.iter().filter(|p| p.parent == kq.id) {
                let figure = if p.relevant == 0 {
                    "no relevant cases".to_string()
                } else {
                    format!("{} out of {}", p.yes, p.relevant)
                };
                let _ = writeln!(out, "                {figure:>17}  {} {}", p.id, p.text);
            }
        }
    }
    if let Some(d) = &s.driving {
        let _ = writeln!(
            out,
            "        (* lowest key question, drives the rating: {d})"
        );
    }
    if let Some(c) = &s.certainty {
        let _ = writeln!(
            out,
            "        {} rating: {:.0}% likely in its band",
            c.sureness.label(),
            c.band_probability * 100.0
        );
        for (shift, up) in [(&c.up, true), (&c.down, false)] {
            if let Some(shift) = shift {
                let _ = writeln!(out, "        {}", describe_standard(s, shift, up));
            }
        }
    }
}

/// A breakdown as a table: one row per question, one column per group, each cell as
/// [`shown`] words it (a percentage only where the group has [`SMALL_GROUP`] relevant cases).
pub fn breakdown(b: &Breakdown) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} by {} ({})", b.instrument, b.label, b.attribute);
    let mut header = format!("  {:<10}", "question");
    for g in &b.groups {
        let _ = write!(header, " {:>20}", format!("{} ({})", g.value, g.cases));
    }
    let _ = writeln!(out, "{header}");
    for row in &b.rows {
        let indent = if row.kind == "key" { "" } else { "  " };
        let mut line = format!("  {:<10}", format!("{indent}{}", row.question));
        for &(yes, relevant) in &row.cells {
            let _ = write!(line, " {:>20}", shown(yes, relevant));
        }
        let _ = writeln!(out, "{line}");
    }
    let _ = writeln!(
        out,
        "\nGroups with fewer than {SMALL_GROUP} relevant cases are shown as counts only."
    );
    out
}
