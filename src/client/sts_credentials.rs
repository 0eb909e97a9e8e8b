//! STS as a credential source: the [`AssumeRoleProvider`] hook that the profile and web
//! identity sources call, and operation builders that turn into sources renewing themselves.
//!
//! ```no_run
//! # async fn run() -> Result<(), Box<dyn std::error::Error>> {
//! use sts_client::credentials::ProvideCredentials;
//! let client = sts_client::Client::from_env()?;
//! // Sends AssumeRole now and again whenever the cached credentials near their expiry.
//! let role = client
//!     .assume_role()
//!     .role_arn("arn:aws:iam::123456789012:role/deploy")
//!     .role_session_name("deploy")
//!     .into_provider()?;
//! let deployer = sts_client::Client::builder().credentials(role).build()?;
//! println!("{}", deployer.get_caller_identity().send().await?.arn);
//! # Ok(()) }
//! ```

use super::Client;
use crate::credentials::{
    AssumeRoleProvider, AssumeRoleRequest, CachedCredentialsProvider, CredentialsError,
    MfaTokenProvider, ProvideCredentials, ProvideFuture, WebIdentityRequest,
    WebIdentityTokenSource,
};
use crate::error::Error;
use crate::operations::validation::Problem;
use crate::operations::{
    AssumeRole, AssumeRoleBuilder, AssumeRoleWithWebIdentity, AssumeRoleWithWebIdentityBuilder,
    GetSessionToken, GetSessionTokenBuilder, ValidationError,
};
use crate::secret::SecretString;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;

/// Performs the role assumptions of the profile and web identity sources with a [`Client`].
///
/// `AssumeRole` is signed with the request's source credentials (the client's own
/// credentials, if any, are not used); `AssumeRoleWithWebIdentity` is unsigned. Both go to the
/// client's endpoint, with its transport, retries and clock-skew correction.
///
/// ```
/// use sts_client::client::StsAssumeRoleProvider;
/// use sts_client::config::ClientConfig;
/// use sts_client::credentials::{DefaultChain, EnvLookup};
/// use std::sync::Arc;
/// let client = sts_client::Client::builder()
///     .config(ClientConfig::new().with_region("eu-west-1"))
///     .build()
///     .unwrap();
/// let chain = DefaultChain::from_env(
///     EnvLookup::process(),
///     Some(Arc::new(StsAssumeRoleProvider::new(client))),
/// );
/// # let _ = chain;
/// ```
#[derive(Debug, Clone)]
pub struct StsAssumeRoleProvider {
    client: Client,
}

impl StsAssumeRoleProvider {
    /// Sends through `client` (its endpoint, transport, retry and clock settings).
    pub fn new(client: Client) -> Self {
        Self { client }
    }

    async fn assume(&self, request: AssumeRoleRequest) -> Result<crate::Credentials, Error> {
        let mut builder = AssumeRole::builder()
            .role_arn(request.role_arn)
            .role_session_name(request.role_session_name);
        if let Some(id) = request.external_id {
            builder = builder.external_id(id);
        }
        if let Some(seconds) = request.duration_seconds {
            // Out of i32 range is out of the model's range too: validation names it.
            builder = builder.duration_seconds(i32::try_from(seconds).unwrap_or(i32::MAX));
        }
        if let Some(serial) = request.mfa_serial {
            builder = builder.serial_number(serial);
        }
        if let Some(code) = request.mfa_code {
            builder = builder.token_code(code);
        }
        let input = builder.build()?;
        let client = self.client.with_credentials(request.source_credentials);
        Ok(client.send(&input).await?.credentials)
    }

    async fn web_identity(&self, request: WebIdentityRequest) -> Result<crate::Credentials, Error> {
        let input = AssumeRoleWithWebIdentity::builder()
            .role_arn(request.role_arn)
            .role_session_name(request.role_session_name)
            .web_identity_token(request.token)
            .build()?;
        Ok(self.client.send(&input).await?.credentials)
    }
}

impl AssumeRoleProvider for StsAssumeRoleProvider {
    fn assume_role(&self, request: AssumeRoleRequest) -> ProvideFuture<'_> {
        let what = format!("assuming {}", request.role_arn);
        Box::pin(async move {
            self.assume(request)
                .await
                .map_err(|e| CredentialsError::provider(what, e))
        })
    }

    fn assume_role_with_web_identity(&self, request: WebIdentityRequest) -> ProvideFuture<'_> {
        let what = format!(
            "assuming {} with the web identity token in {}",
            request.role_arn,
            request.token_file.display()
        );
        Box::pin(async move {
            self.web_identity(request)
                .await
                .map_err(|e| CredentialsError::provider(what, e))
        })
    }
}

