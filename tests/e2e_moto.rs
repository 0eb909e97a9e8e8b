//! End to end against moto, an independent STS implementation that checks every SigV4
//! signature with botocore's signer (run under `scripts/with-moto cargo test`).
//!
//! Without `MOTO_STS_ENDPOINT` these tests print a notice and pass, so that a bare
//! `cargo test` works anywhere; CI sets `STS_E2E_REQUIRED=1` so that a missing server fails.

use base64::Engine;
use sts_client::config::ClientConfig;
use sts_client::operations::Tag;
use sts_client::{Client, Credentials, Error, ErrorCode};

struct Moto {
    endpoint: String,
    noauth_endpoint: String,
    access_key_id: String,
    secret_access_key: String,
    user_arn: String,
    role_arn: String,
    denied_role_arn: String,
    account_id: String,
}

fn moto() -> Option<Moto> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    match var("MOTO_STS_ENDPOINT") {
        Some(endpoint) => Some(Moto {
            endpoint,
            noauth_endpoint: var("MOTO_STS_NOAUTH_ENDPOINT").expect("MOTO_STS_NOAUTH_ENDPOINT"),
            access_key_id: var("MOTO_STS_ACCESS_KEY_ID").expect("MOTO_STS_ACCESS_KEY_ID"),
            secret_access_key: var("MOTO_STS_SECRET_ACCESS_KEY")
                .expect("MOTO_STS_SECRET_ACCESS_KEY"),
            user_arn: var("MOTO_STS_USER_ARN").expect("MOTO_STS_USER_ARN"),
            role_arn: var("MOTO_STS_ROLE_ARN").expect("MOTO_STS_ROLE_ARN"),
            denied_role_arn: var("MOTO_STS_DENIED_ROLE_ARN").expect("MOTO_STS_DENIED_ROLE_ARN"),
            account_id: var("MOTO_STS_ACCOUNT_ID").expect("MOTO_STS_ACCOUNT_ID"),
        }),
        None => {
            assert!(
                var("STS_E2E_REQUIRED").is_none(),
                "STS_E2E_REQUIRED is set but MOTO_STS_ENDPOINT is not: run under scripts/with-moto"
            );
            eprintln!("skipped: MOTO_STS_ENDPOINT is unset (run under scripts/with-moto)");
            None
        }
    }
}

fn client(endpoint: &str, credentials: Option<Credentials>) -> Client {
    let mut builder = Client::builder().config(
        ClientConfig::new()
            .with_region("us-east-1")
            .with_endpoint_url(endpoint),
    );
    if let Some(credentials) = credentials {
        builder = builder.credentials(credentials);
    }
    builder.build().expect("client")
}

fn user_client(m: &Moto) -> Client {
    client(
        &m.endpoint,
        Some(Credentials::new(
            &m.access_key_id,
            m.secret_access_key.as_str(),
        )),
    )
}

fn run<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
        .block_on(f)
}

fn code_of(result: Result<impl std::fmt::Debug, Error>) -> ErrorCode {
    match result {
        Ok(v) => panic!("expected an error, got {v:?}"),
        Err(e) => e
            .code()
            .cloned()
            .unwrap_or_else(|| panic!("expected a service error, got {e}")),
    }
}

#[test]
fn get_caller_identity_as_the_seeded_user() {
    let Some(m) = moto() else { return };
    let me = run(user_client(&m).get_caller_identity().send()).expect("GetCallerIdentity");
    assert_eq!(me.arn, m.user_arn);
    assert_eq!(me.account, m.account_id);
    // moto makes up its own unique ids (AWS's start with AIDA).
    assert!(!me.user_id.is_empty());
    assert!(me.request_id.is_some());
}

#[test]
fn assume_role_with_everything_then_call_as_the_role() {
    let Some(m) = moto() else { return };
    // Spaces, quotes and non-ASCII text in the policy exercise the form encoding that moto
    // re-hashes: one byte off and the signature fails.
    let policy = r#"{"Version":"2012-10-17","Statement":[{"Sid":"Grüße aus Zürich","Effect":"Allow","Action":"s3:GetObject","Resource":"arn:aws:s3:::bucket/a b/\"quoted\"/*"}]}"#;
    let out = run(user_client(&m)
        .assume_role()
        .role_arn(&m.role_arn)
        .role_session_name("e2e-session")
        .policy(policy)
        .policy_arn("arn:aws:iam::aws:policy/ReadOnlyAccess")
        .tag("Project", "Blue Sky")
        .tag("Team", "a/b+c")
        .transitive_tag_key("Project")
        .external_id("ext-123")
        .source_identity("alice")
        .duration_seconds(900)
        .send())
    .expect("AssumeRole");
    assert!(out.credentials.access_key_id().starts_with("ASIA"));
    assert!(out.credentials.session_token().is_some());
    assert!(out.credentials.expiration().is_some());
    assert_eq!(
        out.assumed_role_user.arn,
        format!(
            "arn:aws:sts::{}:assumed-role/sts-client-role/e2e-session",
            m.account_id
        )
    );

    let as_role = client(&m.endpoint, Some(out.credentials.clone()));
    let me = run(as_role.get_caller_identity().send()).expect("GetCallerIdentity as the role");
    assert_eq!(me.arn, out.assumed_role_user.arn);
    assert_eq!(me.account, m.account_id);
}

