//! The report acceptance tests: for each of the five seed fixtures, `casework report` writes HTML,
//! PDF, XLSX and CSV whose figures are the published ones, each checked where a reader finds it:
//! the HTML parsed (ratings panel, key-question tables, the lowest in bold), the PDF's text as
//! pdftotext extracts it, the workbook as calamine and openpyxl read it. Also: narrative figures
//! filled in by name, unknown names located, markup in the narrative rendered inert, and lint.
//!
//! pdftotext (poppler-utils) and openpyxl are installed by .ci/run. Where they are missing the
//! checks that need them say SKIPPED, unless CASEWORK_REQUIRE_TOOLS is set (as CI sets it).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use calamine::{Data, Reader, Xlsx, open_workbook};
use casework_testkit::published::{Published, PublishedInspection};

use crate::repo;
use casework_core::framework::builtin;
use casework_synth::figures::Measure;
use scraper::{ElementRef, Html, Selector};

fn published() -> Published {
    casework_testkit::published::load()
}

fn casework(args: &[&str], cwd: &Path) -> Output {
    Command::new(crate::bin())
        .args(args)
        .current_dir(cwd)
        .output()
        .expect("run casework")
}

fn label(rating_id: &str) -> String {
    builtin()
        .rating(rating_id)
        .unwrap_or_else(|| panic!("rating {rating_id}"))
        .label
        .clone()
}

pub(crate) fn tool_missing(what: &str) -> bool {
    if std::env::var_os("CASEWORK_REQUIRE_TOOLS").is_some() {
        panic!("{what} is required (CASEWORK_REQUIRE_TOOLS is set) but is not installed");
    }
    eprintln!("SKIPPED: {what} is not installed (.ci/run installs it)");
    true
}

/// Writes all four outputs of one fixture into `out`.
fn report(dir: &Path, out: &Path) {
    let o = out.display().to_string();
    let result = casework(
        &[
            "report",
            &dir.display().to_string(),
            "--html",
            &o,
            "--pdf",
            &format!("{o}/report.pdf"),
            "--xlsx",
            &format!("{o}/data.xlsx"),
            "--csv",
            &format!("{o}/data"),
        ],
        out,
    );
    assert!(
        result.status.success(),
        "{}: {}",
        dir.display(),
        String::from_utf8_lossy(&result.stderr)
    );
}

fn select<'a>(doc: &'a Html, css: &str) -> Vec<ElementRef<'a>> {
    let selector = Selector::parse(css).unwrap_or_else(|e| panic!("{css}: {e:?}"));
    doc.select(&selector).collect()
}

fn text(e: &ElementRef) -> String {
    e.text().collect::<String>().trim().to_string()
}

fn one_text(doc: &Html, css: &str) -> String {
    let found = select(doc, css);
    assert_eq!(found.len(), 1, "exactly one '{css}'");
    text(&found[0])
}