/// What a [`StsCredentials`] source sends at each renewal.
#[derive(Debug, Clone)]
enum Renewal {
    AssumeRole(AssumeRole),
    SessionToken(GetSessionToken),
    WebIdentity {
        input: AssumeRoleWithWebIdentity,
        token: WebIdentityTokenSource,
    },
}

/// Credentials from one STS operation, sent again at every call: a validated `AssumeRole`,
/// `GetSessionToken` or `AssumeRoleWithWebIdentity` request and the client that sends it.
///
/// Made by the builders' `into_provider*` methods (for example
/// [`AssumeRoleBuilder::into_provider`]), which wrap it in a [`CachedCredentialsProvider`] so
/// that the operation is sent only when the credentials near their expiry. Each renewal sends
/// a clone of the request validated once; with an MFA callback, the callback is asked for a
/// fresh code at each renewal (once per session, not once per signed call); for web identity,
/// the token file is read again at each renewal.
pub struct StsCredentials {
    client: Client,
    renewal: Renewal,
    mfa: Option<Arc<dyn MfaTokenProvider>>,
}

impl fmt::Debug for StsCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let operation = match &self.renewal {
            Renewal::AssumeRole(input) => format!("AssumeRole {}", input.role_arn()),
            Renewal::SessionToken(_) => "GetSessionToken".to_owned(),
            Renewal::WebIdentity { token, .. } => {
                format!("AssumeRoleWithWebIdentity {}", token.role_arn())
            }
        };
        f.debug_struct("StsCredentials")
            .field("operation", &operation)
            .field("has_mfa", &self.mfa.is_some())
            .finish_non_exhaustive()
    }
}

impl StsCredentials {
    fn mfa_code(
        &self,
        serial: Option<&str>,
    ) -> Result<Option<(String, SecretString)>, CredentialsError> {
        match (&self.mfa, serial) {
            (Some(mfa), Some(serial)) => Ok(Some((serial.to_owned(), mfa.mfa_token(serial)?))),
            _ => Ok(None),
        }
    }

    async fn renew(&self) -> Result<crate::Credentials, CredentialsError> {
        let bad_code = |serial: String, e: ValidationError| CredentialsError::Mfa {
            serial,
            problem: e.to_string(),
        };
        match &self.renewal {
            Renewal::AssumeRole(input) => {
                let mut input = input.clone();
                if let Some((serial, code)) = self.mfa_code(input.serial_number())? {
                    input = input
                        .with_token_code(code)
                        .map_err(|e| bad_code(serial, e))?;
                }
                self.client
                    .send(&input)
                    .await
                    .map(|out| out.credentials)
                    .map_err(|e| {
                        CredentialsError::provider(format!("assuming {}", input.role_arn()), e)
                    })
            }
            Renewal::SessionToken(input) => {
                let mut input = input.clone();
                if let Some((serial, code)) = self.mfa_code(input.serial_number())? {
                    input = input
                        .with_token_code(code)
                        .map_err(|e| bad_code(serial, e))?;
                }
                self.client
                    .send(&input)
                    .await
                    .map(|out| out.credentials)
                    .map_err(|e| CredentialsError::provider("GetSessionToken", e))
            }
            Renewal::WebIdentity { input, token } => {
                let file = token.token_file().to_owned();
                let input = input
                    .clone()
                    .with_web_identity_token(token.read_token()?)
                    .map_err(|e| CredentialsError::MalformedFile {
                        path: file.clone(),
                        line: 1,
                        problem: e.to_string(),
                    })?;
                self.client
                    .send(&input)
                    .await
                    .map(|out| out.credentials)
                    .map_err(|e| {
                        CredentialsError::provider(
                            format!(
                                "assuming {} with the web identity token in {}",
                                token.role_arn(),
                                file.display()
                            ),
                            e,
                        )
                    })
            }
        }
    }
}

impl ProvideCredentials for StsCredentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.renew())
    }
}

fn cached(
    client: &Client,
    renewal: Renewal,
    mfa: Option<Arc<dyn MfaTokenProvider>>,
) -> CachedCredentialsProvider<StsCredentials> {
    CachedCredentialsProvider::new(StsCredentials {
        client: client.clone(),
        renewal,
        mfa,
    })
}

