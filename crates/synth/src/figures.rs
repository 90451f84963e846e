//! The published figures of `tests/fixtures/published.toml` as data: every figure a report
//! prints that case data determines ([`FigureSpec`]: a share or count of cases answering a
//! question, of cases in a subgroup, of management oversight judgements), what it says
//! (`percent`, `count` and `of`, or bounds for words such as "just over half") and the counts
//! chosen to meet it (`yes` of `relevant`), from which the generator builds the fixtures.
//! [`FigureSpec::check`] says whether counts read back from the data show the printed figure.

use std::collections::BTreeMap;

use casework_core::framework::printed_percent;
use casework_core::subgroup::Subgroup;
use serde::Deserialize;

/// What a figure counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Measure {
    /// Cases answering `answer` to `question`, of those where it was relevant (Yes or No).
    Answer,
    /// Cases in the subgroup `where`, of those in `within` (every case if absent).
    Cases,
    /// Management oversight judged `oversight`, of every judged case (`over = "all"`) or of the
    /// cases that needed it (`over = "needed"`).
    Oversight,
    /// On every key question (or `question` alone), the subgroup `where` answered Yes in a larger
    /// share of its relevant cases than the subgroup `versus` ("work by probation officers was
    /// assessed more positively than that of other grades across all 12 key questions").
    Comparison,
    /// A figure the case record cannot give; `note` says what it would need.
    Unsupported,
}

/// One printed figure. Field names are those of `published.toml`.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FigureSpec {
    /// The line of the report text (`../shared/seeds/<seed>`) that prints it.
    pub line: u32,
    /// The figure as printed: its number words only.
    pub printed: String,
    /// Which instrument's cases; the framework's primary one where absent.
    #[serde(default)]
    pub instrument: Option<String>,
    pub measure: Measure,
    #[serde(default)]
    pub question: Option<String>,
    /// `yes` (the default) or `no`: which answer the figure counts.
    #[serde(default)]
    pub answer: Option<String>,
    /// `sufficient` or `shortfall` (insufficient, ineffective or absent).
    #[serde(default)]
    pub oversight: Option<String>,
    /// `all` (the default) or `needed`.
    #[serde(default)]
    pub over: Option<String>,
    #[serde(default)]
    pub within: Option<Subgroup>,
    #[serde(default, rename = "where")]
    pub subgroup: Option<Subgroup>,
    /// For a comparison: the subgroup `where` is compared with.
    #[serde(default)]
    pub versus: Option<Subgroup>,
    /// Printed as a whole percentage (rounded half up).
    #[serde(default)]
    pub percent: Option<u32>,
    /// Printed as a count, and its denominator where printed.
    #[serde(default)]
    pub count: Option<u64>,
    #[serde(default)]
    pub of: Option<u64>,
    /// Bounds on the fraction for a verbal figure: strict (`above`, `below`) or inclusive.
    #[serde(default)]
    pub above: Option<f64>,
    #[serde(default)]
    pub below: Option<f64>,
    #[serde(default)]
    pub at_least: Option<f64>,
    #[serde(default)]
    pub at_most: Option<f64>,
    /// The counts chosen to meet it: the figure's numerator (of `answer`, so No answers for
    /// `answer = "no"`) and denominator.
    #[serde(default)]
    pub yes: Option<u64>,
    #[serde(default)]
    pub relevant: Option<u64>,
    /// Which denominator the counts assume: all, not-adjusted, stated, guessed, ...
    #[serde(default)]
    pub rule: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
}

impl FigureSpec {
    /// Whether it counts No answers.
    pub fn counts_no(&self) -> bool {
        self.answer.as_deref() == Some("no")
    }

    /// The subgroup it is about (every case where absent).
    pub fn subgroup(&self) -> Subgroup {
        self.subgroup.clone().unwrap_or_default()
    }

    /// Whether `numerator` of `denominator` shows as printed: the same rounded percentage, the
    /// same count (and denominator where printed), inside the bounds. `Err` says how it differs.
    pub fn check(&self, numerator: u64, denominator: u64) -> Result<(), String> {
        if denominator == 0 {
            return Err("no cases to count".into());
        }
        let shown = format!(
            "{numerator} of {denominator} ({}%)",
            printed_percent(numerator, denominator)
        );
        let fraction = numerator as f64 / denominator as f64;
        let fails = [
            self.percent
                .is_some_and(|p| printed_percent(numerator, denominator) != p),
            self.count.is_some_and(|c| c != numerator),
            self.of.is_some_and(|o| o != denominator),
            self.above.is_some_and(|b| fraction <= b),
            self.below.is_some_and(|b| fraction >= b),
            self.at_least.is_some_and(|b| fraction < b),
            self.at_most.is_some_and(|b| fraction > b),
        ];
        if fails.iter().any(|f| *f) {
            return Err(format!("printed '{}', the data give {shown}", self.printed));
        }
        Ok(())
    }
}

/// Yes and relevant counts per question from the answer figures without a subgroup, and per
/// question and subgroup from those with one. `Err` names a question two figures give
/// different counts.
#[allow(clippy::type_complexity)]
pub fn answer_targets(
    figures: &[FigureSpec],
) -> Result<
    (
        BTreeMap<String, crate::Target>,
        BTreeMap<String, Vec<(Subgroup, crate::Target)>>,
    ),
    String,
> {
    let mut whole: BTreeMap<String, crate::Target> = BTreeMap::new();
    let mut within: BTreeMap<String, Vec<(Subgroup, crate::Target)>> = BTreeMap::new();
    for f in figures.iter().filter(|f| f.measure == Measure::Answer) {
        let (Some(question), Some(count), Some(relevant)) = (&f.question, f.yes, f.relevant) else {
            return Err(format!(
                "line {}: an answer figure needs question, yes and relevant",
                f.line
            ));
        };
        let yes = if f.counts_no() {
            relevant - count
        } else {
            count
        };
        let target = crate::Target { yes, relevant };
        let group = f.subgroup();
        let clash = |old: crate::Target| {
            format!(
                "line {}: {question} ({group}) is {yes} of {relevant} here but {} of {} in another figure",
                f.line, old.yes, old.relevant
            )
        };
        if group.is_everyone() {
            if let Some(old) = whole.insert(question.clone(), target)
                && old != target
            {
                return Err(clash(old));
            }
        } else {
            let list = within.entry(question.clone()).or_default();
            match list.iter().find(|(g, _)| *g == group) {
                Some((_, old)) if *old != target => return Err(clash(*old)),
                Some(_) => {}
                None => list.push((group, target)),
            }
        }
    }
    Ok((whole, within))
}
