//! A synthetic caseload extract, as a case-management system might export it (issue 16): one row
//! per case with a case reference, PDU, sentence type, start date, risk of serious harm level,
//! practitioner grade and gender, under export-style column names (the mapping in
//! `tests/fixtures/sampling/mapping.toml` reads them), plus a team column no mapping reads.
//! Deterministic from the seed; no row names a person.

use std::fmt::Write;

use crate::generate::Rng;

/// The six PDUs of the committed extract (fictional).
pub const PDUS: [&str; 6] = [
    "Brackenford",
    "Eastmere",
    "Harrowdale",
    "Kingsholt",
    "Northwick",
    "Westbury",
];

/// The header of the extract.
pub const HEADER: &str =
    "CRN,PDU Name,Team,Sentence Type,Sentence Start,RoSH Level,Practitioner Grade,Gender";

/// `cases` rows across `pdus` with start dates from 1 June to 30 November 2024, seeded.
pub fn caseload_csv(cases: usize, pdus: &[&str], seed: u64) -> String {
    let mut rng = Rng::new(seed);
    let mut out = String::with_capacity(cases * 80);
    out.push_str(HEADER);
    out.push('\n');
    // Month lengths June to November 2024.
    let months = [(6, 30), (7, 31), (8, 31), (9, 30), (10, 31), (11, 30)];
    let days: u64 = months.iter().map(|(_, d)| d).sum();
    for n in 0..cases {
        // PDUs of different sizes: the first twice as likely as the last.
        let weights: Vec<u64> = (0..pdus.len() as u64)
            .map(|i| 2 * pdus.len() as u64 - i)
            .collect();
        let mut pick = rng.below(weights.iter().sum());
        let pdu = weights
            .iter()
            .position(|&w| {
                let hit = pick < w;
                pick = pick.saturating_sub(w);
                hit
            })
            .unwrap_or(0);
        let sentence = match rng.below(100) {
            0..=44 => "Community Order",
            45..=64 => "Suspended Sentence Order",
            65..=94 => "Licence",
            _ => "PSS",
        };
        let mut day = rng.below(days);
        let (month, date) = months
            .iter()
            .find_map(|&(m, d)| {
                if day < d {
                    Some((m, day + 1))
                } else {
                    day -= d;
                    None
                }
            })
            .unwrap_or((11, 30));
        let rosh = ["Low", "Medium", "High", "Very high"][match rng.below(100) {
            0..=24 => 0,
            25..=69 => 1,
            70..=96 => 2,
            _ => 3,
        }];
        let grade = ["PO", "PSO", "PQiP", "SPO"][match rng.below(100) {
            0..=54 => 0,
            55..=84 => 1,
            85..=97 => 2,
            _ => 3,
        }];
        let gender = if rng.below(100) < 86 {
            "Male"
        } else {
            "Female"
        };
        let team = rng.below(4) + 1;
        let _ = writeln!(
            out,
            "X{:06},{},Team {team},{sentence},{date:02}/{month:02}/2024,{rosh},{grade},{gender}",
            100_000 + n,
            pdus[pdu]
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_extract_is_the_same_for_the_same_seed_and_has_every_row() {
        let a = caseload_csv(200, &PDUS, 7);
        assert_eq!(a, caseload_csv(200, &PDUS, 7));
        assert_ne!(a, caseload_csv(200, &PDUS, 8));
        assert_eq!(a.lines().count(), 201);
        for pdu in PDUS {
            assert!(a.contains(pdu), "{pdu}");
        }
    }
}
