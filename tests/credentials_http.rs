//! The HTTP credential sources (container endpoint, instance metadata), the STS-backed sources
//! and the complete default chain, against scripted servers on loopback.

mod support;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};
use sts_client::client::retry::RetryConfig;
use sts_client::client::StsAssumeRoleProvider;
use sts_client::config::ClientConfig;
use sts_client::credentials::{
    ContainerCredentials, CredentialsError, DefaultChain, EnvLookup, InstanceMetadataCredentials,
    MfaTokenProvider, ProvideCredentials,
};
use sts_client::{Client, Credentials, SecretString};
use support::fault_server::{FaultServer, Response, Step};
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "IQoJb3JpZ2luX2VjEXAMPLETOKEN";

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

fn in_an_hour() -> String {
    (OffsetDateTime::now_utc() + time::Duration::hours(1))
        .replace_nanosecond(0)
        .unwrap()
        .format(&Rfc3339)
        .unwrap()
}

fn credentials_json(id: &str) -> String {
    format!(
        r#"{{"Code":"Success","LastUpdated":"2024-01-01T00:00:00Z","Type":"AWS-HMAC",
            "AccessKeyId":"{id}","SecretAccessKey":"{SECRET}","Token":"{TOKEN}",
            "Expiration":"{}","AccountId":"123456789012"}}"#,
        in_an_hour()
    )
}

fn json(status: u16, body: impl Into<Vec<u8>>) -> Step {
    Step::Respond(Response::new(status, body).with_header("Content-Type", "application/json"))
}

fn text(status: u16, body: &str) -> Step {
    Step::Respond(Response::new(status, body.as_bytes()))
}

/// A URL on loopback where nothing listens (connections are refused at once).
fn closed_url() -> String {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    url
}

fn assert_no_secret(text: &str) {
    for secret in [SECRET, TOKEN, "container-auth-", "imds-session-", "654321"] {
        assert!(!text.contains(secret), "leaks {secret}: {text}");
    }
}

// ---------------------------------------------------------------------------------------------
// Container endpoint

#[test]
fn container_full_uri_with_token_file_reread_at_every_call() {
    let server = FaultServer::start(vec![
        json(200, credentials_json("ASIACONTAINER1")),
        json(200, credentials_json("ASIACONTAINER2")),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "container-auth-1\n").unwrap();
    let env = EnvLookup::from_pairs([
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            format!("{}/v1/credentials", server.url()),
        ),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE",
            token_file.to_str().unwrap().to_owned(),
        ),
        // The file wins over the variable.
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", "ignored".to_owned()),
    ]);
    let source = ContainerCredentials::new(env);
    let rt = runtime();
    let creds = rt.block_on(source.provide_credentials()).unwrap();
    assert_eq!(creds.access_key_id(), "ASIACONTAINER1");
    assert_eq!(creds.secret_access_key().expose(), SECRET);
    assert_eq!(creds.session_token().unwrap().expose(), TOKEN);
    assert_eq!(creds.account_id(), Some("123456789012"));
    assert!(creds.expiration().unwrap() > OffsetDateTime::now_utc());
    std::fs::write(&token_file, "container-auth-2").unwrap();
    let creds = rt.block_on(source.provide_credentials()).unwrap();
    assert_eq!(creds.access_key_id(), "ASIACONTAINER2");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].method, "GET");
    assert_eq!(requests[0].path, "/v1/credentials");
    assert_eq!(
        requests[0].header("authorization"),
        Some("container-auth-1")
    );
    assert_eq!(
        requests[1].header("authorization"),
        Some("container-auth-2")
    );
    assert_no_secret(&format!("{source:?}"));
}

