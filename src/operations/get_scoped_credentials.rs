//! GetScopedCredentials: narrows the caller's temporary credentials.

use super::validation::{Checker, DESCRIPTION_CHARS, POLICY_CHARS};
use super::{
    text, Auth, CredentialsParts, Form, IdentityParts, MemberOrder, Operation, ParseError,
    ScopedSession, ValidationError,
};
use crate::xml::{parse_i32, walk_response};
use crate::Credentials;

const ACTION: &str = "GetScopedCredentials";
const MEMBERS: &[&str] = &[
    "Policy",
    "DurationSeconds",
    "MinimumSessionTokenSize",
    "ScopedSessionDescription",
];

/// A validated GetScopedCredentials request. Build it with [`GetScopedCredentials::builder`].
///
/// The server requires at least one of `Policy` and `DurationSeconds`; the model does not, so
/// neither does `build()`.
#[derive(Debug, Clone)]
pub struct GetScopedCredentials {
    order: MemberOrder,
    policy: Option<String>,
    duration_seconds: Option<i32>,
    minimum_session_token_size: Option<i32>,
    scoped_session_description: Option<String>,
}

/// Builds a [`GetScopedCredentials`] request; `S` is the client that will send it.
#[derive(Debug, Clone)]
pub struct GetScopedCredentialsBuilder<S = ()> {
    sender: S,
    order: MemberOrder,
    policy: Option<String>,
    duration_seconds: Option<i32>,
    minimum_session_token_size: Option<i32>,
    scoped_session_description: Option<String>,
}

impl GetScopedCredentials {
    /// A builder with nothing set.
    pub fn builder() -> GetScopedCredentialsBuilder<()> {
        GetScopedCredentialsBuilder::with_sender(())
    }
}

impl<S> GetScopedCredentialsBuilder<S> {
    /// A builder with nothing set that remembers `sender`.
    pub(crate) fn with_sender(sender: S) -> Self {
        Self {
            sender,
            order: MemberOrder::default(),
            policy: None,
            duration_seconds: None,
            minimum_session_token_size: None,
            scoped_session_description: None,
        }
    }

    /// `Policy`: the scope-down policy, 1..2048 characters.
    pub fn policy(mut self, v: impl Into<String>) -> Self {
        self.order.touch(0);
        self.policy = Some(v.into());
        self
    }

    /// `DurationSeconds`: 1..=129600.
    pub fn duration_seconds(mut self, v: i32) -> Self {
        self.order.touch(1);
        self.duration_seconds = Some(v);
        self
    }

    /// `MinimumSessionTokenSize`: 0..=4096 bytes.
    pub fn minimum_session_token_size(mut self, v: i32) -> Self {
        self.order.touch(2);
        self.minimum_session_token_size = Some(v);
        self
    }

    /// `ScopedSessionDescription`: 2..256 characters, recorded in CloudTrail.
    pub fn scoped_session_description(mut self, v: impl Into<String>) -> Self {
        self.order.touch(3);
        self.scoped_session_description = Some(v.into());
        self
    }

    /// Checks every member against the model and returns the request.
    pub fn build(self) -> Result<GetScopedCredentials, ValidationError> {
        self.into_parts().1
    }

    /// The sender and the checked request.
    pub(crate) fn into_parts(self) -> (S, Result<GetScopedCredentials, ValidationError>) {
        let sender = self.sender;
        let check = Checker::new(ACTION);
        let result = (|| {
            check.opt_string(
                "Policy",
                self.policy.as_deref(),
                1,
                Some(2048),
                Some(POLICY_CHARS),
            )?;
            check.range("DurationSeconds", self.duration_seconds, 1, 129_600)?;
            check.range(
                "MinimumSessionTokenSize",
                self.minimum_session_token_size,
                0,
                4096,
            )?;
            check.opt_string(
                "ScopedSessionDescription",
                self.scoped_session_description.as_deref(),
                2,
                Some(256),
                Some(DESCRIPTION_CHARS),
            )?;
            Ok(GetScopedCredentials {
                order: self.order,
                policy: self.policy,
                duration_seconds: self.duration_seconds,
                minimum_session_token_size: self.minimum_session_token_size,
                scoped_session_description: self.scoped_session_description,
            })
        })();
        (sender, result)
    }
}

/// The result of GetScopedCredentials.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetScopedCredentialsOutput {
    /// The scoped-down credentials, with expiration and the account id.
    pub credentials: Credentials,
    /// The scoped session.
    pub session_info: ScopedSession,
    /// Percentage (0..100) of the maximum session token size the token uses.
    pub session_token_utilization: Option<i32>,
    /// The session token's size in bytes.
    pub session_token_size: Option<i32>,
    /// How many scope-down layers the session now has.
    pub scoped_policies_count: Option<i32>,
    /// The source identity, passed through unchanged.
    pub source_identity: Option<String>,
    /// `ResponseMetadata/RequestId`.
    pub request_id: Option<String>,
}

impl Operation for GetScopedCredentials {
    type Output = GetScopedCredentialsOutput;
    const ACTION: &'static str = ACTION;
    const AUTH: Auth = Auth::SigV4;
    const INPUT_MEMBERS: &'static [&'static str] = MEMBERS;
    const OUTPUT_MEMBERS: &'static [&'static str] = &[
        "Credentials",
        "SessionInfo",
        "SessionTokenUtilization",
        "SessionTokenSize",
        "ScopedPoliciesCount",
        "SourceIdentity",
    ];

    fn write_form_body(&self, out: &mut String) {
        let mut form = Form::start(out, ACTION);
        for member in self.order.iter() {
            let name = MEMBERS[usize::from(member)];
            match member {
                0 => form.string(name, self.policy.as_deref()),
                1 => form.int(name, self.duration_seconds),
                2 => form.int(name, self.minimum_session_token_size),
                _ => form.string(name, self.scoped_session_description.as_deref()),
            }
        }
    }

    fn parse_output(body: &[u8]) -> Result<GetScopedCredentialsOutput, ParseError> {
        let mut credentials = CredentialsParts::default();
        let mut session = IdentityParts::new(
            "SessionInfo",
            "SessionInfo/ScopedSessionId",
            "SessionInfo/Arn",
        );
        let (mut session_token_utilization, mut session_token_size, mut scoped_policies_count) =
            (None, None, None);
        let mut source_identity = None;
        let request_id = walk_response(
            body,
            "GetScopedCredentialsResponse",
            "GetScopedCredentialsResult",
            |path, t| {
                if credentials.visit(path, t)? || session.visit(path, t) {
                    return Ok(());
                }
                match path {
                    "SessionTokenUtilization" => {
                        session_token_utilization = Some(parse_i32("SessionTokenUtilization", t)?)
                    }
                    "SessionTokenSize" => {
                        session_token_size = Some(parse_i32("SessionTokenSize", t)?)
                    }
                    "ScopedPoliciesCount" => {
                        scoped_policies_count = Some(parse_i32("ScopedPoliciesCount", t)?)
                    }
                    "SourceIdentity" => source_identity = text(t),
                    _ => {}
                }
                Ok(())
            },
        )?;
        let credentials = credentials.finish(session.arn())?;
        let (scoped_session_id, arn) = session.finish()?;
        Ok(GetScopedCredentialsOutput {
            credentials,
            session_info: ScopedSession {
                scoped_session_id,
                arn,
            },
            session_token_utilization,
            session_token_size,
            scoped_policies_count,
            source_identity,
            request_id,
        })
    }
}
