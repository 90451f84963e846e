//! Agreement between markers of the same cases (issue 19): percent agreement, Cohen's kappa,
//! Gwet's AC1 and Krippendorff's alpha, each with its standard error and 95% confidence interval.
//! Pure: a table of marks in, figures out.
//!
//! A table is one row per case (subject) and one column per marker; each cell is a category index
//! below `categories`, or `None` where that marker gave no mark (missing is missing, never a
//! category of its own). Which categories there are is the caller's: Yes/No agreement on a
//! question is two categories, with a disagreement about applicability (not applicable for one
//! marker, answered by the other) counted apart by the caller.
//!
//! The formulas, variances and intervals are Gwet's (K. L. Gwet, *Handbook of Inter-Rater
//! Reliability*, 4th ed., 2014: chapter 2 for percent agreement, 5 for the variances, 2 and 4 for
//! Krippendorff's alpha with missing marks), as the `irrCAC` package implements them, which the
//! tests check these against: Cohen's kappa is Conger's generalisation (J. Conger, *Psychological
//! Bulletin* 88, 1980), equal to Cohen's (1960) for two markers with every mark given; AC1 is
//! Gwet (2008, *British Journal of Mathematical and Statistical Psychology* 61); alpha is
//! Krippendorff's (1970; 2004) for nominal categories. Intervals are Student's t with n − 1 degrees
//! of freedom around the estimate, the upper end capped at 1; no finite population correction
//! (a QA sample's population is its inspection's cases, but Gwet's correction is left to the
//! caller who knows it).
//!
//! A coefficient that the data cannot give is [`Statistic::Undefined`] with the reason, never NaN
//! or 0: kappa and alpha when chance agreement is 1 (every mark in one category, where AC1 is
//! still defined), anything with no case marked twice.

use serde::Serialize;
use statrs::distribution::{ContinuousCDF, StudentsT};

/// The marks of one case: one cell per marker, a category index or `None` for no mark.
pub type Row = Vec<Option<usize>>;

/// An estimate with its spread: the coefficient, its standard error, the 95% confidence
/// interval (lower, upper; Student's t, upper capped at 1), and the percent agreement `pa` and
/// chance agreement `pe` it corrects (fractions, not per cent). `interval` is `None` when fewer
/// than two cases give a standard error.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    pub value: f64,
    pub standard_error: Option<f64>,
    pub interval: Option<(f64, f64)>,
    pub pa: f64,
    pub pe: f64,
}

/// A coefficient, or why the data cannot give one.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "kebab-case", tag = "status")]
pub enum Statistic {
    Defined(Estimate),
    Undefined { reason: String },
}

impl Statistic {
    fn undefined(reason: &str) -> Statistic {
        Statistic::Undefined {
            reason: reason.to_string(),
        }
    }

    /// The coefficient, if defined.
    pub fn value(&self) -> Option<f64> {
        match self {
            Statistic::Defined(e) => Some(e.value),
            Statistic::Undefined { .. } => None,
        }
    }
}

/// The share of cases, among those marked by at least two markers, on which the markers agree,
/// averaged over pairs of markers within a case (Gwet 2014, eq. 2.6 with identity weights); a
/// fraction. `None` when no case has two marks.
pub fn percent_agreement(rows: &[Row], categories: usize) -> Option<f64> {
    if categories == 0 {
        return None;
    }
    let flat = counts(rows, categories);
    let marked: Vec<&[f64]> = flat
        .chunks_exact(categories)
        .filter(|c| total(c) >= 2.0)
        .collect();
    if marked.is_empty() {
        return None;
    }
    Some(marked.iter().map(|c| agree(c)).sum::<f64>() / marked.len() as f64)
}

/// Per case, how many markers chose each category: one flat table, `categories` cells a case
/// (read with `chunks_exact(categories)`), so a large sample is one allocation.
fn counts<'a>(rows: impl IntoIterator<Item = &'a Row>, categories: usize) -> Vec<f64> {
    let mut flat = Vec::new();
    for row in rows {
        let at = flat.len();
        flat.resize(at + categories, 0.0);
        for k in row.iter().flatten() {
            if *k < categories {
                flat[at + *k] += 1.0;
            }
        }
    }
    flat
}

