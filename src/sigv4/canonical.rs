//! Canonicalization of a request per the SigV4 rules, written into a [`Sink`] so the fast path
//! can hash it incrementally and the diagnosis path can collect it as text.

use std::borrow::Cow;

use super::SigningError;
use crate::encoding::{is_unreserved, percent_decode, uri_encode_into};

/// Headers that are never signed: `authorization` (it carries the signature), `user-agent`,
/// `expect`, the hop-by-hop headers and the tracing headers that proxies and SDKs change on the
/// way (botocore's deny list). Sorted, lower-case.
pub const NEVER_SIGNED_HEADERS: &[&str] = &[
    "authorization",
    "baggage",
    "connection",
    "expect",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "traceparent",
    "tracestate",
    "trailer",
    "transfer-encoding",
    "upgrade",
    "user-agent",
    "x-amzn-trace-id",
];

/// Where canonical text goes: a hasher on the fast path, a `String` when explaining.
pub(crate) trait Sink {
    fn put(&mut self, s: &str);

    /// Writes an ASCII token lower-cased without allocating.
    #[inline]
    fn put_lower(&mut self, s: &str) {
        let mut buf = [0u8; 64];
        if s.len() <= buf.len() {
            let lowered = &mut buf[..s.len()];
            lowered.copy_from_slice(s.as_bytes());
            lowered.make_ascii_lowercase();
            // Lower-casing ASCII letters keeps UTF-8 valid (other bytes are left alone).
            self.put(std::str::from_utf8(lowered).unwrap_or_default());
            return;
        }
        for chunk in s.as_bytes().chunks(buf.len()) {
            let lowered = &mut buf[..chunk.len()];
            lowered.copy_from_slice(chunk);
            lowered.make_ascii_lowercase();
            // Header names are validated tokens (ASCII), so a chunk is always valid UTF-8.
            if let Ok(text) = std::str::from_utf8(lowered) {
                self.put(text);
            }
        }
    }
}

impl Sink for String {
    #[inline]
    fn put(&mut self, s: &str) {
        self.push_str(s);
    }
}

/// Counts bytes, to size a buffer exactly before writing into it.
pub(crate) struct Counter(pub usize);

impl Sink for Counter {
    #[inline]
    fn put(&mut self, s: &str) {
        self.0 += s.len();
    }
}

/// The parts of a request URL that signing needs, borrowed from the URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct ParsedUrl<'a> {
    /// `scheme://authority`, as given.
    pub origin: &'a str,
    /// Host without user info or port, as given (lower-cased when written).
    pub host: &'a str,
    /// `:port` when the port is not the scheme's default, else empty.
    pub port_suffix: &'a str,
    /// Path as given; may be empty.
    pub path: &'a str,
    /// Query without `?` and without fragment; may be empty.
    pub query: &'a str,
}

/// Whether no byte is a control character; without an early exit, so it vectorizes.
#[inline]
pub(crate) fn no_controls(bytes: &[u8]) -> bool {
    bytes
        .iter()
        .fold(true, |ok, &b| ok & (b >= 0x20) & (b != 0x7f))
}

/// Bytes of a lower-case DNS name.
const DNS_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-' || c == b'.';
        b += 1;
    }
    table
};

/// [`parse_url`] in one pass for the shape of every STS endpoint and presigned STS URL:
/// `https://` or `http://`, a lower-case DNS host, no port or user info, then nothing, `/`, or
/// `/?` and a query of unreserved bytes, `=` and `&`. `None` for anything else.
fn parse_plain_url(url: &str) -> Option<ParsedUrl<'_>> {
    let scheme_len = if url.starts_with("https://") {
        8
    } else if url.starts_with("http://") {
        7
    } else {
        return None;
    };
    let rest = &url[scheme_len..];
    // One pass: DNS bytes up to the first `/`; anything else sends the URL to `parse_url`.
    let mut host_len = rest.len();
    for (i, &b) in rest.as_bytes().iter().enumerate() {
        if b == b'/' {
            host_len = i;
            break;
        }
        if !DNS_BYTES[usize::from(b)] {
            return None;
        }
    }
    let (host, after) = rest.split_at(host_len);
    if host.is_empty() {
        return None;
    }
    let (path, query) = match after.as_bytes() {
        [] => ("", ""),
        [b'/'] => ("/", ""),
        [b'/', b'?', query @ ..]
            if query
                .iter()
                .all(|&b| is_unreserved(b) || b == b'=' || b == b'&') =>
        {
            ("/", &after[2..])
        }
        _ => return None,
    };
    Some(ParsedUrl {
        origin: &url[..scheme_len + host_len],
        host,
        port_suffix: "",
        path,
        query,
    })
}

