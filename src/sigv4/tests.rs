use super::*;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "FQoGZXIvYXdzEXAMPLETOKEN";

fn credentials(token: bool) -> Credentials {
    let c = Credentials::new("AKIDEXAMPLE", SECRET);
    if token {
        c.with_session_token(TOKEN)
    } else {
        c
    }
}

fn params(credentials: &Credentials) -> SigningParams<'_> {
    SigningParams {
        credentials,
        region: "us-east-1",
        service: "sts",
        time: time::macros::datetime!(2026-01-02 03:04:05 UTC),
        settings: SigningSettings::default(),
    }
}

fn request<'a>(url: &'a str, headers: &'a [(&'a str, &'a str)]) -> SignableRequest<'a> {
    SignableRequest {
        method: "POST",
        url,
        headers,
        body: b"Action=GetCallerIdentity&Version=2011-06-15",
    }
}

#[test]
fn bad_inputs_are_errors_that_name_the_problem() {
    let creds = credentials(false);
    let p = params(&creds);
    let signer = Signer::new();
    let cases: [(SignableRequest<'_>, &str); 6] = [
        (
            request("https://sts.amazonaws.com/", &[("X-Bad", "a\u{1}b")]),
            "X-Bad",
        ),
        (request("https:///path", &[]), "without a host"),
        (request("ftp://sts.amazonaws.com/", &[]), "`ftp`"),
        (request("sts.amazonaws.com/", &[]), "scheme"),
        (
            request("https://sts.amazonaws.com/", &[("Bad Name", "v")]),
            "Bad Name",
        ),
        (
            request("https://sts.amazonaws.com/", &[("X", "a\nb")]),
            "control character",
        ),
    ];
    for (req, expected) in cases {
        let message = signer.sign(&req, &p).unwrap_err().to_string();
        assert!(
            message.contains(expected),
            "{message:?} should mention {expected:?}"
        );
    }
    let req = request("https://sts.amazonaws.com/", &[]);
    for expiry in [0, MAX_PRESIGN_EXPIRY_SECS + 1] {
        let err = signer.presign(&req, &p, expiry).unwrap_err();
        assert_eq!(
            err,
            SigningError::InvalidExpiry {
                expires_in_secs: expiry
            }
        );
    }
    assert!(signer.presign(&req, &p, MAX_PRESIGN_EXPIRY_SECS).is_ok());
    let mut bad_region = params(&creds);
    bad_region.region = "us east";
    assert_eq!(
        signer.sign(&req, &bad_region).unwrap_err(),
        SigningError::InvalidScope { field: "region" }
    );
}

#[test]
fn obs_fold_is_accepted_and_collapsed() {
    let creds = credentials(false);
    let p = params(&creds);
    let headers = [("My-Header", " a\r\n   b\n\tc  ")];
    let req = request("https://sts.amazonaws.com/", &headers);
    let explained = Signer::new()
        .explain(&req, &p, SignatureLocation::Headers)
        .unwrap();
    assert!(explained.canonical_request.contains("\nmy-header:a b c\n"));
}

#[test]
fn secret_never_appears_in_outputs_debug_or_errors() {
    let creds = credentials(true);
    let p = params(&creds);
    let signer = Signer::new();
    let headers = [("Content-Type", "application/x-www-form-urlencoded")];
    let req = request("https://sts.amazonaws.com/?a=b", &headers);
    let out = signer.sign(&req, &p).unwrap();
    let explained = signer
        .explain(&req, &p, SignatureLocation::Headers)
        .unwrap();
    let presigned_explained = signer
        .explain(
            &req,
            &p,
            SignatureLocation::QueryString {
                expires_in_secs: 60,
            },
        )
        .unwrap();
    let url = signer.presign(&req, &p, 60).unwrap();
    let err = signer
        .sign(
            &request("https://sts.amazonaws.com/", &[("X", "\u{0}")]),
            &p,
        )
        .unwrap_err();
    let texts = [
        format!("{out:?}"),
        out.headers().map(|(n, v)| format!("{n}: {v}\n")).collect(),
        format!("{explained:?}"),
        explained.canonical_request.clone(),
        explained.string_to_sign.clone(),
        format!("{presigned_explained:?}"),
        url,
        format!("{err} {err:?}"),
        format!("{signer:?}"),
        format!("{p:?}"),
    ];
    for text in &texts {
        assert!(!text.contains(SECRET), "secret leaked into {text}");
        assert!(!text.contains("wJalrXUtnFEMI"), "secret leaked into {text}");
    }
    // The token is a secret too: Debug output redacts it.
    for debug in [&texts[0], &texts[2], &texts[5], &texts[9]] {
        assert!(!debug.contains(TOKEN), "token leaked into {debug}");
    }
}

#[test]
fn cache_reuses_and_separates_keys() {
    let signer = Signer::new();
    let creds = credentials(false);
    let other = Credentials::new("AKIDEXAMPLE", "another-secret");
    let req = request("https://sts.amazonaws.com/", &[]);
    let first = signer.sign(&req, &params(&creds)).unwrap();
    let again = signer.sign(&req, &params(&creds)).unwrap();
    let uncached = sign(&req, &params(&creds)).unwrap();
    let different = signer.sign(&req, &params(&other)).unwrap();
    assert_eq!(first.signature(), again.signature());
    assert_eq!(first.signature(), uncached.signature());
    assert_ne!(first.signature(), different.signature());
    let mut later = params(&creds);
    later.time = time::macros::datetime!(2026-01-03 03:04:05 UTC);
    assert_ne!(
        signer.sign(&req, &later).unwrap().signature(),
        first.signature()
    );
    assert_eq!(signer.cache.read().unwrap().len(), 3);
}

#[test]
fn host_comes_from_url_without_default_port() {
    let creds = credentials(false);
    let p = params(&creds);
    let signer = Signer::new();
    for (url, host) in [
        ("https://STS.amazonaws.com:443/", "sts.amazonaws.com"),
        ("http://sts.amazonaws.com:80/", "sts.amazonaws.com"),
        ("http://127.0.0.1:5050/", "127.0.0.1:5050"),
        (
            "https://user@sts.amazonaws.com:8443",
            "sts.amazonaws.com:8443",
        ),
        ("http://[::1]:5050/", "[::1]:5050"),
    ] {
        let e = signer
            .explain(&request(url, &[]), &p, SignatureLocation::Headers)
            .unwrap();
        assert!(
            e.canonical_request.contains(&format!("\nhost:{host}\n")),
            "{url}: {}",
            e.canonical_request
        );
    }
}

#[test]
fn header_query_is_reencoded_and_sorted() {
    let creds = credentials(false);
    let p = params(&creds);
    let e = Signer::new()
        .explain(
            &request("https://h.example/?b=2&a=x+y%2a&a=1&flag&e=&&c=%7E", &[]),
            &p,
            SignatureLocation::Headers,
        )
        .unwrap();
    let query = e.canonical_request.lines().nth(2).unwrap();
    assert_eq!(query, "a=1&a=x%20y%2A&b=2&c=~&e=&flag=");
}

#[test]
fn never_signed_headers_are_skipped_and_others_signed() {
    let creds = credentials(false);
    let p = params(&creds);
    let headers = [
        ("User-Agent", "x"),
        ("Expect", "100-continue"),
        ("Transfer-Encoding", "chunked"),
        ("Authorization", "old"),
        ("X-Vault-AWS-IAM-Server-ID", "vault.example.com"),
        ("Content-Type", "text/plain"),
    ];
    let e = Signer::new()
        .explain(
            &request("https://sts.amazonaws.com/", &headers),
            &p,
            SignatureLocation::Headers,
        )
        .unwrap();
    assert_eq!(
        e.signed_headers,
        "content-type;host;x-amz-date;x-vault-aws-iam-server-id"
    );
}

#[test]
fn amz_date_is_formatted_in_utc() {
    let t = time::macros::datetime!(2026-01-02 23:59:09 -02:00);
    assert_eq!(AmzDate::new(t).unwrap().date_time(), "20260103T015909Z");
    let far = time::macros::datetime!(0999-12-31 00:00:00 UTC);
    assert_eq!(AmzDate::new(far).unwrap().date_time(), "09991231T000000Z");
}

mod fast_path {
    use super::*;
    use proptest::prelude::*;

    fn header_name() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("Content-Type".to_owned()),
            Just("content-type".to_owned()),
            Just("Host".to_owned()),
            Just("User-Agent".to_owned()),
            Just("X-Amz-Date".to_owned()),
            Just("x-k8s-aws-id".to_owned()),
            Just("X-Custom".to_owned()),
            "[A-Za-z][A-Za-z0-9-]{0,12}",
        ]
    }

    fn header_value() -> impl Strategy<Value = String> {
        prop_oneof![
            Just("application/x-www-form-urlencoded; charset=utf-8".to_owned()),
            "[ -~]{0,20}",
            "[a-z ]{0,8}\t[a-z]{0,3}",
            Just("é".to_owned()),
        ]
    }

    proptest! {
        /// The common-shape path and the general path sign identically, and the common shape is
        /// taken for the requests STS sends.
        #[test]
        fn common_path_matches_general_path(
            method in prop_oneof![Just("POST"), Just("GET"), Just("post")],
            url in prop_oneof![
                Just("https://sts.us-east-1.amazonaws.com/"),
                Just("https://STS.amazonaws.com"),
                Just("http://localhost:8080/"),
                Just("https://sts.amazonaws.com:443/"),
                Just("https://sts.amazonaws.com/?Action=GetCallerIdentity"),
                Just("https://sts.amazonaws.com/a/../b"),
                Just("https://sts.amazonaws.com/?Version=2011-06-15&Action=GetCallerIdentity&&k"),
                Just("https://sts.amazonaws.com/?a=b+c&d=%41"),
                Just("https://sts-fips.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15"),
                Just("https://sts.amazonaws.com?Action=GetCallerIdentity"),
                Just("https://sts.amazonaws.com/?"),
                Just("https://sts.amazonaws.com/?a=b#frag"),
                Just("https://user@sts.amazonaws.com/"),
                Just("http://127.0.0.1:5000/"),
                Just("HTTPS://sts.amazonaws.com/"),
            ],
            headers in proptest::collection::vec((header_name(), header_value()), 0..6),
            // None, short with characters a query must encode, and long enough to move the
            // canonical request into the bigger buffers or past the fast path.
            token in prop_oneof![
                Just(None),
                Just(Some("FQo+G/ZX=v".to_owned())),
                (1usize..160).prop_map(|n| Some("FQoGZXIvYXdz".repeat(n))),
            ],
            // Short bodies are paired with the canonical request; long ones are hashed ahead.
            body in prop_oneof![
                proptest::collection::vec(any::<u8>(), 0..200),
                proptest::collection::vec(any::<u8>(), 700..2600),
            ],
        ) {
            let creds = match &token {
                Some(token) => Credentials::new("AKIDEXAMPLE", SECRET).with_session_token(token.clone()),
                None => credentials(false),
            };
            let p = params(&creds);
            let header_refs: Vec<(&str, &str)> =
                headers.iter().map(|(n, v)| (n.as_str(), v.as_str())).collect();
            let req = SignableRequest { method, url, headers: &header_refs, body: &body };
            let signer = Signer::new();
            let general = signer.sign_general(&req, &p);
            match signer.sign(&req, &p) {
                Ok(out) => {
                    let general = general.unwrap();
                    let got: Vec<_> = out.headers().collect();
                    let expected: Vec<_> = general.headers().collect();
                    prop_assert_eq!(got, expected);
                }
                Err(e) => prop_assert_eq!(Err(e), general.map(|_| ())),
            }
            for expires in [60, 0] {
                let fast = signer.presign(&req, &p, expires);
                let general = signer.presign_general(&req, &p, expires);
                prop_assert_eq!(fast, general);
            }
            let plain_sts = method == "POST"
                && url == "https://sts.us-east-1.amazonaws.com/"
                && headers.iter().all(|(n, v)| n == "Content-Type" && v.starts_with("application"))
                && headers.len() <= 1
                // Longer tokens make the canonical request too long for the stack buffers.
                && token.as_ref().is_none_or(|t| t.len() <= 1500);
            if plain_sts {
                prop_assert!(signer.sign_common(&req, &p).is_some());
            }
        }
    }
}

