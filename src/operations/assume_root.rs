//! AssumeRoot: short-lived root credentials on an Organizations member account.

use super::validation::{Checker, ARN_CHARS};
use super::{
    text, Auth, CredentialsParts, Form, MemberOrder, Operation, ParseError, ValidationError,
};
use crate::xml::{parse_i32, walk_response};
use crate::Credentials;

const ACTION: &str = "AssumeRoot";
const MEMBERS: &[&str] = &[
    "TargetPrincipal",
    "TaskPolicyArn",
    "DurationSeconds",
    "MinimumSessionTokenSize",
];

/// A validated AssumeRoot request. Build it with [`AssumeRoot::builder`].
#[derive(Debug, Clone)]
pub struct AssumeRoot {
    order: MemberOrder,
    target_principal: String,
    task_policy_arn: String,
    duration_seconds: Option<i32>,
    minimum_session_token_size: Option<i32>,
}

/// Builds an [`AssumeRoot`] request; `S` is the client that will send it.
#[derive(Debug, Clone)]
pub struct AssumeRootBuilder<S = ()> {
    sender: S,
    order: MemberOrder,
    target_principal: Option<String>,
    task_policy_arn: Option<String>,
    duration_seconds: Option<i32>,
    minimum_session_token_size: Option<i32>,
}

impl AssumeRoot {
    /// A builder with nothing set.
    pub fn builder() -> AssumeRootBuilder<()> {
        AssumeRootBuilder::with_sender(())
    }
}

impl<S> AssumeRootBuilder<S> {
    /// A builder with nothing set that remembers `sender`.
    pub(crate) fn with_sender(sender: S) -> Self {
        Self {
            sender,
            order: MemberOrder::default(),
            target_principal: None,
            task_policy_arn: None,
            duration_seconds: None,
            minimum_session_token_size: None,
        }
    }

    /// `TargetPrincipal` (required): the member account id or a principal ARN.
    pub fn target_principal(mut self, v: impl Into<String>) -> Self {
        self.order.touch(0);
        self.target_principal = Some(v.into());
        self
    }

    /// `TaskPolicyArn.arn` (required): an AWS-managed root-task policy ARN.
    pub fn task_policy_arn(mut self, v: impl Into<String>) -> Self {
        self.order.touch(1);
        self.task_policy_arn = Some(v.into());
        self
    }

    /// `DurationSeconds`: 0..=900.
    pub fn duration_seconds(mut self, v: i32) -> Self {
        self.order.touch(2);
        self.duration_seconds = Some(v);
        self
    }

    /// `MinimumSessionTokenSize`: 0..=4096 bytes.
    pub fn minimum_session_token_size(mut self, v: i32) -> Self {
        self.order.touch(3);
        self.minimum_session_token_size = Some(v);
        self
    }

    /// Checks every member against the model and returns the request.
    pub fn build(self) -> Result<AssumeRoot, ValidationError> {
        self.into_parts().1
    }

    /// The sender and the checked request.
    pub(crate) fn into_parts(self) -> (S, Result<AssumeRoot, ValidationError>) {
        let sender = self.sender;
        let check = Checker::new(ACTION);
        let result = (|| {
            let target_principal = check.required("TargetPrincipal", self.target_principal)?;
            check.string("TargetPrincipal", &target_principal, 12, Some(2048), None)?;
            let task_policy_arn = check.required("TaskPolicyArn", self.task_policy_arn)?;
            check.string(
                "TaskPolicyArn.arn",
                &task_policy_arn,
                20,
                Some(2048),
                Some(ARN_CHARS),
            )?;
            check.range("DurationSeconds", self.duration_seconds, 0, 900)?;
            check.range(
                "MinimumSessionTokenSize",
                self.minimum_session_token_size,
                0,
                4096,
            )?;
            Ok(AssumeRoot {
                order: self.order,
                target_principal,
                task_policy_arn,
                duration_seconds: self.duration_seconds,
                minimum_session_token_size: self.minimum_session_token_size,
            })
        })();
        (sender, result)
    }
}

/// The result of AssumeRoot.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AssumeRootOutput {
    /// The temporary root credentials, with expiration.
    pub credentials: Credentials,
    /// The source identity set on the session.
    pub source_identity: Option<String>,
    /// Percentage (0..100) of the maximum session token size the token uses.
    pub session_token_utilization: Option<i32>,
    /// The session token's size in bytes.
    pub session_token_size: Option<i32>,
    /// `ResponseMetadata/RequestId`.
    pub request_id: Option<String>,
}

impl Operation for AssumeRoot {
    type Output = AssumeRootOutput;
    const ACTION: &'static str = ACTION;
    const AUTH: Auth = Auth::SigV4;
    const INPUT_MEMBERS: &'static [&'static str] = MEMBERS;
    const OUTPUT_MEMBERS: &'static [&'static str] = &[
        "Credentials",
        "SourceIdentity",
        "SessionTokenUtilization",
        "SessionTokenSize",
    ];

    fn write_form_body(&self, out: &mut String) {
        let mut form = Form::start(out, ACTION);
        for member in self.order.iter() {
            match member {
                0 => form.string("TargetPrincipal", Some(&self.target_principal)),
                1 => form.string("TaskPolicyArn.arn", Some(&self.task_policy_arn)),
                2 => form.int("DurationSeconds", self.duration_seconds),
                _ => form.int("MinimumSessionTokenSize", self.minimum_session_token_size),
            }
        }
    }

    fn parse_output(body: &[u8]) -> Result<AssumeRootOutput, ParseError> {
        let mut credentials = CredentialsParts::default();
        let (mut source_identity, mut session_token_utilization, mut session_token_size) =
            (None, None, None);
        let request_id =
            walk_response(body, "AssumeRootResponse", "AssumeRootResult", |path, t| {
                if credentials.visit(path, t)? {
                    return Ok(());
                }
                match path {
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
        Ok(AssumeRootOutput {
            credentials: credentials.finish(None)?,
            source_identity,
            session_token_utilization,
            session_token_size,
            request_id,
        })
    }
}
