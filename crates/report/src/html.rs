//! The HTML report: one self-contained, accessible page (inline CSS, inline SVG charts, no
//! JavaScript) rendered from a [`Document`] with minijinja. Auto-escaping is on for the whole
//! template: inspectors' text can never become markup. The charts are the only pre-rendered
//! markup, and `chart` escapes every text it draws.

use minijinja::value::Serde;
use minijinja::{AutoEscape, Environment, context};

use crate::document::Document;
use crate::error::ReportError;

const TEMPLATE: &str = include_str!("../templates/report.html");

/// Renders the report page.
pub fn render(doc: &Document) -> Result<String, ReportError> {
    let mut env = Environment::new();
    env.set_auto_escape_callback(|_| AutoEscape::Html);
    env.add_template("report.html", TEMPLATE)
        .map_err(ReportError::Template)?;
    env.get_template("report.html")
        .and_then(|t| t.render(context! { doc => Serde(doc) }))
        .map_err(ReportError::Template)
}
