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
}