fn check_html(spec: &PublishedInspection, html: &str) {
    let doc = Html::parse_document(html);
    let max = if spec.kind == "pdu" { 21 } else { 24 };
    let d = &spec.dir;
    assert_eq!(
        one_text(&doc, "#panel-score td"),
        format!("{}/{max}", spec.score),
        "{d}: score"
    );
    assert_eq!(
        one_text(&doc, "#panel-overall .rating"),
        label(&spec.overall),
        "{d}: overall"
    );
    assert_eq!(one_text(&doc, "h1"), spec.unit, "{d}: unit");
    for (code, rating) in &spec.ratings {
        let row = format!("#panel-{} .rating", code.replace('.', "-"));
        assert_eq!(one_text(&doc, &row), label(rating), "{d}: panel {code}");
        let section = format!("section#standard-{} > p .rating", code.replace('.', "-"));
        assert_eq!(
            one_text(&doc, &section),
            label(rating),
            "{d}: section {code}"
        );
    }
    for kq in &spec.key_questions {
        let row = format!(
            "table.key-questions[data-standard=\"{}\"] tr[data-key-question=\"{}\"]",
            kq.standard, kq.id
        );
        let cell = format!("{row} td.percent");
        assert_eq!(
            one_text(&doc, &cell),
            format!("{}%", kq.percent),
            "{d}: {}",
            kq.id
        );
        // The lowest key question of its standard, and only that one, is in bold.
        let lowest = spec
            .key_questions
            .iter()
            .filter(|k| k.standard == kq.standard)
            .map(|k| k.percent)
            .min()
            .expect("a key question");
        let bold = !select(&doc, &format!("{row} td.percent strong")).is_empty();
        if kq.percent > lowest {
            assert!(!bold, "{d}: {} is not the lowest but is bold", kq.id);
        }
        if bold {
            assert_eq!(kq.percent, lowest, "{d}: {} bold", kq.id);
        }
    }
    for code in spec.key_questions.iter().map(|k| &k.standard) {
        let bold = select(
            &doc,
            &format!("table.key-questions[data-standard=\"{code}\"] td.percent strong"),
        );
        assert_eq!(
            bold.len(),
            1,
            "{d}: {code} has one lowest key question in bold"
        );
        let sentence = select(
            &doc,
            &format!("section#standard-{} p.sentence", code.replace('.', "-")),
        );
        assert_eq!(sentence.len(), 1, "{d}: {code} rating sentence");
        let chart = select(
            &doc,
            &format!("section#standard-{} figure svg", code.replace('.', "-")),
        );
        assert_eq!(chart.len(), 1, "{d}: {code} chart");
    }
    for (instrument, sample) in &spec.sample {
        let label = &builtin().instrument(instrument).expect("instrument").label;
        let cells: Vec<String> = select(&doc, &format!("tr[data-instrument=\"{label}\"] td"))
            .iter()
            .map(text)
            .collect();
        assert_eq!(
            cells[0],
            sample.cases.to_string(),
            "{d}: {instrument} cases"
        );
        if let Some(community) = sample.community {
            assert_eq!(
                cells[1],
                community.to_string(),
                "{d}: {instrument} community"
            );
        }
    }
    // Fieldwork as the published report prints it ("Fieldwork started June 2024": a month, never an
    // invented day), where the report text is here to say.
    if let Ok(text) = std::fs::read_to_string(repo().join("../shared/seeds").join(&spec.seed)) {
        let after = text
            .split("Fieldwork started ")
            .nth(1)
            .expect("the report says when fieldwork started");
        let month = after.split_whitespace().next().expect("a month");
        let year: String = after[month.len()..].trim_start().chars().take(4).collect();
        let printed = format!("Fieldwork started {month} {year}");
        let page: String = doc.root_element().text().collect();
        assert!(
            page.contains(&printed),
            "{d}: '{printed}' not in the report"
        );
    }
    // Every prompt figure the report prints as "X out of Y" is printed beneath its table so.
    let fw = builtin();
    for f in &spec.figures {
        let (Some(question), Some(count), Some(of)) = (&f.question, f.count, f.of) else {
            continue;
        };
        let is_prompt = fw
            .question(question)
            .is_some_and(|(_, q)| q.parent.is_some());
        if f.measure != Measure::Answer || f.subgroup.is_some() || f.counts_no() || !is_prompt {
            continue;
        }
        assert_eq!(
            one_text(&doc, &format!("dd[data-prompt=\"{question}\"]")),
            format!("{count} out of {of} relevant cases"),
            "{d}: l.{} {question}",
            f.line
        );
    }
    // Where cases record a declared attribute, the key questions are broken down by it.
    if spec.dir == "leicester-leicestershire-rutland" {
        let row: Vec<String> = select(&doc, "table.breakdown tr[data-key-question=\"P2.1.3\"] td")
            .iter()
            .map(text)
            .collect();
        assert!(
            row.contains(&"16 out of 43 (37%)".to_string()),
            "{d}: {row:?}"
        );
        assert!(row.contains(&"4 out of 18".to_string()), "{d}: {row:?}");
    }
    assert!(select(&doc, "script").is_empty(), "{d}: no script elements");
}