pub(crate) fn parse_url(url: &str) -> Result<ParsedUrl<'_>, SigningError> {
    match parse_plain_url(url) {
        Some(plain) => Ok(plain),
        None => parse_any_url(url),
    }
}

/// [`parse_url`] for any URL.
fn parse_any_url(url: &str) -> Result<ParsedUrl<'_>, SigningError> {
    if !no_controls(url.as_bytes()) {
        return Err(SigningError::InvalidUrl {
            reason: "the URL contains a control character",
        });
    }
    let scheme_len = if url.len() >= 8 && url.as_bytes()[..8].eq_ignore_ascii_case(b"https://") {
        5
    } else if url.len() >= 7 && url.as_bytes()[..7].eq_ignore_ascii_case(b"http://") {
        4
    } else {
        url.find("://").ok_or(SigningError::InvalidUrl {
            reason: "the URL has no `scheme://` prefix",
        })?
    };
    let (scheme, rest) = (&url[..scheme_len], &url[scheme_len + 3..]);
    let default_port = if scheme.eq_ignore_ascii_case("https") {
        "443"
    } else if scheme.eq_ignore_ascii_case("http") {
        "80"
    } else {
        return Err(SigningError::UnsupportedScheme {
            scheme: scheme.chars().take(16).collect(),
        });
    };
    // One pass over the authority: its end, the last `@` (user info), the last `:` (port) and
    // the first space or backslash after that `@` (separate searches cost more on short URLs).
    let mut authority_end = rest.len();
    let (mut last_at, mut last_colon, mut first_bad) = (None, None, None);
    for (i, b) in rest.bytes().enumerate() {
        match b {
            b'/' | b'?' | b'#' => {
                authority_end = i;
                break;
            }
            b'@' => {
                last_at = Some(i);
                first_bad = None;
            }
            b':' => last_colon = Some(i),
            b' ' | b'\\' if first_bad.is_none() => first_bad = Some(i),
            _ => {}
        }
    }
    let authority = &rest[..authority_end];
    let origin = &url[..scheme.len() + 3 + authority_end];
    let after = &rest[authority_end..];
    let after = after.split_once('#').map_or(after, |(before, _)| before);
    let (path, query) = if after == "/" {
        (after, "")
    } else {
        after.split_once('?').unwrap_or((after, ""))
    };

    let host_start = last_at.map_or(0, |i| i + 1);
    let host_port = &authority[host_start..];
    let (host, port, host_has_bad) = if let Some(bracketed) = host_port.strip_prefix('[') {
        let close = bracketed.find(']').ok_or(SigningError::InvalidUrl {
            reason: "an IPv6 host has no closing `]`",
        })?;
        let host = &host_port[..close + 2];
        let tail = &bracketed[close + 1..];
        let port = match tail.strip_prefix(':') {
            Some(p) => p,
            None if tail.is_empty() => "",
            None => {
                return Err(SigningError::InvalidUrl {
                    reason: "unexpected text after an IPv6 host",
                })
            }
        };
        (host, port, host.bytes().any(|b| b == b' ' || b == b'\\'))
    } else {
        let host_end = last_colon
            .filter(|&i| i >= host_start)
            .unwrap_or(authority_end);
        (
            &authority[host_start..host_end],
            authority.get(host_end + 1..).unwrap_or(""),
            first_bad.is_some_and(|i| i < host_end),
        )
    };
    if host.is_empty() || host == "[]" {
        return Err(SigningError::MissingHost);
    }
    if host_has_bad {
        return Err(SigningError::InvalidUrl {
            reason: "the host contains a space or a backslash",
        });
    }
    if !port.bytes().all(|b| b.is_ascii_digit()) {
        return Err(SigningError::InvalidUrl {
            reason: "the port is not a number",
        });
    }
    let port_digits = port.trim_start_matches('0');
    let port_suffix = if port.is_empty() || port_digits == default_port {
        ""
    } else {
        // Keep `:port` exactly as the URL has it (botocore prints the parsed number; the two
        // differ only for leading zeros, which we drop the same way when they name the default).
        &host_port[host_port.len() - port.len() - 1..]
    };
    Ok(ParsedUrl {
        origin,
        host,
        port_suffix,
        path,
        query,
    })
}

