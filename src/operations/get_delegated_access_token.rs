//! GetDelegatedAccessToken: credentials for the principal a trade-in token represents.

use super::validation::Checker;
use super::{
    text, Auth, CredentialsParts, Form, MemberOrder, Operation, ParseError, ValidationError,
};
use crate::secret::SecretString;
use crate::xml::{parse_i32, walk_response};
use crate::Credentials;

const ACTION: &str = "GetDelegatedAccessToken";

/// A validated GetDelegatedAccessToken request.
#[derive(Debug, Clone)]
pub struct GetDelegatedAccessToken {
    trade_in_token: SecretString,
}

/// Builds a [`GetDelegatedAccessToken`] request; `S` is the client that will send it.
#[derive(Debug, Clone)]
pub struct GetDelegatedAccessTokenBuilder<S = ()> {
    sender: S,
    order: MemberOrder,
    trade_in_token: Option<SecretString>,
}

impl GetDelegatedAccessToken {
    /// A builder with nothing set.
    pub fn builder() -> GetDelegatedAccessTokenBuilder<()> {
        GetDelegatedAccessTokenBuilder::with_sender(())
    }
}

impl<S> GetDelegatedAccessTokenBuilder<S> {
    /// A builder with nothing set that remembers `sender`.
    pub(crate) fn with_sender(sender: S) -> Self {
        Self {
            sender,
            order: MemberOrder::default(),
            trade_in_token: None,
        }
    }

    /// `TradeInToken` (required, secret).
    pub fn trade_in_token(mut self, v: impl Into<SecretString>) -> Self {
        self.order.touch(0);
        self.trade_in_token = Some(v.into());
        self
    }

    /// Checks every member against the model and returns the request.
    pub fn build(self) -> Result<GetDelegatedAccessToken, ValidationError> {
        self.into_parts().1
    }

    /// The sender and the checked request.
    pub(crate) fn into_parts(self) -> (S, Result<GetDelegatedAccessToken, ValidationError>) {
        let check = Checker::new(ACTION);
        let result = check
            .required("TradeInToken", self.trade_in_token)
            .map(|trade_in_token| GetDelegatedAccessToken { trade_in_token });
        (self.sender, result)
    }
}

/// The result of GetDelegatedAccessToken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetDelegatedAccessTokenOutput {
    /// The temporary credentials, with expiration (and the account id from `AssumedPrincipal`).
    pub credentials: Credentials,
    /// Deprecated and never populated for this operation.
    pub packed_policy_size: Option<i32>,
    /// The ARN of the principal the credentials belong to.
    pub assumed_principal: Option<String>,
    /// `ResponseMetadata/RequestId`.
    pub request_id: Option<String>,
}

impl Operation for GetDelegatedAccessToken {
    type Output = GetDelegatedAccessTokenOutput;
    const ACTION: &'static str = ACTION;
    const AUTH: Auth = Auth::SigV4;
    const INPUT_MEMBERS: &'static [&'static str] = &["TradeInToken"];
    const OUTPUT_MEMBERS: &'static [&'static str] =
        &["Credentials", "PackedPolicySize", "AssumedPrincipal"];

    fn write_form_body(&self, out: &mut String) {
        Form::start(out, ACTION).secret("TradeInToken", Some(&self.trade_in_token));
    }

    fn parse_output(body: &[u8]) -> Result<GetDelegatedAccessTokenOutput, ParseError> {
        let mut credentials = CredentialsParts::default();
        let (mut packed_policy_size, mut assumed_principal) = (None, None);
        let request_id = walk_response(
            body,
            "GetDelegatedAccessTokenResponse",
            "GetDelegatedAccessTokenResult",
            |path, t| {
                if credentials.visit(path, t)? {
                    return Ok(());
                }
                match path {
                    "PackedPolicySize" => {
                        packed_policy_size = Some(parse_i32("PackedPolicySize", t)?)
                    }
                    "AssumedPrincipal" => assumed_principal = text(t),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(GetDelegatedAccessTokenOutput {
            credentials: credentials.finish(assumed_principal.as_deref())?,
            packed_policy_size,
            assumed_principal,
            request_id,
        })
    }
}
