//! The AWS SigV4 test suite (aws-c-auth, tests/data/sigv4-test-suite): every case's header and
//! query expectations, each one a test, comparing canonical request, string to sign, signature
//! and the signed request.

use std::collections::BTreeSet;
use std::path::PathBuf;

use sts_client::sigv4::{
    PayloadMode, SignableRequest, SignatureLocation, Signer, SigningParams, SigningSettings,
};
use sts_client::Credentials;

struct Case {
    dir: PathBuf,
}

impl Case {
    fn new(name: &str) -> Self {
        Case {
            dir: PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/data/sigv4-test-suite/v4")
                .join(name),
        }
    }

    fn read(&self, file: &str) -> String {
        std::fs::read_to_string(self.dir.join(file))
            .unwrap_or_else(|e| panic!("{}/{file}: {e}", self.dir.display()))
    }
}

/// A request.txt parsed leniently: method up to the first space, ` HTTP/1.1` off the end (the
/// path may hold a raw space), `Name:Value` lines with obs-fold continuations kept as line
/// breaks, then the body.
struct RawRequest {
    method: String,
    target: String,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

fn parse_request(text: &str) -> RawRequest {
    let (head, body) = text.split_once("\n\n").unwrap_or((text, ""));
    let mut lines = head.split('\n');
    let request_line = lines.next().unwrap();
    let (method, rest) = request_line.split_once(' ').unwrap();
    let target = rest.strip_suffix(" HTTP/1.1").unwrap_or(rest);
    let mut headers: Vec<(String, String)> = Vec::new();
    for line in lines.filter(|l| !l.is_empty()) {
        if line.starts_with(' ') || line.starts_with('\t') {
            let last = headers.last_mut().unwrap();
            last.1.push('\n');
            last.1.push_str(line);
        } else {
            let (name, value) = line.split_once(':').unwrap();
            headers.push((name.to_owned(), value.to_owned()));
        }
    }
    RawRequest {
        method: method.to_owned(),
        target: target.to_owned(),
        headers,
        body: body.as_bytes().to_vec(),
    }
}

/// The query parameters of a request line, percent-decoded: aws-c-auth's expected URLs keep a
/// raw UTF-8 key where we return its RFC 3986 encoding (the form that was signed).
fn query_set(request_line: &str) -> BTreeSet<Vec<u8>> {
    let target = request_line.split(' ').nth(1).unwrap();
    let query = target.split_once('?').map_or("", |(_, q)| q);
    query
        .split('&')
        .map(|p| sts_client::encoding::percent_decode(p, false))
        .collect()
}

fn run(name: &str, location: &str) {
    let case = Case::new(name);
    let context: serde_json::Value = serde_json::from_str(&case.read("context.json")).unwrap();
    let creds = &context["credentials"];
    let mut credentials = Credentials::new(
        creds["access_key_id"].as_str().unwrap(),
        creds["secret_access_key"].as_str().unwrap(),
    );
    if let Some(token) = creds["token"].as_str() {
        credentials = credentials.with_session_token(token);
    }
    let sign_body = context["sign_body"].as_bool().unwrap_or(false);
    let settings = SigningSettings {
        normalize_path: context["normalize"].as_bool().unwrap_or(true),
        double_uri_encode: true,
        payload: if sign_body {
            PayloadMode::HashWithHeader
        } else {
            PayloadMode::Hash
        },
        omit_session_token: context["omit_session_token"].as_bool().unwrap_or(false),
    };
    let time = time::OffsetDateTime::parse(
        context["timestamp"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let params = SigningParams {
        credentials: &credentials,
        region: context["region"].as_str().unwrap(),
        service: context["service"].as_str().unwrap(),
        time,
        settings,
    };
    let raw = parse_request(&case.read("request.txt"));
    let host = raw
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("host"))
        .map(|(_, v)| v.trim().to_owned())
        .unwrap();
    let url = format!("https://{host}{}", raw.target);
    let headers: Vec<(&str, &str)> = raw
        .headers
        .iter()
        .map(|(n, v)| (n.as_str(), v.as_str()))
        .collect();
    let body: &[u8] = if sign_body { &raw.body } else { b"" };
    let req = SignableRequest {
        method: &raw.method,
        url: &url,
        headers: &headers,
        body,
    };
    let signer = Signer::new();
    let expires = context["expiration_in_seconds"].as_u64().unwrap() as u32;
    let where_ = if location == "header" {
        SignatureLocation::Headers
    } else {
        SignatureLocation::QueryString {
            expires_in_secs: expires,
        }
    };
    let explained = signer.explain(&req, &params, where_).unwrap();
    assert_eq!(
        explained.canonical_request,
        case.read(&format!("{location}-canonical-request.txt")),
        "{name}: {location} canonical request"
    );
    assert_eq!(
        explained.string_to_sign,
        case.read(&format!("{location}-string-to-sign.txt")),
        "{name}: {location} string to sign"
    );
    let expected_signature = case.read(&format!("{location}-signature.txt"));
    assert_eq!(
        explained.signature, expected_signature,
        "{name}: {location} signature"
    );

    let signed_request = case.read(&format!("{location}-signed-request.txt"));
    if location == "header" {
        let output = signer.sign(&req, &params).unwrap();
        assert_eq!(output.signature(), expected_signature);
        let expected: BTreeSet<String> = signed_request
            .lines()
            .skip(1)
            .filter_map(|l| l.split_once(':'))
            .filter(|(n, _)| {
                let n = n.to_ascii_lowercase();
                n.starts_with("x-amz-") || n == "authorization"
            })
            .map(|(n, v)| format!("{}:{v}", n.to_ascii_lowercase()))
            .collect();
        let got: BTreeSet<String> = output
            .headers()
            .map(|(n, v)| format!("{}:{v}", n.to_ascii_lowercase()))
            .collect();
        assert_eq!(got, expected, "{name}: signed headers");
    } else {
        let presigned = signer.presign(&req, &params, expires).unwrap();
        let expected_line = signed_request.lines().next().unwrap();
        let got_line = format!(
            "{} {} HTTP/1.1",
            raw.method,
            presigned.strip_prefix(&format!("https://{host}")).unwrap()
        );
        assert_eq!(
            query_set(&got_line),
            query_set(expected_line),
            "{name}: URL query"
        );
        assert!(presigned.ends_with(&format!("&X-Amz-Signature={expected_signature}")));
    }
}

macro_rules! suite {
    ($($case:ident: $name:literal,)*) => {
        mod header {
            $(#[test] fn $case() { super::run($name, "header"); })*
        }
        mod query {
            $(#[test] fn $case() { super::run($name, "query"); })*
        }
    };
}

suite! {
    get_header_key_duplicate: "get-header-key-duplicate",
    get_header_value_multiline: "get-header-value-multiline",
    get_header_value_order: "get-header-value-order",
    get_header_value_trim: "get-header-value-trim",
    get_relative_normalized: "get-relative-normalized",
    get_relative_relative_normalized: "get-relative-relative-normalized",
    get_relative_relative_unnormalized: "get-relative-relative-unnormalized",
    get_relative_unnormalized: "get-relative-unnormalized",
    get_slash_dot_slash_normalized: "get-slash-dot-slash-normalized",
    get_slash_dot_slash_unnormalized: "get-slash-dot-slash-unnormalized",
    get_slash_normalized: "get-slash-normalized",
    get_slash_pointless_dot_normalized: "get-slash-pointless-dot-normalized",
    get_slash_pointless_dot_unnormalized: "get-slash-pointless-dot-unnormalized",
    get_slash_unnormalized: "get-slash-unnormalized",
    get_slashes_normalized: "get-slashes-normalized",
    get_slashes_unnormalized: "get-slashes-unnormalized",
    get_space_normalized: "get-space-normalized",
    get_space_unnormalized: "get-space-unnormalized",
    get_unreserved: "get-unreserved",
    get_utf8: "get-utf8",
    get_vanilla: "get-vanilla",
    get_vanilla_empty_query_key: "get-vanilla-empty-query-key",
    get_vanilla_query: "get-vanilla-query",
    get_vanilla_query_order_encoded: "get-vanilla-query-order-encoded",
    get_vanilla_query_order_key_case: "get-vanilla-query-order-key-case",
    get_vanilla_query_unreserved: "get-vanilla-query-unreserved",
    get_vanilla_utf8_query: "get-vanilla-utf8-query",
    get_vanilla_with_session_token: "get-vanilla-with-session-token",
    post_header_key_case: "post-header-key-case",
    post_header_key_sort: "post-header-key-sort",
    post_header_value_case: "post-header-value-case",
    post_sts_header_after: "post-sts-header-after",
    post_sts_header_before: "post-sts-header-before",
    post_vanilla: "post-vanilla",
    post_vanilla_empty_query_value: "post-vanilla-empty-query-value",
    post_vanilla_query: "post-vanilla-query",
    post_x_www_form_urlencoded: "post-x-www-form-urlencoded",
    post_x_www_form_urlencoded_parameters: "post-x-www-form-urlencoded-parameters",
}
