//! Writing credentials out, and the proof that no secret reaches Debug, Display or errors.

use std::path::Path;
use std::sync::Arc;
use sts_client::client::StsAssumeRoleProvider;
use sts_client::config::ClientConfig;
use sts_client::credentials::profile::{BaseCredentials, ProfileSet};
use sts_client::credentials::{
    parse_process_output, render_credential_process_json, render_export_lines,
    write_profile_credentials, AssumeRoleRequest, CachedCredentialsProvider, CredentialsError,
    DefaultChain, EnvLookup, EnvironmentCredentials, ProcessCredentials, ProfileCredentials,
    ProfileCredentialsPlan, ProvideCredentials, WebIdentityRequest, WebIdentityTokenSource,
};
use sts_client::credentials::{
    ContainerCredentials, InstanceMetadataCredentials, MfaTokenProvider,
};
use sts_client::{Client, Credentials, SecretString};
use time::macros::datetime;

const SECRET: &str = "wJalrXUtnFEMI-K7MDENG-SECRETKEY";
const TOKEN: &str = "FwoGZXIvYXdzEBaaSESSIONTOKEN";
const MFA: &str = "987123";
const WEB: &str = "eyJhbGciOiWEBIDENTITYTOKEN";

fn temp_creds() -> Credentials {
    Credentials::new("ASIANEW", SECRET)
        .with_session_token(TOKEN)
        .with_expiration(datetime!(2030-01-01 12:00 UTC))
}

#[test]
fn writes_into_a_profile_keeping_everything_else() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("credentials");
    let before = "\
# my credentials
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = keep-me

[temp]
; comment in temp
region = eu-west-1
AWS_ACCESS_KEY_ID = OLD
aws_session_token = OLDTOKEN
  continuation of old token

[other]
aws_access_key_id = AKIDOTHER
";
    std::fs::write(&path, before).unwrap();
    write_profile_credentials(&path, "temp", &temp_creds()).unwrap();
    let after = std::fs::read_to_string(&path).unwrap();
    assert_eq!(
        after,
        format!(
            "\
# my credentials
[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = keep-me

[temp]
; comment in temp
region = eu-west-1
aws_access_key_id = ASIANEW
aws_session_token = {TOKEN}
aws_secret_access_key = {SECRET}

[other]
aws_access_key_id = AKIDOTHER
"
        )
    );
    // The result parses back to the same credentials, other profiles intact.
    let set = ProfileSet::parse(None, Some((&path, &after))).unwrap();
    let plan = ProfileCredentialsPlan::resolve(&set, "temp").unwrap();
    match plan.base {
        BaseCredentials::Static { credentials, .. } => {
            assert_eq!(credentials.access_key_id(), "ASIANEW");
            assert_eq!(credentials.secret_access_key().expose(), SECRET);
            assert_eq!(credentials.session_token().unwrap().expose(), TOKEN);
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        set.profile("default").unwrap().get("aws_secret_access_key"),
        Some("keep-me")
    );

    // Long-term keys remove the stale token.
    write_profile_credentials(&path, "temp", &Credentials::new("AKIDLONG", "long")).unwrap();
    let after = std::fs::read_to_string(&path).unwrap();
    assert!(!after.contains("aws_session_token"), "{after}");
    assert!(after.contains("[temp]\n; comment in temp\nregion = eu-west-1\naws_access_key_id = AKIDLONG\naws_secret_access_key = long\n\n[other]"));
}

#[test]
fn creates_file_and_directory_privately_and_leaves_no_temp_files() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new/.aws/credentials");
    write_profile_credentials(&path, "fresh", &temp_creds()).unwrap();
    write_profile_credentials(&path, "second", &temp_creds()).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("[fresh]\naws_access_key_id = ASIANEW\n"));
    assert!(text.contains("\n\n[second]\n"));
    let entries: Vec<_> = std::fs::read_dir(path.parent().unwrap())
        .unwrap()
        .map(|e| e.unwrap().file_name())
        .collect();
    assert_eq!(entries, ["credentials"]);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let bad = Credentials::new("A", "line\nbreak");
    assert!(write_profile_credentials(&path, "x", &bad).is_err());
    assert!(write_profile_credentials(&path, "a]b", &temp_creds()).is_err());
}

