//! Errors returned by the STS service, and the parser for its error documents.
//!
//! An STS error arrives as an HTTP status plus an XML body. [`parse_error_response`] turns that
//! pair into a [`ServiceError`] that always carries the status and, when the body could be read,
//! the wire [`ErrorCode`], message, fault and request id. The classifiers on [`ServiceError`]
//! ([`is_retryable`](ServiceError::is_retryable), [`is_throttling`](ServiceError::is_throttling),
//! [`is_clock_skew`](ServiceError::is_clock_skew), ...) decide by code, and fall back on the
//! status only when the code is unknown.
//!
//! ```
//! use sts_client::error::{parse_error_response, ErrorCode};
//!
//! let body = br#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
//!   <Error><Type>Sender</Type><Code>Throttling</Code><Message>Rate exceeded</Message></Error>
//!   <RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId>
//! </ErrorResponse>"#;
//! let err = parse_error_response("AssumeRole", 400, None, body);
//! assert_eq!(err.code(), &ErrorCode::Throttling);
//! assert!(err.is_throttling() && err.is_retryable());
//! assert_eq!(
//!     err.to_string(),
//!     "AssumeRole failed: Throttling (400): Rate exceeded [request id c6104cbe-af31-11e0-8154-cbc7ccf896c7]"
//! );
//! ```

use std::fmt;

use quick_xml::events::Event;
use quick_xml::Reader;
use time::OffsetDateTime;

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = $wire:literal, $status:expr; )*) => {
        /// The `<Code>` of an STS error document, one variant per wire code a caller can meet.
        ///
        /// Variant names follow the wire code (not the SDK shape name): the modeled
        /// `InvalidContextAssertionException` shape arrives as `InvalidContextAssertion`, so its
        /// variant is [`ErrorCode::InvalidContextAssertion`]. Codes this crate does not know are
        /// kept as sent in [`ErrorCode::Unknown`]. A response whose body carried no readable code
        /// at all gets [`ErrorCode::Unparsed`].
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant, )*
            /// No error code could be read: the body was empty, not XML, truncated, or XML
            /// without an `Error/Code` element. [`ServiceError::unparsed_body`] says which, and
            /// [`ServiceError::body_snippet`] holds the start of the body. Never produced by
            /// [`ErrorCode::from_wire`]; its [`as_str`](ErrorCode::as_str) is `"<unparsed>"`,
            /// which no wire code can collide with.
            Unparsed,
            /// A code this crate does not know, exactly as the server sent it.
            Unknown(String),
        }

        impl ErrorCode {
            /// Every named variant (all but [`Unparsed`](ErrorCode::Unparsed) and
            /// [`Unknown`](ErrorCode::Unknown)), in declaration order.
            pub const KNOWN: &'static [ErrorCode] = &[ $( ErrorCode::$variant, )* ];

            /// Maps a wire code (the text of `<Code>`) to its variant; unknown codes become
            /// [`ErrorCode::Unknown`]. Matching is exact (wire codes are case-sensitive).
            ///
            /// ```
            /// use sts_client::error::ErrorCode;
            /// assert_eq!(ErrorCode::from_wire("IDPRejectedClaim"), ErrorCode::IdpRejectedClaim);
            /// assert_eq!(ErrorCode::from_wire("Nope"), ErrorCode::Unknown("Nope".into()));
            /// ```
            pub fn from_wire(code: &str) -> Self {
                match code {
                    $( $wire => ErrorCode::$variant, )*
                    other => ErrorCode::Unknown(other.to_owned()),
                }
            }

            /// The wire code; `ErrorCode::from_wire(c.as_str()) == c` for every code that
            /// `from_wire` returns.
            pub fn as_str(&self) -> &str {
                match self {
                    $( ErrorCode::$variant => $wire, )*
                    ErrorCode::Unparsed => "<unparsed>",
                    ErrorCode::Unknown(code) => code,
                }
            }

            /// The HTTP status the reference documents for this code, where it names a single
            /// one. Codes whose documented status varies between AWS's pages (for example
            /// `IncompleteSignature`, 400 or 403) return `None`. A hint only: decide by code.
            pub fn expected_status(&self) -> Option<u16> {
                match self {
                    $( ErrorCode::$variant => $status, )*
                    ErrorCode::Unparsed | ErrorCode::Unknown(_) => None,
                }
            }
        }
    };
}

