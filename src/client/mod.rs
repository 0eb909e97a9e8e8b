//! The STS client: resolve credentials, build, sign, send, parse, and retry.
//!
//! Everything before the transport is pure (see [`crate::operations`] and [`crate::sigv4`]);
//! this module is the thin loop around it.

#[cfg(feature = "blocking")]
pub mod blocking;
mod fluent;
mod presign;
pub mod retry;
mod setup;
pub mod skew;
mod sts_credentials;
pub mod transport;

pub use sts_credentials::{StsAssumeRoleProvider, StsCredentials};

use crate::config::ClientConfig;
use crate::credentials::{Clock, ProvideCredentials, SystemClock};
use crate::endpoint::ResolvedEndpoint;
use crate::error::{parse_error_response, Error};
use crate::operations::{Auth, Operation};
use crate::sigv4::{SignableRequest, Signer, SigningParams, SigningSettings};
use retry::{Jitter, RetryConfig};
use skew::{parse_http_date, ClockSkew};
use std::sync::Arc;
use std::time::Duration;
use tracing::Instrument;
use transport::{HttpRequest, HttpResponse, HttpTransport, ReqwestTransport, Timeouts};

/// The `Content-Type` botocore sends; servers that re-hash the form (moto) expect exactly it.
pub const FORM_CONTENT_TYPE: &str = "application/x-www-form-urlencoded; charset=utf-8";

/// `sts-client/<version>`, sent and never signed (proxies rewrite it).
pub const USER_AGENT: &str = concat!("sts-client/", env!("CARGO_PKG_VERSION"));

/// An STS client. Cheap to clone: clones share the connection pool, the signing-key cache and
/// the learned clock skew.
///
/// ```no_run
/// # async fn run() -> Result<(), sts_client::Error> {
/// let client = sts_client::Client::from_env()?;
/// let me = client.get_caller_identity().send().await?;
/// println!("{} in account {}", me.arn, me.account);
/// # Ok(()) }
/// ```
#[derive(Clone, Debug)]
pub struct Client {
    inner: Arc<Inner>,
}

struct Inner {
    endpoint: ResolvedEndpoint,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    transport: Arc<dyn HttpTransport>,
    signer: Arc<Signer>,
    retry: RetryConfig,
    clock: Arc<dyn Clock>,
    skew: Arc<ClockSkew>,
    jitter: Jitter,
}

/// Builds a [`Client`]; every setting left unset comes from the environment / defaults.
#[derive(Default)]
pub struct ClientBuilder {
    config: Option<ClientConfig>,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    transport: Option<Arc<dyn HttpTransport>>,
    retry: Option<RetryConfig>,
    timeouts: Option<Timeouts>,
    clock: Option<Arc<dyn Clock>>,
}

impl std::fmt::Debug for Inner {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.endpoint)
            .field("has_credentials", &self.credentials.is_some())
            .field("transport", &self.transport)
            .field("retry", &self.retry)
            .field("clock_skew", &self.skew.offset())
            .finish()
    }
}

impl std::fmt::Debug for ClientBuilder {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ClientBuilder")
            .field("config", &self.config)
            .field("has_credentials", &self.credentials.is_some())
            .field("retry", &self.retry)
            .field("timeouts", &self.timeouts)
            .finish()
    }
}

impl ClientBuilder {
    /// Region, endpoint and endpoint variants (see [`ClientConfig`]).
    pub fn config(mut self, config: ClientConfig) -> Self {
        self.config = Some(config);
        self
    }

    /// Where credentials come from (static [`crate::Credentials`], a chain, a cache...).
    /// Without it, only the unsigned operations (web identity, SAML) can be called.
    pub fn credentials(mut self, provider: impl ProvideCredentials + 'static) -> Self {
        self.credentials = Some(Arc::new(provider));
        self
    }

    /// Same as [`ClientBuilder::credentials`] for a provider already shared.
    pub fn shared_credentials(mut self, provider: Arc<dyn ProvideCredentials>) -> Self {
        self.credentials = Some(provider);
        self
    }

    /// Plugs in another HTTP stack (or a test double).
    pub fn transport(mut self, transport: impl HttpTransport + 'static) -> Self {
        self.transport = Some(Arc::new(transport));
        self
    }

