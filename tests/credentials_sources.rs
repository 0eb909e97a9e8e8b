//! Environment, shared-file, profile-plan, credential_process, web identity and chain sources.

use std::path::Path;
use std::sync::{Arc, Mutex};
use sts_client::credentials::profile::{
    BaseCredentials, CredentialSource, ProfileFiles, ProfileSet, Value,
};
use sts_client::credentials::{
    AssumeRoleProvider, AssumeRoleRequest, CredentialsError, DefaultChain, EnvLookup,
    EnvironmentCredentials, ProfileCredentials, ProfileCredentialsPlan, ProvideCredentials,
    ProvideFuture, WebIdentityRequest, WebIdentityTokenSource,
};
use sts_client::{Credentials, SecretString};
use time::macros::datetime;

fn block_on<F: std::future::Future>(f: F) -> F::Output {
    tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(f)
}

fn config(text: &str) -> Result<ProfileSet, CredentialsError> {
    ProfileSet::parse(Some((Path::new("/x/config"), text)), None)
}

#[test]
fn environment_reads_keys_token_and_expiration() {
    let env = EnvLookup::from_pairs([
        ("AWS_ACCESS_KEY_ID", "AKIDENV"),
        ("AWS_SECRET_ACCESS_KEY", "envsecret"),
        ("AWS_SESSION_TOKEN", "envtoken"),
        ("AWS_CREDENTIAL_EXPIRATION", "2030-05-01T12:00:00Z"),
    ]);
    let creds = EnvironmentCredentials::new(env).load().unwrap();
    assert_eq!(creds.access_key_id(), "AKIDENV");
    assert_eq!(creds.secret_access_key().expose(), "envsecret");
    assert_eq!(creds.session_token().unwrap().expose(), "envtoken");
    assert_eq!(creds.expiration(), Some(datetime!(2030-05-01 12:00 UTC)));
}

#[test]
fn environment_errors() {
    let none = EnvironmentCredentials::new(EnvLookup::from_pairs::<&str, &str>([]));
    assert!(none.load().unwrap_err().is_not_configured());
    let partial = EnvironmentCredentials::new(EnvLookup::from_pairs([("AWS_ACCESS_KEY_ID", "A")]));
    assert!(matches!(
        partial.load(),
        Err(CredentialsError::InvalidEnvironment { name, .. }) if name == "AWS_SECRET_ACCESS_KEY"
    ));
    let bad_date = EnvironmentCredentials::new(EnvLookup::from_pairs([
        ("AWS_ACCESS_KEY_ID", "A"),
        ("AWS_SECRET_ACCESS_KEY", "s"),
        ("AWS_CREDENTIAL_EXPIRATION", "tomorrow"),
    ]));
    assert!(matches!(
        bad_date.load(),
        Err(CredentialsError::InvalidEnvironment { name, .. }) if name == "AWS_CREDENTIAL_EXPIRATION"
    ));
}