#[test]
fn renders_exports_and_process_json() {
    let creds = temp_creds().with_account_id("123456789012");
    let exports = render_export_lines(&creds);
    assert_eq!(
        exports,
        format!(
            "export AWS_ACCESS_KEY_ID='ASIANEW'\nexport AWS_SECRET_ACCESS_KEY='{SECRET}'\n\
             export AWS_SESSION_TOKEN='{TOKEN}'\n\
             export AWS_CREDENTIAL_EXPIRATION='2030-01-01T12:00:00Z'\n"
        )
    );
    let json = render_credential_process_json(&creds);
    let value: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(value["Version"], 1);
    assert_eq!(value["Expiration"], "2030-01-01T12:00:00Z");
    assert_eq!(parse_process_output("p", json.as_bytes()).unwrap(), creds);
}

/// Formats with Debug, pretty Debug and Display, and fails if a secret shows.
fn assert_clean(what: &str, debug: String, display: Option<String>) {
    for text in std::iter::once(debug).chain(display) {
        for secret in [SECRET, TOKEN, MFA, WEB] {
            assert!(
                !text.contains(secret),
                "{what} leaks a secret ({secret}): {text}"
            );
        }
    }
}

macro_rules! check {
    ($value:expr) => {{
        let v = &$value;
        assert_clean(stringify!($value), format!("{v:?}"), None);
        assert_clean(stringify!($value), format!("{v:#?}"), None);
    }};
    ($value:expr, display) => {{
        let v = &$value;
        assert_clean(stringify!($value), format!("{v:#?}"), Some(v.to_string()));
    }};
}

