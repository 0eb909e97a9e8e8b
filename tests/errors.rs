//! Error documents: every code, both shapes, unreadable bodies, Display, classifiers, and
//! property tests that the parser never panics and stays fast on hostile bodies.

use std::time::{Duration, Instant};

use proptest::prelude::*;
use sts_client::error::{
    parse_error_response, ErrorCode, Fault, ServiceError, UnparsedBody, SNIPPET_MAX_CHARS,
};

/// Every wire code the reference lists (§1.2, §5.3, §5.4, §10), written out independently of
/// the crate's table so that a missing or misspelt variant fails here.
const WIRE_CODES: &[&str] = &[
    // §1.2 modeled
    "MalformedPolicyDocument",
    "PackedPolicyTooLarge",
    "RegionDisabledException",
    "ExpiredTokenException",
    "InvalidContextAssertion",
    "IDPRejectedClaim",
    "IDPCommunicationError",
    "InvalidIdentityToken",
    "InvalidAuthorizationMessageException",
    "ExpiredTradeInTokenException",
    "InsufficientSessionLifetime",
    "InvalidSubjectCredentials",
    "JWTPayloadSizeExceededException",
    "OutboundWebIdentityFederationDisabledException",
    "SessionDurationEscalationException",
    // §5.3 common
    "AccessDenied",
    "AccessDeniedException",
    "ExpiredToken",
    "IncompleteSignature",
    "InternalFailure",
    "InvalidAction",
    "InvalidClientTokenId",
    "InvalidParameterCombination",
    "InvalidParameterValue",
    "InvalidQueryParameter",
    "MalformedQueryString",
    "MissingAction",
    "MissingAuthenticationToken",
    "MissingParameter",
    "NotAuthorized",
    "OptInRequired",
    "RequestExpired",
    "ServiceUnavailable",
    "SignatureDoesNotMatch",
    "Throttling",
    "ThrottlingException",
    "ValidationError",
    "UnrecognizedClientException",
    "UnknownOperationException",
    "RequestTimeoutException",
    "MalformedHttpRequestException",
    "RequestEntityTooLargeException",
    "RequestAbortedException",
    // §5.4 transient and throttling
    "RequestTimeout",
    "PriorRequestNotComplete",
    "TimeoutError",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "EC2ThrottledException",
    // §10 clock skew
    "RequestTimeTooSkewed",
    "RequestInTheFuture",
    "InvalidSignatureException",
    "AuthFailure",
];

const THROTTLING: &[&str] = &[
    "Throttling",
    "ThrottlingException",
    "ThrottledException",
    "RequestThrottledException",
    "TooManyRequestsException",
    "ProvisionedThroughputExceededException",
    "TransactionInProgressException",
    "RequestLimitExceeded",
    "BandwidthLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "PriorRequestNotComplete",
    "EC2ThrottledException",
];
const TRANSIENT: &[&str] = &[
    "RequestTimeout",
    "RequestTimeoutException",
    "PriorRequestNotComplete",
    "TimeoutError",
    "InternalFailure",
    "ServiceUnavailable",
];
const CLOCK_SKEW: &[&str] = &[
    "RequestExpired",
    "RequestTimeTooSkewed",
    "RequestInTheFuture",
    "InvalidSignatureException",
    "AuthFailure",
];
const AUTHENTICATION: &[&str] = &[
    "InvalidClientTokenId",
    "SignatureDoesNotMatch",
    "IncompleteSignature",
    "MissingAuthenticationToken",
    "UnrecognizedClientException",
    "InvalidSignatureException",
    "AuthFailure",
    "ExpiredToken",
];
/// Documented statuses (§1.2, §5.3) for the codes that have a single one.
const STATUSES: &[(&str, u16)] = &[
    ("MalformedPolicyDocument", 400),
    ("PackedPolicyTooLarge", 400),
    ("RegionDisabledException", 403),
    ("ExpiredTokenException", 400),
    ("IDPRejectedClaim", 403),
    ("IDPCommunicationError", 400),
    ("SessionDurationEscalationException", 403),
    ("OutboundWebIdentityFederationDisabledException", 403),
    ("JWTPayloadSizeExceededException", 400),
    ("AccessDenied", 403),
    ("ExpiredToken", 403),
    ("InternalFailure", 500),
    ("InvalidClientTokenId", 403),
    ("MalformedQueryString", 404),
    ("MissingAuthenticationToken", 403),
    ("ServiceUnavailable", 503),
    ("SignatureDoesNotMatch", 403),
    ("Throttling", 400),
    ("ValidationError", 400),
    ("RequestTimeoutException", 408),
    ("RequestEntityTooLargeException", 413),
];

