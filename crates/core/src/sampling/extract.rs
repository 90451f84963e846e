//! The caseload extract: the list of eligible cases a case-management system exports (one row
//! per case), read through a column mapping into [`Caseload`]. Only the mapped fields are read
//! (case reference, PDU, sentence type, start or release date, Probation Reset weeks, and the
//! attributes the framework declares for the instrument); every other column, names and dates of
//! birth included, is ignored and never kept. Errors name the file, line (or sheet row) and
//! column. Pure: the caller hands over the rows (`csv_rows` for CSV text; the CLI reads XLSX).

use std::collections::{BTreeMap, HashMap};

use rayon::slice::ParallelSliceMut;
use serde::{Deserialize, Serialize};

pub use super::fields::{ExtractSentence, Field, field_of};
use crate::framework::Framework;
use crate::input::{ErrorKind, InputError, Place};
use crate::text::check_case_ref;

/// Which column of the export holds each field (`[columns]` of the mapping file); where a field
/// is not mapped, a column named as the field is used if there is one.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ColumnMapping {
    #[serde(default)]
    pub columns: BTreeMap<String, String>,
}

/// The fields every extract must have.
pub const REQUIRED: [&str; 4] = ["reference", "pdu", "sentence", "start"];

impl ColumnMapping {
    /// Parses a mapping file; errors name the file.
    pub fn from_toml(text: &str, file: &str) -> Result<ColumnMapping, InputError> {
        toml::from_str(text).map_err(|e| InputError::new(ErrorKind::Syntax, file, e.message()))
    }
}

/// One eligible case as the extract gives it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExtractCase {
    pub reference: String,
    /// Index into [`Caseload::pdus`].
    pub pdu: u32,
    pub sentence: ExtractSentence,
    /// Start or release date as `YYYYMMDD` (20240729).
    pub start: u32,
    pub reset_weeks: Option<u32>,
}

/// A caseload extract: its cases, the PDUs named (first seen first), and the declared attributes
/// it carries with each case's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Caseload {
    pub instrument: String,
    pub pdus: Vec<String>,
    /// The attributes carried, as indices into `Framework::attributes`.
    pub attributes: Vec<usize>,
    pub cases: Vec<ExtractCase>,
    /// Row-major: `cases.len() × attributes.len()` value indices, [`BLANK`] where none.
    values: Vec<u16>,
    /// The cases' indices in order of reference.
    by_reference: Vec<u32>,
    /// Export columns read by no field (never kept).
    pub ignored_columns: Vec<String>,
}

/// A blank attribute value.
pub const BLANK: u16 = u16::MAX;

impl Caseload {
    /// The cases' indices (into `cases`) in order of case reference.
    pub fn by_reference(&self) -> &[u32] {
        &self.by_reference
    }

    /// Case `case`'s value index for carried attribute `slot` (index into `attributes`).
    pub fn value(&self, case: usize, slot: usize) -> Option<u16> {
        let v = self.values[case * self.attributes.len() + slot];
        (v != BLANK).then_some(v)
    }

    /// A case's value of `field` as an id ("licence", the PDU's name, "po"); `None` when blank
    /// or when the extract does not carry the attribute.
    pub fn value_of<'a>(&'a self, fw: &'a Framework, case: usize, field: Field) -> Option<&'a str> {
        let c = &self.cases[case];
        match field {
            Field::Sentence => Some(c.sentence.id()),
            Field::Pdu => Some(&self.pdus[c.pdu as usize]),
            Field::Attribute(i) => {
                let slot = self.attributes.iter().position(|&a| a == i)?;
                let v = self.value(case, slot)?;
                Some(&fw.attributes[i].values[v as usize].id)
            }
        }
    }

    /// Case `case`'s declared attributes as `(id, value id)` pairs.
    pub fn attributes_of<'a>(&'a self, fw: &'a Framework, case: usize) -> Vec<(&'a str, &'a str)> {
        self.attributes
            .iter()
            .enumerate()
            .filter_map(|(slot, &a)| {
                let v = self.value(case, slot)?;
                Some((
                    fw.attributes[a].id.as_str(),
                    fw.attributes[a].values[v as usize].id.as_str(),
                ))
            })
            .collect()
    }
}

/// Reads an extract's rows (an XLSX sheet's, say): `header` then `rows` of `(line or sheet row,
/// cells)`; `place` says which the numbers count. Duplicate references, a required field with no
/// column, a mapped column not in the header, or a cell that is not a value of its field: a
/// located error.
pub fn read(
    fw: &Framework,
    instrument: &str,
    mapping: &ColumnMapping,
    file: &str,
    place: Place,
    header: &[String],
    rows: impl Iterator<Item = (u64, Vec<String>)>,
) -> Result<Caseload, InputError> {
    let reader = Reader::new(fw, instrument, mapping, file, place, header)?;
    let mut caseload = reader.start();
    for (line, cells) in rows {
        reader.push(&mut caseload, line, &|i| {
            cells.get(i).map_or("", |c| c.trim())
        })?;
    }
    reader.finish(caseload)
}

