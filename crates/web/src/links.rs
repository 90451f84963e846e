//! Links to the service's pages. Inspection ids hold `/` and case references may hold anything, so
//! every link encodes its path segments; pages, views and the templates' `segment` filter all build
//! links here.

const SEGMENT: &percent_encoding::AsciiSet = &percent_encoding::NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

pub fn segment(text: &str) -> String {
    percent_encoding::utf8_percent_encode(text, SEGMENT).to_string()
}

pub fn inspection_href(slug: &str) -> String {
    format!("/inspections/{}", segment(slug))
}

pub fn case_href(slug: &str, instrument: &str, case_ref: &str) -> String {
    format!(
        "{}/cases/{}/{}",
        inspection_href(slug),
        segment(instrument),
        segment(case_ref)
    )
}
