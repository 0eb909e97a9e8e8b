//! AWS Signature Version 4 (`AWS4-HMAC-SHA256`): header signing, query presigning, and an
//! explanation of both for diagnosis.
//!
//! The signer is a pure function of its inputs (the signing time included). [`Signer`] adds a
//! cache of derived signing keys, so repeated signatures for the same secret, date, region and
//! service skip the four-step key derivation.
//!
//! ```
//! use sts_client::sigv4::{SignableRequest, Signer, SigningParams, SigningSettings};
//! use sts_client::Credentials;
//!
//! let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
//! let signer = Signer::new();
//! let request = SignableRequest {
//!     method: "POST",
//!     url: "https://sts.amazonaws.com/",
//!     headers: &[("Content-Type", "application/x-www-form-urlencoded; charset=utf-8")],
//!     body: b"Action=GetCallerIdentity&Version=2011-06-15",
//! };
//! let params = SigningParams {
//!     credentials: &credentials,
//!     region: "us-east-1",
//!     service: "sts",
//!     time: time::macros::datetime!(2026-01-02 03:04:05 UTC),
//!     settings: SigningSettings::default(),
//! };
//! let output = signer.sign(&request, &params)?;
//! assert_eq!(
//!     output.signature(),
//!     "654c2f9b8e336b65ff3b2f7fc0c1c88d14f6f0efb2ec02ee24d0ea9a1cbd1a40"
//! );
//! for (name, value) in output.headers() {
//!     // add each header to the HTTP request: X-Amz-Date, Authorization
//!     assert!(!value.is_empty(), "{name}");
//! }
//! # Ok::<(), sts_client::sigv4::SigningError>(())
//! ```

mod canonical;
mod fast;
mod hash;

use std::borrow::Cow;
use std::fmt;
use std::ops::Range;
use std::sync::RwLock;

use time::{OffsetDateTime, UtcOffset};
use zeroize::{Zeroize, Zeroizing};

pub use canonical::NEVER_SIGNED_HEADERS;
use canonical::{
    canonical_path, canonical_query, check_value, encoded_query_pairs, is_token, join_pairs,
    parse_url, put_signed_headers, CanonicalRequest, Counter, Entries, Entry, ParsedUrl, Sink,
    Value,
};

use hash::{sha256, Hasher, HmacKey};

use crate::encoding::uri_encode_into;
use crate::Credentials;

/// The SigV4 algorithm name.
pub const ALGORITHM: &str = "AWS4-HMAC-SHA256";
/// The payload hash used in place of a body hash by [`PayloadMode::Unsigned`].
pub const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";
/// The longest `X-Amz-Expires` SigV4 allows: 7 days.
pub const MAX_PRESIGN_EXPIRY_SECS: u32 = 604_800;

/// How the body enters the signature.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PayloadMode {
    /// The hex SHA-256 of the body; no extra header (what STS and botocore use).
    #[default]
    Hash,
    /// The hex SHA-256 of the body, also sent and signed as `x-amz-content-sha256`.
    HashWithHeader,
    /// `UNSIGNED-PAYLOAD`, sent and signed as `x-amz-content-sha256` in header signing.
    Unsigned,
}

/// Switches of the signing algorithm. The default suits STS and every service but S3.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SigningSettings {
    /// Remove `.`/`..` segments and merge repeated `/` in the path (default true; S3: false).
    pub normalize_path: bool,
    /// Percent-encode a `%` already in the path again (default true; S3: false).
    pub double_uri_encode: bool,
    /// How the body is signed (default [`PayloadMode::Hash`]).
    pub payload: PayloadMode,
    /// Leave the session token out of the signature and add it afterwards (default false; a
    /// few services want this, STS does not).
    pub omit_session_token: bool,
}

impl Default for SigningSettings {
    fn default() -> Self {
        SigningSettings {
            normalize_path: true,
            double_uri_encode: true,
            payload: PayloadMode::Hash,
            omit_session_token: false,
        }
    }
}

/// What to sign with: credentials, scope, time and settings.
#[derive(Debug, Clone, Copy)]
pub struct SigningParams<'a> {
    /// The credentials; the session token, if any, is signed too.
    pub credentials: &'a Credentials,
    /// The signing region (for the global STS endpoint: `us-east-1`).
    pub region: &'a str,
    /// The signing name of the service (`sts`).
    pub service: &'a str,
    /// The signing time; any offset, converted to UTC.
    pub time: OffsetDateTime,
    /// Algorithm switches.
    pub settings: SigningSettings,
}

