//! Sources tried in order.

use super::profile::CredentialSource;
use super::{
    AssumeRoleProvider, Clock, ContainerCredentials, Credentials, CredentialsError, EnvLookup,
    EnvironmentCredentials, InstanceMetadataCredentials, MfaTokenProvider, ProfileCredentials,
    ProvideCredentials, ProvideFuture, SourceAttempt, SystemClock, WebIdentityTokenSource,
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
    /// [`DefaultChain::builder`] makes the complete chain, with the container and instance
    /// metadata sources.
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

    /// The complete chain in the SDKs' order: environment, profile, web identity, container,
    /// instance metadata; see [`DefaultChainBuilder`].
    ///
    /// ```
    /// use sts_client::credentials::{DefaultChain, EnvLookup};
    /// let chain = DefaultChain::builder(EnvLookup::process()).build();
    /// assert_eq!(
    ///     chain.source_names().collect::<Vec<_>>(),
    ///     ["environment", "profile", "web identity", "container", "instance metadata"]
    /// );
    /// ```
    pub fn builder(env: EnvLookup) -> DefaultChainBuilder {
        DefaultChainBuilder {
            env,
            profile: None,
            sts: None,
            mfa: None,
            container: None,
            instance_metadata: None,
        }
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

/// Builds the complete [`DefaultChain`]: environment, profile (`role_arn` and web identity
/// through the STS hook, `credential_source` wired to the environment, container and instance
/// metadata sources below), web identity, container, instance metadata.
///
/// Without [`assume_role`](Self::assume_role), role assumptions fail with
/// [`CredentialsError::MissingProvider`] when a profile or the environment asks for one.
pub struct DefaultChainBuilder {
    env: EnvLookup,
    profile: Option<String>,
    sts: Option<Arc<dyn AssumeRoleProvider>>,
    mfa: Option<Arc<dyn MfaTokenProvider>>,
    container: Option<ContainerCredentials>,
    instance_metadata: Option<InstanceMetadataCredentials>,
}

impl DefaultChainBuilder {
    /// Uses this profile instead of `AWS_PROFILE` / `default`.
    pub fn profile(mut self, name: impl Into<String>) -> Self {
        self.profile = Some(name.into());
        self
    }

    /// Performs role assumptions (profile `role_arn`, web identity) through `sts`.
    pub fn assume_role(mut self, sts: Arc<dyn AssumeRoleProvider>) -> Self {
        self.sts = Some(sts);
        self
    }

    /// Asks `mfa` for the codes of profiles with `mfa_serial`.
    pub fn mfa(mut self, mfa: Arc<dyn MfaTokenProvider>) -> Self {
        self.mfa = Some(mfa);
        self
    }

    /// Replaces the container source (another transport, in tests).
    pub fn container(mut self, source: ContainerCredentials) -> Self {
        self.container = Some(source);
        self
    }

    /// Replaces the instance metadata source (another transport, in tests).
    pub fn instance_metadata(mut self, source: InstanceMetadataCredentials) -> Self {
        self.instance_metadata = Some(source);
        self
    }

    /// The chain.
    pub fn build(self) -> DefaultChain {
        let env = self.env;
        let container = Arc::new(
            self.container
                .unwrap_or_else(|| ContainerCredentials::new(env.clone())),
        );
        let imds = Arc::new(
            self.instance_metadata
                .unwrap_or_else(|| InstanceMetadataCredentials::new(env.clone())),
        );
        let mut profile = ProfileCredentials::new(env.clone())
            .with_credential_source(CredentialSource::EcsContainer, container.clone())
            .with_credential_source(CredentialSource::Ec2InstanceMetadata, imds.clone());
        if let Some(name) = self.profile {
            profile = profile.with_profile(name);
        }
        if let Some(sts) = &self.sts {
            profile = profile.with_assume_role(sts.clone());
        }
        if let Some(mfa) = self.mfa {
            profile = profile.with_mfa(mfa);
        }
        DefaultChain::new()
            .with_source("environment", EnvironmentCredentials::new(env.clone()))
            .with_source("profile", profile)
            .with_source(
                "web identity",
                EnvWebIdentity {
                    env,
                    sts: self.sts,
                    clock: Arc::new(SystemClock),
                },
            )
            .with_source("container", container)
            .with_source("instance metadata", imds)
    }
}

impl fmt::Debug for DefaultChainBuilder {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DefaultChainBuilder")
            .field("profile", &self.profile)
            .field("has_assume_role", &self.sts.is_some())
            .field("has_mfa", &self.mfa.is_some())
            .finish_non_exhaustive()
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
