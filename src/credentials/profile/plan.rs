//! A profile resolved into steps, as botocore's `AssumeRoleProvider` walks `source_profile`.

use super::{Profile, ProfileSet};
use crate::credentials::{Credentials, CredentialsError, WebIdentityTokenSource};
use std::fmt;

/// Where the first credentials of a plan come from.
#[derive(Clone, PartialEq, Eq)]
#[non_exhaustive]
pub enum BaseCredentials {
    /// `aws_access_key_id`, `aws_secret_access_key`, `aws_session_token` of a profile.
    Static {
        /// The profile holding them.
        profile: String,
        /// The credentials.
        credentials: Credentials,
    },
    /// `credential_process` of a profile.
    Process {
        /// The profile.
        profile: String,
        /// The command line (not shown by `Debug`: it may carry arguments that matter).
        command: String,
    },
    /// `web_identity_token_file` + `role_arn` of a profile.
    WebIdentity {
        /// The profile.
        profile: String,
        /// The token file and role.
        source: WebIdentityTokenSource,
    },
    /// `credential_source` of the profile that assumes the first role.
    CredentialSource {
        /// The profile.
        profile: String,
        /// Which source.
        source: CredentialSource,
    },
}

impl fmt::Debug for BaseCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Static {
                profile,
                credentials,
            } => f
                .debug_struct("Static")
                .field("profile", profile)
                .field("credentials", credentials)
                .finish(),
            Self::Process { profile, .. } => f
                .debug_struct("Process")
                .field("profile", profile)
                .finish_non_exhaustive(),
            Self::WebIdentity { profile, source } => f
                .debug_struct("WebIdentity")
                .field("profile", profile)
                .field("source", source)
                .finish(),
            Self::CredentialSource { profile, source } => f
                .debug_struct("CredentialSource")
                .field("profile", profile)
                .field("source", source)
                .finish(),
        }
    }
}

/// The `credential_source` values the AWS CLI accepts (case-sensitive).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum CredentialSource {
    /// `Environment`: the environment variables.
    Environment,
    /// `Ec2InstanceMetadata`: the instance metadata service.
    Ec2InstanceMetadata,
    /// `EcsContainer`: the container credentials endpoint.
    EcsContainer,
}

impl CredentialSource {
    /// The value as written in the config file.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Environment => "Environment",
            Self::Ec2InstanceMetadata => "Ec2InstanceMetadata",
            Self::EcsContainer => "EcsContainer",
        }
    }

    fn parse(value: &str) -> Option<Self> {
        [
            Self::Environment,
            Self::Ec2InstanceMetadata,
            Self::EcsContainer,
        ]
        .into_iter()
        .find(|s| s.as_str() == value)
    }
}

/// One role to assume, with the settings of the profile that names it.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProfileStep {
    /// The profile with the `role_arn`.
    pub profile: String,
    /// `role_arn`.
    pub role_arn: String,
    /// `external_id`.
    pub external_id: Option<String>,
    /// `role_session_name`.
    pub role_session_name: Option<String>,
    /// `duration_seconds`.
    pub duration_seconds: Option<u32>,
    /// `mfa_serial`.
    pub mfa_serial: Option<String>,
}

/// How to get a profile's credentials: a base, then roles to assume, innermost first.
///
/// ```
/// use sts_client::credentials::profile::{BaseCredentials, ProfileSet};
/// use sts_client::credentials::ProfileCredentialsPlan;
/// use std::path::Path;
/// let config = "[profile admin]\nrole_arn = arn:aws:iam::123456789012:role/admin\n\
///               source_profile = dev\n[profile dev]\naws_access_key_id = AKID\n\
///               aws_secret_access_key = s\n";
/// let set = ProfileSet::parse(Some((Path::new("config"), config)), None).unwrap();
/// let plan = ProfileCredentialsPlan::resolve(&set, "admin").unwrap();
/// assert!(matches!(&plan.base, BaseCredentials::Static { profile, .. } if profile == "dev"));
/// assert_eq!(plan.steps[0].role_arn, "arn:aws:iam::123456789012:role/admin");
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ProfileCredentialsPlan {
    /// Where the first credentials come from.
    pub base: BaseCredentials,
    /// The roles to assume in order, each with the previous credentials; the last one is the
    /// requested profile's role.
    pub steps: Vec<ProfileStep>,
}

impl ProfileCredentialsPlan {
    /// Resolves `profile`. A missing profile is [`CredentialsError::ProfileNotFound`]; a
    /// profile with no credential settings is [`CredentialsError::NotConfigured`].
    ///
    /// In the requested profile, `role_arn` (without `web_identity_token_file`) comes first,
    /// then web identity, static keys, `credential_process`. In a source profile, static keys
    /// end the chain even next to a `role_arn`; a profile may name itself as its
    /// `source_profile` only if it has static keys; any other loop is
    /// [`CredentialsError::SourceProfileCycle`].
    pub fn resolve(set: &ProfileSet, profile: &str) -> Result<Self, CredentialsError> {
        let top = set
            .profile(profile)
            .ok_or_else(|| CredentialsError::ProfileNotFound {
                profile: profile.to_owned(),
            })?;
        if has_assume_role(top) {
            return resolve_role_chain(set, top);
        }
        match leaf(top)? {
            Some(base) => Ok(Self {
                base,
                steps: Vec::new(),
            }),
            None => Err(CredentialsError::not_configured(format!(
                "profile `{profile}` has no credentials"
            ))),
        }
    }
}

