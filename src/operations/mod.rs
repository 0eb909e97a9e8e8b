//! The twelve STS operations: validated inputs, their form bodies, typed outputs.
//!
//! Each operation `X` has a builder (`X::builder()`), whose `build()` checks every required
//! member and every limit of the model, and returns the validated input `X`. `X` implements
//! [`Operation`]: it writes the query-protocol form body byte for byte as botocore does, and
//! parses the success response into `XOutput`.
//!
//! Members are written in the order they were first set, as botocore writes them in the order
//! the caller passed them; the body is what gets signed, so the order only has to be stable.
//!
//! ```
//! use sts_client::operations::{AssumeRole, Operation};
//! let input = AssumeRole::builder()
//!     .role_arn("arn:aws:iam::123456789012:role/demo")
//!     .role_session_name("my session")
//!     .duration_seconds(3600)
//!     .build();
//! // "my session" has a space, which RoleSessionName does not allow.
//! let err = input.unwrap_err();
//! assert_eq!(err.parameter(), "RoleSessionName");
//!
//! let input = AssumeRole::builder()
//!     .role_arn("arn:aws:iam::123456789012:role/demo")
//!     .role_session_name("ci-42")
//!     .build()
//!     .unwrap();
//! assert_eq!(
//!     input.form_body(),
//!     "Action=AssumeRole&Version=2011-06-15\
//!      &RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=ci-42"
//! );
//! ```

mod assume_role;
mod assume_role_with_saml;
mod assume_role_with_web_identity;
mod assume_root;
mod decode_authorization_message;
mod get_access_key_info;
mod get_caller_identity;
mod get_delegated_access_token;
mod get_federation_token;
mod get_scoped_credentials;
mod get_session_token;
mod get_web_identity_token;
mod types;
pub mod validation;

pub use crate::xml::ParseError;
pub use assume_role::{AssumeRole, AssumeRoleBuilder, AssumeRoleOutput};
pub use assume_role_with_saml::{
    AssumeRoleWithSaml, AssumeRoleWithSamlBuilder, AssumeRoleWithSamlOutput,
};
pub use assume_role_with_web_identity::{
    AssumeRoleWithWebIdentity, AssumeRoleWithWebIdentityBuilder, AssumeRoleWithWebIdentityOutput,
};
pub use assume_root::{AssumeRoot, AssumeRootBuilder, AssumeRootOutput};
pub use decode_authorization_message::{
    DecodeAuthorizationMessage, DecodeAuthorizationMessageBuilder, DecodeAuthorizationMessageOutput,
};
pub use get_access_key_info::{GetAccessKeyInfo, GetAccessKeyInfoBuilder, GetAccessKeyInfoOutput};
pub use get_caller_identity::{
    GetCallerIdentity, GetCallerIdentityBuilder, GetCallerIdentityOutput,
};
pub use get_delegated_access_token::{
    GetDelegatedAccessToken, GetDelegatedAccessTokenBuilder, GetDelegatedAccessTokenOutput,
};
pub use get_federation_token::{
    GetFederationToken, GetFederationTokenBuilder, GetFederationTokenOutput,
};
pub use get_scoped_credentials::{
    GetScopedCredentials, GetScopedCredentialsBuilder, GetScopedCredentialsOutput,
};
pub use get_session_token::{GetSessionToken, GetSessionTokenBuilder, GetSessionTokenOutput};
pub use get_web_identity_token::{
    GetWebIdentityToken, GetWebIdentityTokenBuilder, GetWebIdentityTokenOutput,
};
pub use types::{
    AssumedRoleUser, FederatedUser, OriginIdentity, ProvidedContext, ScopedSession, SubjectMode,
    Tag, TransactionContext, TrustedIdentityPropagationContext,
};
pub use validation::{Problem, ValidationError};

use crate::encoding::form_urlencode_into;
use crate::secret::SecretString;
use crate::Credentials;
use std::fmt::Write as _;
use time::OffsetDateTime;

/// The STS API version sent with every request.
pub const API_VERSION: &str = "2011-06-15";

/// How a request for an operation is authenticated.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Auth {
    /// Signed with SigV4 (every operation but two).
    SigV4,
    /// Sent unsigned: AssumeRoleWithSAML and AssumeRoleWithWebIdentity, whose assertion or
    /// token is the credential.
    None,
}

/// A validated STS request: what the client needs to send it and read the answer.
pub trait Operation {
    /// The typed result.
    type Output;
    /// The action name (`AssumeRole`).
    const ACTION: &'static str;
    /// How the request is authenticated.
    const AUTH: Auth;
    /// Wire names of the model's input members this type handles, in model order.
    const INPUT_MEMBERS: &'static [&'static str];
    /// Wire names of the model's output members this type parses, in model order.
    const OUTPUT_MEMBERS: &'static [&'static str];

    /// Appends the whole form body: `Action=…&Version=2011-06-15&…`.
    fn write_form_body(&self, out: &mut String);

    /// The whole form body as a new string.
    fn form_body(&self) -> String {
        let mut out = String::with_capacity(128);
        self.write_form_body(&mut out);
        out
    }

    /// Parses a success (2xx) response body.
    fn parse_output(body: &[u8]) -> Result<Self::Output, ParseError>;
}

