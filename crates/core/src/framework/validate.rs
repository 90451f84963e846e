//! Validation of a parsed framework: every cross-reference resolves, ids are unique, bands cover their
//! range without gaps or overlaps. Every error names the key path and what is wrong.

use std::collections::{HashMap, HashSet};

use super::{Attribute, Basis, Framework, Index, QuestionKind, QuestionRef, Scope};

/// A framework that cannot be used, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{origin}: {path}: {problem}")]
pub struct FrameworkError {
    /// The file (or `built-in`).
    pub origin: String,
    /// The key path, e.g. `standards[4].key_questions[1]`.
    pub path: String,
    pub problem: String,
}

impl FrameworkError {
    pub(super) fn parse(origin: &str, text: &str, err: &toml::de::Error) -> FrameworkError {
        let path = match err.span() {
            Some(span) => {
                let before = &text[..span.start.min(text.len())];
                let line = before.matches('\n').count() + 1;
                let column = before.len() - before.rfind('\n').map_or(0, |i| i + 1) + 1;
                format!("line {line}, column {column}")
            }
            None => "(document)".to_string(),
        };
        FrameworkError {
            origin: origin.to_string(),
            path,
            problem: err.message().trim().to_string(),
        }
    }
}

struct Checker<'a> {
    origin: &'a str,
}

impl Checker<'_> {
    fn err(&self, path: impl Into<String>, problem: impl Into<String>) -> FrameworkError {
        FrameworkError {
            origin: self.origin.to_string(),
            path: path.into(),
            problem: problem.into(),
        }
    }

    fn unique<'s>(
        &self,
        items: impl Iterator<Item = &'s str>,
        path: impl Fn(usize) -> String,
        what: &str,
    ) -> Result<HashMap<String, usize>, FrameworkError> {
        let mut seen = HashMap::new();
        for (i, id) in items.enumerate() {
            if id.trim().is_empty() {
                return Err(self.err(path(i), format!("{what} must not be empty")));
            }
            if let Some(first) = seen.insert(id.to_string(), i) {
                return Err(self.err(
                    path(i),
                    format!("duplicate {what} '{id}' (first used at index {first})"),
                ));
            }
        }
        Ok(seen)
    }

    /// Checks that inclusive ranges cover `0..=top` exactly once.
    fn coverage(
        &self,
        bands: &[(u32, u32)],
        top: u32,
        path: &str,
        unit: &str,
    ) -> Result<(), FrameworkError> {
        if bands.is_empty() {
            return Err(self.err(path, "no bands given"));
        }
        let mut order: Vec<usize> = (0..bands.len()).collect();
        order.sort_by_key(|&i| bands[i].0);
        let mut next = 0u32;
        for &i in &order {
            let (min, max) = bands[i];
            let here = format!("{path}[{i}]");
            if min > max {
                return Err(self.err(here, format!("min {min} is above max {max}")));
            }
            if min > next {
                return Err(self.err(
                    here,
                    format!("gap: no band covers {next}..{} {unit}", min - 1),
                ));
            }
            if min < next {
                return Err(self.err(
                    here,
                    format!("overlap: {min} {unit} is already covered by another band"),
                ));
            }
            next = max + 1;
        }
        if next != top + 1 {
            return Err(self.err(
                path,
                format!(
                    "bands end at {} {unit} but must reach {top}",
                    next.saturating_sub(1)
                ),
            ));
        }
        Ok(())
    }
}

