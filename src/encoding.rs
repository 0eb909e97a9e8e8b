//! Percent-encoding as AWS needs it.
//!
//! Two encodings are in play, and mixing them up breaks signatures:
//! - the form body of the query protocol, byte for byte as botocore writes it (space as `+`);
//! - the RFC 3986 encoding of SigV4 canonical query strings and paths (space as `%20`).

const HEX_UPPER: &[u8; 16] = b"0123456789ABCDEF";

/// Whether `b` is in the RFC 3986 unreserved set `A-Z a-z 0-9 - _ . ~`, which both encodings
/// leave as it is.
#[inline]
pub fn is_unreserved(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~')
}

/// Appends `value` to `out` encoded as botocore encodes a form body: unreserved bytes as they
/// are, space as `+`, every other byte of the UTF-8 text as `%XX` with upper-case hex.
///
/// ```
/// let mut out = String::new();
/// sts_client::encoding::form_urlencode_into(&mut out, "my session/a+b");
/// assert_eq!(out, "my+session%2Fa%2Bb");
/// ```
pub fn form_urlencode_into(out: &mut String, value: &str) {
    for &b in value.as_bytes() {
        if is_unreserved(b) {
            out.push(b as char);
        } else if b == b' ' {
            out.push('+');
        } else {
            push_percent(out, b);
        }
    }
}

/// Appends `value` to `out` encoded per RFC 3986 as SigV4 canonicalization wants it: unreserved
/// bytes as they are, every other byte as `%XX` with upper-case hex (space is `%20`). With
/// `encode_slash` false, `/` is also kept, as in a canonical URI path.
///
/// ```
/// let mut out = String::new();
/// sts_client::encoding::uri_encode_into(&mut out, "a b/c+é", true);
/// assert_eq!(out, "a%20b%2Fc%2B%C3%A9");
/// out.clear();
/// sts_client::encoding::uri_encode_into(&mut out, b"/x y/", false);
/// assert_eq!(out, "/x%20y/");
/// ```
pub fn uri_encode_into(out: &mut String, value: impl AsRef<[u8]>, encode_slash: bool) {
    let bytes = value.as_ref();
    out.reserve(bytes.len());
    for &b in bytes {
        if is_unreserved(b) || (b == b'/' && !encode_slash) {
            out.push(b as char);
        } else {
            push_percent(out, b);
        }
    }
}

/// Percent-decodes `value`: each `%XX` (either hex case) becomes its byte; a `%` not followed by
/// two hex digits stays as it is. With `plus_as_space`, `+` decodes to a space (form and
/// `parse_qs` style); otherwise `+` stays `+`.
///
/// ```
/// use sts_client::encoding::percent_decode;
/// assert_eq!(percent_decode("a%20b+c%2f%zz", true), b"a b c/%zz");
/// assert_eq!(percent_decode("a+b", false), b"a+b");
/// ```
pub fn percent_decode(value: &str, plus_as_space: bool) -> Vec<u8> {
    let bytes = value.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'%' && i + 2 < bytes.len() {
            if let (Some(hi), Some(lo)) = (hex_value(bytes[i + 1]), hex_value(bytes[i + 2])) {
                out.push(hi << 4 | lo);
                i += 3;
                continue;
            }
        }
        out.push(if plus_as_space && b == b'+' { b' ' } else { b });
        i += 1;
    }
    out
}

#[inline]
fn hex_value(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

#[inline]
fn push_percent(out: &mut String, b: u8) {
    out.push('%');
    out.push(HEX_UPPER[(b >> 4) as usize] as char);
    out.push(HEX_UPPER[(b & 0x0f) as usize] as char);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn form_encoding_matches_botocore_sample() {
        // From the reference, section 3.3: produced by botocore.
        let mut out = String::new();
        out.push_str("RoleSessionName=");
        form_urlencode_into(&mut out, "my session");
        out.push_str("&Tags.member.2.Value=");
        form_urlencode_into(&mut out, "a/b+c");
        assert_eq!(
            out,
            "RoleSessionName=my+session&Tags.member.2.Value=a%2Fb%2Bc"
        );
    }

    #[test]
    fn non_ascii_is_percent_encoded_per_utf8_byte() {
        let mut out = String::new();
        form_urlencode_into(&mut out, "é*~");
        assert_eq!(out, "%C3%A9%2A~");
    }

    mod properties {
        use super::super::*;
        use proptest::prelude::*;

        proptest! {
            #[test]
            fn uri_encoding_round_trips(bytes in proptest::collection::vec(any::<u8>(), 0..64), slash in any::<bool>()) {
                let mut out = String::new();
                uri_encode_into(&mut out, &bytes, slash);
                prop_assert_eq!(percent_decode(&out, false), bytes.clone());
                prop_assert_eq!(percent_decode(&out, true), bytes);
            }

            #[test]
            fn form_encoding_round_trips(text in any::<String>()) {
                let mut out = String::new();
                form_urlencode_into(&mut out, &text);
                prop_assert_eq!(percent_decode(&out, true), text.into_bytes());
            }

            #[test]
            fn only_unreserved_bytes_stay_unescaped(b in any::<u8>(), slash in any::<bool>()) {
                let mut out = String::new();
                uri_encode_into(&mut out, [b], slash);
                let kept = is_unreserved(b) || (b == b'/' && !slash);
                if kept {
                    prop_assert_eq!(out.as_bytes(), &[b][..]);
                } else {
                    prop_assert_eq!(out, format!("%{b:02X}"));
                }
                if b.is_ascii() {
                    let mut form = String::new();
                    form_urlencode_into(&mut form, &(b as char).to_string());
                    if is_unreserved(b) {
                        prop_assert_eq!(form.as_bytes(), &[b][..]);
                    } else if b == b' ' {
                        prop_assert_eq!(form, "+");
                    } else {
                        prop_assert_eq!(form, format!("%{b:02X}"));
                    }
                }
            }
        }

        #[test]
        fn unreserved_set_is_exactly_rfc3986() {
            let expected: Vec<u8> = (b'A'..=b'Z')
                .chain(b'a'..=b'z')
                .chain(b'0'..=b'9')
                .chain(*b"-_.~")
                .collect();
            let mut got: Vec<u8> = (0..=255u8).filter(|&b| is_unreserved(b)).collect();
            got.sort_unstable();
            let mut expected = expected;
            expected.sort_unstable();
            assert_eq!(got, expected);
        }
    }
}