fn total(c: &[f64]) -> f64 {
    c.iter().sum()
}

/// The agreeing share of marker pairs in one case with `r = total(c) >= 2` marks.
fn agree(c: &[f64]) -> f64 {
    let r = total(c);
    c.iter().map(|&x| x * (x - 1.0)).sum::<f64>() / (r * (r - 1.0))
}

/// The estimate with its standard error and interval, from the per-case terms whose spread about
/// `center` gives the variance (`n` cases, Gwet 2014 eq. 5.23 shape:
/// var = Σ(tᵢ − center)² / (n(n − 1))); the interval is about `value`.
fn estimate(value: f64, center: f64, terms: &[f64], pa: f64, pe: f64) -> Statistic {
    let n = terms.len() as f64;
    if terms.len() < 2 {
        return Statistic::Defined(Estimate {
            value,
            standard_error: None,
            interval: None,
            pa,
            pe,
        });
    }
    let variance = terms.iter().map(|t| (t - center).powi(2)).sum::<f64>() / (n * (n - 1.0));
    let se = variance.sqrt();
    let interval = StudentsT::new(0.0, 1.0, n - 1.0).ok().map(|t| {
        let q = t.inverse_cdf(0.975);
        (value - q * se, (value + q * se).min(1.0))
    });
    Statistic::Defined(Estimate {
        value,
        standard_error: Some(se),
        interval,
        pa,
        pe,
    })
}

/// Gwet's AC1 (Gwet 2008; 2014 ch. 4, identity weights): chance agreement
/// pe = Σₖ πₖ(1 − πₖ) / (q − 1), πₖ the mean over cases of each case's share of marks in k.
/// Defined whenever some case has two marks; 1 when every mark agrees.
pub fn gwet_ac1(rows: &[Row], categories: usize) -> Statistic {
    let q = categories as f64;
    if categories < 2 {
        return Statistic::undefined("fewer than two categories");
    }
    let flat = counts(rows, categories);
    let counts: Vec<&[f64]> = flat
        .chunks_exact(categories)
        .filter(|c| total(c) >= 1.0)
        .collect();
    let n = counts.len() as f64;
    let twice = counts.iter().filter(|c| total(c) >= 2.0).count() as f64;
    if twice == 0.0 || categories < 2 {
        return Statistic::undefined("no case was marked by two markers");
    }
    let pa = counts
        .iter()
        .filter(|c| total(c) >= 2.0)
        .map(|c| agree(c))
        .sum::<f64>()
        / twice;
    let pi: Vec<f64> = (0..categories)
        .map(|k| counts.iter().map(|c| c[k] / total(c)).sum::<f64>() / n)
        .collect();
    let pe = pi.iter().map(|p| p * (1.0 - p)).sum::<f64>() / (q - 1.0);
    let ac1 = (pa - pe) / (1.0 - pe);
    let terms: Vec<f64> = counts
        .iter()
        .map(|c| {
            let r = total(c);
            let (pa_i, pe_r2) = if r >= 2.0 { (agree(c), pe) } else { (0.0, 0.0) };
            let ac1_i = (n / twice) * (pa_i - pe_r2) / (1.0 - pe);
            let pe_i = c.iter().zip(&pi).map(|(x, p)| x * (1.0 - p)).sum::<f64>() / (r * (q - 1.0));
            ac1_i - 2.0 * (1.0 - ac1) * (pe_i - pe) / (1.0 - pe)
        })
        .collect();
    estimate(ac1, ac1, &terms, pa, pe)
}