/// A header value as the canonical request writes it.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Value<'a> {
    /// Produced by the signer: written exactly.
    Exact(&'a str),
    /// From the caller: trimmed, inner whitespace runs (and obs-folds) collapsed to one space.
    Caller(&'a str),
    /// `host` taken from the URL: host lower-cased, then the non-default port.
    Host { host: &'a str, port_suffix: &'a str },
}

#[derive(Debug, Clone, Copy)]
pub(crate) struct Entry<'a> {
    pub name: &'a str,
    pub value: Value<'a>,
}

const EMPTY_ENTRY: Entry<'static> = Entry {
    name: "",
    value: Value::Exact(""),
};
const INLINE_ENTRIES: usize = 12;

/// Header entries: on the stack when few (the common case), else on the heap.
#[allow(clippy::large_enum_variant)] // inline on purpose: no allocation for few headers
pub(crate) enum Entries<'a> {
    Inline([Entry<'a>; INLINE_ENTRIES], usize),
    Heap(Vec<Entry<'a>>),
}

impl<'a> Entries<'a> {
    pub fn new() -> Self {
        Entries::Inline([EMPTY_ENTRY; INLINE_ENTRIES], 0)
    }

    pub fn push(&mut self, entry: Entry<'a>) {
        match self {
            Entries::Inline(items, len) if *len < INLINE_ENTRIES => {
                items[*len] = entry;
                *len += 1;
            }
            Entries::Inline(items, len) => {
                let mut heap = Vec::with_capacity(*len * 2);
                heap.extend_from_slice(&items[..*len]);
                heap.push(entry);
                *self = Entries::Heap(heap);
            }
            Entries::Heap(heap) => heap.push(entry),
        }
    }

    pub fn as_slice(&self) -> &[Entry<'a>] {
        match self {
            Entries::Inline(items, len) => &items[..*len],
            Entries::Heap(heap) => heap,
        }
    }

    fn as_mut_slice(&mut self) -> &mut [Entry<'a>] {
        match self {
            Entries::Inline(items, len) => &mut items[..*len],
            Entries::Heap(heap) => heap,
        }
    }

    /// Stable sort by lower-cased name, so repeated headers keep their order.
    pub fn sort(&mut self) {
        let items = self.as_mut_slice();
        if items.len() <= INLINE_ENTRIES {
            for i in 1..items.len() {
                let mut j = i;
                while j > 0 && cmp_lower(items[j - 1].name, items[j].name).is_gt() {
                    items.swap(j - 1, j);
                    j -= 1;
                }
            }
        } else {
            items.sort_by(|a, b| cmp_lower(a.name, b.name));
        }
    }
}

fn cmp_lower(a: &str, b: &str) -> std::cmp::Ordering {
    a.bytes()
        .map(|c| c.to_ascii_lowercase())
        .cmp(b.bytes().map(|c| c.to_ascii_lowercase()))
}

/// The bytes RFC 9110 allows in a token (a method or header name), as a table: a lookup per
/// byte is cheaper than the chain of comparisons, and names are checked on every signature.
const TOKEN_BYTES: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        table[b] = c.is_ascii_alphanumeric()
            || matches!(
                c,
                b'!' | b'#'
                    | b'$'
                    | b'%'
                    | b'&'
                    | b'\''
                    | b'*'
                    | b'+'
                    | b'-'
                    | b'.'
                    | b'^'
                    | b'_'
                    | b'`'
                    | b'|'
                    | b'~'
            );
        b += 1;
    }
    table
};

pub(crate) fn is_token(name: &str) -> bool {
    !name.is_empty()
        && name
            .bytes()
            .fold(true, |ok, b| ok & TOKEN_BYTES[usize::from(b)])
}

/// Checks a caller's header value: visible bytes, spaces and tabs, and obs-folds (a line break
/// followed by a space or tab). Any other control byte is an error.
pub(crate) fn check_value(name: &str, value: &str) -> Result<(), SigningError> {
    let bytes = value.as_bytes();
    let plain = bytes.iter().fold(true, |ok, &b| {
        ok & ((b >= 0x20 && b != 0x7f) | (b == b'\t'))
    });
    if plain {
        return Ok(());
    }
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == 0x7f || (b < 0x20 && b != b'\t') {
            let fold_at = match (b, bytes.get(i + 1)) {
                (b'\r', Some(b'\n')) => i + 2,
                (b'\n', _) => i + 1,
                _ => usize::MAX,
            };
            if !matches!(bytes.get(fold_at), Some(b' ' | b'\t')) {
                return Err(SigningError::InvalidHeaderValue {
                    name: name.to_owned(),
                    reason: "it contains a control character (other than an obs-fold line break)",
                });
            }
            i = fold_at;
            continue;
        }
        i += 1;
    }
    Ok(())
}