pub(crate) fn pdftotext(pdf: &Path, pages: Option<(u32, u32)>) -> Option<String> {
    let mut cmd = Command::new("pdftotext");
    cmd.arg("-layout");
    if let Some((first, last)) = pages {
        cmd.args(["-f", &first.to_string(), "-l", &last.to_string()]);
    }
    let out = cmd.arg(pdf).arg("-").output().ok()?;
    assert!(
        out.status.success(),
        "pdftotext failed on {}",
        pdf.display()
    );
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

fn check_pdf(spec: &PublishedInspection, pdf: &Path) -> bool {
    let Some(page_one) = pdftotext(pdf, Some((1, 1))) else {
        return tool_missing("pdftotext (poppler-utils)");
    };
    let d = &spec.dir;
    let max = if spec.kind == "pdu" { 21 } else { 24 };
    let fw = builtin();
    // Page one is the ratings panel: the score, the overall rating, and each standard on one line
    // with its rating.
    assert!(page_one.contains(&spec.unit), "{d}: unit on page one");
    let line_with = |needle: &str| -> String {
        page_one
            .lines()
            .find(|l| l.contains(needle))
            .unwrap_or_else(|| panic!("{d}: page one has no line with '{needle}':\n{page_one}"))
            .to_string()
    };
    assert!(
        line_with("Score").contains(&format!("{}/{max}", spec.score)),
        "{d}: score"
    );
    assert!(
        line_with("Overall rating").contains(&label(&spec.overall)),
        "{d}: overall"
    );
    for (code, rating) in &spec.ratings {
        let name = &fw.standard(code).expect("standard").name;
        assert!(
            line_with(&format!("{code} {name}")).contains(&label(rating)),
            "{d}: {code} on page one"
        );
    }
    // Each standard's chapter holds its key questions' percentages.
    let all = pdftotext(pdf, None).expect("pdftotext ran once");
    let body = &all[all.find("Contents").expect("a contents page")..];
    for code in spec.ratings.keys() {
        let name = &fw.standard(code).expect("standard").name;
        let heading = format!("{code} {name}");
        // The contents lists the heading first; the chapter has it again.
        let start = body.match_indices(&heading).nth(1).map(|(i, _)| i);
        let Some(start) = start else {
            panic!("{d}: no chapter heading '{heading}'");
        };
        let rest = &body[start + heading.len()..];
        let end = spec
            .ratings
            .keys()
            .filter_map(|c| {
                let n = &fw.standard(c).expect("standard").name;
                rest.find(&format!("{c} {n}"))
            })
            .chain(rest.find("Annexe: data"))
            .min()
            .unwrap_or(rest.len());
        let chapter = &rest[..end];
        for kq in spec.key_questions.iter().filter(|k| &k.standard == code) {
            assert!(
                chapter.contains(&format!("{}%", kq.percent)),
                "{d}: {} {}% in the {code} chapter",
                kq.id,
                kq.percent
            );
        }
    }
    true
}

fn cell_f64(range: &calamine::Range<Data>, row: usize, col: usize) -> f64 {
    match range.get((row, col)) {
        Some(Data::Float(f)) => *f,
        Some(Data::Int(i)) => *i as f64,
        other => panic!("cell ({row}, {col}) is not a number: {other:?}"),
    }
}

fn cell_text(range: &calamine::Range<Data>, row: usize, col: usize) -> String {
    range
        .get((row, col))
        .map(|c| c.to_string())
        .unwrap_or_default()
}

fn check_workbook_calamine(spec: &PublishedInspection, file: &Path) {
    let d = &spec.dir;
    let mut book: Xlsx<_> = open_workbook(file).expect("open workbook");
    let inspection = book
        .worksheet_range("Inspection")
        .expect("Inspection sheet");
    let row_of = |range: &calamine::Range<Data>, col: usize, key: &str| -> usize {
        (0..range.height())
            .find(|r| cell_text(range, *r, col) == key)
            .unwrap_or_else(|| panic!("{d}: no row '{key}'"))
    };
    let score_row = row_of(&inspection, 0, "Score");
    assert_eq!(cell_f64(&inspection, score_row, 1), f64::from(spec.score));
    let ratings = book.worksheet_range("Ratings").expect("Ratings sheet");
    for (code, rating) in &spec.ratings {
        let r = row_of(&ratings, 0, code);
        assert_eq!(cell_text(&ratings, r, 4), label(rating), "{d}: {code}");
    }
    if !spec.sample.values().all(|s| s.attributes.is_empty()) {
        let range = book
            .worksheet_range("Breakdowns")
            .unwrap_or_else(|e| panic!("{d}: a Breakdowns sheet: {e}"));
        assert!(range.height() > 1, "{d}: breakdown rows");
    }
    let fw = builtin();
    for kq in &spec.key_questions {
        let name = &fw.standard(&kq.standard).expect("standard").name;
        let _ = name;
        let sheet = book
            .sheet_names()
            .into_iter()
            .find(|n| n.starts_with(&format!("{} ", kq.standard)))
            .unwrap_or_else(|| panic!("{d}: no sheet for {}", kq.standard));
        let range = book
            .worksheet_range(&sheet)
            .unwrap_or_else(|e| panic!("{d}: sheet {sheet}: {e}"));
        let r = row_of(&range, 1, &kq.id);
        assert_eq!(cell_f64(&range, r, 3), kq.yes as f64, "{d}: {} yes", kq.id);
        assert_eq!(
            cell_f64(&range, r, 6),
            kq.relevant as f64,
            "{d}: {} relevant",
            kq.id
        );
        assert!(
            (cell_f64(&range, r, 7) - f64::from(kq.percent) / 100.0).abs() < 1e-9,
            "{d}: {} % yes",
            kq.id
        );
    }
}

fn check_workbook_openpyxl(spec: &PublishedInspection, file: &Path) -> bool {
    let script = repo().join("scripts/dump_workbook.py");
    let python = std::env::var("CASEWORK_PYTHON").unwrap_or_else(|_| "python3".into());
    let out = Command::new(&python).arg(&script).arg(file).output();
    let out = match out {
        Ok(o) if o.status.success() => o,
        Ok(o) if String::from_utf8_lossy(&o.stderr).contains("No module named 'openpyxl'") => {
            return tool_missing("openpyxl (pip)");
        }
        Ok(o) => panic!(
            "{}: {}",
            script.display(),
            String::from_utf8_lossy(&o.stderr)
        ),
        Err(_) => return tool_missing("python3"),
    };
    let book: serde_json::Value = serde_json::from_slice(&out.stdout).expect("JSON from openpyxl");
    let d = &spec.dir;
    for kq in &spec.key_questions {
        let sheet = book
            .as_object()
            .expect("sheets")
            .iter()
            .find(|(n, _)| n.starts_with(&format!("{} ", kq.standard)))
            .map(|(_, s)| s)
            .unwrap_or_else(|| panic!("{d}: no sheet for {}", kq.standard));
        assert_eq!(sheet["freeze"], "A2", "{d}: header row frozen");
        let rows = sheet["rows"].as_array().expect("rows");
        let row = rows
            .iter()
            .find(|r| r[1]["value"] == kq.id.as_str())
            .unwrap_or_else(|| panic!("{d}: {} row", kq.id));
        assert_eq!(
            row[3]["value"].as_f64(),
            Some(kq.yes as f64),
            "{d}: {} yes",
            kq.id
        );
        assert_eq!(row[6]["value"].as_f64(), Some(kq.relevant as f64));
        let pct = row[7]["value"].as_f64().expect("% yes is a number");
        assert!(
            (pct - f64::from(kq.percent) / 100.0).abs() < 1e-9,
            "{d}: {} %",
            kq.id
        );
        assert_eq!(
            row[7]["format"], "0%",
            "{d}: {} formatted as a percentage",
            kq.id
        );
    }
    true
}

#[test]
fn every_seed_report_carries_the_published_figures_in_html_pdf_and_workbook() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let (mut pdf_checked, mut openpyxl_checked) = (0, 0);
    for spec in published().inspections {
        let out = tmp.path().join(&spec.dir);
        std::fs::create_dir_all(&out).expect("out dir");
        report(&repo().join("tests/fixtures").join(&spec.dir), &out);
        let html = std::fs::read_to_string(out.join("report.html")).expect("report.html");
        check_html(&spec, &html);
        if check_pdf(&spec, &out.join("report.pdf")) {
            pdf_checked += 1;
        }
        check_workbook_calamine(&spec, &out.join("data.xlsx"));
        if check_workbook_openpyxl(&spec, &out.join("data.xlsx")) {
            openpyxl_checked += 1;
        }
        let csv = std::fs::read_to_string(out.join("data/ratings.csv")).expect("ratings.csv");
        for (code, rating) in &spec.ratings {
            assert!(
                csv.lines()
                    .any(|l| l.starts_with(&format!("{code},")) && l.contains(&label(rating))),
                "{}: ratings.csv {code}",
                spec.dir
            );
        }
    }
    eprintln!("checked PDFs: {pdf_checked}/5; workbooks with openpyxl: {openpyxl_checked}/5");
}

