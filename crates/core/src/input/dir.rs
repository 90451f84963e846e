//! Loading an inspection from a path: a directory (`inspection.toml` plus instrument CSVs,
//! `evidence.csv` and `narrative/`, or `inspection.json`) or a JSON file; a region's PDU
//! inspections are loaded from the paths it lists. Where the source can list a directory, a file
//! or directory that is none of these is an error naming it, so nothing is dropped in silence.

use std::path::{Path, PathBuf};

use rayon::prelude::*;

use crate::framework::{Basis, Framework, builtin_by_id};
use crate::inspection::{Inspection, Manifest};
use crate::text;

use super::source::read;
pub use super::source::{JSON_DOCUMENT, MANIFEST, Source};
use super::{ErrorKind, InputError, csv, evidence, json, limits, parts};

/// Loads the inspection at `path` (directory or `.json` file) with the framework it names, or with
/// `framework` when given (whose id must then match).
pub fn load<'f>(
    path: &Path,
    source: &dyn Source,
    framework: Option<&'f Framework>,
) -> Result<(Inspection, &'f Framework), InputError> {
    let (inspection, fw, _) = load_one(path, source, framework, true)?;
    Ok((inspection, fw))
}

fn load_one<'f>(
    path: &Path,
    source: &dyn Source,
    framework: Option<&'f Framework>,
    allow_units: bool,
) -> Result<(Inspection, &'f Framework, PathBuf), InputError> {
    let (manifest, manifest_file, json_doc) = if path.extension().is_some_and(|e| e == "json") {
        let text = read(source, path, limits::JSON_MAX_BYTES)?.ok_or_else(|| not_found(path))?;
        let doc = json::parse_document(&path.display().to_string(), &text)?;
        (doc.manifest(), path.to_path_buf(), Some((doc, text)))
    } else {
        let toml_path = path.join(MANIFEST);
        let json_path = path.join(JSON_DOCUMENT);
        if let Some(text) = read(source, &toml_path, limits::TOML_MAX_BYTES)? {
            let manifest: Manifest = toml::from_str(&text).map_err(|e| {
                let mut err = InputError::new(
                    ErrorKind::Syntax,
                    toml_path.display().to_string(),
                    e.message().trim().to_string(),
                );
                if let Some(span) = e.span() {
                    err.line = Some(line_of(&text, span.start));
                }
                err
            })?;
            (manifest, toml_path, None)
        } else if let Some(text) = read(source, &json_path, limits::JSON_MAX_BYTES)? {
            if source
                .list(path)
                .ok()
                .flatten()
                .is_some_and(|entries| entries.iter().any(|(name, _)| name == MANIFEST))
            {
                return Err(InputError::new(
                    ErrorKind::Syntax,
                    path.display().to_string(),
                    format!("both {MANIFEST} and {JSON_DOCUMENT} are here; keep one"),
                ));
            }
            let doc = json::parse_document(&json_path.display().to_string(), &text)?;
            (doc.manifest(), json_path, Some((doc, text)))
        } else {
            return Err(InputError::new(
                ErrorKind::Io,
                path.display().to_string(),
                format!(
                    "not an inspection: no {MANIFEST} or {JSON_DOCUMENT} here (run `casework demo` for an example)"
                ),
            ));
        }
    };
    let file = manifest_file.display().to_string();
    let fw = resolve_framework(&manifest, &file, framework)?;
    let mut inspection = Inspection {
        framework: manifest.framework.clone(),
        framework_version: manifest.framework_version.clone(),
        kind: manifest.kind.clone(),
        unit: manifest.unit.clone(),
        region: manifest.region.clone(),
        fieldwork_start: manifest.fieldwork_start.clone(),
        fieldwork_end: manifest.fieldwork_end.clone(),
        judged: manifest.judged_ratings(),
        judged_rationale: manifest.judged_rationale(),
        narrative: Default::default(),
        domain_one: Default::default(),
        cases: Vec::new(),
        units: Vec::new(),
        unit_paths: manifest.units.clone(),
    };
    check_manifest(fw, &manifest, &file, allow_units)?;

    let from_json = json_doc.is_some();
    match json_doc {
        Some((doc, _)) => {
            inspection.cases = doc.case_sets(fw, &file)?;
            inspection.narrative = doc.narrative(fw, &file)?;
            inspection.domain_one = doc.domain_one.clone();
            crate::domain_one::kept::check(fw, Some(&manifest.kind), &file, &inspection.domain_one)
                .map_err(|mut e| {
                    e.column = Some(format!("domain_one.{}", e.column.unwrap_or_default()));
                    e
                })?;
        }
        None => {
            for instrument in &fw.instruments {
                let csv_path = path.join(&instrument.file);
                if let Some(text) = read(source, &csv_path, limits::CSV_MAX_BYTES)? {
                    let set = csv::parse(fw, instrument, &csv_path.display().to_string(), &text)?;
                    inspection.cases.push(set);
                }
            }
            let evidence_path = path.join(evidence::FILE);
            if let Some(text) = read(source, &evidence_path, limits::CSV_MAX_BYTES)? {
                let shown = evidence_path.display().to_string();
                evidence::read(fw, &mut inspection.cases, &shown, &text)?;
            }
            inspection.narrative = parts::read_narrative(fw, &manifest.kind, path, source)?;
            let kept_path = path.join(crate::domain_one::kept::FILE);
            if let Some(text) = read(source, &kept_path, crate::domain_one::kept::MAX_BYTES)? {
                let shown = kept_path.display().to_string();
                inspection.domain_one =
                    crate::domain_one::kept::parse(fw, Some(&manifest.kind), &shown, &text)?;
            }
            parts::read_raw_evidence(fw, &manifest.kind, path, source, &mut inspection.domain_one)?;
        }
    }
    if manifest_file != path {
        parts::check_parts(fw, &manifest, path, source, from_json)?;
    }

    let base = if manifest_file == path {
        path.parent().unwrap_or(Path::new(".")).to_path_buf()
    } else {
        path.to_path_buf()
    };
    // PDU inspections are independent: read them on all cores, then check them in order so the
    // first error reported is the first in the list.
    let children: Vec<Result<Inspection, InputError>> = manifest
        .units
        .par_iter()
        .enumerate()
        .map(|(i, unit)| {
            let unit_path = base.join(unit);
            load_one(&unit_path, source, Some(fw), false)
                .map(|(child, _, _)| child)
                .map_err(|mut e| {
                    if e.kind == ErrorKind::Unit && e.file == unit_path.display().to_string() {
                        e.column = Some(format!("units[{i}]"));
                    }
                    e
                })
        })
        .collect();
    let expected = fw
        .kind(&inspection.kind)
        .and_then(|k| k.units.clone())
        .unwrap_or_default();
    for (i, (unit, child)) in manifest.units.iter().zip(children).enumerate() {
        let child = child?;
        if child.kind != expected {
            return Err(InputError::new(
                ErrorKind::Unit,
                file,
                format!(
                    "unit '{unit}' is a '{}' inspection; a '{}' inspection rolls up '{expected}' inspections",
                    child.kind, inspection.kind
                ),
            )
            .at_column(format!("units[{i}]")));
        }
        if let Some(region) = &child.region
            && region != &inspection.unit
        {
            return Err(InputError::new(
                ErrorKind::Unit,
                file,
                format!(
                    "unit '{unit}' ({}) belongs to region '{region}', not '{}'",
                    child.unit, inspection.unit
                ),
            )
            .at_column(format!("units[{i}]")));
        }
        inspection.units.push(child);
    }
    Ok((inspection, fw, manifest_file))
}

