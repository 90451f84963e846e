//! Who may do what: the one place a role, an inspection's published flag and the user's membership
//! turn into allow, 403 or 404. An inspection a user may not know of is answered 404, as if it did
//! not exist; one they may know of but not act on is answered 403.

use casework_core::review::ReviewState;
use casework_store::{Drawn, Role, Standing, StoredCase};

use crate::auth::SignedIn;
use crate::error::WebError;
use crate::state::AppState;

/// What a request needs of an inspection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Need {
    /// Its ratings, sample counts and report.
    Read,
    /// Its cases: answers, evidence notes and their history (personal data).
    ReadCases,
    /// Changing its cases.
    Edit,
    /// Publishing or withdrawing it; leading its quality assurance (drawing the QA sample,
    /// reconciling, locking and reopening cases).
    Publish,
    /// Reviewing its cases as QA: second marking, approving or returning a submitted case.
    Review,
}

/// The decision for `role` on an inspection (`None`: no such inspection).
///
/// - admin: everything;
/// - lead, inspector, QA reviewer assigned to the inspection (or its region): read it and its
///   cases; leads and inspectors edit; leads and QA reviewers review; leads publish;
/// - anyone else, viewers included: a published inspection's ratings and report only; an
///   unpublished one does not exist for them.
pub fn decide(role: Role, standing: Option<Standing>, need: Need) -> Result<(), WebError> {
    let Some(standing) = standing else {
        return Err(WebError::NotFound);
    };
    if role == Role::Admin {
        return Ok(());
    }
    let staff = matches!(role, Role::Lead | Role::Inspector | Role::Qa);
    if staff && standing.member {
        return match (need, role) {
            (Need::Read | Need::ReadCases, _) => Ok(()),
            (Need::Edit, Role::Lead | Role::Inspector) => Ok(()),
            (Need::Publish, Role::Lead) => Ok(()),
            (Need::Review, Role::Lead | Role::Qa) => Ok(()),
            _ => Err(WebError::Forbidden),
        };
    }
    if !standing.published {
        return Err(WebError::NotFound);
    }
    match need {
        Need::Read => Ok(()),
        _ => Err(WebError::Forbidden),
    }
}

/// The rules of review on one case (issue 19), after [`decide`] allowed `need` on its inspection:
/// a QA reviewer does not read a case drawn for QA until it is second-marked (blind marking), and
/// an inspector does not change a case once handed in (until QA returns it or a lead reopens it).
/// Leads change any case that is not locked (the store refuses a locked one).
pub fn decide_case(
    role: Role,
    need: Need,
    review: ReviewState,
    drawn: &Drawn,
) -> Result<(), WebError> {
    match (role, need) {
        (Role::Qa, Need::ReadCases) if *drawn == Drawn::AwaitingSecondMarking => {
            Err(WebError::Conflict(
                "This case is drawn for QA: its answers stay hidden from QA reviewers until its blind second marking is recorded (from the inspection's QA page).".into(),
            ))
        }
        (Role::Inspector, Need::Edit) if !review.inspector_may_edit() => Err(WebError::Conflict(
            format!(
                "This case is {}: an inspector changes it again only if QA returns it or a lead reopens it.",
                review.label().to_lowercase()
            ),
        )),
        _ => Ok(()),
    }
}

impl AppState {
    /// [`AppState::authorize`] for one of the inspection's cases, with the rules of review
    /// ([`decide_case`]); returns the user's standing and the case as stored.
    pub async fn authorize_case(
        &self,
        who: &SignedIn,
        slug: &str,
        instrument: &str,
        case_ref: &str,
        need: Need,
    ) -> Result<(Standing, StoredCase), WebError> {
        let standing = self.authorize(who, slug, need).await?;
        let stored = self.store.case(slug, instrument, case_ref).await?;
        let drawn = if who.user.role == Role::Qa {
            self.store.drawn_for_qa(slug, instrument, case_ref).await?
        } else {
            Drawn::NotDrawn
        };
        decide_case(who.user.role, need, stored.review, &drawn)?;
        Ok((standing, stored))
    }

    /// The user's standing on an inspection, if `need` is allowed; otherwise 403 or 404.
    pub async fn authorize(
        &self,
        who: &SignedIn,
        slug: &str,
        need: Need,
    ) -> Result<Standing, WebError> {
        // Read with the session when the request's route named this inspection.
        let standing = match &who.standing {
            Some((read_for, standing)) if read_for == slug => *standing,
            _ => self.store.standing(slug, &who.user.name).await?,
        };
        decide(who.user.role, standing, need)?;
        standing.ok_or(WebError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn standing(published: bool, member: bool) -> Option<Standing> {
        Some(Standing {
            published,
            frozen: published,
            member,
            revision: 0,
        })
    }

    #[test]
    fn unknown_and_unpublished_inspections_are_not_found_for_outsiders() {
        for role in Role::ALL {
            assert!(matches!(
                decide(role, None, Need::Read),
                Err(WebError::NotFound)
            ));
        }
        for role in [Role::Lead, Role::Inspector, Role::Qa, Role::Viewer] {
            assert!(matches!(
                decide(role, standing(false, false), Need::Read),
                Err(WebError::NotFound)
            ));
        }
    }

    #[test]
    fn viewers_read_published_findings_but_never_cases() {
        let published = standing(true, false);
        assert!(decide(Role::Viewer, published, Need::Read).is_ok());
        for need in [Need::ReadCases, Need::Edit, Need::Publish] {
            assert!(matches!(
                decide(Role::Viewer, published, need),
                Err(WebError::Forbidden)
            ));
        }
        // Membership gives a viewer nothing more.
        assert!(decide(Role::Viewer, standing(true, true), Need::ReadCases).is_err());
    }

    #[test]
    fn members_act_by_role() {
        let member = standing(false, true);
        let allowed = |role, need| decide(role, member, need).is_ok();
        assert!(allowed(Role::Inspector, Need::Edit));
        assert!(!allowed(Role::Inspector, Need::Publish));
        assert!(allowed(Role::Lead, Need::Publish));
        assert!(allowed(Role::Qa, Need::ReadCases));
        assert!(!allowed(Role::Qa, Need::Edit));
        assert!(allowed(Role::Admin, Need::Publish));
        assert!(allowed(Role::Qa, Need::Review));
        assert!(allowed(Role::Lead, Need::Review));
        assert!(!allowed(Role::Inspector, Need::Review));
        assert!(!allowed(Role::Viewer, Need::Review));
    }

    #[test]
    fn review_hides_drawn_cases_from_qa_and_handed_in_cases_from_their_inspector() {
        use ReviewState::*;
        let awaiting = Drawn::AwaitingSecondMarking;
        let marked = Drawn::SecondMarked {
            reviewer: "q".into(),
        };
        assert!(decide_case(Role::Qa, Need::ReadCases, Submitted, &awaiting).is_err());
        assert!(decide_case(Role::Qa, Need::ReadCases, Submitted, &marked).is_ok());
        assert!(decide_case(Role::Qa, Need::ReadCases, Submitted, &Drawn::NotDrawn).is_ok());
        assert!(decide_case(Role::Lead, Need::ReadCases, Submitted, &awaiting).is_ok());
        for state in ReviewState::ALL {
            let inspector = decide_case(Role::Inspector, Need::Edit, state, &Drawn::NotDrawn);
            assert_eq!(
                inspector.is_ok(),
                matches!(state, InProgress | Returned),
                "{state:?}"
            );
            assert!(decide_case(Role::Lead, Need::Edit, state, &Drawn::NotDrawn).is_ok());
        }
    }
}
