//! How a case's answers are stored: one character per question of its instrument, in the order the
//! instrument lists them in the framework the inspection is pinned to (kept verbatim in `frameworks`
//! under its content hash, so the order can never shift under stored data).
//!
//! `Y` yes, `N` no, `-` not applicable, `.` not answered: a 54-question case is 54 bytes, where a
//! JSON object keyed by question id was about 750. Import writes, and every load reads, this column
//! for every case, so its size is most of the store's I/O.

use casework_core::Answer;
use casework_core::framework::Instrument;

use crate::error::StoreError;

/// The code of one answer.
pub(crate) fn code(answer: Answer) -> char {
    match answer {
        Answer::Yes => 'Y',
        Answer::No => 'N',
        Answer::NotApplicable => '-',
        Answer::Unanswered => '.',
    }
}

/// A case's answers (one per question, in instrument order) as stored.
pub(crate) fn encode(answers: &[Answer]) -> String {
    answers.iter().map(|&a| code(a)).collect()
}

/// A stored answers column back into one answer per question of `instrument`. `case_ref` names the
/// case if the column is not what this module writes.
pub(crate) fn decode(
    instrument: &Instrument,
    text: &str,
    case_ref: &str,
) -> Result<Vec<Answer>, StoreError> {
    let width = instrument.questions.len();
    if text.len() != width {
        return Err(StoreError::Corrupt(format!(
            "case '{case_ref}': {} answer codes stored for the {width} questions of '{}'",
            text.len(),
            instrument.id
        )));
    }
    text.bytes()
        .map(|b| match b {
            b'Y' => Ok(Answer::Yes),
            b'N' => Ok(Answer::No),
            b'-' => Ok(Answer::NotApplicable),
            b'.' => Ok(Answer::Unanswered),
            other => Err(StoreError::Corrupt(format!(
                "case '{case_ref}': '{}' is not an answer code (Y, N, -, .)",
                char::from(other).escape_default()
            ))),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use casework_core::framework::builtin;

    use super::*;

    #[test]
    fn every_answer_round_trips_and_anything_else_is_refused() {
        let fw = builtin();
        let inst = fw.instrument("court-report").expect("built in");
        let all = [
            Answer::Yes,
            Answer::No,
            Answer::NotApplicable,
            Answer::Unanswered,
        ];
        let row: Vec<Answer> = (0..inst.questions.len()).map(|i| all[i % 4]).collect();
        let text = encode(&row);
        assert_eq!(&text[..4], "YN-.");
        assert_eq!(decode(inst, &text, "C1").expect("decodes"), row);

        let short = &text[1..];
        let err = decode(inst, short, "C1").expect_err("too short");
        assert!(err.to_string().contains("case 'C1'"), "{err}");
        let bad = format!("x{short}");
        let err = decode(inst, &bad, "C1").expect_err("bad code");
        assert!(
            err.to_string().contains("'x' is not an answer code"),
            "{err}"
        );
    }
}