#[test]
fn container_token_variable_retry_and_failures() {
    let server = FaultServer::start(vec![
        text(500, "busy"),
        json(200, credentials_json("ASIARETRIED")),
        text(403, "Forbidden: bad token"),
        json(
            200,
            format!(r#"{{"AccessKeyId":"A","SecretAccessKey":"{SECRET}","Expiration":"{TOKEN}"}}"#),
        ),
    ]);
    let env = EnvLookup::from_pairs([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url()),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "container-auth-env".to_owned(),
        ),
    ]);
    let source = ContainerCredentials::new(env);
    let rt = runtime();
    // A 500 is tried once more.
    let creds = rt.block_on(source.provide_credentials()).unwrap();
    assert_eq!(creds.access_key_id(), "ASIARETRIED");
    assert_eq!(
        server.requests()[1].header("authorization"),
        Some("container-auth-env")
    );
    // A 403 is an error naming the endpoint and the status.
    let err = rt.block_on(source.provide_credentials()).unwrap_err();
    let message = err.to_string();
    assert!(
        message.contains("container credentials from http://127.0.0.1:"),
        "{message}"
    );
    assert!(
        message.contains("HTTP 403: Forbidden: bad token"),
        "{message}"
    );
    // A bad document: the problem, never the values.
    let err = rt.block_on(source.provide_credentials()).unwrap_err();
    assert!(
        err.to_string().contains("Expiration is not an RFC 3339"),
        "{err}"
    );
    assert_no_secret(&err.to_string());
    assert_no_secret(&format!("{err:?}"));
}

