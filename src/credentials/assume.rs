//! The hook through which profile and web-identity sources assume roles.
//!
//! The credential sources know *what* to assume (role, session name, external id, MFA, the
//! source credentials); the client layer, which owns the STS transport, knows *how*. It
//! supplies an [`AssumeRoleProvider`], and the sources call it.

use super::{Credentials, ProvideFuture};
use crate::secret::SecretString;
use std::path::PathBuf;
use time::OffsetDateTime;

/// What an `AssumeRole` call needs, as resolved from a profile.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct AssumeRoleRequest {
    /// The credentials that sign the call (from the source profile or credential source).
    pub source_credentials: Credentials,
    /// `role_arn`.
    pub role_arn: String,
    /// `role_session_name`, or a generated one.
    pub role_session_name: String,
    /// `external_id`.
    pub external_id: Option<String>,
    /// `duration_seconds`.
    pub duration_seconds: Option<u32>,
    /// `mfa_serial`.
    pub mfa_serial: Option<String>,
    /// The MFA code the caller's [`MfaTokenProvider`](super::MfaTokenProvider) gave for
    /// `mfa_serial`.
    pub mfa_code: Option<SecretString>,
}

/// What an `AssumeRoleWithWebIdentity` call needs.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct WebIdentityRequest {
    /// The role to assume.
    pub role_arn: String,
    /// The session name, given or generated.
    pub role_session_name: String,
    /// The token, freshly read from `token_file`.
    pub token: SecretString,
    /// Where the token was read from (for error messages).
    pub token_file: PathBuf,
}

/// Performs role assumption for the credential sources (implemented by the client layer).
pub trait AssumeRoleProvider: Send + Sync {
    /// Calls `AssumeRole`.
    fn assume_role(&self, request: AssumeRoleRequest) -> ProvideFuture<'_>;

    /// Calls `AssumeRoleWithWebIdentity`.
    fn assume_role_with_web_identity(&self, request: WebIdentityRequest) -> ProvideFuture<'_>;
}

/// The session name botocore would generate when none is configured, with our prefix.
pub(crate) fn default_session_name(now: OffsetDateTime) -> String {
    format!("sts-client-session-{}", now.unix_timestamp())
}