#[test]
fn parser_follows_configparser() {
    let text = "\
# leading comment
; another
[default]
region = us-west-2
aws_access_key_id = AKID # not a comment
Output: JSON
s3 =
    addressing_style = path

    Max_Concurrency = 10
  ; a comment inside
multi = first
  second

[profile dev]
region=eu-west-1
[profile \"with space\"]
region = ap-south-1
[dev]
region = not-a-profile-in-config
[profilex]
region = nope
[sso-session corp]
sso_region = us-east-1
[services local]
sts =
  endpoint_url = http://127.0.0.1:5000
";
    let set = config(text).unwrap();
    let default = set.profile("default").unwrap();
    assert_eq!(default.get("region"), Some("us-west-2"));
    assert_eq!(
        default.get("aws_access_key_id"),
        Some("AKID # not a comment")
    );
    assert_eq!(default.get("output"), Some("JSON"));
    assert_eq!(default.get("multi"), Some("first\nsecond"));
    match default.value("s3").unwrap() {
        Value::SubSection(sub) => {
            assert_eq!(
                sub.get("addressing_style").map(String::as_str),
                Some("path")
            );
            assert_eq!(sub.get("Max_Concurrency").map(String::as_str), Some("10"));
            assert_eq!(sub.len(), 2);
        }
        other => panic!("expected a sub-section, got {other:?}"),
    }
    assert_eq!(set.profile("dev").unwrap().get("region"), Some("eu-west-1"));
    assert_eq!(
        set.profile("with space").unwrap().get("region"),
        Some("ap-south-1")
    );
    let mut names: Vec<_> = set.profile_names().collect();
    names.sort();
    assert_eq!(names, ["default", "dev", "with space"]);
    assert_eq!(
        set.sso_session("corp").unwrap().get("sso_region"),
        Some("us-east-1")
    );
    assert!(set.services("local").is_some());
}

#[test]
fn default_section_is_inherited_and_profile_default_counts() {
    let set = config("[DEFAULT]\nregion = r0\n[profile default]\noutput = text\n").unwrap();
    let p = set.profile("default").unwrap();
    assert_eq!(p.get("region"), Some("r0"));
    assert_eq!(p.get("output"), Some("text"));
}

#[test]
fn credentials_file_wins_per_key() {
    let set = ProfileSet::parse(
        Some((
            Path::new("c"),
            "[profile dev]\nregion = eu-west-1\naws_access_key_id = FROMCONFIG\n",
        )),
        Some((
            Path::new("k"),
            "[dev]\naws_access_key_id = FROMCREDS\n[profile dev]\naws_access_key_id = NOTDEV\n",
        )),
    )
    .unwrap();
    let dev = set.profile("dev").unwrap();
    assert_eq!(dev.get("aws_access_key_id"), Some("FROMCREDS"));
    assert_eq!(dev.get("region"), Some("eu-west-1"));
    assert!(set.profile("profile dev").is_some());
}

fn malformed(text: &str) -> (usize, String) {
    match config(text).unwrap_err() {
        CredentialsError::MalformedFile {
            path,
            line,
            problem,
        } => {
            assert_eq!(path, Path::new("/x/config"));
            (line, problem)
        }
        other => panic!("expected MalformedFile, got {other:?}"),
    }
}

#[test]
fn malformed_files_name_line_and_problem() {
    let (line, problem) = malformed("region = x\n");
    assert_eq!(line, 1);
    assert!(problem.contains("section header"), "{problem}");
    let (line, problem) = malformed("[default]\n\nthis line has no delimiter\n");
    assert_eq!(line, 3);
    assert!(problem.contains("key = value"), "{problem}");
    let (line, problem) = malformed("[default]\nregion = a\nRegion = b\n");
    assert_eq!(line, 3);
    assert!(problem.contains("line 2"), "{problem}");
    let (line, problem) = malformed("[a]\n[b]\n[a]\n");
    assert_eq!(line, 3);
    assert!(problem.contains("line 1"), "{problem}");
    let (line, _) = malformed("[default]\ns3 =\n  addressing_style path\n");
    assert_eq!(line, 3);
    let (line, _) = malformed("[default]\n= value\n");
    assert_eq!(line, 2);
    let err = config("[default]\nregion = a\nregion = b\n").unwrap_err();
    assert_eq!(
        err.to_string(),
        "/x/config:3: setting `region` already set in this section on line 2"
    );
}

#[test]
fn client_settings_of_a_profile() {
    let set = config(
        "[profile dev]\nregion = eu-west-1\nsts_regional_endpoints = regional\n\
         use_fips_endpoint = TRUE\nuse_dualstack_endpoint = yes\nservices = local\n\
         endpoint_url = http://all\n[services local]\nsts =\n  endpoint_url = http://127.0.0.1:5000\n",
    )
    .unwrap();
    let s = set.client_settings("dev");
    assert_eq!(s.region.as_deref(), Some("eu-west-1"));
    assert_eq!(s.sts_regional_endpoints.as_deref(), Some("regional"));
    assert_eq!(s.endpoint_url.as_deref(), Some("http://all"));
    assert_eq!(s.sts_endpoint_url.as_deref(), Some("http://127.0.0.1:5000"));
    assert_eq!(s.use_fips_endpoint, Some(true));
    assert_eq!(s.use_dualstack_endpoint, Some(false));
    assert_eq!(set.client_settings("absent").region, None);
}

#[test]
fn file_locations_from_env() {
    let env = EnvLookup::from_pairs([("HOME", "/home/u")]);
    let files = ProfileFiles::from_env(&env).unwrap();
    assert_eq!(files.config, Path::new("/home/u/.aws/config"));
    let env = EnvLookup::from_pairs([("AWS_SHARED_CREDENTIALS_FILE", "/etc/creds")]);
    let files_err = ProfileFiles::from_env(&env).unwrap_err();
    assert!(files_err.is_not_configured());
}

const CHAIN: &str = "\
[profile top]
role_arn = arn:aws:iam::111111111111:role/top
source_profile = middle
external_id = ext-top
role_session_name = top-session
duration_seconds = 1800
mfa_serial = arn:aws:iam::111111111111:mfa/me
[profile middle]
role_arn = arn:aws:iam::222222222222:role/middle
source_profile = base
[profile base]
aws_access_key_id = AKIDBASE
aws_secret_access_key = basesecret
[profile loop-a]
role_arn = arn:aws:iam::1:role/a
source_profile = loop-b
[profile loop-b]
role_arn = arn:aws:iam::1:role/b
source_profile = loop-a
[profile self]
role_arn = arn:aws:iam::1:role/self
source_profile = self
aws_access_key_id = AKIDSELF
aws_secret_access_key = selfsecret
[profile self-no-keys]
role_arn = arn:aws:iam::1:role/s
source_profile = self-no-keys
[profile keys-and-role]
role_arn = arn:aws:iam::1:role/ignored-as-source
source_profile = loop-a
aws_access_key_id = AKIDKR
aws_secret_access_key = krsecret
[profile uses-keys-and-role]
role_arn = arn:aws:iam::1:role/outer
source_profile = keys-and-role
[profile env-source]
role_arn = arn:aws:iam::1:role/env
credential_source = Environment
[profile imds-source]
role_arn = arn:aws:iam::1:role/imds
credential_source = Ec2InstanceMetadata
[profile bad-source]
role_arn = arn:aws:iam::1:role/x
credential_source = Lambda
[profile both]
role_arn = arn:aws:iam::1:role/x
credential_source = Environment
source_profile = base
[profile neither]
role_arn = arn:aws:iam::1:role/x
[profile bad-duration]
role_arn = arn:aws:iam::1:role/x
source_profile = base
duration_seconds = an hour
[profile missing-source]
role_arn = arn:aws:iam::1:role/x
source_profile = nowhere
[profile half]
aws_access_key_id = AKIDHALF
[profile web]
role_arn = arn:aws:iam::1:role/web
web_identity_token_file = /tokens/web
[profile process]
credential_process = /bin/helper --flag
[profile empty]
region = us-east-1
";

fn plan(name: &str) -> Result<ProfileCredentialsPlan, CredentialsError> {
    ProfileCredentialsPlan::resolve(&config(CHAIN).unwrap(), name)
}

#[test]
fn role_chain_is_planned_innermost_first() {
    let plan = plan("top").unwrap();
    match &plan.base {
        BaseCredentials::Static {
            profile,
            credentials,
        } => {
            assert_eq!(profile, "base");
            assert_eq!(credentials.access_key_id(), "AKIDBASE");
        }
        other => panic!("{other:?}"),
    }
    let roles: Vec<_> = plan.steps.iter().map(|s| s.profile.as_str()).collect();
    assert_eq!(roles, ["middle", "top"]);
    let top = &plan.steps[1];
    assert_eq!(top.external_id.as_deref(), Some("ext-top"));
    assert_eq!(top.duration_seconds, Some(1800));
    assert_eq!(top.role_session_name.as_deref(), Some("top-session"));
    assert_eq!(
        top.mfa_serial.as_deref(),
        Some("arn:aws:iam::111111111111:mfa/me")
    );
}

#[test]
fn cycles_are_reported_with_the_chain() {
    match plan("loop-a").unwrap_err() {
        CredentialsError::SourceProfileCycle { chain } => {
            assert_eq!(chain, ["loop-a", "loop-b", "loop-a"])
        }
        other => panic!("{other:?}"),
    }
    let err = plan("self-no-keys").unwrap_err();
    assert_eq!(
        err.to_string(),
        "source_profile cycle: self-no-keys -> self-no-keys"
    );
}

#[test]
fn self_reference_with_keys_and_keys_ending_a_chain() {
    let p = plan("self").unwrap();
    assert!(matches!(&p.base, BaseCredentials::Static { profile, .. } if profile == "self"));
    assert_eq!(p.steps.len(), 1);
    // keys-and-role has keys: as a source it ends the chain (its own loop is never walked).
    let p = plan("uses-keys-and-role").unwrap();
    assert!(
        matches!(&p.base, BaseCredentials::Static { credentials, .. } if credentials.access_key_id() == "AKIDKR")
    );
    assert_eq!(p.steps.len(), 1);
    assert_eq!(p.steps[0].role_arn, "arn:aws:iam::1:role/outer");
}

#[test]
fn credential_sources_and_invalid_profiles() {
    assert!(matches!(
        plan("imds-source").unwrap().base,
        BaseCredentials::CredentialSource {
            source: CredentialSource::Ec2InstanceMetadata,
            ..
        }
    ));
    for (name, needle) in [
        ("bad-source", "Lambda"),
        ("both", "both source_profile and credential_source"),
        ("neither", "needs source_profile or credential_source"),
        ("bad-duration", "duration_seconds"),
        ("missing-source", "`nowhere` does not exist"),
        ("half", "needs both"),
    ] {
        match plan(name).unwrap_err() {
            CredentialsError::InvalidProfile { profile, problem } => {
                assert_eq!(profile, name);
                assert!(problem.contains(needle), "{name}: {problem}");
            }
            other => panic!("{name}: {other:?}"),
        }
    }
    assert!(matches!(
        plan("web").unwrap().base,
        BaseCredentials::WebIdentity { .. }
    ));
    assert!(matches!(
        plan("process").unwrap().base,
        BaseCredentials::Process { .. }
    ));
    assert!(plan("empty").unwrap_err().is_not_configured());
    assert!(matches!(
        plan("nope").unwrap_err(),
        CredentialsError::ProfileNotFound { profile } if profile == "nope"
    ));
}

/// Records every request; answers with credentials named after the role.
#[derive(Default)]
struct FakeSts {
    assume: Mutex<Vec<AssumeRoleRequest>>,
    web: Mutex<Vec<WebIdentityRequest>>,
}

impl AssumeRoleProvider for FakeSts {
    fn assume_role(&self, request: AssumeRoleRequest) -> ProvideFuture<'_> {
        let id = format!("ASIA-{}", request.role_arn.rsplit('/').next().unwrap());
        self.assume.lock().unwrap().push(request);
        Box::pin(async move { Ok(Credentials::new(id, "assumed").with_session_token("t")) })
    }

    fn assume_role_with_web_identity(&self, request: WebIdentityRequest) -> ProvideFuture<'_> {
        self.web.lock().unwrap().push(request);
        Box::pin(async { Ok(Credentials::new("ASIA-WEB", "web").with_session_token("t")) })
    }
}