#[inline]
fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\r' | b'\n')
}

fn put_trimmed<S: Sink>(sink: &mut S, value: &str) {
    let bytes = value.as_bytes();
    // One pass without early exit: no tab/CR/LF and no space after a space.
    let (clean_inside, _) = bytes.iter().fold((true, false), |(ok, after_space), &b| {
        let space = b == b' ';
        (
            ok & !matches!(b, b'\t' | b'\r' | b'\n') & !(space & after_space),
            space,
        )
    });
    let clean = clean_inside && bytes.first() != Some(&b' ') && bytes.last() != Some(&b' ');
    if clean {
        sink.put(value);
        return;
    }
    let mut first = true;
    for word in value.split(|c: char| c.is_ascii() && is_space(c as u8)) {
        if word.is_empty() {
            continue;
        }
        if !first {
            sink.put(" ");
        }
        sink.put(word);
        first = false;
    }
}

fn put_value<S: Sink>(sink: &mut S, value: Value<'_>) {
    match value {
        Value::Exact(v) => sink.put(v),
        Value::Caller(v) => put_trimmed(sink, v),
        Value::Host { host, port_suffix } => {
            sink.put_lower(host);
            sink.put(port_suffix);
        }
    }
}

/// Writes `name:value\n` lines, repeated names joined into one line with commas.
pub(crate) fn put_canonical_headers<S: Sink>(sink: &mut S, entries: &[Entry<'_>]) {
    let mut i = 0;
    while i < entries.len() {
        let name = entries[i].name;
        sink.put_lower(name);
        sink.put(":");
        put_value(sink, entries[i].value);
        i += 1;
        while i < entries.len() && entries[i].name.eq_ignore_ascii_case(name) {
            sink.put(",");
            put_value(sink, entries[i].value);
            i += 1;
        }
        sink.put("\n");
    }
}

/// Writes the `;`-joined unique lower-case names (entries must be sorted).
pub(crate) fn put_signed_headers<S: Sink>(sink: &mut S, entries: &[Entry<'_>]) {
    let mut previous: Option<&str> = None;
    for entry in entries {
        if previous.is_some_and(|p| p.eq_ignore_ascii_case(entry.name)) {
            continue;
        }
        if previous.is_some() {
            sink.put(";");
        }
        sink.put_lower(entry.name);
        previous = Some(entry.name);
    }
}

/// The canonical URI: the path (normalized if asked), each byte outside the unreserved set and
/// `/` percent-encoded. With `double_encode`, a `%` already in the path is encoded again (`%25`),
/// as every service but S3 expects; without it, existing escapes are kept.
pub(crate) fn canonical_path(path: &str, normalize: bool, double_encode: bool) -> Cow<'_, str> {
    if path.is_empty() || path == "/" {
        return Cow::Borrowed("/");
    }
    let normalized: Cow<'_, str> = if normalize {
        Cow::Owned(remove_dot_segments(path))
    } else {
        Cow::Borrowed(path)
    };
    if normalized
        .bytes()
        .all(|b| crate::encoding::is_unreserved(b) || b == b'/')
    {
        return match normalized {
            Cow::Borrowed(p) => Cow::Borrowed(p),
            Cow::Owned(p) => Cow::Owned(p),
        };
    }
    let mut out = String::with_capacity(normalized.len() + 16);
    if double_encode {
        uri_encode_into(&mut out, normalized.as_bytes(), false);
    } else {
        for segment in normalized.split('%').enumerate() {
            let (index, text) = segment;
            if index > 0 {
                out.push('%');
            }
            uri_encode_into(&mut out, text, false);
        }
    }
    Cow::Owned(out)
}

/// RFC 3986 section 5.2.4, and repeated slashes merged, exactly as botocore does it.
fn remove_dot_segments(path: &str) -> String {
    let mut segments: Vec<&str> = Vec::new();
    for segment in path.split('/') {
        match segment {
            "" | "." => {}
            ".." => {
                segments.pop();
            }
            other => segments.push(other),
        }
    }
    let mut out = String::with_capacity(path.len());
    if path.starts_with('/') {
        out.push('/');
    }
    out.push_str(&segments.join("/"));
    if path.ends_with('/') && !segments.is_empty() {
        out.push('/');
    }
    if out.is_empty() {
        out.push('/');
    }
    out
}