#[test]
fn container_endpoint_rules() {
    let endpoint = |pairs: &[(&str, &str)]| {
        ContainerCredentials::new(EnvLookup::from_pairs(pairs.iter().copied())).endpoint()
    };
    assert_eq!(
        endpoint(&[
            (
                "AWS_CONTAINER_CREDENTIALS_RELATIVE_URI",
                "/v2/credentials/x"
            ),
            (
                "AWS_CONTAINER_CREDENTIALS_FULL_URI",
                "http://127.0.0.1/ignored"
            ),
        ])
        .unwrap(),
        "http://169.254.170.2/v2/credentials/x"
    );
    for allowed in [
        "http://127.0.0.1:8080/creds",
        "http://localhost/creds",
        "http://[::1]/creds",
        "http://169.254.170.23/v1/credentials",
        "http://[fd00:ec2::23]/v1/credentials",
        "https://creds.example.com/path",
    ] {
        assert_eq!(
            endpoint(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", allowed)]).unwrap(),
            allowed
        );
    }
    for refused in [
        "http://example.com/creds",
        "http://169.254.169.254/latest",
        "ftp://127.0.0.1/creds",
        "not a url",
        "https://user:pw@example.com/",
    ] {
        match endpoint(&[("AWS_CONTAINER_CREDENTIALS_FULL_URI", refused)]).unwrap_err() {
            CredentialsError::InvalidEnvironment { name, problem } => {
                assert_eq!(name, "AWS_CONTAINER_CREDENTIALS_FULL_URI");
                assert!(!problem.contains("pw@"), "{problem}");
            }
            other => panic!("{refused}: {other:?}"),
        }
    }
    let unset = endpoint(&[]).unwrap_err();
    assert!(unset.is_not_configured());
    // A token with a line break would split the header.
    let server = FaultServer::start(vec![]);
    let env = EnvLookup::from_pairs([
        ("AWS_CONTAINER_CREDENTIALS_FULL_URI", server.url()),
        (
            "AWS_CONTAINER_AUTHORIZATION_TOKEN",
            "a\r\nX-Evil: 1".to_owned(),
        ),
    ]);
    let err = runtime()
        .block_on(ContainerCredentials::new(env).provide_credentials())
        .unwrap_err();
    assert!(
        matches!(err, CredentialsError::InvalidEnvironment { .. }),
        "{err:?}"
    );
    assert!(server.requests().is_empty());
}

// ---------------------------------------------------------------------------------------------
// Instance metadata

fn imds(server_url: &str) -> InstanceMetadataCredentials {
    InstanceMetadataCredentials::new(EnvLookup::from_pairs([(
        "AWS_EC2_METADATA_SERVICE_ENDPOINT",
        format!("{server_url}/"),
    )]))
}

#[test]
fn imds_v2_token_role_then_credentials() {
    let server = FaultServer::start(vec![
        text(200, "imds-session-token"),
        text(200, "web-server-role\n"),
        json(200, credentials_json("ASIAIMDS")),
    ]);
    let creds = runtime()
        .block_on(imds(&server.url()).provide_credentials())
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIAIMDS");
    assert_eq!(creds.session_token().unwrap().expose(), TOKEN);
    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(requests[0].method, "PUT");
    assert_eq!(requests[0].path, "/latest/api/token");
    assert_eq!(
        requests[0].header("x-aws-ec2-metadata-token-ttl-seconds"),
        Some("21600")
    );
    assert_eq!(requests[1].method, "GET");
    assert_eq!(
        requests[1].path,
        "/latest/meta-data/iam/security-credentials/"
    );
    assert_eq!(
        requests[1].header("x-aws-ec2-metadata-token"),
        Some("imds-session-token")
    );
    assert_eq!(
        requests[2].path,
        "/latest/meta-data/iam/security-credentials/web-server-role"
    );
    assert_eq!(
        requests[2].header("x-aws-ec2-metadata-token"),
        Some("imds-session-token")
    );
}

#[test]
fn imds_without_role_unreachable_or_disabled_is_not_configured() {
    let rt = runtime();
    // No instance profile.
    let server = FaultServer::start(vec![text(200, "imds-session-token"), text(404, "")]);
    let err = rt
        .block_on(imds(&server.url()).provide_credentials())
        .unwrap_err();
    assert!(err.is_not_configured(), "{err:?}");
    assert!(err.to_string().contains("no IAM role is attached"), "{err}");
    // Nothing listening: one attempt, then not configured with the reason.
    let closed = closed_url();
    let started = Instant::now();
    let err = rt
        .block_on(imds(&closed).provide_credentials())
        .unwrap_err();
    assert!(started.elapsed() < Duration::from_secs(2));
    assert!(err.is_not_configured(), "{err:?}");
    let message = err.to_string();
    assert!(
        message.contains(&format!(
            "no instance metadata service at {closed} (cannot connect: "
        )),
        "{message}"
    );
    // Turned off.
    let off = InstanceMetadataCredentials::new(EnvLookup::from_pairs([
        ("AWS_EC2_METADATA_DISABLED", "TRUE"),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", closed.as_str()),
    ]));
    let err = rt.block_on(off.provide_credentials()).unwrap_err();
    assert!(err.is_not_configured());
    assert!(err.to_string().contains("AWS_EC2_METADATA_DISABLED"));
    // Something that is not IMDSv2 refuses the token.
    let server = FaultServer::start(vec![text(405, "")]);
    let err = rt
        .block_on(imds(&server.url()).provide_credentials())
        .unwrap_err();
    assert!(err.is_not_configured(), "{err:?}");
}

#[test]
fn imds_failures_after_the_token_are_errors() {
    let rt = runtime();
    let server = FaultServer::start(vec![
        text(200, "imds-session-token"),
        text(500, "oops"),
        text(200, "role"),
        json(
            200,
            r#"{"Code":"AssumeRoleUnauthorizedAccess","Message":"cannot assume"}"#,
        ),
    ]);
    let err = rt
        .block_on(imds(&server.url()).provide_credentials())
        .unwrap_err();
    assert!(!err.is_not_configured());
    let message = err.to_string();
    assert!(message.contains("credentials of role role"), "{message}");
    assert!(
        message.contains("AssumeRoleUnauthorizedAccess"),
        "{message}"
    );
    assert_no_secret(&message);
    assert_no_secret(&format!("{err:?}"));
}

// ---------------------------------------------------------------------------------------------
// STS-backed sources

fn assume_role_xml(id: &str, expiration: &str) -> String {
    format!(
        r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleResult>
<Credentials><AccessKeyId>{id}</AccessKeyId><SecretAccessKey>{SECRET}</SecretAccessKey>
<SessionToken>{TOKEN}</SessionToken><Expiration>{expiration}</Expiration></Credentials>
<AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:s</AssumedRoleId>
<Arn>arn:aws:sts::123456789012:assumed-role/demo/s</Arn></AssumedRoleUser>
</AssumeRoleResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleResponse>"#
    )
}

fn session_token_xml(id: &str, expiration: &str) -> String {
    format!(
        r#"<GetSessionTokenResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><GetSessionTokenResult>
<Credentials><AccessKeyId>{id}</AccessKeyId><SecretAccessKey>{SECRET}</SecretAccessKey>
<SessionToken>{TOKEN}</SessionToken><Expiration>{expiration}</Expiration></Credentials>
</GetSessionTokenResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></GetSessionTokenResponse>"#
    )
}

fn web_identity_xml(id: &str) -> String {
    format!(
        r#"<AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><AssumeRoleWithWebIdentityResult>
<Credentials><AccessKeyId>{id}</AccessKeyId><SecretAccessKey>{SECRET}</SecretAccessKey>
<SessionToken>{TOKEN}</SessionToken><Expiration>{}</Expiration></Credentials>
<SubjectFromWebIdentityToken>sub</SubjectFromWebIdentityToken>
<AssumedRoleUser><AssumedRoleId>AROAEXAMPLE:w</AssumedRoleId>
<Arn>arn:aws:sts::123456789012:assumed-role/web/w</Arn></AssumedRoleUser>
</AssumeRoleWithWebIdentityResult><ResponseMetadata><RequestId>r</RequestId></ResponseMetadata></AssumeRoleWithWebIdentityResponse>"#,
        in_an_hour()
    )
}

fn xml(body: String) -> Step {
    Step::Respond(Response::xml(200, body))
}

fn sts_client(server: &FaultServer) -> Client {
    Client::builder()
        .config(
            ClientConfig::new()
                .with_region("us-east-1")
                .with_endpoint_url(server.url()),
        )
        .retry(RetryConfig {
            max_attempts: 1,
            ..RetryConfig::default()
        })
        .build()
        .unwrap()
}

fn body_param<'a>(body: &'a str, name: &str) -> Option<&'a str> {
    body.split('&')
        .find_map(|pair| pair.strip_prefix(name)?.strip_prefix('='))
}