/// A copy of the Derby City fixture with a narrative.
fn derby_with_narrative(tmp: &Path, files: &[(&str, &str)]) -> PathBuf {
    let src = repo().join("tests/fixtures/derby-city");
    let dir = tmp.join("derby-city");
    std::fs::create_dir_all(dir.join("narrative")).expect("mkdir");
    for entry in std::fs::read_dir(&src).expect("fixture") {
        let path = entry.expect("entry").path();
        if path.is_file() {
            std::fs::copy(&path, dir.join(path.file_name().expect("name"))).expect("copy");
        }
    }
    for (name, text) in files {
        std::fs::write(dir.join("narrative").join(name), text).expect("write narrative");
    }
    dir
}

#[test]
fn narrative_figures_are_filled_in_and_markup_is_inert() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = derby_with_narrative(
        tmp.path(),
        &[
            (
                "P2.1.md",
                "## Strengths\n\n- Keeping others safe was assessed well in {{P2.1.keeping-safe}} of cases.\n\
                 - Domestic abuse information was used in {{prompt.da-info-used}} relevant cases.\n\n\
                 <script>alert('x')</script> and <b onclick=\"steal()\">bold</b>\n",
            ),
            (
                "background.md",
                "We inspected {{cases.community}} community orders.\n",
            ),
            ("executive-summary.md", "In short: {{overall}}.\n"),
            ("acknowledgements.md", "Our thanks to the PDU's staff.\n"),
            (
                "P2.1-strengths.md",
                "- Diversity asked about in {{prompt.diversity-asked}} cases.\n",
            ),
            ("P2.1-improvements.md", "- Risk to children.\n"),
            (
                "previous-recommendations.toml",
                "[[recommendation]]\ntext = \"Improve <i>risk</i> assessment\"\nprogress = \"some-progress\"\nimprovement_still_required = \"yes\"\ncommentary = \"Now {{P2.1.3}}.\"\n",
            ),
        ],
    );
    let out = tmp.path().join("out");
    std::fs::create_dir_all(&out).expect("out");
    let run = casework(
        &[
            "report",
            &dir.display().to_string(),
            "--html",
            "--pdf",
            "--out",
            &out.display().to_string(),
        ],
        tmp.path(),
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stderr)
    );
    let html = std::fs::read_to_string(out.join("report.html")).expect("html");
    let doc = Html::parse_document(&html);
    assert!(
        select(&doc, "script").is_empty(),
        "a <script> in the narrative became an element"
    );
    assert!(
        select(&doc, "b").is_empty(),
        "a <b> in the narrative became an element"
    );
    assert!(
        !html.contains("onclick=\""),
        "an attribute in the narrative became markup"
    );
    let standard = one_text(&doc, "section#standard-P2-1");
    assert!(
        standard.contains("<script>alert('x')</script>"),
        "the text is shown as typed"
    );
    assert!(
        standard.contains("assessed well in 35% of cases"),
        "{standard}"
    );
    let (inspection, fw) = casework_cli::fsio::load(&dir, None).expect("load");
    let ratings = casework_core::rate(fw, &inspection);
    let prompt = ratings.prompt("da-info-used").expect("prompt");
    assert!(standard.contains(&format!(
        "used in {} out of {} relevant",
        prompt.yes, prompt.relevant
    )));
    assert!(one_text(&doc, "section#background").contains("We inspected 18 community orders."));
    assert!(
        one_text(&doc, "section#executive-summary").contains("In short: Requires improvement.")
    );
    assert!(one_text(&doc, "section#acknowledgements").contains("Our thanks"));
    let strengths = one_text(&doc, "section#standard-P2-1 section#P2-1-strengths");
    assert!(
        strengths.starts_with("Strengths") && strengths.contains("in 27 out of 34 cases"),
        "{strengths}"
    );
    assert!(
        one_text(&doc, "section#standard-P2-1 section#P2-1-improvements")
            .starts_with("Areas for improvement")
    );
    // The methodology annexe, every number from the sample and the framework.
    let methodology = one_text(&doc, "section#methodology");
    for part in [
        ": 34 (18 community orders and 16 licences; 9 under Probation Reset, 5 of them on the adjusted standards)",
        "within 8 weeks",
        "Outstanding 80% or more",
        "out of 21",
    ] {
        assert!(methodology.contains(part), "{part}: {methodology}");
    }
    // The previous recommendations in the published reports' column order.
    let headers: Vec<String> = select(&doc, "table.previous thead th")
        .iter()
        .map(text)
        .collect();
    assert_eq!(
        headers,
        [
            "Previous recommendation",
            "Action taken and impact",
            "Categorisation",
            "Improvement still required?"
        ]
    );
    let previous = one_text(&doc, "table.previous tbody");
    assert!(
        previous.contains("Improve <i>risk</i> assessment") && previous.contains("Some progress")
    );
    assert!(previous.contains("Now 35%."));
    if let Some(text) = pdftotext(&out.join("report.pdf"), None) {
        assert!(
            text.contains("<script>alert('x')</script>"),
            "the PDF shows the text as typed"
        );
        assert!(text.contains("35% of cases"));
    } else {
        tool_missing("pdftotext (poppler-utils)");
    }
}

