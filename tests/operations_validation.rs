//! Every kind of model limit is checked by `build()`, and secrets never reach the error.

use sts_client::operations::*;

const ROLE: &str = "arn:aws:iam::111122223333:role/Deploy";

fn assume_role() -> AssumeRoleBuilder {
    AssumeRole::builder().role_arn(ROLE).role_session_name("s1")
}

#[test]
fn required_members() {
    let e = AssumeRole::builder().role_arn(ROLE).build().unwrap_err();
    assert_eq!(
        (e.operation(), e.parameter()),
        ("AssumeRole", "RoleSessionName")
    );
    assert_eq!(e.problem(), &Problem::Missing);
    let e = AssumeRoot::builder()
        .target_principal("444455556666")
        .build()
        .unwrap_err();
    assert_eq!(e.parameter(), "TaskPolicyArn");
    let e = GetWebIdentityToken::builder()
        .audience("a")
        .build()
        .unwrap_err();
    assert_eq!(e.parameter(), "SigningAlgorithm");
    assert!(GetDelegatedAccessToken::builder().build().is_err());
    assert!(DecodeAuthorizationMessage::builder().build().is_err());
    assert!(GetAccessKeyInfo::builder().build().is_err());
    assert!(AssumeRoleWithSaml::builder()
        .role_arn(ROLE)
        .principal_arn(ROLE)
        .build()
        .is_err());
}

#[test]
fn lengths() {
    let e = AssumeRole::builder()
        .role_arn("arn:short")
        .role_session_name("s1")
        .build()
        .unwrap_err();
    assert_eq!(
        e.problem(),
        &Problem::Length {
            length: 9,
            min: 20,
            max: Some(2048)
        }
    );
    let e = GetFederationToken::builder()
        .name("x".repeat(33))
        .build()
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "GetFederationToken: invalid Name: has length 33, allowed 2..=32"
    );
    assert!(assume_role().external_id("x").build().is_err());
    assert!(assume_role()
        .source_identity("x".repeat(257))
        .build()
        .is_err());
    assert!(assume_role()
        .source_identity("x".repeat(256))
        .build()
        .is_ok());
    assert!(GetAccessKeyInfo::builder()
        .access_key_id("AKIA")
        .build()
        .is_err());
}

#[test]
fn patterns() {
    let e = assume_role()
        .role_session_name("my session")
        .build()
        .unwrap_err();
    assert_eq!(e.parameter(), "RoleSessionName");
    assert!(matches!(
        e.problem(),
        Problem::Character {
            position: 2,
            found: Some(' '),
            ..
        }
    ));
    assert!(assume_role()
        .serial_number("GAHT12345678!")
        .build()
        .is_err());
    assert!(assume_role().external_id("ext id").build().is_err());
    let e = assume_role()
        .tag("Project", "ok")
        .tag("bad*key", "v")
        .build()
        .unwrap_err();
    assert_eq!(e.parameter(), "Tags.member.2.Key");
    let e = assume_role()
        .tag("k", "caf\u{e9} \u{65e5}\u{672c}")
        .tag("k2", "a\tb")
        .build()
        .unwrap_err();
    assert_eq!(e.parameter(), "Tags.member.2.Value");
    assert!(assume_role()
        .policy("{\"a\":\"\u{263a}\"}")
        .build()
        .is_err());
    assert!(GetWebIdentityToken::builder()
        .audience("a")
        .signing_algorithm("RS256")
        .scope("a  b")
        .build()
        .is_err());
    assert!(GetWebIdentityToken::builder()
        .audience("a")
        .signing_algorithm("RS256")
        .scope("a,b")
        .build()
        .is_err());
    assert!(GetScopedCredentials::builder()
        .scoped_session_description("tab\u{7f}")
        .build()
        .is_err());
}

