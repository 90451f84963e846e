//! `casework export`: a stored inspection back to files, all of it (cases in progress, evidence
//! notes, judged ratings with their rationale, the narrative): a directory (its PDU inspections
//! where its manifest points), one XLSX workbook or one JSON document.

use std::path::{Path, PathBuf};

use anyhow::Result;

use super::{Db, block_on, with_store};
use crate::{fsio, outln, xlsx};

#[derive(clap::Args)]
pub struct Args {
    id: String,
    /// Where to write: a directory, or a file ending .xlsx (workbook) or .json (document).
    #[arg(long, value_name = "DIR")]
    to: PathBuf,
    #[command(flatten)]
    db: Db,
}

/// Writes a stored inspection; returns what was written.
fn export(db: &str, id: &str, to: &Path) -> Result<Vec<PathBuf>> {
    let (inspection, fw) = block_on(with_store(db, async |s| s.load(id).await))?;
    if to
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        xlsx::write(to, &fw, &inspection)?;
        return Ok(vec![to.to_path_buf()]);
    }
    if to
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("json"))
    {
        if !inspection.units.is_empty() {
            anyhow::bail!(
                "a JSON document holds one inspection, and this is a region with {} PDU inspections; export it to a directory",
                inspection.units.len()
            );
        }
        let document = casework_core::input::json::Document::of(&fw, &inspection, vec![]);
        let mut text = serde_json::to_string_pretty(&document)?;
        text.push('\n');
        fsio::write_file_atomically(to, text.as_bytes())?;
        return Ok(vec![to.to_path_buf()]);
    }
    let mut written = vec![to.to_path_buf()];
    fsio::write_inspection_dir(to, &fw, &inspection, inspection.unit_paths.clone())?;
    for (unit, path) in inspection.units.iter().zip(&inspection.unit_paths) {
        let dir = to.join(path);
        fsio::write_inspection_dir(&dir, &fw, unit, vec![])?;
        written.push(dir);
    }
    Ok(written)
}

pub fn run(args: Args) -> Result<()> {
    for dir in export(&args.db.db, &args.id, &args.to)? {
        outln!("wrote {}", dir.display())?;
    }
    Ok(())
}
