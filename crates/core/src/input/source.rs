//! Where an inspection's files come from: the [`Source`] a caller hands the loader (real files, a
//! workbook's sheets, a test's strings), the names of the manifest files, and reading one file's
//! text within its limit.

use std::io;
use std::path::Path;

use super::{ErrorKind, InputError, decode, limits};

/// Reads a file; `Ok(None)` when it does not exist. `Sync`, because a region's PDU inspections are
/// read in parallel.
pub trait Source: Sync {
    /// The file's bytes. A file longer than `limit` bytes is refused, before it is read, with an
    /// error of kind [`io::ErrorKind::FileTooLarge`].
    fn read(&self, path: &Path, limit: u64) -> io::Result<Option<Vec<u8>>>;

    /// The entries of directory `path` as (name, is a directory), or `None` where this source
    /// cannot list (then only the parts Casework knows are read) or there is no such directory.
    fn list(&self, _path: &Path) -> io::Result<Option<Vec<(String, bool)>>> {
        Ok(None)
    }
}

/// In-memory trees and tests: a function from a path to its text.
impl<F: Fn(&Path) -> io::Result<Option<String>> + Sync> Source for F {
    fn read(&self, path: &Path, limit: u64) -> io::Result<Option<Vec<u8>>> {
        match self(path)? {
            Some(text) if text.len() as u64 > limit => {
                Err(io::Error::from(io::ErrorKind::FileTooLarge))
            }
            other => Ok(other.map(String::into_bytes)),
        }
    }
}

pub const MANIFEST: &str = "inspection.toml";
pub const JSON_DOCUMENT: &str = "inspection.json";

/// A file's text: at most `limit` bytes of UTF-8 (see [`limits`](super::limits) and
/// [`decode`](super::decode)).
pub(super) fn read(
    source: &dyn Source,
    path: &Path,
    limit: u64,
) -> Result<Option<String>, InputError> {
    let file = path.display().to_string();
    match source.read(path, limit) {
        Ok(Some(bytes)) => decode::utf8(&file, bytes).map(Some),
        Ok(None) => Ok(None),
        Err(e) if e.kind() == io::ErrorKind::FileTooLarge => Err(InputError::new(
            ErrorKind::TooLarge,
            file,
            format!(
                "the file is over the limit of {} for this kind of file (see \"Input limits\" in the README)",
                limits::size_in_words(limit)
            ),
        )),
        Err(e) => Err(InputError::new(ErrorKind::Io, file, e.to_string())),
    }
}
