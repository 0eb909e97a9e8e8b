//! Signing and presigning for the common request shape (what every STS call looks like): path
//! `/`, a few headers with plain values, a query (presigning) of unreserved characters, the
//! default payload mode. The canonical request is laid out in one stack buffer and its hashes
//! run together (see `hash::run_jobs`). Anything else — including every invalid input, so errors
//! come from one place — returns `None` and takes the general path, which produces the same
//! bytes (tested against it).

use super::canonical::{is_token, parse_url, ParsedUrl, NEVER_SIGNED_HEADERS};
use super::hash::{
    compress, digest, pad_in_place, padded_tail, run_jobs, write_hex_digest, Job, INITIAL_STATE,
};
use super::{
    ascii_str, wipe, Hex64, PayloadMode, Scope, SignableRequest, Signer, SigningOutput,
    SigningParams, ALGORITHM, MAX_PRESIGN_EXPIRY_SECS,
};
use crate::encoding::is_unreserved;

/// Most headers the fast path takes (the caller's, plus host, date and token).
const MAX_ENTRIES: usize = 8;
/// Most query parameters presigning's fast path takes (the URL's plus six).
const MAX_PAIRS: usize = 16;
/// Canonical request capacity; a longer one (a very long token) takes the general path.
const CANONICAL_CAPACITY: usize = 2048;
const NAMES_CAPACITY: usize = 128;

/// A stack byte buffer; writes past its end are dropped and remembered.
struct StackBuf<const N: usize> {
    bytes: [u8; N],
    len: usize,
    overflow: bool,
}

impl<const N: usize> StackBuf<N> {
    #[inline(always)]
    fn new() -> Self {
        StackBuf {
            bytes: [0; N],
            len: 0,
            overflow: false,
        }
    }

    /// Appends RFC 3986 encoded `data` (everything but unreserved bytes as `%XX`).
    fn push_encoded(&mut self, data: &[u8]) {
        const HEX: &[u8; 16] = b"0123456789ABCDEF";
        for &b in data {
            if is_unreserved(b) {
                self.push(&[b]);
            } else {
                self.push(&[b'%', HEX[usize::from(b >> 4)], HEX[usize::from(b & 15)]]);
            }
        }
    }

    /// Appends the hex digest of a finished hash state.
    #[inline(always)]
    fn push_hex_digest(&mut self, state: &[u32; 8]) {
        let end = self.len + 64;
        match self
            .bytes
            .get_mut(self.len..end)
            .and_then(|slot| <&mut [u8; 64]>::try_from(slot).ok())
        {
            Some(slot) => {
                write_hex_digest(state, slot);
                self.len = end;
            }
            None => self.overflow = true,
        }
    }

    #[inline(always)]
    fn push(&mut self, data: &[u8]) {
        let end = self.len + data.len();
        match self.bytes.get_mut(self.len..end) {
            Some(slot) => {
                slot.copy_from_slice(data);
                self.len = end;
            }
            None => self.overflow = true,
        }
    }
}

/// A header value that canonicalizes to itself: visible ASCII and single inner spaces.
fn plain_value(value: &[u8]) -> bool {
    // Folds without early exit or carried state, so both checks vectorize.
    let visible = value
        .iter()
        .fold(true, |ok, &b| ok & (0x20..0x7f).contains(&b));
    let double_space = value
        .iter()
        .zip(value.iter().skip(1))
        .fold(false, |found, (&a, &b)| found | ((a == b' ') & (b == b' ')));
    visible && !double_space && value.first() != Some(&b' ') && value.last() != Some(&b' ')
}

fn never_signed(lower: &[u8]) -> bool {
    NEVER_SIGNED_HEADERS
        .iter()
        .any(|n| n.len() == lower.len() && n.as_bytes() == lower)
}

/// A header line or query pair: name (key) and value, as written.
type Pair<'a> = (&'a [u8], &'a [u8]);

