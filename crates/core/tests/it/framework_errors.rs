//! Framework validation: a framework file with a broken reference, a duplicate, a band gap or overlap,
//! or a typo is refused, and the error names the key path and what is wrong.

use casework_core::framework::{BUILTIN, Framework, FrameworkError, builtin};

fn broken(from: &str, to: &str) -> FrameworkError {
    let text = BUILTIN[0].1;
    assert!(text.contains(from), "the built-in text has no {from:?}");
    let text = text.replacen(from, to, 1);
    match Framework::from_toml(&text, "test.toml") {
        Ok(_) => panic!("replacing {from:?} with {to:?} should be refused"),
        Err(e) => e,
    }
}

fn assert_error(e: &FrameworkError, path: &str, problem: &str) {
    assert_eq!(e.origin, "test.toml");
    assert!(
        e.path.starts_with(path),
        "path {:?}, wanted {path:?}: {e}",
        e.path
    );
    assert!(
        e.problem.contains(problem),
        "problem {:?}, wanted {problem:?}",
        e.problem
    );
    let text = e.to_string();
    assert!(text.starts_with("test.toml: "), "{text}");
}

#[test]
fn the_built_in_framework_loads_and_its_hash_tracks_its_text() {
    let fw = builtin();
    assert_eq!(fw.id, "probation-2023");
    let same = Framework::from_toml(BUILTIN[0].1, "again").expect("valid");
    assert_eq!(same.content_hash(), fw.content_hash());
    let edited = BUILTIN[0]
        .1
        .replacen("version = \"1.1.0\"", "version = \"1.1.1\"", 1);
    let other = Framework::from_toml(&edited, "edited").expect("valid");
    assert_ne!(other.content_hash(), fw.content_hash());
}

#[test]
fn duplicate_standard_code() {
    let e = broken("code = \"P1.2\"", "code = \"P1.1\"");
    assert_error(&e, "standards[1].code", "duplicate standard code 'P1.1'");
}

#[test]
fn a_standard_naming_an_unknown_key_question() {
    let e = broken(
        "key_questions = [\"P2.1.1\",",
        "key_questions = [\"P2.1.9\",",
    );
    assert_error(
        &e,
        "standards[3].key_questions[0]",
        "unknown question id 'P2.1.9'",
    );
}

#[test]
fn a_case_based_standard_without_key_questions() {
    let e = broken(
        "key_questions = [\"P2.1.1\", \"P2.1.2\", \"P2.1.3\"]",
        "key_questions = []",
    );
    assert_error(&e, "standards[3].key_questions", "has no key questions");
}

#[test]
fn a_prompt_listed_as_a_key_question() {
    let e = broken(
        "key_questions = [\"P2.1.1\",",
        "key_questions = [\"P2.1.1a\",",
    );
    assert_error(&e, "standards[3].key_questions[0]", "is a prompt");
}

#[test]
fn percentage_bands_with_a_gap_or_an_overlap() {
    let e = broken("min = 65", "min = 66");
    assert_error(&e, "percentage_bands", "gap: no band covers 65..65");
    let e = broken("min = 65", "min = 64");
    assert_error(&e, "percentage_bands", "overlap");
}

#[test]
fn percentage_bands_that_stop_short_of_100() {
    let e = broken("max = 100", "max = 99");
    assert_error(&e, "percentage_bands", "must reach 100");
}

#[test]
fn overall_bands_that_do_not_reach_the_maximum_score() {
    let e = broken(
        "{ rating = \"outstanding\", min = 18, max = 21 }",
        "{ rating = \"outstanding\", min = 18, max = 20 }",
    );
    assert_error(&e, "kinds[0].overall_bands", "must reach 21");
}

#[test]
fn an_unknown_rating_in_a_band() {
    let e = broken("rating = \"good\"\nmin = 65", "rating = \"fine\"\nmin = 65");
    assert_error(&e, "percentage_bands[1].rating", "unknown rating 'fine'");
}

