//! Published results (issue 18): what published inspection reports state, as data researchers
//! compare across the country. `result.rs` the shape (JSON) with each figure's provenance;
//! `table.rs` its flat CSV table; `programme.rs` which built-in framework and kind a result is
//! of; `check.rs` the rules each result's figures must satisfy; `bands.rs` what all results
//! together say about the overall score bands. Reading report text into a result is the
//! `casework-extract` crate's job.

pub mod bands;
pub mod check;
pub mod programme;
pub mod result;
pub mod table;

pub use bands::{Edge, infer};
pub use check::{Finding, Rule, check, check_all, rating_of};
pub use programme::{Programme, frameworks, resolve};
pub use result::{
    How, Provenance, PublishedKeyQuestion, PublishedResult, PublishedSample, PublishedStandard,
    from_json, to_json,
};
