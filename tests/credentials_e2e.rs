//! The credential sources end to end against moto, a real local STS that checks signatures:
//!
//! ```sh
//! scripts/with-moto cargo test --test credentials_e2e
//! ```
//!
//! Without `MOTO_STS_ENDPOINT` the tests print a notice and pass, unless `STS_E2E_REQUIRED=1`
//! (CI), which makes them fail. Every test injects its environment through an `EnvLookup`:
//! tests run in parallel and never touch the process environment.

use std::path::Path;
use sts_client::credentials::{EnvLookup, ProvideCredentials};
use sts_client::{Client, Credentials};

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

fn moto(test: &str) -> Option<Moto> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let Some(endpoint) = var("MOTO_STS_ENDPOINT") else {
        assert!(
            var("STS_E2E_REQUIRED").as_deref() != Some("1"),
            "{test}: STS_E2E_REQUIRED=1 but MOTO_STS_ENDPOINT is not set \
             (run under scripts/with-moto)"
        );
        eprintln!("{test}: skipped, MOTO_STS_ENDPOINT is not set (run under scripts/with-moto)");
        return None;
    };
    let need = |name: &str| var(name).unwrap_or_else(|| panic!("{name} is not set"));
    Some(Moto {
        endpoint,
        noauth_endpoint: need("MOTO_STS_NOAUTH_ENDPOINT"),
        access_key_id: need("MOTO_STS_ACCESS_KEY_ID"),
        secret_access_key: need("MOTO_STS_SECRET_ACCESS_KEY"),
        user_arn: need("MOTO_STS_USER_ARN"),
        role_arn: need("MOTO_STS_ROLE_ARN"),
        denied_role_arn: need("MOTO_STS_DENIED_ROLE_ARN"),
        account_id: need("MOTO_STS_ACCOUNT_ID"),
    })
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap()
}

