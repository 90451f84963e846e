//! The benchmarks: rating a national data set, the store's import and edit latency, the report,
//! agreement statistics, the case sample's draw, and extracting published reports.
//! Each reports ratios against a peer measured in the same run (BENCHMARKS.md); none asserts.

pub mod agreement;
pub mod extract;
pub mod rating;
pub mod report;
pub mod sample;
pub mod store;
