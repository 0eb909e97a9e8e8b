//! GetWebIdentityToken: STS signs a JWT for the caller (outbound identity federation).

use super::validation::{Checker, Problem, SCOPE_CHARS};
use super::{Auth, Form, MemberOrder, Operation, ParseError, SubjectMode, Tag, ValidationError};
use crate::secret::SecretString;
use crate::xml::{parse_timestamp, walk_response};
use time::OffsetDateTime;

const ACTION: &str = "GetWebIdentityToken";
const MEMBERS: &[&str] = &[
    "Audience",
    "DurationSeconds",
    "SigningAlgorithm",
    "Scope",
    "SubjectMode",
    "Tags",
];

/// A validated GetWebIdentityToken request. Build it with [`GetWebIdentityToken::builder`].
#[derive(Debug, Clone)]
pub struct GetWebIdentityToken {
    order: MemberOrder,
    audience: Vec<String>,
    duration_seconds: Option<i32>,
    signing_algorithm: String,
    scope: Option<String>,
    subject_mode: Option<SubjectMode>,
    tags: Option<Vec<Tag>>,
}

/// Builds a [`GetWebIdentityToken`] request; `S` is the client that will send it.
#[derive(Debug, Clone)]
pub struct GetWebIdentityTokenBuilder<S = ()> {
    sender: S,
    order: MemberOrder,
    audience: Option<Vec<String>>,
    duration_seconds: Option<i32>,
    signing_algorithm: Option<String>,
    scope: Option<String>,
    subject_mode: Option<SubjectMode>,
    tags: Option<Vec<Tag>>,
}

impl GetWebIdentityToken {
    /// A builder with nothing set.
    pub fn builder() -> GetWebIdentityTokenBuilder<()> {
        GetWebIdentityTokenBuilder::with_sender(())
    }
}

impl<S> GetWebIdentityTokenBuilder<S> {
    /// A builder with nothing set that remembers `sender`.
    pub(crate) fn with_sender(sender: S) -> Self {
        Self {
            sender,
            order: MemberOrder::default(),
            audience: None,
            duration_seconds: None,
            signing_algorithm: None,
            scope: None,
            subject_mode: None,
            tags: None,
        }
    }

    /// `Audience` (required): replaces the audiences (1..10, each 1..1000 characters).
    pub fn audiences<I: IntoIterator<Item = T>, T: Into<String>>(mut self, v: I) -> Self {
        self.order.touch(0);
        self.audience = Some(v.into_iter().map(Into::into).collect());
        self
    }

    /// Adds one audience (the JWT's `aud`).
    pub fn audience(mut self, v: impl Into<String>) -> Self {
        self.order.touch(0);
        self.audience.get_or_insert_with(Vec::new).push(v.into());
        self
    }

    /// `DurationSeconds`: 60..=3600.
    pub fn duration_seconds(mut self, v: i32) -> Self {
        self.order.touch(1);
        self.duration_seconds = Some(v);
        self
    }

    /// `SigningAlgorithm` (required): 5 characters, `RS256` or `ES384`.
    pub fn signing_algorithm(mut self, v: impl Into<String>) -> Self {
        self.order.touch(2);
        self.signing_algorithm = Some(v.into());
        self
    }

    /// `Scope`: space-separated values, 1..256 characters.
    pub fn scope(mut self, v: impl Into<String>) -> Self {
        self.order.touch(3);
        self.scope = Some(v.into());
        self
    }

    /// `SubjectMode`: where the JWT's `sub` comes from.
    pub fn subject_mode(mut self, v: SubjectMode) -> Self {
        self.order.touch(4);
        self.subject_mode = Some(v);
        self
    }

    /// `Tags`: replaces the custom claims (at most 50).
    pub fn tags(mut self, v: impl IntoIterator<Item = Tag>) -> Self {
        self.order.touch(5);
        self.tags = Some(v.into_iter().collect());
        self
    }

    /// Adds one tag (custom claim).
    pub fn tag(mut self, key: impl Into<String>, value: impl Into<String>) -> Self {
        self.order.touch(5);
        self.tags
            .get_or_insert_with(Vec::new)
            .push(Tag::new(key, value));
        self
    }