/// The request to sign, borrowed.
#[derive(Debug, Clone, Copy)]
pub struct SignableRequest<'a> {
    /// HTTP method (upper-cased in the canonical request).
    pub method: &'a str,
    /// Absolute `http` or `https` URL; its query is part of the signature.
    pub url: &'a str,
    /// Headers that will be sent; all but [`NEVER_SIGNED_HEADERS`] are signed. `Host` is taken
    /// from the URL when not given.
    pub headers: &'a [(&'a str, &'a str)],
    /// The exact body bytes.
    pub body: &'a [u8],
}

/// Where the signature goes, for [`Signer::explain`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SignatureLocation {
    /// Header signing ([`Signer::sign`]).
    Headers,
    /// Query presigning ([`Signer::presign`]) with this `X-Amz-Expires`.
    QueryString {
        /// Seconds the URL stays valid, 1..=604800.
        expires_in_secs: u32,
    },
}

/// Why a request could not be signed. Never contains a secret key or session token.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum SigningError {
    /// The URL is not `http` or `https`.
    #[error("cannot sign a `{scheme}` URL: only http and https are supported")]
    UnsupportedScheme {
        /// The scheme found (at most 16 characters of it).
        scheme: String,
    },
    /// The URL has no host.
    #[error("cannot sign a URL without a host")]
    MissingHost,
    /// The URL is malformed.
    #[error("cannot sign the URL: {reason}")]
    InvalidUrl {
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The method is not an HTTP token.
    #[error("cannot sign: the HTTP method is empty or not a token")]
    InvalidMethod,
    /// A header name is not an HTTP token.
    #[error("cannot sign: header name {name:?} is not a valid HTTP token")]
    InvalidHeaderName {
        /// The offending name.
        name: String,
    },
    /// A header value contains a forbidden byte.
    #[error("cannot sign: the value of header `{name}` is invalid: {reason}")]
    InvalidHeaderValue {
        /// The header's name.
        name: String,
        /// What is wrong with the value.
        reason: &'static str,
    },
    /// The session token cannot go into a header or URL.
    #[error("cannot sign: the session token contains characters other than visible ASCII")]
    InvalidSessionToken,
    /// Region, service or access key ID is empty or has `/`, whitespace or control characters.
    #[error(
        "cannot sign: the {field} is empty or contains `/`, whitespace or a control character"
    )]
    InvalidScope {
        /// Which field: `region`, `service` or `access key ID`.
        field: &'static str,
    },
    /// The signing time cannot be written as `YYYYMMDDTHHMMSSZ`.
    #[error("cannot sign: the signing time is outside years 0000-9999 (UTC)")]
    InvalidTime,
    /// `X-Amz-Expires` is outside 1..=604800.
    #[error("cannot presign: expiry of {expires_in_secs} s is outside 1..=604800 s")]
    InvalidExpiry {
        /// The requested expiry.
        expires_in_secs: u32,
    },
}

/// Headers to add to the request after header signing. Holds the session token (when there is
/// one), so that part of its buffer is zeroized on drop and `Debug` redacts it.
pub struct SigningOutput {
    buf: String,
    date: Range<usize>,
    token: Option<Range<usize>>,
    content_sha256: Option<Range<usize>>,
    authorization: Range<usize>,
    signature: Range<usize>,
}

impl SigningOutput {
    fn part(&self, range: &Range<usize>) -> &str {
        self.buf.get(range.clone()).unwrap_or_default()
    }

    /// The headers to add: `X-Amz-Date`, `X-Amz-Security-Token` (with a session token),
    /// `X-Amz-Content-SHA256` (when the payload mode asks for it) and `Authorization`.
    pub fn headers(&self) -> impl Iterator<Item = (&'static str, &str)> {
        [
            Some(("X-Amz-Date", self.part(&self.date))),
            self.token
                .as_ref()
                .map(|r| ("X-Amz-Security-Token", self.part(r))),
            self.content_sha256
                .as_ref()
                .map(|r| ("X-Amz-Content-SHA256", self.part(r))),
            Some(("Authorization", self.part(&self.authorization))),
        ]
        .into_iter()
        .flatten()
    }

    /// The hex signature.
    pub fn signature(&self) -> &str {
        self.part(&self.signature)
    }

    /// The `Authorization` header value.
    pub fn authorization(&self) -> &str {
        self.part(&self.authorization)
    }
}

