//! A cache that renews credentials before they expire, made for STS results.

use super::{Clock, Credentials, CredentialsError, ProvideCredentials, ProvideFuture, SystemClock};
use std::fmt;
use std::sync::{Arc, Mutex};
use time::{Duration, OffsetDateTime};

/// When to renew, counted back from the expiration.
///
/// Inside the *advisory* window one caller renews while the others keep the current
/// credentials, and a failed renewal is logged and the current credentials served. Inside the
/// *mandatory* window (or past expiry) callers wait for the renewal and get its error.
///
/// The windows are botocore's (15 and 10 minutes) for long-lived credentials, scaled down for
/// short ones to a quarter and an eighth of the lifetime: 15-minute credentials (the STS
/// minimum) renew after about 11 minutes, not at every call as with fixed 15-minute windows.
///
/// ```
/// use sts_client::credentials::RefreshWindows;
/// use time::Duration;
/// let hour = RefreshWindows::for_lifetime(Duration::hours(1));
/// assert_eq!(hour.advisory, Duration::minutes(15));
/// assert_eq!(hour.mandatory, Duration::seconds(450));
/// let quarter = RefreshWindows::for_lifetime(Duration::minutes(15));
/// assert_eq!(quarter.advisory, Duration::seconds(225));
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RefreshWindows {
    /// Start renewing this long before expiry.
    pub advisory: Duration,
    /// Stop serving the current credentials this long before expiry.
    pub mandatory: Duration,
}

impl RefreshWindows {
    /// The windows for credentials valid for `lifetime` from when they were obtained.
    pub fn for_lifetime(lifetime: Duration) -> Self {
        let lifetime = lifetime.max(Duration::ZERO);
        Self {
            advisory: (lifetime / 4_i32).min(Duration::minutes(15)),
            mandatory: (lifetime / 8_i32).min(Duration::minutes(10)),
        }
    }
}

#[derive(Clone)]
struct Cached {
    credentials: Credentials,
    windows: RefreshWindows,
}

#[derive(Debug, PartialEq, Eq)]
enum Freshness {
    Fresh,
    Advisory,
    Mandatory,
}

impl Cached {
    fn new(credentials: Credentials, now: OffsetDateTime) -> Self {
        let lifetime = credentials
            .expiration()
            .map_or(Duration::ZERO, |expiration| expiration - now);
        Self {
            credentials,
            windows: RefreshWindows::for_lifetime(lifetime),
        }
    }

    fn freshness(&self, now: OffsetDateTime) -> Freshness {
        let Some(expiration) = self.credentials.expiration() else {
            return Freshness::Fresh;
        };
        if now < expiration - self.windows.advisory {
            Freshness::Fresh
        } else if now < expiration - self.windows.mandatory {
            Freshness::Advisory
        } else {
            Freshness::Mandatory
        }
    }
}

/// Keeps the credentials of a source and renews them before they expire.
///
/// Credentials without an expiration are kept forever. One renewal runs at a time.
///
/// ```
/// use sts_client::credentials::{CachedCredentialsProvider, ProvideCredentials};
/// use sts_client::Credentials;
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let cached = CachedCredentialsProvider::new(Credentials::new("AKID", "secret"));
/// assert_eq!(cached.provide_credentials().await.unwrap().access_key_id(), "AKID");
/// # });
/// ```
pub struct CachedCredentialsProvider<P> {
    inner: P,
    clock: Arc<dyn Clock>,
    current: Mutex<Option<Cached>>,
    renewal: tokio::sync::Mutex<()>,
}

impl<P: ProvideCredentials> CachedCredentialsProvider<P> {
    /// Caches `inner`, with the system clock.
    pub fn new(inner: P) -> Self {
        Self::with_clock(inner, Arc::new(SystemClock))
    }

    /// Caches `inner`, reading the time from `clock`.
    pub fn with_clock(inner: P, clock: Arc<dyn Clock>) -> Self {
        Self {
            inner,
            clock,
            current: Mutex::new(None),
            renewal: tokio::sync::Mutex::new(()),
        }
    }

    /// The wrapped source.
    pub fn inner(&self) -> &P {
        &self.inner
    }

    fn snapshot(&self) -> Option<Cached> {
        self.current
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .clone()
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let credentials = self.inner.provide_credentials().await?;
        let cached = Cached::new(credentials.clone(), self.clock.now());
        *self.current.lock().unwrap_or_else(|e| e.into_inner()) = Some(cached);
        Ok(credentials)
    }

    async fn get(&self) -> Result<Credentials, CredentialsError> {
        let now = self.clock.now();
        match self.snapshot() {
            Some(cached) if cached.freshness(now) == Freshness::Fresh => Ok(cached.credentials),
            Some(cached) if cached.freshness(now) == Freshness::Advisory => {
                let Ok(_renewing) = self.renewal.try_lock() else {
                    return Ok(cached.credentials);
                };
                if let Some(latest) = self.snapshot() {
                    if latest.freshness(self.clock.now()) == Freshness::Fresh {
                        return Ok(latest.credentials);
                    }
                }
                match self.fetch().await {
                    Ok(credentials) => Ok(credentials),
                    Err(error) => {
                        tracing::warn!(
                            %error,
                            expiration = ?cached.credentials.expiration(),
                            "credential renewal failed inside the advisory window; \
                             serving the current credentials"
                        );
                        Ok(cached.credentials)
                    }
                }
            }
            _ => {
                let _renewing = self.renewal.lock().await;
                if let Some(latest) = self.snapshot() {
                    if latest.freshness(self.clock.now()) != Freshness::Mandatory {
                        return Ok(latest.credentials);
                    }
                }
                self.fetch().await
            }
        }
    }
}

impl<P: ProvideCredentials> ProvideCredentials for CachedCredentialsProvider<P> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.get())
    }
}

impl<P> fmt::Debug for CachedCredentialsProvider<P> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let expiration = self
            .current
            .lock()
            .ok()
            .and_then(|c| c.as_ref().map(|c| c.credentials.expiration()));
        f.debug_struct("CachedCredentialsProvider")
            .field("cached_expiration", &expiration)
            .finish_non_exhaustive()
    }
}
