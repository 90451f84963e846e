//! `cargo xtask bench-agreement`: agreement statistics for a QA sample of `cases` double-marked
//! cases × `questions` questions (issue 19: 10,000 × 54), every question's percent agreement,
//! Cohen's kappa, Gwet's AC1 and Krippendorff's alpha with their standard errors and intervals,
//! (`compare_all`, questions in parallel) plus inspector consistency as the QA page computes it
//! (`qa_analysis::consistency`: eight inspectors' shares of Yes per key question placed on the
//! funnel, over the same cases as first marked, in the built-in primary instrument); against the
//! Python peers
//! (`irrCAC`, `krippendorff`) on the same Yes/No tables, timed inside Python around the
//! computation only. Reports the ratio, never asserts: a benchmark, not a test.

use std::io::Write;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use casework_core::Answer;
use casework_core::double_marking::compare_all;
use casework_core::framework::builtin;
use casework_core::funnel::Position;
use casework_core::qa_analysis::consistency;
use casework_core::{CaseRecord, CaseSet, Framework, Inspection};
use clap::Args;

#[derive(Debug, Clone, Args)]
pub struct BenchAgreementArgs {
    /// Double-marked cases.
    #[arg(long, default_value_t = 10_000)]
    pub cases: usize,
    /// Questions per case.
    #[arg(long, default_value_t = 54)]
    pub questions: usize,
    /// Runs of ours; the median is reported (the peers run once: they take seconds).
    #[arg(long, default_value_t = 7)]
    pub runs: usize,
}

/// Seeded answers: (first marker, second marker) per case, per question; agreement about 90%,
/// one answer in ten not applicable.
fn marks(cases: usize, questions: usize) -> Vec<Vec<(Answer, Answer)>> {
    let mut state: u64 = 0x5eed;
    let mut next = move || {
        state = state
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (state >> 33) % 100
    };
    let pick = |r: u64| match r {
        0..10 => Answer::NotApplicable,
        10..65 => Answer::Yes,
        _ => Answer::No,
    };
    (0..questions)
        .map(|_| {
            (0..cases)
                .map(|_| {
                    let first = pick(next());
                    let second = if next() < 90 { first } else { pick(next()) };
                    (first, second)
                })
                .collect()
        })
        .collect()
}

const PEER: &str = r#"
import json, sys, time, warnings
import numpy as np, pandas as pd, krippendorff
from irrCAC.raw import CAC
warnings.simplefilter("ignore")
tables = json.load(sys.stdin)
frames = [pd.DataFrame(np.array(t, dtype=float), columns=["a", "b"]) for t in tables]
start = time.perf_counter()
for frame in frames:
    cac = CAC(frame, categories=[0.0, 1.0])
    cac.gwet(); cac.conger(); cac.krippendorff()
    krippendorff.alpha(reliability_data=frame.to_numpy().T, level_of_measurement="nominal")
print(time.perf_counter() - start)
"#;

/// The first markings as an inspection of the built-in framework's primary instrument: case i
/// answers question q as `data[q][i].0` (questions past the data's left unanswered).
fn first_marked(fw: &Framework, data: &[Vec<(Answer, Answer)>]) -> Inspection {
    let inst = fw
        .instruments
        .iter()
        .find(|i| i.primary)
        .unwrap_or(&fw.instruments[0]);
    let cases = data.first().map_or(0, Vec::len);
    let mut set = CaseSet::with_capacity(inst, cases);
    let mut row = vec![Answer::Unanswered; inst.questions.len()];
    for i in 0..cases {
        for (q, answer) in row.iter_mut().enumerate() {
            *answer = data.get(q).map_or(Answer::Unanswered, |pairs| pairs[i].0);
        }
        set.push(
            CaseRecord {
                id: format!("C{i}"),
                ..CaseRecord::default()
            },
            &row,
        );
    }
    Inspection {
        unit: "Bench".into(),
        cases: vec![set],
        ..Inspection::default()
    }
}

pub fn run(args: &BenchAgreementArgs) -> Result<()> {
    let data = marks(args.cases, args.questions);
    let fw = builtin();
    let inspection = first_marked(fw, &data);
    // Eight inspectors, each an eighth of the cases.
    let inspector_of = |_: &str, _: &str, case: &str| {
        let i: usize = case[1..].parse().unwrap_or(0);
        Some(format!("inspector-{}", i % 8))
    };
    let mut times: Vec<Duration> = Vec::with_capacity(args.runs);
    let mut flagged = 0;
    for _ in 0..args.runs.max(1) {
        let start = Instant::now();
        std::hint::black_box(compare_all(&data));
        let funnels = consistency(fw, &inspection, &inspector_of);
        flagged = funnels
            .iter()
            .flat_map(|f| &f.inspectors)
            .filter(|p| p.position != Position::Within)
            .count();
        times.push(start.elapsed());
    }
    times.sort();
    let ours = times[times.len() / 2];
    println!(
        "casework: {} cases x {} questions: {:.1} ms (median of {}); {flagged} inspector-key-question(s) outside the 95% limits",
        args.cases,
        args.questions,
        ours.as_secs_f64() * 1000.0,
        times.len()
    );
    // The peers on the same Yes/No tables (the rows both markers answered Yes or No).
    let tables: Vec<Vec<[u8; 2]>> = data
        .iter()
        .map(|pairs| {
            pairs
                .iter()
                .filter_map(|(a, b)| {
                    let code = |x: &Answer| match x {
                        Answer::Yes => Some(1),
                        Answer::No => Some(0),
                        _ => None,
                    };
                    Some([code(a)?, code(b)?])
                })
                .collect()
        })
        .collect();
    let mut child = Command::new("python3")
        .arg("-c")
        .arg(PEER)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .context("cannot run python3 for the peers")?;
    child
        .stdin
        .take()
        .context("python3's stdin")?
        .write_all(serde_json::to_string(&tables)?.as_bytes())?;
    let out = child.wait_with_output()?;
    if !out.status.success() {
        bail!("the peers failed (pip install irrCAC==0.4.4 krippendorff==0.9.0)");
    }
    let peer: f64 = String::from_utf8_lossy(&out.stdout).trim().parse()?;
    println!(
        "irrCAC 0.4.4 (AC1, Conger's kappa, alpha) + krippendorff 0.9.0 (alpha), same tables: {:.1} ms",
        peer * 1000.0
    );
    println!(
        "ratio: casework is {:.0}x the peers' speed",
        peer / ours.as_secs_f64()
    );
    Ok(())
}
