//! How each standard's ratings and each key question's percentages fall across the published
//! results of one programme and kind (issue 18): the numbers the national picture's charts draw
//! (`national_chart`) and print beside them.

use casework_core::published::{self, PublishedResult, rating_of, resolve};
use serde::Serialize;

/// How one standard's ratings fall across the results of a programme and kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StandardDistribution {
    pub code: String,
    pub name: String,
    /// Each rating of the scale, best first, and how many results give it.
    pub counts: Vec<RatingCount>,
    /// Each key question's printed percentages across the results.
    pub key_questions: Vec<KeyQuestionDistribution>,
}

/// How many results give a standard one rating.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RatingCount {
    /// The rating's id and label (`good`, "Good").
    pub id: String,
    pub label: String,
    pub results: usize,
}

/// One key question's percentages across results.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KeyQuestionDistribution {
    /// The framework's key question id (`P2.1.3`).
    pub id: String,
    /// Each result's percentage, lowest first (per cent).
    pub percents: Vec<u32>,
    /// The median (per cent; the mean of the middle two for an even count), or `None` for none.
    pub median: Option<f64>,
    /// The median as printed: "59", "49.5", or "none".
    pub median_text: String,
}

/// The distributions of every standard of `programme`'s `kind` across `results`.
pub fn distributions(
    results: &[(i64, PublishedResult)],
    programme: &str,
    kind: &str,
) -> Vec<StandardDistribution> {
    let frameworks = published::frameworks();
    let mut mine: Vec<&PublishedResult> = Vec::new();
    let mut framework = None;
    for (_, r) in results {
        if r.programme.as_deref() != Some(programme) || r.kind.as_deref() != Some(kind) {
            continue;
        }
        if let Ok(p) = resolve(&frameworks, r) {
            framework = Some(p);
            mine.push(r);
        }
    }
    let Some(p) = framework else {
        return Vec::new();
    };
    let fw = p.framework;
    let mut codes: Vec<&String> = Vec::new();
    for kind in fw.kinds.iter().filter(|k| k.published_kind() == kind) {
        for code in &kind.standards {
            if !codes.contains(&code) {
                codes.push(code);
            }
        }
    }
    codes
        .into_iter()
        .filter_map(|code| {
            let def = fw.standard(code)?;
            let counts = fw
                .ratings
                .iter()
                .map(|rating| {
                    let n = mine
                        .iter()
                        .filter(|r| {
                            r.standard(code)
                                .and_then(|s| s.rating.as_deref())
                                .and_then(|t| rating_of(fw, t))
                                .is_some_and(|t| t.id == rating.id)
                        })
                        .count();
                    RatingCount {
                        id: rating.id.clone(),
                        label: rating.label.clone(),
                        results: n,
                    }
                })
                .collect();
            let key_questions = def
                .key_questions
                .iter()
                .enumerate()
                .map(|(k, id)| {
                    let mut percents: Vec<u32> = mine
                        .iter()
                        .filter_map(|r| r.standard(code)?.key_questions.get(k)?.percent_yes)
                        .collect();
                    percents.sort_unstable();
                    let median = median(&percents);
                    KeyQuestionDistribution {
                        id: id.clone(),
                        median,
                        median_text: median.map_or("none".into(), |m| format!("{m}")),
                        percents,
                    }
                })
                .collect();
            Some(StandardDistribution {
                code: code.clone(),
                name: def.name.clone(),
                counts,
                key_questions,
            })
        })
        .collect()
}

/// The median of sorted whole percentages.
fn median(sorted: &[u32]) -> Option<f64> {
    let n = sorted.len();
    match n {
        0 => None,
        _ if n % 2 == 1 => Some(f64::from(sorted[n / 2])),
        _ => Some((f64::from(sorted[n / 2 - 1]) + f64::from(sorted[n / 2])) / 2.0),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::national::tests::sample;

    #[test]
    fn distributions_count_ratings_and_order_percentages() {
        let d = distributions(&sample(), "2023", "pdu");
        let p21 = d.iter().find(|s| s.code == "P2.1").expect("P2.1");
        let count = |id: &str| p21.counts.iter().find(|c| c.id == id).map(|c| c.results);
        assert_eq!(count("inadequate"), Some(3));
        assert_eq!(count("good"), Some(1));
        assert_eq!(p21.key_questions[0].percents, [40, 40, 40, 40]);
        assert_eq!(p21.key_questions[0].median, Some(40.0));
        let p11 = d.iter().find(|s| s.code == "P1.1").expect("P1.1");
        assert!(p11.key_questions.is_empty());
        assert_eq!(median(&[]), None);
        assert_eq!(median(&[1, 2]), Some(1.5));
    }
}