fn files_env(dir: &Path, extra: &[(&str, &str)]) -> EnvLookup {
    let mut pairs: Vec<(String, String)> = vec![
        (
            "AWS_CONFIG_FILE".into(),
            dir.join("config").to_str().unwrap().into(),
        ),
        (
            "AWS_SHARED_CREDENTIALS_FILE".into(),
            dir.join("credentials").to_str().unwrap().into(),
        ),
    ];
    pairs.extend(extra.iter().map(|(k, v)| (k.to_string(), v.to_string())));
    EnvLookup::from_pairs(pairs)
}

#[test]
fn profile_source_runs_the_chain_through_the_hook() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config"), CHAIN).unwrap();
    let sts = Arc::new(FakeSts::default());
    let mfa_calls = Arc::new(Mutex::new(Vec::new()));
    let calls = mfa_calls.clone();
    let source = ProfileCredentials::new(files_env(dir.path(), &[("AWS_PROFILE", "top")]))
        .with_assume_role(sts.clone())
        .with_mfa(Arc::new(move |serial: &str| {
            calls.lock().unwrap().push(serial.to_owned());
            Ok(SecretString::new("123456"))
        }));
    let creds = block_on(source.provide_credentials()).unwrap();
    assert_eq!(creds.access_key_id(), "ASIA-top");
    let requests = sts.assume.lock().unwrap();
    assert_eq!(requests.len(), 2);
    assert_eq!(requests[0].source_credentials.access_key_id(), "AKIDBASE");
    assert_eq!(
        requests[0].role_arn,
        "arn:aws:iam::222222222222:role/middle"
    );
    assert!(requests[0]
        .role_session_name
        .starts_with("sts-client-session-"));
    assert_eq!(requests[0].mfa_code, None);
    let top = &requests[1];
    assert_eq!(top.source_credentials.access_key_id(), "ASIA-middle");
    assert_eq!(top.role_arn, "arn:aws:iam::111111111111:role/top");
    assert_eq!(top.external_id.as_deref(), Some("ext-top"));
    assert_eq!(top.role_session_name, "top-session");
    assert_eq!(top.duration_seconds, Some(1800));
    assert_eq!(
        top.mfa_serial.as_deref(),
        Some("arn:aws:iam::111111111111:mfa/me")
    );
    assert_eq!(top.mfa_code.as_ref().unwrap().expose(), "123456");
    assert_eq!(
        *mfa_calls.lock().unwrap(),
        ["arn:aws:iam::111111111111:mfa/me"]
    );
}