impl SigningOutput {
    /// Lays out the headers in one buffer sized exactly. The credential scope and the
    /// `;`-joined signed header names are each given as their length and how to write them:
    /// the general path streams them, the fast path copies them whole from what it hashed.
    fn build(
        scope: &Scope<'_>,
        content_sha256: Option<&str>,
        (credential_scope_len, put_credential_scope): (usize, impl FnOnce(&mut String)),
        (signed_headers_len, put_signed_headers): (usize, impl FnOnce(&mut String)),
        signature: &Hex64,
    ) -> SigningOutput {
        const CREDENTIAL: &str = " Credential=";
        const SIGNED_HEADERS: &str = ", SignedHeaders=";
        const SIGNATURE: &str = ", Signature=";
        let capacity = 16
            + scope.token.map_or(0, str::len)
            + content_sha256.map_or(0, str::len)
            + ALGORITHM.len()
            + CREDENTIAL.len()
            + scope.access_key_id.len()
            + 1
            + credential_scope_len
            + SIGNED_HEADERS.len()
            + signed_headers_len
            + SIGNATURE.len()
            + 64;
        let mut buf = String::with_capacity(capacity);
        buf.push_str(scope.date.date_time());
        let date = 0..buf.len();
        let token = scope.token.map(|t| {
            let start = buf.len();
            buf.push_str(t);
            start..buf.len()
        });
        let content_sha256 = content_sha256.map(|payload| {
            let start = buf.len();
            buf.push_str(payload);
            start..buf.len()
        });
        let auth_start = buf.len();
        buf.push_str(ALGORITHM);
        buf.push_str(CREDENTIAL);
        buf.push_str(scope.access_key_id);
        buf.push('/');
        put_credential_scope(&mut buf);
        buf.push_str(SIGNED_HEADERS);
        put_signed_headers(&mut buf);
        buf.push_str(SIGNATURE);
        let signature_start = buf.len();
        buf.push_str(signature.as_str());
        debug_assert_eq!(buf.len(), capacity);
        SigningOutput {
            authorization: auth_start..buf.len(),
            signature: signature_start..buf.len(),
            buf,
            date,
            token,
            content_sha256,
        }
    }
}

impl Drop for SigningOutput {
    fn drop(&mut self) {
        // Only the session token is secret: the date, payload hash and Authorization header go
        // on the wire as they are.
        if let Some(range) = self.token.take() {
            let mut bytes = std::mem::take(&mut self.buf).into_bytes();
            if let Some(token) = bytes.get_mut(range) {
                wipe(token);
            }
        }
    }
}

impl fmt::Debug for SigningOutput {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningOutput")
            .field("x_amz_date", &self.part(&self.date))
            .field(
                "session_token",
                &self.token.as_ref().map(|_| "** redacted **"),
            )
            .field(
                "content_sha256",
                &self.content_sha256.as_ref().map(|r| self.part(r)),
            )
            .field("authorization", &self.authorization())
            .finish()
    }
}

/// The intermediate texts of a signature, for diagnosis. Contains no secret key; the session
/// token, which the canonical request includes, is redacted in `Debug`.
#[derive(Clone, PartialEq, Eq)]
pub struct SigningExplanation {
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
    /// The hex signature.
    pub signature: String,
    /// The `;`-joined signed header names.
    pub signed_headers: String,
    redacted_token: Option<(String, String)>,
}

impl fmt::Debug for SigningExplanation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut canonical_request = self.canonical_request.clone();
        if let Some((raw, encoded)) = &self.redacted_token {
            canonical_request = canonical_request
                .replace(encoded.as_str(), "** redacted **")
                .replace(raw.as_str(), "** redacted **");
        }
        f.debug_struct("SigningExplanation")
            .field("canonical_request", &canonical_request)
            .field("string_to_sign", &self.string_to_sign)
            .field("signature", &self.signature)
            .field("signed_headers", &self.signed_headers)
            .finish()
    }
}

impl Drop for SigningExplanation {
    fn drop(&mut self) {
        self.canonical_request.zeroize();
        if let Some((raw, encoded)) = &mut self.redacted_token {
            raw.zeroize();
            encoded.zeroize();
        }
    }
}

/// `X-Amz-Date` as `YYYYMMDDTHHMMSSZ`, formatted by hand.
struct AmzDate([u8; 16]);