error_codes! {
    // Modeled STS errors (reference §1.2): all Sender faults.
    /// The policy document is not valid JSON or breaks the policy grammar (modeled, 400).
    MalformedPolicyDocument = "MalformedPolicyDocument", Some(400);
    /// The packed session policies and tags are too large (modeled, 400).
    PackedPolicyTooLarge = "PackedPolicyTooLarge", Some(400);
    /// STS is not activated in the requested region for this account (modeled, 403).
    RegionDisabledException = "RegionDisabledException", Some(403);
    /// A token passed in the request (web identity token, SAML assertion, root task policy
    /// token) has expired or is invalid (modeled, 400). Not the signing session token: that is
    /// [`ErrorCode::ExpiredToken`].
    ExpiredTokenException = "ExpiredTokenException", Some(400);
    /// The context assertion (`ProvidedContexts`) could not be verified (modeled, 400).
    InvalidContextAssertion = "InvalidContextAssertion", Some(400);
    /// The identity provider rejected a claim in the token (modeled, 403).
    IdpRejectedClaim = "IDPRejectedClaim", Some(403);
    /// STS could not reach the identity provider; retryable (modeled, 400).
    IdpCommunicationError = "IDPCommunicationError", Some(400);
    /// The web identity token or SAML assertion is invalid (modeled, 400).
    InvalidIdentityToken = "InvalidIdentityToken", Some(400);
    /// The encoded authorization message is malformed or expired (modeled, 400).
    InvalidAuthorizationMessageException = "InvalidAuthorizationMessageException", Some(400);
    /// The trade-in token of GetDelegatedAccessToken has expired (modeled, 400).
    ExpiredTradeInTokenException = "ExpiredTradeInTokenException", Some(400);
    /// The subject credentials expire too soon for the requested duration (modeled, 400).
    InsufficientSessionLifetime = "InsufficientSessionLifetime", Some(400);
    /// The subject credentials of GetScopedCredentials are invalid (modeled, 400).
    InvalidSubjectCredentials = "InvalidSubjectCredentials", Some(400);
    /// The web identity token's payload would be too large (modeled, 400).
    JwtPayloadSizeExceededException = "JWTPayloadSizeExceededException", Some(400);
    /// Outbound web identity federation is disabled for the account (modeled, 403).
    OutboundWebIdentityFederationDisabledException =
        "OutboundWebIdentityFederationDisabledException", Some(403);
    /// The requested duration exceeds what the caller's session allows (modeled, 403).
    SessionDurationEscalationException = "SessionDurationEscalationException", Some(403);

    // Errors any AWS query API can return (reference §5.3).
    /// Not authorized, or a failed MFA check (403). STS's spelling.
    AccessDenied = "AccessDenied", Some(403);
    /// The generic spelling of [`ErrorCode::AccessDenied`] (400 or 403).
    AccessDeniedException = "AccessDeniedException", None;
    /// The session token that signed the request has expired (403): refresh the credentials.
    ExpiredToken = "ExpiredToken", Some(403);
    /// The signature or Authorization header is malformed (400 or 403).
    IncompleteSignature = "IncompleteSignature", None;
    /// Unknown server error (500); transient.
    InternalFailure = "InternalFailure", Some(500);
    /// Unknown Action, or the wrong Version (400).
    InvalidAction = "InvalidAction", Some(400);
    /// The access key id is unknown or the session token is invalid (403).
    InvalidClientTokenId = "InvalidClientTokenId", Some(403);
    /// Parameters that cannot be combined (400).
    InvalidParameterCombination = "InvalidParameterCombination", Some(400);
    /// A parameter value is invalid or out of range (400).
    InvalidParameterValue = "InvalidParameterValue", Some(400);
    /// The query string is malformed (400).
    InvalidQueryParameter = "InvalidQueryParameter", Some(400);
    /// The query string has a syntax error (404).
    MalformedQueryString = "MalformedQueryString", Some(404);
    /// No Action parameter (400).
    MissingAction = "MissingAction", Some(400);
    /// The request was not signed (403).
    MissingAuthenticationToken = "MissingAuthenticationToken", Some(403);
    /// A required parameter is absent (400).
    MissingParameter = "MissingParameter", Some(400);
    /// No permission (400 or 401).
    NotAuthorized = "NotAuthorized", None;
    /// The account is not subscribed to the service (403).
    OptInRequired = "OptInRequired", Some(403);
    /// The request's date stamp is too far from server time, or a presigned URL expired (400).
    RequestExpired = "RequestExpired", Some(400);
    /// Temporary server failure (503); transient.
    ServiceUnavailable = "ServiceUnavailable", Some(503);
    /// The signature is wrong; STS also uses it for clock skew ("Signature expired: ...") (403).
    SignatureDoesNotMatch = "SignatureDoesNotMatch", Some(403);
    /// Rate limit hit, STS/IAM spelling (400); throttling.
    Throttling = "Throttling", Some(400);
    /// Rate limit hit, generic spelling (400); throttling.
    ThrottlingException = "ThrottlingException", Some(400);
    /// A member broke a model constraint (400).
    ValidationError = "ValidationError", Some(400);
    /// The access key id is not recognized (403), JSON-protocol spelling.
    UnrecognizedClientException = "UnrecognizedClientException", Some(403);
    /// Unknown operation (404), JSON-protocol spelling.
    UnknownOperationException = "UnknownOperationException", Some(404);
    /// The request timed out (408); transient.
    RequestTimeoutException = "RequestTimeoutException", Some(408);
    /// The HTTP request is malformed (400).
    MalformedHttpRequestException = "MalformedHttpRequestException", Some(400);
    /// The request body is too large (413).
    RequestEntityTooLargeException = "RequestEntityTooLargeException", Some(413);
    /// The request was aborted (400).
    RequestAbortedException = "RequestAbortedException", Some(400);

    // Codes the SDKs retry (reference §5.4).
    /// The request timed out; transient.
    RequestTimeout = "RequestTimeout", None;
    /// A previous request is still in progress; transient and throttling.
    PriorRequestNotComplete = "PriorRequestNotComplete", None;
    /// Smithy's transient timeout code.
    TimeoutError = "TimeoutError", None;
    /// Throttling code.
    ThrottledException = "ThrottledException", None;
    /// Throttling code.
    RequestThrottledException = "RequestThrottledException", None;
    /// Throttling code.
    TooManyRequestsException = "TooManyRequestsException", None;
    /// Throttling code.
    ProvisionedThroughputExceededException = "ProvisionedThroughputExceededException", None;
    /// Throttling code.
    TransactionInProgressException = "TransactionInProgressException", None;
    /// Throttling code.
    RequestLimitExceeded = "RequestLimitExceeded", None;
    /// Throttling code.
    BandwidthLimitExceeded = "BandwidthLimitExceeded", None;
    /// Throttling code.
    LimitExceededException = "LimitExceededException", None;
    /// Throttling code.
    RequestThrottled = "RequestThrottled", None;
    /// Throttling code.
    SlowDown = "SlowDown", None;
    /// Throttling code.
    Ec2ThrottledException = "EC2ThrottledException", None;

    // Clock-skew codes (reference §10).
    /// The request time is too far from server time.
    RequestTimeTooSkewed = "RequestTimeTooSkewed", None;
    /// The request time is in the future.
    RequestInTheFuture = "RequestInTheFuture", None;
    /// The signature is invalid (JSON-protocol spelling; also used for skew).
    InvalidSignatureException = "InvalidSignatureException", None;
    /// Authentication failed (EC2 spelling; also used for skew).
    AuthFailure = "AuthFailure", None;
}