#[test]
fn ranges_per_operation() {
    let range = |e: ValidationError| match e.problem() {
        Problem::Range { min, max, .. } => (*min, *max),
        p => panic!("{p:?}"),
    };
    assert_eq!(
        range(assume_role().duration_seconds(899).build().unwrap_err()),
        (900, 43200)
    );
    assert!(assume_role().duration_seconds(43200).build().is_ok());
    assert_eq!(
        range(
            GetFederationToken::builder()
                .name("bob")
                .duration_seconds(129_601)
                .build()
                .unwrap_err()
        ),
        (900, 129_600)
    );
    assert_eq!(
        range(
            GetSessionToken::builder()
                .duration_seconds(100)
                .build()
                .unwrap_err()
        ),
        (900, 129_600)
    );
    assert_eq!(
        range(
            AssumeRoot::builder()
                .target_principal("444455556666")
                .task_policy_arn("arn:aws:iam::aws:policy/root-task/X")
                .duration_seconds(901)
                .build()
                .unwrap_err()
        ),
        (0, 900)
    );
    assert_eq!(
        range(
            GetScopedCredentials::builder()
                .duration_seconds(0)
                .build()
                .unwrap_err()
        ),
        (1, 129_600)
    );
    assert_eq!(
        range(
            GetWebIdentityToken::builder()
                .audience("a")
                .signing_algorithm("ES384")
                .duration_seconds(3601)
                .build()
                .unwrap_err()
        ),
        (60, 3600)
    );
    assert_eq!(
        range(
            assume_role()
                .minimum_session_token_size(4097)
                .build()
                .unwrap_err()
        ),
        (0, 4096)
    );
}

#[test]
fn list_sizes() {
    let e = assume_role()
        .tags((0..51).map(|i| Tag::new(format!("k{i}"), "v")))
        .build()
        .unwrap_err();
    assert_eq!(
        e.problem(),
        &Problem::ListSize {
            count: 51,
            min: 0,
            max: 50
        }
    );
    assert!(assume_role()
        .tags((0..50).map(|i| Tag::new(format!("k{i}"), "v")))
        .build()
        .is_ok());
    assert!(assume_role()
        .policy_arns((0..11).map(|i| format!("arn:aws:iam::aws:policy/p{i}")))
        .build()
        .is_err());
    assert!(assume_role()
        .transitive_tag_keys((0..51).map(|i| format!("k{i}")))
        .build()
        .is_err());
    assert!(assume_role().provided_contexts(Vec::new()).build().is_err());
    assert!(assume_role()
        .provided_contexts((0..6).map(|_| ProvidedContext::new(ROLE, "abcd")))
        .build()
        .is_err());
    assert!(GetWebIdentityToken::builder()
        .audiences(Vec::<String>::new())
        .signing_algorithm("RS256")
        .build()
        .is_err());
    assert!(GetWebIdentityToken::builder()
        .audiences((0..11).map(|i| i.to_string()))
        .signing_algorithm("RS256")
        .build()
        .is_err());
}

#[test]
fn secrets_never_appear_in_errors_or_debug() {
    let code = "12a45b";
    let e = assume_role().token_code(code).build().unwrap_err();
    assert_eq!(e.parameter(), "TokenCode");
    assert!(!format!("{e} {e:?}").contains(code));
    assert!(!format!("{e} {e:?}").contains("'a'"));
    assert!(matches!(
        e.problem(),
        Problem::Character {
            found: None,
            position: 2,
            ..
        }
    ));
    let e = GetSessionToken::builder()
        .token_code("9999999")
        .build()
        .unwrap_err();
    assert!(!format!("{e} {e:?}").contains("9999999"));
    let token = "eyJ-secret-token";
    let builder = AssumeRoleWithWebIdentity::builder()
        .role_arn(ROLE)
        .role_session_name("x")
        .web_identity_token(token);
    assert!(!format!("{builder:?}").contains(token));
    let e = builder.clone().build().unwrap_err();
    assert!(!format!("{e} {e:?}").contains(token));
    let op = builder.role_session_name("ok").build().unwrap();
    assert!(!format!("{op:?}").contains(token));
    let saml = "PHNhbWw+c2VjcmV0";
    let e = AssumeRoleWithSaml::builder()
        .role_arn("short")
        .principal_arn(ROLE)
        .saml_assertion(saml)
        .build()
        .unwrap_err();
    assert!(!format!("{e} {e:?}").contains(saml));
    let op = GetDelegatedAccessToken::builder()
        .trade_in_token("trade-secret")
        .build()
        .unwrap();
    assert!(!format!("{op:?}").contains("trade-secret"));
}