impl AmzDate {
    fn new(time: OffsetDateTime) -> Result<Self, SigningError> {
        let t = time
            .checked_to_offset(UtcOffset::UTC)
            .ok_or(SigningError::InvalidTime)?;
        let year = u32::try_from(t.year()).map_err(|_| SigningError::InvalidTime)?;
        if year > 9999 {
            return Err(SigningError::InvalidTime);
        }
        /// The two decimal digits of every number below 100.
        const TWO_DIGITS: [[u8; 2]; 100] = {
            let mut table = [[0u8; 2]; 100];
            let mut i = 0;
            while i < 100 {
                table[i] = [b'0' + (i / 10) as u8, b'0' + (i % 10) as u8];
                i += 1;
            }
            table
        };
        let mut out = *b"00000000T000000Z";
        let mut put = |at: usize, value: u32| {
            let digits = TWO_DIGITS[(value % 100) as usize];
            out[at] = digits[0];
            out[at + 1] = digits[1];
        };
        let (_, month, day) = t.to_calendar_date();
        let (hour, minute, second) = t.to_hms();
        put(0, year / 100);
        put(2, year);
        put(4, u8::from(month).into());
        put(6, day.into());
        put(9, hour.into());
        put(11, minute.into());
        put(13, second.into());
        Ok(AmzDate(out))
    }

    fn date_time(&self) -> &str {
        ascii_str(&self.0)
    }

    fn date(&self) -> &str {
        ascii_str(&self.0[..8])
    }
}

/// Zeroizes `bytes` with volatile word-sized writes: the same guarantee as `Zeroize` on a byte
/// slice, an eighth of the stores (a token is wiped on every signature that carries one).
fn wipe(bytes: &mut [u8]) {
    // SAFETY: every bit pattern is a valid `u64`; `align_to_mut` keeps the three parts disjoint
    // and in bounds.
    let (head, words, tail) = unsafe { bytes.align_to_mut::<u64>() };
    head.zeroize();
    words.zeroize();
    tail.zeroize();
}

/// Views bytes the signer wrote from ASCII tables as text, without re-validating them on every
/// use (that showed up in profiles).
fn ascii_str(bytes: &[u8]) -> &str {
    debug_assert!(bytes.is_ascii());
    if bytes.is_ascii() {
        // SAFETY: ASCII is valid UTF-8.
        unsafe { std::str::from_utf8_unchecked(bytes) }
    } else {
        ""
    }
}

/// Lower-case hex of 32 bytes, on the stack.
struct Hex64([u8; 64]);

impl Hex64 {
    fn new(bytes: &[u8; 32]) -> Self {
        /// The two hex digits of every byte value, as the bytes of a `u16` in memory order.
        const PAIRS: [u16; 256] = {
            const DIGITS: &[u8; 16] = b"0123456789abcdef";
            let mut table = [0u16; 256];
            let mut i = 0;
            while i < 256 {
                table[i] = u16::from_ne_bytes([DIGITS[i >> 4], DIGITS[i & 0x0f]]);
                i += 1;
            }
            table
        };
        let mut out = [0u8; 64];
        for i in 0..32 {
            let pair = PAIRS[usize::from(bytes[i])].to_ne_bytes();
            out[2 * i] = pair[0];
            out[2 * i + 1] = pair[1];
        }
        Hex64(out)
    }

    /// The hex digest of a finished hash state.
    fn of_state(state: &[u32; 8]) -> Self {
        let mut out = [0u8; 64];
        hash::write_hex_digest(state, &mut out);
        Hex64(out)
    }

    fn as_str(&self) -> &str {
        ascii_str(&self.0)
    }
}

fn hmac_bytes(key: &[u8], data: &[u8]) -> Zeroizing<[u8; 32]> {
    Zeroizing::new(HmacKey::new(key).sign(data))
}

/// The signing key `HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service),
/// "aws4_request")`.
fn derive_signing_key(
    secret: &str,
    date: &str,
    region: &str,
    service: &str,
) -> Zeroizing<[u8; 32]> {
    let mut first = Zeroizing::new(Vec::with_capacity(4 + secret.len()));
    first.extend_from_slice(b"AWS4");
    first.extend_from_slice(secret.as_bytes());
    let k_date = hmac_bytes(&first, date.as_bytes());
    let k_region = hmac_bytes(&k_date[..], region.as_bytes());
    let k_service = hmac_bytes(&k_region[..], service.as_bytes());
    hmac_bytes(&k_service[..], b"aws4_request")
}

/// Hex of the signing key, for checking against published vectors. This is secret material:
/// use it in tests only.
pub fn signing_key_hex(secret: &str, date: &str, region: &str, service: &str) -> String {
    Hex64::new(&derive_signing_key(secret, date, region, service))
        .as_str()
        .to_owned()
}

