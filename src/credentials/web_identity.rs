//! Web identity from `AWS_WEB_IDENTITY_TOKEN_FILE`, `AWS_ROLE_ARN`, `AWS_ROLE_SESSION_NAME`.

use super::assume::default_session_name;
use super::{
    AssumeRoleProvider, Clock, CredentialsError, EnvLookup, ProvideCredentials, ProvideFuture,
    SystemClock, WebIdentityRequest,
};
use crate::secret::SecretString;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use time::OffsetDateTime;

/// Where a web identity token lives and which role it assumes.
///
/// The token file is read again at every [`request`](Self::request): orchestrators (EKS,
/// GitHub Actions) rotate it.
///
/// ```
/// use sts_client::credentials::{EnvLookup, WebIdentityTokenSource};
/// let dir = tempfile::tempdir().unwrap();
/// let file = dir.path().join("token");
/// std::fs::write(&file, "eyJhbGciOi\n").unwrap();
/// let env = EnvLookup::from_pairs([
///     ("AWS_WEB_IDENTITY_TOKEN_FILE", file.to_str().unwrap()),
///     ("AWS_ROLE_ARN", "arn:aws:iam::123456789012:role/web"),
/// ]);
/// let source = WebIdentityTokenSource::from_env(&env).unwrap();
/// assert_eq!(source.read_token().unwrap().expose(), "eyJhbGciOi");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebIdentityTokenSource {
    token_file: PathBuf,
    role_arn: String,
    role_session_name: Option<String>,
}

impl WebIdentityTokenSource {
    /// A token file and the role it assumes.
    pub fn new(
        token_file: impl Into<PathBuf>,
        role_arn: impl Into<String>,
        role_session_name: Option<String>,
    ) -> Self {
        Self {
            token_file: token_file.into(),
            role_arn: role_arn.into(),
            role_session_name,
        }
    }

    /// From the environment. No `AWS_WEB_IDENTITY_TOKEN_FILE` is
    /// [`CredentialsError::NotConfigured`]; a token file without `AWS_ROLE_ARN` is an error.
    pub fn from_env(env: &EnvLookup) -> Result<Self, CredentialsError> {
        let Some(token_file) = env.get("AWS_WEB_IDENTITY_TOKEN_FILE") else {
            return Err(CredentialsError::not_configured(
                "AWS_WEB_IDENTITY_TOKEN_FILE is not set",
            ));
        };
        let Some(role_arn) = env.get("AWS_ROLE_ARN") else {
            return Err(CredentialsError::InvalidEnvironment {
                name: "AWS_ROLE_ARN".into(),
                problem: "not set while AWS_WEB_IDENTITY_TOKEN_FILE is".into(),
            });
        };
        Ok(Self::new(
            token_file,
            role_arn,
            env.get("AWS_ROLE_SESSION_NAME"),
        ))
    }

    /// The token file.
    pub fn token_file(&self) -> &std::path::Path {
        &self.token_file
    }

    /// The role to assume.
    pub fn role_arn(&self) -> &str {
        &self.role_arn
    }

    /// The configured session name, if any.
    pub fn role_session_name(&self) -> Option<&str> {
        self.role_session_name.as_deref()
    }

    /// Reads the token file now (surrounding whitespace removed). Errors name the file.
    pub fn read_token(&self) -> Result<SecretString, CredentialsError> {
        let text = std::fs::read_to_string(&self.token_file)
            .map_err(|e| CredentialsError::io(&self.token_file, e))?;
        let text = zeroize::Zeroizing::new(text);
        let token = text.trim();
        if token.is_empty() {
            return Err(CredentialsError::MalformedFile {
                path: self.token_file.clone(),
                line: 1,
                problem: "the web identity token file is empty".into(),
            });
        }
        Ok(SecretString::new(token))
    }

    /// The `AssumeRoleWithWebIdentity` request with a freshly read token; `now` names the
    /// session when no name is configured.
    pub fn request(&self, now: OffsetDateTime) -> Result<WebIdentityRequest, CredentialsError> {
        Ok(WebIdentityRequest {
            role_arn: self.role_arn.clone(),
            role_session_name: self
                .role_session_name
                .clone()
                .unwrap_or_else(|| default_session_name(now)),
            token: self.read_token()?,
            token_file: self.token_file.clone(),
        })
    }

    /// A source that assumes the role through `sts` at every call (wrap it in a
    /// [`CachedCredentialsProvider`](super::CachedCredentialsProvider)).
    pub fn into_provider(self, sts: Arc<dyn AssumeRoleProvider>) -> WebIdentityCredentials {
        WebIdentityCredentials {
            source: self,
            sts,
            clock: Arc::new(SystemClock),
        }
    }
}

/// Web identity credentials: reads the token, then calls `AssumeRoleWithWebIdentity`.
pub struct WebIdentityCredentials {
    source: WebIdentityTokenSource,
    sts: Arc<dyn AssumeRoleProvider>,
    clock: Arc<dyn Clock>,
}

impl WebIdentityCredentials {
    /// Uses `clock` to name sessions.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }
}

impl fmt::Debug for WebIdentityCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("WebIdentityCredentials")
            .field("source", &self.source)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for WebIdentityCredentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let request = self.source.request(self.clock.now())?;
            self.sts.assume_role_with_web_identity(request).await
        })
    }
}