pub(super) fn validate(fw: &Framework, origin: &str) -> Result<Index, FrameworkError> {
    let c = Checker { origin };
    if fw.id.trim().is_empty() {
        return Err(c.err("id", "must not be empty"));
    }
    if fw.version.trim().is_empty() {
        return Err(c.err("version", "must not be empty"));
    }
    let figures_only = fw.ratings.is_empty();
    super::figures_only::check(fw).map_err(|(path, problem)| c.err(path, problem))?;
    let ratings = c.unique(
        fw.ratings.iter().map(|r| r.id.as_str()),
        |i| format!("ratings[{i}].id"),
        "rating id",
    )?;
    let rating_ids = || {
        fw.ratings
            .iter()
            .map(|r| r.id.as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };

    for (i, band) in fw.percentage_bands.iter().enumerate() {
        if !ratings.contains_key(&band.rating) {
            return Err(c.err(
                format!("percentage_bands[{i}].rating"),
                format!("unknown rating '{}'; known: {}", band.rating, rating_ids()),
            ));
        }
    }
    let bands: Vec<(u32, u32)> = fw.percentage_bands.iter().map(|b| (b.min, b.max)).collect();
    if !figures_only {
        c.coverage(&bands, 100, "percentage_bands", "per cent")?;
    }
    super::settings::check(&fw.certainty, &fw.evidence).map_err(|(k, p)| c.err(k, p))?;

    c.unique(
        fw.focus_areas.iter().map(|f| f.id.as_str()),
        |i| format!("focus_areas[{i}].id"),
        "focus area id",
    )?;
    let domains: HashSet<u32> = fw.domains.iter().map(|d| d.id).collect();
    if domains.len() != fw.domains.len() {
        return Err(c.err("domains", "duplicate domain id"));
    }

    // Instruments and their questions.
    let instruments = c.unique(
        fw.instruments.iter().map(|i| i.id.as_str()),
        |i| format!("instruments[{i}].id"),
        "instrument id",
    )?;
    c.unique(
        fw.instruments.iter().map(|i| i.file.as_str()),
        |i| format!("instruments[{i}].file"),
        "instrument file",
    )?;
    if fw.instruments.is_empty() {
        return Err(c.err("instruments", "at least one instrument is needed"));
    }
    if let Some((i, _)) = fw
        .instruments
        .iter()
        .enumerate()
        .filter(|(_, i)| i.primary)
        .nth(1)
    {
        let at = format!("instruments[{i}].primary");
        return Err(c.err(at, "only one instrument can be the primary one"));
    }
    let mut questions: HashMap<String, QuestionRef> = HashMap::new();
    let mut names: HashMap<String, String> = HashMap::new();
    for (ii, inst) in fw.instruments.iter().enumerate() {
        let base = format!("instruments[{ii}]");
        if inst.questions.is_empty() {
            return Err(c.err(
                format!("{base}.questions"),
                format!("instrument '{}' has no questions", inst.id),
            ));
        }
        if !inst.file.ends_with(".csv") {
            return Err(c.err(
                format!("{base}.file"),
                format!("'{}' must be a .csv file name", inst.file),
            ));
        }
        let attrs: HashSet<Attribute> = inst.attributes.iter().copied().collect();
        for (qi, q) in inst.questions.iter().enumerate() {
            let path = format!("{base}.questions[{qi}]");
            if q.id.trim().is_empty() || q.id.contains(',') || q.id.contains(char::is_whitespace) {
                return Err(c.err(
                    format!("{path}.id"),
                    format!(
                        "question id '{}' must be non-empty with no spaces or commas",
                        q.id
                    ),
                ));
            }
            if crate::columns::RESERVED_COLUMNS.contains(&q.id.as_str()) {
                return Err(c.err(
                    format!("{path}.id"),
                    format!("'{}' is a reserved case column name", q.id),
                ));
            }
            if let Some(prev) = questions.insert(
                q.id.clone(),
                QuestionRef {
                    instrument: ii,
                    question: qi,
                },
            ) {
                let other = &fw.instruments[prev.instrument].id;
                return Err(c.err(
                    format!("{path}.id"),
                    format!(
                        "duplicate question id '{}' (also in instrument '{other}')",
                        q.id
                    ),
                ));
            }
            if q.text.trim().is_empty() {
                return Err(c.err(format!("{path}.text"), "question text must not be empty"));
            }
            if let Some(name) = &q.name
                && let Some(other) = names.insert(name.clone(), q.id.clone())
            {
                return Err(c.err(
                    format!("{path}.name"),
                    format!("duplicate figure name '{name}' (also question '{other}')"),
                ));
            }
            match (q.kind, &q.parent) {
                (QuestionKind::Key, Some(_)) => {
                    return Err(c.err(
                        format!("{path}.parent"),
                        "a key question has no parent; only prompts do",
                    ));
                }
                (QuestionKind::Prompt, None) => {
                    return Err(c.err(
                        format!("{path}.parent"),
                        format!(
                            "prompt '{}' needs a parent key question in this instrument",
                            q.id
                        ),
                    ));
                }
                (QuestionKind::Prompt, Some(parent)) => {
                    let found = inst.questions[..qi]
                        .iter()
                        .find(|p| &p.id == parent && p.kind == QuestionKind::Key);
                    if found.is_none() {
                        return Err(c.err(
                            format!("{path}.parent"),
                            format!(
                                "unknown parent '{parent}': it must be a key question listed earlier in instrument '{}'",
                                inst.id
                            ),
                        ));
                    }
                }
                (QuestionKind::Key, None) => {}
            }
            if let Some(focus) = &q.focus
                && !fw.focus_areas.iter().any(|f| &f.id == focus)
            {
                return Err(c.err(
                    format!("{path}.focus"),
                    format!("unknown focus area '{focus}'"),
                ));
            }
            if let Some(s) = &q.applies.sentence {
                if s.is_empty() {
                    return Err(c.err(
                        format!("{path}.applies.sentence"),
                        "empty list: the question would never apply",
                    ));
                }
                if !attrs.contains(&Attribute::Sentence) {
                    return Err(c.err(
                        format!("{path}.applies.sentence"),
                        format!(
                            "instrument '{}' does not record the 'sentence' attribute",
                            inst.id
                        ),
                    ));
                }
            }
            if let Some(s) = &q.applies.standards_set {
                if s.is_empty() {
                    return Err(c.err(
                        format!("{path}.applies.standards_set"),
                        "empty list: the question would never apply",
                    ));
                }
                if !attrs.contains(&Attribute::ProbationReset) {
                    return Err(c.err(
                        format!("{path}.applies.standards_set"),
                        format!(
                            "instrument '{}' does not record the 'probation-reset' attribute",
                            inst.id
                        ),
                    ));
                }
            }
        }
    }

    // Standards.
    let standards = c.unique(
        fw.standards.iter().map(|s| s.code.as_str()),
        |i| format!("standards[{i}].code"),
        "standard code",
    )?;
    for (si, s) in fw.standards.iter().enumerate() {
        let base = format!("standards[{si}]");
        if !domains.contains(&s.domain) {
            return Err(c.err(
                format!("{base}.domain"),
                format!("unknown domain {}", s.domain),
            ));
        }
        match s.basis {
            Basis::Judged => {
                if !s.key_questions.is_empty() {
                    return Err(c.err(
                        format!("{base}.key_questions"),
                        format!(
                            "standard {} is judged, so it takes no key questions",
                            s.code
                        ),
                    ));
                }
                if s.scope != Scope::Own {
                    return Err(c.err(
                        format!("{base}.scope"),
                        "a judged standard has no case scope",
                    ));
                }
            }
            Basis::KeyQuestions => {
                if s.key_questions.is_empty() {
                    return Err(c.err(
                        format!("{base}.key_questions"),
                        format!("standard {} has no key questions", s.code),
                    ));
                }
                let mut seen = HashSet::new();
                for (ki, kq) in s.key_questions.iter().enumerate() {
                    let path = format!("{base}.key_questions[{ki}]");
                    let Some(r) = questions.get(kq) else {
                        return Err(c.err(path, format!("unknown question id '{kq}'")));
                    };
                    let q = &fw.instruments[r.instrument].questions[r.question];
                    if q.kind != QuestionKind::Key {
                        return Err(c.err(path, format!("'{kq}' is a prompt, not a key question")));
                    }
                    if !seen.insert(kq) {
                        return Err(c.err(path, format!("key question '{kq}' listed twice")));
                    }
                }
            }
        }
    }

    // Inspection kinds.
    let kinds = c.unique(
        fw.kinds.iter().map(|k| k.id.as_str()),
        |i| format!("kinds[{i}].id"),
        "inspection kind id",
    )?;
    if fw.kinds.is_empty() {
        return Err(c.err("kinds", "at least one inspection kind is needed"));
    }
    let max_points = fw.ratings.iter().map(|r| r.points).max().unwrap_or(0);
    for (ki, kind) in fw.kinds.iter().enumerate() {
        let base = format!("kinds[{ki}]");
        if kind.standards.is_empty() {
            return Err(c.err(format!("{base}.standards"), "no standards listed"));
        }
        let mut seen = HashSet::new();
        for (si, code) in kind.standards.iter().enumerate() {
            if !standards.contains_key(code) {
                return Err(c.err(
                    format!("{base}.standards[{si}]"),
                    format!("unknown standard code '{code}'"),
                ));
            }
            if !seen.insert(code) {
                return Err(c.err(
                    format!("{base}.standards[{si}]"),
                    format!("standard '{code}' listed twice"),
                ));
            }
        }
        if let Some(units) = &kind.units
            && (!kinds.contains_key(units) || units == &kind.id)
        {
            return Err(c.err(
                format!("{base}.units"),
                format!("'{units}' is not another inspection kind"),
            ));
        }
        for (bi, band) in kind.overall_bands.iter().enumerate() {
            if !ratings.contains_key(&band.rating) {
                return Err(c.err(
                    format!("{base}.overall_bands[{bi}].rating"),
                    format!("unknown rating '{}'; known: {}", band.rating, rating_ids()),
                ));
            }
        }
        let top = max_points * kind.standards.len() as u32;
        let bands: Vec<(u32, u32)> = kind.overall_bands.iter().map(|b| (b.min, b.max)).collect();
        if !figures_only {
            c.coverage(&bands, top, &format!("{base}.overall_bands"), "points")?;
        }
    }

    super::attributes::validate(fw)
        .and_then(|()| super::judged::validate(fw))
        .map_err(|(path, problem)| c.err(path, problem))?;
    Ok(Index {
        questions,
        instruments,
        standards,
        ratings,
        kinds,
        content_hash: String::new(),
        source: String::new(),
    })
}
