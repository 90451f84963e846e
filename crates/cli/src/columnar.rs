//! Published results as a Parquet file (issue 18; researchers read it with pandas, R and DuckDB):
//! one row per result, its own fields as columns (text as UTF-8, score and maximum as 32-bit
//! integers, missing values null), one column per standard code holding its rating
//! (`rating P2.1`), and `result_json`, the whole result as `casework published export` writes it,
//! so that reading the file back gives the results exactly.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use anyhow::{Context, Result, bail};
use casework_core::published::{self, PublishedResult, table};
use parquet::basic::{ConvertedType, Repetition, Type as PhysicalType};
use parquet::data_type::{ByteArray, ByteArrayType, Int32Type};
use parquet::file::properties::WriterProperties;
use parquet::file::reader::{FileReader, SerializedFileReader};
use parquet::file::writer::SerializedFileWriter;
use parquet::record::Field;
use parquet::schema::types::Type;

/// The column holding each whole result.
pub const RESULT_JSON: &str = "result_json";

/// One column's values, in row order.
enum Column {
    Text(Vec<Option<String>>),
    Number(Vec<Option<u32>>),
}

fn columns(results: &[PublishedResult]) -> Vec<(String, Column)> {
    let text =
        |f: fn(&PublishedResult) -> Option<String>| Column::Text(results.iter().map(f).collect());
    let mut out = vec![
        ("unit".to_string(), text(|r| r.unit.clone())),
        ("region".into(), text(|r| r.region.clone())),
        ("kind".into(), text(|r| r.kind.clone())),
        ("programme".into(), text(|r| r.programme.clone())),
        ("published".into(), text(|r| r.published.clone())),
        (
            "fieldwork_started".into(),
            text(|r| r.fieldwork_started.clone()),
        ),
        (
            "score".into(),
            Column::Number(results.iter().map(|r| r.score).collect()),
        ),
        (
            "score_max".into(),
            Column::Number(results.iter().map(|r| r.score_max).collect()),
        ),
        ("overall_rating".into(), text(|r| r.overall_rating.clone())),
        ("title".into(), text(|r| r.title.clone())),
        ("source_url".into(), text(|r| r.source_url.clone())),
        ("source_file".into(), text(|r| r.source_file.clone())),
        ("notes".into(), text(|r| r.notes.clone())),
    ];
    for code in table::standard_codes(results) {
        let ratings = results
            .iter()
            .map(|r| r.standard(&code).and_then(|s| s.rating.clone()))
            .collect();
        out.push((format!("rating {code}"), Column::Text(ratings)));
    }
    let whole = results
        .iter()
        .map(|r| serde_json::to_string(r).ok())
        .collect();
    out.push((RESULT_JSON.into(), Column::Text(whole)));
    out
}

/// Writes `results` to `path` as one row group.
pub fn write(path: &Path, results: &[PublishedResult]) -> Result<()> {
    let columns = columns(results);
    let fields = columns
        .iter()
        .map(|(name, column)| {
            let builder = match column {
                Column::Text(_) => Type::primitive_type_builder(name, PhysicalType::BYTE_ARRAY)
                    .with_converted_type(ConvertedType::UTF8),
                Column::Number(_) => Type::primitive_type_builder(name, PhysicalType::INT32),
            };
            builder
                .with_repetition(Repetition::OPTIONAL)
                .build()
                .map(Arc::new)
        })
        .collect::<Result<Vec<_>, _>>()?;
    let schema = Arc::new(
        Type::group_type_builder("published_results")
            .with_fields(fields)
            .build()?,
    );
    let file = File::create(path).with_context(|| format!("cannot create {}", path.display()))?;
    let mut writer =
        SerializedFileWriter::new(file, schema, Arc::new(WriterProperties::builder().build()))?;
    let mut group = writer.next_row_group()?;
    for (_, column) in &columns {
        let mut out = group.next_column()?.context("a column per field")?;
        match column {
            Column::Text(values) => {
                let levels: Vec<i16> = values.iter().map(|v| i16::from(v.is_some())).collect();
                let present: Vec<ByteArray> = values
                    .iter()
                    .flatten()
                    .map(|v| ByteArray::from(v.as_str()))
                    .collect();
                out.typed::<ByteArrayType>()
                    .write_batch(&present, Some(&levels), None)?;
            }
            Column::Number(values) => {
                let levels: Vec<i16> = values.iter().map(|v| i16::from(v.is_some())).collect();
                let present: Vec<i32> = values
                    .iter()
                    .flatten()
                    .map(|v| i32::try_from(*v).unwrap_or(i32::MAX))
                    .collect();
                out.typed::<Int32Type>()
                    .write_batch(&present, Some(&levels), None)?;
            }
        }
        out.close()?;
    }
    group.close()?;
    writer.close()?;
    Ok(())
}

/// Reads results from a file [`write`] wrote: each row's `result_json`, checked as JSON results
/// are (`published::from_json`), errors naming the row.
pub fn read(path: &Path) -> Result<Vec<PublishedResult>> {
    let name = path.display().to_string();
    let file = File::open(path).with_context(|| format!("cannot open {name}"))?;
    let reader =
        SerializedFileReader::new(file).with_context(|| format!("{name}: not a Parquet file"))?;
    let mut results = Vec::new();
    for (i, row) in reader.get_row_iter(None)?.enumerate() {
        let row = row.with_context(|| format!("{name}: row {}", i + 1))?;
        let json = row
            .get_column_iter()
            .find_map(|(column, field)| match field {
                Field::Str(text) if column == RESULT_JSON => Some(text.clone()),
                _ => None,
            });
        let Some(json) = json else {
            bail!(
                "{name}: row {} has no '{RESULT_JSON}' (a file `casework published export --format parquet` wrote has one per row)",
                i + 1
            );
        };
        let mut one = published::from_json(&json, &format!("{name}, row {}", i + 1))?;
        results.append(&mut one);
    }
    Ok(results)
}