impl ErrorCode {
    /// Whether this is one of the named variants (not `Unknown` or `Unparsed`).
    pub fn is_known(&self) -> bool {
        !matches!(self, ErrorCode::Unknown(_) | ErrorCode::Unparsed)
    }

    /// Codes the SDKs treat as throttling (reference §5.4).
    fn is_throttling_code(&self) -> bool {
        use ErrorCode::*;
        matches!(
            self,
            Throttling
                | ThrottlingException
                | ThrottledException
                | RequestThrottledException
                | TooManyRequestsException
                | ProvisionedThroughputExceededException
                | TransactionInProgressException
                | RequestLimitExceeded
                | BandwidthLimitExceeded
                | LimitExceededException
                | RequestThrottled
                | SlowDown
                | PriorRequestNotComplete
                | Ec2ThrottledException
        )
    }

    /// Codes that name a transient server-side condition.
    fn is_transient_code(&self) -> bool {
        use ErrorCode::*;
        matches!(
            self,
            RequestTimeout
                | RequestTimeoutException
                | PriorRequestNotComplete
                | TimeoutError
                | InternalFailure
                | ServiceUnavailable
        )
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Who the service blames: the `<Type>` of the error document.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Fault {
    /// The request was at fault (`Sender`, or a 4xx status when `<Type>` is absent).
    Sender,
    /// The service was at fault (`Receiver`, or a 5xx status when `<Type>` is absent).
    Receiver,
    /// Neither the body nor the status says.
    Unknown,
}

impl Fault {
    fn from_status(status: u16) -> Self {
        match status {
            400..=499 => Fault::Sender,
            500..=599 => Fault::Receiver,
            _ => Fault::Unknown,
        }
    }
}

/// Why a response body yielded no error code ([`ErrorCode::Unparsed`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum UnparsedBody {
    /// The body was empty or only whitespace.
    Empty,
    /// The body is not well-formed XML: HTML, truncated, garbage, an undeclared entity.
    NotXml,
    /// Well-formed XML, but no `Error/Code` element (or nested deeper than the parser reads).
    NoErrorCode,
}

/// An error response from STS: the operation, the HTTP status and what the body said.
///
/// Built by [`parse_error_response`]. It never holds request inputs, so it carries no secrets.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct ServiceError {
    action: &'static str,
    code: ErrorCode,
    message: Option<String>,
    status: u16,
    fault: Fault,
    request_id: Option<String>,
    server_time: Option<OffsetDateTime>,
    clock_drift: Option<time::Duration>,
    unparsed_body: Option<UnparsedBody>,
    body_snippet: Option<String>,
}

