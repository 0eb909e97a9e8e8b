//! AssumeRoleWithWebIdentity (unsigned): role credentials for an OIDC or OAuth 2.0 token.

use super::types::PropagationContextParts;
use super::validation::{Checker, ARN_CHARS, NAME_CHARS, POLICY_CHARS};
use super::{
    text, AssumedRoleUser, Auth, CredentialsParts, Form, IdentityParts, MemberOrder, Operation,
    ParseError, TrustedIdentityPropagationContext, ValidationError,
};
use crate::secret::SecretString;
use crate::xml::{parse_i32, walk_response};
use crate::Credentials;

const ACTION: &str = "AssumeRoleWithWebIdentity";
const MEMBERS: &[&str] = &[
    "RoleArn",
    "RoleSessionName",
    "WebIdentityToken",
    "ProviderId",
    "PolicyArns",
    "Policy",
    "DurationSeconds",
    "MinimumSessionTokenSize",
];

/// A validated AssumeRoleWithWebIdentity request. Build it with
/// [`AssumeRoleWithWebIdentity::builder`].
#[derive(Debug, Clone)]
pub struct AssumeRoleWithWebIdentity {
    order: MemberOrder,
    role_arn: String,
    role_session_name: String,
    web_identity_token: SecretString,
    provider_id: Option<String>,
    policy_arns: Option<Vec<String>>,
    policy: Option<String>,
    duration_seconds: Option<i32>,
    minimum_session_token_size: Option<i32>,
}

/// Builds an [`AssumeRoleWithWebIdentity`] request; `S` is the client that will send it.
#[derive(Debug, Clone)]
pub struct AssumeRoleWithWebIdentityBuilder<S = ()> {
    sender: S,
    order: MemberOrder,
    role_arn: Option<String>,
    role_session_name: Option<String>,
    web_identity_token: Option<SecretString>,
    provider_id: Option<String>,
    policy_arns: Option<Vec<String>>,
    policy: Option<String>,
    duration_seconds: Option<i32>,
    minimum_session_token_size: Option<i32>,
}

impl AssumeRoleWithWebIdentity {
    /// A builder with nothing set.
    pub fn builder() -> AssumeRoleWithWebIdentityBuilder<()> {
        AssumeRoleWithWebIdentityBuilder::with_sender(())
    }

    /// The role ARN.
    pub(crate) fn role_arn(&self) -> &str {
        &self.role_arn
    }

    /// The same request with a fresh token (checked like `build` checks it).
    pub(crate) fn with_web_identity_token(
        mut self,
        token: SecretString,
    ) -> Result<Self, ValidationError> {
        check_token(&Checker::new(ACTION), &token)?;
        self.web_identity_token = token;
        Ok(self)
    }
}

fn check_token(check: &Checker, token: &SecretString) -> Result<(), ValidationError> {
    check.length(
        &|| "WebIdentityToken".to_owned(),
        token.expose(),
        4,
        Some(20_000),
    )
}

impl<S> AssumeRoleWithWebIdentityBuilder<S> {
    /// A builder with nothing set that remembers `sender`.
    pub(crate) fn with_sender(sender: S) -> Self {
        Self {
            sender,
            order: MemberOrder::default(),
            role_arn: None,
            role_session_name: None,
            web_identity_token: None,
            provider_id: None,
            policy_arns: None,
            policy: None,
            duration_seconds: None,
            minimum_session_token_size: None,
        }
    }

    /// `RoleArn` (required).
    pub fn role_arn(mut self, v: impl Into<String>) -> Self {
        self.order.touch(0);
        self.role_arn = Some(v.into());
        self
    }

    /// `RoleSessionName` (required): 2..64 of `A-Z a-z 0-9 _+=,.@-`.
    pub fn role_session_name(mut self, v: impl Into<String>) -> Self {
        self.order.touch(1);
        self.role_session_name = Some(v.into());
        self
    }

    /// `WebIdentityToken` (required, secret): the JWT or access token, 4..20000 characters.
    pub fn web_identity_token(mut self, v: impl Into<SecretString>) -> Self {
        self.order.touch(2);
        self.web_identity_token = Some(v.into());
        self
    }

