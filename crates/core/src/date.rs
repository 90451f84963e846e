//! Calendar dates as people type them, and as reports print them. Casework keeps dates as ISO 8601
//! text (`2025-02-24`) and accepts, wherever a date is read, that form or the day-first form UK
//! users type (`24/02/2025`, `3/4/2025` for 3 April). Where only the month is known, a date is a
//! month (`2024-06` or `06/2024`), kept as such, never given an invented day: the reports print
//! "Fieldwork started June 2024". Anything else, including a month-first date such as
//! `02/24/2025`, is refused with what is allowed; a workbook's date cells arrive as ISO text already.

/// What the error messages list.
pub const ALLOWED: &str = "YYYY-MM-DD (2025-02-24), day first DD/MM/YYYY (24/02/2025), or a month where only the month is known: YYYY-MM (2024-06) or MM/YYYY (06/2024)";

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// A date in any accepted form, as `YYYY-MM-DD` (or `YYYY-MM` for a month); otherwise why not.
pub fn parse(text: &str) -> Result<String, String> {
    let text = text.trim();
    if let Some(month) = parse_month(text) {
        return month;
    }
    let (year, month, day) = day_of(text)?;
    Ok(format!("{year:04}-{month:02}-{day:02}"))
}

/// A full date (a day, not a month alone) in any accepted form, as `(year, month, day)`; a month
/// alone or anything else: why not. Allocates nothing for a date (a caseload extract has a
/// million).
pub fn parse_day(text: &str) -> Result<(u32, u32, u32), String> {
    let text = text.trim();
    if let Some(day) = common_day(text) {
        return Ok(day);
    }
    match parse_month(text) {
        Some(Ok(_)) => Err(format!("'{text}' is a month; a day is needed")),
        Some(Err(e)) => Err(e),
        None => day_of(text),
    }
}

/// The two common shapes, `DD/MM/YYYY` and `YYYY-MM-DD`, read byte by byte when they hold a date
/// of the calendar; `None` for anything else, which [`day_of`] reads (or refuses, saying why).
fn common_day(text: &str) -> Option<(u32, u32, u32)> {
    let b = text.as_bytes();
    if b.len() != 10 {
        return None;
    }
    let digits = |from: usize, to: usize| {
        b[from..to].iter().try_fold(0u32, |n, &c| {
            c.is_ascii_digit().then(|| n * 10 + u32::from(c - b'0'))
        })
    };
    let (year, month, day) = match (b[2], b[4], b[5], b[7]) {
        (b'/', _, b'/', _) => (digits(6, 10)?, digits(3, 5)?, digits(0, 2)?),
        (_, b'-', _, b'-') => (digits(0, 4)?, digits(5, 7)?, digits(8, 10)?),
        _ => return None,
    };
    ((1..=12).contains(&month) && day >= 1 && day <= days_in(year, month))
        .then_some((year, month, day))
}

/// A trimmed text that is not a month: a full date as `(year, month, day)`, or why not.
fn day_of(text: &str) -> Result<(u32, u32, u32), String> {
    let (year, month, day) = if let Some((y, m, d)) = split3(text, '-') {
        if y.len() != 4 || m.len() != 2 || d.len() != 2 {
            return Err(refused(text));
        }
        (number(y, text)?, number(m, text)?, number(d, text)?)
    } else if let Some((d, m, y)) = split3(text, '/') {
        if y.len() != 4 || !(1..=2).contains(&d.len()) || !(1..=2).contains(&m.len()) {
            return Err(refused(text));
        }
        let (day, month) = (number(d, text)?, number(m, text)?);
        if month > 12 && day <= 12 {
            return Err(format!(
                "'{text}' reads as month {month}: dates are day first (DD/MM/YYYY), or use YYYY-MM-DD"
            ));
        }
        (number(y, text)?, month, day)
    } else {
        return Err(refused(text));
    };
    if !(1..=12).contains(&month) || day == 0 || day > days_in(year, month) {
        return Err(format!("'{text}' is not a date in the calendar"));
    }
    Ok((year, month, day))
}

/// A month alone (`2024-06`, `06/2024`, `6/2024`) as `YYYY-MM`; `None` when `text` has not that
/// shape (it may still be a full date).
fn parse_month(text: &str) -> Option<Result<String, String>> {
    let (year, month) = match (text.split_once('-'), text.split_once('/')) {
        (Some((y, m)), None) if y.len() == 4 && m.len() == 2 && !m.contains('-') => (y, m),
        (None, Some((m, y))) if y.len() == 4 && (1..=2).contains(&m.len()) && !y.contains('/') => {
            (y, m)
        }
        _ => return None,
    };
    Some((|| {
        let (year, month) = (number(year, text)?, number(month, text)?);
        if !(1..=12).contains(&month) {
            return Err(format!("'{text}' is not a month of the calendar"));
        }
        Ok(format!("{year:04}-{month:02}"))
    })())
}

