//! Credentials from `AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN` and
//! `AWS_CREDENTIAL_EXPIRATION`.

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

/// How sources read environment variables: the process environment, or a map in tests.
///
/// ```
/// use sts_client::credentials::EnvLookup;
/// let env = EnvLookup::from_pairs([("AWS_PROFILE", "dev")]);
/// assert_eq!(env.get("AWS_PROFILE").as_deref(), Some("dev"));
/// assert_eq!(env.get("HOME"), None);
/// ```
#[derive(Clone)]
pub struct EnvLookup(Arc<LookupFn>);

type LookupFn = dyn Fn(&str) -> Option<String> + Send + Sync;

impl EnvLookup {
    /// The process environment (`std::env::var`; non-UTF-8 values count as unset).
    pub fn process() -> Self {
        Self(Arc::new(|name| std::env::var(name).ok()))
    }

    /// A fixed set of variables.
    pub fn from_pairs<K: Into<String>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Self {
        let map: HashMap<String, String> = pairs
            .into_iter()
            .map(|(k, v)| (k.into(), v.into()))
            .collect();
        Self(Arc::new(move |name| map.get(name).cloned()))
    }

    /// Any lookup function.
    pub fn from_fn(lookup: impl Fn(&str) -> Option<String> + Send + Sync + 'static) -> Self {
        Self(Arc::new(lookup))
    }

    /// The variable's value; an empty value counts as unset, as the SDKs treat it.
    pub fn get(&self, name: &str) -> Option<String> {
        (self.0)(name).filter(|v| !v.is_empty())
    }
}

impl Default for EnvLookup {
    fn default() -> Self {
        Self::process()
    }
}

impl fmt::Debug for EnvLookup {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("EnvLookup")
    }
}

/// Credentials from the environment variables the AWS CLI reads.
///
/// ```
/// use sts_client::credentials::{EnvLookup, EnvironmentCredentials};
/// let env = EnvLookup::from_pairs([
///     ("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE"),
///     ("AWS_SECRET_ACCESS_KEY", "secret"),
/// ]);
/// let creds = EnvironmentCredentials::new(env).load().unwrap();
/// assert_eq!(creds.access_key_id(), "AKIDEXAMPLE");
/// ```
#[derive(Debug, Clone, Default)]
pub struct EnvironmentCredentials {
    env: EnvLookup,
}

impl EnvironmentCredentials {
    /// Reads from `env`.
    pub fn new(env: EnvLookup) -> Self {
        Self { env }
    }

    /// Reads the variables now. No access key id is [`CredentialsError::NotConfigured`]; an
    /// access key id without a secret key (or the reverse) is an error.
    pub fn load(&self) -> Result<Credentials, CredentialsError> {
        let access_key_id = self.env.get("AWS_ACCESS_KEY_ID");
        let secret = self.env.get("AWS_SECRET_ACCESS_KEY");
        let (access_key_id, secret) = match (access_key_id, secret) {
            (None, None) => {
                return Err(CredentialsError::not_configured(
                    "AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set",
                ))
            }
            (Some(_), None) => {
                return Err(CredentialsError::InvalidEnvironment {
                    name: "AWS_SECRET_ACCESS_KEY".into(),
                    problem: "not set while AWS_ACCESS_KEY_ID is".into(),
                })
            }
            (None, Some(_)) => {
                return Err(CredentialsError::InvalidEnvironment {
                    name: "AWS_ACCESS_KEY_ID".into(),
                    problem: "not set while AWS_SECRET_ACCESS_KEY is".into(),
                })
            }
            (Some(id), Some(secret)) => (id, secret),
        };
        let mut creds = Credentials::new(access_key_id, secret);
        if let Some(token) = self.env.get("AWS_SESSION_TOKEN") {
            creds = creds.with_session_token(token);
        }
        if let Some(expiration) = self.env.get("AWS_CREDENTIAL_EXPIRATION") {
            let expiration = OffsetDateTime::parse(expiration.trim(), &Rfc3339).map_err(|e| {
                CredentialsError::InvalidEnvironment {
                    name: "AWS_CREDENTIAL_EXPIRATION".into(),
                    problem: format!("not an RFC 3339 date-time: {e}"),
                }
            })?;
            creds = creds.with_expiration(expiration);
        }
        if let Some(account) = self.env.get("AWS_ACCOUNT_ID") {
            creds = creds.with_account_id(account);
        }
        Ok(creds)
    }
}

impl ProvideCredentials for EnvironmentCredentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let result = self.load();
        Box::pin(async move { result })
    }
}