#[test]
fn get_session_token_and_federation_token() {
    let Some(m) = moto() else { return };
    let c = user_client(&m);
    let session = run(c.get_session_token().duration_seconds(900).send()).expect("GetSessionToken");
    assert!(session.credentials.session_token().is_some());
    assert!(session.credentials.expiration().is_some());

    let federated = run(c
        .get_federation_token()
        .name("bob")
        .policy(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#)
        .tags([Tag::new("dept", "eng")])
        .send())
    .expect("GetFederationToken");
    assert!(
        federated
            .federated_user
            .arn
            .ends_with(":federated-user/bob"),
        "{}",
        federated.federated_user.arn
    );
    assert!(federated.federated_user.federated_user_id.ends_with(":bob"));
}

#[test]
fn get_access_key_info_names_the_account() {
    let Some(m) = moto() else { return };
    let info = run(user_client(&m)
        .get_access_key_info()
        .access_key_id(&m.access_key_id)
        .send())
    .expect("GetAccessKeyInfo");
    assert_eq!(info.account, m.account_id);
}

#[test]
fn unsigned_web_identity_and_saml_need_no_credentials() {
    let Some(m) = moto() else { return };
    let anonymous = client(&m.noauth_endpoint, None);
    let token = include_str!("data/moto/web-identity-token.jwt").trim();
    let web = run(anonymous
        .assume_role_with_web_identity()
        .role_arn(format!("arn:aws:iam::{}:role/web-role", m.account_id))
        .role_session_name("pod-abc")
        .web_identity_token(token)
        .duration_seconds(900)
        .send())
    .expect("AssumeRoleWithWebIdentity");
    assert!(
        web.assumed_role_user
            .arn
            .ends_with("assumed-role/web-role/pod-abc"),
        "{}",
        web.assumed_role_user.arn
    );
    assert!(web.credentials.session_token().is_some());

    let assertion = base64::engine::general_purpose::STANDARD
        .encode(include_str!("data/moto/saml-assertion.xml"));
    let saml = run(anonymous
        .assume_role_with_saml()
        .role_arn(format!(
            "arn:aws:iam::{}:role/sts-client-saml-role",
            m.account_id
        ))
        .principal_arn(format!(
            "arn:aws:iam::{}:saml-provider/sts-client-idp",
            m.account_id
        ))
        .saml_assertion(assertion)
        .send())
    .expect("AssumeRoleWithSAML");
    assert!(saml.credentials.access_key_id().starts_with("ASIA"));
    assert_eq!(
        saml.audience.as_deref(),
        Some("https://signin.aws.amazon.com/saml")
    );
    assert!(saml.issuer.is_some());
}

#[test]
fn a_wrong_secret_is_signature_does_not_match() {
    let Some(m) = moto() else { return };
    let wrong = client(
        &m.endpoint,
        Some(Credentials::new(
            &m.access_key_id,
            "wrong-secret-wrong-secret-wrong-secret00",
        )),
    );
    let result = run(wrong.get_caller_identity().send());
    if let Err(e) = &result {
        assert!(!e.to_string().contains("wrong-secret"), "{e}");
        assert_eq!(e.as_service_error().map(|s| s.status()), Some(403));
    }
    assert_eq!(code_of(result), ErrorCode::SignatureDoesNotMatch);
}

#[test]
fn an_unknown_key_is_invalid_client_token_id() {
    let Some(m) = moto() else { return };
    let unknown = client(
        &m.endpoint,
        Some(Credentials::new(
            "AKIAUNKNOWNKEY000000",
            m.secret_access_key.as_str(),
        )),
    );
    assert_eq!(
        code_of(run(unknown.get_caller_identity().send())),
        ErrorCode::InvalidClientTokenId
    );
}

#[test]
fn a_wrong_session_token_is_invalid_client_token_id() {
    let Some(m) = moto() else { return };
    let out = run(user_client(&m)
        .assume_role()
        .role_arn(&m.role_arn)
        .role_session_name("token-check")
        .send())
    .expect("AssumeRole");
    let tampered = Credentials::new(
        out.credentials.access_key_id(),
        out.credentials.secret_access_key().clone(),
    )
    .with_session_token("not-the-token-moto-issued");
    let c = client(&m.endpoint, Some(tampered));
    assert_eq!(
        code_of(run(c.get_caller_identity().send())),
        ErrorCode::InvalidClientTokenId
    );
}

#[test]
fn a_trust_policy_refusal_is_access_denied() {
    let Some(m) = moto() else { return };
    let result = run(user_client(&m)
        .assume_role()
        .role_arn(&m.denied_role_arn)
        .role_session_name("not-allowed")
        .send());
    assert_eq!(code_of(result), ErrorCode::AccessDenied);
}