/// A derived signing key and what it was derived from. The secret is kept (zeroized on drop)
/// so a lookup is a constant-time comparison instead of a hash of the secret per signature.
struct CachedKey {
    secret: Zeroizing<Vec<u8>>,
    date: [u8; 8],
    region: Box<str>,
    service: Box<str>,
    key: HmacKey,
}

/// Equality that takes the same time wherever the first difference is (lengths aside).
fn same_secret(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

const CACHE_CAPACITY: usize = 16;

/// A SigV4 signer with a cache of keyed HMAC states per (secret, date, region, service). Cached
/// entries hold a copy of the secret for comparison, zeroized when evicted or dropped; at most
/// 16 entries are kept. `Send + Sync`; share it with an `Arc`.
pub struct Signer {
    cache: RwLock<Vec<CachedKey>>,
}

impl Default for Signer {
    fn default() -> Self {
        Self::new()
    }
}

impl fmt::Debug for Signer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let cached = self.cache.read().map(|c| c.len()).unwrap_or(0);
        f.debug_struct("Signer")
            .field("cached_keys", &cached)
            .finish()
    }
}

struct Scope<'a> {
    access_key_id: &'a str,
    secret: &'a str,
    region: &'a str,
    service: &'a str,
    date: AmzDate,
    token: Option<&'a str>,
}

impl<'a> Scope<'a> {
    fn new(params: &SigningParams<'a>) -> Result<Self, SigningError> {
        // Folds without early exit vectorize; these run on every signature.
        let valid = |s: &str| {
            !s.is_empty()
                && s.bytes()
                    .fold(true, |ok, b| ok & (b > 0x20) & (b != 0x7f) & (b != b'/'))
        };
        if !valid(params.region) {
            return Err(SigningError::InvalidScope { field: "region" });
        }
        if !valid(params.service) {
            return Err(SigningError::InvalidScope { field: "service" });
        }
        let access_key_id = params.credentials.access_key_id();
        if !valid(access_key_id) {
            return Err(SigningError::InvalidScope {
                field: "access key ID",
            });
        }
        let token = params.credentials.session_token().map(|t| t.expose());
        if let Some(t) = token {
            // No early exit, so the check vectorizes over long tokens.
            let visible = t
                .bytes()
                .fold(true, |ok, b| ok & (b.wrapping_sub(0x21) < 0x7f - 0x21));
            if t.is_empty() || !visible {
                return Err(SigningError::InvalidSessionToken);
            }
        }
        Ok(Scope {
            access_key_id,
            secret: params.credentials.secret_access_key().expose(),
            region: params.region,
            service: params.service,
            date: AmzDate::new(params.time)?,
            token,
        })
    }

    fn put_scope<S: Sink>(&self, sink: &mut S) {
        sink.put(self.date.date());
        sink.put("/");
        sink.put(self.region);
        sink.put("/");
        sink.put(self.service);
        sink.put("/aws4_request");
    }

    /// The string to sign, in one buffer, for a MAC to take in one update.
    fn mac_string_to_sign(&self, mac: &mut hash::Mac, canonical_hash: &Hex64) {
        let mut buf = [0u8; 256];
        let parts: [&[u8]; 10] = [
            ALGORITHM.as_bytes(),
            b"\n",
            &self.date.0,
            b"\n",
            self.date.date().as_bytes(),
            b"/",
            self.region.as_bytes(),
            b"/",
            self.service.as_bytes(),
            b"/aws4_request\n",
        ];
        let mut len = 0;
        for part in parts {
            match buf.get_mut(len..len + part.len()) {
                Some(slot) => slot.copy_from_slice(part),
                None => {
                    // A long region or service: stream it instead.
                    self.put_string_to_sign(mac, canonical_hash.as_str());
                    return;
                }
            }
            len += part.len();
        }
        mac.update(&buf[..len]);
        mac.update(&canonical_hash.0);
    }

    fn put_string_to_sign<S: Sink>(&self, sink: &mut S, canonical_hash: &str) {
        sink.put(ALGORITHM);
        sink.put("\n");
        sink.put(self.date.date_time());
        sink.put("\n");
        self.put_scope(sink);
        sink.put("\n");
        sink.put(canonical_hash);
    }
}

fn check_method(method: &str) -> Result<(), SigningError> {
    if is_token(method) {
        Ok(())
    } else {
        Err(SigningError::InvalidMethod)
    }
}