    /// Same as [`ClientBuilder::transport`] for a transport already shared.
    pub fn shared_transport(mut self, transport: Arc<dyn HttpTransport>) -> Self {
        self.transport = Some(transport);
        self
    }

    /// Retry settings (default: 3 attempts).
    pub fn retry(mut self, retry: RetryConfig) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Connect and per-attempt timeouts of the default transport.
    pub fn timeouts(mut self, timeouts: Timeouts) -> Self {
        self.timeouts = Some(timeouts);
        self
    }

    /// The clock to sign with (tests inject one; the learned skew is added to it).
    pub fn clock(mut self, clock: impl Clock + 'static) -> Self {
        self.clock = Some(Arc::new(clock));
        self
    }

    /// Resolves the endpoint and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let config = match self.config {
            Some(config) => config,
            None => ClientConfig::from_env()?,
        };
        let endpoint = config.resolve()?;
        let transport: Arc<dyn HttpTransport> = match self.transport {
            Some(t) => t,
            None => Arc::new(ReqwestTransport::new(self.timeouts.unwrap_or_default())?),
        };
        let seed = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos() as u64)
            .unwrap_or(0x9e37_79b9_7f4a_7c15);
        Ok(Client {
            inner: Arc::new(Inner {
                endpoint,
                credentials: self.credentials,
                transport,
                signer: Arc::new(Signer::new()),
                retry: self.retry.unwrap_or_default(),
                clock: self.clock.unwrap_or_else(|| Arc::new(SystemClock)),
                skew: Arc::new(ClockSkew::default()),
                jitter: Jitter::new(seed),
            }),
        })
    }
}

impl Client {
    /// A builder for a client with explicit settings.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured as the AWS CLI would be: region and endpoint settings from the
    /// environment (`AWS_REGION`, `AWS_ENDPOINT_URL_STS`, ...) over the profile's, credentials
    /// from the complete default chain (environment, shared profile with role assumption, web
    /// identity, container, instance metadata), cached, looked up at the first signed call.
    /// See [`Client::from_env_lookup`].
    pub fn from_env() -> Result<Client, Error> {
        Self::from_env_lookup(crate::credentials::EnvLookup::process(), None)
    }

    /// The endpoint this client sends to, and the region it signs for.
    pub fn endpoint(&self) -> &ResolvedEndpoint {
        &self.inner.endpoint
    }

    /// The clock correction learned from server `Date` headers so far.
    pub fn clock_skew(&self) -> time::Duration {
        self.inner.skew.offset()
    }