impl ServiceError {
    /// An error for `action` with the given status and code; the fault is inferred from the
    /// status. Use the `with_*` methods to add the rest.
    ///
    /// ```
    /// use sts_client::error::{ErrorCode, Fault, ServiceError};
    /// let err = ServiceError::new("GetSessionToken", 403, ErrorCode::ExpiredToken)
    ///     .with_message("The security token included in the request is expired");
    /// assert_eq!(err.fault(), Fault::Sender);
    /// assert!(err.is_expired_credentials());
    /// ```
    pub fn new(action: &'static str, status: u16, code: ErrorCode) -> Self {
        ServiceError {
            action,
            code,
            message: None,
            status,
            fault: Fault::from_status(status),
            request_id: None,
            server_time: None,
            clock_drift: None,
            unparsed_body: None,
            body_snippet: None,
        }
    }

    /// Sets the message.
    pub fn with_message(mut self, message: impl Into<String>) -> Self {
        self.message = Some(message.into());
        self
    }

    /// Sets the request id.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }

    /// Sets the fault.
    pub fn with_fault(mut self, fault: Fault) -> Self {
        self.fault = fault;
        self
    }

    /// Records the server time, read by the caller from the response's `Date` header, so that
    /// clock skew can be diagnosed and corrected.
    pub fn with_server_time(mut self, server_time: OffsetDateTime) -> Self {
        self.server_time = Some(server_time);
        self
    }

