//! The stages of an inspection on its way to publication, and the rules between them (issue
//! 15): draft → factual-accuracy check → published; a published inspection reopened for
//! correction (published again as a new version) or withdrawn to draft. Pure: the store applies
//! them (`publication`), the pages and commands show them.

use serde::Serialize;

/// Where an inspection is on its way to publication.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum Stage {
    /// Fieldwork and writing: everything editable.
    Draft,
    /// The draft is with the inspected organisation; their comments are recorded and resolved.
    FactualAccuracy,
    /// Published and frozen.
    Published,
    /// Reopened by a lead to correct the published report; readers still get the published one.
    Correction,
}

impl Stage {
    pub const ALL: [Stage; 4] = [
        Stage::Draft,
        Stage::FactualAccuracy,
        Stage::Published,
        Stage::Correction,
    ];

    /// The stage as stored and typed on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            Stage::Draft => "draft",
            Stage::FactualAccuracy => "factual-accuracy",
            Stage::Published => "published",
            Stage::Correction => "correction",
        }
    }

    /// The stage in words, as pages show it.
    pub fn label(self) -> &'static str {
        match self {
            Stage::Draft => "Draft",
            Stage::FactualAccuracy => "Factual accuracy check",
            Stage::Published => "Published",
            Stage::Correction => "Published, being corrected",
        }
    }

    pub fn parse(text: &str) -> Option<Stage> {
        Stage::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Readers are served a published version in this stage.
    pub fn visible(self) -> bool {
        matches!(self, Stage::Published | Stage::Correction)
    }
}

/// Whether a lead may move an inspection from `from` to `to` without publishing (publishing is
/// [`Store::publish`]), and whether the move needs a reason. The error says what to do instead.
pub fn stage_move(from: Stage, to: Stage) -> Result<NeedsReason, String> {
    use Stage::*;
    match (from, to) {
        (Draft, FactualAccuracy) | (FactualAccuracy, Draft) => Ok(NeedsReason(false)),
        (Published, Correction) | (Published | Correction, Draft) => Ok(NeedsReason(true)),
        (_, Published) => Err("publishing makes the report's files: publish it instead".into()),
        (Draft, Correction) | (FactualAccuracy, Correction) => {
            Err("only a published inspection can be reopened for correction".into())
        }
        (Published | Correction, FactualAccuracy) => Err(
            "a published inspection goes back to the factual-accuracy check only by withdrawing it to draft first".into(),
        ),
        (a, b) if a == b => Err(format!("it is already at the stage '{}'", a.as_str())),
        (a, b) => Err(format!("cannot move from '{}' to '{}'", a.as_str(), b.as_str())),
    }
}

/// Whether a stage move must give its reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NeedsReason(pub bool);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_stages_move_only_as_the_inspectorate_does() {
        use Stage::*;
        assert_eq!(stage_move(Draft, FactualAccuracy), Ok(NeedsReason(false)));
        assert_eq!(stage_move(FactualAccuracy, Draft), Ok(NeedsReason(false)));
        assert_eq!(stage_move(Published, Correction), Ok(NeedsReason(true)));
        assert_eq!(stage_move(Published, Draft), Ok(NeedsReason(true)));
        assert_eq!(stage_move(Correction, Draft), Ok(NeedsReason(true)));
        for from in Stage::ALL {
            assert!(stage_move(from, Published).is_err(), "{from:?} → published");
            assert!(stage_move(from, from).is_err(), "{from:?} → itself");
        }
        assert!(stage_move(Draft, Correction).is_err());
        assert!(stage_move(FactualAccuracy, Correction).is_err());
        assert!(stage_move(Published, FactualAccuracy).is_err());
        assert!(stage_move(Correction, FactualAccuracy).is_err());
    }
}
