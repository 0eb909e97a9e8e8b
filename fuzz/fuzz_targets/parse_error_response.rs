#![no_main]

use libfuzzer_sys::fuzz_target;
use sts_client::error::{parse_error_response, ErrorCode, SNIPPET_MAX_CHARS};

fuzz_target!(|input: (u16, Option<&str>, &[u8])| {
    let (status, request_id, body) = input;
    let err = parse_error_response("AssumeRole", status, request_id, body);
    assert_eq!(err.status(), status);
    // Unparsed exactly when the body gave no code, and a snippet stays short.
    assert_eq!(
        err.code() == &ErrorCode::Unparsed,
        err.unparsed_body().is_some()
    );
    assert!(err.body_snippet().map_or(0, |s| s.chars().count()) <= SNIPPET_MAX_CHARS);
    let _ = err.to_string();
    let _ = (
        err.is_retryable(),
        err.is_clock_skew(),
        err.is_authentication_failure(),
    );
});