/// The caller's headers that get signed, validated; `host` is added from the URL when absent.
/// `skip` names headers the signer sets itself.
fn collect_headers<'x>(
    headers: &[(&'x str, &'x str)],
    url: &ParsedUrl<'x>,
    skip: &[&str],
    entries: &mut Entries<'x>,
) -> Result<(), SigningError> {
    let mut host_given = false;
    for &(name, value) in headers {
        if !is_token(name) {
            return Err(SigningError::InvalidHeaderName {
                name: name.chars().take(64).collect(),
            });
        }
        check_value(name, value)?;
        let skipped = |n: &&str| n.len() == name.len() && n.eq_ignore_ascii_case(name);
        if NEVER_SIGNED_HEADERS.iter().any(skipped) || skip.iter().any(skipped) {
            continue;
        }
        host_given |= name.eq_ignore_ascii_case("host");
        entries.push(Entry {
            name,
            value: Value::Caller(value),
        });
    }
    if !host_given {
        entries.push(Entry {
            name: "host",
            value: Value::Host {
                host: url.host,
                port_suffix: url.port_suffix,
            },
        });
    }
    Ok(())
}

fn payload_hash(mode: PayloadMode, body: &[u8]) -> Option<Hex64> {
    match mode {
        PayloadMode::Unsigned => None,
        PayloadMode::Hash | PayloadMode::HashWithHeader => Some(Hex64::new(&sha256(body))),
    }
}

/// Everything header signing needs, borrowed from the request, params and a few stack buffers.
fn header_canonical<'x>(
    req: &SignableRequest<'x>,
    url: &ParsedUrl<'x>,
    settings: &SigningSettings,
    scope: &'x Scope<'x>,
    payload: &'x str,
) -> Result<CanonicalRequest<'x>, SigningError> {
    check_method(req.method)?;
    let with_content_header = settings.payload != PayloadMode::Hash;
    let skip: &[&str] = if with_content_header {
        &["x-amz-date", "x-amz-security-token", "x-amz-content-sha256"]
    } else {
        &["x-amz-date", "x-amz-security-token"]
    };
    let mut entries = Entries::new();
    collect_headers(req.headers, url, skip, &mut entries)?;
    entries.push(Entry {
        name: "x-amz-date",
        value: Value::Exact(scope.date.date_time()),
    });
    if let Some(token) = scope.token.filter(|_| !settings.omit_session_token) {
        entries.push(Entry {
            name: "x-amz-security-token",
            value: Value::Exact(token),
        });
    }
    if with_content_header {
        entries.push(Entry {
            name: "x-amz-content-sha256",
            value: Value::Exact(payload),
        });
    }
    entries.sort();
    let query = if url.query.is_empty() {
        Cow::Borrowed("")
    } else {
        Cow::Owned(canonical_query(&encoded_query_pairs(url.query)))
    };
    Ok(CanonicalRequest {
        method: req.method,
        path: canonical_path(
            url.path,
            settings.normalize_path,
            settings.double_uri_encode,
        ),
        query,
        entries,
        payload_hash: payload,
    })
}

/// Query presigning: the canonical request plus the URL's query pairs in output order, and the
/// session token pair when it is added after signing.
struct Presigned<'x> {
    canonical: CanonicalRequest<'x>,
    url_pairs: Vec<(String, String)>,
    late_token: Option<String>,
}

fn encode(value: &str) -> String {
    let mut out = String::with_capacity(value.len() + 8);
    uri_encode_into(&mut out, value, true);
    out
}

fn query_canonical<'x>(
    req: &SignableRequest<'x>,
    url: &ParsedUrl<'x>,
    settings: &SigningSettings,
    scope: &'x Scope<'x>,
    payload: &'x str,
    expires_in_secs: u32,
) -> Result<Presigned<'x>, SigningError> {
    check_method(req.method)?;
    if !(1..=MAX_PRESIGN_EXPIRY_SECS).contains(&expires_in_secs) {
        return Err(SigningError::InvalidExpiry { expires_in_secs });
    }
    let mut entries = Entries::new();
    collect_headers(
        req.headers,
        url,
        &["x-amz-date", "x-amz-security-token"],
        &mut entries,
    )?;
    entries.sort();
    let mut signed_headers = String::new();
    put_signed_headers(&mut signed_headers, entries.as_slice());
    let mut credential = String::new();
    credential.push_str(scope.access_key_id);
    credential.push('/');
    scope.put_scope(&mut credential);

    let mut pairs = encoded_query_pairs(url.query);
    let auth = [
        ("X-Amz-Algorithm", encode(ALGORITHM)),
        ("X-Amz-Credential", encode(&credential)),
        ("X-Amz-Date", scope.date.date_time().to_owned()),
        ("X-Amz-Expires", expires_in_secs.to_string()),
        ("X-Amz-SignedHeaders", encode(&signed_headers)),
    ];
    pairs.extend(auth.into_iter().map(|(k, v)| (k.to_owned(), v)));
    let mut late_token = None;
    if let Some(token) = scope.token {
        if settings.omit_session_token {
            late_token = Some(encode(token));
        } else {
            pairs.push(("X-Amz-Security-Token".to_owned(), encode(token)));
        }
    }
    let query = canonical_query(&pairs);
    Ok(Presigned {
        canonical: CanonicalRequest {
            method: req.method,
            path: canonical_path(
                url.path,
                settings.normalize_path,
                settings.double_uri_encode,
            ),
            query: Cow::Owned(query),
            entries,
            payload_hash: payload,
        },
        url_pairs: pairs,
        late_token,
    })
}

