//! The five reference reports' published figures (`tests/fixtures/published.toml`), as the
//! acceptance tests read them: the model is the fixture generator's own
//! (`casework_synth::fixtures`).

pub use casework_synth::fixtures::{Published, PublishedInspection};

/// The published figures.
pub fn load() -> Published {
    let path = crate::paths::fixtures().join("published.toml");
    let text = std::fs::read_to_string(&path).expect("tests/fixtures/published.toml");
    Published::parse(&text, &path.display().to_string()).expect("a valid published.toml")
}
