//! The national picture (issue 18) from stored published results, as the web, the terminal and
//! the API all show it: the league table (filtered by programme, kind, region and year; sorted by
//! score or by any standard's rating), each unit's history across its inspections, and the
//! distribution of each standard's ratings and each key question's percentages across units.
//! Ratings are read through the result's framework (`casework_core::published`), so points and
//! labels are the programme's own.

use std::collections::BTreeMap;

use casework_core::framework::Framework;
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

impl LeagueQuery {
    /// Why the query cannot be answered as asked: a programme or kind there is none of, or a sort
    /// that is neither a column nor a standard code. A mistyped filter would otherwise show an
    /// empty or misleading table.
    pub fn check(&self) -> Result<(), String> {
        let programmes = published::programme::names();
        if let Some(p) = &self.programme
            && !programmes.contains(&p.as_str())
        {
            return Err(format!(
                "there is no programme '{p}'; known: {}",
                programmes.join(", ")
            ));
        }
        if let Some(k) = &self.kind
            && !published::result::KINDS.contains(&k.as_str())
        {
            return Err(format!(
                "there is no kind '{k}'; known: {}",
                published::result::KINDS.join(", ")
            ));
        }
        if let Some(s) = &self.sort {
            let column = matches!(s.as_str(), "score" | "unit" | "published");
            let code = published::frameworks()
                .iter()
                .any(|fw| fw.standards.iter().any(|st| &st.code == s));
            if !column && !code {
                return Err(format!(
                    "'{s}' is not a sort: score, unit, published, or a standard's code (P2.1)"
                ));
            }
        }
        Ok(())
    }
}

/// One page of `rows` (1-based `page`, `per_page` rows) and how many pages there are.
pub fn page_of<T>(rows: &[T], page: usize, per_page: usize) -> (&[T], usize) {
    let pages = rows.len().div_ceil(per_page.max(1)).max(1);
    let page = page.clamp(1, pages);
    let from = (page - 1) * per_page;
    (
        &rows[from.min(rows.len())..(from + per_page).min(rows.len())],
        pages,
    )
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
            let key = sort_key(&frameworks, r, query.sort.as_deref());
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
fn sort_key(
    frameworks: &[&Framework],
    result: &PublishedResult,
    sort: Option<&str>,
) -> Option<i64> {
    match sort {
        None | Some("score") | Some("unit") | Some("published") => {
            let score = i64::from(result.score?);
            let max = result
                .score_max
                .or_else(|| resolve(frameworks, result).ok().map(|p| p.score_max()))
                .filter(|m| *m > 0)?;
            Some(score * 10_000 / i64::from(max))
        }
        Some(code) => {
            let programme = resolve(frameworks, result).ok()?;
            let rating = result.standard(code)?.rating.as_deref()?;
            rating_of(programme.framework, rating).map(|r| i64::from(r.points))
        }
    }
}

/// The standard codes `rows` rate, in first-seen order: a table's rating columns.
pub fn standard_codes(rows: &[LeagueRow]) -> Vec<String> {
    let mut codes: Vec<String> = Vec::new();
    for (code, _) in rows.iter().flat_map(|r| &r.ratings) {
        if !codes.contains(code) {
            codes.push(code.clone());
        }
    }
    codes
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

#[cfg(test)]
pub(crate) mod tests {
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

    pub(crate) fn sample() -> Vec<(i64, PublishedResult)> {
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
    fn a_query_naming_nothing_known_is_refused_and_pages_cut_rows() {
        let bad = |q: LeagueQuery| q.check().expect_err("refused");
        assert!(
            bad(LeagueQuery {
                programme: Some("1999".into()),
                ..LeagueQuery::default()
            })
            .contains("2023")
        );
        assert!(
            bad(LeagueQuery {
                kind: Some("prison".into()),
                ..LeagueQuery::default()
            })
            .contains("pdu")
        );
        assert!(
            bad(LeagueQuery {
                sort: Some("bogus".into()),
                ..LeagueQuery::default()
            })
            .contains("score")
        );
        assert!(
            LeagueQuery {
                sort: Some("P2.1".into()),
                ..LeagueQuery::default()
            }
            .check()
            .is_ok()
        );
        let rows: Vec<u32> = (1..=250).collect();
        assert_eq!(page_of(&rows, 1, 100).0.len(), 100);
        assert_eq!(page_of(&rows, 3, 100), (&rows[200..], 3));
        assert_eq!(
            page_of(&rows, 9, 100).0,
            &rows[200..],
            "past the end: the last page"
        );
        assert_eq!(page_of::<u32>(&[], 1, 100), (&[][..], 1));
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
}
