//! AWS credentials.

use crate::secret::SecretString;
use std::fmt;
use time::OffsetDateTime;

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