    /// `ProviderId`: only for OAuth 2.0 access tokens (`www.amazon.com`, `graph.facebook.com`).
    pub fn provider_id(mut self, v: impl Into<String>) -> Self {
        self.order.touch(3);
        self.provider_id = Some(v.into());
        self
    }

    /// `PolicyArns`: replaces the managed session policies (at most 10).
    pub fn policy_arns<I: IntoIterator<Item = T>, T: Into<String>>(mut self, v: I) -> Self {
        self.order.touch(4);
        self.policy_arns = Some(v.into_iter().map(Into::into).collect());
        self
    }

    /// Adds one managed session policy ARN.
    pub fn policy_arn(mut self, v: impl Into<String>) -> Self {
        self.order.touch(4);
        self.policy_arns.get_or_insert_with(Vec::new).push(v.into());
        self
    }

    /// `Policy`: an inline session policy, 1..2048 characters.
    pub fn policy(mut self, v: impl Into<String>) -> Self {
        self.order.touch(5);
        self.policy = Some(v.into());
        self
    }

    /// `DurationSeconds`: 900..=43200.
    pub fn duration_seconds(mut self, v: i32) -> Self {
        self.order.touch(6);
        self.duration_seconds = Some(v);
        self
    }

    /// `MinimumSessionTokenSize`: 0..=4096 bytes.
    pub fn minimum_session_token_size(mut self, v: i32) -> Self {
        self.order.touch(7);
        self.minimum_session_token_size = Some(v);
        self
    }

    /// Checks every member against the model and returns the request.
    pub fn build(self) -> Result<AssumeRoleWithWebIdentity, ValidationError> {
        self.into_parts().1
    }

    /// The sender and the checked request.
    pub(crate) fn into_parts(self) -> (S, Result<AssumeRoleWithWebIdentity, ValidationError>) {
        let sender = self.sender;
        let check = Checker::new(ACTION);
        let result = (|| {
            let role_arn = check.required("RoleArn", self.role_arn)?;
            check.string("RoleArn", &role_arn, 20, Some(2048), Some(ARN_CHARS))?;
            let role_session_name = check.required("RoleSessionName", self.role_session_name)?;
            check.string(
                "RoleSessionName",
                &role_session_name,
                2,
                Some(64),
                Some(NAME_CHARS),
            )?;
            let web_identity_token = check.required("WebIdentityToken", self.web_identity_token)?;
            check_token(&check, &web_identity_token)?;
            check.opt_string(
                "ProviderId",
                self.provider_id.as_deref(),
                4,
                Some(2048),
                None,
            )?;
            check.policy_arns("PolicyArns", self.policy_arns.as_deref())?;
            check.opt_string(
                "Policy",
                self.policy.as_deref(),
                1,
                Some(2048),
                Some(POLICY_CHARS),
            )?;
            check.range("DurationSeconds", self.duration_seconds, 900, 43200)?;
            check.range(
                "MinimumSessionTokenSize",
                self.minimum_session_token_size,
                0,
                4096,
            )?;
            Ok(AssumeRoleWithWebIdentity {
                order: self.order,
                role_arn,
                role_session_name,
                web_identity_token,
                provider_id: self.provider_id,
                policy_arns: self.policy_arns,
                policy: self.policy,
                duration_seconds: self.duration_seconds,
                minimum_session_token_size: self.minimum_session_token_size,
            })
        })();
        (sender, result)
    }
}

