//! Reading an inspection from its on-disk form: a directory with `inspection.toml`, one CSV per
//! instrument, `evidence.csv`, `domain-one.json` and `narrative/`, or one JSON document with the same content. Reading is all-or-nothing and every error
//! names the file, line, column or field, what was found and what is allowed.
//!
//! This module does no I/O of its own: callers pass a [`Source`] that reads a path.

mod cells;
pub mod csv;
pub mod decode;
mod dir;
pub mod evidence;
pub mod json;
pub mod limits;
mod parts;
mod source;
pub mod write;

pub use dir::{JSON_DOCUMENT, MANIFEST, Source, load};

pub use crate::input_error::{ErrorKind, InputError, Place};
