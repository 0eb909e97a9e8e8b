//! Carrying out a [`ProfileCredentialsPlan`].

use super::plan::{BaseCredentials, CredentialSource, ProfileCredentialsPlan};
use super::{profile_name_from_env, ProfileFiles, ProfileSet};
use crate::credentials::assume::default_session_name;
use crate::credentials::{
    AssumeRoleProvider, AssumeRoleRequest, Clock, Credentials, CredentialsError, EnvLookup,
    EnvironmentCredentials, MfaTokenProvider, ProcessCredentials, ProvideCredentials,
    ProvideFuture, SystemClock,
};
use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

/// Credentials of a profile of the shared files.
///
/// The files are read at every call (wrap it in a
/// [`CachedCredentialsProvider`](crate::credentials::CachedCredentialsProvider)). Role
/// assumption goes through the [`AssumeRoleProvider`] given with
/// [`with_assume_role`](Self::with_assume_role); MFA codes come from
/// [`with_mfa`](Self::with_mfa); `credential_source = Ec2InstanceMetadata` / `EcsContainer`
/// from [`with_credential_source`](Self::with_credential_source) (`Environment` is built in).
///
/// ```
/// use sts_client::credentials::{EnvLookup, ProfileCredentials, ProvideCredentials};
/// let dir = tempfile::tempdir().unwrap();
/// std::fs::write(dir.path().join("credentials"),
///     "[dev]\naws_access_key_id = AKIDDEV\naws_secret_access_key = s\n").unwrap();
/// let env = EnvLookup::from_pairs([
///     ("AWS_SHARED_CREDENTIALS_FILE", dir.path().join("credentials").to_str().unwrap()),
///     ("AWS_CONFIG_FILE", dir.path().join("config").to_str().unwrap()),
///     ("AWS_PROFILE", "dev"),
/// ]);
/// let source = ProfileCredentials::new(env);
/// # tokio::runtime::Builder::new_current_thread().build().unwrap().block_on(async {
/// assert_eq!(source.provide_credentials().await.unwrap().access_key_id(), "AKIDDEV");
/// # });
/// ```
#[derive(Clone)]
pub struct ProfileCredentials {
    env: EnvLookup,
    profile: Option<String>,
    sts: Option<Arc<dyn AssumeRoleProvider>>,
    mfa: Option<Arc<dyn MfaTokenProvider>>,
    sources: HashMap<CredentialSource, Arc<dyn ProvideCredentials>>,
    clock: Arc<dyn Clock>,
}

impl ProfileCredentials {
    /// Reads file locations and the profile name (`AWS_PROFILE`) from `env`.
    pub fn new(env: EnvLookup) -> Self {
        Self {
            env,
            profile: None,
            sts: None,
            mfa: None,
            sources: HashMap::new(),
            clock: Arc::new(SystemClock),
        }
    }

    /// Uses this profile instead of `AWS_PROFILE` / `default`.
    pub fn with_profile(mut self, profile: impl Into<String>) -> Self {
        self.profile = Some(profile.into());
        self
    }

    /// Performs `role_arn` and `web_identity_token_file` through `sts`.
    pub fn with_assume_role(mut self, sts: Arc<dyn AssumeRoleProvider>) -> Self {
        self.sts = Some(sts);
        self
    }

    /// Asks `mfa` for the code of `mfa_serial` at each role assumption that needs one.
    pub fn with_mfa(mut self, mfa: Arc<dyn MfaTokenProvider>) -> Self {
        self.mfa = Some(mfa);
        self
    }

    /// Supplies the source behind `credential_source = <source>`.
    pub fn with_credential_source(
        mut self,
        source: CredentialSource,
        provider: Arc<dyn ProvideCredentials>,
    ) -> Self {
        self.sources.insert(source, provider);
        self
    }

    /// Uses `clock` to name sessions that have no `role_session_name`.
    pub fn with_clock(mut self, clock: Arc<dyn Clock>) -> Self {
        self.clock = clock;
        self
    }

