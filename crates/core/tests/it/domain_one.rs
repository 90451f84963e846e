//! Domain one's evidence readers (issue 17): a survey export aggregated through its mapping, the
//! interviews and measures tables; and every bad input the issue names refused with its file,
//! line and column, nothing returned.

use casework_core::domain_one::{self as evidence, Rows, SurveyMapping, shows_percent};
use casework_core::framework::builtin;
use casework_core::input::{ErrorKind, InputError};

const MAPPING: &str = r#"
survey = "staff"
respondent = "Respondent ID"
[scales.agreement]
values = ["Disagree", "Neither", "Agree"]
agree = ["Agree"]
[[questions]]
id = "vision"
column = "Q1"
scale = "agreement"
standard = "P1.1"
[[questions]]
id = "workload"
column = "Q2"
scale = "agreement"
"#;

fn survey(csv: &str) -> Result<evidence::SurveyAggregate, InputError> {
    let mapping = SurveyMapping::from_toml(MAPPING, "staff.toml").expect("mapping");
    evidence::survey::read(&mapping, Rows::from_csv(csv, "staff.csv")?)
}

#[test]
fn a_survey_is_counted_per_question_blank_answers_left_out() {
    let got = survey(
        "Respondent ID,Q1,Q2,Comments\n\
         R1,Agree,Disagree,free text never kept\n\
         R2, agree ,,\n\
         R3,Neither,Agree,\n",
    )
    .expect("reads");
    assert_eq!(got.survey, "staff");
    assert_eq!(got.respondents, 3);
    let vision = &got.questions[0];
    assert_eq!((vision.agree, vision.answered), (2, 3));
    assert_eq!(vision.standard.as_deref(), Some("P1.1"));
    let workload = &got.questions[1];
    assert_eq!((workload.agree, workload.answered), (1, 2));
    assert_eq!(
        workload.counts,
        vec![
            ("Disagree".to_string(), 1),
            ("Neither".to_string(), 0),
            ("Agree".to_string(), 1)
        ]
    );
    let kept = serde_json::to_string(&got).expect("json");
    assert!(
        !kept.contains("free text") && !kept.contains("R1"),
        "{kept}"
    );
}

fn located(err: InputError, kind: ErrorKind, line: u64, column: &str) {
    assert_eq!(err.kind, kind, "{err}");
    assert_eq!(err.line, Some(line), "{err}");
    assert_eq!(err.column.as_deref(), Some(column), "{err}");
}

#[test]
fn bad_survey_exports_are_refused_where_they_go_wrong() {
    let outside =
        survey("Respondent ID,Q1,Q2\nR1,Agree,\nR2,Strongly agree,\n").expect_err("scale");
    located(outside, ErrorKind::BadValue, 3, "Q1");
    let twice = survey("Respondent ID,Q1,Q2\nR1,Agree,\nR2,,\nR1,Agree,\n").expect_err("twice");
    assert!(twice.to_string().contains("line 2"), "{twice}");
    located(twice, ErrorKind::DuplicateCase, 4, "Respondent ID");
    let missing = survey("Respondent ID,Q1\nR1,Agree\n").expect_err("no Q2");
    located(missing, ErrorKind::MissingColumn, 1, "Q2");
    let blank = survey("Respondent ID,Q1,Q2\n,Agree,\n").expect_err("blank id");
    located(blank, ErrorKind::BadValue, 2, "Respondent ID");
    assert!(survey("Respondent ID,Q1,Q2\n").is_err(), "no respondent");
}

#[test]
fn a_mapping_must_hang_together() {
    for (bad, says) in [
        (
            MAPPING.replace("agree = [\"Agree\"]", "agree = [\"Yes\"]"),
            "'Yes'",
        ),
        (
            MAPPING.replace("id = \"workload\"", "id = \"vision\""),
            "unique",
        ),
        (
            format!(
                "{}other\"\n",
                MAPPING
                    .trim_end()
                    .strip_suffix("agreement\"")
                    .expect("ends so")
            ),
            "other",
        ),
        (
            MAPPING.replace("survey = \"staff\"", "survey = \"Staff Survey\""),
            "kebab-case",
        ),
        (format!("{MAPPING}\nextra = 1\n"), "extra"),
    ] {
        let err = SurveyMapping::from_toml(&bad, "staff.toml").expect_err(says);
        assert!(err.to_string().contains(says), "{err}");
        assert_eq!(err.file, "staff.toml");
    }
}

