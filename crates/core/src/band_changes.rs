//! Band-level agreement (issue 19): would another set of answers (the reconciled ones, after
//! double marking) change what the report says? Compares two ratings of the same inspection and
//! lists every key question whose band moves, every standard whose rating moves, and the score
//! and overall rating if they move: what matters first, before any coefficient. Pure: the caller
//! rates the inspection both ways with `rate`.

use serde::Serialize;

use crate::rating::{RatingOut, Ratings};

/// One thing that moved: its id (key question or standard code) and the rating label before and
/// after (`None`: not rated, no relevant case).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub id: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Everything that moved between two ratings of one inspection.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BandChanges {
    pub key_questions: Vec<Change>,
    pub standards: Vec<Change>,
    /// The score before and after, when it moved.
    pub score: Option<(u32, u32)>,
    /// The overall rating before and after, when it moved.
    pub overall: Option<Change>,
}

impl BandChanges {
    /// Nothing the report states moves.
    pub fn is_empty(&self) -> bool {
        self.key_questions.is_empty()
            && self.standards.is_empty()
            && self.score.is_none()
            && self.overall.is_none()
    }
}

fn label(r: Option<&RatingOut>) -> Option<String> {
    r.map(|r| r.label.clone())
}

fn moved(id: &str, before: Option<&RatingOut>, after: Option<&RatingOut>) -> Option<Change> {
    let (before, after) = (label(before), label(after));
    (before != after).then(|| Change {
        id: id.to_string(),
        before,
        after,
    })
}

/// What moves from `before` to `after` (two ratings of the same inspection, so the same
/// standards and key questions in the same order; one missing on either side is compared as not
/// rated).
pub fn band_changes(before: &Ratings, after: &Ratings) -> BandChanges {
    let mut key_questions = Vec::new();
    let mut standards = Vec::new();
    for s in &before.standards {
        let other = after.standards.iter().find(|o| o.code == s.code);
        standards.extend(moved(
            &s.code,
            s.rating.as_ref(),
            other.and_then(|o| o.rating.as_ref()),
        ));
        for k in &s.key_questions {
            let twin = other.and_then(|o| o.key_questions.iter().find(|x| x.id == k.id));
            key_questions.extend(moved(
                &k.id,
                k.band.as_ref(),
                twin.and_then(|x| x.band.as_ref()),
            ));
        }
    }
    BandChanges {
        key_questions,
        standards,
        score: (before.score != after.score).then_some((before.score, after.score)),
        overall: moved("overall", before.overall.as_ref(), after.overall.as_ref()),
    }
}