/// The caller's signed headers with lower-cased names, and `host` from the URL if not given.
struct PlainHeaders<'a> {
    names: StackBuf<NAMES_CAPACITY>,
    ranges: [(usize, usize); MAX_ENTRIES],
    values: [&'a [u8]; MAX_ENTRIES],
    count: usize,
    /// `host`, when the caller did not give it.
    host: Option<Host<'a>>,
}

/// The `host` header taken from the URL.
#[derive(Clone, Copy)]
enum Host<'a> {
    /// The URL's host, already lower-case and without a port.
    AsGiven(&'a [u8]),
    /// Where `names` holds it lower-cased, with its port.
    InNames(usize, usize),
}

impl<'a> PlainHeaders<'a> {
    #[inline(always)]
    fn new() -> Self {
        PlainHeaders {
            names: StackBuf::new(),
            ranges: [(0, 0); MAX_ENTRIES],
            values: [b""; MAX_ENTRIES],
            count: 0,
            host: None,
        }
    }

    /// Takes `headers` (built in place: the struct is large to move); `None` when a header is
    /// invalid, not plain, or there are too many.
    fn collect(&mut self, headers: &[(&'a str, &'a str)], url: &ParsedUrl<'a>) -> Option<()> {
        if headers.len() + 3 > MAX_ENTRIES {
            return None;
        }
        let out = self;
        let names = &mut out.names;
        let mut host_given = false;
        for &(name, value) in headers {
            if !is_token(name) || !plain_value(value.as_bytes()) {
                return None;
            }
            let start = names.len;
            names.push(name.as_bytes());
            if names.overflow {
                return None;
            }
            names.bytes[start..names.len].make_ascii_lowercase();
            let lower = &names.bytes[start..names.len];
            if never_signed(lower) || lower == b"x-amz-date" || lower == b"x-amz-security-token" {
                names.len = start;
                continue;
            }
            host_given |= lower == b"host";
            out.ranges[out.count] = (start, names.len);
            out.values[out.count] = value.as_bytes();
            out.count += 1;
        }
        if !host_given {
            let host = url.host.as_bytes();
            out.host = Some(
                if url.port_suffix.is_empty() && !host.iter().any(u8::is_ascii_uppercase) {
                    Host::AsGiven(host)
                } else {
                    let start = names.len;
                    names.push(host);
                    names.bytes[start.min(names.len)..names.len].make_ascii_lowercase();
                    names.push(url.port_suffix.as_bytes());
                    Host::InNames(start, names.len)
                },
            );
        }
        (!names.overflow).then_some(())
    }

    /// The entries plus `extra`, sorted by name, into `entries` (the caller's, so nothing this
    /// size is returned by value); their count, or `None` if a name repeats (the general path
    /// joins those).
    fn sorted<'s>(
        &'s self,
        extra: &[Pair<'s>],
        entries: &mut [Pair<'s>; MAX_ENTRIES],
    ) -> Option<usize> {
        let mut count = 0;
        for i in 0..self.count {
            let (start, end) = self.ranges[i];
            entries[count] = (&self.names.bytes[start..end], self.values[i]);
            count += 1;
        }
        if let Some(host) = self.host {
            let value = match host {
                Host::AsGiven(host) => host,
                Host::InNames(start, end) => &self.names.bytes[start..end],
            };
            entries[count] = (b"host", value);
            count += 1;
        }
        for &entry in extra {
            *entries.get_mut(count)? = entry;
            count += 1;
        }
        let list = &mut entries[..count];
        for i in 1..list.len() {
            let mut j = i;
            while j > 0 && list[j - 1].0 > list[j].0 {
                list.swap(j - 1, j);
                j -= 1;
            }
        }
        if list.windows(2).any(|w| w[0].0 == w[1].0) {
            return None;
        }
        Some(count)
    }
}

/// Where the credential scope starts in the string to sign (after the algorithm and the
/// date-time, each with its line break); it ends before the head's last line break.
const CREDENTIAL_SCOPE_AT: usize = ALGORITHM.len() + 1 + 16 + 1;

/// Writes the string to sign up to the canonical request hash.
fn string_to_sign_head(scope: &Scope<'_>, out: &mut StackBuf<256>) -> Option<()> {
    for part in [
        ALGORITHM.as_bytes(),
        b"\n",
        scope.date.date_time().as_bytes(),
        b"\n",
        scope.date.date().as_bytes(),
        b"/",
        scope.region.as_bytes(),
        b"/",
        scope.service.as_bytes(),
        b"/aws4_request\n",
    ] {
        out.push(part);
    }
    // Room for the canonical hash and the padding written in place.
    (!out.overflow && out.len + 64 + 72 <= 256).then_some(())
}

/// The parts of a canonical request the fast paths vary.
struct Canonical<'x> {
    method: &'x [u8],
    /// Sorted `(key, value)` pairs, already encoded.
    query: &'x [(&'x [u8], &'x [u8])],
    /// Sorted `(name, value)` header entries.
    headers: &'x [(&'x [u8], &'x [u8])],
    /// Whether a session token is in it (its buffer is then wiped).
    secret: bool,
}