#[test]
fn profile_role_through_the_sts_hook_with_mfa_and_external_id() {
    let server = FaultServer::start(vec![xml(assume_role_xml("ASIAASSUMED", &in_an_hour()))]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config"),
        "[profile app]\nrole_arn = arn:aws:iam::123456789012:role/demo\nsource_profile = base\n\
         external_id = ext-123\nrole_session_name = app-session\nduration_seconds = 1800\n\
         mfa_serial = arn:aws:iam::123456789012:mfa/me\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("credentials"),
        format!("[base]\naws_access_key_id = AKIDBASE\naws_secret_access_key = {SECRET}\n"),
    )
    .unwrap();
    let env = EnvLookup::from_pairs(
        [
            ("AWS_CONFIG_FILE", dir.path().join("config")),
            (
                "AWS_SHARED_CREDENTIALS_FILE",
                dir.path().join("credentials"),
            ),
        ]
        .map(|(k, v)| (k, v.to_str().unwrap().to_owned())),
    );
    let chain = DefaultChain::builder(env)
        .profile("app")
        .assume_role(Arc::new(StsAssumeRoleProvider::new(sts_client(&server))))
        .mfa(Arc::new(|_: &str| Ok(SecretString::new("654321"))))
        .build();
    let creds = runtime().block_on(chain.provide_credentials()).unwrap();
    assert_eq!(creds.access_key_id(), "ASIAASSUMED");
    assert_eq!(creds.account_id(), Some("123456789012"));
    let request = &server.requests()[0];
    let body = request.body_text();
    assert_eq!(body_param(&body, "Action"), Some("AssumeRole"));
    assert_eq!(
        body_param(&body, "RoleArn"),
        Some("arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo")
    );
    assert_eq!(body_param(&body, "RoleSessionName"), Some("app-session"));
    assert_eq!(body_param(&body, "ExternalId"), Some("ext-123"));
    assert_eq!(body_param(&body, "DurationSeconds"), Some("1800"));
    assert_eq!(
        body_param(&body, "SerialNumber"),
        Some("arn%3Aaws%3Aiam%3A%3A123456789012%3Amfa%2Fme")
    );
    assert_eq!(body_param(&body, "TokenCode"), Some("654321"));
    // Signed with the source profile's key.
    let authorization = request.header("authorization").unwrap();
    assert!(
        authorization.contains("Credential=AKIDBASE/"),
        "{authorization}"
    );
}

