//! `cargo xtask gen-fixtures`: the acceptance fixtures in `tests/fixtures/`, made again from the
//! published figures in `tests/fixtures/published.toml` (see `casework_synth::fixtures`), and the
//! synthetic caseload extract the sample draw is tested on (`casework_synth::caseload`), and the
//! synthetic staff survey export of domain one's evidence (`casework_synth::domain_one`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use casework_core::framework::builtin;
use casework_synth::fixtures::{Published, generate_all};

/// The committed caseload extract: 5,000 cases across six PDUs, from this seed.
const CASELOAD_CASES: usize = 5_000;
const CASELOAD_SEED: u64 = 16;

/// Writes every fixture directory under `out`; returns the directories written.
pub fn generate(spec: &Path, out: &Path) -> Result<Vec<PathBuf>> {
    let text =
        std::fs::read_to_string(spec).with_context(|| format!("cannot read {}", spec.display()))?;
    let published = Published::parse(&text, &spec.display().to_string())?;
    let mut written = Vec::new();
    for (dir, files) in generate_all(builtin(), &published)? {
        let dir = out.join(dir);
        casework_cli::fsio::write_files(&dir, &files)?;
        written.push(dir);
    }
    let sampling = out.join("sampling");
    let extract = casework_synth::caseload::caseload_csv(
        CASELOAD_CASES,
        &casework_synth::caseload::PDUS,
        CASELOAD_SEED,
    );
    let file = sampling.join("caseload.csv");
    std::fs::create_dir_all(&sampling)?;
    casework_cli::fsio::write_file_atomically(&file, extract.as_bytes())?;
    written.push(file);
    let evidence = out.join("evidence");
    std::fs::create_dir_all(&evidence)?;
    let (export, mapping) =
        casework_synth::domain_one::staff_survey(casework_synth::domain_one::STAFF_SURVEY_SEED);
    for (name, text) in [("staff-survey.csv", export), ("staff-survey.toml", mapping)] {
        let file = evidence.join(name);
        casework_cli::fsio::write_file_atomically(&file, text.as_bytes())?;
        written.push(file);
    }
    Ok(written)
}
