//! One field of a caseload extract as small integer codes, so that eligibility, strata and the
//! comparison count and group a million cases without building a string per case: the sentence
//! type's position in [`ExtractSentence::ALL`], the PDU's index in [`Caseload::pdus`], an
//! attribute value's index in the framework's declared values; `None` where the case has no value.
//! [`Column::text`] gives a code's id back ("licence", the PDU's name, "high").

use super::extract::Caseload;
use super::fields::{ExtractSentence, Field};
use crate::framework::Framework;

/// A field's values across a caseload (see the module).
#[derive(Debug, Clone, Copy)]
pub struct Column<'a> {
    fw: &'a Framework,
    caseload: &'a Caseload,
    field: Field,
    /// For an attribute: its slot among the attributes the extract carries (`None`: not carried,
    /// so every case is blank).
    slot: Option<usize>,
}

impl<'a> Column<'a> {
    /// `field` of `caseload`.
    pub fn new(fw: &'a Framework, caseload: &'a Caseload, field: Field) -> Column<'a> {
        let slot = match field {
            Field::Attribute(i) => caseload.attributes.iter().position(|&a| a == i),
            Field::Sentence | Field::Pdu => None,
        };
        Column {
            fw,
            caseload,
            field,
            slot,
        }
    }

    /// The field this column holds.
    pub fn field(&self) -> Field {
        self.field
    }

    /// How many codes there are: every code is below this.
    pub fn cardinality(&self) -> usize {
        match self.field {
            Field::Sentence => ExtractSentence::ALL.len(),
            Field::Pdu => self.caseload.pdus.len(),
            Field::Attribute(i) => self.fw.attributes[i].values.len(),
        }
    }

    /// Case `case`'s code; `None` when blank.
    pub fn code(&self, case: usize) -> Option<u32> {
        let c = &self.caseload.cases[case];
        match self.field {
            Field::Sentence => Some(c.sentence as u32),
            Field::Pdu => Some(c.pdu),
            Field::Attribute(_) => self
                .slot
                .and_then(|slot| self.caseload.value(case, slot))
                .map(u32::from),
        }
    }

    /// The id a code stands for (what [`Caseload::value_of`] gives).
    pub fn text(&self, code: u32) -> &'a str {
        match self.field {
            Field::Sentence => ExtractSentence::ALL[code as usize].id(),
            Field::Pdu => &self.caseload.pdus[code as usize],
            Field::Attribute(i) => &self.fw.attributes[i].values[code as usize].id,
        }
    }

    /// Each code's rank when the codes' texts, and `blank` for a blank value, are put in order
    /// as text: `ranks[code]`, and the blank's rank at `ranks[cardinality]`. Equal ranks only for
    /// equal texts, so comparing ranks compares texts.
    pub fn ranks(&self, blank: &str) -> Vec<u32> {
        let n = self.cardinality();
        let texts: Vec<&str> = (0..n as u32).map(|c| self.text(c)).chain([blank]).collect();
        let mut order: Vec<usize> = (0..=n).collect();
        order.sort_by(|&a, &b| texts[a].cmp(texts[b]));
        let mut ranks = vec![0u32; n + 1];
        let mut rank = 0;
        for (k, &code) in order.iter().enumerate() {
            if k > 0 && texts[code] != texts[order[k - 1]] {
                rank += 1;
            }
            ranks[code] = rank;
        }
        ranks
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::framework::builtin;
    use crate::sampling::extract::{ColumnMapping, read_csv};

    fn caseload() -> Caseload {
        let text = "reference,pdu,sentence,start,rosh\n\
                    C3,Zeta,licence,2024-07-29,high\n\
                    C1,Alpha,CO,2024-07-30,\n\
                    C2,Zeta,PSS,2024-07-31,low\n";
        read_csv(
            builtin(),
            "sentence-management",
            &ColumnMapping::default(),
            "x.csv",
            text,
        )
        .expect("reads")
    }

    #[test]
    fn codes_give_back_the_values_and_ranks_follow_the_text() {
        let fw = builtin();
        let caseload = caseload();
        for field in [Field::Sentence, Field::Pdu] {
            let column = Column::new(fw, &caseload, field);
            for case in 0..3 {
                let code = column.code(case).expect("never blank");
                assert_eq!(Some(column.text(code)), caseload.value_of(fw, case, field));
            }
        }
        let pdu = Column::new(fw, &caseload, Field::Pdu);
        // Zeta was seen first (code 0) but sorts after Alpha; text compares as bytes, so the
        // upper-case names come before "not recorded".
        assert_eq!(pdu.ranks("not recorded"), vec![1, 0, 2]);
        assert_eq!(pdu.ranks("Middle"), vec![2, 0, 1]);
        assert_eq!(
            pdu.ranks("Alpha"),
            vec![1, 0, 0],
            "equal texts, equal ranks"
        );
        let rosh = fw.attributes.iter().position(|a| a.id == "rosh");
        let column = Column::new(fw, &caseload, Field::Attribute(rosh.expect("declared")));
        assert_eq!(column.code(1), None, "blank");
        assert_eq!(column.code(0).map(|c| column.text(c)), Some("high"));
    }
}
