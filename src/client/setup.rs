//! Clients configured as the AWS CLI configures itself: settings from the environment over the
//! profile, credentials from the complete default chain.

use super::retry::Jitter;
use super::sts_credentials::StsAssumeRoleProvider;
use super::{Client, Inner};
use crate::config::ClientConfig;
use crate::credentials::profile::{profile_name_from_env, ProfileFiles, ProfileSet};
use crate::credentials::{
    CachedCredentialsProvider, CredentialsError, DefaultChain, EnvLookup, ProvideCredentials,
};
use crate::error::Error;
use std::sync::Arc;

impl Client {
    /// A client for the same endpoint, transport, retry settings and learned clock skew that
    /// signs with `provider` instead.
    ///
    /// ```
    /// use sts_client::config::ClientConfig;
    /// use sts_client::Credentials;
    /// let client = sts_client::Client::builder()
    ///     .config(ClientConfig::new().with_region("us-east-1"))
    ///     .build()
    ///     .unwrap();
    /// let signing = client.with_credentials(Credentials::new("AKIDEXAMPLE", "secret"));
    /// assert_eq!(signing.endpoint(), client.endpoint());
    /// ```
    pub fn with_credentials(&self, provider: impl ProvideCredentials + 'static) -> Client {
        self.with_shared_credentials(Arc::new(provider))
    }

    /// Same as [`Client::with_credentials`] for a provider already shared.
    pub fn with_shared_credentials(&self, provider: Arc<dyn ProvideCredentials>) -> Client {
        let inner = &*self.inner;
        Client {
            inner: Arc::new(Inner {
                endpoint: inner.endpoint.clone(),
                credentials: Some(provider),
                transport: inner.transport.clone(),
                signer: inner.signer.clone(),
                retry: inner.retry,
                clock: inner.clock.clone(),
                skew: inner.skew.clone(),
                jitter: Jitter::new(inner.jitter.next().to_bits()),
            }),
        }
    }

    /// Like [`Client::from_env`], with the profile `name` instead of `AWS_PROFILE` /
    /// `default`, for both the client settings and the credentials.
    pub fn from_profile(name: &str) -> Result<Client, Error> {
        Self::from_env_lookup(EnvLookup::process(), Some(name))
    }

    /// [`Client::from_env`] reading the environment through `env` (tests inject a map).
    ///
    /// The profile (`profile`, else `AWS_DEFAULT_PROFILE` / `AWS_PROFILE`, else `default`) of
    /// the shared files gives `region`, `endpoint_url`, the `sts` `endpoint_url` of its
    /// `services` section, `sts_regional_endpoints`, `use_fips_endpoint`,
    /// `use_dualstack_endpoint` and `ignore_configured_endpoint_urls`, each under the
    /// environment variable that overrides it. Credentials come from the complete
    /// [`DefaultChain`] (environment, profile, web identity, container, instance metadata),
    /// whose role assumptions go through this client's endpoint, cached and renewed before
    /// expiry, and looked up at the first signed call.
    ///
    /// ```
    /// use sts_client::credentials::EnvLookup;
    /// let dir = tempfile::tempdir().unwrap();
    /// std::fs::write(dir.path().join("config"),
    ///     "[profile dev]\nregion = eu-west-1\nuse_fips_endpoint = true\n").unwrap();
    /// let env = EnvLookup::from_pairs([
    ///     ("AWS_CONFIG_FILE", dir.path().join("config").to_str().unwrap()),
    ///     ("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("credentials").to_str().unwrap()),
    ///     ("AWS_PROFILE", "dev"),
    ///     ("AWS_USE_FIPS_ENDPOINT", "false"),
    /// ]);
    /// let client = sts_client::Client::from_env_lookup(env, None).unwrap();
    /// assert_eq!(client.endpoint().url, "https://sts.eu-west-1.amazonaws.com");
    /// ```
    pub fn from_env_lookup(env: EnvLookup, profile: Option<&str>) -> Result<Client, Error> {
        let config = config_from(&env, profile)?;
        let base = Client::builder().config(config).build()?;
        let mut chain = DefaultChain::builder(env)
            .assume_role(Arc::new(StsAssumeRoleProvider::new(base.clone())));
        if let Some(name) = profile {
            chain = chain.profile(name);
        }
        Ok(base.with_credentials(CachedCredentialsProvider::new(chain.build())))
    }
}

/// The environment over the profile's client settings.
fn config_from(env: &EnvLookup, profile: Option<&str>) -> Result<ClientConfig, Error> {
    let set = match ProfileFiles::from_env(env) {
        Ok(files) => ProfileSet::load(&files)?,
        // No home directory and no file variables: no profile settings.
        Err(CredentialsError::NotConfigured { .. }) => ProfileSet::default(),
        Err(e) => return Err(e.into()),
    };
    let name = profile
        .map(str::to_owned)
        .or_else(|| profile_name_from_env(env))
        .unwrap_or_else(|| "default".to_owned());
    let section = set.profile(&name);
    let sts_endpoint_url = set.client_settings(&name).sts_endpoint_url;
    Ok(ClientConfig::from_lookups(
        |var| env.get(var),
        |key| match key {
            "services.sts.endpoint_url" => sts_endpoint_url.clone(),
            _ => section.and_then(|p| p.get(key)).map(str::to_owned),
        },
    )?)
}
