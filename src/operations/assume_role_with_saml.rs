//! AssumeRoleWithSAML (unsigned): role credentials for a SAML 2.0 assertion.

use super::types::PropagationContextParts;
use super::validation::{Checker, ARN_CHARS, POLICY_CHARS};
use super::{
    text, AssumedRoleUser, Auth, CredentialsParts, Form, IdentityParts, MemberOrder, Operation,
    ParseError, TrustedIdentityPropagationContext, ValidationError,
};
use crate::secret::SecretString;
use crate::xml::{parse_i32, walk_response};
use crate::Credentials;

const ACTION: &str = "AssumeRoleWithSAML";
const MEMBERS: &[&str] = &[
    "RoleArn",
    "PrincipalArn",
    "SAMLAssertion",
    "PolicyArns",
    "Policy",
    "DurationSeconds",
    "MinimumSessionTokenSize",
];

/// A validated AssumeRoleWithSAML request. Build it with [`AssumeRoleWithSaml::builder`].
#[derive(Debug, Clone)]
pub struct AssumeRoleWithSaml {
    order: MemberOrder,
    role_arn: String,
    principal_arn: String,
    saml_assertion: SecretString,
    policy_arns: Option<Vec<String>>,
    policy: Option<String>,
    duration_seconds: Option<i32>,
    minimum_session_token_size: Option<i32>,
}

/// Builds an [`AssumeRoleWithSaml`] request; `S` is the client that will send it.
#[derive(Debug, Clone)]
pub struct AssumeRoleWithSamlBuilder<S = ()> {
    sender: S,
    order: MemberOrder,
    role_arn: Option<String>,
    principal_arn: Option<String>,
    saml_assertion: Option<SecretString>,
    policy_arns: Option<Vec<String>>,
    policy: Option<String>,
    duration_seconds: Option<i32>,
    minimum_session_token_size: Option<i32>,
}

impl AssumeRoleWithSaml {
    /// A builder with nothing set.
    pub fn builder() -> AssumeRoleWithSamlBuilder<()> {
        AssumeRoleWithSamlBuilder::with_sender(())
    }
}

