//! Acceptance tests: the five published reports, reproduced. Each fixture under tests/fixtures is
//! rated and every key-question percentage (and its Yes/relevant counts), every standard rating, the
//! score, the maximum and the overall rating must equal the published figures recorded in
//! tests/fixtures/published.toml; so must the sample composition and every other case-derived
//! figure the reports print (prompt figures, "X out of Y", oversight, subgroups, verbal shares).

use std::path::{Path, PathBuf};

use casework_synth::fixtures::generate_all;
use casework_testkit::published::{Published, PublishedInspection};

use crate::repo;
use casework_cli::fsio;
use casework_core::framework::builtin;
use casework_core::rating::breakdown::{cases_in, count};
use casework_core::{Ratings, rate};
use casework_synth::figures::Measure;

fn published() -> Published {
    casework_testkit::published::load()
}

fn rated(spec: &PublishedInspection) -> Ratings {
    let dir = repo().join("tests/fixtures").join(&spec.dir);
    let (inspection, fw) = fsio::load(&dir, None).unwrap_or_else(|e| panic!("{}: {e}", spec.dir));
    rate(fw, &inspection)
}

#[test]
fn there_are_five_reference_reports() {
    let p = published();
    assert_eq!(p.inspections.len(), 5);
    assert_eq!(p.inspections.iter().filter(|i| i.kind == "pdu").count(), 3);
    assert_eq!(
        p.inspections.iter().filter(|i| i.kind == "region").count(),
        2
    );
}

#[test]
fn every_key_question_percentage_is_reproduced() {
    for spec in published().inspections {
        let r = rated(&spec);
        for kq in &spec.key_questions {
            let got = r
                .key_question(&kq.standard, &kq.id)
                .unwrap_or_else(|| panic!("{}: {} {} missing", spec.dir, kq.standard, kq.id));
            assert_eq!(
                got.percent,
                Some(kq.percent),
                "{}: {} {} percentage",
                spec.dir,
                kq.standard,
                kq.id
            );
            assert_eq!(
                (got.yes, got.relevant),
                (kq.yes, kq.relevant),
                "{}: {} {} counts",
                spec.dir,
                kq.standard,
                kq.id
            );
        }
        // Every case-based standard's key questions are covered by the published figures.
        let published_count = spec.key_questions.len();
        let rated_count: usize = r.standards.iter().map(|s| s.key_questions.len()).sum();
        assert_eq!(
            published_count, rated_count,
            "{}: key questions covered",
            spec.dir
        );
    }
}

#[test]
fn every_standard_rating_score_and_overall_rating_is_reproduced() {
    for spec in published().inspections {
        let r = rated(&spec);
        assert_eq!(
            r.standards.len(),
            spec.ratings.len(),
            "{}: standards",
            spec.dir
        );
        for (code, rating) in &spec.ratings {
            let got = r
                .standard(code)
                .unwrap_or_else(|| panic!("{}: {code}", spec.dir));
            assert_eq!(
                got.rating.as_ref().map(|x| x.id.as_str()),
                Some(rating.as_str()),
                "{}: {code} rating",
                spec.dir
            );
        }
        assert_eq!(r.score, spec.score, "{}: score", spec.dir);
        let max = if spec.kind == "pdu" { 21 } else { 24 };
        assert_eq!(r.max_score, max, "{}: maximum", spec.dir);
        assert_eq!(
            r.overall.as_ref().map(|o| o.id.as_str()),
            Some(spec.overall.as_str()),
            "{}: overall",
            spec.dir
        );
        assert!(
            r.unrated.is_empty(),
            "{}: unrated {:?}",
            spec.dir,
            r.unrated
        );
    }
}

#[test]
fn sample_composition_is_reproduced() {
    for spec in published().inspections {
        let r = rated(&spec);
        for (instrument, want) in &spec.sample {
            let got = r
                .sample
                .iter()
                .find(|s| &s.instrument == instrument)
                .unwrap_or_else(|| panic!("{}: no {instrument} sample", spec.dir));
            assert_eq!(
                got.cases, want.cases as u64,
                "{}: {instrument} cases",
                spec.dir
            );
            if let Some(c) = want.community {
                assert_eq!(got.community, Some(c as u64), "{}: community", spec.dir);
            }
            if let Some(l) = want.licence {
                assert_eq!(got.licence, Some(l as u64), "{}: licence", spec.dir);
            }
            if let Some(x) = want.reset {
                assert_eq!(got.probation_reset, Some(x as u64), "{}: reset", spec.dir);
            }
            if let Some(x) = want.adjusted {
                assert_eq!(got.reset_adjusted, Some(x as u64), "{}: adjusted", spec.dir);
            }
        }
    }
}

