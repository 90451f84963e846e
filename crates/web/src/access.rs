//! Who may do what: the one place a role, an inspection's published flag and the user's membership
//! turn into allow, 403 or 404. An inspection a user may not know of is answered 404, as if it did
//! not exist; one they may know of but not act on is answered 403.

use casework_store::{Role, Standing};

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
    /// Publishing or withdrawing it.
    Publish,
}

/// The decision for `role` on an inspection (`None`: no such inspection).
///
/// - admin: everything;
/// - lead, inspector, QA reviewer assigned to the inspection (or its region): read it and its
///   cases; leads and inspectors edit; leads publish;
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

impl AppState {
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
    }
}
