//! AWS credentials and where they come from.
//!
//! A source is anything that implements [`ProvideCredentials`]: static [`Credentials`], the
//! [`EnvironmentCredentials`], a profile of the shared files ([`ProfileCredentials`]), a
//! `credential_process`, the container endpoint ([`ContainerCredentials`]), the EC2 instance
//! metadata service ([`InstanceMetadataCredentials`]), and, through the
//! [`AssumeRoleProvider`] hook that the client layer supplies
//! ([`StsAssumeRoleProvider`](crate::client::StsAssumeRoleProvider)), STS role assumption.
//! [`DefaultChain`] tries sources in order;
//! [`CachedCredentialsProvider`] keeps and renews what a source returns.

use crate::secret::SecretString;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use time::OffsetDateTime;

mod assume;
mod cache;
mod chain;
mod clock;
mod container;
mod env;
mod error;
mod http;
mod imds;
mod mfa;
mod process;
pub mod profile;
mod web_identity;
mod write;

pub use assume::{AssumeRoleProvider, AssumeRoleRequest, WebIdentityRequest};
pub use cache::{CachedCredentialsProvider, RefreshWindows};
pub use chain::{DefaultChain, DefaultChainBuilder};
pub use clock::{Clock, ManualClock, SystemClock};
pub use container::{ContainerCredentials, CONTAINER_HOST};
pub use env::{EnvLookup, EnvironmentCredentials};
pub use error::{CredentialsError, SourceAttempt};
pub use imds::{
    InstanceMetadataCredentials, IMDS_ENDPOINT, IMDS_ENDPOINT_IPV6, IMDS_TOKEN_TTL_SECONDS,
};
pub use mfa::MfaTokenProvider;
pub use process::{parse_process_output, split_command_line, ProcessCredentials};
pub use profile::{ProfileCredentials, ProfileCredentialsPlan, ProfileStep};
pub use web_identity::{WebIdentityCredentials, WebIdentityTokenSource};
pub use write::{render_credential_process_json, render_export_lines, write_profile_credentials};

/// The future a [`ProvideCredentials`] source returns.
pub type ProvideFuture<'a> =
    Pin<Box<dyn Future<Output = Result<Credentials, CredentialsError>> + Send + 'a>>;

/// A source of credentials.
///
/// ```
/// use sts_client::credentials::ProvideCredentials;
/// use sts_client::Credentials;
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// let source = Credentials::new("AKIDEXAMPLE", "secret");
/// let creds = source.provide_credentials().await.unwrap();
/// assert_eq!(creds.access_key_id(), "AKIDEXAMPLE");
/// # });
/// ```
pub trait ProvideCredentials: Send + Sync {
    /// Returns credentials, or why there are none. A source that is simply not configured
    /// returns [`CredentialsError::NotConfigured`].
    fn provide_credentials(&self) -> ProvideFuture<'_>;
}

impl ProvideCredentials for Credentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let creds = self.clone();
        Box::pin(async move { Ok(creds) })
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Arc<T> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        (**self).provide_credentials()
    }
}

impl<T: ProvideCredentials + ?Sized> ProvideCredentials for Box<T> {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        (**self).provide_credentials()
    }
}

/// A set of AWS credentials: access key id, secret access key, and for temporary credentials a
/// session token and an expiration.
///
/// `Debug` shows the access key id (it is not a secret: it appears in every signed request) and
/// redacts the secret and the token.
///
/// ```
/// use sts_client::Credentials;
/// let creds = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
/// assert!(!format!("{creds:?}").contains("wJalr"));
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Credentials {
    access_key_id: String,
    secret_access_key: SecretString,
    session_token: Option<SecretString>,
    expiration: Option<OffsetDateTime>,
    account_id: Option<String>,
}

impl Credentials {
    /// Long-term credentials (no session token, no expiration).
    pub fn new(
        access_key_id: impl Into<String>,
        secret_access_key: impl Into<SecretString>,
    ) -> Self {
        Self {
            access_key_id: access_key_id.into(),
            secret_access_key: secret_access_key.into(),
            session_token: None,
            expiration: None,
            account_id: None,
        }
    }

    /// Adds a session token (temporary credentials).
    pub fn with_session_token(mut self, token: impl Into<SecretString>) -> Self {
        self.session_token = Some(token.into());
        self
    }

    /// Adds the time after which the credentials no longer work.
    pub fn with_expiration(mut self, expiration: OffsetDateTime) -> Self {
        self.expiration = Some(expiration);
        self
    }

    /// Adds the 12-digit account id the credentials belong to.
    pub fn with_account_id(mut self, account_id: impl Into<String>) -> Self {
        self.account_id = Some(account_id.into());
        self
    }

    /// The access key id (`AKIA…` long-term, `ASIA…` temporary).
    pub fn access_key_id(&self) -> &str {
        &self.access_key_id
    }

    /// The secret access key.
    pub fn secret_access_key(&self) -> &SecretString {
        &self.secret_access_key
    }

    /// The session token, for temporary credentials.
    pub fn session_token(&self) -> Option<&SecretString> {
        self.session_token.as_ref()
    }

    /// When the credentials expire, if they do.
    pub fn expiration(&self) -> Option<OffsetDateTime> {
        self.expiration
    }

    /// The account id, when the source told it.
    pub fn account_id(&self) -> Option<&str> {
        self.account_id.as_deref()
    }
}

/// Builds credentials from the fields of a JSON credentials document (`credential_process`
/// output, container and instance-metadata responses). The error names the field that is
/// wrong, never its value.
pub(crate) fn from_document_fields(
    access_key_id: &str,
    secret_access_key: &str,
    session_token: Option<&str>,
    expiration: Option<&str>,
    account_id: Option<&str>,
) -> Result<Credentials, String> {
    let mut credentials = Credentials::new(access_key_id, SecretString::new(secret_access_key));
    if let Some(token) = session_token {
        credentials = credentials.with_session_token(SecretString::new(token));
    }
    if let Some(expiration) = expiration {
        let expiration = OffsetDateTime::parse(
            expiration.trim(),
            &time::format_description::well_known::Rfc3339,
        )
        .map_err(|e| format!("Expiration is not an RFC 3339 date-time: {e}"))?;
        credentials = credentials.with_expiration(expiration);
    }
    if let Some(account) = account_id.filter(|a| !a.is_empty()) {
        credentials = credentials.with_account_id(account);
    }
    Ok(credentials)
}

impl fmt::Debug for Credentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key_id", &self.access_key_id)
            .field("secret_access_key", &self.secret_access_key)
            .field("session_token", &self.session_token)
            .field("expiration", &self.expiration)
            .field("account_id", &self.account_id)
            .finish()
    }
}
