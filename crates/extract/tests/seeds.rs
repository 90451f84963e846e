//! The five reference reports (`../shared/seeds`) extract completely and exactly: every standard
//! rating, key-question percentage, score, overall rating and sample size equals the published
//! figure in `tests/fixtures/published.toml`, each with the line it was read on, and the results
//! pass every check. Skipped, saying so, where the report texts are absent.

use casework_core::published::{self, How, PublishedResult};
use casework_extract::{extract_html, extract_text};
use casework_testkit::published as fixtures;

fn label_of(id: &str) -> String {
    let fw = casework_core::framework::builtin();
    fw.rating(id).expect("a rating id").label.clone()
}

fn assert_matches_published(result: &PublishedResult, seed: &str) {
    let inspection = fixtures::load()
        .inspections
        .into_iter()
        .find(|i| i.seed == seed)
        .expect("every seed is in published.toml");
    let at = |what: &str| format!("{seed}: {what}");
    assert_eq!(
        result.kind.as_deref(),
        Some(inspection.kind.as_str()),
        "{}",
        at("kind")
    );
    assert_eq!(
        result.programme.as_deref(),
        Some("2023"),
        "{}",
        at("programme")
    );
    assert_eq!(result.score, Some(inspection.score), "{}", at("score"));
    let max = if inspection.kind == "pdu" { 21 } else { 24 };
    assert_eq!(result.score_max, Some(max), "{}", at("score_max"));
    assert_eq!(
        result.overall_rating.as_deref(),
        Some(label_of(&inspection.overall).as_str()),
        "{}",
        at("overall")
    );
    assert_eq!(
        result.standards.len(),
        inspection.ratings.len(),
        "{}",
        at("standards")
    );
    for (code, rating) in &inspection.ratings {
        let standard = result
            .standard(code)
            .unwrap_or_else(|| panic!("{}", at(code)));
        assert_eq!(
            standard.rating.as_deref(),
            Some(label_of(rating).as_str()),
            "{}",
            at(code)
        );
        let mut expected: Vec<_> = inspection
            .key_questions
            .iter()
            .filter(|k| &k.standard == code)
            .collect();
        expected.sort_by(|a, b| a.id.cmp(&b.id));
        let read: Vec<Option<u32>> = standard
            .key_questions
            .iter()
            .map(|k| k.percent_yes)
            .collect();
        let want: Vec<Option<u32>> = expected.iter().map(|k| Some(k.percent)).collect();
        assert_eq!(read, want, "{}", at(&format!("{code} key questions")));
    }
    for (instrument, spec) in &inspection.sample {
        let sample = result
            .samples
            .iter()
            .find(|s| &s.instrument == instrument)
            .unwrap_or_else(|| panic!("{}", at(instrument)));
        let as_u32 = |n: Option<usize>| n.map(|n| n as u32);
        assert_eq!(sample.cases, Some(spec.cases as u32), "{}", at(instrument));
        for (field, read, want) in [
            ("community", sample.community, as_u32(spec.community)),
            ("licence", sample.licence, as_u32(spec.licence)),
            ("reset", sample.reset, as_u32(spec.reset)),
            ("adjusted", sample.adjusted, as_u32(spec.adjusted)),
        ] {
            if want.is_some() {
                assert_eq!(read, want, "{}", at(&format!("{instrument} {field}")));
            }
        }
    }
    let findings = published::check_all(&published::frameworks(), std::slice::from_ref(result));
    assert!(findings.is_empty(), "{}: {findings:?}", at("checks"));
}

/// That `extraction` lists a figure starting `figure` as missing.
fn assert_missing(extraction: &casework_extract::Extraction, figure: &str) {
    assert!(
        extraction.missing.iter().any(|m| m.starts_with(figure)),
        "{figure} is not listed missing: {:?}",
        extraction.missing
    );
}

#[test]
fn the_five_reports_extract_exactly_as_published() {
    let Some(dir) = casework_testkit::paths::seeds_or_skip() else {
        return;
    };
    for inspection in fixtures::load().inspections {
        let text = std::fs::read_to_string(dir.join(&inspection.seed)).expect("the seed");
        let extraction = extract_text(&text, &inspection.seed);
        assert_matches_published(&extraction.result, &inspection.seed);
        // Only the web page's publication date is absent from its text.
        let unread: Vec<&str> = extraction
            .missing
            .iter()
            .map(String::as_str)
            .filter(|m| *m != "published")
            .collect();
        assert!(unread.is_empty(), "{}: missing {unread:?}", inspection.seed);
        assert!(
            extraction.conflicts.is_empty(),
            "{}: {:?}",
            inspection.seed,
            extraction.conflicts
        );
        // Every figure says where it was read, on a line that holds it.
        let lines: Vec<&str> = text.lines().collect();
        for p in &extraction.result.provenance {
            let line = p.line.expect("a line") as usize;
            assert!(
                line >= 1 && line <= lines.len(),
                "{}: {p:?}",
                inspection.seed
            );
        }
        let score_line = extraction
            .result
            .provenance
            .iter()
            .find(|p| p.figure == "score")
            .and_then(|p| p.line)
            .expect("the score's line");
        assert!(
            lines[score_line as usize - 1].contains(&format!("{}/", inspection.score)),
            "{}: the score's line holds it",
            inspection.seed
        );
    }
}