const MEASURES: &str = "id,label,group,value,unit,date,source,standard\n";

fn measures(rows: &str) -> Result<Vec<evidence::Measure>, InputError> {
    evidence::measure::read(Rows::from_csv(
        &format!("{MEASURES}{rows}"),
        "measures.csv",
    )?)
}

#[test]
fn measures_keep_their_value_unit_date_and_source() {
    let got = measures(
        "po-vacancy-rate,PO vacancy rate,staffing,12.5,percent,2024-06-30,HR data,P1.2\n\
         upw-hours,UPW hours outstanding,performance,\"2,345\",hours,06/2024,the service,\n",
    )
    .expect("reads");
    assert_eq!(got[0].value, "12.5");
    assert_eq!(got[0].unit, evidence::Unit::Percent);
    assert_eq!(got[1].value, "2345");
    assert_eq!(got[1].date, "2024-06");
    assert_eq!(got[1].standard, None);
}

#[test]
fn a_measure_without_its_unit_date_or_value_is_refused_where_it_is() {
    let ok = "a,A,staffing,1,count,2024-06,HR,\n";
    for (row, column) in [
        ("b,B,staffing,1,,2024-06,HR,\n", "unit"),
        ("b,B,staffing,1,count,,HR,\n", "date"),
        ("b,B,staffing,,count,2024-06,HR,\n", "value"),
        ("b,B,staffing,1.,count,2024-06,HR,\n", "value"),
        ("b,B,staffing,1,furlongs,2024-06,HR,\n", "unit"),
        ("b,B,staffing,1,count,2024-06,,\n", "source"),
        ("b,B,budget,1,count,2024-06,HR,\n", "group"),
        ("b,B,staffing,1,count,31/02/2024,HR,\n", "date"),
        ("a,A again,staffing,2,count,2024-06,HR,\n", "id"),
    ] {
        let err = measures(&format!("{ok}{row}")).expect_err(row);
        assert_eq!(err.line, Some(3), "{row}: {err}");
        assert_eq!(err.column.as_deref(), Some(column), "{row}: {err}");
    }
}

#[test]
fn interviews_count_people_by_role_and_judgements_by_topic() {
    let csv = "person,role,topic,judgement\n\
               P01,practitioners,workload,negative\n\
               P01,practitioners,supervision,positive\n\
               P02,practitioners,workload,positive\n\
               M01,managers,workload,\n";
    let got = evidence::interview::read(Rows::from_csv(csv, "interviews.csv").expect("csv"))
        .expect("reads");
    let practitioners = got
        .iter()
        .find(|r| r.role == "practitioners")
        .expect("role");
    assert_eq!(practitioners.people, 2);
    let workload = &practitioners
        .topics
        .iter()
        .find(|t| t.topic == "workload")
        .expect("topic");
    assert_eq!(
        (workload.discussed, workload.positive, workload.negative),
        (2, 1, 1)
    );
    let managers = got.iter().find(|r| r.role == "managers").expect("role");
    assert_eq!((managers.people, managers.topics[0].positive), (1, 0));

    for (row, column) in [
        ("P01,managers,vision,positive\n", "role"),
        ("P02,practitioners,workload,positive\n", "topic"),
        ("P03,practitioners,vision,great\n", "judgement"),
        ("Jane Smith,practitioners,vision,\n", "person"),
    ] {
        let err = evidence::interview::read(
            Rows::from_csv(&format!("{csv}{row}"), "interviews.csv").expect("csv"),
        )
        .expect_err(row);
        assert_eq!(
            (err.line, err.column.as_deref()),
            (Some(6), Some(column)),
            "{row}: {err}"
        );
    }
}

#[test]
fn small_numbers_are_counts_below_the_framework_threshold() {
    let settings = builtin().evidence;
    assert_eq!(settings.small_numbers, 5);
    assert!(!shows_percent(&settings, 4));
    assert!(shows_percent(&settings, 5));
    assert!(!shows_percent(&settings, 0));
}

