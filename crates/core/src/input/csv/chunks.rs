//! Parsing a large CSV text's chunks in parallel and putting the result together exactly as a
//! front-to-back parse would: the same cases in the same order, or the same first error, with
//! repeated case ids found across chunks afterwards.

use std::collections::HashMap;
use std::collections::hash_map::{Entry, RandomState};
use std::hash::{BuildHasher, BuildHasherDefault, Hash, Hasher};

use rayon::prelude::*;

use super::lines::LineCounter;
use super::split::Chunk;
use super::{Body, Failure, Rows, csv_reader, duplicate, syntax};
use crate::case::CaseSet;
use crate::input::InputError;

/// A repeated case id: on the `index`th checked id of its chunk, at `line`, first on `first`.
pub(super) struct Duplicate {
    index: usize,
    id: String,
    line: u64,
    first: u64,
}

impl Duplicate {
    fn error(&self, file: &str) -> InputError {
        duplicate(file, &self.id, self.line, self.first)
    }
}

impl Body<'_> {
    /// Reads one chunk with a reader of its own, leaving repeated ids to the caller. The reader
    /// reads the header row (so every record is held to the header's length, as in the whole
    /// file) and then seeks to `pos`, the chunk's start, so the positions it reports, and the lines
    /// in errors, are those of the whole file.
    pub(super) fn read_chunk(
        &self,
        text: &[u8],
        chunk: &Chunk,
        pos: ::csv::Position,
        capacity: usize,
    ) -> Rows {
        let upto = text.get(..chunk.end).unwrap_or(text);
        let mut reader = csv_reader(std::io::Cursor::new(upto));
        let mut lines = LineCounter::starting(chunk.pos.byte(), chunk.line);
        match reader.seek(pos) {
            Ok(()) => self.read_rows(&mut reader, lines, capacity, None),
            Err(e) => Rows {
                set: CaseSet::new(self.instrument),
                lines: Vec::new(),
                failure: Some(Failure {
                    error: syntax(self.file, e, &mut lines, text),
                    from_csv: true,
                    checked_id: None,
                }),
            },
        }
    }

    /// Parses the chunks in parallel and puts the result together as a front-to-back parse would.
    ///
    /// Each chunk stops at its own first error. Repeated ids are found afterwards, also in
    /// parallel: each chunk maps its ids (borrowed from its cases, so nothing is allocated per
    /// case) and finds its first repeat within itself, then looks its ids up in the earlier
    /// chunks' maps. The chunks are then taken in file order; the first with a problem decides the
    /// error: its first repeated id if it has one, else its own error. (A repeat is never after
    /// the chunk's failed record: it is on it only when the record had passed the place of the
    /// duplicate check, which comes first in a row, so the repeat is the error a front-to-back
    /// parse reports.) A `csv` reader's error counts records from the start of the file, which a
    /// chunk does not know while it runs, so that chunk is read again knowing it.
    pub(super) fn parse_chunks(
        &self,
        text: &[u8],
        chunks: &[Chunk],
    ) -> Result<CaseSet, InputError> {
        let runs: Vec<Rows> = chunks
            .par_iter()
            .enumerate()
            .map(|(k, c)| {
                let start = usize::try_from(c.pos.byte()).unwrap_or(0);
                // The first chunk's cases become the result: room for all of them.
                let bytes = if k == 0 {
                    text.len().saturating_sub(start)
                } else {
                    c.end.saturating_sub(start)
                };
                self.read_chunk(text, c, c.pos.clone(), bytes / 64)
            })
            .collect();
        let last = runs
            .iter()
            .position(|r| r.failure.is_some())
            .unwrap_or(runs.len().saturating_sub(1));
        let checked = runs.get(..=last).unwrap_or_default();
        let first_error = {
            let hasher = RandomState::new();
            let mut ids: Vec<ChunkIds<'_>> = checked
                .par_iter()
                .map(|run| ChunkIds::new(run, &hasher))
                .collect();
            let across: Vec<Option<Duplicate>> = (0..ids.len())
                .into_par_iter()
                .map(|k| ids.get(k).and_then(|own| own.first_in(&ids[..k])))
                .collect();
            let mut records = chunks.first().map_or(0, |c| c.pos.record());
            let mut first_error = None;
            for (k, (run, across)) in checked.iter().zip(across).enumerate() {
                let within = ids.get_mut(k).and_then(|own| own.repeat.take());
                if let Some(dup) = within.into_iter().chain(across).min_by_key(|d| d.index) {
                    first_error = Some(dup.error(self.file));
                    break;
                }
                if let Some(failure) = &run.failure {
                    first_error = Some(if failure.from_csv && k > 0 {
                        let mut pos = chunks[k].pos.clone();
                        pos.set_record(records);
                        let again = self.read_chunk(text, &chunks[k], pos, 0);
                        again.failure.map_or(failure.error.clone(), |f| f.error)
                    } else {
                        failure.error.clone()
                    });
                    break;
                }
                records += run.set.len() as u64;
            }
            first_error
        };
        if let Some(error) = first_error {
            return Err(error);
        }
        let mut runs = runs.into_iter();
        let mut set = runs
            .next()
            .map_or_else(|| CaseSet::new(self.instrument), |first| first.set);
        set.par_extend(runs.map(|run| run.set));
        Ok(set)
    }
}

