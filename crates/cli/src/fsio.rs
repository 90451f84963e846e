//! The file system side of inspection input and output: a [`Source`] over real files, and writing an
//! inspection directory (manifest, one CSV per instrument, evidence and narrative) atomically enough that a failed write
//! leaves no half-written directory behind.

use std::fs;
use std::io;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use casework_core::framework::Framework;
use casework_core::input::write::inspection_files;
use casework_core::input::{self, ErrorKind, InputError, Source};
use casework_core::{Inspection, rate};

/// Reads real files: a missing file is `Ok(None)`, one over the limit is refused by its size
/// before it is read.
pub struct Disk;

impl Source for Disk {
    fn read(&self, path: &Path, limit: u64) -> io::Result<Option<Vec<u8>>> {
        read_limited(path, limit)
    }

    /// A directory's entries (a symbolic link counted as what it points to); `None` when there
    /// is no such directory.
    fn list(&self, path: &Path) -> io::Result<Option<Vec<(String, bool)>>> {
        let entries = match fs::read_dir(path) {
            Ok(entries) => entries,
            Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
            Err(e) => return Err(e),
        };
        let mut out = Vec::new();
        for entry in entries {
            let entry = entry?;
            let is_dir = fs::metadata(entry.path()).is_ok_and(|m| m.is_dir());
            out.push((entry.file_name().to_string_lossy().into_owned(), is_dir));
        }
        out.sort();
        Ok(Some(out))
    }
}

/// A file's bytes if it exists and is at most `limit` bytes long (else `FileTooLarge`).
pub fn read_limited(path: &Path, limit: u64) -> io::Result<Option<Vec<u8>>> {
    use std::io::Read;
    let file = match fs::File::open(path) {
        Ok(file) => file,
        Err(e) if e.kind() == io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(e),
    };
    if file.metadata()?.len() > limit {
        return Err(io::Error::from(io::ErrorKind::FileTooLarge));
    }
    let mut bytes = Vec::new();
    // A file that grew after it was measured is still read no further than the limit allows.
    file.take(limit + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > limit {
        return Err(io::Error::from(io::ErrorKind::FileTooLarge));
    }
    Ok(Some(bytes))
}

/// Loads a framework file given with `--framework`, or `None` for the one the inspection names.
pub fn framework_file(path: Option<&Path>) -> Result<Option<&'static Framework>> {
    let Some(path) = path else { return Ok(None) };
    let text = read_text(path, input::limits::TOML_MAX_BYTES)
        .with_context(|| format!("cannot read framework file {}", path.display()))?;
    let fw = Framework::from_toml(&text, &path.display().to_string())?;
    // The framework lives for the whole run of the command.
    Ok(Some(Box::leak(Box::new(fw))))
}

/// Loads an inspection from a directory, a JSON file or an XLSX workbook on disk.
pub fn load(
    path: &Path,
    framework: Option<&'static Framework>,
) -> Result<(Inspection, &'static Framework), InputError> {
    if path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("xlsx"))
    {
        return crate::xlsx::read(path, framework);
    }
    input::load(path, &Disk, framework)
}

/// A text file of at most `limit` bytes, with core's located errors (missing, too large, not UTF-8).
pub fn read_text(path: &Path, limit: u64) -> Result<String, InputError> {
    let file = path.display().to_string();
    let refused = |kind, problem: String| InputError::new(kind, file.clone(), problem);
    match read_limited(path, limit) {
        Ok(Some(bytes)) => input::decode::utf8(&file, bytes),
        Ok(None) => Err(refused(ErrorKind::Io, "no such file".into())),
        Err(e) if e.kind() == io::ErrorKind::FileTooLarge => Err(refused(
            ErrorKind::TooLarge,
            format!(
                "the file is over the limit of {}",
                input::limits::size_in_words(limit)
            ),
        )),
        Err(e) => Err(refused(ErrorKind::Io, e.to_string())),
    }
}