#[test]
fn tables_that_would_lose_or_guess_data_are_refused() {
    // A short row, a quote left open, a header naming a column twice, a header alone.
    let short = measures("a,A,staffing,1,count,2024-06,HR\n").expect_err("short row");
    assert_eq!(short.line, Some(2), "{short}");
    let open = evidence::interview::read(
        Rows::from_csv(
            "person,role,topic,judgement\nP1,practitioners,workload,\"positive\nP2,practitioners,workload,negative\n",
            "i.csv",
        )
        .expect("csv"),
    )
    .expect_err("an open quote swallows the next row");
    assert_eq!(open.file, "i.csv", "{open}");
    let twice = survey("Respondent ID,Q1,Q2,Q1\nR1,Agree,,Disagree\n").expect_err("Q1 twice");
    assert!(twice.to_string().contains("twice"), "{twice}");
    assert_eq!(twice.column.as_deref(), Some("Q1"));
    let header = evidence::measure::read(Rows::from_csv(MEASURES, "m.csv").expect("csv"))
        .expect_err("header alone");
    assert!(header.to_string().contains("lists no measure"), "{header}");
}

#[test]
fn a_quoted_cell_is_cut_and_a_standard_has_a_standards_shape() {
    let long = "x".repeat(1000);
    let err = survey(&format!("Respondent ID,Q1,Q2\nR1,{long},\n")).expect_err("off scale");
    assert!(
        err.to_string().len() < 300,
        "the message quotes 40 characters: {err}"
    );
    assert_eq!(evidence::standard_cell(" P1.2 "), Ok(Some("P1.2".into())));
    assert_eq!(evidence::standard_cell(""), Ok(None));
    for bad in ["p1.1", "<script>", "P1.2; drop", "P12345678901"] {
        assert!(evidence::standard_cell(bad).is_err(), "{bad}");
    }
    let err = measures("a,A,staffing,1,count,2024-06,HR,=HYPERLINK(1)\n").expect_err("formula");
    assert_eq!(err.column.as_deref(), Some("standard"), "{err}");
}

#[test]
fn a_mapping_needs_questions_scales_with_values_and_one_column_each() {
    for (bad, says) in [
        (
            MAPPING.replace("agree = [\"Agree\"]", "agree = []"),
            "needs its values",
        ),
        (
            MAPPING.replace(
                "values = [\"Disagree\", \"Neither\", \"Agree\"]",
                "values = [\"Agree\", \"agree\"]",
            ),
            "twice",
        ),
        (
            MAPPING.replace("column = \"Q2\"", "column = \"Q1\""),
            "both read",
        ),
        (
            MAPPING.replace("standard = \"P1.1\"", "standard = \"p1\""),
            "standard",
        ),
        (
            MAPPING[..MAPPING.find("[[questions]]").expect("questions")]
                .replace("respondent = ", "questions = []\nrespondent = "),
            "no question",
        ),
    ] {
        let err = SurveyMapping::from_toml(&bad, "staff.toml").expect_err(says);
        assert!(err.to_string().contains(says), "{says}: {err}");
    }
}

fn documents(rows: &str) -> Result<Vec<evidence::Document>, InputError> {
    evidence::document::read(Rows::from_csv(
        &format!("title,date,standard,judgement\n{rows}"),
        "documents.csv",
    )?)
}

#[test]
fn documents_keep_what_they_evidence_and_their_judgement() {
    let got = documents(
        "Delivery plan,2024-04,P1.1.1; P1.3.2 ;P1.1.1,Positive\n\
         Minutes,14/05/2024,,\n",
    )
    .expect("reads");
    assert_eq!(got[0].filed, ["P1.1.1", "P1.3.2"], "each once, in order");
    assert_eq!(
        got[0].judgement,
        Some(evidence::interview::Judgement::Positive)
    );
    assert_eq!(got[1].date, "2024-05-14");
    assert!(got[1].filed.is_empty() && got[1].judgement.is_none());
    for (rows, line, column) in [
        ("Plan,2024-04,P1.1,\n,2024-05,P1.1,\n", 3, "title"),
        ("Plan,,P1.1,\n", 2, "date"),
        ("Plan,someday,P1.1,\n", 2, "date"),
        ("Plan,2024-04,P1.1;<b>,\n", 2, "standard"),
        ("Plan,2024-04,P1.1,maybe\n", 2, "judgement"),
    ] {
        located(
            documents(rows).expect_err(rows),
            ErrorKind::BadValue,
            line,
            column,
        );
    }
    let twice = documents("Plan,2024-04,P1.1,\nPlan,2024-04,P1.2,\n").expect_err("twice");
    located(twice, ErrorKind::DuplicateCase, 3, "title");
    assert!(documents("").is_err(), "a table with no document");
}

fn ratings(rows: &str) -> Result<Vec<evidence::KeyQuestionRating>, InputError> {
    evidence::ratings::read(
        builtin(),
        Some("pdu"),
        Rows::from_csv(
            &format!("key_question,rating,rationale\n{rows}"),
            "ratings.csv",
        )?,
    )
}