/// Whether `text` is already a date as Casework keeps it (`YYYY-MM-DD`, or `YYYY-MM`).
pub fn is_iso(text: &str) -> bool {
    parse(text).is_ok_and(|iso| iso == text)
}

/// A kept date as the reports print it: "24 February 2025", or "June 2024" for a month; `None`
/// for text that is not a kept date.
pub fn shown(iso: &str) -> Option<String> {
    if !is_iso(iso) {
        return None;
    }
    let month = MONTHS[iso.get(5..7)?.parse::<usize>().ok()? - 1];
    let year = iso.get(0..4)?;
    Some(match iso.get(8..10) {
        Some(day) => format!("{} {month} {year}", day.trim_start_matches('0')),
        None => format!("{month} {year}"),
    })
}

/// The month and year of a kept date: "February 2025" (what the reports' panel prints after
/// "Fieldwork started"); `None` for text that is not a kept date.
pub fn month_year(iso: &str) -> Option<String> {
    if !is_iso(iso) {
        return None;
    }
    let month = MONTHS[iso.get(5..7)?.parse::<usize>().ok()? - 1];
    Some(format!("{month} {}", iso.get(0..4)?))
}

fn refused(text: &str) -> String {
    format!("'{text}' is not a date; use {ALLOWED}")
}

fn split3(text: &str, sep: char) -> Option<(&str, &str, &str)> {
    let mut parts = text.split(sep);
    let parts = (parts.next()?, parts.next()?, parts.next()?, parts.next());
    match parts {
        (a, b, c, None) => Some((a, b, c)),
        _ => None,
    }
}

fn number(part: &str, text: &str) -> Result<u32, String> {
    if part.is_empty() || !part.bytes().all(|b| b.is_ascii_digit()) {
        return Err(refused(text));
    }
    part.parse().map_err(|_| refused(text))
}

fn days_in(year: u32, month: u32) -> u32 {
    match month {
        2 if year.is_multiple_of(4) && (!year.is_multiple_of(100) || year.is_multiple_of(400)) => {
            29
        }
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn iso_and_day_first_dates_are_accepted_and_the_rest_refused() {
        assert_eq!(parse("2025-02-24").as_deref(), Ok("2025-02-24"));
        assert_eq!(parse("24/02/2025").as_deref(), Ok("2025-02-24"));
        assert_eq!(parse(" 3/4/2025 ").as_deref(), Ok("2025-04-03"));
        assert_eq!(parse("29/02/2024").as_deref(), Ok("2024-02-29"));
        for bad in [
            "29/02/2025",
            "31/04/2025",
            "2025-13-01",
            "2025-2-24",
            "24/02/25",
            "24-02-2025",
            "2025/02/24",
            "",
            "yesterday",
            "1/1/2025/1",
            "+1/02/2025",
        ] {
            assert!(parse(bad).is_err(), "{bad}");
        }
        let month_first = parse("02/24/2025").expect_err("month first");
        assert!(month_first.contains("day first"), "{month_first}");
        assert!(is_iso("2025-02-24"));
        assert!(!is_iso("24/02/2025"));
    }

    #[test]
    fn a_month_is_kept_as_a_month_and_printed_without_a_day() {
        assert_eq!(parse("2024-06").as_deref(), Ok("2024-06"));
        assert_eq!(parse("6/2024").as_deref(), Ok("2024-06"));
        assert!(parse("2024-13").is_err());
        assert!(parse("13/2024").is_err());
        assert!(parse("2024-6").is_err());
        assert_eq!(shown("2024-06").as_deref(), Some("June 2024"));
        assert_eq!(shown("2025-02-04").as_deref(), Some("4 February 2025"));
        assert_eq!(month_year("2025-02-24").as_deref(), Some("February 2025"));
        assert_eq!(month_year("2024-06").as_deref(), Some("June 2024"));
        assert_eq!(shown("next week"), None);
    }

    #[test]
    fn a_day_is_read_as_parse_reads_it_with_or_without_the_fast_path() {
        let mut texts: Vec<String> = Vec::new();
        for year in [1900, 2000, 2023, 2024] {
            for month in 0..=13 {
                for day in 0..=32 {
                    texts.push(format!("{year:04}-{month:02}-{day:02}"));
                    texts.push(format!("{day:02}/{month:02}/{year:04}"));
                    texts.push(format!("{day}/{month}/{year}"));
                }
            }
        }
        for odd in [
            "2024-06",
            "06/2024",
            "0a/02/2025",
            "2025-02-3x",
            "02/24/2025",
            " 24/02/2025 ",
        ] {
            texts.push(odd.to_string());
        }
        for text in &texts {
            let day = parse_day(text).map(|(y, m, d)| format!("{y:04}-{m:02}-{d:02}"));
            match parse(text) {
                Ok(iso) if iso.len() == 10 => assert_eq!(day, Ok(iso), "{text}"),
                Ok(_) => assert!(day.is_err_and(|e| e.contains("a day is needed")), "{text}"),
                Err(e) => assert_eq!(day, Err(e), "{text}"),
            }
        }
    }
}
