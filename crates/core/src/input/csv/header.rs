//! A CSV file's header row: which role each column plays (the case id, the status, an attribute, the notes, a
//! question of the instrument), with every unknown, repeated or missing column an error at line 1.

use std::collections::HashMap;

use crate::framework::{Attribute, Framework, Instrument, QuestionKind};
use crate::input::cells::attribute_columns;
use crate::input::{ErrorKind, InputError};

use super::{
    CASE_ID, NOTES, PROBATION_RESET, RESERVED_COLUMNS, SENTENCE, STATUS, WEEKS_BEFORE_SUSPENSION,
};

#[derive(Clone, Copy)]
pub(super) enum Role {
    CaseId,
    Status,
    Sentence,
    Reset,
    Weeks,
    Oversight,
    Notes,
    /// A declared attribute: its index in the framework's `attributes`.
    Declared(usize),
    Question(usize),
}

pub(super) fn header_roles(
    framework: &Framework,
    instrument: &Instrument,
    file: &str,
    headers: &::csv::ByteRecord,
) -> Result<Vec<Role>, InputError> {
    let question_index: HashMap<&str, usize> = instrument
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| (q.id.as_str(), i))
        .collect();
    let mut allowed_attrs: Vec<&str> = attribute_columns(instrument);
    allowed_attrs.extend(
        framework
            .attributes_of(&instrument.id)
            .map(|a| a.id.as_str()),
    );
    let mut roles = Vec::with_capacity(headers.len());
    let mut seen: HashMap<String, usize> = HashMap::new();
    for (ci, raw) in headers.iter().enumerate() {
        let name = String::from_utf8_lossy(raw).trim().to_string();
        if let Some(first) = seen.insert(name.clone(), ci + 1) {
            return Err(InputError::new(
                ErrorKind::Syntax,
                file,
                format!(
                    "column '{name}' appears twice (columns {first} and {})",
                    ci + 1
                ),
            )
            .at_line(1)
            .at_column(name));
        }
        let role = match name.as_str() {
            CASE_ID => Role::CaseId,
            STATUS => Role::Status,
            NOTES => Role::Notes,
            n if allowed_attrs.contains(&n) => match n {
                SENTENCE => Role::Sentence,
                PROBATION_RESET => Role::Reset,
                WEEKS_BEFORE_SUSPENSION => Role::Weeks,
                n => match framework.attributes.iter().position(|a| a.id == n) {
                    Some(ai) => Role::Declared(ai),
                    None => Role::Oversight,
                },
            },
            n => match question_index.get(n) {
                Some(&qi) => Role::Question(qi),
                None => {
                    let hint = if RESERVED_COLUMNS.contains(&n) {
                        format!("instrument '{}' does not record '{n}'", instrument.id)
                    } else {
                        format!(
                            "not a question of instrument '{}' nor a case attribute; allowed columns: {}, and question ids such as {}",
                            instrument.id,
                            allowed_attrs.join(", "),
                            instrument
                                .questions
                                .iter()
                                .take(3)
                                .map(|q| q.id.as_str())
                                .collect::<Vec<_>>()
                                .join(", ")
                        )
                    };
                    return Err(InputError::new(
                        ErrorKind::UnknownColumn,
                        file,
                        format!("unknown column '{n}': {hint}"),
                    )
                    .at_line(1)
                    .at_column(n.to_string()));
                }
            },
        };
        roles.push(role);
    }
    let mut required: Vec<&str> = vec![CASE_ID];
    if instrument.attributes.contains(&Attribute::Sentence) {
        required.push(SENTENCE);
    }
    required.extend(
        instrument
            .questions
            .iter()
            .filter(|q| q.kind == QuestionKind::Key)
            .map(|q| q.id.as_str()),
    );
    for name in required {
        if !seen.contains_key(name) {
            return Err(InputError::new(
                ErrorKind::MissingColumn,
                file,
                format!("missing required column '{name}'"),
            )
            .at_line(1)
            .at_column(name));
        }
    }
    Ok(roles)
}