/// Reads a CSV extract (UTF-8 text), streaming its records; errors as [`read`]'s.
pub fn read_csv(
    fw: &Framework,
    instrument: &str,
    mapping: &ColumnMapping,
    file: &str,
    text: &str,
) -> Result<Caseload, InputError> {
    let mut csv = csv::ReaderBuilder::new().from_reader(text.as_bytes());
    let syntax = |e: csv::Error| {
        let mut err = InputError::new(ErrorKind::Syntax, file, e.to_string());
        err.line = e.position().map(|p| p.line());
        err
    };
    let header: Vec<String> = csv
        .headers()
        .map_err(syntax)?
        .iter()
        .map(str::to_string)
        .collect();
    let reader = Reader::new(fw, instrument, mapping, file, Place::Line, &header)?;
    let mut caseload = reader.start();
    let mut record = csv::StringRecord::new();
    while csv.read_record(&mut record).map_err(syntax)? {
        let line = record.position().map_or(0, |p| p.line());
        reader.push(&mut caseload, line, &|i| {
            record.get(i).map_or("", str::trim)
        })?;
    }
    reader.finish(caseload)
}

/// A caseload being read, with each case's line for the duplicate check.
struct Reading {
    caseload: Caseload,
    pdus: HashMap<String, u32>,
    lines: Vec<u64>,
}

/// The columns of each field, resolved against a header.
struct Reader<'a> {
    fw: &'a Framework,
    instrument: &'a str,
    file: &'a str,
    place: Place,
    /// Column index and header name of reference, pdu, sentence, start.
    required: [(usize, String); 4],
    reset: Option<(usize, String)>,
    /// Attribute index in the framework, column index, header name.
    attributes: Vec<(usize, usize, String)>,
    ignored: Vec<String>,
}

