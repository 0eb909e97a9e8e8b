//! GetSessionToken: temporary credentials for an IAM user or root, typically with MFA.

use super::validation::{Checker, DIGITS, SERIAL_NUMBER_CHARS};
use super::{Auth, CredentialsParts, Form, MemberOrder, Operation, ParseError, ValidationError};
use crate::secret::SecretString;
use crate::xml::{parse_i32, walk_response};
use crate::Credentials;

const ACTION: &str = "GetSessionToken";
const MEMBERS: &[&str] = &[
    "DurationSeconds",
    "SerialNumber",
    "TokenCode",
    "MinimumSessionTokenSize",
];

/// A validated GetSessionToken request. Build it with [`GetSessionToken::builder`].
#[derive(Debug, Clone)]
pub struct GetSessionToken {
    order: MemberOrder,
    duration_seconds: Option<i32>,
    serial_number: Option<String>,
    token_code: Option<SecretString>,
    minimum_session_token_size: Option<i32>,
}

/// Builds a [`GetSessionToken`] request; `S` is the client that will send it.
#[derive(Debug, Clone)]
pub struct GetSessionTokenBuilder<S = ()> {
    sender: S,
    order: MemberOrder,
    duration_seconds: Option<i32>,
    serial_number: Option<String>,
    token_code: Option<SecretString>,
    minimum_session_token_size: Option<i32>,
}

impl GetSessionToken {
    /// A builder with nothing set.
    pub fn builder() -> GetSessionTokenBuilder<()> {
        GetSessionTokenBuilder::with_sender(())
    }

    /// The MFA device, if one was set.
    pub(crate) fn serial_number(&self) -> Option<&str> {
        self.serial_number.as_deref()
    }

    /// The same request with a fresh MFA code (checked like `build` checks it).
    pub(crate) fn with_token_code(mut self, code: SecretString) -> Result<Self, ValidationError> {
        check_token_code(&Checker::new(ACTION), &code)?;
        self.order.touch(2);
        self.token_code = Some(code);
        Ok(self)
    }
}

fn check_token_code(check: &Checker, code: &SecretString) -> Result<(), ValidationError> {
    let name = || "TokenCode".to_owned();
    check.length(&name, code.expose(), 6, Some(6))?;
    check.chars(&name, code.expose(), DIGITS, true)
}

impl<S> GetSessionTokenBuilder<S> {
    /// A builder with nothing set that remembers `sender`.
    pub(crate) fn with_sender(sender: S) -> Self {
        Self {
            sender,
            order: MemberOrder::default(),
            duration_seconds: None,
            serial_number: None,
            token_code: None,
            minimum_session_token_size: None,
        }
    }

    /// `DurationSeconds`: 900..=129600 (the server caps root at 3600).
    pub fn duration_seconds(mut self, v: i32) -> Self {
        self.order.touch(0);
        self.duration_seconds = Some(v);
        self
    }

    /// `SerialNumber`: the MFA device's serial number or ARN.
    pub fn serial_number(mut self, v: impl Into<String>) -> Self {
        self.order.touch(1);
        self.serial_number = Some(v.into());
        self
    }

    /// `TokenCode`: the 6-digit MFA code (a secret).
    pub fn token_code(mut self, v: impl Into<SecretString>) -> Self {
        self.order.touch(2);
        self.token_code = Some(v.into());
        self
    }

    /// `MinimumSessionTokenSize`: 0..=4096 bytes.
    pub fn minimum_session_token_size(mut self, v: i32) -> Self {
        self.order.touch(3);
        self.minimum_session_token_size = Some(v);
        self
    }

    /// Checks every member against the model and returns the request.
    pub fn build(self) -> Result<GetSessionToken, ValidationError> {
        self.into_parts().1
    }

    /// The sender and the checked request.
    pub(crate) fn into_parts(self) -> (S, Result<GetSessionToken, ValidationError>) {
        let sender = self.sender;
        let check = Checker::new(ACTION);
        let result = (|| {
            check.range("DurationSeconds", self.duration_seconds, 900, 129_600)?;
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
            check.range(
                "MinimumSessionTokenSize",
                self.minimum_session_token_size,
                0,
                4096,
            )?;
            Ok(GetSessionToken {
                order: self.order,
                duration_seconds: self.duration_seconds,
                serial_number: self.serial_number,
                token_code: self.token_code,
                minimum_session_token_size: self.minimum_session_token_size,
            })
        })();
        (sender, result)
    }
}

/// The result of GetSessionToken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetSessionTokenOutput {
    /// The temporary credentials, with expiration.
    pub credentials: Credentials,
    /// Percentage (0..100) of the maximum session token size the token uses.
    pub session_token_utilization: Option<i32>,
    /// The session token's size in bytes.
    pub session_token_size: Option<i32>,
    /// `ResponseMetadata/RequestId`.
    pub request_id: Option<String>,
}

impl Operation for GetSessionToken {
    type Output = GetSessionTokenOutput;
    const ACTION: &'static str = ACTION;
    const AUTH: Auth = Auth::SigV4;
    const INPUT_MEMBERS: &'static [&'static str] = MEMBERS;
    const OUTPUT_MEMBERS: &'static [&'static str] =
        &["Credentials", "SessionTokenUtilization", "SessionTokenSize"];

    fn write_form_body(&self, out: &mut String) {
        let mut form = Form::start(out, ACTION);
        for member in self.order.iter() {
            let name = MEMBERS[usize::from(member)];
            match member {
                0 => form.int(name, self.duration_seconds),
                1 => form.string(name, self.serial_number.as_deref()),
                2 => form.secret(name, self.token_code.as_ref()),
                _ => form.int(name, self.minimum_session_token_size),
            }
        }
    }

    fn parse_output(body: &[u8]) -> Result<GetSessionTokenOutput, ParseError> {
        let mut credentials = CredentialsParts::default();
        let (mut session_token_utilization, mut session_token_size) = (None, None);
        let request_id = walk_response(
            body,
            "GetSessionTokenResponse",
            "GetSessionTokenResult",
            |path, t| {
                if credentials.visit(path, t)? {
                    return Ok(());
                }
                match path {
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
        Ok(GetSessionTokenOutput {
            credentials: credentials.finish(None)?,
            session_token_utilization,
            session_token_size,
            request_id,
        })
    }
}