/// Cohen's kappa, as Conger's generalisation to any number of markers with missing marks
/// (Conger 1980; Gwet 2014 §5.3): chance agreement from each marker's own category shares,
/// pe = Σₖ (p̄ₖ² − s²ₖ / r), p̄ₖ the markers' mean share in k and s²ₖ its variance across markers.
/// Undefined when pe = 1 (every mark in one category) or no case has two marks.
pub fn cohen_kappa(rows: &[Row], categories: usize) -> Statistic {
    let raters = rows.first().map_or(0, Vec::len);
    let rows: Vec<&Row> = rows
        .iter()
        .filter(|r| r.iter().any(Option::is_some))
        .collect();
    let n = rows.len() as f64;
    if categories == 0 {
        return Statistic::undefined("no categories");
    }
    let flat = counts(rows.iter().copied(), categories);
    let counts: Vec<&[f64]> = flat.chunks_exact(categories).collect();
    let twice = counts.iter().filter(|c| total(c) >= 2.0).count() as f64;
    if twice == 0.0 || raters < 2 {
        return Statistic::undefined("no case was marked by two markers");
    }
    let r = raters as f64;
    // Each marker's count per category, and how many cases they marked.
    let mut classified = vec![vec![0.0; categories]; raters];
    for row in &rows {
        for (g, cell) in row.iter().enumerate() {
            if let Some(k) = cell.filter(|k| *k < categories) {
                classified[g][k] += 1.0;
            }
        }
    }
    let marked: Vec<f64> = classified.iter().map(|c| total(c)).collect();
    if marked.contains(&0.0) {
        return Statistic::undefined("a marker marked no case");
    }
    let share: Vec<Vec<f64>> = classified
        .iter()
        .zip(&marked)
        .map(|(c, m)| c.iter().map(|x| x / m).collect())
        .collect();
    let mean: Vec<f64> = (0..categories)
        .map(|k| share.iter().map(|s| s[k]).sum::<f64>() / r)
        .collect();
    let variance: Vec<f64> = (0..categories)
        .map(|k| {
            (share.iter().map(|s| s[k] * s[k]).sum::<f64>() - r * mean[k] * mean[k]) / (r - 1.0)
        })
        .collect();
    let pe: f64 = (0..categories)
        .map(|k| mean[k] * mean[k] - variance[k] / r)
        .sum();
    if (1.0 - pe).abs() < 1e-12 {
        return Statistic::undefined(
            "every mark is in one category, so chance agreement is complete",
        );
    }
    let pa = counts
        .iter()
        .filter(|c| total(c) >= 2.0)
        .map(|c| agree(c))
        .sum::<f64>()
        / twice;
    let kappa = (pa - pe) / (1.0 - pe);
    let terms: Vec<f64> = rows
        .iter()
        .zip(&counts)
        .map(|(row, c)| {
            // λ: how this case moves the markers' chance agreement (Gwet 2014 eq. 5.31).
            let mut lambda = 0.0;
            for (g, cell) in row.iter().enumerate() {
                let given = if cell.is_some() { 1.0 } else { 0.0 };
                for k in 0..categories {
                    let delta = if *cell == Some(k) { 1.0 } else { 0.0 };
                    let term = (delta - (given - marked[g] / n) * share[g][k]) * n / marked[g];
                    lambda += term * (r * mean[k] - share[g][k]);
                }
            }
            let pe_i = lambda / (r * (r - 1.0));
            let total_i = total(c);
            let (pa_i, pe_r2) = if total_i >= 2.0 {
                (agree(c), pe)
            } else {
                (0.0, 0.0)
            };
            let kappa_i = n / twice * (pa_i - pe_r2) / (1.0 - pe);
            kappa_i - 2.0 * (1.0 - kappa) * (pe_i - pe) / (1.0 - pe)
        })
        .collect();
    estimate(kappa, kappa, &terms, pa, pe)
}