impl Canonical<'_> {
    fn upper_bound(&self) -> usize {
        let pairs: usize = self.query.iter().map(|(k, v)| k.len() + v.len() + 2).sum();
        let headers: usize = self
            .headers
            .iter()
            .map(|(n, v)| 2 * n.len() + v.len() + 3)
            .sum();
        self.method.len() + 96 + 72 + pairs + headers
    }
}

/// The body's SHA-256, advanced a few blocks at a time between the signer's other steps and
/// finished alongside the canonical request. A SHA-256 block is a long dependency chain of
/// few instructions, so the CPU runs part of the independent step that follows in its shadow.
struct BodyHash<'b> {
    state: [u32; 8],
    /// Whole blocks of the body not hashed yet.
    whole: &'b [u8],
    /// The padded last block or two (never advanced: only long bodies are, by whole blocks).
    tail: [u8; 128],
    tail_len: usize,
}

/// Body blocks hashed before each step of a signature.
const BLOCKS_PER_STEP: usize = 2;
/// Bodies with fewer whole blocks than this are not advanced: their blocks are better run
/// beside the canonical request's (see `run_jobs`).
const MIN_BLOCKS_TO_ADVANCE: usize = 12;

impl<'b> BodyHash<'b> {
    #[inline(always)]
    fn new(body: &'b [u8]) -> Self {
        let whole = body.len() & !63;
        let (tail, tail_len) = padded_tail(&body[whole..], body.len() as u64);
        BodyHash {
            state: INITIAL_STATE,
            whole: &body[..whole],
            tail,
            tail_len,
        }
    }

    /// Hashes the next few whole blocks now, if the body is long.
    #[inline(always)]
    fn advance(&mut self) {
        if self.whole.len() >= MIN_BLOCKS_TO_ADVANCE * 64 {
            let (now, rest) = self.whole.split_at(BLOCKS_PER_STEP * 64);
            compress(&mut self.state, now);
            self.whole = rest;
        }
    }

    /// The blocks not hashed yet, as a job to run with others.
    fn job(&mut self) -> Job<'_> {
        Job::new(&mut self.state, self.whole, &self.tail[..self.tail_len])
    }
}

fn common_method(method: &str) -> Option<&[u8]> {
    let bytes = method.as_bytes();
    (!bytes.is_empty() && bytes.iter().all(u8::is_ascii_uppercase)).then_some(bytes)
}

/// A signature and the parts of what was signed that its output repeats.
struct Signed<'x> {
    signature: &'x Hex64,
    /// The `;`-joined signed header names.
    signed_headers: &'x str,
    /// `date/region/service/aws4_request`.
    credential_scope: &'x str,
}