    /// The operation that failed, e.g. `"AssumeRole"`.
    pub fn action(&self) -> &'static str {
        self.action
    }

    /// The error code.
    pub fn code(&self) -> &ErrorCode {
        &self.code
    }

    /// The `<Message>`, if the body had one.
    pub fn message(&self) -> Option<&str> {
        self.message.as_deref()
    }

    /// The HTTP status code.
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The fault: from `<Type>` when present, else inferred from the status.
    pub fn fault(&self) -> Fault {
        self.fault
    }

    /// The request id: the body's `RequestId`, else the `x-amzn-requestid` header.
    pub fn request_id(&self) -> Option<&str> {
        self.request_id.as_deref()
    }

    /// The server time from the response's `Date` header, if the caller recorded it.
    pub fn server_time(&self) -> Option<OffsetDateTime> {
        self.server_time
    }

    /// Records how far the local clock was from the server's when this error came back
    /// (server minus local, before any correction), as the client measured it.
    pub fn with_clock_drift(mut self, drift: time::Duration) -> Self {
        self.clock_drift = Some(drift);
        self
    }

    /// How far the local clock was from the server's (server minus local), when measured.
    /// A clock-skew error's `Display` states it, so the user sees what to fix.
    pub fn clock_drift(&self) -> Option<time::Duration> {
        self.clock_drift
    }

    /// Why no error code could be read, when [`code`](Self::code) is [`ErrorCode::Unparsed`].
    pub fn unparsed_body(&self) -> Option<UnparsedBody> {
        self.unparsed_body
    }

    /// For a body without an error code: its first characters, with control characters and
    /// runs of whitespace turned into single spaces (at most [`SNIPPET_MAX_CHARS`] characters).
    pub fn body_snippet(&self) -> Option<&str> {
        self.body_snippet.as_deref()
    }

    /// Whether a retry may succeed: a throttling or transient code, `IDPCommunicationError`, or,
    /// when the code is unknown or unreadable, HTTP 500, 502, 503, 504 or 429.
    ///
    /// A known code decides on its own: `ExpiredToken`, `InvalidClientTokenId`, `AccessDenied`,
    /// `ValidationError` and the modeled errors other than `IDPCommunicationError` are never
    /// retryable, whatever the status.
    pub fn is_retryable(&self) -> bool {
        self.is_throttling() || self.is_transient() || self.code == ErrorCode::IdpCommunicationError
    }

    /// Whether the service asked the caller to slow down: a throttling code, or HTTP 429 with an
    /// unknown or unreadable code. Throttling retries use a longer backoff.
    pub fn is_throttling(&self) -> bool {
        self.code.is_throttling_code() || (!self.code.is_known() && self.status == 429)
    }

    /// Whether the failure is transient on the server side: a transient code (`InternalFailure`,
    /// `ServiceUnavailable`, `RequestTimeout`, ...), or HTTP 500/502/503/504 with an unknown or
    /// unreadable code.
    pub fn is_transient(&self) -> bool {
        self.code.is_transient_code()
            || (!self.code.is_known() && matches!(self.status, 500 | 502 | 503 | 504))
    }

    /// Whether the error may come from a skewed local clock: `RequestExpired`,
    /// `RequestTimeTooSkewed`, `RequestInTheFuture`, `InvalidSignatureException`, `AuthFailure`,
    /// or `SignatureDoesNotMatch` whose message says "Signature expired" or "Signature not yet
    /// current". Decided by code and message only; the caller should also compare
    /// [`server_time`](Self::server_time) with its clock before correcting and retrying.
    pub fn is_clock_skew(&self) -> bool {
        use ErrorCode::*;
        match &self.code {
            RequestExpired
            | RequestTimeTooSkewed
            | RequestInTheFuture
            | InvalidSignatureException
            | AuthFailure => true,
            SignatureDoesNotMatch => self.message.as_deref().is_some_and(|m| {
                m.contains("Signature expired") || m.contains("Signature not yet current")
            }),
            _ => false,
        }
    }

    /// Whether the credentials that signed the request have expired (`ExpiredToken`): refresh
    /// them, then retry.
    ///
    /// The modeled `ExpiredTokenException` is deliberately not included: it is about a token
    /// passed *in* the request (a web identity token or SAML assertion), which new signing
    /// credentials do not fix; see [`is_expired_input_token`](Self::is_expired_input_token).
    pub fn is_expired_credentials(&self) -> bool {
        self.code == ErrorCode::ExpiredToken
    }

    /// Whether a token passed in the request has expired: `ExpiredTokenException` (web identity
    /// token, SAML assertion) or `ExpiredTradeInTokenException`. A provider that reads the token
    /// from a file may re-read it and try again.
    pub fn is_expired_input_token(&self) -> bool {
        matches!(
            self.code,
            ErrorCode::ExpiredTokenException | ErrorCode::ExpiredTradeInTokenException
        )
    }

    /// Whether the service rejected who signed the request, rather than what they may do:
    /// `InvalidClientTokenId`, `SignatureDoesNotMatch`, `IncompleteSignature`,
    /// `MissingAuthenticationToken`, `UnrecognizedClientException`, `InvalidSignatureException`,
    /// `AuthFailure` or `ExpiredToken`. Authorization failures (`AccessDenied`, `NotAuthorized`)
    /// are not included.
    pub fn is_authentication_failure(&self) -> bool {
        use ErrorCode::*;
        matches!(
            self.code,
            InvalidClientTokenId
                | SignatureDoesNotMatch
                | IncompleteSignature
                | MissingAuthenticationToken
                | UnrecognizedClientException
                | InvalidSignatureException
                | AuthFailure
                | ExpiredToken
        )
    }
}