/// Krippendorff's alpha for nominal categories, any number of markers and missing marks
/// (Krippendorff 1970; Gwet 2014 §2.4 and eq. 5.42 for its variance): over the cases with at
/// least two marks, pa = (1 − ε)·pa′ + ε with ε = 1/Σrᵢ, and pe = Σₖ πₖ² with πₖ the mean share of
/// marks in k. Undefined when pe = 1 or no case has two marks.
pub fn krippendorff_alpha(rows: &[Row], categories: usize) -> Statistic {
    if categories == 0 {
        return Statistic::undefined("no categories");
    }
    let flat = counts(rows, categories);
    let counts: Vec<&[f64]> = flat
        .chunks_exact(categories)
        .filter(|c| total(c) >= 2.0)
        .collect();
    if counts.is_empty() {
        return Statistic::undefined("no case was marked by two markers");
    }
    let n = counts.len() as f64;
    let r: Vec<f64> = counts.iter().map(|c| total(c)).collect();
    let r_mean = r.iter().sum::<f64>() / n;
    let epsilon = 1.0 / r.iter().sum::<f64>();
    let sum_q: Vec<f64> = counts
        .iter()
        .map(|c| c.iter().map(|&x| x * (x - 1.0)).sum())
        .collect();
    let pa_prime = sum_q
        .iter()
        .zip(&r)
        .map(|(s, ri)| s / (r_mean * (ri - 1.0)))
        .sum::<f64>()
        / n;
    let pa = (1.0 - epsilon) * pa_prime + epsilon;
    let pi: Vec<f64> = (0..categories)
        .map(|k| counts.iter().map(|c| c[k] / r_mean).sum::<f64>() / n)
        .collect();
    let pe: f64 = pi.iter().map(|p| p * p).sum();
    if (1.0 - pe).abs() < 1e-12 {
        return Statistic::undefined(
            "every mark is in one category, so chance agreement is complete",
        );
    }
    let alpha = (pa - pe) / (1.0 - pe);
    let alpha_prime = (pa_prime - pe) / (1.0 - pe);
    let terms: Vec<f64> = counts
        .iter()
        .zip(&r)
        .zip(&sum_q)
        .map(|((c, ri), s)| {
            let pa_i = s / (r_mean * (ri - 1.0)) - pa * (ri - r_mean) / r_mean;
            let alpha_i = (pa_i - pe) / (1.0 - pe);
            let pe_i = c.iter().zip(&pi).map(|(x, p)| x * p).sum::<f64>() / r_mean
                - pe * (ri - r_mean) / r_mean;
            alpha_i - 2.0 * (1.0 - alpha_prime) * (pe_i - pe) / (1.0 - pe)
        })
        .collect();
    // The spread is about alpha′ (Gwet's eq. 5.42), the interval about alpha.
    estimate(alpha, alpha_prime, &terms, pa, pe)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(marks: &[[&str; 2]]) -> Vec<Row> {
        marks
            .iter()
            .map(|pair| {
                pair.iter()
                    .map(|m| match *m {
                        "Y" => Some(1),
                        "N" => Some(0),
                        _ => None,
                    })
                    .collect()
            })
            .collect()
    }

    #[test]
    fn complete_agreement_in_one_category_leaves_kappa_and_alpha_undefined_and_ac1_one() {
        let rows = table(&[["Y", "Y"], ["Y", "Y"], ["Y", "Y"]]);
        assert!(matches!(cohen_kappa(&rows, 2), Statistic::Undefined { .. }));
        assert!(matches!(
            krippendorff_alpha(&rows, 2),
            Statistic::Undefined { .. }
        ));
        assert_eq!(gwet_ac1(&rows, 2).value(), Some(1.0));
        assert_eq!(percent_agreement(&rows, 2), Some(1.0));
        let json = serde_json::to_string(&cohen_kappa(&rows, 2)).expect("json");
        assert!(
            json.contains("\"undefined\"") && !json.contains("NaN"),
            "{json}"
        );
    }

    #[test]
    fn nothing_marked_twice_is_undefined_everywhere() {
        let rows = table(&[["Y", "-"], ["-", "N"]]);
        assert_eq!(percent_agreement(&rows, 2), None);
        for s in [
            cohen_kappa(&rows, 2),
            gwet_ac1(&rows, 2),
            krippendorff_alpha(&rows, 2),
        ] {
            assert!(matches!(s, Statistic::Undefined { .. }), "{s:?}");
        }
    }

    #[test]
    fn cohen_1960_two_markers_full_marks_is_cohens_kappa() {
        // 10 cases: agree Y on 5, N on 3, disagree on 2. pa = .8; each marker 6 Y of 10 and
        // 6 Y of 10 with the disagreements crossed, so pe = .6² + .4² = .52, κ = .28/.48.
        let rows = table(&[
            ["Y", "Y"],
            ["Y", "Y"],
            ["Y", "Y"],
            ["Y", "Y"],
            ["Y", "Y"],
            ["N", "N"],
            ["N", "N"],
            ["N", "N"],
            ["Y", "N"],
            ["N", "Y"],
        ]);
        let k = cohen_kappa(&rows, 2).value().expect("defined");
        assert!((k - 0.28 / 0.48).abs() < 1e-12, "{k}");
    }
}
