//! The case sample in the report (issue 16): its named figures for the narrative
//! (`sample.population`, eligible cases; `sample.size`, cases in the sample now;
//! `sample.confidence`, a whole per cent; `sample.margin`, "9.9 percentage points" or
//! "undefined"; `sample.excluded`, cases excluded at fieldwork) and the methodology annexe's
//! paragraph stating them. The figures come from the stored draw
//! (`casework_web::sampling::figures`); nothing here computes a rule.

use crate::figures::{Figure, Figures};

/// A drawn sample's figures. Counts are cases; `confidence` and `margin` are fractions.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SampleFigures {
    pub population: u64,
    pub size: u64,
    pub confidence: f64,
    /// `None` where undefined (no case in the sample).
    pub margin: Option<f64>,
    pub excluded: u64,
}

fn margin_words(margin: Option<f64>) -> String {
    margin.map_or("undefined".into(), |m| {
        format!("{:.1} percentage points", m * 100.0)
    })
}

/// Adds the `sample.*` figures.
pub(crate) fn add_figures(figures: &mut Figures, s: &SampleFigures) {
    figures.put("sample.population", Figure::count(s.population));
    figures.put("sample.size", Figure::count(s.size));
    figures.put(
        "sample.confidence",
        Figure::percent((s.confidence * 100.0).round() as u32),
    );
    figures.put("sample.margin", Figure::words(&margin_words(s.margin)));
    figures.put("sample.excluded", Figure::count(s.excluded));
}

/// The annexe's paragraph on the sample.
pub(crate) fn paragraph(s: &SampleFigures) -> String {
    let mut text = format!(
        "The {} cases were drawn at random, stratified by sentence type and PDU, from the {} \
         eligible cases; at {:.0}% confidence that gives a margin of error of {} for a key \
         question's percentage.",
        s.size,
        s.population,
        s.confidence * 100.0,
        margin_words(s.margin)
    );
    if s.excluded > 0 {
        text.push_str(&format!(
            " {} drawn {} found out of scope at fieldwork and replaced from the reserves drawn with the sample.",
            s.excluded,
            if s.excluded == 1 { "case was" } else { "cases were" }
        ));
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_margin_is_in_points_or_undefined() {
        let s = SampleFigures {
            population: 150,
            size: 34,
            confidence: 0.8,
            margin: Some(0.0970),
            excluded: 1,
        };
        let mut f = Figures::default();
        add_figures(&mut f, &s);
        assert_eq!(
            f.get("sample.margin").map(|x| x.text.as_str()),
            Some("9.7 percentage points")
        );
        assert_eq!(
            f.get("sample.confidence").map(|x| x.text.as_str()),
            Some("80%")
        );
        assert!(paragraph(&s).contains("1 drawn case was found out of scope"));
        assert_eq!(margin_words(None), "undefined");
    }
}
