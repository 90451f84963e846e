//! `casework framework`: checks a framework file and summarises it (the built-in one by default):
//! its kinds, instruments and the judged standards' key questions (domain one), each by id.

use std::path::PathBuf;

use anyhow::Result;
use casework_core::framework::{Basis, Framework, QuestionKind, builtin};

use crate::{fsio, outln};

#[derive(clap::Args)]
pub struct Args {
    /// A framework TOML file.
    file: Option<PathBuf>,
}

pub fn run(args: Args) -> Result<()> {
    let owned;
    let fw = match args.file {
        Some(path) => {
            let text = fsio::read_text(&path, casework_core::input::limits::TOML_MAX_BYTES)?;
            owned = Framework::from_toml(&text, &path.display().to_string())?;
            &owned
        }
        None => builtin(),
    };
    outln!(
        "{} v{} ({}), content hash {}",
        fw.id,
        fw.version,
        fw.name,
        fw.content_hash()
    )?;
    outln!("rules: {:?}", fw.rules)?;
    for kind in &fw.kinds {
        if fw.rates() {
            outln!(
                "{}: {} standards, score out of {}",
                kind.id,
                kind.standards.len(),
                fw.max_points() * kind.standards.len() as u32
            )?;
        } else {
            outln!(
                "{}: {} standards, figures only (no ratings, no score)",
                kind.id,
                kind.standards.len()
            )?;
        }
    }
    for inst in &fw.instruments {
        let keys = inst
            .questions
            .iter()
            .filter(|q| q.kind == QuestionKind::Key)
            .count();
        outln!(
            "instrument {} ({}): {} key questions, {} prompts",
            inst.id,
            inst.file,
            keys,
            inst.questions.len() - keys
        )?;
    }
    for s in fw.standards.iter().filter(|s| s.basis == Basis::Judged) {
        outln!(
            "judged standard {} {}: {} key questions",
            s.code,
            s.name,
            s.judged_key_questions.len()
        )?;
        for kq in &s.judged_key_questions {
            outln!("  {} {}", kq.id, kq.text)?;
        }
    }
    Ok(())
}
