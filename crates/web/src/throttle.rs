//! Sign-in throttling: how many attempts a client (by address) may make a minute, and how many at
//! one user name from one client. Keying the name's allowance by client as well means nobody can
//! lock a real user out by guessing at their name from somewhere else.
//!
//! Nothing an unauthenticated request does may make this grow without bound: the name is checked
//! (at most `NAME_MAX_CHARS` on one line) before it is counted, a client over its own allowance
//! adds no names, and keys whose allowance has fully returned are dropped as the tables grow.

use std::net::IpAddr;
use std::num::NonZeroU32;
use std::sync::atomic::{AtomicU64, Ordering};

use governor::{DefaultKeyedRateLimiter, Quota, RateLimiter};

use crate::error::WebError;

/// Keys held before the tables are pruned of keys with their whole allowance back.
const PRUNE_ABOVE: usize = 4_096;
/// Attempts between prunes, whatever the tables' size.
const PRUNE_EVERY: u64 = 1_024;

pub struct SignInThrottle {
    per_client: DefaultKeyedRateLimiter<IpAddr>,
    per_name: DefaultKeyedRateLimiter<(String, IpAddr)>,
    attempts: AtomicU64,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n.max(1)).unwrap_or(NonZeroU32::MIN))
}

impl SignInThrottle {
    /// `per_name` attempts a minute at one user name from one client; `per_client` attempts a
    /// minute from one client at any names.
    pub fn new(per_name: u32, per_client: u32) -> SignInThrottle {
        SignInThrottle {
            per_client: RateLimiter::keyed(per_minute(per_client)),
            per_name: RateLimiter::keyed(per_minute(per_name)),
            attempts: AtomicU64::new(0),
        }
    }

    /// Counts an attempt by `client` at `name` (already checked as a user name); refuses once
    /// either allowance is spent.
    pub fn attempt(&self, client: IpAddr, name: &str) -> Result<(), WebError> {
        self.prune();
        self.per_client
            .check_key(&client)
            .map_err(|_| WebError::TooManyAttempts)?;
        self.per_name
            .check_key(&(name.trim().to_lowercase(), client))
            .map_err(|_| WebError::TooManyAttempts)
    }

    /// Keys held now (for tests of the bound).
    #[cfg(test)]
    pub fn keys(&self) -> usize {
        self.per_client.len() + self.per_name.len()
    }

    fn prune(&self) {
        let n = self.attempts.fetch_add(1, Ordering::Relaxed);
        let large = self.per_name.len() > PRUNE_ABOVE || self.per_client.len() > PRUNE_ABOVE;
        if large || n.is_multiple_of(PRUNE_EVERY) {
            self.per_name.retain_recent();
            self.per_client.retain_recent();
            if large {
                self.per_name.shrink_to_fit();
                self.per_client.shrink_to_fit();
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_limited_per_client_and_a_client_across_names() {
        let t = SignInThrottle::new(3, 5);
        let (a, b): (IpAddr, IpAddr) = ([10, 0, 0, 1].into(), [10, 0, 0, 2].into());
        for _ in 0..3 {
            assert!(t.attempt(a, "demo-lead").is_ok());
        }
        assert!(t.attempt(a, "Demo-Lead ").is_err(), "same name, any case");
        assert!(
            t.attempt(b, "demo-lead").is_ok(),
            "another client is not locked out"
        );
        assert!(t.attempt(a, "someone-else").is_ok());
        assert!(
            t.attempt(a, "a-third").is_err(),
            "the client's own allowance is spent"
        );
        assert!(t.keys() <= 5);
    }
}