impl fmt::Display for ServiceError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} failed: ", self.action)?;
        match self.unparsed_body {
            None => {
                write!(f, "{} ({})", self.code, self.status)?;
                if let Some(message) = &self.message {
                    write!(f, ": {message}")?;
                }
            }
            Some(UnparsedBody::Empty) => write!(f, "HTTP {} with an empty body", self.status)?,
            Some(UnparsedBody::NotXml) => {
                write!(f, "HTTP {} with a non-XML body", self.status)?;
                write_snippet(f, self.body_snippet.as_deref())?;
            }
            Some(UnparsedBody::NoErrorCode) => {
                write!(f, "HTTP {} with no error code in the body", self.status)?;
                write_snippet(f, self.body_snippet.as_deref())?;
            }
        }
        if let Some(request_id) = &self.request_id {
            write!(f, " [request id {request_id}]")?;
        }
        if let (true, Some(drift)) = (self.is_clock_skew(), self.clock_drift) {
            let secs = drift.whole_seconds();
            let direction = if secs >= 0 { "behind" } else { "ahead of" };
            write!(
                f,
                " (the local clock is {}s {direction} the server's; fix the system time)",
                secs.unsigned_abs()
            )?;
        }
        Ok(())
    }
}

fn write_snippet(f: &mut fmt::Formatter<'_>, snippet: Option<&str>) -> fmt::Result {
    match snippet {
        Some(snippet) if !snippet.is_empty() => write!(f, ": {snippet}"),
        _ => Ok(()),
    }
}

impl std::error::Error for ServiceError {}

/// How many characters of an unreadable body [`ServiceError::body_snippet`] keeps.
pub const SNIPPET_MAX_CHARS: usize = 200;

/// Elements nested deeper than this are not read; an error document is 4 deep at most.
const MAX_DEPTH: usize = 16;

/// Parses an STS error response into a [`ServiceError`]. Never fails and never panics.
///
/// `action` is the operation name, `status` the HTTP status, `request_id_header` the value of the
/// `x-amzn-requestid` header (used when the body has no `RequestId`), `body` the raw body.
///
/// Both document shapes are read: AWS's `ErrorResponse/Error/{Type,Code,Message}` with a
/// `RequestId` beside `Error`, and `ErrorResponse/Errors/Error/{Code,Message,Type}` (EC2 and
/// moto). Elements are matched by local name in any order, namespaces and unknown children
/// (such as `Detail`) are ignored, and the five XML entities and character references are
/// decoded. DTDs are skipped and their entities never expanded.
///
/// A body that is empty, not well-formed XML (HTML, truncated, garbage), or has no `Error/Code`
/// gives [`ErrorCode::Unparsed`], with the reason in [`ServiceError::unparsed_body`] and, unless
/// empty, a sanitized [`ServiceError::body_snippet`]:
///
/// ```
/// use sts_client::error::{parse_error_response, ErrorCode, UnparsedBody};
/// let err = parse_error_response("GetCallerIdentity", 502, Some("req-1"), b"<html><body>Bad Gateway");
/// assert_eq!(err.code(), &ErrorCode::Unparsed);
/// assert_eq!(err.unparsed_body(), Some(UnparsedBody::NotXml));
/// assert!(err.is_retryable());
/// assert_eq!(
///     err.to_string(),
///     "GetCallerIdentity failed: HTTP 502 with a non-XML body: <html><body>Bad Gateway [request id req-1]"
/// );
/// ```
pub fn parse_error_response(
    action: &'static str,
    status: u16,
    request_id_header: Option<&str>,
    body: &[u8],
) -> ServiceError {
    let header_request_id = request_id_header
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map(str::to_owned);

    let (fields, problem) = if body.iter().all(u8::is_ascii_whitespace) {
        (ErrorFields::default(), Some(UnparsedBody::Empty))
    } else {
        match read_error_fields(body) {
            Ok(fields) if fields.code.is_some() => (fields, None),
            Ok(fields) => (fields, Some(UnparsedBody::NoErrorCode)),
            Err(ReadError::TooDeep) => (ErrorFields::default(), Some(UnparsedBody::NoErrorCode)),
            Err(ReadError::Malformed) => (ErrorFields::default(), Some(UnparsedBody::NotXml)),
        }
    };

    let code = match (&fields.code, problem) {
        (Some(code), None) => ErrorCode::from_wire(code),
        _ => ErrorCode::Unparsed,
    };
    let fault = match fields.fault.as_deref() {
        Some("Sender") => Fault::Sender,
        Some("Receiver") => Fault::Receiver,
        _ => Fault::from_status(status),
    };
    ServiceError {
        action,
        code,
        message: fields.message,
        status,
        fault,
        request_id: fields.request_id.or(header_request_id),
        server_time: None,
        clock_drift: None,
        unparsed_body: problem,
        body_snippet: match problem {
            Some(UnparsedBody::NotXml | UnparsedBody::NoErrorCode) => Some(snippet(body)),
            _ => None,
        },
    }
}