impl<S> AssumeRoleWithSamlBuilder<S> {
    /// A builder with nothing set that remembers `sender`.
    pub(crate) fn with_sender(sender: S) -> Self {
        Self {
            sender,
            order: MemberOrder::default(),
            role_arn: None,
            principal_arn: None,
            saml_assertion: None,
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

    /// `PrincipalArn` (required): the SAML provider's ARN in IAM.
    pub fn principal_arn(mut self, v: impl Into<String>) -> Self {
        self.order.touch(1);
        self.principal_arn = Some(v.into());
        self
    }

    /// `SAMLAssertion` (required, secret): the base64 SAML response, 4..100000 characters.
    pub fn saml_assertion(mut self, v: impl Into<SecretString>) -> Self {
        self.order.touch(2);
        self.saml_assertion = Some(v.into());
        self
    }

    /// `PolicyArns`: replaces the managed session policies (at most 10).
    pub fn policy_arns<I: IntoIterator<Item = T>, T: Into<String>>(mut self, v: I) -> Self {
        self.order.touch(3);
        self.policy_arns = Some(v.into_iter().map(Into::into).collect());
        self
    }

    /// Adds one managed session policy ARN.
    pub fn policy_arn(mut self, v: impl Into<String>) -> Self {
        self.order.touch(3);
        self.policy_arns.get_or_insert_with(Vec::new).push(v.into());
        self
    }

    /// `Policy`: an inline session policy, 1..2048 characters.
    pub fn policy(mut self, v: impl Into<String>) -> Self {
        self.order.touch(4);
        self.policy = Some(v.into());
        self
    }

    /// `DurationSeconds`: 900..=43200.
    pub fn duration_seconds(mut self, v: i32) -> Self {
        self.order.touch(5);
        self.duration_seconds = Some(v);
        self
    }

    /// `MinimumSessionTokenSize`: 0..=4096 bytes.
    pub fn minimum_session_token_size(mut self, v: i32) -> Self {
        self.order.touch(6);
        self.minimum_session_token_size = Some(v);
        self
    }

    /// Checks every member against the model and returns the request.
    pub fn build(self) -> Result<AssumeRoleWithSaml, ValidationError> {
        self.into_parts().1
    }

    /// The sender and the checked request.
    pub(crate) fn into_parts(self) -> (S, Result<AssumeRoleWithSaml, ValidationError>) {
        let sender = self.sender;
        let check = Checker::new(ACTION);
        let result = (|| {
            let role_arn = check.required("RoleArn", self.role_arn)?;
            check.string("RoleArn", &role_arn, 20, Some(2048), Some(ARN_CHARS))?;
            let principal_arn = check.required("PrincipalArn", self.principal_arn)?;
            check.string(
                "PrincipalArn",
                &principal_arn,
                20,
                Some(2048),
                Some(ARN_CHARS),
            )?;
            let saml_assertion = check.required("SAMLAssertion", self.saml_assertion)?;
            check.length(
                &|| "SAMLAssertion".to_owned(),
                saml_assertion.expose(),
                4,
                Some(100_000),
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
            Ok(AssumeRoleWithSaml {
                order: self.order,
                role_arn,
                principal_arn,
                saml_assertion,
                policy_arns: self.policy_arns,
                policy: self.policy,
                duration_seconds: self.duration_seconds,
                minimum_session_token_size: self.minimum_session_token_size,
            })
        })();
        (sender, result)
    }
}

/// The result of AssumeRoleWithSAML.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumeRoleWithSamlOutput {
    /// The temporary credentials, with expiration and the account id from the role's ARN.
    pub credentials: Credentials,
    /// The role session.
    pub assumed_role_user: AssumedRoleUser,
    /// Deprecated: percentage of the packed policy limit used.
    pub packed_policy_size: Option<i32>,
    /// The assertion's NameID.
    pub subject: Option<String>,
    /// The NameID format, without the `urn:oasis:names:tc:SAML:2.0:nameid-format:` prefix.
    pub subject_type: Option<String>,
    /// The assertion's Issuer.
    pub issuer: Option<String>,
    /// The Recipient of SubjectConfirmationData.
    pub audience: Option<String>,
    /// Hash of issuer, account id and provider name, identifying the user.
    pub name_qualifier: Option<String>,
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

impl Operation for AssumeRoleWithSaml {
    type Output = AssumeRoleWithSamlOutput;
    const ACTION: &'static str = ACTION;
    const AUTH: Auth = Auth::None;
    const INPUT_MEMBERS: &'static [&'static str] = MEMBERS;
    const OUTPUT_MEMBERS: &'static [&'static str] = &[
        "Credentials",
        "AssumedRoleUser",
        "PackedPolicySize",
        "Subject",
        "SubjectType",
        "Issuer",
        "Audience",
        "NameQualifier",
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
                1 => form.string(name, Some(&self.principal_arn)),
                2 => form.secret(name, Some(&self.saml_assertion)),
                3 => form.policy_arns(name, self.policy_arns.as_deref()),
                4 => form.string(name, self.policy.as_deref()),
                5 => form.int(name, self.duration_seconds),
                _ => form.int(name, self.minimum_session_token_size),
            }
        }
    }

    fn parse_output(body: &[u8]) -> Result<AssumeRoleWithSamlOutput, ParseError> {
        let mut credentials = CredentialsParts::default();
        let mut user = IdentityParts::new(
            "AssumedRoleUser",
            "AssumedRoleUser/AssumedRoleId",
            "AssumedRoleUser/Arn",
        );
        let mut context = PropagationContextParts::default();
        let (mut packed_policy_size, mut session_token_utilization, mut session_token_size) =
            (None, None, None);
        let (mut subject, mut subject_type, mut issuer, mut audience, mut name_qualifier) =
            (None, None, None, None, None);
        let mut source_identity = None;
        let request_id = walk_response(
            body,
            "AssumeRoleWithSAMLResponse",
            "AssumeRoleWithSAMLResult",
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
                    "Subject" => subject = text(t),
                    "SubjectType" => subject_type = text(t),
                    "Issuer" => issuer = text(t),
                    "Audience" => audience = text(t),
                    "NameQualifier" => name_qualifier = text(t),
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
        Ok(AssumeRoleWithSamlOutput {
            credentials,
            assumed_role_user: AssumedRoleUser {
                assumed_role_id,
                arn,
            },
            packed_policy_size,
            subject,
            subject_type,
            issuer,
            audience,
            name_qualifier,
            source_identity,
            session_token_utilization,
            session_token_size,
            trusted_identity_propagation_context: context.finish(),
            request_id,
        })
    }
}
