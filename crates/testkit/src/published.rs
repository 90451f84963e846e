//! The five reference reports' published figures (`tests/fixtures/published.toml`, and their
//! domain-one evidence figures in `tests/fixtures/domain-one.toml`), as the acceptance tests read
//! them: the models are the generator's own (`casework_synth::fixtures`, `casework_synth::domain_one`).

pub use casework_synth::domain_one::{DomainOne, DomainOneInspection, EvidenceFigure};
pub use casework_synth::fixtures::{Published, PublishedInspection};

/// The published figures.
pub fn load() -> Published {
    let path = crate::paths::fixtures().join("published.toml");
    let text = std::fs::read_to_string(&path).expect("tests/fixtures/published.toml");
    Published::parse(&text, &path.display().to_string()).expect("a valid published.toml")
}

/// The domain-one evidence figures.
pub fn domain_one() -> DomainOne {
    let path = crate::paths::fixtures().join("domain-one.toml");
    let text = std::fs::read_to_string(&path).expect("tests/fixtures/domain-one.toml");
    DomainOne::parse(&text, &path.display().to_string()).expect("a valid domain-one.toml")
}
