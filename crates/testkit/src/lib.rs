//! What Casework's test suites share, so that none writes it again: a scratch database on either
//! backend that is dropped when the test ends and the macro that runs a scenario on both
//! ([`db`]), where the repository's fixtures and seeds are ([`paths`]), the five reports' published
//! figures ([`published`]), `casework serve` as a process with a small HTTP client ([`served`]),
//! and a browser-like client for a router driven in-process ([`client`]).

pub mod client;
pub mod db;
pub mod paths;
pub mod published;
pub mod served;

pub use db::{TestDb, exec, postgres_url_in_schema};
