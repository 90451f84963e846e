//! What every request shares: the store, the configuration, the sign-in throttle and the live
//! ratings, and the per-inspection checks built on them.

use std::net::IpAddr;
use std::sync::Arc;

use casework_store::{Standing, Store};

use crate::Config;
use crate::error::WebError;
use crate::rated::{Rated, RatedCache};
use crate::throttle::SignInThrottle;

#[derive(Clone)]
pub struct AppState {
    pub store: Store,
    pub config: Arc<Config>,
    sign_in: Arc<SignInThrottle>,
    rated: RatedCache,
}

impl AppState {
    pub fn new(store: Store, config: Config) -> AppState {
        AppState {
            store,
            sign_in: Arc::new(SignInThrottle::new(
                config.sign_in_per_minute,
                config.sign_in_per_minute_per_client,
            )),
            config: Arc::new(config),
            rated: RatedCache::default(),
        }
    }

    /// Counts a sign-in attempt at `name` from `client`; refuses once an allowance is spent.
    pub fn sign_in_attempt(&self, client: IpAddr, name: &str) -> Result<(), WebError> {
        self.sign_in.attempt(client, name)
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
