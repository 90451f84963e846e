//! Casework's domain: inspection frameworks as data, sampled cases and their answers, and the rating
//! engine that turns them into percentages, standard ratings, a score and an overall rating.
//!
//! The crate is pure and synchronous. It reads no files itself: [`input`] parses text that the caller
//! hands it, and directory loading takes a reader function, so the same code serves the CLI, tests
//! and (later) the store and web crates.

pub mod agreement;
pub mod answer;
pub mod band_changes;
pub mod case;
pub mod columns;
pub mod date;
pub mod domain_one;
pub mod double_marking;
pub mod framework;
pub mod funnel;
pub mod input;
pub mod input_error;
pub mod inspection;
pub mod narrative;
pub mod number_words;
pub mod proportion;
pub mod published;
pub mod qa_analysis;
pub mod qa_sample;
pub mod rating;
pub mod record;
pub mod review;
pub mod sampling;
pub mod subgroup;
pub mod text;

pub use answer::Answer;
pub use case::{CaseRecord, CaseSet, Oversight, SentenceType, StandardsSet};
pub use framework::{Framework, FrameworkError};
pub use inspection::Inspection;
pub use rating::{Ratings, certainty, rate};
