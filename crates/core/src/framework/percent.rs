//! A key question's percentage: as the report prints it (a whole number, rounded half up:
//! METHODOLOGY.md 4.2, [inferred] half up), exactly, and the value banded under a banding method.

use super::Banding;

/// The percentage as the report prints it: a whole number, rounded half up.
pub fn printed_percent(yes: u64, relevant: u64) -> u32 {
    // Integer arithmetic, so 12.5 rounds to 13 and nothing depends on float error; in u128, so
    // no count a u64 holds overflows it.
    let (yes, relevant) = (u128::from(yes), u128::from(relevant));
    ((200 * yes + relevant) / (2 * relevant)) as u32
}

/// The exact percentage as a float (only for display and for the `exact` banding comparison).
pub fn exact_percent(yes: u64, relevant: u64) -> f64 {
    yes as f64 * 100.0 / relevant as f64
}

/// The value compared with the band edges under a banding method.
pub fn percent_for_banding(yes: u64, relevant: u64, banding: Banding) -> f64 {
    match banding {
        Banding::Rounded => f64::from(printed_percent(yes, relevant)),
        Banding::Exact => exact_percent(yes, relevant),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn printed_percent_rounds_half_up() {
        assert_eq!(printed_percent(1, 8), 13); // 12.5
        assert_eq!(printed_percent(22, 34), 65); // 64.7
        assert_eq!(printed_percent(12, 34), 35); // 35.3
        assert_eq!(printed_percent(0, 5), 0);
        assert_eq!(printed_percent(5, 5), 100);
        assert_eq!(printed_percent(1, 200), 1); // 0.5
        assert_eq!(printed_percent(1, 201), 0); // 0.497
    }
}
