//! Choosing which cases get an answer when several subgroups each want a count: `total` cases
//! from a ranked list such that, for every subgroup, exactly its wanted number of chosen cases
//! belong to it. Starts from the best-ranked cases and swaps one chosen case for one left out
//! while that brings the counts closer, preferring to drop the worst-ranked and take the
//! best-ranked of each kind, so the answers still follow the cases' quality where they can.

use std::collections::BTreeMap;

/// Chooses `total` of `ranked` (case indices, best first) so that for each `(member, wanted)`,
/// exactly `wanted` chosen cases have `member[case]`. `None` when the local search finds no such
/// choice (the counts contradict each other, or a subgroup has too few cases).
pub fn choose(ranked: &[usize], total: usize, wanted: &[(&[bool], usize)]) -> Option<Vec<usize>> {
    if total > ranked.len() {
        return None;
    }
    // Cases of the same kind (the same memberships) are interchangeable but for their rank.
    let kind = |case: usize| -> Vec<bool> { wanted.iter().map(|(m, _)| m[case]).collect() };
    let mut chosen: Vec<bool> = vec![false; ranked.len()];
    chosen[..total].fill(true);
    let mut count: Vec<i64> = vec![0; wanted.len()];
    for &case in &ranked[..total] {
        for (g, (m, _)) in wanted.iter().enumerate() {
            count[g] += i64::from(m[case]);
        }
    }
    let deviation = |count: &[i64]| -> i64 {
        count
            .iter()
            .zip(wanted)
            .map(|(c, (_, w))| (c - *w as i64).abs())
            .sum()
    };
    let kinds: Vec<Vec<bool>> = ranked.iter().map(|&c| kind(c)).collect();
    let mut sideways = 0;
    for _ in 0..(4 * ranked.len() + 100) {
        let now = deviation(&count);
        if now == 0 {
            return Some(
                ranked
                    .iter()
                    .zip(&chosen)
                    .filter(|(_, c)| **c)
                    .map(|(&case, _)| case)
                    .collect(),
            );
        }
        // Per kind: the worst-ranked chosen position and the best-ranked position left out.
        let mut worst_in: BTreeMap<&[bool], usize> = BTreeMap::new();
        let mut best_out: BTreeMap<&[bool], usize> = BTreeMap::new();
        for (pos, k) in kinds.iter().enumerate() {
            if chosen[pos] {
                worst_in.insert(k, pos);
            } else {
                best_out.entry(k).or_insert(pos);
            }
        }
        let mut best: Option<(i64, usize, usize)> = None;
        for (k_in, &p_in) in &worst_in {
            for (k_out, &p_out) in &best_out {
                if k_in == k_out {
                    continue;
                }
                let next: Vec<i64> = count
                    .iter()
                    .enumerate()
                    .map(|(g, c)| c - i64::from(k_in[g]) + i64::from(k_out[g]))
                    .collect();
                let d = deviation(&next);
                if best.is_none_or(|(b, _, _)| d < b) {
                    best = Some((d, p_in, p_out));
                }
            }
        }
        let (d, p_in, p_out) = best?;
        if d > now || (d == now && sideways > 2 * wanted.len() + 8) {
            return None;
        }
        if d == now {
            sideways += 1;
        }
        chosen[p_in] = false;
        chosen[p_out] = true;
        for (g, c) in count.iter_mut().enumerate() {
            *c += i64::from(kinds[p_out][g]) - i64::from(kinds[p_in][g]);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn overlapping_subgroups_are_met_together() {
        // 10 cases; A = cases 0-4, B = even cases. Want 4 chosen: 1 in A, 3 in B.
        let a: Vec<bool> = (0..10).map(|c| c < 5).collect();
        let b: Vec<bool> = (0..10).map(|c| c % 2 == 0).collect();
        let ranked: Vec<usize> = (0..10).collect();
        let got = choose(&ranked, 4, &[(&a, 1), (&b, 3)]).expect("a choice exists");
        assert_eq!(got.len(), 4);
        assert_eq!(got.iter().filter(|&&c| a[c]).count(), 1);
        assert_eq!(got.iter().filter(|&&c| b[c]).count(), 3);
    }

    #[test]
    fn contradictory_counts_have_no_choice() {
        let a: Vec<bool> = (0..10).map(|c| c < 2).collect();
        let ranked: Vec<usize> = (0..10).collect();
        assert_eq!(choose(&ranked, 4, &[(&a, 3)]), None);
        assert_eq!(choose(&ranked, 11, &[]), None);
    }
}