impl Signer {
    /// A signer with an empty key cache.
    pub fn new() -> Self {
        Signer {
            cache: RwLock::new(Vec::with_capacity(CACHE_CAPACITY)),
        }
    }

    /// The HMAC key for the scope, from the cache or freshly derived.
    fn signing_key(&self, scope: &Scope<'_>) -> HmacKey {
        let secret = scope.secret.as_bytes();
        let date: &[u8] = scope.date.date().as_bytes();
        let matches = |e: &CachedKey| {
            e.date[..] == *date
                && *e.region == *scope.region
                && *e.service == *scope.service
                && same_secret(&e.secret, secret)
        };
        if let Ok(cache) = self.cache.read() {
            if let Some(entry) = cache.iter().find(|e| matches(e)) {
                return entry.key.clone();
            }
        }
        let derived =
            derive_signing_key(scope.secret, scope.date.date(), scope.region, scope.service);
        let key = HmacKey::new(&derived[..]);
        if let Ok(mut cache) = self.cache.write() {
            if !cache.iter().any(matches) {
                if cache.len() >= CACHE_CAPACITY {
                    cache.remove(0);
                }
                let mut date_bytes = [0u8; 8];
                date_bytes.copy_from_slice(date);
                cache.push(CachedKey {
                    secret: Zeroizing::new(secret.to_vec()),
                    date: date_bytes,
                    region: scope.region.into(),
                    service: scope.service.into(),
                    key: key.clone(),
                });
            }
        }
        key
    }

    fn signature(&self, scope: &Scope<'_>, canonical: &CanonicalRequest<'_>) -> Hex64 {
        let mut hasher = Hasher::new();
        canonical.write(&mut hasher);
        let canonical_hash = Hex64::new(&hasher.finish());
        let mut mac = self.signing_key(scope).mac();
        scope.mac_string_to_sign(&mut mac, &canonical_hash);
        Hex64::new(&mac.finish())
    }

    /// Signs `req` in headers. Returns the headers to add: `X-Amz-Date`,
    /// `X-Amz-Security-Token` (with a session token), `X-Amz-Content-SHA256` (in
    /// [`PayloadMode::HashWithHeader`] and [`PayloadMode::Unsigned`]) and `Authorization`.
    pub fn sign(
        &self,
        req: &SignableRequest<'_>,
        params: &SigningParams<'_>,
    ) -> Result<SigningOutput, SigningError> {
        match self.sign_common(req, params) {
            Some(output) => Ok(output),
            None => self.sign_general(req, params),
        }
    }

    /// [`Signer::sign`] for any request shape.
    fn sign_general(
        &self,
        req: &SignableRequest<'_>,
        params: &SigningParams<'_>,
    ) -> Result<SigningOutput, SigningError> {
        let url = parse_url(req.url)?;
        let scope = Scope::new(params)?;
        let settings = &params.settings;
        let hash = payload_hash(settings.payload, req.body);
        let payload = hash.as_ref().map_or(UNSIGNED_PAYLOAD, Hex64::as_str);
        let canonical = header_canonical(req, &url, settings, &scope, payload)?;
        let signature = self.signature(&scope, &canonical);

        let entries = canonical.entries.as_slice();
        let mut signed_len = Counter(0);
        put_signed_headers(&mut signed_len, entries);
        let mut scope_len = Counter(0);
        scope.put_scope(&mut scope_len);
        let content_sha256 = (settings.payload != PayloadMode::Hash).then_some(payload);
        Ok(SigningOutput::build(
            &scope,
            content_sha256,
            (scope_len.0, |buf: &mut String| scope.put_scope(buf)),
            (signed_len.0, |buf: &mut String| {
                put_signed_headers(buf, entries)
            }),
            &signature,
        ))
    }

