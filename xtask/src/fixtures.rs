//! `cargo xtask gen-fixtures`: the acceptance fixtures in `tests/fixtures/`, made again from the
//! published figures in `tests/fixtures/published.toml` (see `casework_synth::fixtures`).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use casework_core::framework::builtin;
use casework_synth::fixtures::{Published, generate_all};

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
    Ok(written)
}