/// A PDU inspection's path in a region's `units`: relative, inside the region's directory or
/// beside it (one leading `..`, as `../derby-city`), never further up, so that an export writes
/// nothing outside the directory it was given and the one that holds it.
fn check_unit_path(unit: &str) -> Result<(), String> {
    let refused = || {
        format!(
            "'{unit}' is not allowed: a PDU inspection's path is relative, inside the region's directory or beside it ('pdu' or '../pdu')"
        )
    };
    text::check_line(unit, text::LINE_MAX_CHARS).map_err(|p| format!("the path {p}"))?;
    let path = Path::new(unit);
    let mut parts = path.components().peekable();
    if parts.peek() == Some(&std::path::Component::ParentDir) {
        parts.next();
    }
    let mut named = 0;
    for part in parts {
        match part {
            std::path::Component::Normal(_) => named += 1,
            std::path::Component::CurDir => {}
            _ => return Err(refused()),
        }
    }
    if named == 0 {
        return Err(refused());
    }
    Ok(())
}

fn not_found(path: &Path) -> InputError {
    InputError::new(ErrorKind::Io, path.display().to_string(), "no such file")
}

fn line_of(text: &str, offset: usize) -> u64 {
    text[..offset.min(text.len())].matches('\n').count() as u64 + 1
}

