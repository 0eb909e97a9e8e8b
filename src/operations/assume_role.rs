//! AssumeRole: temporary credentials for an IAM role.

use super::validation::{
    Checker, DIGITS, EXTERNAL_ID_CHARS, NAME_CHARS, POLICY_CHARS, SERIAL_NUMBER_CHARS, TAG_CHARS,
};
use super::{
    text, AssumedRoleUser, Auth, CredentialsParts, Form, IdentityParts, MemberOrder, Operation,
    ParseError, ProvidedContext, Tag, ValidationError,
};
use crate::secret::SecretString;
use crate::xml::{parse_i32, walk_response};
use crate::Credentials;

const ACTION: &str = "AssumeRole";
const MEMBERS: &[&str] = &[
    "RoleArn",
    "RoleSessionName",
    "PolicyArns",
    "Policy",
    "DurationSeconds",
    "Tags",
    "TransitiveTagKeys",
    "ExternalId",
    "SerialNumber",
    "TokenCode",
    "SourceIdentity",
    "ProvidedContexts",
    "MinimumSessionTokenSize",
];

/// A validated AssumeRole request. Build it with [`AssumeRole::builder`].
#[derive(Debug, Clone)]
pub struct AssumeRole {
    order: MemberOrder,
    role_arn: String,
    role_session_name: String,
    policy_arns: Option<Vec<String>>,
    policy: Option<String>,
    duration_seconds: Option<i32>,
    tags: Option<Vec<Tag>>,
    transitive_tag_keys: Option<Vec<String>>,
    external_id: Option<String>,
    serial_number: Option<String>,
    token_code: Option<SecretString>,
    source_identity: Option<String>,
    provided_contexts: Option<Vec<ProvidedContext>>,
    minimum_session_token_size: Option<i32>,
}

/// Builds an [`AssumeRole`] request; `S` is the client that will send it (`()` when none).
#[derive(Debug, Clone)]
pub struct AssumeRoleBuilder<S = ()> {
    sender: S,
    order: MemberOrder,
    role_arn: Option<String>,
    role_session_name: Option<String>,
    policy_arns: Option<Vec<String>>,
    policy: Option<String>,
    duration_seconds: Option<i32>,
    tags: Option<Vec<Tag>>,
    transitive_tag_keys: Option<Vec<String>>,
    external_id: Option<String>,
    serial_number: Option<String>,
    token_code: Option<SecretString>,
    source_identity: Option<String>,
    provided_contexts: Option<Vec<ProvidedContext>>,
    minimum_session_token_size: Option<i32>,
}

impl AssumeRole {
    /// A builder with nothing set.
    pub fn builder() -> AssumeRoleBuilder<()> {
        AssumeRoleBuilder::with_sender(())
    }

    /// The role session name.
    pub fn role_session_name(&self) -> &str {
        &self.role_session_name
    }

    /// The role ARN.
    pub fn role_arn(&self) -> &str {
        &self.role_arn
    }

    /// The MFA device, if one was set.
    pub(crate) fn serial_number(&self) -> Option<&str> {
        self.serial_number.as_deref()
    }

    /// The same request with a fresh MFA code (checked like `build` checks it).
    pub(crate) fn with_token_code(mut self, code: SecretString) -> Result<Self, ValidationError> {
        check_token_code(&Checker::new(ACTION), &code)?;
        self.order.touch(9);
        self.token_code = Some(code);
        Ok(self)
    }
}

fn check_token_code(check: &Checker, code: &SecretString) -> Result<(), ValidationError> {
    let name = || "TokenCode".to_owned();
    check.length(&name, code.expose(), 6, Some(6))?;
    check.chars(&name, code.expose(), DIGITS, true)
}

impl<S> AssumeRoleBuilder<S> {
    /// A builder with nothing set that remembers `sender`.
    pub(crate) fn with_sender(sender: S) -> Self {
        Self {
            sender,
            order: MemberOrder::default(),
            role_arn: None,
            role_session_name: None,
            policy_arns: None,
            policy: None,
            duration_seconds: None,
            tags: None,
            transitive_tag_keys: None,
            external_id: None,
            serial_number: None,
            token_code: None,
            source_identity: None,
            provided_contexts: None,
            minimum_session_token_size: None,
        }
    }

    /// `RoleArn` (required): the role to assume.
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

    /// `PolicyArns`: replaces the managed session policies (at most 10).
    pub fn policy_arns<I: IntoIterator<Item = T>, T: Into<String>>(mut self, v: I) -> Self {
        self.order.touch(2);
        self.policy_arns = Some(v.into_iter().map(Into::into).collect());
        self
    }

    /// Adds one managed session policy ARN.
    pub fn policy_arn(mut self, v: impl Into<String>) -> Self {
        self.order.touch(2);
        self.policy_arns.get_or_insert_with(Vec::new).push(v.into());
        self
    }

    /// `Policy`: an inline session policy (JSON).
    pub fn policy(mut self, v: impl Into<String>) -> Self {
        self.order.touch(3);
        self.policy = Some(v.into());
        self
    }

