//! What every request shares: the store, the configuration, the sign-in rate limiter and the live
//! ratings, and the per-inspection checks built on them.

use std::num::NonZeroU32;
use std::sync::Arc;

use casework_store::{Standing, Store};
use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::Config;
use crate::access::{Need, decide};
use crate::auth::SignedIn;
use crate::error::WebError;
use crate::live::{Rated, RatedCache};

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    sign_in_limiter: Arc<DefaultKeyedRateLimiter<String>>,
    rated: RatedCache,
}

impl AppState {
    pub fn new(store: Store, config: Config) -> AppState {
        let per_minute =
            NonZeroU32::new(config.sign_in_per_minute.max(1)).unwrap_or(NonZeroU32::MIN);
        AppState {
            store,
            sign_in_limiter: Arc::new(RateLimiter::keyed(Quota::per_minute(per_minute))),
            config: Arc::new(config),
            rated: RatedCache::default(),
        }
    }

    /// Counts a sign-in attempt for `name`; refuses once the minute's allowance is spent.
    pub fn sign_in_attempt(&self, name: &str) -> Result<(), WebError> {
        self.sign_in_limiter
            .check_key(&name.trim().to_lowercase())
            .map_err(|_| WebError::TooManyAttempts)
    }

    /// The user's standing on an inspection, if `need` is allowed; otherwise 403 or 404.
    pub async fn authorize(
        &self,
        who: &SignedIn,
        slug: &str,
        need: Need,
    ) -> Result<Standing, WebError> {
        let standing = self.store.standing(slug, &who.user.name).await?;
        decide(who.user.role, standing, need)?;
        standing.ok_or(WebError::NotFound)
    }

    /// A stored inspection, its framework and its ratings, as the store held them when `standing`
    /// was read (or later): the access check already asked the store where it stands.
    pub async fn rated(&self, slug: &str, standing: &Standing) -> Result<Arc<Rated>, WebError> {
        self.rated_since(slug, standing.revision).await
    }

    /// [`AppState::rated`] as an edit committed as `revision` left it (or later).
    pub async fn rated_since(&self, slug: &str, revision: i64) -> Result<Arc<Rated>, WebError> {
        Ok(self.rated.get_since(&self.store, slug, revision).await?)
    }
}
