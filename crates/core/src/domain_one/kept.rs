//! Domain one's evidence as Casework keeps it, carried by an inspection's files: `domain-one.json`
//! in an inspection directory, the `domain_one` object of an inspection's JSON document, a
//! workbook's `domain-one` sheet. These hold the aggregates (never a respondent's answers), so
//! reading them back checks everything the raw readers would have: ids in their shape and once,
//! counts that add up (agreeing answers within those answered, within the respondents; judgements
//! within the people a topic was discussed with, within the people met), values, units and dates
//! as a measure's, what evidence is filed against ([`super::check_filed`]) and each key question's
//! rating ([`super::ratings`]). Each error names the file and the JSON path of the value.

use std::collections::HashSet;

use super::{Evidence, is_id, quoted};
use crate::Framework;
use crate::input_error::{ErrorKind, InputError};

/// The file of an inspection directory that holds its domain-one evidence.
pub const FILE: &str = "domain-one.json";

/// The largest such file read (16 MiB: aggregates, far below it for any inspection).
pub const MAX_BYTES: u64 = 16 << 20;

/// Reads `text` (the JSON of [`Evidence`]) from `file` and checks it against `fw` for an
/// inspection of `kind` (any where `None`; see the module).
pub fn parse(
    fw: &Framework,
    kind: Option<&str>,
    file: &str,
    text: &str,
) -> Result<Evidence, InputError> {
    let evidence: Evidence = serde_json::from_str(text).map_err(|e| {
        InputError::new(
            ErrorKind::Syntax,
            file,
            format!("not domain one's evidence as Casework keeps it: {e}"),
        )
        .at_line(e.line() as u64)
    })?;
    check(fw, kind, file, &evidence)?;
    Ok(evidence)
}

/// The JSON `parse` reads, pretty-printed with a final line break.
pub fn to_json(evidence: &Evidence) -> String {
    let mut text = serde_json::to_string_pretty(evidence).unwrap_or_default();
    text.push('\n');
    text
}

