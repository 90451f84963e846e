//! Domain one's evidence as named figures (issue 17), so a narrative states them by name and the
//! lint keeps those pages honest too. Names:
//! - `survey.<survey>.respondents`; `survey.<survey>.<question>.agree` ("15 out of 20": agreeing
//!   of those who answered), `.answered`, and `.percent` ("75%");
//! - `interview.<role>.people`; `interview.<role>.<topic>.positive` ("24 out of 31": positive
//!   judgements of the people of that role with whom the topic was discussed), `.negative`,
//!   `.mixed`, `.discussed`, and `.percent` (the positive share);
//! - `<group>.<measure>` for a measure (`staffing.po-vacancy-rate` → "12.5%",
//!   `performance.upw-hours-outstanding` → "2,345"), with `.date` and `.source`.
//!
//! The small-numbers rule (`casework_core::domain_one::shows_percent`): where fewer people than
//! the framework's threshold answered, `.percent` shows the count ("3 out of 4") instead.

use casework_core::domain_one::{Evidence, Measure, Unit, shows_percent};
use casework_core::framework::{EvidenceSettings, printed_percent};

use crate::figures::{Figure, Figures};

/// Adds every figure of `evidence` to `figures` (see the module).
pub fn add_figures(figures: &mut Figures, evidence: &Evidence, settings: &EvidenceSettings) {
    let share = |n: u64, of: u64| {
        if of > 0 && shows_percent(settings, of) {
            Figure::percent(printed_percent(n, of))
        } else {
            Figure::out_of(n, of)
        }
    };
    for s in &evidence.surveys {
        let at = |what: &str| format!("survey.{}.{what}", s.survey);
        figures.put(&at("respondents"), Figure::count(s.respondents));
        for q in &s.questions {
            let at = |what: &str| at(&format!("{}.{what}", q.id));
            figures.put(&at("agree"), Figure::out_of(q.agree, q.answered));
            figures.put(&at("answered"), Figure::count(q.answered));
            figures.put(&at("percent"), share(q.agree, q.answered));
        }
    }
    for r in &evidence.interviews {
        let at = |what: &str| format!("interview.{}.{what}", r.role);
        figures.put(&at("people"), Figure::count(r.people));
        for t in &r.topics {
            let at = |what: &str| at(&format!("{}.{what}", t.topic));
            figures.put(&at("positive"), Figure::out_of(t.positive, t.discussed));
            figures.put(&at("negative"), Figure::out_of(t.negative, t.discussed));
            figures.put(&at("mixed"), Figure::out_of(t.mixed, t.discussed));
            figures.put(&at("discussed"), Figure::count(t.discussed));
            figures.put(&at("percent"), share(t.positive, t.discussed));
        }
    }
    for m in &evidence.measures {
        let name = format!("{}.{}", m.group.id(), m.id);
        figures.put(&name, measure(m));
        figures.put(
            &format!("{name}.date"),
            Figure::words(&casework_core::date::shown(&m.date).unwrap_or_default()),
        );
        figures.put(&format!("{name}.source"), Figure::words(&m.source));
    }
}

/// A measure as the report prints it: thousands separated, the decimals it was given, `%` for
/// a percentage.
fn measure(m: &Measure) -> Figure {
    let text = grouped(&m.value);
    let text = match m.unit {
        Unit::Percent => format!("{text}%"),
        _ => text,
    };
    match (m.unit, m.value.parse::<u64>()) {
        (Unit::Percent, _) => match m.value.parse::<u32>() {
            Ok(p) => Figure {
                text,
                ..Figure::percent(p)
            },
            Err(_) => Figure::words(&text),
        },
        (_, Ok(n)) => Figure {
            text,
            ..Figure::count(n)
        },
        (_, Err(_)) => Figure::words(&text),
    }
}

/// "2345.5" as "2,345.5" (GOV.UK style: commas in numbers over 999).
fn grouped(value: &str) -> String {
    let (sign, digits) = match value.strip_prefix('-') {
        Some(d) => ("-", d),
        None => ("", value),
    };
    let (whole, fraction) = match digits.split_once('.') {
        Some((w, f)) => (w, Some(f)),
        None => (digits, None),
    };
    let mut out = String::new();
    for (k, c) in whole.chars().enumerate() {
        if k > 0 && (whole.len() - k) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    match fraction {
        Some(f) => format!("{sign}{out}.{f}"),
        None => format!("{sign}{out}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn thousands_are_grouped_and_decimals_kept() {
        assert_eq!(grouped("2345"), "2,345");
        assert_eq!(grouped("1234567.50"), "1,234,567.50");
        assert_eq!(grouped("999"), "999");
        assert_eq!(grouped("-1000"), "-1,000");
        assert_eq!(grouped("0.5"), "0.5");
    }
}
