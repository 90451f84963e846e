//! The national picture (issue 18) from stored published results, as the web, the terminal and
//! the API all show it: the league table (filtered by programme, kind, region and year; sorted by
//! score or by any standard's rating), each unit's history across its inspections, and the
//! distribution of each standard's ratings and each key question's percentages across units.
//! Ratings are read through the result's framework (`casework_core::published`), so points and
//! labels are the programme's own.

use std::collections::BTreeMap;

use casework_core::published::{self, PublishedResult, check, rating_of, resolve};
use serde::Serialize;

/// Which results a league table holds and how it is sorted. Empty filters hold everything.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct LeagueQuery {
    pub programme: Option<String>,
    pub kind: Option<String>,
    /// A region's name, in any letter case.
    pub region: Option<String>,
    pub year: Option<u32>,
    /// `score` (the default: the score as a share of its maximum), `unit`, `published`, or a
    /// standard's code (by its rating's points).
    pub sort: Option<String>,
}

/// One result in the league table.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LeagueRow {
    /// The stored result's id.
    pub id: i64,
    pub unit: String,
    pub region: Option<String>,
    pub kind: Option<String>,
    pub programme: Option<String>,
    pub published: Option<String>,
    pub score: Option<u32>,
    pub score_max: Option<u32>,
    pub overall_rating: Option<String>,
    /// Each standard's code and rating label (as given), in the result's order.
    pub ratings: Vec<(String, Option<String>)>,
    /// How many checks the result fails (`casework_core::published::check`).
    pub findings: usize,
}

/// The league table of `results` (id, result) under `query`; unknown values sort last.
pub fn league(results: &[(i64, PublishedResult)], query: &LeagueQuery) -> Vec<LeagueRow> {
    let frameworks = published::frameworks();
    let wanted = |value: &Option<String>, filter: &Option<String>| match filter {
        None => true,
        Some(f) => value.as_deref().is_some_and(|v| v.eq_ignore_ascii_case(f)),
    };
    let mut rows: Vec<(Option<i64>, LeagueRow)> = results
        .iter()
        .enumerate()
        .filter(|(_, (_, r))| {
            wanted(&r.programme, &query.programme)
                && wanted(&r.kind, &query.kind)
                && wanted(&r.region, &query.region)
                && query.year.is_none_or(|y| r.year() == Some(y))
        })
        .map(|(i, (id, r))| {
            let key = sort_key(r, query.sort.as_deref());
            let row = LeagueRow {
                id: *id,
                unit: r.label(i),
                region: r.region.clone(),
                kind: r.kind.clone(),
                programme: r.programme.clone(),
                published: r.published.clone(),
                score: r.score,
                score_max: r.score_max,
                overall_rating: r.overall_rating.clone(),
                ratings: r
                    .standards
                    .iter()
                    .map(|s| (s.code.clone(), s.rating.clone()))
                    .collect(),
                findings: check(&frameworks, i, r).len(),
            };
            (key, row)
        })
        .collect();
    match query.sort.as_deref() {
        Some("unit") => rows.sort_by_key(|r| r.1.unit.to_lowercase()),
        Some("published") => rows.sort_by_key(|r| std::cmp::Reverse(r.1.published.clone())),
        // Highest first, unknown last, then by unit.
        _ => rows.sort_by(|a, b| {
            b.0.cmp(&a.0)
                .then_with(|| a.1.unit.to_lowercase().cmp(&b.1.unit.to_lowercase()))
        }),
    }
    rows.into_iter().map(|(_, row)| row).collect()
}

/// What a result sorts by: its score as a share of its maximum (parts per 10,000, so that a
/// 2018 score out of 30 and a 2023 one out of 21 compare), or a standard's points.
fn sort_key(result: &PublishedResult, sort: Option<&str>) -> Option<i64> {
    let frameworks = published::frameworks();
    match sort {
        None | Some("score") | Some("unit") | Some("published") => {
            let score = i64::from(result.score?);
            let max = result
                .score_max
                .or_else(|| resolve(&frameworks, result).ok().map(|p| p.score_max()))
                .filter(|m| *m > 0)?;
            Some(score * 10_000 / i64::from(max))
        }
        Some(code) => {
            let programme = resolve(&frameworks, result).ok()?;
            let rating = result.standard(code)?.rating.as_deref()?;
            rating_of(programme.framework, rating).map(|r| i64::from(r.points))
        }
    }
}