#[test]
fn sts_errors_become_provider_errors_naming_the_role() {
    let server = FaultServer::start(vec![Step::Respond(Response::xml(
        403,
        r#"<ErrorResponse><Error><Type>Sender</Type><Code>AccessDenied</Code><Message>not allowed</Message></Error><RequestId>r</RequestId></ErrorResponse>"#,
    ))]);
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config"),
        "[default]\nrole_arn = arn:aws:iam::123456789012:role/demo\ncredential_source = Environment\n",
    )
    .unwrap();
    let env = EnvLookup::from_pairs([
        (
            "AWS_CONFIG_FILE",
            dir.path().join("config").to_str().unwrap().to_owned(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            "/nonexistent/credentials".to_owned(),
        ),
        ("AWS_ACCESS_KEY_ID", "AKIDENV".to_owned()),
        ("AWS_SECRET_ACCESS_KEY", SECRET.to_owned()),
        ("AWS_SESSION_TOKEN", TOKEN.to_owned()),
    ]);
    // The environment source comes first and would win: use the profile source alone.
    let profile = sts_client::credentials::ProfileCredentials::new(env)
        .with_assume_role(Arc::new(StsAssumeRoleProvider::new(sts_client(&server))));
    let err = runtime()
        .block_on(profile.provide_credentials())
        .unwrap_err();
    let message = err.to_string();
    assert_eq!(
        message,
        "assuming arn:aws:iam::123456789012:role/demo: AssumeRole failed: AccessDenied (403): \
         not allowed [request id r]"
    );
    assert_no_secret(&format!("{err:?}"));
    let request = &server.requests()[0];
    assert!(request
        .header("authorization")
        .unwrap()
        .contains("Credential=AKIDENV/"));
    assert_eq!(request.header("x-amz-security-token"), Some(TOKEN));
}

#[test]
fn assume_role_builder_renews_itself_only_when_needed() {
    let expired = "2020-01-01T00:00:00Z";
    let server = FaultServer::start(vec![
        xml(assume_role_xml("ASIAFIRST", &in_an_hour())),
        xml(assume_role_xml("ASIASTALE1", expired)),
        xml(assume_role_xml("ASIASTALE2", expired)),
    ]);
    let client = sts_client(&server).with_credentials(Credentials::new("AKIDBASE", SECRET));
    let rt = runtime();
    let fresh = client
        .assume_role()
        .role_arn("arn:aws:iam::123456789012:role/demo")
        .role_session_name("renewing")
        .into_provider()
        .unwrap();
    for _ in 0..3 {
        let creds = rt.block_on(fresh.provide_credentials()).unwrap();
        assert_eq!(creds.access_key_id(), "ASIAFIRST");
    }
    assert_eq!(server.requests().len(), 1);
    // Credentials that come back already expired are renewed at every call, with the same
    // validated request.
    let stale = client
        .assume_role()
        .role_arn("arn:aws:iam::123456789012:role/demo")
        .role_session_name("renewing")
        .into_provider()
        .unwrap();
    assert_eq!(
        rt.block_on(stale.provide_credentials())
            .unwrap()
            .access_key_id(),
        "ASIASTALE1"
    );
    assert_eq!(
        rt.block_on(stale.provide_credentials())
            .unwrap()
            .access_key_id(),
        "ASIASTALE2"
    );
    let bodies: Vec<String> = server.requests().iter().map(|r| r.body_text()).collect();
    assert_eq!(bodies.len(), 3);
    assert!(bodies.iter().all(|b| b == &bodies[0]), "{bodies:?}");
    // Validation happens before anything is sent.
    let err = client
        .assume_role()
        .role_arn("arn:aws:iam::123456789012:role/demo")
        .role_session_name("has space")
        .into_provider()
        .unwrap_err();
    assert_eq!(err.parameter(), "RoleSessionName");
    let err = client
        .assume_role()
        .role_arn("arn:aws:iam::123456789012:role/demo")
        .role_session_name("s1")
        .into_provider_with_mfa(Arc::new(|_: &str| Ok(SecretString::new("123456"))))
        .unwrap_err();
    assert_eq!(err.parameter(), "SerialNumber");
}