    /// `DurationSeconds`: 900..=43200.
    pub fn duration_seconds(mut self, v: i32) -> Self {
        self.order.touch(4);
        self.duration_seconds = Some(v);
        self
    }

    /// `Tags`: replaces the session tags (at most 50).
    pub fn tags(mut self, v: impl IntoIterator<Item = Tag>) -> Self {
        self.order.touch(5);
        self.tags = Some(v.into_iter().collect());
        self
    }

    /// Adds one session tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.order.touch(5);
        self.tags
            .get_or_insert_with(Vec::new)
            .push(Tag::new(key, value));
        self
    }

    /// `TransitiveTagKeys`: replaces the keys of tags that survive role chaining (at most 50).
    /// An explicitly empty list is sent as `TransitiveTagKeys=`.
    pub fn transitive_tag_keys<I: IntoIterator<Item = T>, T: Into<String>>(mut self, v: I) -> Self {
        self.order.touch(6);
        self.transitive_tag_keys = Some(v.into_iter().map(Into::into).collect());
        self
    }

    /// Adds one transitive tag key.
    pub fn transitive_tag_key(mut self, v: impl Into<String>) -> Self {
        self.order.touch(6);
        self.transitive_tag_keys
            .get_or_insert_with(Vec::new)
            .push(v.into());
        self
    }

    /// `ExternalId`: 2..1224 of `A-Z a-z 0-9 _+=,.@:/-`.
    pub fn external_id(mut self, v: impl Into<String>) -> Self {
        self.order.touch(7);
        self.external_id = Some(v.into());
        self
    }

    /// `SerialNumber`: the MFA device's serial number or ARN.
    pub fn serial_number(mut self, v: impl Into<String>) -> Self {
        self.order.touch(8);
        self.serial_number = Some(v.into());
        self
    }

    /// `TokenCode`: the 6-digit MFA code (a secret).
    pub fn token_code(mut self, v: impl Into<SecretString>) -> Self {
        self.order.touch(9);
        self.token_code = Some(v.into());
        self
    }

    /// `SourceIdentity`: 2..256 of `A-Z a-z 0-9 _+=,.@-`.
    pub fn source_identity(mut self, v: impl Into<String>) -> Self {
        self.order.touch(10);
        self.source_identity = Some(v.into());
        self
    }

    /// `ProvidedContexts`: replaces the trusted contexts (1..5).
    pub fn provided_contexts(mut self, v: impl IntoIterator<Item = ProvidedContext>) -> Self {
        self.order.touch(11);
        self.provided_contexts = Some(v.into_iter().collect());
        self
    }

    /// Adds one provided context.
    pub fn provided_context(
        mut self,
        provider_arn: impl Into<String>,
        context_assertion: impl Into<String>,
    ) -> Self {
        self.order.touch(11);
        self.provided_contexts
            .get_or_insert_with(Vec::new)
            .push(ProvidedContext::new(provider_arn, context_assertion));
        self
    }

    /// `MinimumSessionTokenSize`: 0..=4096 bytes.
    pub fn minimum_session_token_size(mut self, v: i32) -> Self {
        self.order.touch(12);
        self.minimum_session_token_size = Some(v);
        self
    }

    /// Checks every member against the model and returns the request.
    pub fn build(self) -> Result<AssumeRole, ValidationError> {
        self.into_parts().1
    }

    /// The sender and the checked request.
    pub(crate) fn into_parts(self) -> (S, Result<AssumeRole, ValidationError>) {
        let sender = self.sender;
        let check = Checker::new(ACTION);
        let result = (|| {
            let role_arn = check.required("RoleArn", self.role_arn)?;
            check.string(
                "RoleArn",
                &role_arn,
                20,
                Some(2048),
                Some(super::validation::ARN_CHARS),
            )?;
            let role_session_name = check.required("RoleSessionName", self.role_session_name)?;
            check.string(
                "RoleSessionName",
                &role_session_name,
                2,
                Some(64),
                Some(NAME_CHARS),
            )?;
            check.policy_arns("PolicyArns", self.policy_arns.as_deref())?;
            // AssumeRole's policy shape has no maximum length in the model.
            check.opt_string(
                "Policy",
                self.policy.as_deref(),
                1,
                None,
                Some(POLICY_CHARS),
            )?;
            check.range("DurationSeconds", self.duration_seconds, 900, 43200)?;
            check.tags("Tags", self.tags.as_deref())?;
            if let Some(keys) = &self.transitive_tag_keys {
                check.list_size("TransitiveTagKeys", keys.len(), 0, 50)?;
                for (i, key) in keys.iter().enumerate() {
                    let name = || format!("TransitiveTagKeys.member.{}", i + 1);
                    check.length(&name, key, 1, Some(128))?;
                    check.chars(&name, key, TAG_CHARS, false)?;
                }
            }
            check.opt_string(
                "ExternalId",
                self.external_id.as_deref(),
                2,
                Some(1224),
                Some(EXTERNAL_ID_CHARS),
            )?;
            check.opt_string(
                "SerialNumber",
                self.serial_number.as_deref(),
                9,
                Some(256),
                Some(SERIAL_NUMBER_CHARS),
            )?;
            if let Some(code) = &self.token_code {
                check_token_code(&check, code)?;
            }
            check.opt_string(
                "SourceIdentity",
                self.source_identity.as_deref(),
                2,
                Some(256),
                Some(NAME_CHARS),
            )?;
            if let Some(contexts) = &self.provided_contexts {
                check.list_size("ProvidedContexts", contexts.len(), 1, 5)?;
                for (i, context) in contexts.iter().enumerate() {
                    let arn = || format!("ProvidedContexts.member.{}.ProviderArn", i + 1);
                    check.length(&arn, &context.provider_arn, 20, Some(2048))?;
                    check.chars(
                        &arn,
                        &context.provider_arn,
                        super::validation::ARN_CHARS,
                        false,
                    )?;
                    let assertion =
                        || format!("ProvidedContexts.member.{}.ContextAssertion", i + 1);
                    check.length(&assertion, &context.context_assertion, 4, Some(3072))?;
                }
            }
            check.range(
                "MinimumSessionTokenSize",
                self.minimum_session_token_size,
                0,
                4096,
            )?;
            Ok(AssumeRole {
                order: self.order,
                role_arn,
                role_session_name,
                policy_arns: self.policy_arns,
                policy: self.policy,
                duration_seconds: self.duration_seconds,
                tags: self.tags,
                transitive_tag_keys: self.transitive_tag_keys,
                external_id: self.external_id,
                serial_number: self.serial_number,
                token_code: self.token_code,
                source_identity: self.source_identity,
                provided_contexts: self.provided_contexts,
                minimum_session_token_size: self.minimum_session_token_size,
            })
        })();
        (sender, result)
    }
}

