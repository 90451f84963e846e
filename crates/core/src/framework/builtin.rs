//! The published frameworks, compiled into the binary.

use std::sync::OnceLock;

use super::Framework;

/// (id, TOML text) of every built-in framework.
pub const BUILTIN: &[(&str, &str)] = &[
    (
        "probation-2023",
        include_str!("../../../../frameworks/probation-2023.toml"),
    ),
    (
        "probation-2021",
        include_str!("../../../../frameworks/probation-2021.toml"),
    ),
    (
        "probation-2018",
        include_str!("../../../../frameworks/probation-2018.toml"),
    ),
    (
        "dynamic-2025",
        include_str!("../../../../frameworks/dynamic-2025.toml"),
    ),
];

/// The default framework (HM Inspectorate of Probation, October 2023 programme).
pub fn builtin() -> &'static Framework {
    builtin_by_id("probation-2023").expect("the built-in framework is validated by its tests")
}

/// A built-in framework by id, parsed once.
pub fn builtin_by_id(id: &str) -> Option<&'static Framework> {
    static PARSED: OnceLock<Vec<Framework>> = OnceLock::new();
    let all = PARSED.get_or_init(|| {
        BUILTIN
            .iter()
            .map(|(id, text)| {
                Framework::from_toml(text, &format!("built-in {id}"))
                    .unwrap_or_else(|e| panic!("built-in framework is invalid: {e}"))
            })
            .collect()
    });
    all.iter().find(|f| f.id == id)
}