#[test]
fn session_token_asks_the_mfa_callback_once_per_renewal() {
    let expired = "2020-01-01T00:00:00Z";
    let server = FaultServer::start(vec![
        xml(session_token_xml("ASIASESSION", &in_an_hour())),
        xml(session_token_xml("ASIASTALE1", expired)),
        xml(session_token_xml("ASIASTALE2", expired)),
    ]);
    let client = sts_client(&server).with_credentials(Credentials::new("AKIDUSER", SECRET));
    let asked = Arc::new(Mutex::new(Vec::new()));
    let codes = ["111111", "222222", "333333"];
    let mfa = {
        let asked = asked.clone();
        Arc::new(move |serial: &str| {
            let mut asked = asked.lock().unwrap();
            asked.push(serial.to_owned());
            Ok(SecretString::new(codes[asked.len() - 1]))
        }) as Arc<dyn MfaTokenProvider>
    };
    let rt = runtime();
    let session = client
        .get_session_token()
        .serial_number("arn:aws:iam::123456789012:mfa/me")
        .duration_seconds(3600)
        .into_provider_with_mfa(mfa.clone())
        .unwrap();
    for _ in 0..3 {
        assert_eq!(
            rt.block_on(session.provide_credentials())
                .unwrap()
                .access_key_id(),
            "ASIASESSION"
        );
    }
    assert_eq!(asked.lock().unwrap().len(), 1);
    let stale = client
        .get_session_token()
        .serial_number("arn:aws:iam::123456789012:mfa/me")
        .into_provider_with_mfa(mfa)
        .unwrap();
    rt.block_on(stale.provide_credentials()).unwrap();
    rt.block_on(stale.provide_credentials()).unwrap();
    assert_eq!(
        *asked.lock().unwrap(),
        ["arn:aws:iam::123456789012:mfa/me"; 3]
    );
    let codes_sent: Vec<String> = server
        .requests()
        .iter()
        .map(|r| body_param(&r.body_text(), "TokenCode").unwrap().to_owned())
        .collect();
    assert_eq!(codes_sent, codes);
    // A bad code from the callback is an MFA error that does not repeat the code.
    let bad = client
        .get_session_token()
        .serial_number("arn:aws:iam::123456789012:mfa/me")
        .into_provider_with_mfa(Arc::new(|_: &str| Ok(SecretString::new("65432a"))))
        .unwrap();
    let err = rt.block_on(bad.provide_credentials()).unwrap_err();
    assert!(matches!(err, CredentialsError::Mfa { .. }), "{err:?}");
    assert!(!err.to_string().contains("65432a"), "{err}");
    assert_eq!(server.requests().len(), 3);
}