/// The start of a body as printable text: lossy UTF-8, control characters and whitespace runs
/// folded to one space, at most [`SNIPPET_MAX_CHARS`] characters.
fn snippet(body: &[u8]) -> String {
    // Only the head is needed; 4 bytes per char bounds the UTF-8 that can yield it.
    let head = &body[..body.len().min(SNIPPET_MAX_CHARS * 4)];
    let text = String::from_utf8_lossy(head);
    let mut out = String::new();
    let mut chars = 0;
    let mut pending_space = false;
    for c in text.chars() {
        if c.is_control() || c.is_whitespace() {
            pending_space = !out.is_empty();
            continue;
        }
        let needed = if pending_space { 2 } else { 1 };
        if chars + needed > SNIPPET_MAX_CHARS {
            break;
        }
        if pending_space {
            out.push(' ');
            pending_space = false;
        }
        out.push(c);
        chars += needed;
    }
    out
}

#[derive(Default)]
struct ErrorFields {
    code: Option<String>,
    message: Option<String>,
    fault: Option<String>,
    request_id: Option<String>,
}

enum ReadError {
    Malformed,
    TooDeep,
}

#[derive(Clone, Copy, PartialEq)]
enum Field {
    Code,
    Message,
    Fault,
    RequestId,
}

/// Walks the document once, keeping the local names of the open elements, and collects the
/// text of the first `Error/{Code,Message,Type}` and the first `RequestId`.
fn read_error_fields(body: &[u8]) -> Result<ErrorFields, ReadError> {
    let mut reader = Reader::from_reader(body);
    reader.config_mut().expand_empty_elements = true;
    let mut path: Vec<Vec<u8>> = Vec::new();
    let mut fields = ErrorFields::default();
    // The field whose element is open, and its text so far.
    let mut current: Option<(Field, String)> = None;
    let mut saw_root = false;

    loop {
        let event = reader.read_event().map_err(|_| ReadError::Malformed)?;
        match event {
            Event::Start(start) => {
                if path.len() >= MAX_DEPTH {
                    return Err(ReadError::TooDeep);
                }
                saw_root = true;
                let name = start.local_name().as_ref().to_vec();
                let field = field_for(&name, path.last().map(Vec::as_slice), path.len());
                current = field
                    .filter(|f| slot(&mut fields, *f).is_none())
                    .map(|f| (f, String::new()));
                path.push(name);
            }
            Event::End(_) => {
                path.pop();
                if let Some((field, text)) = current.take() {
                    let text = text.trim();
                    if !text.is_empty() {
                        *slot(&mut fields, field) = Some(text.to_owned());
                    }
                }
            }
            Event::Text(text) => {
                let text = text.decode().map_err(|_| ReadError::Malformed)?;
                if path.is_empty() && !text.trim().is_empty() {
                    // Text outside any element: a plain-text or binary body.
                    return Err(ReadError::Malformed);
                }
                if let Some((_, buf)) = current.as_mut() {
                    buf.push_str(&text);
                }
            }
            Event::CData(data) => {
                if let Some((_, buf)) = current.as_mut() {
                    buf.push_str(&data.decode().map_err(|_| ReadError::Malformed)?);
                }
            }
            Event::GeneralRef(reference) => {
                // Entity references are reported apart from the text around them; only
                // character references and the five predefined entities are expanded.
                let resolved = match reference.resolve_char_ref() {
                    Ok(Some(c)) => c.to_string(),
                    Ok(None) => {
                        let name = reference.decode().map_err(|_| ReadError::Malformed)?;
                        quick_xml::escape::resolve_predefined_entity(&name)
                            .ok_or(ReadError::Malformed)?
                            .to_owned()
                    }
                    Err(_) => return Err(ReadError::Malformed),
                };
                if let Some((_, buf)) = current.as_mut() {
                    buf.push_str(&resolved);
                }
            }
            Event::Eof => {
                return if saw_root && path.is_empty() {
                    Ok(fields)
                } else {
                    // No element at all, or truncated with elements still open.
                    Err(ReadError::Malformed)
                };
            }
            Event::Empty(_) | Event::Decl(_) | Event::PI(_) | Event::DocType(_) => {}
            Event::Comment(_) => {}
        }
    }
}

