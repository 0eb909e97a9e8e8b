//! Output parsing: the AWS-documented samples (sts-api.md 1.4) and moto-shaped bodies.

use sts_client::operations::*;
use time::macros::datetime;

fn sample(name: &str) -> Vec<u8> {
    std::fs::read(format!(
        "{}/tests/data/responses/{name}.xml",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}

fn check_creds(
    c: &sts_client::Credentials,
    key: &str,
    exp: time::OffsetDateTime,
    account: Option<&str>,
) {
    assert_eq!(c.access_key_id(), key);
    assert_eq!(c.secret_access_key().expose(), "secretPLACEHOLDER");
    assert_eq!(c.session_token().unwrap().expose(), "tokenPLACEHOLDER");
    assert_eq!(c.expiration(), Some(exp));
    assert_eq!(c.account_id(), account);
    assert!(!format!("{c:?}").contains("PLACEHOLDER"));
}

#[test]
fn aws_samples_parse_into_every_field() {
    let o = AssumeRole::parse_output(&sample("AssumeRole")).unwrap();
    check_creds(
        &o.credentials,
        "ASIAEXAMPLEKEY000001",
        datetime!(2026-01-02 03:34:05 UTC),
        Some("111122223333"),
    );
    assert_eq!(
        o.assumed_role_user.assumed_role_id,
        "AROAEXAMPLEID0000001:ci-run-42"
    );
    assert_eq!(
        o.assumed_role_user.arn,
        "arn:aws:sts::111122223333:assumed-role/Deploy/ci-run-42"
    );
    assert_eq!(
        (
            o.packed_policy_size,
            o.session_token_utilization,
            o.session_token_size
        ),
        (Some(4), Some(4), Some(2048))
    );
    assert_eq!(o.source_identity.as_deref(), Some("alice"));
    assert_eq!(
        o.request_id.as_deref(),
        Some("00000000-0000-0000-0000-000000000001")
    );

    let o = AssumeRoleWithSaml::parse_output(&sample("AssumeRoleWithSAML")).unwrap();
    check_creds(
        &o.credentials,
        "ASIAEXAMPLEKEY000002",
        datetime!(2026-01-02 04:04:05 UTC),
        Some("111122223333"),
    );
    assert_eq!(
        o.assumed_role_user.assumed_role_id,
        "AROAEXAMPLEID0000002:jdoe@example.com"
    );
    assert_eq!(
        o.audience.as_deref(),
        Some("https://signin.aws.amazon.com/saml")
    );
    assert_eq!(o.issuer.as_deref(), Some("https://idp.example.com/"));
    assert_eq!(
        o.name_qualifier.as_deref(),
        Some("bmFtZVF1YWxpZmllclBsYWNlaG9sZGVy")
    );
    assert_eq!(o.subject.as_deref(), Some("jdoe@example.com"));
    assert_eq!(o.subject_type.as_deref(), Some("persistent"));
    assert_eq!(
        (
            o.packed_policy_size,
            o.session_token_utilization,
            o.session_token_size
        ),
        (None, Some(3), Some(1100))
    );
    assert_eq!(o.trusted_identity_propagation_context, None);
    assert_eq!(
        o.request_id.as_deref(),
        Some("00000000-0000-0000-0000-000000000002")
    );

    let o = AssumeRoleWithWebIdentity::parse_output(&sample("AssumeRoleWithWebIdentity")).unwrap();
    check_creds(
        &o.credentials,
        "ASIAEXAMPLEKEY000003",
        datetime!(2026-01-02 04:04:05 UTC),
        Some("111122223333"),
    );
    assert_eq!(
        o.subject_from_web_identity_token.as_deref(),
        Some("system:serviceaccount:ns:sa")
    );
    assert_eq!(o.audience.as_deref(), Some("sts.amazonaws.com"));
    assert_eq!(o.provider.as_deref(), Some("oidc.example.com/id/EXAMPLE"));
    assert_eq!(
        o.assumed_role_user.assumed_role_id,
        "AROAEXAMPLEID0000003:pod-abc"
    );

    let o = AssumeRoot::parse_output(&sample("AssumeRoot")).unwrap();
    check_creds(
        &o.credentials,
        "ASIAEXAMPLEKEY000004",
        datetime!(2026-01-02 03:19:05 UTC),
        None,
    );
    assert_eq!(o.source_identity.as_deref(), Some("admin-alice"));

    let o =
        DecodeAuthorizationMessage::parse_output(&sample("DecodeAuthorizationMessage")).unwrap();
    assert!(o.decoded_message.starts_with("{\"allowed\":false"));
    assert_eq!(
        o.request_id.as_deref(),
        Some("00000000-0000-0000-0000-000000000005")
    );
    let decision = o.decision.as_ref().expect("typed document");
    assert!(!decision.allowed && !decision.explicit_deny);
    let context = decision.context.as_ref().expect("context");
    assert_eq!(context.action.as_deref(), Some("ec2:RunInstances"));
    assert_eq!(
        context.principal.as_ref().and_then(|p| p.arn.as_deref()),
        Some("arn:aws:iam::111122223333:user/bob")
    );
    assert_eq!(o.decision(), Ok(decision.clone()));

    // A document of another shape keeps its raw text and says why it is not typed.
    let odd = br#"<DecodeAuthorizationMessageResponse><DecodeAuthorizationMessageResult><DecodedMessage>[1,2]</DecodedMessage></DecodeAuthorizationMessageResult></DecodeAuthorizationMessageResponse>"#;
    let o = DecodeAuthorizationMessage::parse_output(odd).unwrap();
    assert_eq!(o.decoded_message, "[1,2]");
    assert!(o.decision.is_none());
    assert!(o.decision().is_err());

    let o = GetAccessKeyInfo::parse_output(&sample("GetAccessKeyInfo")).unwrap();
    assert_eq!(o.account, "111122223333");

    let o = GetCallerIdentity::parse_output(&sample("GetCallerIdentity")).unwrap();
    assert_eq!(o.user_id, "AROAEXAMPLEID0000001:ci-run-42");
    assert_eq!(o.account, "111122223333");
    assert_eq!(
        o.arn,
        "arn:aws:sts::111122223333:assumed-role/Deploy/ci-run-42"
    );
    assert_eq!(
        o.request_id.as_deref(),
        Some("00000000-0000-0000-0000-000000000007")
    );

    let o = GetDelegatedAccessToken::parse_output(&sample("GetDelegatedAccessToken")).unwrap();
    check_creds(
        &o.credentials,
        "ASIAEXAMPLEKEY000008",
        datetime!(2026-01-02 04:04:05 UTC),
        Some("111122223333"),
    );
    assert_eq!(
        o.assumed_principal.as_deref(),
        Some("arn:aws:iam::111122223333:role/Delegated")
    );

    let o = GetFederationToken::parse_output(&sample("GetFederationToken")).unwrap();
    check_creds(
        &o.credentials,
        "ASIAEXAMPLEKEY000009",
        datetime!(2026-01-02 04:04:05 UTC),
        Some("111122223333"),
    );
    assert_eq!(o.federated_user.federated_user_id, "111122223333:bob");
    assert_eq!(
        o.federated_user.arn,
        "arn:aws:sts::111122223333:federated-user/bob"
    );
    assert_eq!(
        (
            o.packed_policy_size,
            o.session_token_utilization,
            o.session_token_size
        ),
        (Some(5), Some(5), Some(1350))
    );

    let o = GetScopedCredentials::parse_output(&sample("GetScopedCredentials")).unwrap();
    check_creds(
        &o.credentials,
        "ASIAEXAMPLEKEY000010",
        datetime!(2026-01-02 03:19:05 UTC),
        Some("111122223333"),
    );
    assert_eq!(
        o.session_info.scoped_session_id,
        "AROAEXAMPLEID0000001:ci-run-42"
    );
    assert_eq!(
        (
            o.scoped_policies_count,
            o.session_token_utilization,
            o.session_token_size
        ),
        (Some(1), Some(6), Some(1500))
    );
    assert_eq!(o.source_identity, None);

    let o = GetSessionToken::parse_output(&sample("GetSessionToken")).unwrap();
    check_creds(
        &o.credentials,
        "ASIAEXAMPLEKEY000011",
        datetime!(2026-01-02 04:04:05.123 UTC),
        None,
    );

    let o = GetWebIdentityToken::parse_output(&sample("GetWebIdentityToken")).unwrap();
    assert_eq!(
        o.web_identity_token.expose(),
        "eyJhbGciOiJFUzM4NCJ9.PLACEHOLDER.PLACEHOLDER"
    );
    assert_eq!(o.expiration, datetime!(2026-01-02 03:09:05 UTC));
    assert!(!format!("{o:?}").contains("PLACEHOLDER"));
}

const MOTO_ASSUME_ROLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<AssumeRoleResponse><AssumeRoleResult>
<Credentials><SessionToken>FQoGZXIvYXdzEBYaDHoW</SessionToken><SecretAccessKey>s3cr3t</SecretAccessKey>
<Expiration>2026-11-28T17:14:31.701510Z</Expiration><AccessKeyId>ASIAQWERTYUIOPASDFGH</AccessKeyId></Credentials>
<AssumedRoleUser><Arn>arn:aws:sts::123456789012:assumed-role/r/s</Arn><AssumedRoleId>AROA123:s</AssumedRoleId></AssumedRoleUser>
<PackedPolicySize>6</PackedPolicySize><Unknown><Nested/></Unknown>
</AssumeRoleResult><ResponseMetadata><RequestId>c6104cbe</RequestId></ResponseMetadata></AssumeRoleResponse>"#;

#[test]
fn moto_shapes_parse() {
    let o = AssumeRole::parse_output(MOTO_ASSUME_ROLE.as_bytes()).unwrap();
    assert_eq!(o.credentials.access_key_id(), "ASIAQWERTYUIOPASDFGH");
    assert_eq!(
        o.credentials.expiration(),
        Some(datetime!(2026-11-28 17:14:31.701510 UTC))
    );
    assert_eq!(o.credentials.account_id(), Some("123456789012"));
    assert_eq!(o.assumed_role_user.assumed_role_id, "AROA123:s");
    assert_eq!(
        (
            o.packed_policy_size,
            o.source_identity,
            o.session_token_size
        ),
        (Some(6), None, None)
    );
    assert_eq!(o.request_id.as_deref(), Some("c6104cbe"));

    let saml = r#"<?xml version="1.0"?><AssumeRoleWithSAMLResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithSAMLResult>
<Audience>https://signin.aws.amazon.com/saml</Audience><AssumedRoleUser><AssumedRoleId>AROA1:u</AssumedRoleId><Arn>arn:aws:sts::123456789012:assumed-role/r/u</Arn></AssumedRoleUser>
<Credentials><AccessKeyId>ASIAQWERTYUIOPASDFGH</AccessKeyId><SecretAccessKey>s</SecretAccessKey><SessionToken>t</SessionToken><Expiration>2026-11-28T17:14:31.701510Z</Expiration></Credentials>
<Subject>AROA1:u</Subject><NameQualifier>B64=</NameQualifier><SubjectType>persistent</SubjectType><Issuer>http://localhost:3000/</Issuer>
<TrustedIdentityPropagationContext><OriginIdentity><Subject>alice</Subject><SubjectType>user</SubjectType></OriginIdentity>
<TransactionContext><IdentityProvider><entry><key>tenant</key><value>t&amp;1</value></entry><entry><key>region</key><value>eu</value></entry></IdentityProvider></TransactionContext></TrustedIdentityPropagationContext>
</AssumeRoleWithSAMLResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleWithSAMLResponse>"#;
    let o = AssumeRoleWithSaml::parse_output(saml.as_bytes()).unwrap();
    assert_eq!(o.subject.as_deref(), Some("AROA1:u"));
    assert_eq!(o.issuer.as_deref(), Some("http://localhost:3000/"));
    let tip = o.trusted_identity_propagation_context.clone().unwrap();
    let origin = tip.origin_identity.as_ref().unwrap();
    assert_eq!(
        (
            origin.subject.as_deref(),
            origin.subject_type.as_deref(),
            origin.issuer.as_deref()
        ),
        (Some("alice"), Some("user"), None)
    );
    let map = &tip.transaction_context.as_ref().unwrap().identity_provider;
    assert_eq!(map.get("tenant").map(String::as_str), Some("t&1"));
    assert_eq!(map.get("region").map(String::as_str), Some("eu"));
    assert!(!format!("{o:?}").contains("alice"));

    let gci = r#"<?xml version="1.0"?><GetCallerIdentityResponse><GetCallerIdentityResult><Account>123456789012</Account><UserId>AIDAEXAMPLE</UserId><Arn>arn:aws:iam::123456789012:user/moto</Arn></GetCallerIdentityResult></GetCallerIdentityResponse>"#;
    let o = GetCallerIdentity::parse_output(gci.as_bytes()).unwrap();
    assert_eq!(
        (o.user_id.as_str(), o.account.as_str(), o.request_id),
        ("AIDAEXAMPLE", "123456789012", None)
    );

    let gft = r#"<GetFederationTokenResponse><GetFederationTokenResult><FederatedUser><Arn>arn:aws:sts::123456789012:federated-user/bob</Arn><FederatedUserId>123456789012:bob</FederatedUserId></FederatedUser>
<Credentials><SessionToken>t</SessionToken><SecretAccessKey>s</SecretAccessKey><Expiration>2026-11-28T17:14:31.701510Z</Expiration><AccessKeyId>AKIAIOSFODNN7EXAMPLE</AccessKeyId></Credentials></GetFederationTokenResult></GetFederationTokenResponse>"#;
    let o = GetFederationToken::parse_output(gft.as_bytes()).unwrap();
    assert_eq!(o.federated_user.federated_user_id, "123456789012:bob");
    assert_eq!(o.packed_policy_size, None);

    let gak = r#"<?xml version="1.0"?><x:GetAccessKeyInfoResponse xmlns:x="urn:y"><x:GetAccessKeyInfoResult><x:Account>123456789012</x:Account></x:GetAccessKeyInfoResult></x:GetAccessKeyInfoResponse>"#;
    assert_eq!(
        GetAccessKeyInfo::parse_output(gak.as_bytes())
            .unwrap()
            .account,
        "123456789012"
    );

    let dam = r#"<DecodeAuthorizationMessageResponse><DecodeAuthorizationMessageResult><DecodedMessage>{&quot;allowed&quot;:false}</DecodedMessage></DecodeAuthorizationMessageResult></DecodeAuthorizationMessageResponse>"#;
    assert_eq!(
        DecodeAuthorizationMessage::parse_output(dam.as_bytes())
            .unwrap()
            .decoded_message,
        r#"{"allowed":false}"#
    );
}

#[test]
fn missing_required_elements_are_named_without_secrets() {
    let body = MOTO_ASSUME_ROLE.replace("<AccessKeyId>ASIAQWERTYUIOPASDFGH</AccessKeyId>", "");
    let e = AssumeRole::parse_output(body.as_bytes()).unwrap_err();
    assert_eq!(e, ParseError::MissingElement("Credentials/AccessKeyId"));
    assert!(e.to_string().contains("Credentials/AccessKeyId"));
    let body = MOTO_ASSUME_ROLE.replace("2026-11-28T17:14:31.701510Z", "s3cr3t-not-a-date");
    let e = AssumeRole::parse_output(body.as_bytes()).unwrap_err();
    assert!(matches!(
        e,
        ParseError::BadTimestamp {
            element: "Credentials/Expiration",
            ..
        }
    ));
    let body = MOTO_ASSUME_ROLE.replace(
        "<SecretAccessKey>s3cr3t</SecretAccessKey>",
        "<SecretAccessKey>s3cr3t</Oops>",
    );
    let e = AssumeRole::parse_output(body.as_bytes()).unwrap_err();
    assert!(!e.to_string().contains("s3cr3t"), "{e}");
    let e =
        AssumeRole::parse_output(b"<ErrorResponse><Error><Code>X</Code></Error></ErrorResponse>")
            .unwrap_err();
    assert!(matches!(e, ParseError::UnexpectedRoot { .. }));
    let e = GetCallerIdentity::parse_output(
        b"<GetCallerIdentityResponse><GetCallerIdentityResult/></GetCallerIdentityResponse>",
    )
    .unwrap_err();
    assert_eq!(e, ParseError::MissingElement("UserId"));
    let e =
        AssumeRole::parse_output(b"<AssumeRoleResponse><AssumeRoleResult/></AssumeRoleResponse>")
            .unwrap_err();
    assert_eq!(e, ParseError::MissingElement("Credentials"));
}
