//! Random, mutated, huge and deeply nested bodies: every parse_output returns Ok or Err.

use proptest::prelude::*;
use sts_client::operations::*;

fn parse_all(body: &[u8]) {
    let _ = AssumeRole::parse_output(body);
    let _ = AssumeRoleWithSaml::parse_output(body);
    let _ = AssumeRoleWithWebIdentity::parse_output(body);
    let _ = AssumeRoot::parse_output(body);
    let _ = DecodeAuthorizationMessage::parse_output(body);
    let _ = GetAccessKeyInfo::parse_output(body);
    let _ = GetCallerIdentity::parse_output(body);
    let _ = GetDelegatedAccessToken::parse_output(body);
    let _ = GetFederationToken::parse_output(body);
    let _ = GetScopedCredentials::parse_output(body);
    let _ = GetSessionToken::parse_output(body);
    let _ = GetWebIdentityToken::parse_output(body);
}

fn samples() -> Vec<Vec<u8>> {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/data/responses");
    let mut out: Vec<Vec<u8>> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| std::fs::read(e.unwrap().path()).unwrap())
        .collect();
    out.sort();
    out
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    #[test]
    fn random_bytes(body in proptest::collection::vec(any::<u8>(), 0..512)) {
        parse_all(&body);
    }

    #[test]
    fn mutated_samples(which in 0usize..12, edits in proptest::collection::vec((any::<usize>(), any::<u8>()), 1..8), cut in any::<usize>()) {
        let mut body = samples()[which].clone();
        for (at, byte) in edits {
            let at = at % body.len();
            body[at] = byte;
        }
        parse_all(&body);
        let cut = cut % body.len();
        parse_all(&body[..cut]);
    }

    #[test]
    fn nested_and_repeated(depth in 0usize..5000, repeat in 0usize..2000) {
        let mut body = String::from("<AssumeRoleResponse><AssumeRoleResult>");
        body.push_str(&"<a>".repeat(depth));
        body.push_str(&"<Credentials><AccessKeyId>x</AccessKeyId></Credentials>".repeat(repeat));
        parse_all(body.as_bytes());
    }
}

#[test]
fn huge_body_is_handled_quickly() {
    let start = std::time::Instant::now();
    let mut body = String::from("<GetCallerIdentityResponse><GetCallerIdentityResult><UserId>");
    body.push_str(&"A".repeat(8 << 20));
    body.push_str("</UserId><Account>1</Account><Arn>a</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>");
    let o = GetCallerIdentity::parse_output(body.as_bytes()).unwrap();
    assert_eq!(o.user_id.len(), 8 << 20);
    let deep = "<a>".repeat(1 << 20);
    assert_eq!(
        GetCallerIdentity::parse_output(deep.as_bytes()).unwrap_err(),
        ParseError::UnexpectedRoot {
            expected: "GetCallerIdentityResponse",
            found: "a".into()
        }
    );
    let deep = format!("<GetCallerIdentityResponse>{deep}");
    assert_eq!(
        GetCallerIdentity::parse_output(deep.as_bytes()).unwrap_err(),
        ParseError::TooDeep
    );
    assert!(start.elapsed() < std::time::Duration::from_secs(20));
}
