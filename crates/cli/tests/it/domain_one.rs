//! Domain one's evidence against the five reference reports (issue 17): every domain-one figure
//! of `tests/fixtures/domain-one.toml` is made into the files a service would hand over (a
//! survey tool's per-respondent export and its mapping, an interviews table, a measures table),
//! read by Casework's readers, named by the report's figures, and rendered; each rendering must
//! show the numbers the report printed, in its form (a percentage, "N out of M", a value). With
//! the report texts present (`../shared/seeds`), each printed figure must also be on its line.

use std::collections::BTreeMap;

use casework_core::domain_one::{self as evidence, Evidence, Rows, SurveyMapping};
use casework_core::framework::builtin;
use casework_report::domain_one::add_figures;
use casework_report::figures::Figures;
use casework_synth::domain_one::{QuestionTarget, interviews_table, survey_export};
use casework_testkit::published::{DomainOneInspection, EvidenceFigure, domain_one};

use crate::ok;

/// `survey.staff.vision.agree` → ("staff", "vision").
fn survey_parts(name: &str) -> Option<(&str, &str)> {
    let rest = name.strip_prefix("survey.")?;
    let (survey, rest) = rest.split_once('.')?;
    let (question, _) = rest.rsplit_once('.')?;
    Some((survey, question))
}

/// The evidence files for one report's figures, read back through Casework's readers.
fn evidence_of(spec: &DomainOneInspection) -> Evidence {
    let mut out = Evidence::default();
    // Surveys: per survey, its respondents and each question's agreeing and answered counts.
    let mut surveys: BTreeMap<&str, (u64, Vec<QuestionTarget>)> = BTreeMap::new();
    // Interviews: per role, the people met; per topic, positive of discussed.
    let mut people: BTreeMap<String, u64> = BTreeMap::new();
    let mut topics = Vec::new();
    let mut measures = String::from("id,label,group,value,unit,date,source,standard\n");
    for f in &spec.figures {
        match f.kind.as_str() {
            "survey" => {
                let (survey, question) = survey_parts(&f.name).expect("survey.<s>.<q>.<what>");
                let (count, of) = (f.count.expect("count"), f.of.expect("of"));
                let entry = surveys.entry(survey).or_default();
                entry.0 = entry.0.max(of);
                // A question printed both as a count and as a percentage is one question.
                match entry.1.iter().find(|q| q.id == question) {
                    Some(q) => assert_eq!((q.agree, q.answered), (count, of), "{}", f.name),
                    None => entry.1.push(QuestionTarget {
                        id: question.into(),
                        standard: Some(f.standard.clone()),
                        agree: count,
                        answered: of,
                    }),
                }
            }
            "interview" => {
                let parts: Vec<&str> = f.name.split('.').collect();
                let (role, topic) = (parts[1].to_string(), parts[2].to_string());
                topics.push((role, topic, f.count.expect("count"), f.of.expect("of")));
            }
            "people" => {
                let value = f.value.expect("value") as u64;
                if let Some((survey, _)) = f
                    .name
                    .strip_prefix("survey.")
                    .and_then(|r| r.split_once('.'))
                {
                    let entry = surveys.entry(survey).or_default();
                    entry.0 = entry.0.max(value);
                } else {
                    let role = f.name.split('.').nth(1).expect("interview.<role>.people");
                    people.insert(role.to_string(), value);
                }
            }
            "measure" => {
                let (group, id) = f.name.split_once('.').expect("<group>.<id>");
                let value = f.value.expect("value");
                let value = if value.fract() == 0.0 {
                    format!("{}", value as u64)
                } else {
                    value.to_string()
                };
                measures.push_str(&format!(
                    "{id},{id},{group},{value},{},2024-06,the service,{}\n",
                    f.unit.as_deref().expect("unit"),
                    f.standard
                ));
            }
            other => panic!("{}: {}: unknown kind {other}", spec.dir, f.name),
        }
    }
    for (k, (survey, (respondents, questions))) in surveys.iter().enumerate() {
        let (csv, mapping) = survey_export(survey, *respondents, questions, k as u64 + 17);
        let mapping = SurveyMapping::from_toml(&mapping, "survey.toml").expect("mapping");
        let rows = Rows::from_csv(&csv, "survey.csv").expect("csv");
        out.surveys
            .push(evidence::survey::read(&mapping, rows).expect("survey reads"));
    }
    let interviews = interviews_table(&people, &topics);
    out.interviews =
        evidence::interview::read(Rows::from_csv(&interviews, "interviews.csv").expect("csv"))
            .expect("interviews read");
    out.measures = evidence::measure::read(Rows::from_csv(&measures, "measures.csv").expect("csv"))
        .unwrap_or_else(|e| panic!("{}: measures: {e}", spec.dir));
    out
}

