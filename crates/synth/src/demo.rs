//! The demo: a fictional region with three fictional PDUs and plausible synthetic cases on every
//! instrument, and a short narrative, so a new user can see the whole flow. `casework demo` writes
//! it as inspection directories ([`files`]); `casework serve` loads it into an empty database
//! ([`region`]).

use std::collections::BTreeMap;
use std::path::PathBuf;

use casework_core::Inspection;
use casework_core::framework::Framework;
use casework_core::input::write::inspection_files;

use crate::Files;
use crate::generate::{self as synth, Mix, SynthError, generate};

/// Fictional PDUs: (directory, unit name, cases, community share in per cent).
const PDUS: &[(&str, &str, usize, usize)] = &[
    ("ashvale", "Ashvale PDU (fictional)", 48, 62),
    ("brackenford", "Brackenford PDU (fictional)", 64, 66),
    ("corriemoor", "Corriemoor PDU (fictional)", 41, 58),
];

pub const REGION: &str = "Northmarch Region (fictional)";

/// Where the region's directory sits among the demo's files.
pub const REGION_DIR: &str = "region";

/// The demo region, its PDU inspections loaded in it (as a directory of [`files`] loads).
pub fn region(fw: &Framework) -> Result<Inspection, SynthError> {
    let mut pdus = Vec::new();
    let mut unit_paths = Vec::new();
    for (i, (slug, unit, cases, community_pct)) in PDUS.iter().enumerate() {
        let judged = [
            ("P1.1", ["good", "requires-improvement", "good"][i]),
            ("P1.2", "requires-improvement"),
            ("P1.3", ["good", "good", "requires-improvement"][i]),
        ];
        let sm = fw
            .instrument("sentence-management")
            .expect("built-in instrument");
        let mix = Mix {
            cases: *cases,
            community: cases * community_pct / 100,
            reset: cases / 6,
            adjusted: cases / 12,
            oversight: Some((cases * 11 / 20, cases * 9 / 10)),
            attributes: demo_attributes(*cases),
            shares: Default::default(),
            id_prefix: format!("{}-SM", slug[..3].to_uppercase()),
        };
        let mut inspection = Inspection {
            region: Some(REGION.into()),
            fieldwork_start: Some(format!("2026-0{}-0{}", 2 + i, 2 + i)),
            fieldwork_end: Some(format!("2026-0{}-1{}", 2 + i, 3 + i)),
            ..synth::inspection(fw, "pdu", *unit, &judged)
        };
        inspection
            .cases
            .push(generate(fw, sm, &mix, &BTreeMap::new(), 1000 + i as u64)?);
        for (inst_id, share) in [("court-report", 2), ("resettlement", 3)] {
            let inst = fw.instrument(inst_id).expect("built-in instrument");
            let n = cases / share;
            let mix = Mix {
                cases: n,
                id_prefix: format!(
                    "{}-{}",
                    slug[..3].to_uppercase(),
                    &inst_id[..2].to_uppercase()
                ),
                ..Default::default()
            };
            inspection.cases.push(generate(
                fw,
                inst,
                &mix,
                &BTreeMap::new(),
                2000 + i as u64 * 7 + share as u64,
            )?);
        }
        pdus.push(inspection);
        unit_paths.push(format!("../{slug}"));
    }

    let mut region = Inspection {
        fieldwork_start: Some("2026-02-02".into()),
        fieldwork_end: Some("2026-05-15".into()),
        ..synth::inspection(
            fw,
            "region",
            REGION,
            &[
                ("R1.1", "requires-improvement"),
                ("R1.2", "requires-improvement"),
            ],
        )
    };
    for (inst_id, n, seed) in [("unpaid-work", 24, 31), ("victim-contact", 18, 37)] {
        let inst = fw.instrument(inst_id).expect("built-in instrument");
        let mix = Mix {
            cases: n,
            oversight: Some((n / 3, n)),
            attributes: Vec::new(),
            shares: Default::default(),
            id_prefix: format!("NM-{}", &inst_id[..2].to_uppercase()),
            ..Default::default()
        };
        region
            .cases
            .push(generate(fw, inst, &mix, &BTreeMap::new(), seed)?);
    }
    region.units = pdus;
    region.unit_paths = unit_paths;
    Ok(region)
}