/// The result of AssumeRoleWithWebIdentity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumeRoleWithWebIdentityOutput {
    /// The temporary credentials, with expiration and the account id from the role's ARN.
    pub credentials: Credentials,
    /// The token's `sub` claim.
    pub subject_from_web_identity_token: Option<String>,
    /// The role session.
    pub assumed_role_user: AssumedRoleUser,
    /// Deprecated: percentage of the packed policy limit used.
    pub packed_policy_size: Option<i32>,
    /// The token's issuer, or the `ProviderId` that was sent.
    pub provider: Option<String>,
    /// The token's audience (client id).
    pub audience: Option<String>,
    /// The source identity set on the session.
    pub source_identity: Option<String>,
    /// Percentage (0..100) of the maximum session token size the token uses.
    pub session_token_utilization: Option<i32>,
    /// The session token's size in bytes.
    pub session_token_size: Option<i32>,
    /// Identity propagation context (sensitive; its `Debug` is redacted).
    pub trusted_identity_propagation_context: Option<TrustedIdentityPropagationContext>,
    /// `ResponseMetadata/RequestId`.
    pub request_id: Option<String>,
}

impl Operation for AssumeRoleWithWebIdentity {
    type Output = AssumeRoleWithWebIdentityOutput;
    const ACTION: &'static str = ACTION;
    const AUTH: Auth = Auth::None;
    const INPUT_MEMBERS: &'static [&'static str] = MEMBERS;
    const OUTPUT_MEMBERS: &'static [&'static str] = &[
        "Credentials",
        "SubjectFromWebIdentityToken",
        "AssumedRoleUser",
        "PackedPolicySize",
        "Provider",
        "Audience",
        "SourceIdentity",
        "SessionTokenUtilization",
        "SessionTokenSize",
        "TrustedIdentityPropagationContext",
    ];

    fn write_form_body(&self, out: &mut String) {
        let mut form = Form::start(out, ACTION);
        for member in self.order.iter() {
            let name = MEMBERS[usize::from(member)];
            match member {
                0 => form.string(name, Some(&self.role_arn)),
                1 => form.string(name, Some(&self.role_session_name)),
                2 => form.secret(name, Some(&self.web_identity_token)),
                3 => form.string(name, self.provider_id.as_deref()),
                4 => form.policy_arns(name, self.policy_arns.as_deref()),
                5 => form.string(name, self.policy.as_deref()),
                6 => form.int(name, self.duration_seconds),
                _ => form.int(name, self.minimum_session_token_size),
            }
        }
    }

    fn parse_output(body: &[u8]) -> Result<AssumeRoleWithWebIdentityOutput, ParseError> {
        let mut credentials = CredentialsParts::default();
        let mut user = IdentityParts::new(
            "AssumedRoleUser",
            "AssumedRoleUser/AssumedRoleId",
            "AssumedRoleUser/Arn",
        );
        let mut context = PropagationContextParts::default();
        let (mut packed_policy_size, mut session_token_utilization, mut session_token_size) =
            (None, None, None);
        let (mut subject, mut provider, mut audience, mut source_identity) =
            (None, None, None, None);
        let request_id = walk_response(
            body,
            "AssumeRoleWithWebIdentityResponse",
            "AssumeRoleWithWebIdentityResult",
            |path, t| {
                if credentials.visit(path, t)?
                    || user.visit(path, t)
                    || context.visit_member(path, t)
                {
                    return Ok(());
                }
                match path {
                    "PackedPolicySize" => {
                        packed_policy_size = Some(parse_i32("PackedPolicySize", t)?)
                    }
                    "SubjectFromWebIdentityToken" => subject = text(t),
                    "Provider" => provider = text(t),
                    "Audience" => audience = text(t),
                    "SourceIdentity" => source_identity = text(t),
                    "SessionTokenUtilization" => {
                        session_token_utilization = Some(parse_i32("SessionTokenUtilization", t)?)
                    }
                    "SessionTokenSize" => {
                        session_token_size = Some(parse_i32("SessionTokenSize", t)?)
                    }
                    _ => {}
                }
                Ok(())
            },
        )?;
        let credentials = credentials.finish(user.arn())?;
        let (assumed_role_id, arn) = user.finish()?;
        Ok(AssumeRoleWithWebIdentityOutput {
            credentials,
            subject_from_web_identity_token: subject,
            assumed_role_user: AssumedRoleUser {
                assumed_role_id,
                arn,
            },
            packed_policy_size,
            provider,
            audience,
            source_identity,
            session_token_utilization,
            session_token_size,
            trusted_identity_propagation_context: context.finish(),
            request_id,
        })
    }
}
