//! Is the sample like its population? For every stratum field and every attribute the extract
//! carries, each value's count and share in the eligible population and in the sample, and the
//! standardised difference of the two shares (P. C. Austin, "Balance diagnostics for comparing
//! the distribution of baseline covariates between treatment groups in propensity-score matched
//! samples", *Statistics in Medicine* 28, 2009, for a binary variable):
//! d = (p_sample − p_population) / √((p_sample(1 − p_sample) + p_population(1 − p_population)) / 2).
//! d is undefined (`None`, shown as "undefined") when the denominator is 0, both shares being 0
//! or 1. A value is flagged when |d| reaches the specification's `compare.large_difference`.

use serde::Serialize;

use super::codes::Column;
use super::extract::{Caseload, Field};
use super::spec::SampleSpec;
use crate::framework::Framework;

/// One value of one field, in the population and in the sample. Shares are fractions.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CompareRow {
    /// The field's label ("Sentence type", "PDU", "Risk of serious harm").
    pub field: String,
    /// The value's id ("licence", the PDU's name, "high"), or "not recorded".
    pub value: String,
    pub population: u64,
    pub population_share: f64,
    pub sample: u64,
    pub sample_share: f64,
    /// `None` where undefined (see the module).
    pub standardised_difference: Option<f64>,
    pub large: bool,
}

/// The table of sample against population.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Comparison {
    pub population: u64,
    pub sample: u64,
    /// The |d| at which a row is flagged.
    pub large_difference: f64,
    pub rows: Vec<CompareRow>,
}

/// Austin's standardised difference of two shares (fractions); `None` when undefined.
pub fn standardised_difference(sample: f64, population: f64) -> Option<f64> {
    let pooled = (sample * (1.0 - sample) + population * (1.0 - population)) / 2.0;
    (pooled > 0.0).then(|| (sample - population) / pooled.sqrt())
}

/// Compares the `sample` cases with the `population` cases (indices into `caseload`) on the
/// sentence type, the PDU, and every attribute the extract carries.
pub fn compare(
    fw: &Framework,
    spec: &SampleSpec,
    caseload: &Caseload,
    population: &[usize],
    sample: &[usize],
) -> Comparison {
    let mut fields = vec![Field::Sentence, Field::Pdu];
    fields.extend(caseload.attributes.iter().map(|&a| Field::Attribute(a)));
    let mut rows = Vec::new();
    for field in fields {
        let column = Column::new(fw, caseload, field);
        let blank = column.cardinality();
        // Counts per code, the blank last.
        let count = |cases: &[usize]| {
            let mut counts = vec![0u64; blank + 1];
            for &i in cases {
                counts[column.code(i).map_or(blank, |c| c as usize)] += 1;
            }
            counts
        };
        let (in_population, in_sample) = (count(population), count(sample));
        for code in table_order(&column) {
            let (p, s) = (in_population[code], in_sample[code]);
            if p == 0 && s == 0 {
                continue;
            }
            let share = |n: u64, of: usize| if of == 0 { 0.0 } else { n as f64 / of as f64 };
            let (ps, ss) = (share(p, population.len()), share(s, sample.len()));
            let d = standardised_difference(ss, ps);
            rows.push(CompareRow {
                field: field.label(fw).to_string(),
                value: if code == blank {
                    "not recorded"
                } else {
                    column.text(code as u32)
                }
                .to_string(),
                population: p,
                population_share: ps,
                sample: s,
                sample_share: ss,
                standardised_difference: d,
                large: d.is_some_and(|d| d.abs() >= spec.compare.large_difference),
            });
        }
    }
    Comparison {
        population: population.len() as u64,
        sample: sample.len() as u64,
        large_difference: spec.compare.large_difference,
        rows,
    }
}

/// A field's codes in the order tables list them: as declared (PDUs by name), the blank
/// ([`Column::cardinality`]) last.
fn table_order(column: &Column) -> Vec<usize> {
    let mut codes: Vec<usize> = (0..column.cardinality()).collect();
    if column.field() == Field::Pdu {
        codes.sort_by(|&a, &b| column.text(a as u32).cmp(column.text(b as u32)));
    }
    codes.push(column.cardinality());
    codes
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_standardised_difference_is_austins_and_undefined_at_the_edges() {
        // 0.5 against 0.3: 0.2 / √((0.25 + 0.21) / 2) = 0.41703...
        let d = standardised_difference(0.5, 0.3).expect("defined");
        assert!((d - 0.2 / 0.23f64.sqrt()).abs() < 1e-12, "{d}");
        assert_eq!(standardised_difference(0.3, 0.3), Some(0.0));
        assert_eq!(standardised_difference(0.0, 0.0), None);
        assert_eq!(standardised_difference(1.0, 1.0), None);
        assert_eq!(standardised_difference(1.0, 0.0), None);
        assert!(standardised_difference(0.0, 0.1).is_some_and(|d| d < 0.0));
    }
}