#[test]
fn profile_web_identity_goes_through_the_hook() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "profile-token").unwrap();
    std::fs::write(
        dir.path().join("config"),
        format!(
            "[default]\nrole_arn = arn:aws:iam::1:role/web\nweb_identity_token_file = {}\n",
            token.display()
        ),
    )
    .unwrap();
    let sts = Arc::new(FakeSts::default());
    let source = ProfileCredentials::new(files_env(dir.path(), &[])).with_assume_role(sts.clone());
    assert_eq!(
        block_on(source.provide_credentials())
            .unwrap()
            .access_key_id(),
        "ASIA-WEB"
    );
    let web = sts.web.lock().unwrap();
    assert_eq!(web[0].token.expose(), "profile-token");
    assert_eq!(web[0].role_arn, "arn:aws:iam::1:role/web");
}

#[test]
fn profile_source_credential_source_environment_and_missing_hooks() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config"), CHAIN).unwrap();
    let sts = Arc::new(FakeSts::default());
    let env = files_env(
        dir.path(),
        &[
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "envsecret"),
        ],
    );
    let source = ProfileCredentials::new(env.clone())
        .with_profile("env-source")
        .with_assume_role(sts.clone());
    let creds = block_on(source.provide_credentials()).unwrap();
    assert_eq!(creds.access_key_id(), "ASIA-env");
    assert_eq!(
        sts.assume.lock().unwrap()[0]
            .source_credentials
            .access_key_id(),
        "AKIDENV"
    );
    let no_sts = ProfileCredentials::new(env.clone()).with_profile("top");
    assert!(matches!(
        block_on(no_sts.provide_credentials()),
        Err(CredentialsError::MissingProvider { .. })
    ));
    let no_imds = ProfileCredentials::new(env)
        .with_profile("imds-source")
        .with_assume_role(sts.clone());
    assert!(matches!(
        block_on(no_imds.provide_credentials()),
        Err(CredentialsError::MissingProvider { what }) if what.contains("Ec2InstanceMetadata")
    ));
    let with_imds = ProfileCredentials::new(files_env(dir.path(), &[]))
        .with_profile("imds-source")
        .with_assume_role(sts.clone())
        .with_credential_source(
            CredentialSource::Ec2InstanceMetadata,
            Arc::new(Credentials::new("AKIDIMDS", "imds")),
        );
    block_on(with_imds.provide_credentials()).unwrap();
    let last = sts.assume.lock().unwrap().last().cloned().unwrap();
    assert_eq!(last.source_credentials.access_key_id(), "AKIDIMDS");
    // credential_source = Environment with nothing in the environment is a failure.
    let empty_env = ProfileCredentials::new(files_env(dir.path(), &[]))
        .with_profile("env-source")
        .with_assume_role(sts);
    assert!(matches!(
        block_on(empty_env.provide_credentials()),
        Err(CredentialsError::InvalidProfile { profile, .. }) if profile == "env-source"
    ));
}