#[test]
fn url_parts_and_url_errors() {
    let cases = [
        ("https://STS.amazonaws.com", "STS.amazonaws.com", "", "", ""),
        ("http://u:p@h:80/x?q#f", "h", "", "/x", "q"),
        ("http://u@h:8080", "h", ":8080", "", ""),
        ("https://h:0443/", "h", "", "/", ""),
        ("https://[::1]:8443/?a", "[::1]", ":8443", "/", "a"),
        ("HTTPS://u:a b@h/", "h", "", "/", ""),
    ];
    for (url, host, port_suffix, path, query) in cases {
        let parsed = canonical::parse_url(url).unwrap();
        assert_eq!(
            (parsed.host, parsed.port_suffix, parsed.path, parsed.query),
            (host, port_suffix, path, query),
            "{url}"
        );
    }
    let errors = [
        ("https://a b/", "space or a backslash"),
        ("https://h:8 0/", "port is not a number"),
        ("https://h\\x:1/", "space or a backslash"),
        ("https://u@:1/", "without a host"),
        ("https://h:x/", "port is not a number"),
    ];
    for (url, expected) in errors {
        let message = canonical::parse_url(url).unwrap_err().to_string();
        assert!(message.contains(expected), "{url}: {message}");
    }
}

#[test]
fn hex_matches_hex_crate() {
    let mut bytes = [0u8; 32];
    for round in 0..=255u8 {
        for (i, b) in bytes.iter_mut().enumerate() {
            *b = round.wrapping_mul(31).wrapping_add(i as u8 * 8);
        }
        assert_eq!(Hex64::new(&bytes).as_str(), hex::encode(bytes));
    }
}

#[test]
fn wipe_zeroes_every_byte_at_any_alignment() {
    let mut buf = [0xAAu8; 100];
    for start in 0..9 {
        for end in start..100 {
            buf.fill(0xAA);
            wipe(&mut buf[start..end]);
            assert!(buf[start..end].iter().all(|&b| b == 0));
            assert!(buf[..start].iter().chain(&buf[end..]).all(|&b| b == 0xAA));
        }
    }
}
