//! Published results (issue 18): the programmes as built-in frameworks, every check at its
//! boundary, and the overall bands the results allow.

use casework_core::published::{
    self, PublishedKeyQuestion, PublishedResult, PublishedStandard, Rule, check_all, infer,
};

fn result(
    programme: &str,
    kind: &str,
    score: Option<u32>,
    overall: Option<&str>,
) -> PublishedResult {
    PublishedResult {
        unit: Some(format!(
            "{kind} {}",
            score.map_or("?".into(), |s| s.to_string())
        )),
        kind: Some(kind.into()),
        programme: Some(programme.into()),
        score,
        overall_rating: overall.map(str::to_string),
        ..PublishedResult::default()
    }
}

fn rated(mut r: PublishedResult, ratings: &[(&str, &str)]) -> PublishedResult {
    for (code, rating) in ratings {
        r.standards.push(PublishedStandard {
            code: (*code).into(),
            rating: Some((*rating).into()),
            ..PublishedStandard::default()
        });
    }
    r
}

fn with_percentages(
    mut r: PublishedResult,
    code: &str,
    percents: &[Option<u32>],
) -> PublishedResult {
    let s = r
        .standards
        .iter_mut()
        .find(|s| s.code == code)
        .expect("the standard");
    s.key_questions = percents
        .iter()
        .map(|p| PublishedKeyQuestion {
            text: None,
            percent_yes: *p,
        })
        .collect();
    r
}

fn rules(r: &PublishedResult) -> Vec<Rule> {
    check_all(&published::frameworks(), std::slice::from_ref(r))
        .into_iter()
        .map(|f| f.rule)
        .collect()
}

const DERBY: [(&str, &str); 7] = [
    ("P1.1", "Good"),
    ("P1.2", "Requires improvement"),
    ("P1.3", "Good"),
    ("P2.1", "Inadequate"),
    ("P2.2", "Requires improvement"),
    ("P2.3", "Requires improvement"),
    ("P2.4", "Inadequate"),
];

#[test]
fn the_programmes_are_built_in_with_their_maxima() {
    assert_eq!(
        published::programme::names(),
        ["2018", "2021", "2023", "2025"]
    );
    let max = |programme: &str, kind: &str, codes: &[&str]| {
        let mut r = result(programme, kind, None, None);
        r.standards = codes
            .iter()
            .map(|c| PublishedStandard {
                code: (*c).into(),
                ..PublishedStandard::default()
            })
            .collect();
        published::resolve(&published::frameworks(), &r)
            .expect("resolves")
            .score_max()
    };
    assert_eq!(max("2023", "pdu", &[]), 21);
    assert_eq!(max("2023", "region", &[]), 24);
    assert_eq!(max("2021", "pdu", &[]), 27);
    assert_eq!(max("2018", "crc_or_nps_division", &["3.1"]), 30);
    assert_eq!(max("2018", "crc_or_nps_division", &["4.2"]), 30);
}

#[test]
fn a_figures_only_programme_bands_nothing() {
    let (_, text) = casework_core::framework::BUILTIN
        .iter()
        .find(|(id, _)| *id == "dynamic-2025")
        .expect("built in");
    let fw = casework_core::Framework::from_toml(text, "dynamic-2025").expect("valid");
    assert!(!fw.rates());
    // No ratings, so no bands of either kind and no judged standard.
    let with_bands = text.replace(
        "percentage_bands = []",
        "percentage_bands = [{ rating = \"good\", min = 0, max = 100 }]",
    );
    let e = casework_core::Framework::from_toml(&with_bands, "x").expect_err("refused");
    assert!(e.to_string().contains("percentage_bands"), "{e}");
    let with_overall = text.replacen(
        "\noverall_bands = []",
        "\noverall_bands = [{ rating = \"good\", min = 0, max = 0 }]",
        1,
    );
    let e = casework_core::Framework::from_toml(&with_overall, "x").expect_err("refused");
    assert!(e.to_string().contains("overall_bands"), "{e}");
}

