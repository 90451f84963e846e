//! A subgroup of cases, named by attribute values: `{ grade = ["pso"] }`, `{ standards =
//! ["adjusted"] }`. What a breakdown's column, a figure's "of the 18 cases managed by PSOs" and the
//! generator's subgroup targets all mean by "these cases". Keys are the framework's declared
//! attributes plus three built-ins: `sentence` (community, licence), `standards` (core,
//! proportionate, adjusted: from the Probation Reset weeks and the framework's threshold) and
//! `reset` (yes, no).

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::framework::Framework;
use crate::record::{CaseRecord, StandardsSet};

/// Every key must hold; a key holds when the case's value is one of those listed. The empty
/// subgroup is every case.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Subgroup(pub BTreeMap<String, Vec<String>>);

/// The built-in keys and their values.
const BUILT_IN: &[(&str, &[&str])] = &[
    ("sentence", &["community", "licence"]),
    ("standards", &["core", "proportionate", "adjusted"]),
    ("reset", &["yes", "no"]),
];

impl Subgroup {
    /// The subgroup of cases whose `key` is `value`.
    pub fn of(key: &str, value: &str) -> Subgroup {
        Subgroup(BTreeMap::from([(key.to_string(), vec![value.to_string()])]))
    }

    pub fn is_everyone(&self) -> bool {
        self.0.is_empty()
    }

    /// Checks every key and value against `fw`: `Err` names the unknown one and what is allowed.
    pub fn check(&self, fw: &Framework) -> Result<(), String> {
        for (key, values) in &self.0 {
            let allowed: Vec<&str> = match BUILT_IN.iter().find(|(k, _)| k == key) {
                Some((_, values)) => values.to_vec(),
                None => match fw.attribute(key) {
                    Some(a) => a.values.iter().map(|v| v.id.as_str()).collect(),
                    None => {
                        let mut keys: Vec<&str> = BUILT_IN.iter().map(|(k, _)| *k).collect();
                        keys.extend(fw.attributes.iter().map(|a| a.id.as_str()));
                        return Err(format!(
                            "'{key}' is not a case attribute; allowed: {}",
                            keys.join(", ")
                        ));
                    }
                },
            };
            if let Some(bad) = values.iter().find(|v| !allowed.contains(&v.as_str())) {
                return Err(format!(
                    "'{bad}' is not a value of '{key}'; allowed: {}",
                    allowed.join(", ")
                ));
            }
        }
        Ok(())
    }

    /// Whether `case` is in the subgroup, under the framework's Probation Reset threshold
    /// (`reset_adjusted_max_weeks`). A case that does not record a key is not in a subgroup
    /// naming it.
    pub fn contains(&self, case: &CaseRecord, reset_adjusted_max_weeks: u32) -> bool {
        self.0.iter().all(|(key, values)| {
            let value: Option<&str> = match key.as_str() {
                "sentence" => case.sentence.map(|s| s.as_str()),
                "standards" => Some(match case.standards_set(reset_adjusted_max_weeks) {
                    StandardsSet::Core => "core",
                    StandardsSet::Proportionate => "proportionate",
                    StandardsSet::Adjusted => "adjusted",
                }),
                "reset" => Some(if case.reset_weeks.is_some() {
                    "yes"
                } else {
                    "no"
                }),
                other => case.attributes.get(other).map(String::as_str),
            };
            value.is_some_and(|v| values.iter().any(|x| x == v))
        })
    }
}

impl std::fmt::Display for Subgroup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.0.is_empty() {
            return f.write_str("all cases");
        }
        let parts: Vec<String> = self
            .0
            .iter()
            .map(|(k, v)| format!("{k} = {}", v.join(" or ")))
            .collect();
        f.write_str(&parts.join(", "))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::builtin;

    #[test]
    fn a_subgroup_holds_where_every_key_matches() {
        let fw = builtin();
        let weeks = fw.rules.reset_adjusted_max_weeks;
        let mut case = CaseRecord {
            id: "C1".into(),
            reset_weeks: Some(weeks),
            ..Default::default()
        };
        assert!(Subgroup::of("standards", "adjusted").contains(&case, weeks));
        assert!(Subgroup::of("reset", "yes").contains(&case, weeks));
        case.reset_weeks = Some(weeks + 1);
        assert!(Subgroup::of("standards", "proportionate").contains(&case, weeks));
        assert!(!Subgroup::of("sentence", "licence").contains(&case, weeks));
        assert!(Subgroup::default().contains(&case, weeks));
        assert!(Subgroup::of("nonsense", "x").check(fw).is_err());
        assert!(Subgroup::of("standards", "adjusted").check(fw).is_ok());
        assert!(Subgroup::of("standards", "lenient").check(fw).is_err());
    }
}