#[test]
fn an_unknown_figure_is_an_error_at_its_file_line_and_column() {
    let tmp = tempfile::tempdir().expect("tempdir");
    let dir = derby_with_narrative(
        tmp.path(),
        &[("P2.2.md", "Fine.\n\nIt was {{P2.2.keeping-saef}} here.\n")],
    );
    let run = casework(
        &["report", &dir.display().to_string(), "--html"],
        tmp.path(),
    );
    assert_eq!(run.status.code(), Some(1));
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("narrative/P2.2.md, line 3, column 8: unknown figure 'P2.2.keeping-saef'"),
        "{err}"
    );
    assert!(
        err.contains("P2.2.keeping-safe"),
        "suggests the near names: {err}"
    );
    assert!(
        !tmp.path().join("reports").exists(),
        "nothing is written on error"
    );

    let dir = derby_with_narrative(&tmp.path().join("other"), &[("P9.9.md", "text\n")]);
    let run = casework(&["report", &dir.display().to_string()], tmp.path());
    assert_eq!(run.status.code(), Some(1));
    // Refused as the inspection is read, before any report is made.
    let err = String::from_utf8_lossy(&run.stderr);
    assert!(
        err.contains("narrative/P9.9.md: 'P9.9.md' is not a narrative file of a pdu inspection"),
        "{err}"
    );
}

