//! What published results say about the overall score bands (issue 18; METHODOLOGY.md 4.6: the
//! 2023 programme's bands are not published). For each kind of each programme and each edge
//! between two neighbouring overall ratings, the first score rated the better one is bounded by
//! every result: a result rated at or below the edge's worse rating with score `s` puts the edge
//! above `s`; one rated at or above the better rating puts it at or below `s`. A result whose
//! score is unknown bounds the edges through the range its standards' ratings allow. The
//! framework's own edge is then checked against the range.

use serde::Serialize;

use crate::framework::Framework;

use super::check::{rating_of, score_range};
use super::programme::{Programme, resolve};
use super::result::PublishedResult;

/// One edge between two overall ratings of one kind.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Edge {
    /// The programme ("2023").
    pub programme: String,
    /// The kind's id and label ("pdu", "PDU inspection").
    pub kind: String,
    pub kind_label: String,
    /// The worse and the better rating's labels.
    pub below: String,
    pub above: String,
    /// The lowest score the better rating may start at, given every result (inclusive).
    pub lowest: u32,
    /// The highest (inclusive). `lowest > highest`: no edge fits every result.
    pub highest: u32,
    /// The results that set `lowest` (rated at or below `below` with the highest such score).
    pub pinned_from_below: Vec<String>,
    /// The results that set `highest` (rated at or above `above` with the lowest such score).
    pub pinned_from_above: Vec<String>,
    /// The first score of `above` under the framework's bands.
    pub framework_edge: u32,
    /// How many results of this kind bounded the edge.
    pub results: usize,
}

impl Edge {
    /// Whether some edge fits every result.
    pub fn is_consistent(&self) -> bool {
        self.lowest <= self.highest
    }

    /// Whether the framework's edge lies in the range every result allows.
    pub fn framework_fits(&self) -> bool {
        (self.lowest..=self.highest).contains(&self.framework_edge)
    }

    /// Whether the results fix the edge to one score.
    pub fn is_pinned(&self) -> bool {
        self.lowest == self.highest
    }
}

/// The edges of every kind with overall bands of every framework in `frameworks`, bounded by
/// `results` (those of other programmes or kinds, or with no overall rating, bound nothing).
pub fn infer(frameworks: &[&Framework], results: &[PublishedResult]) -> Vec<Edge> {
    let mut edges = Vec::new();
    for fw in frameworks {
        let Some(name) = fw.programme.as_deref() else {
            continue;
        };
        for kind in fw.kinds.iter().filter(|k| !k.overall_bands.is_empty()) {
            let programme = Programme {
                framework: fw,
                kind,
            };
            edges.extend(infer_kind(frameworks, programme, name, results));
        }
    }
    edges
}

fn infer_kind(
    frameworks: &[&Framework],
    programme: Programme<'_>,
    name: &str,
    results: &[PublishedResult],
) -> Vec<Edge> {
    let fw = programme.framework;
    let kind = programme.kind;
    let max = programme.score_max();
    // Worst first, with each rating's rank.
    let scale: Vec<_> = fw.ratings.iter().rev().collect();
    // Each result of this kind: (label, lowest score, highest score, rank of its overall rating).
    let mut bounded = Vec::new();
    for (i, result) in results.iter().enumerate() {
        let Ok(p) = resolve(frameworks, result) else {
            continue;
        };
        if p.kind.id != kind.id || !std::ptr::eq(p.framework, fw) {
            continue;
        }
        let Some(rank) = result
            .overall_rating
            .as_deref()
            .and_then(|r| rating_of(fw, r))
            .and_then(|r| scale.iter().position(|s| s.id == r.id))
        else {
            continue;
        };
        let (low, high) = match result.score {
            Some(s) => (s, s),
            None => {
                let (low, high) = score_range(p, result);
                (low, high.min(max))
            }
        };
        bounded.push((result.label(i), low, high, rank));
    }
    let mut edges = Vec::new();
    for e in 0..scale.len().saturating_sub(1) {
        let (mut lowest, mut highest) = (1, max);
        let (mut from_below, mut from_above) = (Vec::new(), Vec::new());
        for (label, low, high, rank) in &bounded {
            if *rank <= e {
                match (low + 1).cmp(&lowest) {
                    std::cmp::Ordering::Greater => {
                        lowest = low + 1;
                        from_below = vec![label.clone()];
                    }
                    std::cmp::Ordering::Equal => from_below.push(label.clone()),
                    std::cmp::Ordering::Less => {}
                }
            } else {
                match high.cmp(&highest) {
                    std::cmp::Ordering::Less => {
                        highest = *high;
                        from_above = vec![label.clone()];
                    }
                    std::cmp::Ordering::Equal => from_above.push(label.clone()),
                    std::cmp::Ordering::Greater => {}
                }
            }
        }
        let framework_edge = kind
            .overall_bands
            .iter()
            .find(|b| b.rating == scale[e + 1].id)
            .map_or(0, |b| b.min);
        edges.push(Edge {
            programme: name.to_string(),
            kind: kind.id.clone(),
            kind_label: kind.label.clone(),
            below: scale[e].label.clone(),
            above: scale[e + 1].label.clone(),
            lowest,
            highest,
            pinned_from_below: from_below,
            pinned_from_above: from_above,
            framework_edge,
            results: bounded.len(),
        });
    }
    // Edges rise: each is above the one before and below the one after.
    for e in 1..edges.len() {
        let floor = edges[e - 1].lowest + 1;
        edges[e].lowest = edges[e].lowest.max(floor);
    }
    for e in (0..edges.len().saturating_sub(1)).rev() {
        let ceiling = edges[e + 1].highest.saturating_sub(1);
        edges[e].highest = edges[e].highest.min(ceiling);
    }
    edges
}
