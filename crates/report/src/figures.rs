//! The named figures a narrative may embed (`{{P2.1.keeping-safe}}` → "35%"), all read off the
//! engine's [`Ratings`]: nothing here computes a rule, it only names and formats what was rated.
//!
//! Names:
//! - `unit`, `region`, `fieldwork-start`, `score`, `max-score`, `score-out-of` ("7/21"), `overall`;
//! - `rating.<standard>` ("Requires improvement");
//! - `<key question id>` and, where only one of the standard's key questions has that focus area,
//!   `<standard>.<focus area>` ("35%"), with `.yes`, `.relevant` and `.out-of` ("12 out of 34")
//!   after either;
//! - `prompt.<id or name>` ("20 out of 29") and `prompt.<id or name>.percent` ("69%");
//! - `cases.total`, `cases.<instrument>`, and on instruments that record them `cases.community`,
//!   `cases.licence`, `cases.reset`, `cases.adjusted` (sentence management; `cases.<instrument>.<what>`
//!   for the others);
//! - `oversight.<instrument>.sufficient`, `.shortfall`, `.needed`, `.judged`; the three shares:
//!   `.sufficient-percent` (of judged), `.shortfall-percent` (of needed),
//!   `.shortfall-percent-of-judged`;
//! - `<question id>.by.<attribute>.<value>` ("4 out of 18"): a key question or prompt within the
//!   cases of one value of a declared attribute (`P2.1.3.by.grade.pso`);
//! - `qa.*`, quality assurance's figures, where the inspection has double-marked cases
//!   (`crate::quality`).

use std::collections::BTreeMap;

use casework_core::Ratings;

/// What a figure is, for `report lint`: a number typed into the text is matched against these.
#[derive(Debug, Clone, PartialEq)]
pub enum Value {
    Count(u64),
    Percent(u32),
    OutOf(u64, u64),
    Words,
}

/// One named figure: the text that replaces its placeholder, and its value.
#[derive(Debug, Clone, PartialEq)]
pub struct Figure {
    pub text: String,
    pub value: Value,
}

/// Every figure of one inspection's ratings, by name.
#[derive(Debug, Clone, Default)]
pub struct Figures {
    by_name: BTreeMap<String, Figure>,
}

/// Shown where a percentage has no denominator.
pub const NO_RELEVANT_CASES: &str = "no relevant cases";

fn percent(p: Option<u32>) -> Figure {
    match p {
        Some(p) => Figure {
            text: format!("{p}%"),
            value: Value::Percent(p),
        },
        None => Figure {
            text: NO_RELEVANT_CASES.into(),
            value: Value::Words,
        },
    }
}

fn count(n: u64) -> Figure {
    Figure {
        text: n.to_string(),
        value: Value::Count(n),
    }
}

fn out_of(yes: u64, of: u64) -> Figure {
    Figure {
        text: format!("{yes} out of {of}"),
        value: Value::OutOf(yes, of),
    }
}

fn words(text: &str) -> Figure {
    Figure {
        text: text.to_string(),
        value: Value::Words,
    }
}

impl Figure {
    pub(crate) fn count(n: u64) -> Figure {
        count(n)
    }
    pub(crate) fn percent(p: u32) -> Figure {
        percent(Some(p))
    }
    pub(crate) fn out_of(yes: u64, of: u64) -> Figure {
        out_of(yes, of)
    }
    pub(crate) fn words(text: &str) -> Figure {
        words(text)
    }
}

