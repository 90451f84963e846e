//! `casework national`: the league table of stored published results (issue 18; built by
//! `casework_report::national`, as the web's national page and `/api/v1/national` build it),
//! filtered by programme, kind, region and year and sorted by score or by a standard's rating; as
//! a table, JSON or CSV (through the spreadsheet guard).

use anyhow::Result;
use casework_core::text::to_spreadsheet;
use casework_report::national::{LeagueQuery, LeagueRow, league, standard_codes};
use clap::ValueEnum;

use super::{Db, stored_results as stored};
use crate::outln;

#[derive(clap::Args)]
pub struct Args {
    /// Only this programme: 2018, 2021 or 2023.
    #[arg(long)]
    programme: Option<String>,
    /// Only this kind: pdu, region or crc_or_nps_division.
    #[arg(long)]
    kind: Option<String>,
    /// Only this region (any letter case).
    #[arg(long)]
    region: Option<String>,
    /// Only results published (or, without a date, fieldwork started) in this year.
    #[arg(long)]
    year: Option<u32>,
    /// Sort by score (default; as a share of its maximum, best first), unit, published, or a
    /// standard's code (its rating, best first).
    #[arg(long)]
    sort: Option<String>,
    #[arg(long, value_enum, default_value_t = NationalFormat::Table)]
    format: NationalFormat,
    #[command(flatten)]
    db: Db,
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum NationalFormat {
    Table,
    Json,
    Csv,
}

pub fn run(args: Args) -> Result<()> {
    let query = LeagueQuery {
        programme: args.programme,
        kind: args.kind,
        region: args.region,
        year: args.year,
        sort: args.sort,
    };
    query.check().map_err(anyhow::Error::msg)?;
    let all = stored(&args.db)?;
    if all.is_empty() {
        return outln!("no published results stored (see `casework published import`)")
            .map_err(Into::into);
    }
    let rows = league(&all, &query);
    match args.format {
        NationalFormat::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&rows).expect("rows serialise")
        )?,
        NationalFormat::Csv => outln!("{}", csv_of(&rows).trim_end())?,
        NationalFormat::Table => {
            outln!(
                "{:>4}  {:<40} {:<20} {:<9} {:<10} {:>6}  {:<22} {}",
                "rank",
                "unit",
                "region",
                "programme",
                "published",
                "score",
                "overall",
                "checks"
            )?;
            for (i, r) in rows.iter().enumerate() {
                outln!(
                    "{:>4}  {:<40} {:<20} {:<9} {:<10} {:>6}  {:<22} {}",
                    i + 1,
                    r.unit,
                    r.region.as_deref().unwrap_or("-"),
                    r.programme.as_deref().unwrap_or("-"),
                    r.published.as_deref().unwrap_or("-"),
                    score(r),
                    r.overall_rating.as_deref().unwrap_or("-"),
                    match r.findings {
                        0 => "ok".to_string(),
                        1 => "1 finding".to_string(),
                        n => format!("{n} findings"),
                    }
                )?;
            }
        }
    }
    Ok(())
}

fn score(r: &LeagueRow) -> String {
    match (r.score, r.score_max) {
        (Some(s), Some(m)) => format!("{s}/{m}"),
        (Some(s), None) => s.to_string(),
        _ => "-".into(),
    }
}

/// The league as CSV: rank, the result's fields, one column per standard code seen.
fn csv_of(rows: &[LeagueRow]) -> String {
    let codes = standard_codes(rows);
    let mut out = csv::Writer::from_writer(Vec::new());
    let mut header = vec![
        "rank",
        "id",
        "unit",
        "region",
        "kind",
        "programme",
        "published",
        "score",
        "score_max",
        "overall_rating",
        "findings",
    ];
    header.extend(codes.iter().map(String::as_str));
    out.write_record(&header).expect("writes to memory");
    for (i, r) in rows.iter().enumerate() {
        let text = |v: &Option<String>| to_spreadsheet(v.as_deref().unwrap_or("")).into_owned();
        let number = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
        let mut row = vec![
            (i + 1).to_string(),
            r.id.to_string(),
            to_spreadsheet(&r.unit).into_owned(),
            text(&r.region),
            text(&r.kind),
            text(&r.programme),
            text(&r.published),
            number(r.score),
            number(r.score_max),
            text(&r.overall_rating),
            r.findings.to_string(),
        ];
        for code in &codes {
            let rating = r
                .ratings
                .iter()
                .find(|(c, _)| c == code)
                .and_then(|(_, rating)| rating.clone());
            row.push(text(&rating));
        }
        out.write_record(&row).expect("writes to memory");
    }
    String::from_utf8(out.into_inner().expect("flushes")).expect("UTF-8")
}
