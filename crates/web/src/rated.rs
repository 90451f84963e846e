//! Live ratings: each inspection rated by the core engine once per store revision, then shared by
//! every request until something changes. The store keeps the loaded inspection current
//! ([`Store::load_shared`]); this keeps its ratings beside it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

use casework_core::{Framework, Inspection, Ratings, rate};
use casework_store::{Loaded, Store, StoreError};

/// An inspection as stored at one revision, with its ratings.
pub struct Rated {
    pub revision: i64,
    pub inspection: Arc<Inspection>,
    pub fw: Arc<Framework>,
    pub ratings: Ratings,
    /// The ratings page's key-question tables, rendered by the first request that needs them.
    pub ratings_tables: OnceLock<String>,
    /// The report's PDF and data workbook, made by the first request for each at this revision
    /// (a later revision is a new `Rated`, so a copy is never stale).
    pub pdf: OnceLock<Arc<[u8]>>,
    pub workbook: OnceLock<Arc<[u8]>>,
}

impl Rated {
    /// The report of the inspection as stored at this revision, its narrative included, with
    /// quality assurance's and the case sample's figures where it has any (`crate::quality::report_figures`); `shown`
    /// names it in a narrative error.
    pub fn report(
        &self,
        shown: &str,
        stored: &casework_report::StoredFigures,
    ) -> Result<casework_report::Report, casework_report::ReportError> {
        casework_report::Report::with_quality(
            &self.fw,
            &self.ratings,
            &casework_report::narrative::files_of(&self.inspection),
            shown,
            stored,
        )
    }
}

/// Inspections held at once; past this the cache starts again (a deployment works on a handful).
const CAPACITY: usize = 64;

#[derive(Clone, Default)]
pub struct RatedCache {
    entries: Arc<Mutex<HashMap<String, Arc<Rated>>>>,
}

impl RatedCache {
    /// The inspection and its ratings as of `revision` or later (after an access check: as the
    /// store stood then; after an edit: as it left them).
    pub async fn get_since(
        &self,
        store: &Store,
        slug: &str,
        revision: i64,
    ) -> Result<Arc<Rated>, StoreError> {
        Ok(self.rate(slug, store.load_shared_since(slug, revision).await?))
    }

    fn rate(&self, slug: &str, loaded: Loaded) -> Arc<Rated> {
        if let Some(rated) = self.entry(slug)
            && rated.revision == loaded.revision
        {
            return rated;
        }
        let rated = Arc::new(Rated {
            revision: loaded.revision,
            ratings: rate(&loaded.framework, &loaded.inspection),
            inspection: loaded.inspection,
            fw: loaded.framework,
            ratings_tables: OnceLock::new(),
            pdf: OnceLock::new(),
            workbook: OnceLock::new(),
        });
        if let Ok(mut entries) = self.entries.lock() {
            if entries.len() >= CAPACITY && !entries.contains_key(slug) {
                entries.clear();
            }
            // A slower rating of an older revision must not replace a newer one.
            if entries
                .get(slug)
                .is_none_or(|kept| kept.revision <= rated.revision)
            {
                entries.insert(slug.to_string(), rated.clone());
            }
        }
        rated
    }

    fn entry(&self, slug: &str) -> Option<Arc<Rated>> {
        self.entries.lock().ok()?.get(slug).cloned()
    }
}