/// The demo as files: each PDU's directory, the region's beside them (`region/`) with its
/// narrative, and a README.
pub fn files(fw: &Framework) -> Result<Files, SynthError> {
    let region = region(fw)?;
    let mut files = Files::new();
    for (unit, path) in region.units.iter().zip(&region.unit_paths) {
        let dir = path.trim_start_matches("../");
        files.extend(
            inspection_files(fw, unit, vec![])
                .into_iter()
                .map(|(p, text)| (PathBuf::from(dir).join(p), text)),
        );
    }
    let units = Inspection {
        units: Vec::new(),
        ..region.clone()
    };
    files.extend(
        inspection_files(fw, &units, region.unit_paths.clone())
            .into_iter()
            .map(|(p, text)| (PathBuf::from(REGION_DIR).join(p), text)),
    );
    for (name, text) in NARRATIVE {
        files.push((
            PathBuf::from(REGION_DIR).join("narrative").join(name),
            text.to_string(),
        ));
    }
    files.push((
        PathBuf::from("README.txt"),
        "Casework demo data. Every region, PDU, case and answer here is fictional and generated.\n\
         Rate the region:    casework rate region\n\
         Rate one PDU:       casework rate ashvale\n\
         Write its report:   casework report region\n\
         Check its text:     casework report lint region\n"
            .to_string(),
    ));
    Ok(files)
}

/// A short fictional narrative for the demo region, its figures embedded by name.
const NARRATIVE: &[(&str, &str)] = &[
    (
        "foreword.md",
        "This is a **fictional** inspection, generated to show what Casework produces. \
         {{unit}} scored {{score-out-of}}, an overall rating of *{{overall}}*.\n\n\
         Every figure in this text is written as a placeholder naming it, \
         so it is always the figure the data gives.\n",
    ),
    (
        "recommendations.md",
        "{{unit}} should:\n\n\
         1. improve how risk of harm is assessed, sufficient in {{P2.1.3}} of cases\n\
         2. make sure management oversight is sufficient where it is needed\n",
    ),
    (
        "background.md",
        "We inspected {{cases.sentence-management}} community orders and licences \
         ({{cases.community}} community orders, {{cases.licence}} licences), \
         {{cases.court-report}} court reports and {{cases.resettlement}} resettlement cases.\n",
    ),
    (
        "executive-summary.md",
        "Assessment, planning and reviewing were rated on {{cases.sentence-management}} cases; \
         management oversight fell short in {{oversight.sentence-management.shortfall-percent}} \
         of the cases that needed it.\n",
    ),
    (
        "R2.1-strengths.md",
        "- Planning focused on keeping other people safe in {{P2.2.3}} of cases.\n",
    ),
    (
        "R2.1-improvements.md",
        "- Reviewing kept other people safe in only {{P2.4.3.out-of}} relevant cases.\n",
    ),
    (
        "acknowledgements.md",
        "This fictional inspection thanks no one: its people do not exist.\n",
    ),
];

/// Practitioner grade and risk of serious harm for a demo PDU's cases, in plausible shares, so
/// the demo shows breakdowns (`casework rate DIR --by grade`, the ratings page).
fn demo_attributes(cases: usize) -> Vec<(String, Vec<(String, usize)>)> {
    let share = |parts: &[(&str, usize)]| -> Vec<(String, usize)> {
        parts
            .iter()
            .map(|(value, percent)| (value.to_string(), cases * percent / 100))
            .collect()
    };
    vec![
        (
            "grade".into(),
            share(&[("po", 50), ("pso", 35), ("pqip", 15)]),
        ),
        (
            "rosh".into(),
            share(&[("low", 15), ("medium", 55), ("high", 25), ("very-high", 5)]),
        ),
    ]
}