fn aws_body(code: &str, message: &str, fault: &str) -> String {
    format!(
        r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <Error>
    <Type>{fault}</Type>
    <Code>{code}</Code>
    <Message>{message}</Message>
  </Error>
  <RequestId>4b6c2a1e-0000-4000-8000-000000000001</RequestId>
</ErrorResponse>
"#
    )
}

/// moto's shape, byte for byte as xmltodict writes it.
fn moto_body(code: &str, message: &str) -> String {
    format!(
        "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<ErrorResponse><Errors><Error><Code>{code}</Code><Message>{message}</Message><Type>Sender</Type></Error></Errors></ErrorResponse>"
    )
}

#[test]
fn every_wire_code_parses_to_its_variant_with_the_right_classifiers() {
    let mut failures = Vec::new();
    for &wire in WIRE_CODES {
        let code = ErrorCode::from_wire(wire);
        if !code.is_known() {
            failures.push(format!("{wire}: no variant"));
            continue;
        }
        let status = code.expected_status().unwrap_or(400);
        let fault = if status >= 500 { "Receiver" } else { "Sender" };
        let message = format!("message for {wire}");
        for (shape, body) in [
            ("aws", aws_body(wire, &message, fault)),
            ("moto", moto_body(wire, &message)),
        ] {
            let err = parse_error_response("AssumeRole", status, Some("hdr-id"), body.as_bytes());
            let mut check = |what: &str, ok: bool| {
                if !ok {
                    failures.push(format!("{wire} ({shape}): {what}: {err:?}"));
                }
            };
            check("code", err.code() == &code && err.code().as_str() == wire);
            check("status", err.status() == status);
            check("message", err.message() == Some(message.as_str()));
            check(
                "unparsed",
                err.unparsed_body().is_none() && err.body_snippet().is_none(),
            );
            check(
                "fault",
                err.fault()
                    == if shape == "moto" || status < 500 {
                        Fault::Sender
                    } else {
                        Fault::Receiver
                    },
            );
            check(
                "request id",
                err.request_id()
                    == Some(if shape == "aws" {
                        "4b6c2a1e-0000-4000-8000-000000000001"
                    } else {
                        "hdr-id"
                    }),
            );
            let throttling = THROTTLING.contains(&wire);
            let retryable =
                throttling || TRANSIENT.contains(&wire) || wire == "IDPCommunicationError";
            check("is_throttling", err.is_throttling() == throttling);
            check("is_retryable", err.is_retryable() == retryable);
            check(
                "is_clock_skew",
                err.is_clock_skew() == CLOCK_SKEW.contains(&wire),
            );
            check(
                "is_authentication_failure",
                err.is_authentication_failure() == AUTHENTICATION.contains(&wire),
            );
            check(
                "is_expired_credentials",
                err.is_expired_credentials() == (wire == "ExpiredToken"),
            );
            check(
                "is_expired_input_token",
                err.is_expired_input_token()
                    == matches!(
                        wire,
                        "ExpiredTokenException" | "ExpiredTradeInTokenException"
                    ),
            );
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_crate_knows_no_code_the_reference_does_not_list_and_round_trips_all() {
    let mut failures = Vec::new();
    for code in ErrorCode::KNOWN {
        if !WIRE_CODES.contains(&code.as_str()) {
            failures.push(format!("{code:?} is not in the reference list"));
        }
        if &ErrorCode::from_wire(code.as_str()) != code || code.to_string() != code.as_str() {
            failures.push(format!("{code:?} does not round-trip"));
        }
    }
    assert_eq!(ErrorCode::KNOWN.len(), WIRE_CODES.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn documented_statuses_match() {
    for &(wire, status) in STATUSES {
        assert_eq!(
            ErrorCode::from_wire(wire).expected_status(),
            Some(status),
            "{wire}"
        );
    }
    for wire in [
        "IncompleteSignature",
        "NotAuthorized",
        "AccessDeniedException",
    ] {
        assert_eq!(ErrorCode::from_wire(wire).expected_status(), None, "{wire}");
    }
}

#[test]
fn modeled_and_never_retried_codes_stay_unretryable_even_on_a_5xx_status() {
    for wire in [
        "ExpiredToken",
        "InvalidClientTokenId",
        "AccessDenied",
        "ValidationError",
        "MalformedPolicyDocument",
    ] {
        let err = parse_error_response(
            "AssumeRole",
            503,
            None,
            aws_body(wire, "m", "Receiver").as_bytes(),
        );
        assert!(!err.is_retryable(), "{wire}");
    }
}

#[test]
fn unknown_codes_are_kept_as_sent_and_classified_by_status() {
    let body = aws_body("SomethingNew", "brand new", "Sender");
    let err = parse_error_response("GetSessionToken", 400, None, body.as_bytes());
    assert_eq!(err.code(), &ErrorCode::Unknown("SomethingNew".into()));
    assert!(!err.is_retryable());
    for status in [429, 500, 502, 503, 504] {
        let err = parse_error_response("GetSessionToken", status, None, body.as_bytes());
        assert!(err.is_retryable(), "{status}");
        assert_eq!(err.is_throttling(), status == 429, "{status}");
    }
    let err = parse_error_response("GetSessionToken", 501, None, body.as_bytes());
    assert!(!err.is_retryable());
}

#[test]
fn signature_does_not_match_is_clock_skew_only_for_expired_signatures() {
    let expired = "Signature expired: 20220127T001427Z is now earlier than 20220127T014428Z (20220127T015928Z - 15 min.)";
    let future = "Signature not yet current: 20220127T031427Z is still later than 20220127T020428Z (20220127T015928Z + 15 min.)";
    let wrong = "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method.";
    for (message, skew) in [(expired, true), (future, true), (wrong, false)] {
        let err = parse_error_response(
            "GetCallerIdentity",
            403,
            None,
            aws_body("SignatureDoesNotMatch", message, "Sender").as_bytes(),
        );
        assert_eq!(err.is_clock_skew(), skew, "{message}");
        assert!(err.is_authentication_failure());
        assert!(!err.is_retryable());
    }
}

#[test]
fn display_reads_action_code_status_message_and_request_id() {
    let body = aws_body(
        "AccessDenied",
        "User: arn:aws:iam::111122223333:user/bob is not authorized to perform: sts:AssumeRole",
        "Sender",
    );
    let err = parse_error_response("AssumeRole", 403, None, body.as_bytes());
    assert_eq!(
        err.to_string(),
        "AssumeRole failed: AccessDenied (403): User: arn:aws:iam::111122223333:user/bob is not authorized to perform: sts:AssumeRole [request id 4b6c2a1e-0000-4000-8000-000000000001]"
    );

    let no_message = b"<ErrorResponse><Error><Code>Throttling</Code></Error></ErrorResponse>";
    let err = parse_error_response("GetSessionToken", 400, Some("r-2"), no_message);
    assert_eq!(
        err.to_string(),
        "GetSessionToken failed: Throttling (400) [request id r-2]"
    );
    let err = parse_error_response("GetSessionToken", 400, None, no_message);
    assert_eq!(err.to_string(), "GetSessionToken failed: Throttling (400)");
    assert_eq!(err.message(), None);

    let built =
        ServiceError::new("AssumeRoot", 400, ErrorCode::Unknown("Odd".into())).with_message("m");
    assert_eq!(built.to_string(), "AssumeRoot failed: Odd (400): m");
}

#[test]
fn unreadable_bodies_keep_the_status_and_say_why() {
    let cases: &[(&[u8], u16, UnparsedBody, &str)] = &[
        (b"", 500, UnparsedBody::Empty, "GetCallerIdentity failed: HTTP 500 with an empty body"),
        (b" \r\n\t", 503, UnparsedBody::Empty, "GetCallerIdentity failed: HTTP 503 with an empty body"),
        (
            b"<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
            502,
            UnparsedBody::NotXml,
            "GetCallerIdentity failed: HTTP 502 with a non-XML body: <!DOCTYPE html> <html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>",
        ),
        (
            b"<ErrorResponse><Error><Code>Throttling</Code><Mess",
            400,
            UnparsedBody::NotXml,
            "GetCallerIdentity failed: HTTP 400 with a non-XML body: <ErrorResponse><Error><Code>Throttling</Code><Mess",
        ),
        (
            b"<ErrorResponse><Error><Code>Throttling</Code></Error>",
            400,
            UnparsedBody::NotXml,
            "GetCallerIdentity failed: HTTP 400 with a non-XML body: <ErrorResponse><Error><Code>Throttling</Code></Error>",
        ),
        (b"Internal Server Error", 500, UnparsedBody::NotXml, "GetCallerIdentity failed: HTTP 500 with a non-XML body: Internal Server Error"),
        (
            b"<html><body><h1>Not Found</h1></body></html>",
            404,
            UnparsedBody::NoErrorCode,
            "GetCallerIdentity failed: HTTP 404 with no error code in the body: <html><body><h1>Not Found</h1></body></html>",
        ),
        (b"\x00\xff\xfe\x01garbage\x07", 500, UnparsedBody::NotXml, "GetCallerIdentity failed: HTTP 500 with a non-XML body: \u{fffd}\u{fffd} garbage"),
    ];
    for (body, status, why, display) in cases {
        let err = parse_error_response("GetCallerIdentity", *status, None, body);
        assert_eq!(err.code(), &ErrorCode::Unparsed, "{display}");
        assert_eq!(err.status(), *status);
        assert_eq!(err.unparsed_body(), Some(*why), "{display}");
        assert_eq!(err.to_string(), *display);
        assert_eq!(
            err.fault(),
            if *status >= 500 {
                Fault::Receiver
            } else {
                Fault::Sender
            }
        );
    }
}

#[test]
fn snippets_are_short_and_free_of_control_characters() {
    let mut body = b"<p>".to_vec();
    body.extend(b"line\r\n\x1b[31m".repeat(500));
    let err = parse_error_response("GetCallerIdentity", 500, None, &body);
    let snippet = err.body_snippet().unwrap();
    assert!(snippet.chars().count() <= SNIPPET_MAX_CHARS);
    assert!(snippet.chars().count() > SNIPPET_MAX_CHARS - 10);
    assert!(!snippet.chars().any(char::is_control), "{snippet:?}");
    assert!(snippet.starts_with("<p>line [31mline"), "{snippet:?}");
}

#[test]
fn elements_match_by_local_name_in_any_order_with_extra_children_and_entities() {
    let body = br#"<?xml version="1.0"?>
<!-- a comment -->
<aws:ErrorResponse xmlns:aws="https://sts.amazonaws.com/doc/2011-06-15/">
  <aws:RequestId>id-first</aws:RequestId>
  <aws:Error>
    <aws:Detail><Code>NotThisOne</Code></aws:Detail>
    <aws:Message>Value &apos;a&amp;b&apos; at &quot;roleSessionName&quot; &lt;x&gt; &#233;&#x20AC;<![CDATA[ <raw> ]]></aws:Message>
    <aws:Code>ValidationError</aws:Code>
    <aws:Type>Sender</aws:Type>
  </aws:Error>
</aws:ErrorResponse>"#;
    let err = parse_error_response("AssumeRole", 400, Some("header-id"), body);
    assert_eq!(err.code(), &ErrorCode::ValidationError);
    assert_eq!(
        err.message(),
        Some(r#"Value 'a&b' at "roleSessionName" <x> é€ <raw>"#)
    );
    assert_eq!(err.request_id(), Some("id-first"));
    assert_eq!(err.fault(), Fault::Sender);
}

#[test]
fn type_decides_the_fault_and_the_status_fills_in_when_absent() {
    let receiver = aws_body("InternalFailure", "oops", "Receiver");
    assert_eq!(
        parse_error_response("A", 400, None, receiver.as_bytes()).fault(),
        Fault::Receiver
    );
    let odd = aws_body("InternalFailure", "oops", "Martian");
    assert_eq!(
        parse_error_response("A", 500, None, odd.as_bytes()).fault(),
        Fault::Receiver
    );
    let none = b"<ErrorResponse><Error><Code>InternalFailure</Code></Error></ErrorResponse>";
    assert_eq!(
        parse_error_response("A", 500, None, none).fault(),
        Fault::Receiver
    );
    assert_eq!(
        parse_error_response("A", 403, None, none).fault(),
        Fault::Sender
    );
    assert_eq!(
        parse_error_response("A", 302, None, none).fault(),
        Fault::Unknown
    );
}

#[test]
fn dtd_entities_are_never_expanded() {
    let xxe = br#"<?xml version="1.0"?>
<!DOCTYPE ErrorResponse [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> <!ENTITY a "aaaaaaaaaa"> ]>
<ErrorResponse><Error><Code>AccessDenied</Code><Message>&xxe;&a;</Message></Error></ErrorResponse>"#;
    let err = parse_error_response("AssumeRole", 403, None, xxe);
    assert_eq!(err.code(), &ErrorCode::Unparsed);
    assert_eq!(err.unparsed_body(), Some(UnparsedBody::NotXml));
    assert!(!format!("{err:?}").contains("root:"));
}

#[test]
fn server_time_is_kept_for_skew_diagnosis() {
    let date = time::macros::datetime!(2022-01-27 01:59:28 UTC);
    let err = parse_error_response(
        "GetCallerIdentity",
        403,
        None,
        aws_body("SignatureDoesNotMatch", "Signature expired: x", "Sender").as_bytes(),
    )
    .with_server_time(date);
    assert_eq!(err.server_time(), Some(date));
    assert!(err.is_clock_skew());
}

#[test]
fn secrets_from_the_request_never_reach_the_error() {
    let secret_key = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    let credentials = sts_client::Credentials::new("AKIAIOSFODNN7EXAMPLE", secret_key);
    // What AWS says when the secret is wrong: the secret itself is never echoed.
    let body = aws_body(
        "SignatureDoesNotMatch",
        "The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.",
        "Sender",
    );
    let err = parse_error_response("GetCallerIdentity", 403, None, body.as_bytes());
    assert_eq!(err.code(), &ErrorCode::SignatureDoesNotMatch);
    assert_eq!(credentials.secret_access_key().expose(), secret_key);
    for rendered in [err.to_string(), format!("{err:?}")] {
        assert!(!rendered.contains(secret_key), "{rendered}");
    }
}

#[test]
fn deep_nesting_and_megabyte_bodies_return_quickly() {
    let mut deep = String::new();
    for _ in 0..10_000 {
        deep.push_str("<a>");
    }
    for _ in 0..10_000 {
        deep.push_str("</a>");
    }
    let start = Instant::now();
    let err = parse_error_response("AssumeRole", 400, None, deep.as_bytes());
    assert_eq!(err.unparsed_body(), Some(UnparsedBody::NoErrorCode));

    let mut big = aws_body("Throttling", &"x".repeat(1 << 20), "Sender").into_bytes();
    let err = parse_error_response("AssumeRole", 400, None, &big);
    assert_eq!(err.code(), &ErrorCode::Throttling);
    assert_eq!(err.message().map(str::len), Some(1 << 20));
    big.truncate(big.len() / 2);
    let err = parse_error_response("AssumeRole", 400, None, &big);
    assert_eq!(err.code(), &ErrorCode::Unparsed);
    assert!(err.to_string().len() < 400);
    assert!(
        start.elapsed() < Duration::from_secs(5),
        "{:?}",
        start.elapsed()
    );
}

fn mutate(body: &[u8], edits: &[(usize, u8)], cut: Option<usize>) -> Vec<u8> {
    let mut out = body.to_vec();
    for &(at, byte) in edits {
        if !out.is_empty() {
            let at = at % out.len();
            out[at] = byte;
        }
    }
    if let Some(cut) = cut {
        out.truncate(cut % (out.len() + 1));
    }
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes_always_give_a_service_error(body in proptest::collection::vec(any::<u8>(), 0..4096), status in 100u16..600) {
        let err = parse_error_response("AssumeRole", status, Some("r"), &body);
        prop_assert_eq!(err.status(), status);
        prop_assert!(err.to_string().starts_with("AssumeRole failed: "));
    }

    #[test]
    fn mutated_error_bodies_always_give_a_service_error(
        moto in any::<bool>(),
        code_index in 0..WIRE_CODES.len(),
        edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 0..8),
        cut in proptest::option::of(any::<usize>()),
    ) {
        let code = WIRE_CODES[code_index];
        let body = if moto { moto_body(code, "m &amp; n") } else { aws_body(code, "m &amp; n", "Sender") };
        let err = parse_error_response("GetSessionToken", 400, None, &mutate(body.as_bytes(), &edits, cut));
        prop_assert_eq!(err.status(), 400);
        if err.unparsed_body().is_none() {
            prop_assert!(err.code() != &ErrorCode::Unparsed);
        } else {
            prop_assert_eq!(err.code(), &ErrorCode::Unparsed);
        }
    }

    #[test]
    fn large_repetitive_bodies_stay_bounded(unit in "[<>/a-zA-Z&;#x0-9 ]{1,16}", repeats in 1usize..65_536) {
        let body = unit.repeat(repeats);
        let start = Instant::now();
        let err = parse_error_response("AssumeRole", 500, None, body.as_bytes());
        prop_assert!(start.elapsed() < Duration::from_secs(2));
        prop_assert!(err.body_snippet().map_or(0, |s| s.chars().count()) <= SNIPPET_MAX_CHARS);
    }

    #[test]
    fn nested_wrappers_around_a_real_error_never_panic(depth in 0usize..20_000, name in "[A-Za-z]{1,8}") {
        let open = format!("<{name}>").repeat(depth);
        let close = format!("</{name}>").repeat(depth);
        let body = format!("{open}<Error><Code>Throttling</Code></Error>{close}");
        let err = parse_error_response("AssumeRole", 400, None, body.as_bytes());
        // An Error element is only found near the top of the document.
        if depth <= 1 {
            prop_assert_eq!(err.code(), &ErrorCode::Throttling);
        }
    }
}