/// Writes an inspection directory. The files go to a sibling temporary directory first, which is
/// renamed into place, so an interrupted write never leaves a half-written inspection.
pub fn write_inspection_dir(
    dir: &Path,
    fw: &Framework,
    inspection: &Inspection,
    unit_paths: Vec<String>,
) -> Result<()> {
    write_files(dir, &inspection_files(fw, inspection, unit_paths))
}

pub fn write_files(dir: &Path, files: &[(PathBuf, String)]) -> Result<()> {
    let parent = dir.parent().unwrap_or(Path::new("."));
    fs::create_dir_all(parent).with_context(|| format!("cannot create {}", parent.display()))?;
    let name = dir
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "inspection".into());
    let staging = parent.join(format!(".{name}.writing"));
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    fs::create_dir_all(&staging)?;
    for (rel, text) in files {
        let path = staging.join(rel);
        if let Some(p) = path.parent() {
            fs::create_dir_all(p)?;
        }
        fs::write(&path, text).with_context(|| format!("cannot write {}", path.display()))?;
    }
    if dir.exists() {
        // Keep anything else in the directory (e.g. nested unit directories): replace file by file.
        for (rel, _) in files {
            let target = dir.join(rel);
            if let Some(p) = target.parent() {
                fs::create_dir_all(p)?;
            }
            fs::rename(staging.join(rel), &target)?;
        }
        fs::remove_dir_all(&staging)?;
        remove_stale_parts(dir, files)?;
    } else {
        fs::rename(&staging, dir)?;
    }
    Ok(())
}

/// After writing `files` over an existing inspection directory: removes the inspection parts a
/// previous write left that this one did not write (a narrative file since removed, an
/// `evidence.csv` with no notes left), so that reading the directory gives what was written,
/// never an older part back. Only what Casework reads as a part is removed (`.csv`, `.toml`,
/// `.json`, `.md`, at the top or in `narrative/`); anything else stays, and a read names it.
fn remove_stale_parts(dir: &Path, files: &[(PathBuf, String)]) -> Result<()> {
    let written: std::collections::HashSet<&Path> =
        files.iter().map(|(p, _)| p.as_path()).collect();
    let narrative = Path::new(casework_core::narrative::DIR);
    for sub in [Path::new(""), narrative] {
        let Ok(entries) = fs::read_dir(dir.join(sub)) else {
            continue;
        };
        for entry in entries {
            let entry = entry?;
            let name = entry.file_name();
            let rel = sub.join(&name);
            let part = Path::new(&name)
                .extension()
                .and_then(|e| e.to_str())
                .is_some_and(|e| matches!(e, "csv" | "toml" | "json" | "md"));
            let hidden = name.to_string_lossy().starts_with('.');
            if part && !hidden && entry.file_type()?.is_file() && !written.contains(rel.as_path()) {
                fs::remove_file(entry.path()).with_context(|| {
                    format!("cannot remove the stale {}", entry.path().display())
                })?;
            }
        }
    }
    // An emptied narrative directory goes too (`remove_dir` keeps one that still holds anything).
    let _ = fs::remove_dir(dir.join(narrative));
    Ok(())
}

/// Writes `bytes` to `path` through a temporary file beside it, so a failed run leaves no
/// half-written file.
pub fn write_file_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
        fs::create_dir_all(parent)
            .with_context(|| format!("cannot create {}", parent.display()))?;
    }
    let tmp = path.with_extension("partial");
    fs::write(&tmp, bytes).with_context(|| format!("cannot write {}", tmp.display()))?;
    fs::rename(&tmp, path).with_context(|| format!("cannot write {}", path.display()))
}

/// Loads and rates, for callers that only want the ratings.
pub fn load_and_rate(path: &Path) -> Result<casework_core::Ratings, InputError> {
    let (inspection, fw) = load(path, None)?;
    Ok(rate(fw, &inspection))
}