fn serial_required(action: &'static str) -> ValidationError {
    ValidationError::new(action, "SerialNumber", Problem::Missing)
}

impl AssumeRoleBuilder<&Client> {
    /// Validates the request and turns it into a source that sends it again whenever the
    /// cached credentials near their expiry. A `token_code` set here would be sent at every
    /// renewal: for MFA use [`into_provider_with_mfa`](Self::into_provider_with_mfa).
    pub fn into_provider(
        self,
    ) -> Result<CachedCredentialsProvider<StsCredentials>, ValidationError> {
        let (client, input) = self.into_parts();
        Ok(cached(client, Renewal::AssumeRole(input?), None))
    }

    /// Like [`into_provider`](Self::into_provider), asking `mfa` for the code of the
    /// `serial_number` device at each renewal. Without a `serial_number` this is a
    /// [`ValidationError`] naming `SerialNumber`.
    pub fn into_provider_with_mfa(
        self,
        mfa: Arc<dyn MfaTokenProvider>,
    ) -> Result<CachedCredentialsProvider<StsCredentials>, ValidationError> {
        let (client, input) = self.into_parts();
        let input = input?;
        if input.serial_number().is_none() {
            return Err(serial_required("AssumeRole"));
        }
        Ok(cached(client, Renewal::AssumeRole(input), Some(mfa)))
    }
}

impl GetSessionTokenBuilder<&Client> {
    /// Validates the request and turns it into a source that sends it again whenever the
    /// cached credentials near their expiry (signed with the client's credentials).
    pub fn into_provider(
        self,
    ) -> Result<CachedCredentialsProvider<StsCredentials>, ValidationError> {
        let (client, input) = self.into_parts();
        Ok(cached(client, Renewal::SessionToken(input?), None))
    }

    /// Like [`into_provider`](Self::into_provider), asking `mfa` for the code of the
    /// `serial_number` device at each renewal (once per session). Without a `serial_number`
    /// this is a [`ValidationError`] naming `SerialNumber`.
    ///
    /// ```
    /// use sts_client::config::ClientConfig;
    /// use sts_client::credentials::{CredentialsError, MfaTokenProvider};
    /// use sts_client::{Credentials, SecretString};
    /// use std::sync::Arc;
    /// let client = sts_client::Client::builder()
    ///     .config(ClientConfig::new().with_region("us-east-1"))
    ///     .credentials(Credentials::new("AKIDEXAMPLE", "secret"))
    ///     .build()
    ///     .unwrap();
    /// let prompt: Arc<dyn MfaTokenProvider> =
    ///     Arc::new(|_serial: &str| -> Result<SecretString, CredentialsError> {
    ///         Ok(SecretString::new("123456")) // read it from the terminal here
    ///     });
    /// let session = client
    ///     .get_session_token()
    ///     .serial_number("arn:aws:iam::123456789012:mfa/me")
    ///     .duration_seconds(3600)
    ///     .into_provider_with_mfa(prompt)
    ///     .unwrap();
    /// # let _ = session;
    /// ```
    pub fn into_provider_with_mfa(
        self,
        mfa: Arc<dyn MfaTokenProvider>,
    ) -> Result<CachedCredentialsProvider<StsCredentials>, ValidationError> {
        let (client, input) = self.into_parts();
        let input = input?;
        if input.serial_number().is_none() {
            return Err(serial_required("GetSessionToken"));
        }
        Ok(cached(client, Renewal::SessionToken(input), Some(mfa)))
    }
}

/// Stands in for the token while the rest of the request is validated; every renewal
/// replaces it with the file's content before anything is sent.
const TOKEN_PLACEHOLDER: &str = "read-from-the-token-file";

impl AssumeRoleWithWebIdentityBuilder<&Client> {
    /// Validates the request (role ARN, session name...) and turns it into a source that reads
    /// `token_file` and sends the request again whenever the cached credentials near their
    /// expiry. A `web_identity_token` set on the builder is ignored: the file's is used.
    pub fn into_provider_with_token_file(
        self,
        token_file: impl Into<PathBuf>,
    ) -> Result<CachedCredentialsProvider<StsCredentials>, ValidationError> {
        let (client, input) = self.web_identity_token(TOKEN_PLACEHOLDER).into_parts();
        let input = input?;
        let token = WebIdentityTokenSource::new(token_file, input.role_arn(), None);
        Ok(cached(client, Renewal::WebIdentity { input, token }, None))
    }
}
