//! A case's declared attributes (the framework's `[[attributes]]`) as stored: one JSON object of
//! attribute id to value id in the `cases.attributes` column, NULL where the case records none.

use std::collections::BTreeMap;

use crate::error::StoreError;

/// The stored text of `attributes`: `None` when empty, so cases without attributes store NULL.
pub(crate) fn encode(attributes: &BTreeMap<String, String>) -> Option<String> {
    (!attributes.is_empty())
        .then(|| serde_json::to_string(attributes).expect("a map of strings serialises"))
}

/// The attributes from their stored text; `case_ref` names the case if the text is not a JSON
/// object of strings.
pub(crate) fn decode(
    stored: Option<&str>,
    case_ref: &str,
) -> Result<BTreeMap<String, String>, StoreError> {
    match stored {
        None => Ok(BTreeMap::new()),
        Some(text) => serde_json::from_str(text).map_err(|e| {
            StoreError::Corrupt(format!("case '{case_ref}': attributes are not valid: {e}"))
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn attributes_round_trip_and_none_is_null() {
        assert_eq!(encode(&BTreeMap::new()), None);
        let map = BTreeMap::from([("grade".to_string(), "pso".to_string())]);
        let text = encode(&map).expect("some");
        assert_eq!(decode(Some(&text), "C1").expect("decodes"), map);
        assert!(decode(Some("[1]"), "C1").is_err());
    }
}
