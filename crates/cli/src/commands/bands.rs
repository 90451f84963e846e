//! `casework bands infer`: what the stored published results say about each programme's overall
//! score bands (issue 18; `casework_core::published::bands`). For each edge between two overall
//! ratings of each kind: the range of first scores of the better rating that every result
//! allows, the results that pin each end, and whether the framework's own edge (for 2023,
//! [inferred]: METHODOLOGY.md 4.6) lies in it.

use anyhow::Result;
use casework_core::published::{self, Edge, PublishedResult};
use clap::{Subcommand, ValueEnum};

use super::{Db, stored_results as stored};
use crate::outln;

#[derive(Subcommand)]
pub enum Command {
    /// Every band edge's range from the stored results, checked against the frameworks' bands.
    Infer {
        #[arg(long, value_enum, default_value_t = BandsFormat::Table)]
        format: BandsFormat,
        #[command(flatten)]
        db: Db,
    },
}

#[derive(Clone, Copy, Debug, ValueEnum)]
pub enum BandsFormat {
    Table,
    Json,
}

pub fn run(command: Command) -> Result<()> {
    let Command::Infer { format, db } = command;
    let results: Vec<PublishedResult> = stored(&db)?.into_iter().map(|(_, r)| r).collect();
    let edges = published::infer(&published::frameworks(), &results);
    match format {
        BandsFormat::Json => outln!(
            "{}",
            serde_json::to_string_pretty(&edges).expect("edges serialise")
        )
        .map_err(Into::into),
        BandsFormat::Table => print_edges(&edges),
    }
}

/// Up to five results by name, then how many more (`--format json` lists them all).
fn names(results: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = results[..results.len().min(SHOWN)].join(", ");
    if results.len() > SHOWN {
        text.push_str(&format!(" and {} more", results.len() - SHOWN));
    }
    text
}

/// The edges as lines: programme, kind, the two ratings, the range, who pins it, the framework.
pub fn print_edges(edges: &[Edge]) -> Result<()> {
    outln!(
        "overall score bands: the first score of the better rating, as the stored results allow"
    )?;
    for e in edges.iter().filter(|e| e.results > 0) {
        let range = if !e.is_consistent() {
            format!("no score fits every result ({} > {})", e.lowest, e.highest)
        } else if e.is_pinned() {
            format!("exactly {}", e.lowest)
        } else {
            format!("{} to {}", e.lowest, e.highest)
        };
        let verdict = if e.framework_fits() {
            "fits"
        } else {
            "CONTRADICTED"
        };
        outln!(
            "  {} {} | {} | {}: {range}; the framework's {} {verdict}",
            e.programme,
            e.kind_label,
            e.below,
            e.above,
            e.framework_edge
        )?;
        if !e.pinned_from_below.is_empty() {
            outln!("      above the scores of: {}", names(&e.pinned_from_below))?;
        }
        if !e.pinned_from_above.is_empty() {
            outln!(
                "      at or below the scores of: {}",
                names(&e.pinned_from_above)
            )?;
        }
    }
    let silent = edges.iter().filter(|e| e.results == 0).count();
    if silent > 0 {
        outln!(
            "  ({silent} edges of kinds with no stored result with an overall rating are not shown)"
        )?;
    }
    Ok(())
}