#[test]
fn derived_figures_are_marked_derived() {
    let Some(dir) = casework_testkit::paths::seeds_or_skip() else {
        return;
    };
    // Derby City states community orders and licences; the 34 cases are their sum.
    let text = std::fs::read_to_string(dir.join("002_9ddd5911ac12ede4.txt")).expect("the seed");
    let result = extract_text(&text, "derby").result;
    let cases = result
        .provenance
        .iter()
        .find(|p| p.figure == "samples[0].cases")
        .expect("the cases' provenance");
    assert_eq!(cases.how, How::Derived);
    assert!(
        result
            .provenance
            .iter()
            .any(|p| p.figure == "samples[0].community" && p.how == How::Stated)
    );
}

#[test]
fn a_report_as_html_extracts_as_its_text_does() {
    let Some(dir) = casework_testkit::paths::seeds_or_skip() else {
        return;
    };
    let seed = "000_6b96310240edd3d9.txt";
    let text = std::fs::read_to_string(dir.join(seed)).expect("the seed");
    // The web page as HTML: each line a paragraph, tab-separated lines table rows.
    let escape = |s: &str| {
        s.replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;")
    };
    let mut html = String::from("<!DOCTYPE html><html><head><title>r</title></head><body>");
    for line in text.lines() {
        if line.contains('\t') {
            html.push_str("<table><tr>");
            for cell in line.split('\t') {
                html.push_str(&format!("<td>{}</td>", escape(cell)));
            }
            html.push_str("</tr></table>");
        } else {
            html.push_str(&format!("<p>{}</p>\n", escape(line)));
        }
    }
    html.push_str("</body></html>");
    let from_html = extract_html(&html, seed).expect("a page");
    assert_matches_published(&from_html.result, seed);
}

#[test]
fn a_figure_that_cannot_be_read_is_missing_never_guessed() {
    let Some(dir) = casework_testkit::paths::seeds_or_skip() else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("004_d8be259c454e759c.txt")).expect("the seed");
    // Drop the overall rating's line and one key question's row.
    let cut: String = text
        .lines()
        .filter(|l| {
            !l.starts_with("Overall rating")
                && !l.contains("focus sufficiently on keeping other people safe?\t32%")
        })
        .map(|l| format!("{l}\n"))
        .collect();
    let extraction = extract_text(&cut, "cut");
    assert_missing(&extraction, "overall_rating");
    assert_missing(&extraction, "standards[P2.1].key_questions");
    assert_eq!(extraction.result.overall_rating, None);
}

#[test]
fn a_score_or_overall_rating_printed_two_ways_is_a_conflict_never_a_choice() {
    let Some(dir) = casework_testkit::paths::seeds_or_skip() else {
        return;
    };
    let text = std::fs::read_to_string(dir.join("004_d8be259c454e759c.txt")).expect("the seed");
    let twice = format!("Score 9/21\nOverall rating Outstanding\n{text}");
    let extraction = extract_text(&twice, "twice");
    assert_eq!(extraction.result.score, None);
    assert_eq!(extraction.result.overall_rating, None);
    assert_eq!(extraction.conflicts.len(), 2, "{:?}", extraction.conflicts);
    assert!(
        extraction.conflicts[0].contains("9/21 (line 1) or 3/21"),
        "{:?}",
        extraction.conflicts
    );
    // A score over its maximum, and a percentage over 100, are not read.
    let over = text
        .replace("Score **3/21**", "Score 25/21")
        .replace("safe?\t32%", "safe?\t132%");
    let extraction = extract_text(&over, "over");
    assert_eq!(extraction.result.score, None);
    assert_missing(&extraction, "score");
    assert_missing(&extraction, "standards[P2.1].key_questions: 2 of 3");
}

#[test]
fn two_ratings_for_one_standard_are_a_conflict() {
    let text = "P 1.1. Leadership\n\nThe statement.\n\nGood\n\nP 1.1 Leadership\nInadequate\n";
    let extraction = extract_text(text, "t");
    assert_eq!(extraction.result.standards[0].rating, None);
    assert_eq!(extraction.conflicts.len(), 1, "{:?}", extraction.conflicts);
}
