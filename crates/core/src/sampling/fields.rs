//! The fields of a caseload extract that a specification can stratify or exclude by, and the
//! extract's sentence types: community order, suspended sentence order, licence, post-sentence
//! supervision (finer than the framework's community / licence, which they map onto).

use serde::{Deserialize, Serialize};

use crate::framework::Framework;

/// The extract's sentence types (the 2023 reports' "community orders and releases on licence",
/// finer as case-management systems record them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum ExtractSentence {
    CommunityOrder,
    SuspendedSentenceOrder,
    Licence,
    PostSentenceSupervision,
}

impl ExtractSentence {
    pub const ALL: [ExtractSentence; 4] = [
        ExtractSentence::CommunityOrder,
        ExtractSentence::SuspendedSentenceOrder,
        ExtractSentence::Licence,
        ExtractSentence::PostSentenceSupervision,
    ];
    pub const ALLOWED: &'static str = "community-order (CO), suspended-sentence-order (SSO), licence, post-sentence-supervision (PSS)";

    pub fn id(self) -> &'static str {
        match self {
            ExtractSentence::CommunityOrder => "community-order",
            ExtractSentence::SuspendedSentenceOrder => "suspended-sentence-order",
            ExtractSentence::Licence => "licence",
            ExtractSentence::PostSentenceSupervision => "post-sentence-supervision",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            ExtractSentence::CommunityOrder => "Community order",
            ExtractSentence::SuspendedSentenceOrder => "Suspended sentence order",
            ExtractSentence::Licence => "Licence",
            ExtractSentence::PostSentenceSupervision => "Post-sentence supervision",
        }
    }

    /// By id, label or the usual abbreviation, ignoring case, with a space or `_` read as `-`.
    pub fn parse(cell: &str) -> Option<ExtractSentence> {
        const SPELLINGS: [(&str, ExtractSentence); 9] = [
            ("community-order", ExtractSentence::CommunityOrder),
            ("co", ExtractSentence::CommunityOrder),
            ("community", ExtractSentence::CommunityOrder),
            (
                "suspended-sentence-order",
                ExtractSentence::SuspendedSentenceOrder,
            ),
            ("sso", ExtractSentence::SuspendedSentenceOrder),
            ("licence", ExtractSentence::Licence),
            ("license", ExtractSentence::Licence),
            (
                "post-sentence-supervision",
                ExtractSentence::PostSentenceSupervision,
            ),
            ("pss", ExtractSentence::PostSentenceSupervision),
        ];
        let cell = cell.trim().as_bytes();
        let same = |spelling: &str| {
            spelling.len() == cell.len()
                && spelling.bytes().zip(cell).all(|(s, &c)| {
                    let c = match c {
                        b' ' | b'_' => b'-',
                        c => c.to_ascii_lowercase(),
                    };
                    s == c
                })
        };
        SPELLINGS
            .iter()
            .find(|(spelling, _)| same(spelling))
            .map(|&(_, sentence)| sentence)
    }

    /// The case's sentence type as the framework's rules name it.
    pub fn sentence_type(self) -> crate::SentenceType {
        match self {
            ExtractSentence::CommunityOrder | ExtractSentence::SuspendedSentenceOrder => {
                crate::SentenceType::Community
            }
            ExtractSentence::Licence | ExtractSentence::PostSentenceSupervision => {
                crate::SentenceType::Licence
            }
        }
    }
}

/// A field a specification can stratify or exclude by.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    Sentence,
    Pdu,
    /// A declared attribute, by its index in `Framework::attributes`.
    Attribute(usize),
}

impl Field {
    /// Whether `value` is one this field can take (any PDU name is).
    pub fn check_value(self, fw: &Framework, value: &str) -> Result<(), String> {
        match self {
            Field::Sentence => ExtractSentence::parse(value).map(|_| ()).ok_or_else(|| {
                format!(
                    "'{value}' is not a sentence type; allowed: {}",
                    ExtractSentence::ALLOWED
                )
            }),
            Field::Pdu => Ok(()),
            Field::Attribute(i) => fw.attributes[i].parse(value).map(|_| ()),
        }
    }

    /// For people: "Sentence type", "PDU", the attribute's label.
    pub fn label(self, fw: &Framework) -> &str {
        match self {
            Field::Sentence => "Sentence type",
            Field::Pdu => "PDU",
            Field::Attribute(i) => &fw.attributes[i].label,
        }
    }
}

/// `sentence`, `pdu`, or an attribute the framework declares for `instrument`.
pub fn field_of(fw: &Framework, instrument: &str, name: &str) -> Result<Field, String> {
    match name {
        "sentence" => Ok(Field::Sentence),
        "pdu" => Ok(Field::Pdu),
        _ => fw
            .attributes
            .iter()
            .position(|a| a.id == name && a.instruments.iter().any(|i| i == instrument))
            .map(Field::Attribute)
            .ok_or_else(|| {
                let declared: Vec<&str> = fw
                    .attributes_of(instrument)
                    .map(|a| a.id.as_str())
                    .collect();
                format!(
                    "'{name}' is not a field; allowed: sentence, pdu, {}",
                    declared.join(", ")
                )
            }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentence_types_read_in_any_usual_spelling_and_nothing_else() {
        for (cell, expected) in [
            (
                "Suspended Sentence Order",
                ExtractSentence::SuspendedSentenceOrder,
            ),
            (
                "post_sentence_supervision",
                ExtractSentence::PostSentenceSupervision,
            ),
            ("  LICENSE ", ExtractSentence::Licence),
            ("CO", ExtractSentence::CommunityOrder),
            ("Community-Order", ExtractSentence::CommunityOrder),
            ("pss", ExtractSentence::PostSentenceSupervision),
            ("community order ", ExtractSentence::CommunityOrder),
        ] {
            assert_eq!(ExtractSentence::parse(cell), Some(expected), "{cell}");
        }
        for cell in ["", "licences", "c o", "community  order", "SSO2", "licenc"] {
            assert_eq!(ExtractSentence::parse(cell), None, "{cell:?}");
        }
        // The codes of `sampling::codes` are positions in ALL.
        for (k, s) in ExtractSentence::ALL.iter().enumerate() {
            assert_eq!(*s as usize, k);
            assert_eq!(ExtractSentence::parse(s.id()), Some(*s));
            assert_eq!(ExtractSentence::parse(s.label()), Some(*s));
        }
    }
}
