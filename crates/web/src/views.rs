//! Rendering: the page templates (embedded at build time, auto-escaped by minijinja, so every
//! inspector's text reaches the page as text), and the view models pages and the API share, such
//! as the live ratings panel.

use std::sync::OnceLock;

use axum::http::StatusCode;
use casework_core::case::is_assessed;
use casework_core::rating::RatingOut;
use casework_core::{Framework, Inspection, Ratings};
use casework_store::AuditEntry;
use minijinja::Environment;
use serde::Serialize;

const TEMPLATES: &[(&str, &str)] = &[
    ("layout.html", include_str!("../templates/layout.html")),
    ("panel.html", include_str!("../templates/panel.html")),
    ("sign_in.html", include_str!("../templates/sign_in.html")),
    (
        "inspections.html",
        include_str!("../templates/inspections.html"),
    ),
    ("overview.html", include_str!("../templates/overview.html")),
    ("ratings.html", include_str!("../templates/ratings.html")),
    (
        "ratings_tables.html",
        include_str!("../templates/ratings_tables.html"),
    ),
    ("case.html", include_str!("../templates/case.html")),
    ("evidence.html", include_str!("../templates/evidence.html")),
    (
        "case_review.html",
        include_str!("../templates/case_review.html"),
    ),
    ("quality.html", include_str!("../templates/quality.html")),
    ("sample.html", include_str!("../templates/sample.html")),
    ("marking.html", include_str!("../templates/marking.html")),
    ("history.html", include_str!("../templates/history.html")),
    ("error.html", include_str!("../templates/error.html")),
    ("national.html", include_str!("../templates/national.html")),
    (
        "national_unit.html",
        include_str!("../templates/national_unit.html"),
    ),
    (
        "national_distributions.html",
        include_str!("../templates/national_distributions.html"),
    ),
    (
        "report_text.html",
        include_str!("../templates/report_text.html"),
    ),
    (
        "narrative.html",
        include_str!("../templates/narrative.html"),
    ),
    (
        "publication.html",
        include_str!("../templates/publication.html"),
    ),
    ("publish.html", include_str!("../templates/publish.html")),
    (
        "admin_users.html",
        include_str!("../templates/admin_users.html"),
    ),
    (
        "admin_user.html",
        include_str!("../templates/admin_user.html"),
    ),
    (
        "admin_password.html",
        include_str!("../templates/admin_password.html"),
    ),
];

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        // A path segment (`northmarch/ashvale` → `northmarch%2Fashvale`), as the routes expect.
        env.add_filter("segment", |s: String| crate::links::segment(&s));
        for (name, source) in TEMPLATES {
            env.add_template(name, source)
                .expect("templates are checked by the tests");
        }
        env
    })
}

/// A template context from `name => value` pairs of serialisable values.
macro_rules! ctx {
    ($($key:ident => $value:expr),* $(,)?) => {{
        let mut map = serde_json::Map::new();
        $( map.insert(stringify!($key).to_string(), serde_json::to_value(&$value).unwrap_or_default()); )*
        serde_json::Value::Object(map)
    }};
}
pub(crate) use ctx;

/// Renders a template; a template error converts into the caller's error (`WebError`, `PageError`).
pub fn render(name: &str, context: impl Serialize) -> Result<String, minijinja::Error> {
    environment()
        .get_template(name)?
        .render(minijinja::value::Serde(context))
}

/// The error page, rendered without a session (it must work when nothing else does).
pub fn error_page(status: StatusCode, message: &str) -> String {
    error_page_as(status, message, (), "")
}