/// The members set on a builder, in the order they were first set (indices into the
/// operation's `INPUT_MEMBERS`).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct MemberOrder {
    slots: [u8; 16],
    len: u8,
}

impl MemberOrder {
    /// Records that `member` was set; a member set again keeps its first place.
    pub(crate) fn touch(&mut self, member: u8) {
        let len = usize::from(self.len);
        if !self.slots[..len].contains(&member) && len < self.slots.len() {
            self.slots[len] = member;
            self.len += 1;
        }
    }

    pub(crate) fn iter(&self) -> impl Iterator<Item = u8> + '_ {
        self.slots[..usize::from(self.len)].iter().copied()
    }
}

/// Writes `name=value` pairs of a form body.
pub(crate) struct Form<'a> {
    out: &'a mut String,
}

impl<'a> Form<'a> {
    /// Starts a body with `Action` and `Version`.
    pub(crate) fn start(out: &'a mut String, action: &str) -> Self {
        out.push_str("Action=");
        out.push_str(action);
        out.push_str("&Version=");
        out.push_str(API_VERSION);
        Self { out }
    }

    fn key(&mut self, name: &str) {
        self.out.push('&');
        self.out.push_str(name);
        self.out.push('=');
    }

    fn member_key(&mut self, list: &str, index: usize, field: Option<&str>) {
        self.out.push('&');
        self.out.push_str(list);
        self.out.push_str(".member.");
        let _ = write!(self.out, "{}", index + 1);
        if let Some(field) = field {
            self.out.push('.');
            self.out.push_str(field);
        }
        self.out.push('=');
    }

    pub(crate) fn string(&mut self, name: &str, value: Option<&str>) {
        if let Some(value) = value {
            self.key(name);
            form_urlencode_into(self.out, value);
        }
    }

    pub(crate) fn secret(&mut self, name: &str, value: Option<&SecretString>) {
        self.string(name, value.map(SecretString::expose));
    }

    pub(crate) fn int(&mut self, name: &str, value: Option<i32>) {
        if let Some(value) = value {
            self.key(name);
            let _ = write!(self.out, "{value}");
        }
    }

    /// A list of scalars; an explicitly empty list is sent as `Name=`.
    pub(crate) fn strings(&mut self, name: &str, values: Option<&[String]>) {
        match values {
            Some([]) => self.key(name),
            Some(values) => {
                for (i, value) in values.iter().enumerate() {
                    self.member_key(name, i, None);
                    form_urlencode_into(self.out, value);
                }
            }
            None => {}
        }
    }

    /// `PolicyArns.member.N.arn`.
    pub(crate) fn policy_arns(&mut self, name: &str, arns: Option<&[String]>) {
        match arns {
            Some([]) => self.key(name),
            Some(arns) => {
                for (i, arn) in arns.iter().enumerate() {
                    self.member_key(name, i, Some("arn"));
                    form_urlencode_into(self.out, arn);
                }
            }
            None => {}
        }
    }

    /// `Tags.member.N.Key` and `.Value`.
    pub(crate) fn tags(&mut self, name: &str, tags: Option<&[Tag]>) {
        match tags {
            Some([]) => self.key(name),
            Some(tags) => {
                for (i, tag) in tags.iter().enumerate() {
                    self.member_key(name, i, Some("Key"));
                    form_urlencode_into(self.out, &tag.key);
                    self.member_key(name, i, Some("Value"));
                    form_urlencode_into(self.out, &tag.value);
                }
            }
            None => {}
        }
    }

    /// `ProvidedContexts.member.N.ProviderArn` and `.ContextAssertion`.
    pub(crate) fn provided_contexts(&mut self, name: &str, contexts: Option<&[ProvidedContext]>) {
        match contexts {
            Some([]) => self.key(name),
            Some(contexts) => {
                for (i, context) in contexts.iter().enumerate() {
                    self.member_key(name, i, Some("ProviderArn"));
                    form_urlencode_into(self.out, &context.provider_arn);
                    self.member_key(name, i, Some("ContextAssertion"));
                    form_urlencode_into(self.out, &context.context_assertion);
                }
            }
            None => {}
        }
    }
}

/// Collects `Credentials/…` while a response is walked.
#[derive(Default)]
pub(crate) struct CredentialsParts {
    seen: bool,
    access_key_id: Option<String>,
    secret_access_key: Option<SecretString>,
    session_token: Option<SecretString>,
    expiration: Option<OffsetDateTime>,
}