#[test]
fn key_question_ratings_are_the_frameworks_ratings_of_its_judged_key_questions() {
    let got =
        ratings("P1.2.3,Good,Supervision is regular\nP1.1.1,requires-improvement,Not known\n")
            .expect("reads");
    assert_eq!(
        got.iter()
            .map(|r| (r.key_question.as_str(), r.rating.as_str()))
            .collect::<Vec<_>>(),
        [("P1.1.1", "requires-improvement"), ("P1.2.3", "good")],
        "ratings by id, in framework order"
    );
    for (rows, column) in [
        (
            "P1.2,good,a standard is rated in inspection.toml\n",
            "key_question",
        ),
        ("P2.1.1,good,a case-based key question\n", "key_question"),
        ("P1.2.9,good,not asked\n", "key_question"),
        ("P1.2.1,great,no such rating\n", "rating"),
        ("P1.2.1,good,\n", "rationale"),
        ("P1.2.1,good,\"a\u{7}bell\"\n", "rationale"),
    ] {
        located(
            ratings(rows).expect_err(rows),
            ErrorKind::BadValue,
            2,
            column,
        );
    }
    let twice = ratings("P1.2.1,good,a\nP1.2.1,inadequate,b\n").expect_err("twice");
    located(twice, ErrorKind::DuplicateCase, 3, "key_question");

    // One at a time, as the evidence page saves it: replaced, never doubled.
    let once = evidence::ratings::set(builtin(), None, &got, "P1.2.3", "inadequate", "  Changed  ")
        .expect("set");
    assert_eq!(once.len(), 2);
    assert_eq!(once[1].rating, "inadequate");
    assert_eq!(once[1].rationale, "Changed");
    let added = evidence::ratings::set(builtin(), None, &once, "P1.1.2", "good", "r").expect("set");
    assert_eq!(
        added
            .iter()
            .map(|r| r.key_question.as_str())
            .collect::<Vec<_>>(),
        ["P1.1.1", "P1.1.2", "P1.2.3"]
    );
    assert_eq!(
        evidence::ratings::set(builtin(), None, &once, "P1.2.3", "good", " ").map_err(|(f, _)| f),
        Err("rationale")
    );
}

#[test]
fn evidence_is_filed_against_judged_standards_and_their_key_questions_only() {
    let fw = builtin();
    assert!(
        evidence::check_filed(
            fw,
            None,
            "f.csv",
            &[("a", "P1.2"), ("b", "P1.2.5"), ("c", "R1.1.1")]
        )
        .is_ok()
    );
    for target in ["P2.1", "P2.1.1", "P1.2.6", "R2.4"] {
        let err = evidence::check_filed(fw, None, "f.csv", &[("a", "P1.1"), ("b", target)])
            .expect_err(target);
        assert_eq!(err.kind, ErrorKind::UnknownReference);
        assert!(err.to_string().contains(&format!("'{target}'")), "{err}");
    }
    // In an inspection of one kind, only its own judged standards and their key questions.
    assert!(evidence::judged_here(fw, Some("pdu"), "P1.2.1"));
    for (kind, other) in [
        ("pdu", "R1.2.1"),
        ("pdu", "R1.1"),
        ("region", "P1.2.1"),
        ("region", "P1.3"),
    ] {
        assert!(
            !evidence::judged_here(fw, Some(kind), other),
            "{kind}: {other}"
        );
        let err = evidence::check_filed(fw, Some(kind), "f.csv", &[("a", other)]).expect_err(other);
        assert!(
            !err.problem.contains(&format!(", {other},")),
            "not offered: {err}"
        );
    }
    let err = evidence::ratings::read(
        fw,
        Some("pdu"),
        Rows::from_csv("key_question,rating,rationale\nR1.2.1,good,r\n", "r.csv").expect("csv"),
    )
    .expect_err("a region's key question in a PDU");
    assert_eq!(err.column.as_deref(), Some("key_question"));
}