/// A case id with its hash. Every chunk's map uses the same keyed hasher, so an id looked up in
/// several maps is hashed once.
#[derive(Clone, Copy)]
pub(super) struct IdKey<'a> {
    pub(super) hash: u64,
    pub(super) id: &'a str,
}

impl PartialEq for IdKey<'_> {
    fn eq(&self, other: &Self) -> bool {
        self.hash == other.hash && self.id == other.id
    }
}

impl Eq for IdKey<'_> {}

impl Hash for IdKey<'_> {
    fn hash<H: Hasher>(&self, state: &mut H) {
        state.write_u64(self.hash);
    }
}

/// The hasher of an [`IdKey`] map: the key's hash is already computed.
#[derive(Default)]
pub(super) struct Hashed(u64);

impl Hasher for Hashed {
    fn finish(&self) -> u64 {
        self.0
    }

    fn write(&mut self, bytes: &[u8]) {
        // Not reached: an `IdKey` writes one u64.
        for &b in bytes {
            self.0 = self.0.rotate_left(8) ^ u64::from(b);
        }
    }

    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(super) type IdMap<'a> = HashMap<IdKey<'a>, u64, BuildHasherDefault<Hashed>>;

/// One chunk's checked ids: in order with their lines, mapped to their lines, and the first one
/// repeated within the chunk (the map then holds the ids before it).
pub(super) struct ChunkIds<'a> {
    ids: Vec<(IdKey<'a>, u64)>,
    map: IdMap<'a>,
    repeat: Option<Duplicate>,
}

impl<'a> ChunkIds<'a> {
    pub(super) fn new(run: &'a Rows, hasher: &RandomState) -> ChunkIds<'a> {
        let ids: Vec<(IdKey<'a>, u64)> = run
            .checked_ids()
            .map(|(id, line)| {
                let hash = hasher.hash_one(id);
                (IdKey { hash, id }, line)
            })
            .collect();
        let mut map = IdMap::with_capacity_and_hasher(ids.len(), BuildHasherDefault::default());
        let mut repeat = None;
        for (index, &(key, line)) in ids.iter().enumerate() {
            match map.entry(key) {
                Entry::Vacant(e) => {
                    e.insert(line);
                }
                Entry::Occupied(e) => {
                    repeat = Some(Duplicate {
                        index,
                        id: key.id.to_string(),
                        line,
                        first: *e.get(),
                    });
                    break;
                }
            }
        }
        ChunkIds { ids, map, repeat }
    }

    /// The first of these ids that one of the `earlier` chunks has.
    pub(super) fn first_in(&self, earlier: &[ChunkIds<'_>]) -> Option<Duplicate> {
        if earlier.is_empty() {
            return None;
        }
        self.ids
            .par_iter()
            .enumerate()
            .find_map_first(|(index, &(key, line))| {
                let first = earlier.iter().find_map(|e| e.map.get(&key).copied())?;
                Some(Duplicate {
                    index,
                    id: key.id.to_string(),
                    line,
                    first,
                })
            })
    }
}