impl Figures {
    pub fn of(ratings: &Ratings) -> Figures {
        let mut f = Figures::default();
        f.put("unit", words(&ratings.unit));
        if let Some(region) = &ratings.region {
            f.put("region", words(region));
        }
        if let Some(start) = &ratings.fieldwork_start {
            f.put("fieldwork-start", words(start));
        }
        f.put("score", count(ratings.score.into()));
        f.put("max-score", count(ratings.max_score.into()));
        f.put(
            "score-out-of",
            words(&format!("{}/{}", ratings.score, ratings.max_score)),
        );
        f.put(
            "overall",
            words(
                ratings
                    .overall
                    .as_ref()
                    .map_or("not rated", |r| r.label.as_str()),
            ),
        );
        for s in &ratings.standards {
            f.put(
                &format!("rating.{}", s.code),
                words(s.rating.as_ref().map_or("not rated", |r| r.label.as_str())),
            );
            for kq in &s.key_questions {
                let mut names = vec![kq.id.clone()];
                // A focus area names a key question only where it is the standard's only one
                // (a region's R2.1 has four on keeping people safe).
                if let Some(focus) = &kq.focus
                    && s.key_questions
                        .iter()
                        .filter(|k| k.focus.as_ref() == Some(focus))
                        .count()
                        == 1
                {
                    names.push(format!("{}.{focus}", s.code));
                }
                for name in names {
                    f.put(&name, percent(kq.percent));
                    f.put(&format!("{name}.yes"), count(kq.yes));
                    f.put(&format!("{name}.relevant"), count(kq.relevant));
                    f.put(&format!("{name}.out-of"), out_of(kq.yes, kq.relevant));
                }
            }
        }
        for p in &ratings.prompts {
            let mut names = vec![p.id.clone()];
            names.extend(p.name.clone());
            for name in names {
                f.put(&format!("prompt.{name}"), out_of(p.yes, p.relevant));
                f.put(&format!("prompt.{name}.percent"), percent(p.percent));
            }
        }
        let total: u64 = ratings.sample.iter().map(|s| s.cases).sum();
        f.put("cases.total", count(total));
        let primary = &ratings.framework.primary_instrument;
        for s in &ratings.sample {
            f.put(&format!("cases.{}", s.instrument), count(s.cases));
            let parts = [
                ("community", s.community),
                ("licence", s.licence),
                ("reset", s.probation_reset),
                ("proportionate", s.reset_proportionate),
                ("adjusted", s.reset_adjusted),
            ];
            for (what, n) in parts {
                let Some(n) = n else { continue };
                f.put(&format!("cases.{}.{what}", s.instrument), count(n));
                // `cases.community` and the like: the primary instrument's sample.
                if &s.instrument == primary {
                    f.put(&format!("cases.{what}"), count(n));
                }
            }
        }
        for o in &ratings.oversight {
            let at = |what: &str| format!("oversight.{}.{what}", o.instrument);
            f.put(&at("sufficient"), count(o.sufficient));
            f.put(&at("shortfall"), count(o.shortfall));
            f.put(&at("needed"), count(o.needed));
            f.put(&at("judged"), count(o.judged));
            f.put(
                &at("shortfall-percent"),
                percent(o.shortfall_percent_of_needed),
            );
            f.put(
                &at("shortfall-percent-of-judged"),
                percent(o.shortfall_percent_of_judged),
            );
            f.put(
                &at("sufficient-percent"),
                percent(o.sufficient_percent_of_judged),
            );
        }
        for b in &ratings.breakdowns {
            for row in &b.rows {
                for (group, &(yes, relevant)) in b.groups.iter().zip(&row.cells) {
                    let name = format!("{}.by.{}.{}", row.question, b.attribute, group.value);
                    f.put(&name, out_of(yes, relevant));
                }
            }
        }
        f
    }

    pub(crate) fn put(&mut self, name: &str, figure: Figure) {
        self.by_name.insert(name.to_string(), figure);
    }

    pub fn get(&self, name: &str) -> Option<&Figure> {
        self.by_name.get(name)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &Figure)> {
        self.by_name.iter().map(|(k, v)| (k.as_str(), v))
    }

    /// The names most like `name` (by edit distance), for an error's hint.
    pub fn near(&self, name: &str) -> Vec<&str> {
        let mut scored: Vec<(usize, &str)> = self
            .by_name
            .keys()
            .map(|k| (strsim::levenshtein(k, name), k.as_str()))
            .filter(|(d, _)| *d <= name.len() / 3 + 1)
            .collect();
        scored.sort();
        scored.into_iter().take(3).map(|(_, k)| k).collect()
    }
}