impl Signer {
    /// The signature of `canonical`, in a buffer sized to it, handed to `finish` with the
    /// signed header list and the credential scope as they were hashed (their bytes are at
    /// hand there, so the output copies each in one piece).
    fn common_signature<T>(
        &self,
        scope: &Scope<'_>,
        canonical: &Canonical<'_>,
        body: &mut BodyHash<'_>,
        string_to_sign: &mut StackBuf<256>,
        finish: impl FnOnce(Signed<'_>) -> T,
    ) -> Option<T> {
        let bound = canonical.upper_bound();
        if bound <= 512 {
            self.signature_in::<512, T>(scope, canonical, body, string_to_sign, finish)
        } else if bound <= 1024 {
            self.signature_in::<1024, T>(scope, canonical, body, string_to_sign, finish)
        } else {
            self.signature_in::<CANONICAL_CAPACITY, T>(
                scope,
                canonical,
                body,
                string_to_sign,
                finish,
            )
        }
    }

    /// Lays out and hashes the canonical request in an `N`-byte buffer, then signs.
    fn signature_in<const N: usize, T>(
        &self,
        scope: &Scope<'_>,
        request: &Canonical<'_>,
        body: &mut BodyHash<'_>,
        string_to_sign: &mut StackBuf<256>,
        finish: impl FnOnce(Signed<'_>) -> T,
    ) -> Option<T> {
        let mut canonical = StackBuf::<N>::new();
        canonical.push(request.method);
        canonical.push(b"\n/\n");
        for (i, (key, value)) in request.query.iter().enumerate() {
            if i > 0 {
                canonical.push(b"&");
            }
            canonical.push(key);
            canonical.push(b"=");
            canonical.push(value);
        }
        canonical.push(b"\n");
        for (name, value) in request.headers {
            canonical.push(name);
            canonical.push(b":");
            canonical.push(value);
            canonical.push(b"\n");
        }
        canonical.push(b"\n");
        let signed_start = canonical.len;
        for (i, (name, _)) in request.headers.iter().enumerate() {
            if i > 0 {
                canonical.push(b";");
            }
            canonical.push(name);
        }
        let signed_end = canonical.len;
        canonical.push(b"\n");
        // Room for the body hash and the padding written in place.
        if canonical.overflow || canonical.len + 64 + 72 > N {
            if request.secret {
                wipe(&mut canonical.bytes);
            }
            return None;
        }

        body.advance();
        let key = self.signing_key(scope);
        body.advance();
        let head_len = string_to_sign.len;
        // Independent hashes run together (see `run_jobs`): the body with the canonical
        // request up to the body hash, then the canonical request's last blocks with the MAC
        // of the string to sign up to the canonical hash. A closure, so that the buffer is
        // wiped below on every way out.
        let signed = (|| {
            let canonical_whole = canonical.len & !63;
            let mut canonical_state = INITIAL_STATE;
            run_jobs(&mut [
                body.job(),
                Job::new(
                    &mut canonical_state,
                    &canonical.bytes[..canonical_whole],
                    &[],
                ),
            ]);
            canonical.push_hex_digest(&body.state);
            let canonical_end =
                pad_in_place(&mut canonical.bytes, canonical.len, canonical.len as u64)?;
            let sts_whole = head_len & !63;
            let mut mac_state = key.inner_state();
            run_jobs(&mut [
                Job::new(
                    &mut canonical_state,
                    &canonical.bytes[canonical_whole..canonical_end],
                    &[],
                ),
                Job::new(&mut mac_state, &string_to_sign.bytes[..sts_whole], &[]),
            ]);
            string_to_sign.push_hex_digest(&canonical_state);
            let sts_len = string_to_sign.len;
            let sts_end = pad_in_place(&mut string_to_sign.bytes, sts_len, 64 + sts_len as u64)?;
            compress(&mut mac_state, &string_to_sign.bytes[sts_whole..sts_end]);
            let signature = Hex64::of_state(&key.outer_state(&digest(&mac_state)));
            Some(finish(Signed {
                signature: &signature,
                signed_headers: ascii_str(&canonical.bytes[signed_start..signed_end]),
                credential_scope: ascii_str(
                    &string_to_sign.bytes[CREDENTIAL_SCOPE_AT..head_len - 1],
                ),
            }))
        })();
        if request.secret {
            wipe(&mut canonical.bytes[..canonical.len]);
        }
        signed
    }

    /// [`Signer::sign`] for the common shape, or `None` to take the general path.
    pub(super) fn sign_common(
        &self,
        req: &SignableRequest<'_>,
        params: &SigningParams<'_>,
    ) -> Option<SigningOutput> {
        let settings = &params.settings;
        if settings.payload != PayloadMode::Hash || settings.omit_session_token {
            return None;
        }
        let mut body = BodyHash::new(req.body);
        body.advance();
        let url = parse_url(req.url).ok()?;
        if !(url.path.is_empty() || url.path == "/") || !url.query.is_empty() {
            return None;
        }
        let method = common_method(req.method)?;
        let mut headers = PlainHeaders::new();
        body.advance();
        headers.collect(req.headers, &url)?;
        body.advance();
        let scope = Scope::new(params).ok()?;
        body.advance();
        let mut string_to_sign = StackBuf::new();
        string_to_sign_head(&scope, &mut string_to_sign)?;
        body.advance();
        let date: (&[u8], &[u8]) = (b"x-amz-date", scope.date.date_time().as_bytes());
        let mut entries = [(&b""[..], &b""[..]); MAX_ENTRIES];
        let count = match scope.token {
            Some(token) => headers.sorted(
                &[date, (b"x-amz-security-token", token.as_bytes())],
                &mut entries,
            ),
            None => headers.sorted(&[date], &mut entries),
        }?;
        let entries = &entries[..count];
        body.advance();
        let canonical = Canonical {
            method,
            query: &[],
            headers: entries,
            secret: scope.token.is_some(),
        };
        self.common_signature(
            &scope,
            &canonical,
            &mut body,
            &mut string_to_sign,
            |signed| {
                let (credential_scope, signed_headers) =
                    (signed.credential_scope, signed.signed_headers);
                SigningOutput::build(
                    &scope,
                    None,
                    (credential_scope.len(), |buf: &mut String| {
                        buf.push_str(credential_scope)
                    }),
                    (signed_headers.len(), |buf: &mut String| {
                        buf.push_str(signed_headers)
                    }),
                    signed.signature,
                )
            },
        )
    }

    /// [`Signer::presign`] for the common shape, or `None` to take the general path.
    pub(super) fn presign_common(
        &self,
        req: &SignableRequest<'_>,
        params: &SigningParams<'_>,
        expires_in_secs: u32,
    ) -> Option<String> {
        let settings = &params.settings;
        if settings.payload != PayloadMode::Hash
            || settings.omit_session_token
            || !(1..=MAX_PRESIGN_EXPIRY_SECS).contains(&expires_in_secs)
        {
            return None;
        }
        let mut body = BodyHash::new(req.body);
        body.advance();
        let url = parse_url(req.url).ok()?;
        if !(url.path.is_empty() || url.path == "/") {
            return None;
        }
        // Unreserved keys and values decode and re-encode to themselves.
        let plain_query = url
            .query
            .bytes()
            .all(|b| is_unreserved(b) || b == b'=' || b == b'&');
        if !plain_query {
            return None;
        }
        let method = common_method(req.method)?;
        let mut headers = PlainHeaders::new();
        body.advance();
        headers.collect(req.headers, &url)?;
        body.advance();
        let scope = Scope::new(params).ok()?;
        body.advance();
        let mut string_to_sign = StackBuf::new();
        string_to_sign_head(&scope, &mut string_to_sign)?;
        let mut entries = [(&b""[..], &b""[..]); MAX_ENTRIES];
        let count = headers.sorted(&[], &mut entries)?;
        let entries = &entries[..count];

        let mut signed = StackBuf::<256>::new();
        for (i, (name, _)) in entries.iter().enumerate() {
            if i > 0 {
                signed.push(b"%3B");
            }
            signed.push_encoded(name);
        }
        let mut credential = StackBuf::<256>::new();
        credential.push_encoded(scope.access_key_id.as_bytes());
        credential.push(b"%2F");
        credential.push(scope.date.date().as_bytes());
        credential.push(b"%2F");
        credential.push_encoded(scope.region.as_bytes());
        credential.push(b"%2F");
        credential.push_encoded(scope.service.as_bytes());
        credential.push(b"%2Faws4_request");
        let mut token = StackBuf::<CANONICAL_CAPACITY>::new();
        if let Some(t) = scope.token {
            token.push_encoded(t.as_bytes());
        }
        let expires = itoa_u32(expires_in_secs);
        let expires_len = expires.len;
        let expires = &expires.bytes[..expires_len];
        if signed.overflow || credential.overflow || token.overflow {
            wipe(&mut token.bytes);
            return None;
        }

        // The URL's pairs in order, then the signer's, as the URL will carry them.
        let mut pairs: [(&[u8], &[u8]); MAX_PAIRS] = [(b"", b""); MAX_PAIRS];
        let mut count = 0;
        for pair in url.query.split('&').filter(|p| !p.is_empty()) {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            *pairs.get_mut(count)? = (key.as_bytes(), value.as_bytes());
            count += 1;
        }
        if count + 6 > MAX_PAIRS {
            return None;
        }
        let own: [(&[u8], &[u8]); 6] = [
            (b"X-Amz-Algorithm", ALGORITHM.as_bytes()),
            (b"X-Amz-Credential", &credential.bytes[..credential.len]),
            (b"X-Amz-Date", scope.date.date_time().as_bytes()),
            (b"X-Amz-Expires", expires),
            (b"X-Amz-SignedHeaders", &signed.bytes[..signed.len]),
            (b"X-Amz-Security-Token", &token.bytes[..token.len]),
        ];
        let own = &own[..if scope.token.is_some() { 6 } else { 5 }];
        for &pair in own {
            pairs[count] = pair;
            count += 1;
        }
        let in_url_order = &pairs[..count];
        let mut sorted = pairs;
        sorted[..count].sort_unstable();

        let canonical = Canonical {
            method,
            query: &sorted[..count],
            headers: entries,
            secret: scope.token.is_some(),
        };
        let signature = self.common_signature(
            &scope,
            &canonical,
            &mut body,
            &mut string_to_sign,
            |signed| Hex64(signed.signature.0),
        );
        let Some(signature) = signature else {
            wipe(&mut token.bytes);
            return None;
        };

        let query_len: usize = in_url_order
            .iter()
            .map(|(k, v)| k.len() + v.len() + 2)
            .sum();
        let mut out = String::with_capacity(url.origin.len() + 2 + query_len + 17 + 64);
        out.push_str(url.origin);
        out.push_str("/?");
        for (i, (key, value)) in in_url_order.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            out.push_str(ascii_str(key));
            out.push('=');
            out.push_str(ascii_str(value));
        }
        out.push_str("&X-Amz-Signature=");
        out.push_str(signature.as_str());
        wipe(&mut token.bytes[..token.len]);
        Some(out)
    }
}

/// Decimal digits of `n`.
fn itoa_u32(mut n: u32) -> StackBuf<10> {
    let mut digits = [0u8; 10];
    let mut at = digits.len();
    loop {
        at -= 1;
        digits[at] = b'0' + (n % 10) as u8;
        n /= 10;
        if n == 0 {
            break;
        }
    }
    let mut out = StackBuf::<10>::new();
    out.push(&digits[at..]);
    out
}
