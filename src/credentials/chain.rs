//! Sources tried in order.

use super::{
    AssumeRoleProvider, Clock, Credentials, CredentialsError, EnvLookup, EnvironmentCredentials,
    ProfileCredentials, ProvideCredentials, ProvideFuture, SourceAttempt, SystemClock,
    WebIdentityTokenSource,
};
use std::fmt;
use std::sync::Arc;

/// Tries sources in order and returns the first credentials found.
///
/// A source that is not configured ([`CredentialsError::NotConfigured`]) is noted and the
/// next one tried; a source that is configured but fails stops the chain with its error, as
/// the SDKs do. When no source has credentials, [`CredentialsError::NoneFound`] lists each
/// source and why it gave nothing.
///
/// ```
/// use sts_client::credentials::{DefaultChain, EnvLookup, ProvideCredentials};
/// let env = EnvLookup::from_pairs([
///     ("AWS_ACCESS_KEY_ID", "AKIDENV"),
///     ("AWS_SECRET_ACCESS_KEY", "secret"),
/// ]);
/// let chain = DefaultChain::from_env(env, None);
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// assert_eq!(chain.provide_credentials().await.unwrap().access_key_id(), "AKIDENV");
/// # });
/// ```
#[derive(Default)]
pub struct DefaultChain {
    sources: Vec<(String, Box<dyn ProvideCredentials>)>,
}

impl DefaultChain {
    /// An empty chain.
    pub fn new() -> Self {
        Self::default()
    }

    /// The SDKs' order for the sources that need no HTTP: environment, profile, web identity.
    /// `sts` performs the role assumptions of the profile and web identity sources; without
    /// it, those sources fail with [`CredentialsError::MissingProvider`] when configured.
    /// Container and instance metadata sources are appended with
    /// [`with_source`](Self::with_source).
    pub fn from_env(env: EnvLookup, sts: Option<Arc<dyn AssumeRoleProvider>>) -> Self {
        let mut profile = ProfileCredentials::new(env.clone());
        if let Some(sts) = &sts {
            profile = profile.with_assume_role(sts.clone());
        }
        Self::new()
            .with_source("environment", EnvironmentCredentials::new(env.clone()))
            .with_source("profile", profile)
            .with_source(
                "web identity",
                EnvWebIdentity {
                    env,
                    sts,
                    clock: Arc::new(SystemClock),
                },
            )
    }

    /// Appends a source.
    pub fn with_source(
        mut self,
        name: impl Into<String>,
        source: impl ProvideCredentials + 'static,
    ) -> Self {
        self.sources.push((name.into(), Box::new(source)));
        self
    }

    /// The sources' names, in order.
    pub fn source_names(&self) -> impl Iterator<Item = &str> {
        self.sources.iter().map(|(name, _)| name.as_str())
    }

    async fn resolve(&self) -> Result<Credentials, CredentialsError> {
        let mut tried = Vec::new();
        for (name, source) in &self.sources {
            match source.provide_credentials().await {
                Ok(credentials) => {
                    tracing::debug!(source = %name, "credentials found");
                    return Ok(credentials);
                }
                Err(CredentialsError::NotConfigured { reason }) => tried.push(SourceAttempt {
                    source: name.clone(),
                    reason,
                }),
                Err(error) => return Err(error),
            }
        }
        Err(CredentialsError::NoneFound { tried })
    }
}

impl ProvideCredentials for DefaultChain {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.resolve())
    }
}

impl fmt::Debug for DefaultChain {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultChain")
            .field("sources", &self.source_names().collect::<Vec<_>>())
            .finish()
    }
}

/// Web identity from the environment, read at every call (the token file rotates).
struct EnvWebIdentity {
    env: EnvLookup,
    sts: Option<Arc<dyn AssumeRoleProvider>>,
    clock: Arc<dyn Clock>,
}

impl ProvideCredentials for EnvWebIdentity {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(async move {
            let source = WebIdentityTokenSource::from_env(&self.env)?;
            let request = source.request(self.clock.now())?;
            let sts = self
                .sts
                .as_ref()
                .ok_or_else(|| CredentialsError::MissingProvider {
                    what: "AssumeRoleWithWebIdentity".into(),
                })?;
            sts.assume_role_with_web_identity(request).await
        })
    }
}