/// The numbers in a figure as printed or rendered, in order: digits ("1,053", "1.4") and number
/// words ("Twenty-eight", "three") alike, as text without separators.
fn numbers(text: &str) -> Vec<String> {
    text.split(|c: char| c.is_whitespace() || c == '%')
        .filter(|t| !t.is_empty())
        .filter_map(|t| {
            if t.starts_with(|c: char| c.is_ascii_digit()) {
                Some(t.replace(',', ""))
            } else {
                casework_core::number_words::parse(t).map(|n| n.to_string())
            }
        })
        .collect()
}

fn check(spec: &DomainOneInspection, figures: &Figures, f: &EvidenceFigure) {
    let shown = figures
        .get(&f.name)
        .unwrap_or_else(|| panic!("{}: no figure named {}", spec.dir, f.name));
    assert_eq!(
        numbers(&shown.text),
        numbers(&f.printed),
        "{}: {} shows {:?}, the report printed {:?} (line {})",
        spec.dir,
        f.name,
        shown.text,
        f.printed,
        f.line
    );
    let form_ok = match f.form.as_str() {
        "percent" => shown.text.ends_with('%'),
        "count" => shown.text.contains(" out of "),
        _ => !shown.text.contains(" out of "),
    };
    assert!(
        form_ok,
        "{}: {} shows {:?}, not as a {}",
        spec.dir, f.name, shown.text, f.form
    );
}

#[test]
fn every_domain_one_figure_of_the_five_reports_renders_by_name_as_printed() {
    let fixture = domain_one();
    assert_eq!(fixture.inspections.len(), 5);
    let settings = builtin().evidence;
    let mut checked = 0;
    for spec in &fixture.inspections {
        let evidence = evidence_of(spec);
        let mut figures = Figures::default();
        add_figures(&mut figures, &evidence, &settings);
        for f in &spec.figures {
            check(spec, &figures, f);
            checked += 1;
        }
    }
    assert!(checked >= 130, "{checked} figures");
}

#[test]
fn each_domain_one_figure_is_printed_on_its_line_of_the_report() {
    let seeds = casework_testkit::paths::seeds();
    if !seeds.is_dir() {
        eprintln!(
            "SKIPPED: {} not found; the report texts are needed to cross-check domain-one.toml",
            seeds.display()
        );
        return;
    }
    for spec in domain_one().inspections {
        let text = std::fs::read_to_string(seeds.join(&spec.seed)).expect("seed");
        let lines: Vec<&str> = text.lines().collect();
        for f in &spec.figures {
            let line = lines.get(f.line - 1).copied().unwrap_or("");
            assert!(
                line.contains(&f.printed),
                "{}: {} ({:?}) is not on line {}",
                spec.dir,
                f.name,
                f.printed,
                f.line
            );
        }
    }
}