    /// Presigns `req` in the query string and returns the full URL: the URL's own query
    /// parameters (re-encoded per RFC 3986) in their order, then `X-Amz-Algorithm`,
    /// `X-Amz-Credential`, `X-Amz-Date`, `X-Amz-Expires`, `X-Amz-SignedHeaders`,
    /// `X-Amz-Security-Token` (with a session token) and `X-Amz-Signature`, exactly as signed.
    /// Headers in `req.headers` (e.g. `x-k8s-aws-id`) are signed and must be sent with the URL.
    pub fn presign(
        &self,
        req: &SignableRequest<'_>,
        params: &SigningParams<'_>,
        expires_in_secs: u32,
    ) -> Result<String, SigningError> {
        if let Some(url) = self.presign_common(req, params, expires_in_secs) {
            return Ok(url);
        }
        self.presign_general(req, params, expires_in_secs)
    }

    /// [`Signer::presign`] for any request shape.
    fn presign_general(
        &self,
        req: &SignableRequest<'_>,
        params: &SigningParams<'_>,
        expires_in_secs: u32,
    ) -> Result<String, SigningError> {
        let url = parse_url(req.url)?;
        let scope = Scope::new(params)?;
        let settings = &params.settings;
        let hash = payload_hash(settings.payload, req.body);
        let payload = hash.as_ref().map_or(UNSIGNED_PAYLOAD, Hex64::as_str);
        let presigned = query_canonical(req, &url, settings, &scope, payload, expires_in_secs)?;
        let signature = self.signature(&scope, &presigned.canonical);
        let mut out = String::with_capacity(req.url.len() + presigned.canonical.query.len() + 96);
        out.push_str(url.origin);
        out.push_str(if url.path.is_empty() { "/" } else { url.path });
        out.push('?');
        out.push_str(&join_pairs(presigned.url_pairs.iter()));
        if let Some(token) = &presigned.late_token {
            out.push_str("&X-Amz-Security-Token=");
            out.push_str(token);
        }
        out.push_str("&X-Amz-Signature=");
        out.push_str(signature.as_str());
        Ok(out)
    }

    /// The canonical request, string to sign and signature that [`Signer::sign`] or
    /// [`Signer::presign`] would produce, for diagnosis.
    pub fn explain(
        &self,
        req: &SignableRequest<'_>,
        params: &SigningParams<'_>,
        location: SignatureLocation,
    ) -> Result<SigningExplanation, SigningError> {
        let url = parse_url(req.url)?;
        let scope = Scope::new(params)?;
        let settings = &params.settings;
        let hash = payload_hash(settings.payload, req.body);
        let payload = hash.as_ref().map_or(UNSIGNED_PAYLOAD, Hex64::as_str);
        let canonical = match location {
            SignatureLocation::Headers => header_canonical(req, &url, settings, &scope, payload)?,
            SignatureLocation::QueryString { expires_in_secs } => {
                query_canonical(req, &url, settings, &scope, payload, expires_in_secs)?.canonical
            }
        };
        let mut canonical_request = String::new();
        canonical.write(&mut canonical_request);
        let canonical_hash = Hex64::new(&sha256(canonical_request.as_bytes()));
        let mut string_to_sign = String::new();
        scope.put_string_to_sign(&mut string_to_sign, canonical_hash.as_str());
        let signature = self.signature(&scope, &canonical);
        let mut signed_headers = String::new();
        put_signed_headers(&mut signed_headers, canonical.entries.as_slice());
        Ok(SigningExplanation {
            canonical_request,
            string_to_sign,
            signature: signature.as_str().to_owned(),
            signed_headers,
            redacted_token: scope.token.map(|t| (t.to_owned(), encode(t))),
        })
    }
}

/// Header signing without a key cache (derives the signing key every time).
pub fn sign(
    req: &SignableRequest<'_>,
    params: &SigningParams<'_>,
) -> Result<SigningOutput, SigningError> {
    Signer::new().sign(req, params)
}

/// Query presigning without a key cache.
pub fn presign(
    req: &SignableRequest<'_>,
    params: &SigningParams<'_>,
    expires_in_secs: u32,
) -> Result<String, SigningError> {
    Signer::new().presign(req, params, expires_in_secs)
}

#[cfg(test)]
mod tests;