#[test]
fn lint_finds_typed_numbers() {
    let tmp = tempfile::tempdir().expect("tempdir");
    // A percentage that is no figure of Derby City's.
    let (inspection, fw) =
        casework_cli::fsio::load(&repo().join("tests/fixtures/derby-city"), None).expect("load");
    let figures = casework_report::Figures::of(&casework_core::rate(fw, &inspection));
    let stray = (0..=100u32)
        .find(|p| !figures.iter().any(|(_, f)| f.text == format!("{p}%")))
        .expect("some percentage is not a figure");
    let dir = derby_with_narrative(
        tmp.path(),
        &[(
            "P2.1.md",
            &format!(
                "Only 35% were safe.\nIn 2024, {stray:>2}% did X; see P2.1 and {{{{P2.1.3}}}}.\n"
            ),
        )],
    );
    let run = casework(&["report", "lint", &dir.display().to_string()], tmp.path());
    assert_eq!(run.status.code(), Some(1));
    let out = String::from_utf8_lossy(&run.stdout);
    assert!(
        out.contains("P2.1.md:1:6: '35%' is typed by hand: write {{P2.1.3}}"),
        "{out}"
    );
    assert!(
        out.contains(&format!(
            "P2.1.md:2:{}: '{stray}%' matches no figure",
            if stray < 10 { 11 } else { 10 }
        )),
        "{out}"
    );
    assert_eq!(
        out.lines().count(),
        2,
        "the year, the id and the placeholder are not flagged: {out}"
    );

    let clean = derby_with_narrative(tmp.path(), &[("P2.1.md", "Safe in {{P2.1.3}}.\n")]);
    let run = casework(
        &["report", "lint", &clean.display().to_string()],
        tmp.path(),
    );
    assert!(
        run.status.success(),
        "{}",
        String::from_utf8_lossy(&run.stdout)
    );
}
