//! GetFederationToken: credentials for a federated user.

use super::validation::{Checker, NAME_CHARS, POLICY_CHARS};
use super::{
    Auth, CredentialsParts, FederatedUser, Form, IdentityParts, MemberOrder, Operation, ParseError,
    Tag, ValidationError,
};
use crate::xml::{parse_i32, walk_response};
use crate::Credentials;

const ACTION: &str = "GetFederationToken";
const MEMBERS: &[&str] = &[
    "Name",
    "Policy",
    "PolicyArns",
    "DurationSeconds",
    "Tags",
    "MinimumSessionTokenSize",
];

/// A validated GetFederationToken request. Build it with [`GetFederationToken::builder`].
#[derive(Debug, Clone)]
pub struct GetFederationToken {
    order: MemberOrder,
    name: String,
    policy: Option<String>,
    policy_arns: Option<Vec<String>>,
    duration_seconds: Option<i32>,
    tags: Option<Vec<Tag>>,
    minimum_session_token_size: Option<i32>,
}

/// Builds a [`GetFederationToken`] request; `S` is the client that will send it.
#[derive(Debug, Clone)]
pub struct GetFederationTokenBuilder<S = ()> {
    sender: S,
    order: MemberOrder,
    name: Option<String>,
    policy: Option<String>,
    policy_arns: Option<Vec<String>>,
    duration_seconds: Option<i32>,
    tags: Option<Vec<Tag>>,
    minimum_session_token_size: Option<i32>,
}

impl GetFederationToken {
    /// A builder with nothing set.
    pub fn builder() -> GetFederationTokenBuilder<()> {
        GetFederationTokenBuilder::with_sender(())
    }
}

impl<S> GetFederationTokenBuilder<S> {
    /// A builder with nothing set that remembers `sender`.
    pub(crate) fn with_sender(sender: S) -> Self {
        Self {
            sender,
            order: MemberOrder::default(),
            name: None,
            policy: None,
            policy_arns: None,
            duration_seconds: None,
            tags: None,
            minimum_session_token_size: None,
        }
    }

    /// `Name` (required): the federated user's name, 2..32 of `A-Z a-z 0-9 _+=,.@-`.
    pub fn name(mut self, v: impl Into<String>) -> Self {
        self.order.touch(0);
        self.name = Some(v.into());
        self
    }

    /// `Policy`: an inline session policy, 1..2048 characters.
    pub fn policy(mut self, v: impl Into<String>) -> Self {
        self.order.touch(1);
        self.policy = Some(v.into());
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

    /// `DurationSeconds`: 900..=129600.
    pub fn duration_seconds(mut self, v: i32) -> Self {
        self.order.touch(3);
        self.duration_seconds = Some(v);
        self
    }

    /// `Tags`: replaces the session tags (at most 50).
    pub fn tags(mut self, v: impl IntoIterator<Item = Tag>) -> Self {
        self.order.touch(4);
        self.tags = Some(v.into_iter().collect());
        self
    }

    /// Adds one session tag.
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.order.touch(4);
        self.tags
            .get_or_insert_with(Vec::new)
            .push(Tag::new(key, value));
        self
    }

    /// `MinimumSessionTokenSize`: 0..=4096 bytes.
    pub fn minimum_session_token_size(mut self, v: i32) -> Self {
        self.order.touch(5);
        self.minimum_session_token_size = Some(v);
        self
    }

    /// Checks every member against the model and returns the request.
    pub fn build(self) -> Result<GetFederationToken, ValidationError> {
        self.into_parts().1
    }

    /// The sender and the checked request.
    pub(crate) fn into_parts(self) -> (S, Result<GetFederationToken, ValidationError>) {
        let sender = self.sender;
        let check = Checker::new(ACTION);
        let result = (|| {
            let name = check.required("Name", self.name)?;
            check.string("Name", &name, 2, Some(32), Some(NAME_CHARS))?;
            check.opt_string(
                "Policy",
                self.policy.as_deref(),
                1,
                Some(2048),
                Some(POLICY_CHARS),
            )?;
            check.policy_arns("PolicyArns", self.policy_arns.as_deref())?;
            check.range("DurationSeconds", self.duration_seconds, 900, 129_600)?;
            check.tags("Tags", self.tags.as_deref())?;
            check.range(
                "MinimumSessionTokenSize",
                self.minimum_session_token_size,
                0,
                4096,
            )?;
            Ok(GetFederationToken {
                order: self.order,
                name,
                policy: self.policy,
                policy_arns: self.policy_arns,
                duration_seconds: self.duration_seconds,
                tags: self.tags,
                minimum_session_token_size: self.minimum_session_token_size,
            })
        })();
        (sender, result)
    }
}

/// The result of GetFederationToken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetFederationTokenOutput {
    /// The temporary credentials, with expiration and the account id.
    pub credentials: Credentials,
    /// The federated user.
    pub federated_user: FederatedUser,
    /// Deprecated: percentage of the packed policy limit used.
    pub packed_policy_size: Option<i32>,
    /// Percentage (0..100) of the maximum session token size the token uses.
    pub session_token_utilization: Option<i32>,
    /// The session token's size in bytes.
    pub session_token_size: Option<i32>,
    /// `ResponseMetadata/RequestId`.
    pub request_id: Option<String>,
}

impl Operation for GetFederationToken {
    type Output = GetFederationTokenOutput;
    const ACTION: &'static str = ACTION;
    const AUTH: Auth = Auth::SigV4;
    const INPUT_MEMBERS: &'static [&'static str] = MEMBERS;
    const OUTPUT_MEMBERS: &'static [&'static str] = &[
        "Credentials",
        "FederatedUser",
        "PackedPolicySize",
        "SessionTokenUtilization",
        "SessionTokenSize",
    ];

    fn write_form_body(&self, out: &mut String) {
        let mut form = Form::start(out, ACTION);
        for member in self.order.iter() {
            let name = MEMBERS[usize::from(member)];
            match member {
                0 => form.string(name, Some(&self.name)),
                1 => form.string(name, self.policy.as_deref()),
                2 => form.policy_arns(name, self.policy_arns.as_deref()),
                3 => form.int(name, self.duration_seconds),
                4 => form.tags(name, self.tags.as_deref()),
                _ => form.int(name, self.minimum_session_token_size),
            }
        }
    }

    fn parse_output(body: &[u8]) -> Result<GetFederationTokenOutput, ParseError> {
        let mut credentials = CredentialsParts::default();
        let mut user = IdentityParts::new(
            "FederatedUser",
            "FederatedUser/FederatedUserId",
            "FederatedUser/Arn",
        );
        let (mut packed_policy_size, mut session_token_utilization, mut session_token_size) =
            (None, None, None);
        let request_id = walk_response(
            body,
            "GetFederationTokenResponse",
            "GetFederationTokenResult",
            |path, t| {
                if credentials.visit(path, t)? || user.visit(path, t) {
                    return Ok(());
                }
                match path {
                    "PackedPolicySize" => {
                        packed_policy_size = Some(parse_i32("PackedPolicySize", t)?)
                    }
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
        let (federated_user_id, arn) = user.finish()?;
        Ok(GetFederationTokenOutput {
            credentials,
            federated_user: FederatedUser {
                federated_user_id,
                arn,
            },
            packed_policy_size,
            session_token_utilization,
            session_token_size,
            request_id,
        })
    }
}