#[test]
fn a_consistent_result_has_no_findings() {
    let r = rated(
        result("2023", "pdu", Some(7), Some("Requires improvement")),
        &DERBY,
    );
    let r = with_percentages(r, "P2.1", &[Some(59), Some(65), Some(35)]);
    assert!(rules(&r).is_empty(), "{:?}", rules(&r));
}

#[test]
fn a_stated_maximum_must_fit_the_kind() {
    let mut r = result("2023", "pdu", Some(2), None);
    r.score_max = Some(25);
    assert_eq!(rules(&r), [Rule::ScoreMax]);
    r.score_max = Some(21);
    assert!(rules(&r).is_empty());
}

#[test]
fn the_score_is_the_sum_of_points_or_within_what_the_known_ones_allow() {
    let r = rated(
        result("2023", "pdu", Some(8), Some("Requires improvement")),
        &DERBY,
    );
    assert_eq!(rules(&r), [Rule::ScoreSum]);
    // Four Inadequate case standards: the score is 0 to 9 whatever domain one says.
    let partial = rated(
        result("2023", "pdu", Some(9), Some("Requires improvement")),
        &[
            ("P2.1", "Inadequate"),
            ("P2.2", "Inadequate"),
            ("P2.3", "Inadequate"),
            ("P2.4", "Inadequate"),
        ],
    );
    assert!(rules(&partial).is_empty());
    let mut over = partial.clone();
    over.score = Some(10);
    assert!(rules(&over).contains(&Rule::ScoreSum));
}

#[test]
fn a_rating_is_its_lowest_key_questions_band_at_each_edge() {
    for (lowest, rating, fits) in [
        (50, "Requires improvement", true),
        (49, "Requires improvement", false),
        (49, "Inadequate", true),
        (64, "Requires improvement", true),
        (65, "Good", true),
        (65, "Requires improvement", false),
        (79, "Good", true),
        (80, "Outstanding", true),
        (80, "Good", false),
    ] {
        let r = rated(result("2023", "pdu", None, None), &[("P2.1", rating)]);
        let r = with_percentages(r, "P2.1", &[Some(90), Some(lowest), Some(95)]);
        assert_eq!(rules(&r).is_empty(), fits, "{lowest}% rated {rating}");
    }
}

#[test]
fn partial_key_questions_bound_the_rating_from_above() {
    let r = rated(
        result("2023", "pdu", None, None),
        &[("P2.1", "Requires improvement")],
    );
    // One known at 70: the rating can be no better than Good; RI is allowed (another may be lower).
    assert!(
        rules(&with_percentages(
            r.clone(),
            "P2.1",
            &[Some(70), None, None]
        ))
        .is_empty()
    );
    let good = rated(
        result("2023", "pdu", None, None),
        &[("P2.1", "Outstanding")],
    );
    assert_eq!(
        rules(&with_percentages(good, "P2.1", &[Some(70), None])),
        [Rule::KeyQuestionBand]
    );
    assert_eq!(
        rules(&with_percentages(
            r,
            "P2.1",
            &[Some(70), Some(70), Some(70), Some(70)]
        )),
        [Rule::KeyQuestionCount]
    );
}

#[test]
fn the_overall_rating_fits_the_score_or_the_scores_possible() {
    // 2023 PDU bands [inferred]: 0-3, 4-10, 11-17, 18-21.
    assert!(rules(&result("2023", "pdu", Some(3), Some("Inadequate"))).is_empty());
    assert_eq!(
        rules(&result("2023", "pdu", Some(4), Some("Inadequate"))),
        [Rule::OverallBand]
    );
    assert!(
        rules(&result(
            "2023",
            "pdu",
            Some(4),
            Some("requires-improvement")
        ))
        .is_empty()
    );
    // Score unknown, four Inadequate case standards: at most 9, so never Good.
    let cases = [
        ("P2.1", "Inadequate"),
        ("P2.2", "Inadequate"),
        ("P2.3", "Inadequate"),
        ("P2.4", "Inadequate"),
    ];
    assert!(
        rules(&rated(
            result("2023", "pdu", None, Some("Requires improvement")),
            &cases
        ))
        .is_empty()
    );
    assert_eq!(
        rules(&rated(result("2023", "pdu", None, Some("Good")), &cases)),
        [Rule::OverallBand]
    );
}