#[test]
fn web_identity_builder_rereads_the_token_file_and_is_unsigned() {
    let server = FaultServer::start(vec![
        xml(web_identity_xml("ASIAWEB1")),
        xml(web_identity_xml("ASIAWEB2")),
    ]);
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "first-jwt-token\n").unwrap();
    let client = sts_client(&server);
    let rt = runtime();
    let source = client
        .assume_role_with_web_identity()
        .role_arn("arn:aws:iam::123456789012:role/web")
        .role_session_name("web")
        .into_provider_with_token_file(&token_file)
        .unwrap();
    assert_eq!(
        rt.block_on(source.inner().provide_credentials())
            .unwrap()
            .access_key_id(),
        "ASIAWEB1"
    );
    std::fs::write(&token_file, "second-jwt-token").unwrap();
    assert_eq!(
        rt.block_on(source.inner().provide_credentials())
            .unwrap()
            .access_key_id(),
        "ASIAWEB2"
    );
    let requests = server.requests();
    let tokens: Vec<String> = requests
        .iter()
        .map(|r| {
            body_param(&r.body_text(), "WebIdentityToken")
                .unwrap()
                .to_owned()
        })
        .collect();
    assert_eq!(tokens, ["first-jwt-token", "second-jwt-token"]);
    assert!(requests.iter().all(|r| r.header("authorization").is_none()));
    assert!(!format!("{source:?}").contains("jwt"));
    // A missing file is reported with its path.
    std::fs::remove_file(&token_file).unwrap();
    let err = rt
        .block_on(source.inner().provide_credentials())
        .unwrap_err();
    assert!(
        matches!(&err, CredentialsError::Io { path, .. } if path == &token_file),
        "{err:?}"
    );
}

// ---------------------------------------------------------------------------------------------
// The complete chain

fn empty_env(dir: &std::path::Path, imds_url: &str, extra: &[(&str, String)]) -> EnvLookup {
    let mut pairs = vec![
        (
            "AWS_CONFIG_FILE",
            dir.join("config").to_str().unwrap().to_owned(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE",
            dir.join("credentials").to_str().unwrap().to_owned(),
        ),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", imds_url.to_owned()),
    ];
    pairs.extend(extra.iter().cloned());
    EnvLookup::from_pairs(pairs)
}

#[test]
fn chain_tries_every_source_and_says_why_each_gave_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let closed = closed_url();
    let chain = DefaultChain::builder(empty_env(dir.path(), &closed, &[])).build();
    let err = runtime().block_on(chain.provide_credentials()).unwrap_err();
    let CredentialsError::NoneFound { tried } = &err else {
        panic!("{err:?}")
    };
    let names: Vec<&str> = tried.iter().map(|t| t.source.as_str()).collect();
    assert_eq!(
        names,
        [
            "environment",
            "profile",
            "web identity",
            "container",
            "instance metadata"
        ]
    );
    let message = err.to_string();
    let expected = format!(
        "no credentials found; tried: \
         environment (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY are not set); \
         profile (no [default] profile in {config} or {credentials}); \
         web identity (AWS_WEB_IDENTITY_TOKEN_FILE is not set); \
         container (neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor \
         AWS_CONTAINER_CREDENTIALS_FULL_URI is set); \
         instance metadata (no instance metadata service at {closed} (cannot connect: ",
        config = dir.path().join("config").display(),
        credentials = dir.path().join("credentials").display(),
    );
    assert!(message.starts_with(&expected), "{message}\n---\n{expected}");
}