/// Checks evidence read back from `file` against `fw` (see the module).
pub fn check(
    fw: &Framework,
    kind: Option<&str>,
    file: &str,
    evidence: &Evidence,
) -> Result<(), InputError> {
    let bad = |path: String, problem: String| {
        InputError::new(ErrorKind::BadValue, file, problem).at_column(path)
    };
    let id = |path: String, text: &str| {
        if is_id(text) {
            Ok(())
        } else {
            Err(bad(
                path,
                format!("{} is not a kebab-case id", quoted(text)),
            ))
        }
    };
    let line = |path: String, text: &str| {
        crate::text::check_line(text, crate::text::LINE_MAX_CHARS)
            .map_err(|p| bad(path.clone(), format!("the text {p}")))?;
        if text.trim().is_empty() {
            return Err(bad(path, "blank".into()));
        }
        Ok(())
    };
    let date = |path: String, text: &str| match crate::date::parse(text) {
        Ok(iso) if iso == text => Ok(()),
        _ => Err(bad(
            path,
            format!("{} is not an ISO date or month", quoted(text)),
        )),
    };
    let once = |seen: &mut HashSet<String>, path: String, key: String| {
        if seen.insert(key.clone()) {
            Ok(())
        } else {
            Err(bad(path, format!("'{key}' is there twice")))
        }
    };
    let mut surveys = HashSet::new();
    for (i, s) in evidence.surveys.iter().enumerate() {
        let at = format!("surveys[{i}]");
        id(format!("{at}.survey"), &s.survey)?;
        once(&mut surveys, format!("{at}.survey"), s.survey.clone())?;
        let mut questions = HashSet::new();
        for (k, q) in s.questions.iter().enumerate() {
            let at = format!("{at}.questions[{k}]");
            id(format!("{at}.id"), &q.id)?;
            once(&mut questions, format!("{at}.id"), q.id.clone())?;
            // Summed wide, so no count a file can hold overflows.
            let counted: u128 = q.counts.iter().map(|(_, n)| u128::from(*n)).sum();
            if q.agree > q.answered
                || q.answered > s.respondents
                || counted != u128::from(q.answered)
            {
                return Err(bad(
                    at,
                    format!(
                        "the counts do not add up: {} agreeing of {} answered of {} respondents, the answers counted {counted}",
                        q.agree, q.answered, s.respondents
                    ),
                ));
            }
            let mut labels = HashSet::new();
            for (v, (value, _)) in q.counts.iter().enumerate() {
                line(format!("{at}.counts[{v}]"), value)?;
                once(&mut labels, format!("{at}.counts[{v}]"), value.clone())?;
            }
        }
    }
    let mut roles = HashSet::new();
    for (i, r) in evidence.interviews.iter().enumerate() {
        let at = format!("interviews[{i}]");
        id(format!("{at}.role"), &r.role)?;
        once(&mut roles, format!("{at}.role"), r.role.clone())?;
        let mut topics = HashSet::new();
        for (k, t) in r.topics.iter().enumerate() {
            let at = format!("{at}.topics[{k}]");
            id(format!("{at}.topic"), &t.topic)?;
            once(&mut topics, format!("{at}.topic"), t.topic.clone())?;
            let judged = u128::from(t.positive) + u128::from(t.negative) + u128::from(t.mixed);
            if judged > u128::from(t.discussed) || t.discussed > r.people {
                return Err(bad(
                    at,
                    format!(
                        "the counts do not add up: {judged} judgements of {} people the topic was discussed with, of {} met",
                        t.discussed, r.people
                    ),
                ));
            }
        }
    }
    let mut measures = HashSet::new();
    for (i, m) in evidence.measures.iter().enumerate() {
        let at = format!("measures[{i}]");
        id(format!("{at}.id"), &m.id)?;
        once(
            &mut measures,
            format!("{at}.id"),
            format!("{}.{}", m.group.id(), m.id),
        )?;
        line(format!("{at}.label"), &m.label)?;
        line(format!("{at}.source"), &m.source)?;
        if super::measure::number(&m.value).as_deref() != Some(m.value.as_str()) {
            return Err(bad(
                format!("{at}.value"),
                format!(
                    "{} is not a number as kept (digits, a decimal point)",
                    quoted(&m.value)
                ),
            ));
        }
        super::measure::in_range(m.unit, &m.value).map_err(|p| bad(format!("{at}.value"), p))?;
        date(format!("{at}.date"), &m.date)?;
    }
    let mut documents = HashSet::new();
    for (i, d) in evidence.documents.iter().enumerate() {
        let at = format!("documents[{i}]");
        line(format!("{at}.title"), &d.title)?;
        date(format!("{at}.date"), &d.date)?;
        once(
            &mut documents,
            format!("{at}.title"),
            format!("{} of {}", d.title, d.date),
        )?;
        let mut targets = HashSet::new();
        for (k, t) in d.filed.iter().enumerate() {
            once(&mut targets, format!("{at}.filed[{k}]"), t.clone())?;
        }
    }
    let mut rated = HashSet::new();
    for (i, r) in evidence.key_question_ratings.iter().enumerate() {
        let at = format!("key_question_ratings[{i}]");
        let given = super::ratings::check(fw, kind, &r.key_question, &r.rating, &r.rationale)
            .map_err(|(field, problem)| bad(format!("{at}.{field}"), problem))?;
        if given != *r {
            return Err(bad(
                at,
                "not as Casework keeps a rating (its id, trimmed text)".into(),
            ));
        }
        once(
            &mut rated,
            format!("{at}.key_question"),
            r.key_question.clone(),
        )?;
    }
    let order = fw.judged_targets();
    let position = |r: &super::KeyQuestionRating| order.iter().position(|t| *t == r.key_question);
    let ratings = &evidence.key_question_ratings;
    if let Some(i) = (1..ratings.len()).find(|&i| position(&ratings[i]) < position(&ratings[i - 1]))
    {
        return Err(bad(
            format!("key_question_ratings[{i}]"),
            "the ratings are not in the framework's order, as Casework keeps them".into(),
        ));
    }
    super::check_filed(fw, kind, file, &evidence.filed())
}
