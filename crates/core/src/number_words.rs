//! Whole numbers as reports write them in words ("Nine of the 34 cases", "Twenty-eight"), read
//! back: zero to ninety-nine, in any letter case, tens and units joined by a hyphen. What a
//! reader of published text (the extractor) and the tests of rendered figures both need.

const UNITS: [&str; 20] = [
    "zero",
    "one",
    "two",
    "three",
    "four",
    "five",
    "six",
    "seven",
    "eight",
    "nine",
    "ten",
    "eleven",
    "twelve",
    "thirteen",
    "fourteen",
    "fifteen",
    "sixteen",
    "seventeen",
    "eighteen",
    "nineteen",
];

const TENS: [&str; 10] = [
    "", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety",
];

/// The number `word` names ("nine" → 9, "Twenty-eight" → 28), or `None` for anything else.
pub fn parse(word: &str) -> Option<u64> {
    let w = word.to_lowercase();
    let (tens, units) = w.split_once('-').unwrap_or((&w, ""));
    if let Some(n) = UNITS.iter().position(|u| *u == tens) {
        return units.is_empty().then_some(n as u64);
    }
    let t = TENS.iter().position(|t| !t.is_empty() && *t == tens)? as u64 * 10;
    match units {
        "" => Some(t),
        u => UNITS[1..10]
            .iter()
            .position(|x| *x == u)
            .map(|n| t + n as u64 + 1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words_read_as_numbers() {
        assert_eq!(parse("Nine"), Some(9));
        assert_eq!(parse("nineteen"), Some(19));
        assert_eq!(parse("Twenty-eight"), Some(28));
        assert_eq!(parse("ninety"), Some(90));
        assert_eq!(parse("twenty-ten"), None);
        assert_eq!(parse("one-two"), None);
        assert_eq!(parse("many"), None);
    }
}