#[test]
fn chain_reaches_container_then_instance_metadata() {
    let dir = tempfile::tempdir().unwrap();
    let container = FaultServer::start(vec![json(200, credentials_json("ASIACONTAINER"))]);
    let imds_server = FaultServer::start(vec![
        text(200, "imds-session-token"),
        text(200, "role"),
        json(200, credentials_json("ASIAIMDS")),
    ]);
    let rt = runtime();
    let env = empty_env(
        dir.path(),
        &imds_server.url(),
        &[("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url())],
    );
    let creds = rt
        .block_on(DefaultChain::builder(env).build().provide_credentials())
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIACONTAINER");
    assert!(imds_server.requests().is_empty());
    let env = empty_env(dir.path(), &imds_server.url(), &[]);
    let creds = rt
        .block_on(DefaultChain::builder(env).build().provide_credentials())
        .unwrap();
    assert_eq!(creds.access_key_id(), "ASIAIMDS");
}

#[test]
fn credential_source_ecs_container_feeds_the_role_assumption() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config"),
        "[default]\nrole_arn = arn:aws:iam::123456789012:role/demo\ncredential_source = EcsContainer\n",
    )
    .unwrap();
    let container = FaultServer::start(vec![json(200, credentials_json("ASIACONTAINER"))]);
    let sts = FaultServer::start(vec![xml(assume_role_xml("ASIAROLE", &in_an_hour()))]);
    let env = empty_env(
        dir.path(),
        &closed_url(),
        &[("AWS_CONTAINER_CREDENTIALS_FULL_URI", container.url())],
    );
    let chain = DefaultChain::builder(env)
        .assume_role(Arc::new(StsAssumeRoleProvider::new(sts_client(&sts))))
        .build();
    let creds = runtime().block_on(chain.provide_credentials()).unwrap();
    assert_eq!(creds.access_key_id(), "ASIAROLE");
    let request = &sts.requests()[0];
    assert!(request
        .header("authorization")
        .unwrap()
        .contains("Credential=ASIACONTAINER/"));
    assert_eq!(request.header("x-amz-security-token"), Some(TOKEN));
    // Without a container endpoint the profile's source gave nothing: an error, not a skip.
    let env = empty_env(dir.path(), &closed_url(), &[]);
    let err = runtime()
        .block_on(DefaultChain::builder(env).build().provide_credentials())
        .unwrap_err();
    assert!(
        matches!(err, CredentialsError::InvalidProfile { .. }),
        "{err:?}"
    );
    assert!(err
        .to_string()
        .contains("credential_source EcsContainer gave no credentials"));
}

#[test]
fn client_from_env_lookup_layers_the_profile_under_the_environment() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("config"),
        "[profile dev]\nregion = eu-west-1\nsts_regional_endpoints = legacy\n\
         services = local\n\
         [profile ds]\nregion = eu-west-1\nuse_dualstack_endpoint = true\n\
         [services local]\nsts =\n  endpoint_url = http://127.0.0.1:4566\n\
         [profile fips]\nregion = us-east-1\nuse_fips_endpoint = true\n",
    )
    .unwrap();
    let env = |extra: &[(&str, String)]| empty_env(dir.path(), &closed_url(), extra);
    // The services section gives the endpoint URL.
    let client = Client::from_env_lookup(env(&[("AWS_PROFILE", "dev".into())]), None).unwrap();
    assert_eq!(client.endpoint().url, "http://127.0.0.1:4566");
    assert_eq!(
        client.endpoint().signing_region.as_deref(),
        Some("eu-west-1")
    );
    // The environment wins over the profile.
    let client = Client::from_env_lookup(
        env(&[
            ("AWS_PROFILE", "dev".into()),
            ("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:5000".into()),
            ("AWS_REGION", "ap-south-1".into()),
        ]),
        None,
    )
    .unwrap();
    assert_eq!(client.endpoint().url, "http://127.0.0.1:5000");
    assert_eq!(
        client.endpoint().signing_region.as_deref(),
        Some("ap-south-1")
    );
    // An explicit profile wins over AWS_PROFILE.
    let client =
        Client::from_env_lookup(env(&[("AWS_PROFILE", "dev".into())]), Some("fips")).unwrap();
    assert_eq!(
        client.endpoint().url,
        "https://sts-fips.us-east-1.amazonaws.com"
    );
    let client = Client::from_env_lookup(env(&[]), Some("ds")).unwrap();
    assert_eq!(client.endpoint().url, "https://sts.eu-west-1.api.aws");
    // Bad profile values are named.
    std::fs::write(
        dir.path().join("config"),
        "[default]\nuse_fips_endpoint = maybe\n",
    )
    .unwrap();
    let err =
        Client::from_env_lookup(env(&[("AWS_REGION", "us-east-1".into())]), None).unwrap_err();
    assert!(
        err.to_string().contains("profile key use_fips_endpoint"),
        "{err}"
    );
}
