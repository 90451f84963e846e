//! The one place colours are chosen: each rating's fill and text colour, as the published reports
//! colour them. The document, the charts and every renderer take them from here.

/// Fill and text colours per rating id, as the published reports colour them.
pub fn colours(rating_id: &str) -> (&'static str, &'static str) {
    match rating_id {
        "outstanding" => ("#005a30", "#ffffff"),
        "good" => ("#85994b", "#0b0c0c"),
        "requires-improvement" => ("#ffbf47", "#0b0c0c"),
        "inadequate" => ("#d4351c", "#ffffff"),
        _ => ("#b1b4b6", "#0b0c0c"),
    }
}