/// Query parameters of a URL, each key and value decoded (`+` as space, as botocore's
/// `parse_qs` does) and RFC 3986 encoded again. Empty pairs are dropped; a key without `=` has
/// an empty value. Returned in URL order.
pub(crate) fn encoded_query_pairs(query: &str) -> Vec<(String, String)> {
    query
        .split('&')
        .filter(|pair| !pair.is_empty())
        .map(|pair| {
            let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
            let mut k = String::with_capacity(key.len());
            uri_encode_into(&mut k, percent_decode(key, true), true);
            let mut v = String::with_capacity(value.len());
            uri_encode_into(&mut v, percent_decode(value, true), true);
            (k, v)
        })
        .collect()
}

/// Joins pairs sorted by encoded key, then encoded value.
pub(crate) fn canonical_query(pairs: &[(String, String)]) -> String {
    let mut sorted: Vec<&(String, String)> = pairs.iter().collect();
    sorted.sort();
    join_pairs(sorted.into_iter())
}

pub(crate) fn join_pairs<'p>(pairs: impl Iterator<Item = &'p (String, String)>) -> String {
    let mut out = String::new();
    for (i, (k, v)) in pairs.enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
    out
}

/// Everything of the canonical request, borrowed.
pub(crate) struct CanonicalRequest<'a> {
    pub method: &'a str,
    pub path: Cow<'a, str>,
    pub query: Cow<'a, str>,
    pub entries: Entries<'a>,
    pub payload_hash: &'a str,
}

impl CanonicalRequest<'_> {
    pub fn write<S: Sink>(&self, sink: &mut S) {
        put_upper(sink, self.method);
        sink.put("\n");
        sink.put(&self.path);
        sink.put("\n");
        sink.put(&self.query);
        sink.put("\n");
        put_canonical_headers(sink, self.entries.as_slice());
        sink.put("\n");
        put_signed_headers(sink, self.entries.as_slice());
        sink.put("\n");
        sink.put(self.payload_hash);
    }
}

fn put_upper<S: Sink>(sink: &mut S, method: &str) {
    if !method.bytes().any(|b| b.is_ascii_lowercase()) {
        sink.put(method);
        return;
    }
    let mut buf = [0u8; 32];
    for chunk in method.as_bytes().chunks(buf.len()) {
        let upper = &mut buf[..chunk.len()];
        upper.copy_from_slice(chunk);
        upper.make_ascii_uppercase();
        if let Ok(text) = std::str::from_utf8(upper) {
            sink.put(text);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        /// The one-pass parser reads every URL it takes exactly as the general one does.
        #[test]
        fn plain_urls_parse_as_the_general_parser_does(
            scheme in prop_oneof![Just("https://"), Just("http://"), Just("HTTPS://")],
            host in prop_oneof!["[a-z0-9.-]{1,20}", "[a-zA-Z0-9.-]{0,20}"],
            port in prop_oneof![Just(""), Just(":443"), Just(":8080")],
            rest in prop_oneof![
                Just(String::new()),
                Just("/".to_owned()),
                "/\\?[A-Za-z0-9=&._~-]{0,30}",
                "/\\?[ -~]{0,10}",
                "[/?#@][ -~]{0,10}",
            ],
        ) {
            let url = format!("{scheme}{host}{port}{rest}");
            if let Some(plain) = parse_plain_url(&url) {
                prop_assert_eq!(Ok(plain), parse_any_url(&url));
            }
        }
    }

    #[test]
    fn the_sts_shapes_take_the_one_pass_parser() {
        for url in [
            "https://sts.amazonaws.com",
            "https://sts.us-east-1.amazonaws.com/",
            "https://sts.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
        ] {
            assert_eq!(
                parse_plain_url(url),
                Some(parse_any_url(url).unwrap()),
                "{url}"
            );
        }
        for url in [
            "https://STS.amazonaws.com/",
            "https://sts.amazonaws.com:443/",
            "https://user@sts.amazonaws.com/",
            "https://sts.amazonaws.com/a",
            "https://sts.amazonaws.com/?a=b#c",
            "https://sts.amazonaws.com/?a=%41",
            "https:///",
        ] {
            assert_eq!(parse_plain_url(url), None, "{url}");
        }
    }
}