    /// Checks every member against the model and returns the request.
    pub fn build(self) -> Result<GetWebIdentityToken, ValidationError> {
        self.into_parts().1
    }

    /// The sender and the checked request.
    pub(crate) fn into_parts(self) -> (S, Result<GetWebIdentityToken, ValidationError>) {
        let sender = self.sender;
        let check = Checker::new(ACTION);
        let result = (|| {
            let audience = check.required("Audience", self.audience)?;
            check.list_size("Audience", audience.len(), 1, 10)?;
            for (i, value) in audience.iter().enumerate() {
                check.length(
                    &|| format!("Audience.member.{}", i + 1),
                    value,
                    1,
                    Some(1000),
                )?;
            }
            check.range("DurationSeconds", self.duration_seconds, 60, 3600)?;
            let signing_algorithm = check.required("SigningAlgorithm", self.signing_algorithm)?;
            check.string("SigningAlgorithm", &signing_algorithm, 5, Some(5), None)?;
            if let Some(scope) = &self.scope {
                let name = || "Scope".to_owned();
                check.length(&name, scope, 1, Some(256))?;
                // Values of SCOPE_CHARS separated by single spaces.
                if scope.split(' ').any(str::is_empty) {
                    return Err(check.error(
                        "Scope",
                        Problem::Format {
                            expected: "values separated by single spaces",
                        },
                    ));
                }
                check.chars(&name, &scope.replace(' ', "!"), SCOPE_CHARS, false)?;
            }
            check.tags("Tags", self.tags.as_deref())?;
            Ok(GetWebIdentityToken {
                order: self.order,
                audience,
                duration_seconds: self.duration_seconds,
                signing_algorithm,
                scope: self.scope,
                subject_mode: self.subject_mode,
                tags: self.tags,
            })
        })();
        (sender, result)
    }
}

/// The result of GetWebIdentityToken.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GetWebIdentityTokenOutput {
    /// The signed JWT (a secret).
    pub web_identity_token: SecretString,
    /// When the token expires.
    pub expiration: OffsetDateTime,
    /// `ResponseMetadata/RequestId`.
    pub request_id: Option<String>,
}

impl Operation for GetWebIdentityToken {
    type Output = GetWebIdentityTokenOutput;
    const ACTION: &'static str = ACTION;
    const AUTH: Auth = Auth::SigV4;
    const INPUT_MEMBERS: &'static [&'static str] = MEMBERS;
    const OUTPUT_MEMBERS: &'static [&'static str] = &["WebIdentityToken", "Expiration"];

    fn write_form_body(&self, out: &mut String) {
        let mut form = Form::start(out, ACTION);
        for member in self.order.iter() {
            let name = MEMBERS[usize::from(member)];
            match member {
                0 => form.strings(name, Some(&self.audience)),
                1 => form.int(name, self.duration_seconds),
                2 => form.string(name, Some(&self.signing_algorithm)),
                3 => form.string(name, self.scope.as_deref()),
                4 => form.string(name, self.subject_mode.map(SubjectMode::as_str)),
                _ => form.tags(name, self.tags.as_deref()),
            }
        }
    }

    fn parse_output(body: &[u8]) -> Result<GetWebIdentityTokenOutput, ParseError> {
        let (mut token, mut expiration) = (None, None);
        let request_id = walk_response(
            body,
            "GetWebIdentityTokenResponse",
            "GetWebIdentityTokenResult",
            |path, t| {
                match path {
                    "WebIdentityToken" => token = Some(SecretString::new(t.trim())),
                    "Expiration" => expiration = Some(parse_timestamp("Expiration", t)?),
                    _ => {}
                }
                Ok(())
            },
        )?;
        Ok(GetWebIdentityTokenOutput {
            web_identity_token: token.ok_or(ParseError::MissingElement("WebIdentityToken"))?,
            expiration: expiration.ok_or(ParseError::MissingElement("Expiration"))?,
            request_id,
        })
    }
}
