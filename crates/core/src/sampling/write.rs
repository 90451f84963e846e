//! A caseload extract written back as CSV: only the fields read (what the store keeps of an
//! extract), in the shape `extract::read_csv` reads with the default mapping.

use super::extract::Caseload;
use crate::framework::Framework;

/// `20240729` as `2024-07-29`.
pub fn iso(day: u32) -> String {
    format!(
        "{:04}-{:02}-{:02}",
        day / 10_000,
        day / 100 % 100,
        day % 100
    )
}

impl Caseload {
    /// The fields read, as CSV that `extract::read_csv` reads back with the default mapping: reference,
    /// pdu, sentence, start (ISO), reset_weeks, then the attributes carried. What the store keeps
    /// of an extract (nothing else was read).
    pub fn to_csv(&self, fw: &Framework) -> String {
        let mut w = csv::Writer::from_writer(Vec::new());
        let mut header = vec!["reference", "pdu", "sentence", "start", "reset_weeks"];
        header.extend(
            self.attributes
                .iter()
                .map(|&a| fw.attributes[a].id.as_str()),
        );
        let _ = w.write_record(&header);
        for (i, c) in self.cases.iter().enumerate() {
            let mut row = vec![
                c.reference.clone(),
                self.pdus[c.pdu as usize].clone(),
                c.sentence.id().to_string(),
                iso(c.start),
                c.reset_weeks.map_or(String::new(), |w| w.to_string()),
            ];
            row.extend((0..self.attributes.len()).map(|slot| {
                self.value(i, slot).map_or(String::new(), |v| {
                    fw.attributes[self.attributes[slot]].values[v as usize]
                        .id
                        .clone()
                })
            }));
            let _ = w.write_record(&row);
        }
        String::from_utf8(w.into_inner().unwrap_or_default()).unwrap_or_default()
    }
}