/// The result of AssumeRole.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumeRoleOutput {
    /// The temporary credentials, with expiration and the account id from the role's ARN.
    pub credentials: Credentials,
    /// The role session.
    pub assumed_role_user: AssumedRoleUser,
    /// Deprecated: percentage of the packed policy limit used.
    pub packed_policy_size: Option<i32>,
    /// The source identity set on the session.
    pub source_identity: Option<String>,
    /// Percentage (0..100) of the maximum session token size the token uses.
    pub session_token_utilization: Option<i32>,
    /// The session token's size in bytes.
    pub session_token_size: Option<i32>,
    /// `ResponseMetadata/RequestId`.
    pub request_id: Option<String>,
}

impl Operation for AssumeRole {
    type Output = AssumeRoleOutput;
    const ACTION: &'static str = ACTION;
    const AUTH: Auth = Auth::SigV4;
    const INPUT_MEMBERS: &'static [&'static str] = MEMBERS;
    const OUTPUT_MEMBERS: &'static [&'static str] = &[
        "Credentials",
        "AssumedRoleUser",
        "PackedPolicySize",
        "SourceIdentity",
        "SessionTokenUtilization",
        "SessionTokenSize",
    ];

    fn write_form_body(&self, out: &mut String) {
        let mut form = Form::start(out, ACTION);
        for member in self.order.iter() {
            let name = MEMBERS[usize::from(member)];
            match member {
                0 => form.string(name, Some(&self.role_arn)),
                1 => form.string(name, Some(&self.role_session_name)),
                2 => form.policy_arns(name, self.policy_arns.as_deref()),
                3 => form.string(name, self.policy.as_deref()),
                4 => form.int(name, self.duration_seconds),
                5 => form.tags(name, self.tags.as_deref()),
                6 => form.strings(name, self.transitive_tag_keys.as_deref()),
                7 => form.string(name, self.external_id.as_deref()),
                8 => form.string(name, self.serial_number.as_deref()),
                9 => form.secret(name, self.token_code.as_ref()),
                10 => form.string(name, self.source_identity.as_deref()),
                11 => form.provided_contexts(name, self.provided_contexts.as_deref()),
                _ => form.int(name, self.minimum_session_token_size),
            }
        }
    }

    fn parse_output(body: &[u8]) -> Result<AssumeRoleOutput, ParseError> {
        let mut credentials = CredentialsParts::default();
        let mut user = IdentityParts::new(
            "AssumedRoleUser",
            "AssumedRoleUser/AssumedRoleId",
            "AssumedRoleUser/Arn",
        );
        let mut packed_policy_size = None;
        let mut source_identity = None;
        let mut session_token_utilization = None;
        let mut session_token_size = None;
        let request_id =
            walk_response(body, "AssumeRoleResponse", "AssumeRoleResult", |path, t| {
                if credentials.visit(path, t)? || user.visit(path, t) {
                    return Ok(());
                }
                match path {
                    "PackedPolicySize" => {
                        packed_policy_size = Some(parse_i32("PackedPolicySize", t)?)
                    }
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
            })?;
        let credentials = credentials.finish(user.arn())?;
        let (assumed_role_id, arn) = user.finish()?;
        Ok(AssumeRoleOutput {
            credentials,
            assumed_role_user: AssumedRoleUser {
                assumed_role_id,
                arn,
            },
            packed_policy_size,
            source_identity,
            session_token_utilization,
            session_token_size,
            request_id,
        })
    }
}
