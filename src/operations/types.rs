//! Structures shared by several operations' inputs and outputs.

use std::collections::BTreeMap;
use std::fmt;

/// A session tag (`Tags.member.N.Key` / `.Value`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Tag {
    /// The key: 1..128 characters of letters, numbers, spaces and `_.:/=+-@`.
    pub key: String,
    /// The value: 0..256 characters of the same set.
    pub value: String,
}

impl Tag {
    /// A tag.
    pub fn new(key: impl Into<String>, value: impl Into<String>) -> Self {
        Self {
            key: key.into(),
            value: value.into(),
        }
    }
}

/// Context from a trusted context provider, passed to AssumeRole (`ProvidedContexts.member.N`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProvidedContext {
    /// The context provider's ARN (20..2048 characters).
    pub provider_arn: String,
    /// The signed context assertion (4..3072 characters).
    pub context_assertion: String,
}

impl ProvidedContext {
    /// A provided context.
    pub fn new(provider_arn: impl Into<String>, context_assertion: impl Into<String>) -> Self {
        Self {
            provider_arn: provider_arn.into(),
            context_assertion: context_assertion.into(),
        }
    }
}

/// Where GetWebIdentityToken takes the JWT's `sub` claim from (`SubjectMode`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SubjectMode {
    /// `AWSIdentity` (the default): the caller's ARN.
    AwsIdentity,
    /// `OriginIdentity`: the session's trusted identity propagation context.
    OriginIdentity,
}

impl SubjectMode {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::AwsIdentity => "AWSIdentity",
            Self::OriginIdentity => "OriginIdentity",
        }
    }
}

/// The role session the credentials belong to (`AssumedRoleUser`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumedRoleUser {
    /// `AROA…:session-name`.
    pub assumed_role_id: String,
    /// `arn:aws:sts::ACCOUNT:assumed-role/ROLE/SESSION`.
    pub arn: String,
}

/// The federated user the credentials belong to (`FederatedUser`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FederatedUser {
    /// `ACCOUNT:name`.
    pub federated_user_id: String,
    /// `arn:aws:sts::ACCOUNT:federated-user/name`.
    pub arn: String,
}

/// The scoped-down session GetScopedCredentials created (`SessionInfo`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScopedSession {
    /// The session's id.
    pub scoped_session_id: String,
    /// The session's ARN.
    pub arn: String,
}

/// Identity-provider context carried by the session (`TrustedIdentityPropagationContext`).
///
/// The model marks the whole structure sensitive: `Debug` prints nothing of its contents.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct TrustedIdentityPropagationContext {
    /// Who the identity originally was.
    pub origin_identity: Option<OriginIdentity>,
    /// Context of the transaction.
    pub transaction_context: Option<TransactionContext>,
}

/// The original identity (`OriginIdentity`); each member is left out when the session lacks it.
#[derive(Clone, PartialEq, Eq, Default)]
pub struct OriginIdentity {
    /// `Subject`.
    pub subject: Option<String>,
    /// `SubjectType` (`user`, `workload`…).
    pub subject_type: Option<String>,
    /// `Issuer`.
    pub issuer: Option<String>,
    /// `FederatedProviderArn`.
    pub federated_provider_arn: Option<String>,
}

/// Transaction context (`TransactionContext`).
#[derive(Clone, PartialEq, Eq, Default)]
pub struct TransactionContext {
    /// `IdentityProvider`: keys after `aws:TransactionContext/IdentityProvider/`, and values.
    pub identity_provider: BTreeMap<String, String>,
}

macro_rules! redacted_debug {
    ($($ty:ident),*) => {$(
        impl fmt::Debug for $ty {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(concat!(stringify!($ty), "(** redacted **)"))
            }
        }
    )*};
}
redacted_debug!(
    TrustedIdentityPropagationContext,
    OriginIdentity,
    TransactionContext
);

/// Collects `TrustedIdentityPropagationContext/…` while a response is walked.
#[derive(Default)]
pub(crate) struct PropagationContextParts {
    context: Option<TrustedIdentityPropagationContext>,
    pending_key: Option<String>,
    pending_value: Option<String>,
}

impl PropagationContextParts {
    /// Takes a path below the result wrapper; returns whether it was part of the context.
    pub(crate) fn visit_member(&mut self, path: &str, text: &str) -> bool {
        let Some(rest) = path.strip_prefix("TrustedIdentityPropagationContext") else {
            return false;
        };
        let rest = match rest.strip_prefix('/') {
            Some(rest) => rest,
            None if rest.is_empty() => rest,
            None => return false,
        };
        self.visit(rest, text);
        true
    }

    fn visit(&mut self, rest: &str, text: &str) {
        let context = self.context.get_or_insert_with(Default::default);
        let origin = || OriginIdentity::default();
        match rest {
            "OriginIdentity/Subject" => {
                context.origin_identity.get_or_insert_with(origin).subject =
                    Some(text.trim().to_owned())
            }
            "OriginIdentity/SubjectType" => {
                context
                    .origin_identity
                    .get_or_insert_with(origin)
                    .subject_type = Some(text.trim().to_owned())
            }
            "OriginIdentity/Issuer" => {
                context.origin_identity.get_or_insert_with(origin).issuer =
                    Some(text.trim().to_owned())
            }
            "OriginIdentity/FederatedProviderArn" => {
                context
                    .origin_identity
                    .get_or_insert_with(origin)
                    .federated_provider_arn = Some(text.trim().to_owned())
            }
            "OriginIdentity" => {
                context.origin_identity.get_or_insert_with(origin);
            }
            "TransactionContext/IdentityProvider/entry/key" => {
                self.pending_key = Some(text.trim().to_owned())
            }
            "TransactionContext/IdentityProvider/entry/value" => {
                self.pending_value = Some(text.trim().to_owned())
            }
            "TransactionContext/IdentityProvider/entry" => {
                let transaction = context
                    .transaction_context
                    .get_or_insert_with(Default::default);
                if let Some(key) = self.pending_key.take() {
                    let value = self.pending_value.take().unwrap_or_default();
                    transaction.identity_provider.insert(key, value);
                }
                self.pending_value = None;
            }
            "TransactionContext" | "TransactionContext/IdentityProvider" => {
                context
                    .transaction_context
                    .get_or_insert_with(Default::default);
            }
            _ => {}
        }
    }

    pub(crate) fn finish(self) -> Option<TrustedIdentityPropagationContext> {
        self.context
    }
}
