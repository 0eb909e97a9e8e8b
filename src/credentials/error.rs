//! The error every credential source returns.

use std::error::Error as StdError;
use std::fmt;
use std::path::PathBuf;
use std::sync::Arc;
use time::OffsetDateTime;

/// Why a credential source gave no credentials.
///
/// No variant ever holds secret text (secret keys, tokens, MFA codes, file contents): only
/// names, paths, line numbers and descriptions of the problem. The error is `Clone` so that one
/// failed renewal can be handed to every caller waiting on it.
#[derive(Debug, Clone, thiserror::Error)]
#[non_exhaustive]
pub enum CredentialsError {
    /// This source is not configured here (no variables set, no such profile by default...).
    /// A chain moves on to its next source; every other variant stops the chain.
    #[error("not configured: {reason}")]
    NotConfigured {
        /// What was looked for and not found.
        reason: String,
    },

    /// No source in a chain gave credentials.
    #[error("no credentials found; tried: {}", format_attempts(.tried))]
    NoneFound {
        /// Each source tried, in order, with why it gave nothing.
        tried: Vec<SourceAttempt>,
    },

    /// A file could not be parsed.
    #[error("{}:{line}: {problem}", .path.display())]
    MalformedFile {
        /// The file.
        path: PathBuf,
        /// The 1-based line number.
        line: usize,
        /// What is wrong on that line.
        problem: String,
    },

    /// A file could not be read.
    #[error("cannot read {}: {source}", .path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The underlying error.
        #[source]
        source: Arc<std::io::Error>,
    },

    /// The profile asked for does not exist in the config or credentials file.
    #[error("profile `{profile}` not found in the config or credentials file")]
    ProfileNotFound {
        /// The profile name.
        profile: String,
    },

    /// A chain of `source_profile` references loops.
    #[error("source_profile cycle: {}", .chain.join(" -> "))]
    SourceProfileCycle {
        /// The profiles visited, ending with the one seen twice (`a -> b -> a`).
        chain: Vec<String>,
    },

    /// A profile's settings are incomplete or contradict each other.
    #[error("profile `{profile}`: {problem}")]
    InvalidProfile {
        /// The profile name.
        profile: String,
        /// What is wrong (missing `source_profile`, both `source_profile` and
        /// `credential_source`, an unknown `credential_source`, a bad `duration_seconds`...).
        problem: String,
    },

    /// A `credential_process` command failed or printed something unusable.
    #[error("credential_process of profile `{profile}`: {problem}")]
    Process {
        /// The profile whose `credential_process` ran.
        profile: String,
        /// What went wrong (exit status with truncated stderr, bad JSON, wrong `Version`...).
        problem: String,
    },

    /// The credentials expired and could not be renewed.
    #[error("credentials expired at {expiration}")]
    Expired {
        /// When they expired.
        expiration: OffsetDateTime,
    },

    /// A value from the environment is malformed.
    #[error("environment variable {name}: {problem}")]
    InvalidEnvironment {
        /// The variable's name.
        name: String,
        /// What is wrong with its value (never the value itself).
        problem: String,
    },

    /// The MFA token callback failed.
    #[error("MFA token for `{serial}`: {problem}")]
    Mfa {
        /// The MFA device serial number or ARN (not a secret).
        serial: String,
        /// What went wrong.
        problem: String,
    },

    /// A source that needs a collaborator (STS client, container or instance metadata client)
    /// was not given one.
    #[error("{what} is configured but no provider for it was supplied")]
    MissingProvider {
        /// What is missing (`AssumeRole`, `Ec2InstanceMetadata`...).
        what: String,
    },

    /// Another provider's error (an STS call, an HTTP source).
    #[error("{provider}: {source}")]
    Provider {
        /// Which provider failed.
        provider: String,
        /// Its error.
        #[source]
        source: Arc<dyn StdError + Send + Sync>,
    },
}

impl CredentialsError {
    /// A [`CredentialsError::NotConfigured`] with this reason.
    pub fn not_configured(reason: impl Into<String>) -> Self {
        Self::NotConfigured {
            reason: reason.into(),
        }
    }

    /// A [`CredentialsError::Provider`] wrapping `source`.
    pub fn provider(
        provider: impl Into<String>,
        source: impl Into<Box<dyn StdError + Send + Sync>>,
    ) -> Self {
        Self::Provider {
            provider: provider.into(),
            source: Arc::from(source.into()),
        }
    }

    /// Whether a chain should move on to its next source (the source is not configured).
    pub fn is_not_configured(&self) -> bool {
        matches!(self, Self::NotConfigured { .. })
    }

    pub(crate) fn io(path: impl Into<PathBuf>, source: std::io::Error) -> Self {
        Self::Io {
            path: path.into(),
            source: Arc::new(source),
        }
    }
}

/// One source tried by a chain and why it gave nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SourceAttempt {
    /// The source's name (`environment`, `profile`...).
    pub source: String,
    /// Why it gave nothing.
    pub reason: String,
}

impl fmt::Display for SourceAttempt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} ({})", self.source, self.reason)
    }
}

fn format_attempts(tried: &[SourceAttempt]) -> String {
    if tried.is_empty() {
        return "no sources".to_owned();
    }
    tried
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("; ")
}