#[test]
fn no_public_type_or_error_prints_a_secret() {
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, WEB).unwrap();
    let config = format!(
        "[default]\naws_access_key_id = AKID\naws_secret_access_key = {SECRET}\n\
         aws_session_token = {TOKEN}\n[profile web]\nrole_arn = arn:aws:iam::1:role/w\n\
         web_identity_token_file = {}\n[profile proc]\ncredential_process = /bin/echo {SECRET}\n\
         [profile bad]\nrole_arn = r\nsource_profile = default\nduration_seconds = {SECRET}\n",
        token_file.display()
    );
    let config_path = dir.path().join("config");
    std::fs::write(&config_path, &config).unwrap();
    let env = EnvLookup::from_pairs([
        ("AWS_CONFIG_FILE", config_path.to_str().unwrap()),
        ("AWS_ACCESS_KEY_ID", "AKID"),
        ("AWS_SECRET_ACCESS_KEY", SECRET),
        ("AWS_SESSION_TOKEN", TOKEN),
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.to_str().unwrap()),
        ("AWS_ROLE_ARN", "arn:aws:iam::1:role/w"),
    ]);

    let creds = temp_creds();
    check!(creds);
    check!(SecretString::new(SECRET), display);
    let set = ProfileSet::parse(Some((&config_path, &config)), None).unwrap();
    check!(set);
    check!(set.profile("default").unwrap());
    check!(set
        .profile("default")
        .unwrap()
        .value("aws_secret_access_key"));
    check!(set.client_settings("default"));
    for profile in ["default", "web", "proc"] {
        check!(ProfileCredentialsPlan::resolve(&set, profile).unwrap());
    }
    let bad = ProfileCredentialsPlan::resolve(&set, "bad").unwrap_err();
    assert!(matches!(bad, CredentialsError::InvalidProfile { .. }));
    check!(bad, display);
    let web = WebIdentityTokenSource::from_env(&env).unwrap();
    check!(web);
    check!(web.request(datetime!(2024-01-01 0:00 UTC)).unwrap());
    check!(assume_request());
    check!(EnvironmentCredentials::new(env.clone()));
    check!(env);
    check!(ProfileCredentials::new(env.clone()));
    check!(ProcessCredentials::new(
        "proc",
        format!("/bin/echo {SECRET}")
    ));
    check!(DefaultChain::from_env(env.clone(), None));
    let cached = CachedCredentialsProvider::new(creds.clone());
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(cached.provide_credentials())
        .unwrap();
    check!(cached);

    // The HTTP and STS-backed sources, holding secrets in their environment or callbacks.
    let http_env = EnvLookup::from_pairs([
        (
            "AWS_CONTAINER_CREDENTIALS_FULL_URI",
            "http://127.0.0.1:9/creds",
        ),
        ("AWS_CONTAINER_AUTHORIZATION_TOKEN", TOKEN),
        ("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:9"),
    ]);
    check!(ContainerCredentials::new(http_env.clone()));
    check!(InstanceMetadataCredentials::new(http_env.clone()));
    check!(DefaultChain::builder(http_env.clone()));
    check!(DefaultChain::builder(http_env.clone()).build());
    let client = Client::builder()
        .config(ClientConfig::new().with_region("us-east-1"))
        .credentials(creds.clone())
        .build()
        .unwrap();
    check!(client);
    check!(client.with_credentials(creds.clone()));
    check!(StsAssumeRoleProvider::new(client.clone()));
    let mfa: Arc<dyn MfaTokenProvider> = Arc::new(|_: &str| Ok(SecretString::new(MFA)));
    check!(client
        .assume_role()
        .role_arn("arn:aws:iam::123456789012:role/r")
        .role_session_name("s1")
        .serial_number("arn:aws:iam::123456789012:mfa/me")
        .token_code(MFA)
        .into_provider()
        .unwrap());
    check!(client
        .get_session_token()
        .serial_number("arn:aws:iam::123456789012:mfa/me")
        .into_provider_with_mfa(mfa.clone())
        .unwrap());
    let web_source = client
        .assume_role_with_web_identity()
        .role_arn("arn:aws:iam::123456789012:role/r")
        .role_session_name("s1")
        .web_identity_token(WEB)
        .into_provider_with_token_file(&token_file)
        .unwrap();
    check!(web_source.inner());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let bad_code = rt
        .block_on(
            client
                .get_session_token()
                .serial_number("arn:aws:iam::123456789012:mfa/me")
                .into_provider_with_mfa(Arc::new(|_: &str| {
                    Ok(SecretString::new(format!("{MFA}{SECRET}")))
                }))
                .unwrap()
                .provide_credentials(),
        )
        .unwrap_err();
    assert!(matches!(bad_code, CredentialsError::Mfa { .. }));
    check!(bad_code, display);
    let split_token = rt
        .block_on(
            ContainerCredentials::new(EnvLookup::from_pairs([
                ("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://127.0.0.1:9/"),
                (
                    "AWS_CONTAINER_AUTHORIZATION_TOKEN",
                    &format!("{TOKEN}\n{SECRET}"),
                ),
            ]))
            .provide_credentials(),
        )
        .unwrap_err();
    assert!(matches!(
        split_token,
        CredentialsError::InvalidEnvironment { .. }
    ));
    check!(split_token, display);

    // Every error variant, built in the ways secrets could reach it.
    let errors = vec![
        CredentialsError::not_configured("nothing"),
        CredentialsError::NoneFound {
            tried: vec![sts_client::credentials::SourceAttempt {
                source: "environment".into(),
                reason: "unset".into(),
            }],
        },
        ProfileSet::parse(
            Some((
                Path::new("c"),
                &format!("[default]\naws_secret_access_key = {SECRET}\n{SECRET}\n"),
            )),
            None,
        )
        .unwrap_err(),
        ProfileSet::parse(
            Some((Path::new("c"), &format!("{SECRET} = {TOKEN}\n"))),
            None,
        )
        .unwrap_err(),
        WebIdentityTokenSource::new(dir.path().join("missing"), "r", None)
            .read_token()
            .unwrap_err(),
        CredentialsError::ProfileNotFound {
            profile: "x".into(),
        },
        CredentialsError::SourceProfileCycle {
            chain: vec!["a".into(), "a".into()],
        },
        parse_process_output("p", format!("{{\"Version\": 1, \"SecretAccessKey\": \"{SECRET}\"}}").as_bytes()).unwrap_err(),
        parse_process_output("p", format!("{{\"Version\": \"{SECRET}\"}}").as_bytes()).unwrap_err(),
        parse_process_output("p", format!("{SECRET} {TOKEN}").as_bytes()).unwrap_err(),
        parse_process_output(
            "p",
            format!("{{\"Version\": 1, \"AccessKeyId\": \"A\", \"SecretAccessKey\": \"{SECRET}\", \"Expiration\": \"{TOKEN}\"}}").as_bytes(),
        )
        .unwrap_err(),
        CredentialsError::Expired {
            expiration: datetime!(2024-01-01 0:00 UTC),
        },
        EnvironmentCredentials::new(EnvLookup::from_pairs([
            ("AWS_ACCESS_KEY_ID", "A"),
            ("AWS_SECRET_ACCESS_KEY", SECRET),
            ("AWS_CREDENTIAL_EXPIRATION", TOKEN),
        ]))
        .load()
        .unwrap_err(),
        CredentialsError::Mfa {
            serial: "arn:aws:iam::1:mfa/me".into(),
            problem: "cancelled".into(),
        },
        CredentialsError::MissingProvider {
            what: "AssumeRole".into(),
        },
        CredentialsError::provider("sts", "AccessDenied"),
        write_profile_credentials(
            &dir.path().join("w"),
            "p",
            &Credentials::new("A", format!("{SECRET}\n")),
        )
        .unwrap_err(),
    ];
    for error in &errors {
        check!(error, display);
    }
    #[cfg(unix)]
    {
        let process_error = ProcessCredentials::new("p", format!("/nonexistent {SECRET}"))
            .run_blocking()
            .unwrap_err();
        check!(process_error, display);
    }
}