/// Shared files in `dir` and an environment that points at them and nothing else.
fn files_env(dir: &Path, config: &str, credentials: &str, extra: &[(&str, &str)]) -> EnvLookup {
    std::fs::write(dir.join("config"), config).unwrap();
    std::fs::write(dir.join("credentials"), credentials).unwrap();
    let mut pairs = vec![
        (
            "AWS_CONFIG_FILE".to_owned(),
            dir.join("config").to_str().unwrap().to_owned(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE".to_owned(),
            dir.join("credentials").to_str().unwrap().to_owned(),
        ),
        ("AWS_EC2_METADATA_DISABLED".to_owned(), "true".to_owned()),
    ];
    pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    EnvLookup::from_pairs(pairs)
}

fn assumed_role_arn(moto: &Moto, session: &str) -> String {
    let role_name = moto.role_arn.rsplit('/').next().unwrap();
    format!(
        "arn:aws:sts::{}:assumed-role/{role_name}/{session}",
        moto.account_id
    )
}

#[test]
fn profile_role_with_source_profile_resolves_through_a_real_assume_role() {
    let Some(moto) = moto("profile_role_with_source_profile") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let config = format!(
        "[profile e2e]\nrole_arn = {}\nsource_profile = base\nrole_session_name = e2e-session\n\
         region = us-east-1\nendpoint_url = {}\n",
        moto.role_arn, moto.endpoint
    );
    let credentials = format!(
        "[base]\naws_access_key_id = {}\naws_secret_access_key = {}\n",
        moto.access_key_id, moto.secret_access_key
    );
    let env = files_env(dir.path(), &config, &credentials, &[("AWS_PROFILE", "e2e")]);
    let client = Client::from_env_lookup(env, None).unwrap();
    assert_eq!(client.endpoint().url, moto.endpoint);
    let rt = runtime();
    let me = rt.block_on(client.get_caller_identity().send()).unwrap();
    assert_eq!(me.arn, assumed_role_arn(&moto, "e2e-session"));
    assert_eq!(me.account, moto.account_id);

    // The same through Client::from_env_lookup with an explicit profile name.
    let env = files_env(dir.path(), &config, &credentials, &[]);
    let client = Client::from_env_lookup(env, Some("e2e")).unwrap();
    let me = rt.block_on(client.get_caller_identity().send()).unwrap();
    assert_eq!(me.arn, assumed_role_arn(&moto, "e2e-session"));
}

#[test]
fn chain_picks_up_environment_keys() {
    let Some(moto) = moto("chain_picks_up_environment_keys") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    // A profile that would assume a role: the environment keys come first.
    let config = format!(
        "[default]\nrole_arn = {}\ncredential_source = Environment\n",
        moto.role_arn
    );
    let env = files_env(
        dir.path(),
        &config,
        "",
        &[
            ("AWS_ACCESS_KEY_ID", &moto.access_key_id),
            ("AWS_SECRET_ACCESS_KEY", &moto.secret_access_key),
            ("AWS_REGION", "us-east-1"),
            ("AWS_ENDPOINT_URL_STS", &moto.endpoint),
        ],
    );
    let client = Client::from_env_lookup(env, None).unwrap();
    let me = runtime()
        .block_on(client.get_caller_identity().send())
        .unwrap();
    assert_eq!(me.arn, moto.user_arn);
}

#[test]
fn assume_role_builder_becomes_a_source() {
    let Some(moto) = moto("assume_role_builder_becomes_a_source") else {
        return;
    };
    let client = Client::builder()
        .config(
            sts_client::config::ClientConfig::new()
                .with_region("us-east-1")
                .with_endpoint_url(&moto.endpoint),
        )
        .credentials(Credentials::new(
            &moto.access_key_id,
            moto.secret_access_key.as_str(),
        ))
        .build()
        .unwrap();
    let role = client
        .assume_role()
        .role_arn(&moto.role_arn)
        .role_session_name("builder-session")
        .duration_seconds(900)
        .into_provider()
        .unwrap();
    let as_role = client.with_credentials(role);
    let rt = runtime();
    let me = rt.block_on(as_role.get_caller_identity().send()).unwrap();
    assert_eq!(me.arn, assumed_role_arn(&moto, "builder-session"));

    // A role that does not trust the user: the error names the role and carries STS's code.
    let denied = client
        .assume_role()
        .role_arn(&moto.denied_role_arn)
        .role_session_name("denied")
        .into_provider()
        .unwrap();
    let err = rt.block_on(denied.provide_credentials()).unwrap_err();
    let message = err.to_string();
    assert!(message.contains(&moto.denied_role_arn), "{message}");
    assert!(message.contains("AccessDenied"), "{message}");
    assert!(!message.contains(&moto.secret_access_key));
}

#[test]
fn web_identity_from_the_environment() {
    let Some(moto) = moto("web_identity_from_the_environment") else {
        return;
    };
    let dir = tempfile::tempdir().unwrap();
    let token_file = dir.path().join("token");
    std::fs::write(&token_file, "eyJhbGciOiJSUzI1NiJ9.e2e.signature\n").unwrap();
    let env = files_env(
        dir.path(),
        "",
        "",
        &[
            ("AWS_WEB_IDENTITY_TOKEN_FILE", token_file.to_str().unwrap()),
            ("AWS_ROLE_ARN", &moto.role_arn),
            ("AWS_ROLE_SESSION_NAME", "web-session"),
            ("AWS_REGION", "us-east-1"),
            // AssumeRoleWithWebIdentity is unsigned: the server without signature checks.
            ("AWS_ENDPOINT_URL_STS", &moto.noauth_endpoint),
        ],
    );
    let chain = sts_client::credentials::DefaultChain::builder(env.clone())
        .assume_role(std::sync::Arc::new(
            sts_client::client::StsAssumeRoleProvider::new(
                Client::from_env_lookup(env, None).unwrap(),
            ),
        ))
        .build();
    let creds = runtime().block_on(chain.provide_credentials()).unwrap();
    assert!(creds.access_key_id().starts_with("ASIA"), "{creds:?}");
    assert!(creds.session_token().is_some());
    assert!(creds.expiration().unwrap() > time::OffsetDateTime::now_utc());
    assert_eq!(creds.account_id(), Some(moto.account_id.as_str()));
}