/// Every case-derived figure recorded from the five reports (`[[inspections.figures]]`) is shown
/// by the fixture's data as printed: the same rounded percentage, the same count and denominator,
/// inside the bounds of a verbal figure. Figures the case record cannot give are listed with their
/// reason; the test prints how many were recorded, asserted and listed.
#[test]
fn every_case_derived_figure_is_reproduced() {
    let fw = builtin();
    let (mut recorded, mut asserted, mut failures, mut unsupported) = (0, 0, vec![], vec![]);
    for spec in published().inspections {
        let dir = repo().join("tests/fixtures").join(&spec.dir);
        let (inspection, _) =
            fsio::load(&dir, None).unwrap_or_else(|e| panic!("{}: {e}", spec.dir));
        let ratings = rate(fw, &inspection);
        for f in &spec.figures {
            recorded += 1;
            let at = format!("{} l.{} '{}'", spec.dir, f.line, f.printed);
            let instrument = f
                .instrument
                .clone()
                .unwrap_or_else(|| fw.primary_instrument().id.clone());
            let (numerator, denominator) = match f.measure {
                Measure::Unsupported => {
                    unsupported.push(format!("{at}: {}", f.note.as_deref().unwrap_or("")));
                    continue;
                }
                Measure::Answer => {
                    let question = f
                        .question
                        .as_deref()
                        .expect("an answer figure names its question");
                    let c = count(fw, &inspection, question, &f.subgroup())
                        .unwrap_or_else(|| panic!("{at}: {question} is not in the framework"));
                    (if f.counts_no() { c.no } else { c.yes }, c.relevant())
                }
                Measure::Cases => {
                    let within = f.within.clone().unwrap_or_default();
                    let mut both = within.clone();
                    both.0.extend(f.subgroup().0);
                    (
                        cases_in(fw, &inspection, &instrument, &both),
                        cases_in(fw, &inspection, &instrument, &within),
                    )
                }
                Measure::Comparison => {
                    let (better, worse) = (
                        f.subgroup(),
                        f.versus.clone().expect("a comparison names versus"),
                    );
                    let share = |g, q: &str| {
                        let c = count(fw, &inspection, q, g).expect("key question");
                        (c.yes, c.relevant())
                    };
                    asserted += 1;
                    for kq in spec
                        .key_questions
                        .iter()
                        .filter(|k| f.question.as_ref().is_none_or(|q| *q == k.id))
                    {
                        let ((yb, rb), (yw, rw)) = (share(&better, &kq.id), share(&worse, &kq.id));
                        // yb/rb > yw/rw, in whole numbers.
                        if rb == 0 || rw == 0 || yb * rw <= yw * rb {
                            failures.push(format!(
                                "{at}: {}: {yb} of {rb} ({better}) is not above {yw} of {rw} ({worse})",
                                kq.id
                            ));
                        }
                    }
                    continue;
                }
                Measure::Oversight => {
                    let o = ratings
                        .oversight
                        .iter()
                        .find(|o| o.instrument == instrument)
                        .unwrap_or_else(|| panic!("{at}: no oversight on {instrument}"));
                    let part = match f.oversight.as_deref() {
                        Some("sufficient") => o.sufficient,
                        _ => o.shortfall,
                    };
                    let whole = match f.over.as_deref() {
                        Some("needed") => o.needed,
                        _ => o.judged,
                    };
                    (part, whole)
                }
            };
            asserted += 1;
            if let Err(why) = f.check(numerator, denominator) {
                failures.push(format!("{at}: {why}"));
            }
        }
    }
    println!(
        "{recorded} case-derived figures recorded; {asserted} asserted; {} listed as not \
         reproducible by the case record:",
        unsupported.len()
    );
    for u in &unsupported {
        println!("  {u}");
    }
    assert!(recorded >= 190, "only {recorded} figures recorded");
    assert!(
        failures.is_empty(),
        "{} figures not reproduced:\n{}",
        failures.len(),
        failures.join("\n")
    );
}