fn assume_request() -> AssumeRoleRequest {
    // AssumeRoleRequest is non_exhaustive: build one through the profile source's hook.
    use std::sync::Mutex;
    use sts_client::credentials::{AssumeRoleProvider, ProvideFuture};
    struct Capture(Mutex<Option<AssumeRoleRequest>>);
    impl AssumeRoleProvider for Capture {
        fn assume_role(&self, request: AssumeRoleRequest) -> ProvideFuture<'_> {
            *self.0.lock().unwrap() = Some(request);
            Box::pin(async { Ok(Credentials::new("A", "s")) })
        }
        fn assume_role_with_web_identity(&self, _: WebIdentityRequest) -> ProvideFuture<'_> {
            Box::pin(async { Ok(Credentials::new("A", "s")) })
        }
    }
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("config");
    std::fs::write(
        &config,
        format!(
            "[default]\nrole_arn = arn:aws:iam::1:role/r\nsource_profile = base\nmfa_serial = m\n\
             [profile base]\naws_access_key_id = A\naws_secret_access_key = {SECRET}\n\
             aws_session_token = {TOKEN}\n"
        ),
    )
    .unwrap();
    let capture = Arc::new(Capture(Mutex::new(None)));
    let source = ProfileCredentials::new(EnvLookup::from_pairs([
        ("AWS_CONFIG_FILE", config.to_str().unwrap()),
        ("AWS_SHARED_CREDENTIALS_FILE", "/nonexistent"),
    ]))
    .with_assume_role(capture.clone())
    .with_mfa(Arc::new(|_: &str| Ok(SecretString::new(MFA))));
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(source.provide_credentials())
        .unwrap();
    let request = capture.0.lock().unwrap().take().unwrap();
    assert_eq!(request.mfa_code.as_ref().unwrap().expose(), MFA);
    assert_eq!(
        request.source_credentials.secret_access_key().expose(),
        SECRET
    );
    request
}