/// One unit's inspections, oldest first.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct UnitHistory {
    pub unit: String,
    pub inspections: Vec<LeagueRow>,
}

/// Each unit's history: results grouped by unit name (letter case and a trailing " PDU" or
/// " region" ignored), units in name order, inspections by date.
pub fn histories(results: &[(i64, PublishedResult)]) -> Vec<UnitHistory> {
    let all = league(results, &LeagueQuery::default());
    let mut by_unit: BTreeMap<String, UnitHistory> = BTreeMap::new();
    for row in all {
        let entry = by_unit
            .entry(unit_key(&row.unit))
            .or_insert_with(|| UnitHistory {
                unit: row.unit.clone(),
                inspections: Vec::new(),
            });
        entry.inspections.push(row);
    }
    let mut out: Vec<UnitHistory> = by_unit.into_values().collect();
    for h in &mut out {
        h.inspections.sort_by(|a, b| a.published.cmp(&b.published));
    }
    out
}

/// The name a unit is grouped by.
pub fn unit_key(unit: &str) -> String {
    let lower = unit.trim().to_lowercase();
    let lower = lower
        .strip_suffix(" pdu")
        .or_else(|| lower.strip_suffix(" region"))
        .unwrap_or(&lower);
    lower.trim().to_string()
}

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

    fn r(
        unit: &str,
        region: &str,
        score: Option<u32>,
        published: &str,
        p21: &str,
    ) -> PublishedResult {
        published::from_json(
            &format!(
                r#"{{"unit": "{unit}", "region": "{region}", "kind": "pdu", "programme": "2023",
                "published": "{published}", "score": {}, "score_max": 21,
                "standards": [{{"code": "P2.1", "rating": "{p21}",
                  "key_questions": [{{"percent_yes": 40}}, {{"percent_yes": 70}}, {{"percent_yes": 30}}]}}]}}"#,
                score.map_or("null".into(), |s| s.to_string())
            ),
            "t",
        )
        .expect("reads")
        .remove(0)
    }

    fn sample() -> Vec<(i64, PublishedResult)> {
        vec![
            (
                1,
                r(
                    "Derby City PDU",
                    "East Midlands",
                    Some(7),
                    "2025-05",
                    "Inadequate",
                ),
            ),
            (
                2,
                r(
                    "Nottinghamshire",
                    "East Midlands",
                    Some(3),
                    "2025-05",
                    "Inadequate",
                ),
            ),
            (
                3,
                r(
                    "Kent PDU",
                    "Kent, Surrey and Sussex",
                    None,
                    "2024-02",
                    "Good",
                ),
            ),
            (
                4,
                r(
                    "Derby City",
                    "East Midlands",
                    Some(2),
                    "2022-03",
                    "Inadequate",
                ),
            ),
        ]
    }

    #[test]
    fn the_league_filters_and_sorts_unknowns_last() {
        let all = league(&sample(), &LeagueQuery::default());
        let ids: Vec<i64> = all.iter().map(|r| r.id).collect();
        assert_eq!(ids, [1, 2, 4, 3]);
        let em = league(
            &sample(),
            &LeagueQuery {
                region: Some("east midlands".into()),
                year: Some(2025),
                ..LeagueQuery::default()
            },
        );
        assert_eq!(em.iter().map(|r| r.id).collect::<Vec<_>>(), [1, 2]);
        let by_assessment = league(
            &sample(),
            &LeagueQuery {
                sort: Some("P2.1".into()),
                ..LeagueQuery::default()
            },
        );
        assert_eq!(by_assessment[0].id, 3, "Good before Inadequate");
    }

    #[test]
    fn a_units_history_joins_its_names() {
        let h = histories(&sample());
        let derby = h
            .iter()
            .find(|u| unit_key(&u.unit) == "derby city")
            .expect("Derby City");
        assert_eq!(
            derby.inspections.iter().map(|i| i.id).collect::<Vec<_>>(),
            [4, 1],
            "oldest first"
        );
    }

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