/// The error page with the signed-in header (`me`, the session's `csrf` for signing out).
pub fn error_page_as(status: StatusCode, message: &str, me: impl Serialize, csrf: &str) -> String {
    render(
        "error.html",
        ctx! {
            // GOV.UK's own titles for the pages people meet most.
            title => match status.as_u16() {
                404 => "Page not found",
                403 => "You do not have permission to do that",
                500..=599 => "Sorry, there is a problem with the service",
                _ => status.canonical_reason().unwrap_or("Error"),
            },
            status => status.as_u16(),
            message => message,
            me => me,
            csrf => csrf,
            errors => (),
        },
    )
    .unwrap_or_else(|_| {
        format!(
            "<!DOCTYPE html><title>Error</title><p>{}</p>",
            status.as_u16()
        )
    })
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct Progress {
    pub instrument: String,
    pub label: String,
    pub assessed: usize,
    pub sampled: usize,
}

/// Cases assessed and sampled per instrument, over the inspection and its PDU inspections.
pub fn progress(fw: &Framework, inspection: &Inspection) -> Vec<Progress> {
    let weeks = fw.rules.reset_adjusted_max_weeks;
    fw.instruments
        .iter()
        .filter_map(|inst| {
            let sets: Vec<_> = std::iter::once(inspection)
                .chain(&inspection.units)
                .filter_map(|i| i.cases_for(&inst.id))
                .collect();
            let sampled: usize = sets.iter().map(|s| s.len()).sum();
            (sampled > 0).then(|| Progress {
                instrument: inst.id.clone(),
                label: inst.label.clone(),
                sampled,
                assessed: sets
                    .iter()
                    .flat_map(|s| s.rows())
                    .filter(|(case, answers)| is_assessed(inst, case, answers, weeks))
                    .count(),
            })
        })
        .collect()
}

/// An audit entry's before and after JSON.
pub fn parse_pair(e: &AuditEntry) -> (serde_json::Value, serde_json::Value) {
    let parse = |s: &Option<String>| {
        s.as_deref()
            .and_then(|t| serde_json::from_str(t).ok())
            .unwrap_or_default()
    };
    (parse(&e.before), parse(&e.after))
}

/// A rating as a GOV.UK tag.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Tag {
    pub id: String,
    pub label: String,
    /// The GOV.UK tag modifier class, e.g. `govuk-tag--green`.
    pub class: &'static str,
}

impl Tag {
    pub fn of(rating: Option<&RatingOut>) -> Tag {
        match rating {
            Some(r) => Tag {
                id: r.id.clone(),
                label: r.label.clone(),
                class: match r.id.as_str() {
                    "outstanding" => "govuk-tag--green",
                    "good" => "govuk-tag--turquoise",
                    "requires-improvement" => "govuk-tag--yellow",
                    "inadequate" => "govuk-tag--red",
                    _ => "govuk-tag--grey",
                },
            },
            None => Tag {
                id: "none".into(),
                label: "Not rated".into(),
                class: "govuk-tag--grey",
            },
        }
    }
}

/// One standard in the panel.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PanelStandard {
    pub code: String,
    pub name: String,
    pub rating: Tag,
    /// For a case-based standard: the percentage of its lowest key question, which rates it.
    pub lowest: Option<u32>,
    /// Every key question of a case-based standard, in framework order (empty for a judged one).
    pub key_questions: Vec<PanelKeyQuestion>,
    /// For a rated case-based standard: `secure` or `fragile` (`casework_core::certainty`).
    pub sureness: Option<String>,
}

/// One key question in the panel: its percentage of Yes (per cent, rounded; `None` when no
/// relevant case) and whether it is the lowest, which rates its standard.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct PanelKeyQuestion {
    pub id: String,
    pub percent: Option<u32>,
    pub driving: bool,
}

/// The ratings panel: score, overall rating and every standard's rating, as the reports open with.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Panel {
    pub unit: String,
    /// Cases still in progress, counted in none of these figures (`Ratings::in_progress`).
    pub in_progress: u64,
    pub score: u32,
    pub max_score: u32,
    pub overall: Tag,
    pub standards: Vec<PanelStandard>,
}

impl Panel {
    pub fn of(ratings: &Ratings) -> Panel {
        Panel {
            unit: ratings.unit.clone(),
            in_progress: ratings.in_progress,
            score: ratings.score,
            max_score: ratings.max_score,
            overall: Tag::of(ratings.overall.as_ref()),
            standards: ratings
                .standards
                .iter()
                .map(|s| PanelStandard {
                    code: s.code.clone(),
                    name: s.name.clone(),
                    rating: Tag::of(s.rating.as_ref()),
                    lowest: s
                        .key_questions
                        .iter()
                        .find(|k| k.driving)
                        .and_then(|k| k.percent),
                    key_questions: s
                        .key_questions
                        .iter()
                        .map(|k| PanelKeyQuestion {
                            id: k.id.clone(),
                            percent: k.percent,
                            driving: k.driving,
                        })
                        .collect(),
                    sureness: s.certainty.as_ref().map(|c| c.sureness.label().to_string()),
                })
                .collect(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_template_parses_and_the_error_page_escapes() {
        for (name, _) in TEMPLATES {
            environment().get_template(name).expect(name);
        }
        let page = error_page(StatusCode::NOT_FOUND, "<script>x</script>");
        assert!(page.contains("&lt;script&gt;"));
        assert!(!page.contains("<script>x"));
    }
}
