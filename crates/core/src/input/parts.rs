//! The parts of an inspection directory besides its manifest and instrument files: the narrative
//! files in `narrative/`, the raw evidence files in `domain-one/` (`crate::domain_one::raw`), and
//! the check that nothing else is there (where the source can list a directory), so a file
//! Casework does not know is an error naming it rather than dropped.

use std::collections::BTreeMap;
use std::path::Path;

use crate::domain_one::{Evidence, Rows, raw};
use crate::framework::Framework;
use crate::inspection::Manifest;
use crate::narrative;

use super::source::{JSON_DOCUMENT, MANIFEST, Source, read};
use super::{ErrorKind, InputError, evidence, limits};

/// The files of `dir/narrative/`: every one listed (an unknown name is an error naming it), or,
/// where the source cannot list, every name [`narrative::known_files`] allows that is there.
pub(super) fn read_narrative(
    fw: &Framework,
    kind: &str,
    dir: &Path,
    source: &dyn Source,
) -> Result<BTreeMap<String, String>, InputError> {
    let narrative_dir = dir.join(narrative::DIR);
    let names: Vec<String> = match source.list(&narrative_dir) {
        Ok(Some(entries)) => entries
            .into_iter()
            .filter(|(name, _)| !name.starts_with('.'))
            .map(|(name, is_dir)| {
                if is_dir {
                    Err(unknown_part(&narrative_dir.join(&name), "a directory"))
                } else {
                    Ok(name)
                }
            })
            .collect::<Result<_, _>>()?,
        Ok(None) => narrative::known_files(fw, kind),
        Err(e) => {
            return Err(InputError::new(
                ErrorKind::Io,
                narrative_dir.display().to_string(),
                e.to_string(),
            ));
        }
    };
    let mut files = BTreeMap::new();
    for name in names {
        let file = narrative_dir.join(&name);
        let Some(text) = read(source, &file, limits::TOML_MAX_BYTES)? else {
            continue;
        };
        narrative::check_file(fw, kind, &name, &text).map_err(|p| {
            InputError::new(ErrorKind::UnknownReference, file.display().to_string(), p)
        })?;
        files.insert(name, text);
    }
    Ok(files)
}

/// The raw evidence files of `dir/domain-one/`, where the source can list it, read as
/// `crate::domain_one::raw` says and added to `evidence` (what `domain-one.json` held, if
/// anything): each `NAME.csv`, a survey where `NAME.toml` is beside it. Any other file there is an
/// error naming it.
pub(super) fn read_raw_evidence(
    fw: &Framework,
    kind: &str,
    dir: &Path,
    source: &dyn Source,
    evidence: &mut Evidence,
) -> Result<(), InputError> {
    let raw_dir = dir.join(raw::DIR);
    let Ok(Some(entries)) = source.list(&raw_dir) else {
        return Ok(());
    };
    let mut names: Vec<(String, bool)> = entries
        .into_iter()
        .filter(|(name, _)| !name.starts_with('.'))
        .collect();
    names.sort();
    for (name, is_dir) in &names {
        let stem = name.strip_suffix(".csv");
        let mapping_of = name
            .strip_suffix(".toml")
            .filter(|s| names.contains(&(format!("{s}.csv"), false)));
        if *is_dir || (stem.is_none() && mapping_of.is_none()) {
            let what = if *is_dir { "a directory" } else { "a file" };
            return Err(InputError::new(
                ErrorKind::UnknownReference,
                raw_dir.join(name).display().to_string(),
                format!(
                    "{what} Casework does not know here; {}/ holds survey exports (NAME.csv beside its mapping NAME.toml) and {}",
                    raw::DIR,
                    raw::TABLES.map(|t| format!("{t}.csv")).join(", ")
                ),
            ));
        }
        let Some(stem) = stem else { continue };
        let path = raw_dir.join(name);
        let Some(text) = read(source, &path, limits::CSV_MAX_BYTES)? else {
            continue;
        };
        let rows = Rows::from_csv(&text, &path.display().to_string())?;
        let mapping_path = raw_dir.join(format!("{stem}.toml"));
        let mapping = read(source, &mapping_path, limits::TOML_MAX_BYTES)?
            .map(|t| (t, mapping_path.display().to_string()));
        let mapping = mapping.as_ref().map(|(t, n)| (t.as_str(), n.as_str()));
        raw::add(fw, Some(kind), evidence, stem, rows, mapping)?;
    }
    Ok(())
}

fn unknown_part(path: &Path, what: &str) -> InputError {
    InputError::new(
        ErrorKind::UnknownReference,
        path.display().to_string(),
        format!(
            "{what} Casework does not know here; an inspection directory holds {MANIFEST}, one CSV per instrument, {}, {}, {}/, {}/ and its PDU inspections' directories (remove it or move it elsewhere)",
            evidence::FILE,
            crate::domain_one::kept::FILE,
            raw::DIR,
            narrative::DIR
        ),
    )
}

/// Refuses anything in an inspection directory that is not one of its parts (names starting with
/// `.`, which systems leave behind, excepted), where the source can list it. Beside
/// `inspection.json` (`from_json`), which holds the cases and narrative itself, only the PDU
/// inspections' directories are parts.
pub(super) fn check_parts(
    fw: &Framework,
    manifest: &Manifest,
    dir: &Path,
    source: &dyn Source,
    from_json: bool,
) -> Result<(), InputError> {
    let Ok(Some(entries)) = source.list(dir) else {
        return Ok(());
    };
    let unit_dirs: Vec<&str> = manifest
        .units
        .iter()
        .filter_map(|u| match Path::new(u).components().next() {
            Some(std::path::Component::Normal(first)) => first.to_str(),
            _ => None,
        })
        .collect();
    for (name, is_dir) in entries {
        let known = name.starts_with('.')
            || unit_dirs.contains(&name.as_str())
            || match (from_json, is_dir) {
                (true, _) => name == JSON_DOCUMENT,
                (false, true) => name == narrative::DIR || name == raw::DIR,
                (false, false) => {
                    name == MANIFEST
                        || name == evidence::FILE
                        || name == crate::domain_one::kept::FILE
                        || fw.instruments.iter().any(|i| i.file == name)
                }
            };
        if !known {
            let what = if is_dir { "a directory" } else { "a file" };
            return Err(unknown_part(&dir.join(&name), what));
        }
    }
    Ok(())
}
