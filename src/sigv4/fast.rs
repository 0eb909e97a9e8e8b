//! Header signing for the common request shape (what every STS call looks like): path `/`, no
//! query, a few headers with plain values, the default payload mode. The canonical request is
//! laid out in one stack buffer and hashed in one call. Anything else — including every
//! invalid input, so errors come from one place — returns `None` and takes the general path,
//! which produces the same bytes (tested against it).

use zeroize::Zeroize;

use super::canonical::{is_token, parse_url, NEVER_SIGNED_HEADERS};
use super::hash::{digest, finish_from, padded_tail, run_jobs, Job, INITIAL_STATE};
use super::{
    ascii_str, Hex64, PayloadMode, Scope, SignableRequest, Signer, SigningOutput, SigningParams,
    ALGORITHM,
};

/// Most headers the fast path takes (the caller's, plus host, date and token).
const MAX_ENTRIES: usize = 8;
/// Canonical request capacity; a longer one (a very long token) takes the general path.
const CANONICAL_CAPACITY: usize = 2048;
const NAMES_CAPACITY: usize = 256;

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
    let (ok, _) = value.iter().fold((true, false), |(ok, after_space), &b| {
        let space = b == b' ';
        (
            ok & ((0x21..0x7f).contains(&b) | space) & !(space & after_space),
            space,
        )
    });
    ok && value.first() != Some(&b' ') && value.last() != Some(&b' ')
}

fn never_signed(lower: &[u8]) -> bool {
    NEVER_SIGNED_HEADERS
        .iter()
        .any(|n| n.len() == lower.len() && n.as_bytes() == lower)
}

impl Signer {
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
        let url = parse_url(req.url).ok()?;
        if !(url.path.is_empty() || url.path == "/") || !url.query.is_empty() {
            return None;
        }
        let method = req.method.as_bytes();
        if method.is_empty() || !method.iter().all(u8::is_ascii_uppercase) {
            return None;
        }
        if req.headers.len() + 3 > MAX_ENTRIES {
            return None;
        }
        let scope = Scope::new(params).ok()?;
        // The string to sign up to the canonical request hash.
        let mut string_to_sign = StackBuf::<256>::new();
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
            string_to_sign.push(part);
        }
        if string_to_sign.overflow || string_to_sign.len + 64 > 256 {
            return None;
        }

        // Lower-cased names of the caller's headers and the host value, side by side.
        let mut names = StackBuf::<NAMES_CAPACITY>::new();
        let mut ranges = [(0usize, 0usize); MAX_ENTRIES];
        let mut values: [&[u8]; MAX_ENTRIES] = [b""; MAX_ENTRIES];
        let mut count = 0;
        let mut host_given = false;
        for &(name, value) in req.headers {
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
            ranges[count] = (start, names.len);
            values[count] = value.as_bytes();
            count += 1;
        }
        let host_value = if host_given {
            None
        } else {
            let start = names.len;
            names.push(url.host.as_bytes());
            names.bytes[start.min(names.len)..names.len].make_ascii_lowercase();
            names.push(url.port_suffix.as_bytes());
            Some((start, names.len))
        };
        if names.overflow {
            return None;
        }
        let mut entries: [(&[u8], &[u8]); MAX_ENTRIES] = [(b"", b""); MAX_ENTRIES];
        for i in 0..count {
            entries[i] = (&names.bytes[ranges[i].0..ranges[i].1], values[i]);
        }
        if let Some((start, end)) = host_value {
            entries[count] = (b"host", &names.bytes[start..end]);
            count += 1;
        }
        entries[count] = (b"x-amz-date", scope.date.date_time().as_bytes());
        count += 1;
        if let Some(token) = scope.token {
            entries[count] = (b"x-amz-security-token", token.as_bytes());
            count += 1;
        }
        let entries = &mut entries[..count];
        for i in 1..entries.len() {
            let mut j = i;
            while j > 0 && entries[j - 1].0 > entries[j].0 {
                entries.swap(j - 1, j);
                j -= 1;
            }
        }
        // Repeated names are joined into one line: the general path does that.
        if entries.windows(2).any(|w| w[0].0 == w[1].0) {
            return None;
        }

        // An upper bound of the canonical request's length: most fit a small buffer, which is
        // cheaper to set up.
        let estimate = method.len()
            + 80
            + entries
                .iter()
                .map(|(n, v)| 2 * n.len() + v.len() + 3)
                .sum::<usize>();
        if estimate <= 512 {
            self.finish_common::<512>(&scope, method, entries, req.body, string_to_sign)
        } else {
            self.finish_common::<CANONICAL_CAPACITY>(
                &scope,
                method,
                entries,
                req.body,
                string_to_sign,
            )
        }
    }

    /// Lays out and hashes the canonical request in an `N`-byte buffer, then signs.
    fn finish_common<const N: usize>(
        &self,
        scope: &Scope<'_>,
        method: &[u8],
        entries: &[(&[u8], &[u8])],
        body: &[u8],
        mut string_to_sign: StackBuf<256>,
    ) -> Option<SigningOutput> {
        let mut canonical = StackBuf::<N>::new();
        canonical.push(method);
        canonical.push(b"\n/\n\n");
        for (name, value) in entries.iter() {
            canonical.push(name);
            canonical.push(b":");
            canonical.push(value);
            canonical.push(b"\n");
        }
        canonical.push(b"\n");
        let signed_start = canonical.len;
        for (i, (name, _)) in entries.iter().enumerate() {
            if i > 0 {
                canonical.push(b";");
            }
            canonical.push(name);
        }
        let signed_end = canonical.len;
        canonical.push(b"\n");
        if canonical.overflow || canonical.len + 64 > N {
            if scope.token.is_some() {
                canonical.bytes.zeroize();
            }
            return None;
        }

        // Three independent hashes first, their blocks paired: the body, the canonical request
        // up to the body hash, and the MAC of the string to sign up to the canonical hash.
        let key = self.signing_key(scope);
        let body_whole = body.len() & !63;
        let (body_tail, body_tail_len) = padded_tail(&body[body_whole..], body.len() as u64);
        let canonical_whole = canonical.len & !63;
        let sts_whole = string_to_sign.len & !63;
        let mut body_state = INITIAL_STATE;
        let mut canonical_state = INITIAL_STATE;
        let mut mac_state = key.inner_state();
        run_jobs(&mut [
            Job::new(
                &mut body_state,
                &body[..body_whole],
                &body_tail[..body_tail_len],
            ),
            Job::new(
                &mut canonical_state,
                &canonical.bytes[..canonical_whole],
                &[],
            ),
            Job::new(&mut mac_state, &string_to_sign.bytes[..sts_whole], &[]),
        ]);
        canonical.push(&Hex64::new(&digest(&body_state)).0);
        let canonical_hash = Hex64::new(&finish_from(
            canonical_state,
            canonical_whole as u64,
            &canonical.bytes[canonical_whole..canonical.len],
        ));
        string_to_sign.push(&canonical_hash.0);
        let inner = finish_from(
            mac_state,
            64 + sts_whole as u64,
            &string_to_sign.bytes[sts_whole..string_to_sign.len],
        );
        let signature = Hex64::new(&key.outer(&inner));

        let signed_headers = ascii_str(&canonical.bytes[signed_start..signed_end]);
        let output = SigningOutput::build(
            scope,
            None,
            signed_headers.len(),
            |buf| buf.push_str(signed_headers),
            signature.as_str(),
        );
        if scope.token.is_some() {
            canonical.bytes[..canonical.len].zeroize();
        }
        Some(output)
    }
}
