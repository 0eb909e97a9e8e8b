//! GetCallerIdentity: who signed the request.

use super::{Auth, Form, Operation, ParseError, ValidationError};
use crate::xml::walk_response;

const ACTION: &str = "GetCallerIdentity";

/// A GetCallerIdentity request (it has no members).
#[derive(Debug, Clone, Default)]
pub struct GetCallerIdentity {}

/// Builds a [`GetCallerIdentity`] request; `S` is the client that will send it.
#[derive(Debug, Clone)]
pub struct GetCallerIdentityBuilder<S = ()> {
    sender: S,
}

impl GetCallerIdentity {
    /// A builder (there is nothing to set).
    pub fn builder() -> GetCallerIdentityBuilder<()> {
        GetCallerIdentityBuilder::with_sender(())
    }
}

impl<S> GetCallerIdentityBuilder<S> {
    /// A builder that remembers `sender`.
    pub(crate) fn with_sender(sender: S) -> Self {
        Self { sender }
    }

    /// The request (always valid).
    pub fn build(self) -> Result<GetCallerIdentity, ValidationError> {
        self.into_parts().1
    }

    /// The sender and the request.
    pub(crate) fn into_parts(self) -> (S, Result<GetCallerIdentity, ValidationError>) {
        (self.sender, Ok(GetCallerIdentity {}))
    }
}

/// The result of GetCallerIdentity.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetCallerIdentityOutput {
    /// The caller's unique id (`AIDA…`, `AROA…:session`, `ACCOUNT:name`, or the account id).
    pub user_id: String,
    /// The caller's account id.
    pub account: String,
    /// The caller's ARN.
    pub arn: String,
    /// `ResponseMetadata/RequestId`.
    pub request_id: Option<String>,
}

impl Operation for GetCallerIdentity {
    type Output = GetCallerIdentityOutput;
    const ACTION: &'static str = ACTION;
    const AUTH: Auth = Auth::SigV4;
    const INPUT_MEMBERS: &'static [&'static str] = &[];
    const OUTPUT_MEMBERS: &'static [&'static str] = &["UserId", "Account", "Arn"];

    fn write_form_body(&self, out: &mut String) {
        Form::start(out, ACTION);
    }

    fn parse_output(body: &[u8]) -> Result<GetCallerIdentityOutput, ParseError> {
        let (mut user_id, mut account, mut arn) = (None, None, None);
        let request_id = walk_response(
            body,
            "GetCallerIdentityResponse",
            "GetCallerIdentityResult",
            |path, t| {
                match path {
                    "UserId" => user_id = Some(t.trim().to_owned()),
                    "Account" => account = Some(t.trim().to_owned()),
                    "Arn" => arn = Some(t.trim().to_owned()),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(GetCallerIdentityOutput {
            user_id: user_id.ok_or(ParseError::MissingElement("UserId"))?,
            account: account.ok_or(ParseError::MissingElement("Account"))?,
            arn: arn.ok_or(ParseError::MissingElement("Arn"))?,
            request_id,
        })
    }
}
