//! Domain one's key questions as data: what inspectors ask of a judged standard (leadership,
//! staffing, services), each with its prompts (`[[standards.judged_key_questions]]`), so that
//! evidence is filed against a key question and a judged rating is recorded per key question
//! with its rationale. The 2023 programme's own wording (*Domain one rules and guidance*, January
//! 2024) could not be read; the built-in framework paraphrases the topics of the earlier
//! programmes' domain one, marked [inferred] (`../shared/research/methodology-notes.md` §2.3).
//! The rating of the standard stays the inspectors' judgement: no rule derives it from these.

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::{Basis, Framework, Standard};

/// One key question of a judged standard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JudgedKeyQuestion {
    /// The standard's code, a dot and a number: `P1.2.3`.
    pub id: String,
    pub text: String,
    /// What inspectors look for beneath it.
    #[serde(default)]
    pub prompts: Vec<String>,
}

impl Framework {
    /// The judged standard and key question that `id` names: a judged standard's code (`P1.2`,
    /// with no key question) or one of its key questions (`P1.2.3`). `None` for anything else,
    /// a case-based standard included: domain-one evidence is filed against these only.
    pub fn judged_target(&self, id: &str) -> Option<(&Standard, Option<&JudgedKeyQuestion>)> {
        self.standards
            .iter()
            .filter(|s| s.basis == Basis::Judged)
            .find_map(|s| {
                if s.code == id {
                    return Some((s, None));
                }
                let kq = s.judged_key_questions.iter().find(|k| k.id == id)?;
                Some((s, Some(kq)))
            })
    }

    /// Every id evidence may be filed against, in framework order (for error messages).
    pub fn judged_targets(&self) -> Vec<&str> {
        self.standards
            .iter()
            .filter(|s| s.basis == Basis::Judged)
            .flat_map(|s| {
                std::iter::once(s.code.as_str())
                    .chain(s.judged_key_questions.iter().map(|k| k.id.as_str()))
            })
            .collect()
    }
}

/// Checks every standard's judged key questions: only a judged standard has them; each id is
/// the standard's code, a dot and a number, used once in the framework (and by no instrument's
/// question); text and prompts are not blank. `(key path, problem)` for the first that is wrong.
pub(super) fn validate(fw: &Framework) -> Result<(), (String, String)> {
    let mut seen: HashSet<&str> = HashSet::new();
    for (si, s) in fw.standards.iter().enumerate() {
        for (ki, kq) in s.judged_key_questions.iter().enumerate() {
            let path = format!("standards[{si}].judged_key_questions[{ki}]");
            if s.basis != Basis::Judged {
                return Err((
                    path,
                    format!(
                        "standard {} is rated from its cases' key questions; only a judged standard has judged key questions",
                        s.code
                    ),
                ));
            }
            let number = kq.id.strip_prefix(&format!("{}.", s.code));
            if !number.is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())) {
                return Err((
                    format!("{path}.id"),
                    format!(
                        "'{}' is not {}'s code, a dot and a number (such as {}.1)",
                        kq.id, s.code, s.code
                    ),
                ));
            }
            let asked_of_cases = fw
                .instruments
                .iter()
                .any(|i| i.questions.iter().any(|q| q.id == kq.id));
            if !seen.insert(&kq.id) || asked_of_cases {
                return Err((
                    format!("{path}.id"),
                    format!("'{}' is used twice in the framework", kq.id),
                ));
            }
            if kq.text.trim().is_empty() {
                return Err((format!("{path}.text"), "the text is blank".into()));
            }
            if let Some(pi) = kq.prompts.iter().position(|p| p.trim().is_empty()) {
                return Err((
                    format!("{path}.prompts[{pi}]"),
                    "the prompt is blank".into(),
                ));
            }
        }
    }
    Ok(())
}