/// Each recorded figure's printed words are on its recorded line of the report text (or the
/// next, where a conversion wrapped it). Needs ../shared/seeds; skipped, with a message, where
/// it is absent.
#[test]
fn recorded_figures_are_where_the_reports_print_them() {
    let Some(seeds) = report_texts() else {
        return;
    };
    let mut missing = vec![];
    for spec in published().inspections {
        let text = std::fs::read_to_string(seeds.join(&spec.seed)).expect("report text");
        let lines: Vec<String> = text.lines().map(normalise).collect();
        for f in &spec.figures {
            let want = normalise(&f.printed);
            let at = f.line as usize;
            let near = lines
                .get(at.saturating_sub(2)..(at + 1).min(lines.len()))
                .unwrap_or_default()
                .join(" ");
            if !near.contains(&want) {
                missing.push(format!("{} l.{}: '{}'", spec.dir, f.line, f.printed));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "not found on their lines:\n{}",
        missing.join("\n")
    );
}

/// The committed fixtures are exactly what the documented generator produces.
#[test]
fn fixtures_regenerate_byte_for_byte() {
    let out = tempfile::tempdir().expect("temp dir");
    let dirs = generate_all(builtin(), &published()).expect("generate");
    assert_eq!(dirs.len(), 5);
    for (dir, files) in &dirs {
        casework_cli::fsio::write_files(&out.path().join(dir), files).expect("write");
    }
    let mut compared = 0;
    for entry in walk(out.path()) {
        let rel = entry.strip_prefix(out.path()).expect("under out");
        let committed = repo().join("tests/fixtures").join(rel);
        let want = std::fs::read(&committed)
            .unwrap_or_else(|_| panic!("{} is generated but not committed", rel.display()));
        assert!(
            std::fs::read(&entry).expect("read") == want,
            "{} differs from the generator's output; run `cargo xtask gen-fixtures`",
            rel.display()
        );
        compared += 1;
    }
    assert!(compared > 10, "only {compared} files compared");
}

fn walk(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read dir") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            out.extend(walk(&path));
        } else {
            out.push(path);
        }
    }
    out
}

/// Cross-checks published.toml against the reports themselves: each key question's text (verbatim
/// in the framework) is found in the report with the recorded percentage after it. Needs the report
/// texts in ../shared/seeds; skipped, with a message, where they are absent.
#[test]
fn published_figures_match_the_report_texts() {
    let Some(seeds) = report_texts() else {
        return;
    };
    let fw = builtin();
    for spec in published().inspections {
        let text = std::fs::read_to_string(seeds.join(&spec.seed))
            .unwrap_or_else(|e| panic!("{}: {e}", spec.seed));
        let flat = normalise(&text);
        let score = format!(
            "{}/{}",
            spec.score,
            if spec.kind == "pdu" { 21 } else { 24 }
        );
        assert!(
            flat.contains(&score),
            "{}: score {score} not in the report",
            spec.seed
        );
        for kq in &spec.key_questions {
            let (_, q) = fw.question(&kq.id).expect("framework question");
            let needle = normalise(&q.text);
            let at = flat
                .find(&needle)
                .unwrap_or_else(|| panic!("{}: key question {} text not found", spec.seed, kq.id));
            let after = &flat[at + needle.len()..];
            let percent = first_percent(after)
                .unwrap_or_else(|| panic!("{}: no percentage after {}", spec.seed, kq.id));
            assert_eq!(
                percent, kq.percent,
                "{}: {} in the report text",
                spec.seed, kq.id
            );
        }
    }
}

/// The report texts (`../shared/seeds`), or `None` after saying the test is skipped without them.
fn report_texts() -> Option<PathBuf> {
    let seeds = repo().join("../shared/seeds");
    if !seeds.is_dir() {
        eprintln!(
            "SKIPPED: {} not found; the report texts are needed to cross-check published.toml",
            seeds.display()
        );
        return None;
    }
    Some(seeds)
}

/// Lower case, markup and runs of whitespace removed, so layout differences between the reports'
/// conversions do not matter.
fn normalise(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for ch in s.chars() {
        let ch = match ch {
            '*' | '|' | '\u{a0}' => ' ',
            '\u{2019}' => '\'',
            c => c,
        };
        if ch.is_whitespace() {
            space = true;
            continue;
        }
        if space && !out.is_empty() {
            out.push(' ');
        }
        space = false;
        out.extend(ch.to_lowercase());
    }
    out
}

fn first_percent(s: &str) -> Option<u32> {
    let idx = s.find('%')?;
    let digits: String = s[..idx]
        .chars()
        .rev()
        .take_while(|c| c.is_ascii_digit())
        .collect::<Vec<_>>()
        .into_iter()
        .rev()
        .collect();
    if idx > 200 {
        return None;
    }
    digits.parse().ok()
}
