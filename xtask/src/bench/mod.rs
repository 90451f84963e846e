//! The benchmarks: rating a national data set, the store's import and edit latency, and the report.
//! Each reports ratios against a peer measured in the same run (BENCHMARKS.md); none asserts.

pub mod rating;
pub mod report;
pub mod store;
