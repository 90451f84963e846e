//! The pieces of the `casework` binary that tests and benchmarks also use: reading and writing
//! inspection directories on disk, the text rendering of ratings, the synthetic case generator
//! behind `demo`, `bench` and the acceptance fixtures.

pub mod bench;
pub mod bench_report;
pub mod bench_store;
pub mod demo;
pub mod fixtures;
pub mod fsio;
pub mod report;
pub mod stored;
pub mod synth;
pub mod table;
pub mod terminal;
pub mod web;
pub mod xlsx;