#[test]
fn web_identity_token_is_read_at_every_call() {
    let dir = tempfile::tempdir().unwrap();
    let token = dir.path().join("token");
    std::fs::write(&token, "first-token\n").unwrap();
    let env = EnvLookup::from_pairs([
        ("AWS_WEB_IDENTITY_TOKEN_FILE", token.to_str().unwrap()),
        ("AWS_ROLE_ARN", "arn:aws:iam::1:role/web"),
        ("AWS_ROLE_SESSION_NAME", "ci"),
    ]);
    let source = WebIdentityTokenSource::from_env(&env).unwrap();
    let now = datetime!(2024-01-01 0:00 UTC);
    assert_eq!(source.request(now).unwrap().token.expose(), "first-token");
    std::fs::write(&token, "second-token").unwrap();
    let request = source.request(now).unwrap();
    assert_eq!(request.token.expose(), "second-token");
    assert_eq!(request.role_session_name, "ci");
    std::fs::remove_file(&token).unwrap();
    match source.request(now).unwrap_err() {
        CredentialsError::Io { path, .. } => assert_eq!(path, token),
        other => panic!("{other:?}"),
    }
    let no_role = EnvLookup::from_pairs([("AWS_WEB_IDENTITY_TOKEN_FILE", "/t")]);
    assert!(matches!(
        WebIdentityTokenSource::from_env(&no_role),
        Err(CredentialsError::InvalidEnvironment { name, .. }) if name == "AWS_ROLE_ARN"
    ));
}