    /// The profile name in use and whether it was chosen explicitly.
    fn profile_name(&self) -> (String, bool) {
        match self
            .profile
            .clone()
            .or_else(|| profile_name_from_env(&self.env))
        {
            Some(name) => (name, true),
            None => ("default".to_owned(), false),
        }
    }

    /// Reads the files and resolves the profile into a plan.
    pub fn plan(&self) -> Result<ProfileCredentialsPlan, CredentialsError> {
        let files = ProfileFiles::from_env(&self.env)?;
        let set = ProfileSet::load(&files)?;
        let (name, explicit) = self.profile_name();
        match ProfileCredentialsPlan::resolve(&set, &name) {
            Err(CredentialsError::ProfileNotFound { .. }) if !explicit => {
                Err(CredentialsError::not_configured(format!(
                    "no [default] profile in {} or {}",
                    files.config.display(),
                    files.credentials.display()
                )))
            }
            other => other,
        }
    }

    fn sts(&self, what: &str) -> Result<&Arc<dyn AssumeRoleProvider>, CredentialsError> {
        self.sts
            .as_ref()
            .ok_or_else(|| CredentialsError::MissingProvider { what: what.into() })
    }

    async fn base(&self, base: BaseCredentials) -> Result<Credentials, CredentialsError> {
        match base {
            BaseCredentials::Static { credentials, .. } => Ok(credentials),
            BaseCredentials::Process { profile, command } => {
                ProcessCredentials::new(profile, command)
                    .provide_credentials()
                    .await
            }
            BaseCredentials::WebIdentity { source, .. } => {
                let request = source.request(self.clock.now())?;
                self.sts("AssumeRoleWithWebIdentity")?
                    .assume_role_with_web_identity(request)
                    .await
            }
            BaseCredentials::CredentialSource { profile, source } => {
                let result = match source {
                    CredentialSource::Environment => {
                        EnvironmentCredentials::new(self.env.clone()).load()
                    }
                    other => match self.sources.get(&other) {
                        Some(provider) => provider.provide_credentials().await,
                        None => {
                            return Err(CredentialsError::MissingProvider {
                                what: format!("credential_source {}", other.as_str()),
                            })
                        }
                    },
                };
                // The profile asked for this source: finding nothing there is a failure.
                result.map_err(|e| match e {
                    CredentialsError::NotConfigured { reason } => {
                        CredentialsError::InvalidProfile {
                            profile,
                            problem: format!(
                                "credential_source {} gave no credentials: {reason}",
                                source.as_str()
                            ),
                        }
                    }
                    other => other,
                })
            }
        }
    }

    async fn run(&self) -> Result<Credentials, CredentialsError> {
        let plan = self.plan()?;
        let mut credentials = self.base(plan.base).await?;
        for step in plan.steps {
            let mfa_code = match &step.mfa_serial {
                None => None,
                Some(serial) => {
                    let mfa =
                        self.mfa
                            .as_ref()
                            .ok_or_else(|| CredentialsError::MissingProvider {
                                what: format!(
                                    "an MFA token provider (mfa_serial of `{}`)",
                                    step.profile
                                ),
                            })?;
                    Some(mfa.mfa_token(serial)?)
                }
            };
            let request = AssumeRoleRequest {
                source_credentials: credentials,
                role_session_name: step
                    .role_session_name
                    .unwrap_or_else(|| default_session_name(self.clock.now())),
                role_arn: step.role_arn,
                external_id: step.external_id,
                duration_seconds: step.duration_seconds,
                mfa_serial: step.mfa_serial,
                mfa_code,
            };
            credentials = self.sts("AssumeRole")?.assume_role(request).await?;
        }
        Ok(credentials)
    }
}

impl fmt::Debug for ProfileCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProfileCredentials")
            .field("profile", &self.profile)
            .field("has_assume_role", &self.sts.is_some())
            .field("has_mfa", &self.mfa.is_some())
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for ProfileCredentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.run())
    }
}
