//! The methodology annexe: how the cases were counted and how the ratings were worked out, in
//! words, every number read from the framework (bands, points, the Probation Reset threshold) or
//! from the ratings (the sample, how sure each rating is: `certainty.rs`). Nothing typed; change the framework and the annexe follows.

use casework_core::framework::{Banding, Pooling};
use casework_core::{Framework, Ratings};

/// The annexe's paragraphs.
pub fn paragraphs(fw: &Framework, ratings: &Ratings) -> Vec<String> {
    let mut out = Vec::new();
    let samples: Vec<String> = ratings
        .sample
        .iter()
        .map(|s| {
            let mut line = format!("{}: {}", s.label, s.cases);
            if let (Some(c), Some(l)) = (s.community, s.licence) {
                line.push_str(&format!(" ({c} community orders and {l} licences"));
                if let (Some(r), Some(a)) = (s.probation_reset, s.reset_adjusted) {
                    line.push_str(&format!(
                        "; {r} under Probation Reset, {a} of them on the adjusted standards"
                    ));
                }
                line.push(')');
            }
            line
        })
        .collect();
    if !samples.is_empty() {
        let pooled = if ratings.units.is_empty() {
            String::new()
        } else {
            format!(
                ", pooled from the {} PDU inspections of the region",
                ratings.units.len()
            )
        };
        out.push(format!("Cases inspected{pooled}. {}.", samples.join("; ")));
    }
    out.push(format!(
        "Inspectors answered each key question and its prompts Yes, No or Not applicable for every \
         case. A key question's percentage is the share of the cases where it was relevant (answered \
         Yes or No) that were answered Yes{}. Cases where contact was suspended under Probation \
         Reset within {} weeks were judged against the adjusted standards, which leave out some \
         prompts; later suspensions, against the core standards, proportionately.",
        match fw.rules.banding {
            Banding::Rounded => ", shown as a whole number rounded half up",
            Banding::Exact => "",
        },
        fw.rules.reset_adjusted_max_weeks
    ));
    let bands: Vec<String> = fw
        .percentage_bands
        .iter()
        .map(|b| {
            let label = label(fw, &b.rating);
            match (b.min, b.max) {
                (0, max) => format!("{label} below {}%", max + 1),
                (min, 100) => format!("{label} {min}% or more"),
                (min, max) => format!("{label} {min}% to {max}%"),
            }
        })
        .collect();
    out.push(format!(
        "A standard rated from cases takes the rating of its lowest key question{}: {}.",
        match fw.rules.banding {
            Banding::Rounded => " as printed",
            Banding::Exact => "",
        },
        join_words(&bands)
    ));
    let points: Vec<String> = fw
        .ratings
        .iter()
        .map(|r| format!("{} {}", r.label, r.points))
        .collect();
    let mut scoring = format!(
        "Each standard's rating scores points ({}); their sum is the score, out of {}",
        join_words(&points),
        ratings.max_score
    );
    if let Some(kind) = fw.kind(&ratings.kind) {
        let overall: Vec<String> = kind
            .overall_bands
            .iter()
            .map(|b| format!("{} {} to {}", label(fw, &b.rating), b.min, b.max))
            .collect();
        scoring.push_str(&format!(
            ", and the score gives the overall rating: {}",
            join_words(&overall)
        ));
    }
    scoring.push('.');
    out.push(scoring);
    if !ratings.units.is_empty() {
        out.push(match fw.rules.pooling {
            Pooling::PooledAnswers => "A regional key question counts the answers of every case of the region's PDU inspections together.".to_string(),
            Pooling::MeanOfUnits => "A regional key question is the mean of its PDU inspections' percentages.".to_string(),
        });
    }
    out.extend(crate::certainty::paragraphs(fw, ratings));
    out
}

/// A rating's label ("Requires improvement"), or its id where the framework has no such rating.
fn label<'f>(fw: &'f Framework, rating: &'f str) -> &'f str {
    fw.rating(rating).map_or(rating, |r| r.label.as_str())
}

/// "a, b and c".
fn join_words(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_joined_as_words() {
        assert_eq!(join_words(&["a".into()]), "a");
        assert_eq!(
            join_words(&["a".into(), "b".into(), "c".into()]),
            "a, b and c"
        );
    }
}