#[cfg(unix)]
mod process {
    use super::*;
    use sts_client::credentials::ProcessCredentials;

    fn script(dir: &Path, name: &str, body: &str) -> String {
        use std::os::unix::fs::PermissionsExt;
        let path = dir.join(name);
        std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
        path.to_str().unwrap().to_owned()
    }

    #[test]
    fn runs_the_command_and_parses_version_1() {
        let dir = tempfile::tempdir().unwrap();
        let helper = script(
            dir.path(),
            "ok.sh",
            r#"printf '{"Version": 1, "AccessKeyId": "AKIDPROC", "SecretAccessKey": "%s", "SessionToken": "tok", "Expiration": "2030-01-01T00:00:00Z"}' "$1""#,
        );
        let source = ProcessCredentials::new("p", format!("{helper} 'proc secret'"));
        let creds = block_on(source.provide_credentials()).unwrap();
        assert_eq!(creds.access_key_id(), "AKIDPROC");
        assert_eq!(creds.secret_access_key().expose(), "proc secret");
        assert_eq!(creds.expiration(), Some(datetime!(2030-01-01 0:00 UTC)));
    }

    #[test]
    fn failures_are_described() {
        let dir = tempfile::tempdir().unwrap();
        let long = "x".repeat(2000);
        let helper = script(
            dir.path(),
            "fail.sh",
            &format!("echo 'denied {long}' >&2; exit 3"),
        );
        let err = ProcessCredentials::new("p", helper)
            .run_blocking()
            .unwrap_err()
            .to_string();
        assert!(err.contains("exit status: 3"), "{err}");
        assert!(err.contains("denied"), "{err}");
        assert!(
            err.len() < 1000,
            "stderr not truncated: {} bytes",
            err.len()
        );

        let helper = script(dir.path(), "v2.sh", r#"echo '{"Version": 2}'"#);
        let err = ProcessCredentials::new("p", helper)
            .run_blocking()
            .unwrap_err();
        assert!(err.to_string().contains("Version 2"), "{err}");
        let helper = script(dir.path(), "junk.sh", "echo not json");
        let err = ProcessCredentials::new("p", helper)
            .run_blocking()
            .unwrap_err();
        assert!(err.to_string().contains("not the expected JSON"), "{err}");
        let err = ProcessCredentials::new("p", "/nonexistent/helper")
            .run_blocking()
            .unwrap_err();
        assert!(
            err.to_string().contains("cannot run `/nonexistent/helper`"),
            "{err}"
        );
    }
}

#[test]
fn chain_picks_the_first_configured_source_and_lists_reasons() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("credentials"),
        "[default]\naws_access_key_id = AKIDPROFILE\naws_secret_access_key = p\n",
    )
    .unwrap();
    // Environment wins over the profile.
    let env = files_env(
        dir.path(),
        &[
            ("AWS_ACCESS_KEY_ID", "AKIDENV"),
            ("AWS_SECRET_ACCESS_KEY", "e"),
        ],
    );
    let creds = block_on(DefaultChain::from_env(env, None).provide_credentials()).unwrap();
    assert_eq!(creds.access_key_id(), "AKIDENV");
    // No environment keys: the default profile.
    let chain = DefaultChain::from_env(files_env(dir.path(), &[]), None);
    assert_eq!(
        block_on(chain.provide_credentials())
            .unwrap()
            .access_key_id(),
        "AKIDPROFILE"
    );
    // Nothing here: later sources are reached...
    let empty = tempfile::tempdir().unwrap();
    let chain = DefaultChain::from_env(files_env(empty.path(), &[]), None)
        .with_source("later", Credentials::new("AKIDLATER", "l"));
    assert_eq!(
        block_on(chain.provide_credentials())
            .unwrap()
            .access_key_id(),
        "AKIDLATER"
    );
    // ...and without them the error lists every source and its reason.
    let chain = DefaultChain::from_env(files_env(empty.path(), &[]), None);
    match block_on(chain.provide_credentials()).unwrap_err() {
        CredentialsError::NoneFound { tried } => {
            let names: Vec<_> = tried.iter().map(|t| t.source.as_str()).collect();
            assert_eq!(names, ["environment", "profile", "web identity"]);
            assert!(tried[1].reason.contains("no [default] profile"));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn chain_stops_at_a_configured_source_that_fails() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("config"), "[default]\nthis is broken\n").unwrap();
    let env = files_env(dir.path(), &[]);
    let chain = DefaultChain::from_env(env, None).with_source("later", Credentials::new("A", "s"));
    match block_on(chain.provide_credentials()).unwrap_err() {
        CredentialsError::MalformedFile { path, line, .. } => {
            assert_eq!(path, dir.path().join("config"));
            assert_eq!(line, 2);
        }
        other => panic!("{other:?}"),
    }
    // A named profile that does not exist is an error, not "not configured".
    std::fs::write(dir.path().join("config"), "[default]\n").unwrap();
    let env = files_env(dir.path(), &[("AWS_PROFILE", "ghost")]);
    let chain = DefaultChain::from_env(env, None).with_source("later", Credentials::new("A", "s"));
    assert!(matches!(
        block_on(chain.provide_credentials()),
        Err(CredentialsError::ProfileNotFound { .. })
    ));
}