/// The evidence as kept, read back from an inspection's files (`domain-one.json`): what the raw
/// readers made reads back equal; counts that do not add up, ids out of shape or twice, a value or
/// date not as kept, a rating not as kept, or evidence filed against what is not judged: an error
/// naming the file and the value's JSON path.
#[test]
fn evidence_as_kept_reads_back_and_is_checked_like_the_raw_files() {
    let fw = builtin();
    let kept = evidence::Evidence {
        documents: documents("Plan,2024-04,P1.1.1;P1.3.2,positive\n").expect("documents"),
        key_question_ratings: ratings("P1.2.3,good,Regular supervision\n").expect("ratings"),
        measures: measures(
            "po-vacancy-rate,PO vacancy rate,staffing,12.5,percent,2024-06-30,HR,P1.2.1\n",
        )
        .expect("measures"),
        surveys: vec![
            survey("Respondent ID,Q1,Q2\nR1,Agree,Disagree\nR2,Neither,\nR3,Agree,Agree\n")
                .expect("survey"),
        ],
        interviews: evidence::interview::read(
            Rows::from_csv(
                "person,role,topic,judgement,standard\nP1,practitioners,workload,negative,P1.2.1\n",
                "i.csv",
            )
            .expect("csv"),
        )
        .expect("interviews"),
    };
    let text = evidence::kept::to_json(&kept);
    assert_eq!(
        evidence::kept::parse(fw, Some("pdu"), "domain-one.json", &text),
        Ok(kept.clone())
    );

    let refused = |change: &dyn Fn(&mut serde_json::Value), column: &str| {
        let mut doc: serde_json::Value = serde_json::from_str(&text).expect("json");
        change(&mut doc);
        let err = evidence::kept::parse(fw, Some("pdu"), "domain-one.json", &doc.to_string())
            .expect_err(column);
        assert_eq!(err.file, "domain-one.json");
        assert!(
            err.column.as_deref().unwrap_or("").starts_with(column),
            "{column}: {err}"
        );
    };
    refused(
        &|d| d["surveys"][0]["questions"][0]["agree"] = 99.into(),
        "surveys[0].questions[0]",
    );
    refused(
        &|d| d["surveys"][0]["respondents"] = 1.into(),
        "surveys[0].questions[0]",
    );
    refused(
        &|d| d["surveys"][0]["questions"][0]["counts"][0][1] = 7.into(),
        "surveys[0].questions[0]",
    );
    refused(
        &|d| d["surveys"][0]["survey"] = "Staff Survey".into(),
        "surveys[0].survey",
    );
    refused(
        &|d| {
            let again = d["surveys"][0].clone();
            d["surveys"].as_array_mut().expect("list").push(again);
        },
        "surveys[1].survey",
    );
    refused(
        &|d| d["interviews"][0]["people"] = 0.into(),
        "interviews[0].topics[0]",
    );
    refused(
        &|d| d["measures"][0]["value"] = "1,234".into(),
        "measures[0].value",
    );
    refused(
        &|d| d["measures"][0]["date"] = "30/06/2024".into(),
        "measures[0].date",
    );
    refused(
        &|d| d["documents"][0]["title"] = " ".into(),
        "documents[0].title",
    );
    refused(
        &|d| d["key_question_ratings"][0]["rating"] = "Good".into(),
        "key_question_ratings[0]",
    );
    refused(
        &|d| d["key_question_ratings"][0]["rating"] = "great".into(),
        "key_question_ratings[0].rating",
    );
    refused(
        &|d| d["documents"][0]["filed"][0] = "P2.1".into(),
        "standard",
    );
    let unknown = evidence::kept::parse(fw, Some("pdu"), "domain-one.json", r#"{"answers": []}"#)
        .expect_err("not kept so");
    assert_eq!(unknown.kind, ErrorKind::Syntax);
}

/// What an attacker's session found (issue 17), each a case of a rule: counts as large as a
/// file can hold neither overflow nor pass; every shape kept refuses fields it does not know, at
/// every depth; what the raw readers refuse, the kept form refuses too; a pseudonym or respondent
/// id is one person however its case is typed; only a ratio is negative (a percentage may pass 100: "107 per cent" of target in East Midlands); a ratings table is laid over the ratings kept.
#[test]
fn evidence_holds_at_the_edges_an_attacker_tried() {
    let fw = builtin();
    let pdu = Some("pdu");
    let max = u64::MAX;
    assert_eq!(casework_core::framework::printed_percent(max, max), 100);
    assert_eq!(casework_core::framework::printed_percent(max / 2, max), 50);
    for (json, path) in [
        (
            format!(r#"{{"surveys":[{{"survey":"s","respondents":{max},"questions":[{{"id":"q","standard":"P1.1","answered":{max},"agree":{max},"counts":[["Agree",{max}],["No",1]]}}]}}]}}"#),
            "surveys[0].questions[0]",
        ),
        (
            format!(r#"{{"interviews":[{{"role":"r","people":{max},"topics":[{{"topic":"t","discussed":{max},"positive":{max},"negative":1,"mixed":0}}]}}]}}"#),
            "interviews[0].topics[0]",
        ),
        (
            r#"{"documents":[{"title":"Plan","date":"2024-01","filed":["P1.2.1"],"judgment":"negative"}]}"#.into(),
            "",
        ),
        (
            r#"{"key_question_ratings":[{"key_question":"P1.2.1","rating":"good","rationale":"r","extra":1}]}"#.into(),
            "",
        ),
        (
            r#"{"documents":[{"title":"Plan","date":"2024-01"},{"title":"Plan","date":"2024-01"}]}"#.into(),
            "documents[1].title",
        ),
        (
            r#"{"documents":[{"title":"Plan","date":"2024-01","filed":["P1.1","P1.1"]}]}"#.into(),
            "documents[0].filed[1]",
        ),
        (
            r#"{"surveys":[{"survey":"s","respondents":2,"questions":[{"id":"q","answered":2,"agree":1,"counts":[["A",1],["A",1]]}]}]}"#.into(),
            "surveys[0].questions[0].counts[1]",
        ),
        (
            r#"{"key_question_ratings":[{"key_question":"P1.2.1","rating":"good","rationale":"r"},{"key_question":"P1.1.1","rating":"good","rationale":"r"}]}"#.into(),
            "key_question_ratings[1]",
        ),
        (
            r#"{"measures":[{"id":"m","label":"M","group":"staffing","value":"-250","unit":"percent","date":"2024-06","source":"HR","standard":null}]}"#.into(),
            "measures[0].value",
        ),
        (
            r#"{"key_question_ratings":[{"key_question":"R1.2.1","rating":"good","rationale":"r"}]}"#.into(),
            "key_question_ratings[0].key_question",
        ),
    ] {
        let err = evidence::kept::parse(fw, pdu, "domain-one.json", &json).expect_err(&json);
        assert!(
            err.column.as_deref().unwrap_or("").starts_with(path),
            "{path}: {err}"
        );
    }

    // A scale value is kept as a count's label: one line of text, not blank.
    for value in ["Agree\u{1b}[2J", " ", &"x".repeat(201)] {
        let quoted = serde_json::to_string(value).expect("a TOML basic string");
        let mapping = MAPPING.replace("\"Neither\"", &quoted);
        let err = SurveyMapping::from_toml(&mapping, "m.toml").expect_err(value);
        assert!(err.to_string().contains("scale 'agreement'"), "{err}");
    }
    // One person, one respondent, however typed.
    let twice = evidence::interview::read(
        Rows::from_csv(
            "person,role,topic,judgement\nP01,practitioners,workload,positive\np01,practitioners,workload,negative\n",
            "i.csv",
        )
        .expect("csv"),
    )
    .expect_err("the same person and topic");
    located(twice, ErrorKind::BadValue, 3, "topic");
    let twice = survey("Respondent ID,Q1,Q2\nR1,Agree,\nr1,Agree,\n").expect_err("r1 is R1");
    assert_eq!(twice.line, Some(3));
    // Measures within their unit.
    for (row, ok) in [
        ("a,A,staffing,100,percent,2024-06,HR,", true),
        ("a,A,staffing,100.0,percent,2024-06,HR,", true),
        ("a,A,staffing,107,percent,2024-06,HR,", true),
        ("a,A,staffing,-0.5,percent,2024-06,HR,", false),
        ("a,A,staffing,-1,count,2024-06,HR,", false),
        ("a,A,staffing,-2.5,fte,2024-06,HR,", false),
        ("a,A,performance,-0.4,ratio,2024-06,HR,", true),
    ] {
        let got = measures(&format!("{row}\n"));
        assert_eq!(got.is_ok(), ok, "{row}: {got:?}");
        if let Err(e) = got {
            located(e, ErrorKind::BadValue, 2, "value");
        }
    }
    // A ratings table adds to what is kept.
    let kept = ratings("P1.1.1,good,a\nP1.2.3,good,b\n").expect("kept");
    let given = ratings("P1.2.3,inadequate,c\nP1.2.1,good,d\n").expect("given");
    let merged = evidence::ratings::merge(fw, &kept, given);
    assert_eq!(
        merged
            .iter()
            .map(|r| (r.key_question.as_str(), r.rationale.as_str()))
            .collect::<Vec<_>>(),
        [("P1.1.1", "a"), ("P1.2.1", "d"), ("P1.2.3", "c")]
    );
}
