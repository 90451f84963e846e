//! Interviews and meetings: who was met, by role and never by name, the topics discussed with
//! each, and the judgement made on a topic where one is made; read from a table with one row per
//! person and topic: `person,role,topic,judgement` (`person` a pseudonymous id such as `P07`,
//! `role` and `topic` kebab-case ids, `judgement` `positive`, `negative`, `mixed` or blank for
//! none), and optionally `standard`, the domain-one standard or key question a topic evidences; counted at once
//! into "of the 31 practitioners interviewed, 24 ...". A person given two roles, a topic twice for
//! one person, a topic given two standards, or a judgement not listed: a located error.

use std::collections::{BTreeMap, HashMap};

use serde::{Deserialize, Serialize};

use super::table::Rows;
use crate::input_error::InputError;

/// A judgement on one topic with one person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Judgement {
    Positive,
    Negative,
    Mixed,
}

/// A `judgement` cell: `positive`, `negative`, `mixed` (any case) or blank for none; the
/// problem otherwise.
pub fn judgement(cell: &str) -> Result<Option<Judgement>, String> {
    match cell.trim().to_ascii_lowercase().as_str() {
        "" => Ok(None),
        "positive" => Ok(Some(Judgement::Positive)),
        "negative" => Ok(Some(Judgement::Negative)),
        "mixed" => Ok(Some(Judgement::Mixed)),
        _ => Err(format!(
            "{} is not a judgement; allowed: positive, negative, mixed or blank",
            super::quoted(cell.trim())
        )),
    }
}

/// The people met in one role, and per topic what was judged.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RoleAggregate {
    pub role: String,
    /// People of this role met.
    pub people: u64,
    pub topics: Vec<TopicAggregate>,
}

/// One topic's judgements among the people of one role.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TopicAggregate {
    pub topic: String,
    /// The domain-one standard or key question the topic evidences, where the table gives one.
    #[serde(default)]
    pub standard: Option<String>,
    /// People with whom the topic was discussed.
    pub discussed: u64,
    pub positive: u64,
    pub negative: u64,
    pub mixed: u64,
}

/// The columns an interviews table must have.
pub const COLUMNS: [&str; 4] = ["person", "role", "topic", "judgement"];

/// Reads an interviews table into counts per role (by role id) and topic (see the module).
pub fn read(rows: Rows) -> Result<Vec<RoleAggregate>, InputError> {
    let standard_at = rows.column("standard")?;
    let (at, locate, rows) = rows.open("person met", COLUMNS)?;
    let located = |line: u64, column: &str, problem: String| locate.at(line, column, problem);
    let place = locate.place;
    // person -> (role, line); (person, topic) -> line.
    let mut roles_of: HashMap<String, (String, u64)> = HashMap::new();
    let mut discussed: HashMap<(String, String), u64> = HashMap::new();
    let mut counts: BTreeMap<String, BTreeMap<String, TopicAggregate>> = BTreeMap::new();
    for (line, cells) in rows {
        let cell = |k: usize| cells.get(at[k]).map_or("", |c| c.trim());
        let id = |k: usize| {
            let text = cell(k);
            // A person's pseudonym may be upper-case (`P07`); roles and topics are ids.
            let ok = if k == 0 {
                super::is_id(&text.to_ascii_lowercase())
            } else {
                super::is_id(text)
            };
            if ok {
                Ok(text)
            } else {
                Err(located(
                    line,
                    COLUMNS[k],
                    format!(
                        "{} is not a kebab-case id (letters, digits and '-')",
                        super::quoted(text)
                    ),
                ))
            }
        };
        let (person, role, topic) = (id(0)?, id(1)?, id(2)?);
        let judgement = judgement(cell(3)).map_err(|p| located(line, "judgement", p))?;
        // One person, however the pseudonym's case is typed (`P01`, `p01`).
        let key = person.to_ascii_lowercase();
        match roles_of.get(&key) {
            Some((r, first)) if r != role => {
                return Err(located(
                    line,
                    "role",
                    format!("the person '{person}' is '{r}' on {} {first}", place.noun()),
                ));
            }
            Some(_) => {}
            None => {
                roles_of.insert(key.clone(), (role.to_string(), line));
            }
        }
        if let Some(first) = discussed.insert((key, topic.to_string()), line) {
            return Err(located(
                line,
                "topic",
                format!(
                    "the topic '{topic}' with '{person}' is already on {} {first}",
                    place.noun()
                ),
            ));
        }
        let t = counts
            .entry(role.to_string())
            .or_default()
            .entry(topic.to_string())
            .or_insert_with(|| TopicAggregate {
                topic: topic.to_string(),
                standard: None,
                discussed: 0,
                positive: 0,
                negative: 0,
                mixed: 0,
            });
        let standard = match standard_at {
            Some(k) => super::standard_cell(cells.get(k).map_or("", String::as_str))
                .map_err(|p| located(line, "standard", p))?,
            None => None,
        };
        let standard = standard.as_deref();
        match (&t.standard, standard) {
            (Some(was), Some(now)) if was != now => {
                return Err(located(
                    line,
                    "standard",
                    format!("the topic '{topic}' is filed against {was} on an earlier line"),
                ));
            }
            (None, Some(now)) => t.standard = Some(now.to_string()),
            _ => {}
        }
        t.discussed += 1;
        match judgement {
            Some(Judgement::Positive) => t.positive += 1,
            Some(Judgement::Negative) => t.negative += 1,
            Some(Judgement::Mixed) => t.mixed += 1,
            None => {}
        }
    }
    Ok(counts
        .into_iter()
        .map(|(role, topics)| RoleAggregate {
            people: roles_of.values().filter(|(r, _)| *r == role).count() as u64,
            role,
            topics: topics.into_values().collect(),
        })
        .collect())
}