fn has_assume_role(profile: &Profile) -> bool {
    profile.contains("role_arn") && !profile.contains("web_identity_token_file")
}

fn invalid(profile: &Profile, problem: impl Into<String>) -> CredentialsError {
    CredentialsError::InvalidProfile {
        profile: profile.name.clone(),
        problem: problem.into(),
    }
}

/// Credentials a profile holds itself: web identity, static keys, `credential_process`.
fn leaf(profile: &Profile) -> Result<Option<BaseCredentials>, CredentialsError> {
    let name = profile.name.clone();
    if let Some(token_file) = profile.get("web_identity_token_file") {
        let role_arn = profile.get("role_arn").ok_or_else(|| {
            invalid(
                profile,
                "web_identity_token_file is set but role_arn is not",
            )
        })?;
        return Ok(Some(BaseCredentials::WebIdentity {
            profile: name,
            source: WebIdentityTokenSource::new(
                token_file,
                role_arn,
                profile.get("role_session_name").map(str::to_owned),
            ),
        }));
    }
    if profile.has_static_credentials() {
        let id = profile.get("aws_access_key_id").filter(|v| !v.is_empty());
        let secret = profile
            .get("aws_secret_access_key")
            .filter(|v| !v.is_empty());
        let (Some(id), Some(secret)) = (id, secret) else {
            return Err(invalid(
                profile,
                "needs both aws_access_key_id and aws_secret_access_key",
            ));
        };
        let mut credentials = Credentials::new(id, secret);
        if let Some(token) = profile.get("aws_session_token").filter(|v| !v.is_empty()) {
            credentials = credentials.with_session_token(token);
        }
        if let Some(account) = profile.get("aws_account_id").filter(|v| !v.is_empty()) {
            credentials = credentials.with_account_id(account);
        }
        return Ok(Some(BaseCredentials::Static {
            profile: name,
            credentials,
        }));
    }
    if let Some(command) = profile.get("credential_process") {
        return Ok(Some(BaseCredentials::Process {
            profile: name,
            command: command.to_owned(),
        }));
    }
    Ok(None)
}

fn step(profile: &Profile) -> Result<ProfileStep, CredentialsError> {
    let duration_seconds = match profile.get("duration_seconds") {
        None => None,
        Some(text) => Some(text.trim().parse::<u32>().map_err(|_| {
            invalid(
                profile,
                format!(
                    "duration_seconds must be a whole number of seconds ({} characters given)",
                    text.len()
                ),
            )
        })?),
    };
    Ok(ProfileStep {
        profile: profile.name.clone(),
        role_arn: profile.get("role_arn").unwrap_or_default().to_owned(),
        external_id: profile.get("external_id").map(str::to_owned),
        role_session_name: profile.get("role_session_name").map(str::to_owned),
        duration_seconds,
        mfa_serial: profile.get("mfa_serial").map(str::to_owned),
    })
}

fn resolve_role_chain(
    set: &ProfileSet,
    top: &Profile,
) -> Result<ProfileCredentialsPlan, CredentialsError> {
    let mut visited = vec![top.name.clone()];
    let mut steps = Vec::new();
    let mut current = top;
    let base = loop {
        let source_profile = current.get("source_profile");
        let credential_source = current.get("credential_source");
        steps.push(step(current)?);
        match (source_profile, credential_source) {
            (Some(_), Some(_)) => {
                return Err(invalid(
                    current,
                    "has both source_profile and credential_source",
                ))
            }
            (None, None) => {
                return Err(invalid(
                    current,
                    "role_arn needs source_profile or credential_source",
                ))
            }
            (None, Some(source)) => {
                let source = CredentialSource::parse(source).ok_or_else(|| {
                    invalid(
                        current,
                        format!(
                            "credential_source `{source}` is not one of Environment, \
                             Ec2InstanceMetadata, EcsContainer"
                        ),
                    )
                })?;
                break BaseCredentials::CredentialSource {
                    profile: current.name.clone(),
                    source,
                };
            }
            (Some(source_name), None) => {
                let source = set.profile(source_name).ok_or_else(|| {
                    invalid(
                        current,
                        format!("source_profile `{source_name}` does not exist"),
                    )
                })?;
                if visited.iter().any(|v| v == source_name)
                    && (source_name != current.name || !source.has_static_credentials())
                {
                    visited.push(source_name.to_owned());
                    return Err(CredentialsError::SourceProfileCycle { chain: visited });
                }
                visited.push(source_name.to_owned());
                if source.has_static_credentials() || !has_assume_role(source) {
                    break leaf(source)?.ok_or_else(|| {
                        invalid(source, "is used as a source_profile but has no credentials")
                    })?;
                }
                current = source;
            }
        }
    };
    steps.reverse();
    Ok(ProfileCredentialsPlan { base, steps })
}
