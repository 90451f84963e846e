//! Counting answers: for each question of an instrument, how many cases answered Yes, No, Not
//! applicable or nothing. One pass over the dense answer table, split across threads for large sets.

use rayon::prelude::*;

use crate::answer::Answer;
use crate::case::CaseSet;

/// Answer counts for one question.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub yes: u64,
    pub no: u64,
    pub not_applicable: u64,
    pub unanswered: u64,
}

impl Counts {
    /// Yes + No: the cases where the question was relevant.
    pub fn relevant(&self) -> u64 {
        self.yes + self.no
    }

    pub fn add(&mut self, other: &Counts) {
        self.yes += other.yes;
        self.no += other.no;
        self.not_applicable += other.not_applicable;
        self.unanswered += other.unanswered;
    }
}

/// Counts per question of one instrument, in framework question order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Tally {
    pub cases: u64,
    pub questions: Vec<Counts>,
}

impl Tally {
    pub fn empty(width: usize) -> Tally {
        Tally {
            cases: 0,
            questions: vec![Counts::default(); width],
        }
    }

    pub fn add(&mut self, other: &Tally) {
        self.cases += other.cases;
        for (a, b) in self.questions.iter_mut().zip(&other.questions) {
            a.add(b);
        }
    }
}

/// Rows per parallel chunk: big enough that thread hand-off is noise, small enough to balance.
const CHUNK_ROWS: usize = 16_384;

/// Tallies every question of a case set.
pub fn tally(set: &CaseSet) -> Tally {
    let width = set.width();
    if width == 0 || set.is_empty() {
        return Tally::empty(width);
    }
    let table = set.answer_table();
    let count_chunk = |chunk: &[Answer]| -> Vec<[u64; 4]> {
        let mut counts = vec![[0u64; 4]; width];
        for row in chunk.chunks_exact(width) {
            for (c, &a) in counts.iter_mut().zip(row) {
                c[a as usize] += 1;
            }
        }
        counts
    };
    let merged = if set.len() <= CHUNK_ROWS {
        count_chunk(table)
    } else {
        table
            .par_chunks(CHUNK_ROWS * width)
            .map(count_chunk)
            .reduce(
                || vec![[0u64; 4]; width],
                |mut a, b| {
                    for (x, y) in a.iter_mut().zip(&b) {
                        for k in 0..4 {
                            x[k] += y[k];
                        }
                    }
                    a
                },
            )
    };
    Tally {
        cases: set.len() as u64,
        questions: merged
            .into_iter()
            .map(|c| Counts {
                unanswered: c[Answer::Unanswered as usize],
                yes: c[Answer::Yes as usize],
                no: c[Answer::No as usize],
                not_applicable: c[Answer::NotApplicable as usize],
            })
            .collect(),
    }
}