#[test]
fn duplicate_question_id() {
    let e = broken("id = \"P2.1.1a\"", "id = \"P2.1.1\"");
    assert_error(
        &e,
        "instruments[0].questions[1].id",
        "duplicate question id 'P2.1.1'",
    );
}

#[test]
fn a_prompt_with_an_unknown_parent() {
    let e = broken("parent = \"P2.1.1\"", "parent = \"P2.1.7\"");
    assert_error(
        &e,
        "instruments[0].questions[1].parent",
        "unknown parent 'P2.1.7'",
    );
}

#[test]
fn an_applicability_condition_the_instrument_cannot_check() {
    // Court reports record no sentence type, so a sentence condition there is meaningless.
    let e = broken(
        "name = \"court-da-info\"",
        "name = \"court-da-info\"\napplies = { sentence = [\"licence\"] }",
    );
    assert_error(
        &e,
        "instruments[1].questions[1].applies.sentence",
        "does not record",
    );
}

#[test]
fn a_typo_in_a_field_name_is_a_parse_error_with_its_line() {
    let e = broken(
        "reset_adjusted_max_weeks = 8",
        "reset_adjusted_max_week = 8",
    );
    assert_error(&e, "line ", "unknown field `reset_adjusted_max_week`");
}

#[test]
fn a_kind_listing_an_unknown_standard() {
    let e = broken("\"P2.4\"]", "\"P2.9\"]");
    assert_error(&e, "kinds[0].standards[6]", "unknown standard code 'P2.9'");
}

/// Domain one's key questions (`framework/judged.rs`): each id is its standard's code, a dot and
/// a number, used once in the framework; text and prompts not blank; and only a judged standard
/// has them.
#[test]
fn judged_key_questions_are_checked_at_their_boundaries() {
    let fw = builtin();
    let p12 = fw.standard("P1.2").expect("P1.2");
    assert_eq!(p12.judged_key_questions.len(), 5);
    assert!(
        p12.judged_key_questions
            .iter()
            .all(|k| !k.prompts.is_empty())
    );
    let (s, kq) = fw.judged_target("P1.2.3").expect("a key question");
    assert_eq!(
        (s.code.as_str(), kq.map(|k| k.id.as_str())),
        ("P1.2", Some("P1.2.3"))
    );
    assert!(matches!(fw.judged_target("R1.1"), Some((_, None))));
    for not_judged in ["P2.1", "P2.1.1", "P1.2.9", "P1", ""] {
        assert!(fw.judged_target(not_judged).is_none(), "{not_judged}");
    }

    let e = broken("id = \"P1.1.2\"", "id = \"P1.1.1\"");
    assert_error(&e, "standards[0].judged_key_questions[1].id", "used twice");
    let e = broken("id = \"P1.1.2\"", "id = \"P1.2.2\"");
    assert_error(
        &e,
        "standards[0].judged_key_questions[1].id",
        "not P1.1's code",
    );
    for shape in ["P1.1.", "P1.1.x", "P1.12", "P1.1.1.1"] {
        let e = broken("id = \"P1.1.2\"", &format!("id = \"{shape}\""));
        assert_error(
            &e,
            "standards[0].judged_key_questions[1].id",
            "a dot and a number",
        );
    }
    let e = broken(
        "text = \"Do governance, risk management and accountability arrangements support the delivery of a high-quality service?\"",
        "text = \" \"",
    );
    assert_error(&e, "standards[0].judged_key_questions[1].text", "blank");
    let e = broken(
        "  \"performance and quality are monitored and acted on\",",
        "  \"\",",
    );
    assert_error(
        &e,
        "standards[0].judged_key_questions[1].prompts[0]",
        "blank",
    );
    // A case-based standard takes none.
    let e = broken(
        "statement = \"Assessment is well-informed",
        "judged_key_questions = [{ id = \"P2.1.9\", text = \"t\" }]\nstatement = \"Assessment is well-informed",
    );
    assert_error(
        &e,
        "standards[3].judged_key_questions[0]",
        "only a judged standard",
    );
}