    /// Sends one validated operation: signs it (unless the operation is unsigned), retries
    /// transient failures, corrects clock skew once, and parses the answer.
    pub async fn send<O: Operation>(&self, operation: &O) -> Result<O::Output, Error> {
        let mut body = String::with_capacity(128);
        operation.write_form_body(&mut body);
        let credentials = match O::AUTH {
            Auth::SigV4 => Some(self.resolve_credentials(O::ACTION).await?),
            Auth::None => None,
        };
        let inner = &*self.inner;
        let mut attempt: u32 = 0;
        let mut skew_retry_used = false;
        loop {
            attempt += 1;
            let span = tracing::debug_span!(
                "sts_attempt",
                action = O::ACTION,
                attempt,
                endpoint = %inner.endpoint.url
            );
            let outcome = self
                .attempt(O::ACTION, &body, credentials.as_ref())
                .instrument(span)
                .await;
            let (response, measured_skew) = match outcome {
                Ok(ok) => ok,
                Err(Error::Transport(e))
                    if e.is_retryable() && attempt < inner.retry.max_attempts =>
                {
                    tracing::debug!(action = O::ACTION, attempt, error = %e, "retrying after transport error");
                    self.sleep(
                        inner
                            .retry
                            .backoff(attempt, false, inner.jitter.next(), None),
                    )
                    .await;
                    continue;
                }
                Err(e) => return Err(e),
            };
            let request_id = response.header("x-amzn-requestid").map(str::to_owned);
            if (200..300).contains(&response.status) {
                return O::parse_output(&response.body).map_err(|source| Error::Parse {
                    action: O::ACTION,
                    status: response.status,
                    request_id,
                    source,
                });
            }
            let server_time = response.header("date").and_then(parse_http_date);
            let mut error = parse_error_response(
                O::ACTION,
                response.status,
                request_id.as_deref(),
                &response.body,
            );
            if let Some(t) = server_time {
                error = error.with_server_time(t);
            }
            if let Some(skew) = measured_skew {
                // What the user must fix: the local clock's distance from the server's.
                error = error.with_clock_drift(inner.skew.offset() + skew);
            }
            if error.is_clock_skew() && !skew_retry_used {
                if let Some(skew) = measured_skew {
                    if inner.skew.correct(skew) {
                        // Does not count against the retry budget: it is a fresh signature,
                        // not a repeat of a failure.
                        skew_retry_used = true;
                        attempt -= 1;
                        tracing::debug!(
                            action = O::ACTION,
                            skew_seconds = skew.whole_seconds(),
                            "clock skew corrected; signing again"
                        );
                        continue;
                    }
                }
            }
            if error.is_retryable() && attempt < inner.retry.max_attempts {
                let retry_after = response
                    .header("x-amz-retry-after")
                    .and_then(|v| v.trim().parse::<u64>().ok())
                    .map(Duration::from_millis);
                let delay = inner.retry.backoff(
                    attempt,
                    error.is_throttling(),
                    inner.jitter.next(),
                    retry_after,
                );
                tracing::debug!(action = O::ACTION, attempt, code = %error.code(), ?delay, "retrying");
                self.sleep(delay).await;
                continue;
            }
            return Err(Error::Service(Box::new(error)));
        }
    }

    async fn resolve_credentials(&self, action: &'static str) -> Result<crate::Credentials, Error> {
        match &self.inner.credentials {
            Some(provider) => Ok(provider.provide_credentials().await?),
            None => Err(Error::NoCredentials { action }),
        }
    }

    /// Builds, signs and sends one attempt; returns the response and the skew its `Date`
    /// header shows.
    async fn attempt(
        &self,
        action: &'static str,
        body: &str,
        credentials: Option<&crate::Credentials>,
    ) -> Result<(HttpResponse, Option<time::Duration>), Error> {
        let inner = &*self.inner;
        let request = self.build_request(action, body, credentials)?;
        let sent_at = inner.clock.now();
        let response = inner.transport.send(request).await?;
        let received_at = inner.clock.now();
        let skew = response
            .header("date")
            .and_then(parse_http_date)
            .map(|server| inner.skew.measure(server, sent_at, received_at));
        tracing::debug!(action, status = response.status, "response");
        Ok((response, skew))
    }

    /// The request exactly as it will be sent, signed with the skew-corrected time.
    fn build_request(
        &self,
        action: &'static str,
        body: &str,
        credentials: Option<&crate::Credentials>,
    ) -> Result<HttpRequest, Error> {
        let inner = &*self.inner;
        let mut headers = vec![("content-type".to_owned(), FORM_CONTENT_TYPE.to_owned())];
        if let Some(credentials) = credentials {
            let region = inner
                .endpoint
                .signing_region
                .as_deref()
                .ok_or(Error::NoSigningRegion { action })?;
            let time = inner.skew.corrected(inner.clock.now());
            let signed = inner.signer.sign(
                &SignableRequest {
                    method: "POST",
                    url: &inner.endpoint.url,
                    headers: &[("content-type", FORM_CONTENT_TYPE)],
                    body: body.as_bytes(),
                },
                &SigningParams {
                    credentials,
                    region,
                    service: "sts",
                    time,
                    settings: SigningSettings::default(),
                },
            )?;
            headers.extend(signed.headers().map(|(n, v)| (n.to_owned(), v.to_owned())));
        }
        headers.push(("user-agent".to_owned(), USER_AGENT.to_owned()));
        Ok(HttpRequest {
            method: "POST",
            url: inner.endpoint.url.clone(),
            headers,
            body: body.as_bytes().to_vec(),
        })
    }

    async fn sleep(&self, delay: Duration) {
        if !delay.is_zero() {
            tokio::time::sleep(delay).await;
        }
    }
}
