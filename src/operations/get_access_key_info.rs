//! GetAccessKeyInfo: the account that owns an access key id.

use super::validation::{Checker, WORD_CHARS};
use super::{Auth, Form, MemberOrder, Operation, ParseError, ValidationError};
use crate::xml::walk_response;

const ACTION: &str = "GetAccessKeyInfo";

/// A validated GetAccessKeyInfo request.
#[derive(Debug, Clone)]
pub struct GetAccessKeyInfo {
    access_key_id: String,
}

/// Builds a [`GetAccessKeyInfo`] request; `S` is the client that will send it.
#[derive(Debug, Clone)]
pub struct GetAccessKeyInfoBuilder<S = ()> {
    sender: S,
    order: MemberOrder,
    access_key_id: Option<String>,
}

impl GetAccessKeyInfo {
    /// A builder with nothing set.
    pub fn builder() -> GetAccessKeyInfoBuilder<()> {
        GetAccessKeyInfoBuilder::with_sender(())
    }
}

impl<S> GetAccessKeyInfoBuilder<S> {
    /// A builder with nothing set that remembers `sender`.
    pub(crate) fn with_sender(sender: S) -> Self {
        Self {
            sender,
            order: MemberOrder::default(),
            access_key_id: None,
        }
    }

    /// `AccessKeyId` (required): 16..128 of `A-Z a-z 0-9 _`.
    pub fn access_key_id(mut self, v: impl Into<String>) -> Self {
        self.order.touch(0);
        self.access_key_id = Some(v.into());
        self
    }

    /// Checks every member against the model and returns the request.
    pub fn build(self) -> Result<GetAccessKeyInfo, ValidationError> {
        self.into_parts().1
    }

    /// The sender and the checked request.
    pub(crate) fn into_parts(self) -> (S, Result<GetAccessKeyInfo, ValidationError>) {
        let check = Checker::new(ACTION);
        let result = check
            .required("AccessKeyId", self.access_key_id)
            .and_then(|access_key_id| {
                check.string(
                    "AccessKeyId",
                    &access_key_id,
                    16,
                    Some(128),
                    Some(WORD_CHARS),
                )?;
                Ok(GetAccessKeyInfo { access_key_id })
            });
        (self.sender, result)
    }
}

/// The result of GetAccessKeyInfo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetAccessKeyInfoOutput {
    /// The 12-digit account id that owns the key.
    pub account: String,
    /// `ResponseMetadata/RequestId`.
    pub request_id: Option<String>,
}

impl Operation for GetAccessKeyInfo {
    type Output = GetAccessKeyInfoOutput;
    const ACTION: &'static str = ACTION;
    const AUTH: Auth = Auth::SigV4;
    const INPUT_MEMBERS: &'static [&'static str] = &["AccessKeyId"];
    const OUTPUT_MEMBERS: &'static [&'static str] = &["Account"];

    fn write_form_body(&self, out: &mut String) {
        Form::start(out, ACTION).string("AccessKeyId", Some(&self.access_key_id));
    }

    fn parse_output(body: &[u8]) -> Result<GetAccessKeyInfoOutput, ParseError> {
        let mut account = None;
        let request_id = walk_response(
            body,
            "GetAccessKeyInfoResponse",
            "GetAccessKeyInfoResult",
            |path, t| {
                if path == "Account" {
                    account = Some(t.trim().to_owned());
                }
                Ok(())
            },
        )?;
        Ok(GetAccessKeyInfoOutput {
            account: account.ok_or(ParseError::MissingElement("Account"))?,
            request_id,
        })
    }
}
