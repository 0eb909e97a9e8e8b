//! DecodeAuthorizationMessage: decodes the opaque message of an authorization failure.

use super::validation::Checker;
use super::{Auth, Form, MemberOrder, Operation, ParseError, ValidationError};
use crate::xml::walk_response;

const ACTION: &str = "DecodeAuthorizationMessage";

/// A validated DecodeAuthorizationMessage request.
#[derive(Debug, Clone)]
pub struct DecodeAuthorizationMessage {
    encoded_message: String,
}

/// Builds a [`DecodeAuthorizationMessage`] request; `S` is the client that will send it.
#[derive(Debug, Clone)]
pub struct DecodeAuthorizationMessageBuilder<S = ()> {
    sender: S,
    order: MemberOrder,
    encoded_message: Option<String>,
}

impl DecodeAuthorizationMessage {
    /// A builder with nothing set.
    pub fn builder() -> DecodeAuthorizationMessageBuilder<()> {
        DecodeAuthorizationMessageBuilder::with_sender(())
    }
}

impl<S> DecodeAuthorizationMessageBuilder<S> {
    /// A builder with nothing set that remembers `sender`.
    pub(crate) fn with_sender(sender: S) -> Self {
        Self {
            sender,
            order: MemberOrder::default(),
            encoded_message: None,
        }
    }

    /// `EncodedMessage` (required): the message, 1..10240 characters.
    pub fn encoded_message(mut self, v: impl Into<String>) -> Self {
        self.order.touch(0);
        self.encoded_message = Some(v.into());
        self
    }

    /// Checks every member against the model and returns the request.
    pub fn build(self) -> Result<DecodeAuthorizationMessage, ValidationError> {
        self.into_parts().1
    }

    /// The sender and the checked request.
    pub(crate) fn into_parts(self) -> (S, Result<DecodeAuthorizationMessage, ValidationError>) {
        let check = Checker::new(ACTION);
        let result = check
            .required("EncodedMessage", self.encoded_message)
            .and_then(|encoded_message| {
                check.string("EncodedMessage", &encoded_message, 1, Some(10240), None)?;
                Ok(DecodeAuthorizationMessage { encoded_message })
            });
        (self.sender, result)
    }
}

/// The result of DecodeAuthorizationMessage.
#[derive(Debug, Clone, PartialEq)]
pub struct DecodeAuthorizationMessageOutput {
    /// The decoded message: a JSON document, entities already decoded.
    pub decoded_message: String,
    /// The same document as a typed value, when it has the expected shape (`None` when it
    /// does not; [`DecodeAuthorizationMessageOutput::decision`] says why).
    pub decision: Option<crate::authorization_message::AuthorizationDecision>,
    /// `ResponseMetadata/RequestId`.
    pub request_id: Option<String>,
}

impl DecodeAuthorizationMessageOutput {
    /// Parses [`decoded_message`](Self::decoded_message) again, with the reason when it does
    /// not have the expected shape.
    pub fn decision(
        &self,
    ) -> Result<
        crate::authorization_message::AuthorizationDecision,
        crate::authorization_message::DecodeMessageError,
    > {
        crate::authorization_message::parse_decoded_message(&self.decoded_message)
    }
}

impl Operation for DecodeAuthorizationMessage {
    type Output = DecodeAuthorizationMessageOutput;
    const ACTION: &'static str = ACTION;
    const AUTH: Auth = Auth::SigV4;
    const INPUT_MEMBERS: &'static [&'static str] = &["EncodedMessage"];
    const OUTPUT_MEMBERS: &'static [&'static str] = &["DecodedMessage"];

    fn write_form_body(&self, out: &mut String) {
        Form::start(out, ACTION).string("EncodedMessage", Some(&self.encoded_message));
    }

    fn parse_output(body: &[u8]) -> Result<DecodeAuthorizationMessageOutput, ParseError> {
        let mut decoded_message = None;
        let request_id = walk_response(
            body,
            "DecodeAuthorizationMessageResponse",
            "DecodeAuthorizationMessageResult",
            |path, t| {
                if path == "DecodedMessage" {
                    decoded_message = Some(t.trim().to_owned());
                }
                Ok(())
            },
        )?;
        let decoded_message =
            decoded_message.ok_or(ParseError::MissingElement("DecodedMessage"))?;
        Ok(DecodeAuthorizationMessageOutput {
            decision: crate::authorization_message::parse_decoded_message(&decoded_message).ok(),
            decoded_message,
            request_id,
        })
    }
}