impl CredentialsParts {
    /// Takes a path below the result wrapper; returns whether it was a credentials member.
    pub(crate) fn visit(&mut self, path: &str, text: &str) -> Result<bool, ParseError> {
        let Some(rest) = path.strip_prefix("Credentials") else {
            return Ok(false);
        };
        match rest {
            "" => self.seen = true,
            "/AccessKeyId" => self.access_key_id = Some(text.trim().to_owned()),
            "/SecretAccessKey" => self.secret_access_key = Some(SecretString::new(text.trim())),
            "/SessionToken" => self.session_token = Some(SecretString::new(text.trim())),
            "/Expiration" => {
                self.expiration = Some(crate::xml::parse_timestamp("Credentials/Expiration", text)?)
            }
            _ => return Ok(false),
        }
        Ok(true)
    }

    /// The credentials; every member is required. `arn` is the principal's ARN, if the
    /// response has one, to fill in the account id.
    pub(crate) fn finish(self, arn: Option<&str>) -> Result<Credentials, ParseError> {
        if !self.seen {
            return Err(ParseError::MissingElement("Credentials"));
        }
        let access_key_id = self
            .access_key_id
            .ok_or(ParseError::MissingElement("Credentials/AccessKeyId"))?;
        let secret = self
            .secret_access_key
            .ok_or(ParseError::MissingElement("Credentials/SecretAccessKey"))?;
        let token = self
            .session_token
            .ok_or(ParseError::MissingElement("Credentials/SessionToken"))?;
        let expiration = self
            .expiration
            .ok_or(ParseError::MissingElement("Credentials/Expiration"))?;
        let mut credentials = Credentials::new(access_key_id, secret)
            .with_session_token(token)
            .with_expiration(expiration);
        if let Some(account) = arn.and_then(account_id_from_arn) {
            credentials = credentials.with_account_id(account);
        }
        Ok(credentials)
    }
}

/// The account id field of an ARN (`arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE`), when it
/// is 12 digits.
pub(crate) fn account_id_from_arn(arn: &str) -> Option<&str> {
    let mut fields = arn.splitn(6, ':');
    if fields.next()? != "arn" {
        return None;
    }
    let account = fields.nth(3)?;
    fields.next()?;
    (account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit())).then_some(account)
}

/// Collects a two-member identity structure (`AssumedRoleUser`, `FederatedUser`,
/// `SessionInfo`): an id element and `Arn`, both required.
pub(crate) struct IdentityParts {
    element: &'static str,
    id_path: &'static str,
    arn_path: &'static str,
    seen: bool,
    id: Option<String>,
    arn: Option<String>,
}

impl IdentityParts {
    /// `element` is the structure's name, `id_path` and `arn_path` its members' full paths.
    pub(crate) fn new(
        element: &'static str,
        id_path: &'static str,
        arn_path: &'static str,
    ) -> Self {
        Self {
            element,
            id_path,
            arn_path,
            seen: false,
            id: None,
            arn: None,
        }
    }

    pub(crate) fn visit(&mut self, path: &str, text: &str) -> bool {
        if path == self.element {
            self.seen = true;
        } else if path == self.id_path {
            self.id = Some(text.trim().to_owned());
        } else if path == self.arn_path {
            self.arn = Some(text.trim().to_owned());
        } else {
            return false;
        }
        true
    }

    pub(crate) fn arn(&self) -> Option<&str> {
        self.arn.as_deref()
    }

    /// `(id, arn)`, or which one is missing.
    pub(crate) fn finish(self) -> Result<(String, String), ParseError> {
        if !self.seen {
            return Err(ParseError::MissingElement(self.element));
        }
        let id = self.id.ok_or(ParseError::MissingElement(self.id_path))?;
        let arn = self.arn.ok_or(ParseError::MissingElement(self.arn_path))?;
        Ok((id, arn))
    }
}

/// Text of an optional string member.
pub(crate) fn text(text: &str) -> Option<String> {
    Some(text.trim().to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_id_comes_from_the_fifth_arn_field() {
        assert_eq!(
            account_id_from_arn("arn:aws:sts::111122223333:assumed-role/R/s"),
            Some("111122223333")
        );
        assert_eq!(account_id_from_arn("arn:aws:iam::aws:policy/x"), None);
        assert_eq!(account_id_from_arn("arn:aws:sts::111122223333"), None);
        assert_eq!(account_id_from_arn("nope"), None);
    }

    #[test]
    fn member_order_keeps_first_position() {
        let mut order = MemberOrder::default();
        for m in [3, 1, 3, 0] {
            order.touch(m);
        }
        assert_eq!(order.iter().collect::<Vec<_>>(), vec![3, 1, 0]);
    }
}