/// Which field an element named `name` under `parent` at `depth` (0 = root) holds.
fn field_for(name: &[u8], parent: Option<&[u8]>, depth: usize) -> Option<Field> {
    match (name, parent) {
        (b"Code", Some(b"Error")) => Some(Field::Code),
        (b"Message", Some(b"Error")) => Some(Field::Message),
        (b"Type", Some(b"Error")) => Some(Field::Fault),
        (b"RequestId" | b"RequestID", _) if depth <= 2 => Some(Field::RequestId),
        _ => None,
    }
}

fn slot(fields: &mut ErrorFields, field: Field) -> &mut Option<String> {
    match field {
        Field::Code => &mut fields.code,
        Field::Message => &mut fields.message,
        Field::Fault => &mut fields.fault,
        Field::RequestId => &mut fields.request_id,
    }
}

/// Everything a call through [`crate::Client`] can fail with.
///
/// Match on the variant for the kind of failure, and on [`ServiceError::code`] for what STS
/// said:
///
/// ```
/// # fn handle(e: sts_client::Error) {
/// use sts_client::{Error, ErrorCode};
/// match &e {
///     Error::Service(err) if *err.code() == ErrorCode::AccessDenied => eprintln!("denied: {err}"),
///     Error::Validation(err) => eprintln!("bad input, nothing was sent: {err}"),
///     other => eprintln!("{other}"),
/// }
/// # }
/// ```
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum Error {
    /// The input broke a model limit; nothing was sent.
    #[error(transparent)]
    Validation(#[from] crate::operations::ValidationError),
    /// STS answered with an error document (or an unreadable error body).
    #[error(transparent)]
    Service(Box<ServiceError>),
    /// STS answered 2xx, but the body could not be read as the operation's result.
    #[error(
        "{action} failed: the HTTP {status} response could not be read{}: {source}",
        request_id_suffix(request_id)
    )]
    Parse {
        /// The operation.
        action: &'static str,
        /// The HTTP status.
        status: u16,
        /// The `x-amzn-requestid` header, if any.
        request_id: Option<String>,
        /// What was wrong with the body.
        source: crate::operations::ParseError,
    },
    /// The request did not get an HTTP answer (connect, timeout, reset).
    #[error(transparent)]
    Transport(#[from] crate::client::transport::TransportError),
    /// The request could not be signed (bad URL, header, or time).
    #[error(transparent)]
    Signing(#[from] crate::sigv4::SigningError),
    /// An EKS token or Vault login request could not be built.
    #[error(transparent)]
    Presign(#[from] crate::presign::PresignError),
    /// Region, endpoint or another client setting is missing or invalid.
    #[error(transparent)]
    Config(#[from] crate::config::ConfigError),
    /// Credentials could not be found or refreshed.
    #[error(transparent)]
    Credentials(#[from] crate::credentials::CredentialsError),
    /// A signed operation was called on a client built without credentials.
    #[error("{action} must be signed, but the client has no credentials provider")]
    NoCredentials {
        /// The operation.
        action: &'static str,
    },
    /// A signed operation was called with a custom endpoint and no region to sign for.
    #[error("{action} must be signed, but no signing region is known: set a region next to the custom endpoint")]
    NoSigningRegion {
        /// The operation.
        action: &'static str,
    },
}

fn request_id_suffix(request_id: &Option<String>) -> String {
    match request_id {
        Some(id) => format!(" [request id {id}]"),
        None => String::new(),
    }
}

impl From<ServiceError> for Error {
    fn from(error: ServiceError) -> Self {
        Error::Service(Box::new(error))
    }
}

impl Error {
    /// The service error, when STS answered with one.
    pub fn as_service_error(&self) -> Option<&ServiceError> {
        match self {
            Error::Service(e) => Some(e),
            _ => None,
        }
    }

    /// The STS error code, when STS answered with one.
    pub fn code(&self) -> Option<&ErrorCode> {
        self.as_service_error().map(ServiceError::code)
    }

    /// The request id of the answer, when there was one.
    pub fn request_id(&self) -> Option<&str> {
        match self {
            Error::Service(e) => e.request_id(),
            Error::Parse { request_id, .. } => request_id.as_deref(),
            _ => None,
        }
    }

    /// Whether trying again later may succeed (throttling, 5xx, connection failures).
    pub fn is_retryable(&self) -> bool {
        match self {
            Error::Service(e) => e.is_retryable(),
            Error::Transport(e) => e.is_retryable(),
            _ => false,
        }
    }
}
