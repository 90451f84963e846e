//! Casework's synthetic data, made deterministically from a seed: cases with exactly the Yes and
//! relevant counts asked for ([`generate`]), the fictional demo region that `casework demo` writes
//! and `casework serve` loads into an empty database ([`demo`]), and the acceptance fixtures made
//! from the five reference reports' published figures ([`fixtures`]). Everything is made in memory:
//! an inspection, or the files of an inspection directory as (relative path, text); callers write
//! them where they need them. [`caseload`] makes a caseload extract for the sample draw;
//! [`domain_one`] domain one's survey exports, interview and measure tables.

pub mod caseload;
pub mod choose;
pub mod demo;
pub mod domain_one;
pub mod figures;
pub mod fixtures;
pub mod generate;
pub mod published;

pub use generate::{
    Mix, Rng, SubgroupTargets, SynthError, Target, generate, generate_within, inspection, split,
};

/// The files of an inspection directory tree: (path relative to the tree's root, text).
pub type Files = Vec<(std::path::PathBuf, String)>;
