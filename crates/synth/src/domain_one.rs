//! Domain-one evidence, made up: the model of `tests/fixtures/domain-one.toml` (the five reports'
//! domain-one figures, as facts), and the files a service would hand over that give given
//! aggregates exactly: a survey tool's per-respondent export with its mapping, an interviews
//! table, a measures table. [`staff_survey`] is the demo's staff survey (40 respondents, 12
//! questions), seeded.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use serde::Deserialize;

use crate::generate::Rng;

/// `tests/fixtures/domain-one.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainOne {
    pub inspections: Vec<DomainOneInspection>,
}

/// One report's domain-one figures.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DomainOneInspection {
    pub dir: String,
    pub seed: String,
    pub figures: Vec<EvidenceFigure>,
}

/// One printed figure (the fields are described in the fixture's header).
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EvidenceFigure {
    pub name: String,
    pub kind: String,
    pub standard: String,
    pub line: usize,
    pub printed: String,
    pub form: String,
    pub count: Option<u64>,
    pub of: Option<u64>,
    pub of_rule: Option<String>,
    pub value: Option<f64>,
    pub unit: Option<String>,
}

impl DomainOne {
    /// Parses the fixture; `origin` names it in errors.
    pub fn parse(text: &str, origin: &str) -> Result<DomainOne, String> {
        toml::from_str(text).map_err(|e| format!("{origin}: {e}"))
    }
}

/// One survey question to make: its id, the agreeing answers and the answers in all.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct QuestionTarget {
    pub id: String,
    /// The domain-one standard it evidences, if any.
    pub standard: Option<String>,
    pub agree: u64,
    pub answered: u64,
}

/// The answer scale of made-up surveys.
pub const SCALE: [&str; 5] = [
    "Strongly disagree",
    "Disagree",
    "Neither agree nor disagree",
    "Agree",
    "Strongly agree",
];

/// A per-respondent export (`Respondent ID`, then one column `Q1`.. per question, then a
/// free-text `Comments` column that no mapping reads) and its mapping, for `respondents` people,
/// giving each question exactly its `agree` of `answered` (the rest blank): (CSV, mapping TOML).
/// Panics if a question has more answers than respondents or more agreeing than answers.
pub fn survey_export(
    survey: &str,
    respondents: u64,
    questions: &[QuestionTarget],
    seed: u64,
) -> (String, String) {
    let mut rng = Rng::new(seed);
    let columns: Vec<Vec<&str>> = questions
        .iter()
        .map(|q| {
            assert!(q.agree <= q.answered && q.answered <= respondents, "{q:?}");
            let mut cells: Vec<&str> = (0..respondents)
                .map(|r| {
                    if r < q.agree {
                        SCALE[3 + rng.below(2) as usize]
                    } else if r < q.answered {
                        SCALE[rng.below(3) as usize]
                    } else {
                        ""
                    }
                })
                .collect();
            rng.shuffle(&mut cells);
            cells
        })
        .collect();
    let mut csv = String::from("Respondent ID");
    for k in 0..questions.len() {
        let _ = write!(csv, ",Q{}", k + 1);
    }
    csv.push_str(",Comments\n");
    for r in 0..respondents as usize {
        let _ = write!(csv, "R{:04}", r + 1);
        for column in &columns {
            let _ = write!(csv, ",{}", column[r]);
        }
        // Free text a respondent might write, which no mapping reads.
        let comment = if r % 7 == 3 {
            "\"Synthetic comment, never read\""
        } else {
            ""
        };
        let _ = writeln!(csv, ",{comment}");
    }
    let mut mapping = format!(
        "# Which columns of the survey export hold what Casework reads; the free-text\n\
         # Comments column is named nowhere, so it is never read.\n\
         survey = \"{survey}\"\nrespondent = \"Respondent ID\"\n\n[scales.agreement]\nvalues = {}\nagree = [\"Agree\", \"Strongly agree\"]\n",
        toml_list(&SCALE)
    );
    for (k, q) in questions.iter().enumerate() {
        let _ = write!(
            mapping,
            "\n[[questions]]\nid = \"{}\"\ncolumn = \"Q{}\"\nscale = \"agreement\"\n",
            q.id,
            k + 1
        );
        if let Some(standard) = &q.standard {
            let _ = writeln!(mapping, "standard = \"{standard}\"");
        }
    }
    (csv, mapping)
}

fn toml_list(items: &[&str]) -> String {
    let quoted: Vec<String> = items.iter().map(|i| format!("\"{i}\"")).collect();
    format!("[{}]", quoted.join(", "))
}

/// An interviews table (`person,role,topic,judgement`) in which, per role, `people[role]` people
/// were met (at least as many as any topic needs) and each `(role, topic, positive, discussed)`
/// was discussed with the first `discussed` of them, the first `positive` judging it positive.
pub fn interviews_table(
    people: &BTreeMap<String, u64>,
    topics: &[(String, String, u64, u64)],
) -> String {
    let mut met: BTreeMap<&str, u64> = people.iter().map(|(r, n)| (r.as_str(), *n)).collect();
    for (role, _, _, discussed) in topics {
        let n = met.entry(role).or_default();
        *n = (*n).max(*discussed);
    }
    let mut csv = String::from("person,role,topic,judgement\n");
    for (role, &n) in &met {
        for p in 0..n {
            let mut any = false;
            for (r, topic, positive, discussed) in topics {
                if r == role && p < *discussed {
                    let judgement = if p < *positive {
                        "positive"
                    } else {
                        "negative"
                    };
                    let _ = writeln!(csv, "{role}-{:03},{role},{topic},{judgement}", p + 1);
                    any = true;
                }
            }
            if !any {
                let _ = writeln!(csv, "{role}-{:03},{role},met,", p + 1);
            }
        }
    }
    csv
}

/// The seed of the committed staff survey (`tests/fixtures/evidence/staff-survey.csv`).
pub const STAFF_SURVEY_SEED: u64 = 17;

/// The demo's staff survey: 40 respondents, 12 questions of the 2023 programme's themes
/// (leadership, staffing, services), seeded; (CSV, mapping TOML).
pub fn staff_survey(seed: u64) -> (String, String) {
    const QUESTIONS: [(&str, &str, u64); 12] = [
        ("vision", "P1.1.1", 31),
        ("leaders-visible", "P1.1.2", 27),
        ("voice-heard", "P1.1.4", 22),
        ("workload-manageable", "P1.2.1", 15),
        ("supervision-quality", "P1.2.3", 29),
        ("training-sufficient", "P1.2.4", 26),
        ("wellbeing-attention", "P1.2.5", 24),
        ("diversity-respected", "P1.2.5", 33),
        ("services-range", "P1.3.2", 19),
        ("partners-work-well", "P1.3.3", 21),
        ("tools-support-work", "P1.3", 17),
        ("recommend-workplace", "P1.2", 25),
    ];
    let mut rng = Rng::new(seed);
    let questions: Vec<QuestionTarget> = QUESTIONS
        .iter()
        .map(|&(id, standard, agree)| QuestionTarget {
            id: id.into(),
            standard: Some(standard.into()),
            agree,
            answered: (agree + 3 + rng.below(6)).min(40),
        })
        .collect();
    survey_export("staff", 40, &questions, seed)
}
