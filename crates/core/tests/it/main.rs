//! The core's integration tests, in one binary with a module per subject: the built-in framework,
//! framework validation, located input errors, the input limits and spellings, domain one's
//! evidence readers, and the rules'
//! properties at their boundaries.

mod agreement_peers;
mod attributes;
mod band_changes;
mod builtin_framework;
mod domain_one;
mod framework_errors;
mod funnel_peers;
mod in_progress;
mod input_errors;
mod input_limits;
mod messages;
mod properties;
mod proportion_peers;
mod published;
mod sampling;
mod scipy;
mod support;