fn resolve_framework<'f>(
    manifest: &Manifest,
    file: &str,
    framework: Option<&'f Framework>,
) -> Result<&'f Framework, InputError> {
    let fw = match framework {
        Some(fw) => {
            if fw.id != manifest.framework {
                return Err(InputError::new(
                    ErrorKind::Framework,
                    file,
                    format!(
                        "the inspection uses framework '{}' but the framework given is '{}'",
                        manifest.framework, fw.id
                    ),
                )
                .at_column("framework"));
            }
            fw
        }
        None => builtin_by_id(&manifest.framework).ok_or_else(|| {
            InputError::new(
                ErrorKind::Framework,
                file,
                format!(
                    "unknown framework '{}'; built in: {}; or pass your own with --framework FILE",
                    manifest.framework,
                    crate::framework::BUILTIN
                        .iter()
                        .map(|(id, _)| *id)
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            )
            .at_column("framework")
        })?,
    };
    if let Some(version) = &manifest.framework_version
        && version != &fw.version
    {
        return Err(InputError::new(
            ErrorKind::Framework,
            file,
            format!(
                "the inspection is pinned to framework version {version} but version {} is loaded; moving an inspection to another version is an explicit step",
                fw.version
            ),
        )
        .at_column("framework_version"));
    }
    Ok(fw)
}

fn check_manifest(
    fw: &Framework,
    manifest: &Manifest,
    file: &str,
    allow_units: bool,
) -> Result<(), InputError> {
    let kind = fw.kind(&manifest.kind).ok_or_else(|| {
        InputError::new(
            ErrorKind::UnknownReference,
            file,
            format!(
                "unknown inspection kind '{}'; allowed: {}",
                manifest.kind,
                fw.kinds
                    .iter()
                    .map(|k| k.id.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            ),
        )
        .at_column("kind")
    })?;
    if manifest.unit.trim().is_empty() {
        return Err(
            InputError::new(ErrorKind::Syntax, file, "unit must not be empty").at_column("unit"),
        );
    }
    let named = [
        ("unit", Some(&manifest.unit)),
        ("region", manifest.region.as_ref()),
    ];
    for (field, value) in named {
        if let Some(value) = value
            && let Err(problem) = text::check_line(value, text::LINE_MAX_CHARS)
        {
            return Err(InputError::new(
                ErrorKind::BadValue,
                file,
                format!("the {field} {problem}"),
            )
            .at_column(field));
        }
    }
    for (i, unit) in manifest.units.iter().enumerate() {
        if let Err(problem) = check_unit_path(unit) {
            return Err(
                InputError::new(ErrorKind::Unit, file, problem).at_column(format!("units[{i}]"))
            );
        }
    }
    let ratings = || {
        fw.ratings
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for (code, entry) in &manifest.judged {
        let rating = entry.rating();
        let field = format!("judged.\"{code}\"");
        if let Some(rationale) = entry.rationale()
            && let Err(problem) = text::check_note(rationale)
        {
            return Err(InputError::new(
                ErrorKind::BadValue,
                file,
                format!("the rationale {problem}"),
            )
            .at_column(format!("{field}.rationale")));
        }
        let is_judged_here = kind.standards.contains(code)
            && fw.standard(code).is_some_and(|s| s.basis == Basis::Judged);
        if !is_judged_here {
            let judged: Vec<&str> = kind
                .standards
                .iter()
                .filter(|c| fw.standard(c).is_some_and(|s| s.basis == Basis::Judged))
                .map(String::as_str)
                .collect();
            return Err(InputError::new(
                ErrorKind::Judged,
                file,
                format!(
                    "'{code}' is not a judged standard of a {} inspection; judged standards: {}",
                    kind.id,
                    judged.join(", ")
                ),
            )
            .at_column(field));
        }
        if fw.rating(rating).is_none() {
            return Err(InputError::new(
                ErrorKind::UnknownReference,
                file,
                format!("'{rating}' is not a rating; allowed: {}", ratings()),
            )
            .at_column(field));
        }
    }
    for code in &kind.standards {
        let judged = fw.standard(code).is_some_and(|s| s.basis == Basis::Judged);
        if judged && !manifest.judged.contains_key(code) {
            return Err(InputError::new(
                ErrorKind::Judged,
                file,
                format!(
                    "no rating for judged standard {code}; add `\"{code}\" = \"<rating>\"` under [judged] (allowed: {})",
                    ratings()
                ),
            )
            .at_column("judged"));
        }
    }
    if !manifest.units.is_empty() && (kind.units.is_none() || !allow_units) {
        return Err(InputError::new(
            ErrorKind::Unit,
            file,
            format!(
                "a '{}' inspection does not roll up other inspections; remove `units`",
                kind.id
            ),
        )
        .at_column("units"));
    }
    Ok(())
}