impl<'a> Reader<'a> {
    fn new(
        fw: &'a Framework,
        instrument: &'a str,
        mapping: &ColumnMapping,
        file: &'a str,
        place: Place,
        header: &[String],
    ) -> Result<Reader<'a>, InputError> {
        let err = |kind, problem: String| InputError {
            line: Some(1),
            place,
            ..InputError::new(kind, file, problem)
        };
        let find = |name: &str| {
            header
                .iter()
                .position(|h| h.trim().eq_ignore_ascii_case(name.trim()))
        };
        let declared: Vec<(usize, &str)> = fw
            .attributes
            .iter()
            .enumerate()
            .filter(|(_, a)| a.instruments.iter().any(|i| i == instrument))
            .map(|(i, a)| (i, a.id.as_str()))
            .collect();
        for key in mapping.columns.keys() {
            let known = REQUIRED.contains(&key.as_str())
                || key == "reset_weeks"
                || declared.iter().any(|(_, id)| id == key);
            if !known {
                let ids: Vec<&str> = declared.iter().map(|(_, id)| *id).collect();
                return Err(err(
                    ErrorKind::UnknownColumn,
                    format!(
                        "the mapping names the field '{key}', which is not one: allowed: {}, reset_weeks, {}",
                        REQUIRED.join(", "),
                        ids.join(", ")
                    ),
                ));
            }
        }
        // A mapped column must be in the header; an unmapped field is read from a column of its
        // own name where there is one.
        let column = |field: &str| -> Result<Option<(usize, String)>, InputError> {
            match mapping.columns.get(field) {
                Some(name) => find(name)
                    .map(|i| Some((i, header[i].clone())))
                    .ok_or_else(|| {
                        err(
                            ErrorKind::MissingColumn,
                            format!("the mapping reads {field} from the column '{name}', which the header does not have"),
                        )
                    }),
                None => Ok(find(field).map(|i| (i, header[i].clone()))),
            }
        };
        let mut required = Vec::new();
        for field in REQUIRED {
            required.push(column(field)?.ok_or_else(|| {
                err(
                    ErrorKind::MissingColumn,
                    format!("no column for {field}: name one in the mapping's [columns] ({field} = \"...\")"),
                )
            })?);
        }
        let reset = column("reset_weeks")?;
        let mut attributes = Vec::new();
        for (i, id) in declared {
            if let Some((c, name)) = column(id)? {
                attributes.push((i, c, name));
            }
        }
        let used: Vec<usize> = required
            .iter()
            .chain(reset.iter())
            .map(|(c, _)| *c)
            .chain(attributes.iter().map(|(_, c, _)| *c))
            .collect();
        let ignored = header
            .iter()
            .enumerate()
            .filter(|(i, _)| !used.contains(i))
            .map(|(_, h)| h.clone())
            .collect();
        Ok(Reader {
            fw,
            instrument,
            file,
            place,
            required: required.try_into().expect("four required fields"),
            reset,
            attributes,
            ignored,
        })
    }

    fn start(&self) -> Reading {
        Reading {
            caseload: Caseload {
                instrument: self.instrument.to_string(),
                pdus: Vec::new(),
                attributes: self.attributes.iter().map(|(i, _, _)| *i).collect(),
                cases: Vec::new(),
                values: Vec::new(),
                by_reference: Vec::new(),
                ignored_columns: self.ignored.clone(),
            },
            pdus: HashMap::new(),
            lines: Vec::new(),
        }
    }

    fn error(&self, line: u64, kind: ErrorKind, column: &str, problem: String) -> InputError {
        InputError {
            line: Some(line),
            place: self.place,
            column: Some(column.to_string()),
            ..InputError::new(kind, self.file, problem)
        }
    }

    /// Reads one row; `cell(i)` is column i's trimmed text ("" past the end).
    fn push<'c>(
        &self,
        reading: &mut Reading,
        line: u64,
        cell: &dyn Fn(usize) -> &'c str,
    ) -> Result<(), InputError> {
        let err = |kind, column: &str, problem: String| self.error(line, kind, column, problem);
        let [(rc, rn), (pc, pn), (sc, sn), (dc, dn)] = &self.required;
        let reference = cell(*rc);
        check_case_ref(reference)
            .map_err(|p| err(ErrorKind::BadValue, rn, format!("the case reference {p}")))?;
        let pdu_name = cell(*pc);
        crate::text::check_line(pdu_name, crate::text::LINE_MAX_CHARS)
            .map_err(|p| err(ErrorKind::BadValue, pn, format!("the PDU {p}")))?;
        if pdu_name.is_empty() {
            return Err(err(ErrorKind::BadValue, pn, "the PDU is blank".into()));
        }
        let caseload = &mut reading.caseload;
        let pdu = match reading.pdus.get(pdu_name) {
            Some(&i) => i,
            None => {
                let i = caseload.pdus.len() as u32;
                reading.pdus.insert(pdu_name.to_string(), i);
                caseload.pdus.push(pdu_name.to_string());
                i
            }
        };
        let sentence = ExtractSentence::parse(cell(*sc)).ok_or_else(|| {
            err(
                ErrorKind::BadValue,
                sn,
                format!(
                    "'{}' is not a sentence type; allowed: {}",
                    cell(*sc),
                    ExtractSentence::ALLOWED
                ),
            )
        })?;
        let (year, month, day) =
            crate::date::parse_day(cell(*dc)).map_err(|p| err(ErrorKind::BadValue, dn, p))?;
        let reset_weeks = match &self.reset {
            Some((c, name)) if !cell(*c).is_empty() => {
                Some(cell(*c).parse::<u32>().map_err(|_| {
                    err(
                        ErrorKind::BadValue,
                        name,
                        format!("'{}' is not a whole number of weeks", cell(*c)),
                    )
                })?)
            }
            _ => None,
        };
        for (a, c, name) in &self.attributes {
            let attribute = &self.fw.attributes[*a];
            let value = attribute
                .parse(cell(*c))
                .map_err(|p| err(ErrorKind::BadValue, name, p))?;
            caseload.values.push(value.map_or(BLANK, |id| {
                attribute
                    .values
                    .iter()
                    .position(|v| v.id == id)
                    .unwrap_or(0) as u16
            }));
        }
        caseload.cases.push(ExtractCase {
            reference: reference.to_string(),
            pdu,
            sentence,
            start: year * 10_000 + month * 100 + day,
            reset_weeks,
        });
        reading.lines.push(line);
        Ok(())
    }

    /// The caseload once every row is read: refused when empty or when a reference repeats
    /// (the error on the later line, naming the earlier).
    fn finish(&self, reading: Reading) -> Result<Caseload, InputError> {
        let Reading {
            mut caseload,
            lines,
            ..
        } = reading;
        if caseload.cases.is_empty() {
            return Err(InputError::new(
                ErrorKind::Syntax,
                self.file,
                "the extract lists no case",
            ));
        }
        // (reference, index) pairs sorted in parallel: the references compared in place, ties
        // (duplicates) by index, so the later line is the one refused.
        let mut pairs: Vec<(&str, u32)> = caseload
            .cases
            .iter()
            .enumerate()
            .map(|(i, c)| (c.reference.as_str(), i as u32))
            .collect();
        pairs.par_sort_unstable();
        if let Some(pair) = pairs.windows(2).find(|w| w[0].0 == w[1].0) {
            let (first, again) = (pair[0].1 as usize, pair[1].1 as usize);
            return Err(self.error(
                lines[again],
                ErrorKind::DuplicateCase,
                &self.required[0].1,
                format!(
                    "the case reference '{}' is already on {} {}",
                    caseload.cases[again].reference,
                    self.place.noun(),
                    lines[first]
                ),
            ));
        }
        let order: Vec<u32> = pairs.into_iter().map(|(_, i)| i).collect();
        caseload.by_reference = order;
        Ok(caseload)
    }
}