#[test]
fn numbers_reads_digits_and_words() {
    assert_eq!(numbers("Twenty-eight per cent"), ["28"]);
    assert_eq!(numbers("1,053"), ["1053"]);
    assert_eq!(numbers("Fifteen out of 20"), ["15", "20"]);
    assert_eq!(numbers("1.4%"), ["1.4"]);
    assert_eq!(numbers("three"), ["3"]);
}

#[test]
fn a_recorded_staff_survey_is_named_in_the_narrative_and_printed_in_the_pdf() {
    let tmp = tempfile::tempdir().expect("tmp");
    let dir = crate::domain_one_files::derby_city_in(tmp.path(), "narrative");
    std::fs::write(
        dir.join("narrative/P1.2.md"),
        "Of the staff who answered, {{survey.staff.workload-manageable.agree}} found their workload manageable ({{survey.staff.workload-manageable.percent}}).\n",
    )
    .expect("narrative");
    let db = tmp.path().join("c.db").display().to_string();
    ok(&[
        "import",
        &dir.display().to_string(),
        "--id",
        "derby",
        "--db",
        &db,
    ]);

    let evidence = casework_testkit::paths::fixtures().join("evidence");
    let export = evidence.join("staff-survey.csv").display().to_string();
    let mapping = evidence.join("staff-survey.toml").display().to_string();
    // Recorded by "lead", printed as `format`.
    let record = |format: &str| {
        ok(&[
            "evidence",
            "survey",
            &export,
            "--mapping",
            &mapping,
            "--into",
            "derby",
            "--db",
            &db,
            "--by",
            "lead",
            "--format",
            format,
        ])
    };
    let printed = record("table");
    assert!(
        printed.contains("recorded with derby (version 1)"),
        "{printed}"
    );
    // What the figure must show, from Casework's own reading of the committed export.
    let rows =
        Rows::from_csv(&std::fs::read_to_string(&export).expect("export"), "x.csv").expect("csv");
    let read = SurveyMapping::from_toml(&std::fs::read_to_string(&mapping).expect("m"), "m")
        .expect("mapping");
    let survey = evidence::survey::read(&read, rows).expect("reads");
    assert_eq!((survey.respondents, survey.questions.len()), (40, 12));
    let q = survey
        .questions
        .iter()
        .find(|q| q.id == "workload-manageable")
        .expect("question");
    let agree = format!("{} out of {}", q.agree, q.answered);
    assert!(printed.contains(&agree), "{printed}");

    // Recorded again: version 2, and the audit log says who.
    let again = record("json");
    let json: serde_json::Value = serde_json::from_str(&again).expect("json");
    assert_eq!(json["figures"]["survey.staff.respondents"], "40");
    let shown = ok(&["evidence", "show", "derby", "--db", &db]);
    assert!(
        shown.contains("survey staff: staff-survey.csv (version 2, lead at"),
        "{shown}"
    );
    let history = ok(&["evidence", "history", "derby", "--db", &db]);
    assert!(
        history.contains("survey staff: staff-survey.csv (version 1, lead at"),
        "the version replaced is kept: {history}"
    );
    let audit = ok(&["audit", "log", "--db", &db]);
    assert!(audit.contains("record-domain-one-evidence"), "{audit}");
    assert!(
        !audit.contains("R0001"),
        "no respondent id in the audit log"
    );

    // The documents submitted and the key questions' judged ratings, beside the survey.
    for kind in ["documents", "ratings"] {
        let file = evidence.join(format!("{kind}.csv")).display().to_string();
        ok(&[
            "evidence", kind, &file, "--into", "derby", "--db", &db, "--by", "lead",
        ]);
    }
    let shown = ok(&["evidence", "show", "derby", "--db", &db]);
    for line in [
        "documents: documents.csv (version 1, lead at",
        "ratings: ratings.csv (version 1, lead at",
        "document: Workforce plan and vacancy tracker (2024-06-30), filed against P1.2.1",
        "P1.2.1  Requires improvement: Vacancies among probation officers",
        "survey.staff.workload-manageable.agree",
    ] {
        assert!(shown.contains(line), "{line}: {shown}");
    }

    let pdf = tmp.path().join("report.pdf");
    ok(&[
        "report",
        "derby",
        "--db",
        &db,
        "--pdf",
        &pdf.display().to_string(),
    ]);
    let Some(text) = crate::report::pdftotext(&pdf, None) else {
        crate::report::tool_missing("pdftotext (poppler-utils)");
        return;
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    let percent = casework_core::framework::printed_percent(q.agree, q.answered);
    assert!(
        text.contains(&format!(
            "{agree} found their workload manageable ({percent}%)"
        )),
        "the PDF's narrative states the survey figure"
    );
}

#[test]
fn a_bad_survey_export_is_refused_where_it_goes_wrong_and_nothing_is_recorded() {
    let tmp = tempfile::tempdir().expect("tmp");
    let db = tmp.path().join("c.db").display().to_string();
    ok(&[
        "import",
        &crate::fixture("derby-city"),
        "--id",
        "derby",
        "--db",
        &db,
    ]);
    let evidence = casework_testkit::paths::fixtures().join("evidence");
    let mapping = evidence.join("staff-survey.toml").display().to_string();
    let text = std::fs::read_to_string(evidence.join("staff-survey.csv")).expect("export");
    let bad = tmp.path().join("bad.csv");
    // Line 5 answers off the scale.
    let broken: Vec<String> = text
        .lines()
        .enumerate()
        .map(|(i, l)| {
            if i == 4 {
                l.replacen("Agree", "Agreed", 1)
                    .replacen("Disagree", "Agreed", 1)
            } else {
                l.to_string()
            }
        })
        .collect();
    std::fs::write(&bad, broken.join("\n")).expect("write");
    let run = crate::casework(&[
        "evidence",
        "survey",
        &bad.display().to_string(),
        "--mapping",
        &mapping,
        "--into",
        "derby",
        "--db",
        &db,
    ]);
    assert_eq!(run.status.code(), Some(1));
    let err = crate::stderr(&run);
    assert!(
        err.contains("bad.csv") && err.contains("line 5") && err.contains("'Agreed'"),
        "{err}"
    );
    let shown = ok(&["evidence", "show", "derby", "--db", &db]);
    assert!(!shown.contains("survey staff"), "nothing recorded: {shown}");

    // Evidence filed against a standard the framework does not judge.
    let measures = tmp.path().join("measures.csv");
    std::fs::write(
        &measures,
        "id,label,group,value,unit,date,source,standard\na,A,staffing,1,count,2024-06,HR,P9.9\n",
    )
    .expect("write");
    let run = crate::casework(&["evidence", "measures", &measures.display().to_string()]);
    assert_eq!(run.status.code(), Some(1));
    let err = crate::stderr(&run);
    assert!(
        err.contains("P9.9") && err.contains("neither a judged standard"),
        "{err}"
    );
    // No database there: refused, and none is made.
    let nowhere = tmp.path().join("nowhere.db").display().to_string();
    let run = crate::casework(&["evidence", "show", "derby", "--db", &nowhere]);
    assert_eq!(run.status.code(), Some(1));
    assert!(!std::path::Path::new(&nowhere).exists());
}

#[test]
fn the_committed_staff_survey_is_the_generators_byte_for_byte() {
    use casework_synth::domain_one::{STAFF_SURVEY_SEED, staff_survey};
    let (export, mapping) = staff_survey(STAFF_SURVEY_SEED);
    let dir = casework_testkit::paths::fixtures().join("evidence");
    let committed = |name: &str| std::fs::read_to_string(dir.join(name)).expect("committed");
    assert!(
        committed("staff-survey.csv") == export && committed("staff-survey.toml") == mapping,
        "tests/fixtures/evidence differs from the generator's output; run `cargo xtask gen-fixtures`"
    );
}