#[test]
fn unknown_programmes_kinds_standards_and_ratings_are_named() {
    assert_eq!(rules(&result("1999", "pdu", None, None)), [Rule::Programme]);
    assert_eq!(
        rules(&result("2023", "crc_or_nps_division", None, None)),
        [Rule::Programme]
    );
    assert_eq!(
        rules(&rated(
            result("2023", "pdu", None, None),
            &[("R2.1", "Good")]
        )),
        [Rule::Standard]
    );
    assert_eq!(
        rules(&rated(
            result("2023", "pdu", None, None),
            &[("P2.1", "Fine")]
        )),
        [Rule::Rating]
    );
    let twice = rated(
        result("2023", "pdu", None, None),
        &[("P2.1", "Good"), ("P2.1", "Good")],
    );
    assert_eq!(rules(&twice), [Rule::Standard]);
    let finding = &check_all(&published::frameworks(), &[twice])[0];
    assert!(
        finding.to_string().starts_with("pdu ? [standard]: P2.1"),
        "{finding}"
    );
}

#[test]
fn the_results_bound_each_band_edge() {
    let results = [
        result("2023", "pdu", Some(3), Some("Inadequate")),
        result("2023", "pdu", Some(3), Some("Inadequate")),
        result("2023", "pdu", Some(7), Some("Requires improvement")),
        result("2023", "region", Some(4), Some("Inadequate")),
        result("2023", "region", Some(5), Some("Requires improvement")),
    ];
    let edges = infer(&published::frameworks(), &results);
    let edge = |programme: &str, kind: &str, above: &str| {
        edges
            .iter()
            .find(|e| e.programme == programme && e.kind == kind && e.above == above)
            .expect("the edge")
            .clone()
    };
    let pdu = edge("2023", "pdu", "Requires improvement");
    assert_eq!((pdu.lowest, pdu.highest), (4, 7));
    assert_eq!(pdu.pinned_from_below, ["pdu 3", "pdu 3"]);
    assert_eq!(pdu.pinned_from_above, ["pdu 7"]);
    assert!(pdu.framework_fits() && !pdu.is_pinned());
    let region = edge("2023", "region", "Requires improvement");
    assert!(region.is_pinned() && region.framework_fits(), "{region:?}");
    // Derby City's 7 rated Requires improvement puts the Good edge above 7; only the order of
    // the edges bounds it from above (below the Outstanding edge, at most 21).
    let good = edge("2023", "pdu", "Good");
    assert_eq!((good.lowest, good.highest), (8, 20));
    // A result the framework's bands contradict shows as an edge it does not fit.
    let odd = [result("2023", "pdu", Some(5), Some("Inadequate"))];
    let first = infer(&published::frameworks(), &odd)
        .into_iter()
        .find(|e| e.programme == "2023" && e.kind == "pdu" && e.above == "Requires improvement")
        .expect("the edge");
    assert_eq!(first.lowest, 6);
    assert!(!first.framework_fits());
}

#[test]
fn a_partial_result_bounds_an_edge_through_its_possible_scores() {
    // Four Inadequate case standards (score 0-9) rated Requires improvement overall: the
    // Requires improvement edge is at most 9 (the "domain one lifted it" reading).
    let cases = [
        ("P2.1", "Inadequate"),
        ("P2.2", "Inadequate"),
        ("P2.3", "Inadequate"),
        ("P2.4", "Inadequate"),
    ];
    let r = rated(
        result("2023", "pdu", None, Some("Requires improvement")),
        &cases,
    );
    let edge = infer(&published::frameworks(), &[r])
        .into_iter()
        .find(|e| e.programme == "2023" && e.kind == "pdu" && e.above == "Requires improvement")
        .expect("the edge");
    assert_eq!((edge.lowest, edge.highest), (1, 9));
}
