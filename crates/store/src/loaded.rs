//! Loaded inspections kept in memory, keyed by the store revision they were loaded at, and kept
//! current through this process's own case edits.
//!
//! The revision is the newest audit entry's sequence number ([`Store::revision`]): every change to
//! what a load reads appends an entry in the same transaction, so an entry whose revision is still
//! the store's is exactly what a fresh load would give, whichever process made the last change.
//! The revision is read before the load, so an entry's contents are never older than its label.
//!
//! A case edit made through this store knows the entry it chained onto (its predecessor's sequence
//! number) and its own. Under the write turn, straight after the commit, entries labelled with the
//! predecessor are brought to the new revision: the edited case is changed in place in those that
//! hold it, and the rest are relabelled, because nothing else changed in between. Anything else
//! (an import, another process's edit, an edit applied out of order) leaves the entries behind the
//! store's revision, and the next load reads them again.

use std::collections::HashMap;
use std::sync::atomic::AtomicU64;
use std::sync::{Arc, Mutex};

use casework_core::Inspection;
use casework_core::framework::Framework;

use crate::edits::CaseChange;

/// An inspection (with its PDU inspections) as stored at `revision`, and its framework.
#[derive(Debug, Clone)]
pub struct Loaded {
    pub revision: i64,
    pub inspection: Arc<Inspection>,
    pub framework: Arc<Framework>,
}

/// Inspections held at once; past this the cache starts again (a deployment works on a handful).
const CAPACITY: usize = 64;

/// One inspection's entry. Loads of it take turns, so a burst of readers after a change loads it
/// once rather than once each.
#[derive(Debug, Default)]
pub(crate) struct Slot {
    pub(crate) loading: tokio::sync::Mutex<()>,
    current: Mutex<Option<Loaded>>,
}

impl Slot {
    /// The entry, if it is labelled `revision` or later.
    pub(crate) fn at(&self, revision: i64) -> Option<Loaded> {
        match &*self.current.lock().ok()? {
            Some(loaded) if loaded.revision >= revision => Some(loaded.clone()),
            _ => None,
        }
    }

    /// Keeps a fresh load unless a newer one got there first.
    pub(crate) fn keep(&self, loaded: &Loaded) {
        if let Ok(mut current) = self.current.lock()
            && current
                .as_ref()
                .is_none_or(|c| c.revision <= loaded.revision)
        {
            *current = Some(loaded.clone());
        }
    }
}

/// Where an edited case lives.
pub(crate) struct EditedCase<'a> {
    pub inspection: &'a str,
    pub instrument: &'a str,
    pub case_ref: &'a str,
    pub change: &'a CaseChange<'a>,
}

#[derive(Debug, Default)]
pub(crate) struct LoadedCache {
    slots: Mutex<HashMap<String, Arc<Slot>>>,
    /// Inspections read from the database rather than served from here (see [`Store::reads`]).
    pub(crate) reads: AtomicU64,
}

impl LoadedCache {
    pub(crate) fn slot(&self, slug: &str) -> Arc<Slot> {
        let mut slots = self
            .slots
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner());
        if slots.len() >= CAPACITY && !slots.contains_key(slug) {
            slots.clear();
        }
        slots.entry(slug.to_string()).or_default().clone()
    }

    /// After an edit committed as entry `revision`, chained onto entry `previous`: brings every
    /// entry labelled `previous` to `revision`. Called under the write turn, so in commit order.
    pub(crate) fn after_edit(&self, previous: i64, revision: i64, edit: &EditedCase<'_>) {
        let slots: Vec<(String, Arc<Slot>)> = match self.slots.lock() {
            Ok(slots) => slots.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            Err(_) => return,
        };
        for (slug, slot) in slots {
            let Ok(mut current) = slot.current.lock() else {
                continue;
            };
            let Some(loaded) = current.as_mut().filter(|l| l.revision == previous) else {
                continue;
            };
            let holds = edit.inspection == slug
                || edit
                    .inspection
                    .strip_prefix(slug.as_str())
                    .is_some_and(|rest| rest.starts_with('/'));
            if holds {
                let framework = loaded.framework.clone();
                let inspection = Arc::make_mut(&mut loaded.inspection);
                let unit = if edit.inspection == slug {
                    Some(inspection)
                } else {
                    let path = &edit.inspection[slug.len() + 1..];
                    match inspection.unit_paths.iter().position(|p| p == path) {
                        Some(i) => inspection.units.get_mut(i),
                        None => None,
                    }
                };
                if !unit.is_some_and(|unit| apply(unit, &framework, edit)) {
                    // Not where it should be: read it again next time.
                    *current = None;
                    continue;
                }
            }
            loaded.revision = revision;
        }
    }
}

/// Makes `edit` in `inspection`'s own cases; false when the case is not there.
fn apply(inspection: &mut Inspection, fw: &Framework, edit: &EditedCase<'_>) -> bool {
    let Some(set) = inspection
        .cases
        .iter_mut()
        .find(|set| set.instrument == edit.instrument)
    else {
        return false;
    };
    let Some(index) = set.cases().iter().position(|c| c.id == edit.case_ref) else {
        return false;
    };
    match *edit.change {
        CaseChange::Answer { question, answer } => {
            let Some(column) = fw
                .instrument(edit.instrument)
                .and_then(|i| i.questions.iter().position(|q| q.id == question))
            else {
                return false;
            };
            match set.answers_mut(index).get_mut(column) {
                Some(cell) => *cell = answer,
                None => return false,
            }
        }
        CaseChange::Sentence(sentence) => set.case_mut(index).sentence = sentence,
        CaseChange::ResetWeeks(weeks) => set.case_mut(index).reset_weeks = weeks,
        CaseChange::Oversight(oversight) => set.case_mut(index).oversight = oversight,
        CaseChange::Attribute { attribute, value } => {
            // The store has checked the value; here it is kept by its id.
            let Some(id) = fw
                .attribute(attribute)
                .and_then(|a| a.parse(value.unwrap_or("")).ok())
            else {
                return false;
            };
            let attributes = &mut set.case_mut(index).attributes;
            match id {
                Some(id) => attributes.insert(attribute.to_string(), id.to_string()),
                None => attributes.remove(attribute),
            };
        }
        CaseChange::Evidence { question, note } => {
            // As the store keeps it (`batch::decide`): trimmed, and an empty note is none.
            let evidence = &mut set.case_mut(index).evidence;
            match note.trim() {
                "" => evidence.remove(question),
                note => evidence.insert(question.to_string(), note.to_string()),
            };
        }
    }
    if let Some(instrument) = fw.instrument(edit.instrument) {
        set.settle_status(index, instrument, fw.rules.reset_adjusted_max_weeks);
    }
    true
}
