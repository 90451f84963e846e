//! A case's review states before its answers count in published ratings (issue 19): in progress →
//! submitted (by its inspector, every applicable question answered) → QA-reviewed or returned (by
//! a QA reviewer who is not its inspector) → locked (by a lead when fieldwork closes); a locked
//! case is reopened only with a reason. Pure: the store applies the moves and records who made
//! each, the pages and commands offer only the moves allowed.
//!
//! Source: the Inspectorate's quality assurance of case assessments before ratings are final
//! (`../shared/METHODOLOGY.md`, quality assurance; the state names are ours, [inferred]).

use serde::Serialize;

/// Where a case stands in review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewState {
    /// Its inspector is still assessing it.
    #[default]
    InProgress,
    /// Its inspector has finished it; it waits for a QA reviewer.
    Submitted,
    /// A QA reviewer sent it back, with a comment on each question to look at again.
    Returned,
    /// A QA reviewer has reviewed it.
    Reviewed,
    /// Fieldwork has closed: its answers are what will be published.
    Locked,
}

/// A move between review states, each made by one named person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ReviewAction {
    /// The inspector hands the finished case in (from in progress or returned).
    Submit,
    /// A QA reviewer accepts it (from submitted).
    Approve,
    /// A QA reviewer sends it back (from submitted).
    Return,
    /// A lead locks it (from submitted or reviewed).
    Lock,
    /// A lead reopens a locked case, with a reason (back to in progress).
    Reopen,
}

impl ReviewState {
    pub const ALL: [ReviewState; 5] = [
        ReviewState::InProgress,
        ReviewState::Submitted,
        ReviewState::Returned,
        ReviewState::Reviewed,
        ReviewState::Locked,
    ];

    /// The state as stored and typed on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            ReviewState::InProgress => "in-progress",
            ReviewState::Submitted => "submitted",
            ReviewState::Returned => "returned",
            ReviewState::Reviewed => "qa-reviewed",
            ReviewState::Locked => "locked",
        }
    }

    /// The state in words, as pages show it.
    pub fn label(self) -> &'static str {
        match self {
            ReviewState::InProgress => "In progress",
            ReviewState::Submitted => "Submitted",
            ReviewState::Returned => "Returned by QA",
            ReviewState::Reviewed => "QA reviewed",
            ReviewState::Locked => "Locked",
        }
    }

    pub fn parse(text: &str) -> Option<ReviewState> {
        ReviewState::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Whether its inspector has handed it in (so it has an inspector and may be QA-sampled).
    pub fn handed_in(self) -> bool {
        matches!(
            self,
            ReviewState::Submitted | ReviewState::Reviewed | ReviewState::Locked
        )
    }

    /// Whether its inspector may still change its answers (a lead may change any case that is not
    /// locked: reconciliation is an ordinary edit).
    pub fn inspector_may_edit(self) -> bool {
        matches!(self, ReviewState::InProgress | ReviewState::Returned)
    }
}

impl ReviewAction {
    pub const ALL: [ReviewAction; 5] = [
        ReviewAction::Submit,
        ReviewAction::Approve,
        ReviewAction::Return,
        ReviewAction::Lock,
        ReviewAction::Reopen,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewAction::Submit => "submit",
            ReviewAction::Approve => "approve",
            ReviewAction::Return => "return",
            ReviewAction::Lock => "lock",
            ReviewAction::Reopen => "reopen",
        }
    }

    pub fn parse(text: &str) -> Option<ReviewAction> {
        ReviewAction::ALL.into_iter().find(|a| a.as_str() == text)
    }

    /// The state it leads to from `from`, or why it is not allowed there.
    pub fn apply(self, from: ReviewState) -> Result<ReviewState, String> {
        self.target(from).ok_or_else(|| {
            let allowed: Vec<&str> = ReviewAction::ALL
                .into_iter()
                .filter(|a| a.target(from).is_some())
                .map(ReviewAction::as_str)
                .collect();
            format!(
                "a case that is {} cannot be {}; allowed: {}",
                from.as_str(),
                self.past_tense(),
                allowed.join(", ")
            )
        })
    }

    /// The one table of moves.
    fn target(self, from: ReviewState) -> Option<ReviewState> {
        use ReviewState::*;
        match (self, from) {
            (ReviewAction::Submit, InProgress | Returned) => Some(Submitted),
            (ReviewAction::Approve, Submitted) => Some(Reviewed),
            (ReviewAction::Return, Submitted) => Some(Returned),
            (ReviewAction::Lock, Submitted | Reviewed) => Some(Locked),
            (ReviewAction::Reopen, Locked) => Some(InProgress),
            _ => None,
        }
    }

    fn past_tense(self) -> &'static str {
        match self {
            ReviewAction::Submit => "submitted",
            ReviewAction::Approve => "approved",
            ReviewAction::Return => "returned",
            ReviewAction::Lock => "locked",
            ReviewAction::Reopen => "reopened",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_move_from_every_state_is_decided_by_the_table() {
        use ReviewAction as A;
        use ReviewState::*;
        let allowed = [
            (A::Submit, InProgress, Submitted),
            (A::Submit, Returned, Submitted),
            (A::Approve, Submitted, Reviewed),
            (A::Return, Submitted, Returned),
            (A::Lock, Submitted, Locked),
            (A::Lock, Reviewed, Locked),
            (A::Reopen, Locked, InProgress),
        ];
        for action in A::ALL {
            for from in ReviewState::ALL {
                let expected = allowed
                    .iter()
                    .find(|(a, f, _)| *a == action && *f == from)
                    .map(|(_, _, to)| *to);
                match (action.apply(from), expected) {
                    (Ok(to), Some(e)) => assert_eq!(to, e),
                    (Err(why), None) => assert!(why.contains(from.as_str()), "{why}"),
                    (got, e) => panic!("{action:?} from {from:?}: {got:?}, expected {e:?}"),
                }
            }
        }
    }

    #[test]
    fn a_locked_case_only_reopens_and_names_that() {
        let why = ReviewAction::Submit
            .apply(ReviewState::Locked)
            .expect_err("locked");
        assert!(why.ends_with("allowed: reopen"), "{why}");
    }

    #[test]
    fn states_round_trip_through_their_stored_names() {
        for s in ReviewState::ALL {
            assert_eq!(ReviewState::parse(s.as_str()), Some(s));
        }
        assert_eq!(ReviewState::parse("done"), None);
    }
}
