//! End-to-end tests of the `sts` example command against the local moto STS server.
//!
//! Run with `scripts/with-moto cargo test --test cli_e2e`; without `MOTO_STS_ENDPOINT` every
//! test prints a notice and passes without checking anything. The command is built with
//! `cargo build --example sts` (Cargo gives integration tests no path to example binaries).

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;

struct Moto {
    endpoint: String,
    access_key_id: String,
    secret_access_key: String,
    user_arn: String,
    role_arn: String,
    account_id: String,
}

fn moto() -> Option<Moto> {
    let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
    let Some(endpoint) = var("MOTO_STS_ENDPOINT") else {
        assert!(
            var("STS_E2E_REQUIRED").is_none(),
            "STS_E2E_REQUIRED is set but MOTO_STS_ENDPOINT is not: run under scripts/with-moto"
        );
        eprintln!("MOTO_STS_ENDPOINT is not set: skipping (run under scripts/with-moto)");
        return None;
    };
    Some(Moto {
        endpoint,
        access_key_id: var("MOTO_STS_ACCESS_KEY_ID")?,
        secret_access_key: var("MOTO_STS_SECRET_ACCESS_KEY")?,
        user_arn: var("MOTO_STS_USER_ARN")?,
        role_arn: var("MOTO_STS_ROLE_ARN")?,
        account_id: var("MOTO_STS_ACCOUNT_ID")?,
    })
}

/// `target/<profile>` from this test's own path (`target/<profile>/deps/cli_e2e-*`).
fn profile_dir() -> PathBuf {
    let exe = std::env::current_exe().expect("test executable path");
    exe.parent()
        .and_then(Path::parent)
        .expect("test executable in target/<profile>/deps")
        .to_path_buf()
}

fn binary() -> &'static Path {
    static BINARY: OnceLock<PathBuf> = OnceLock::new();
    BINARY.get_or_init(|| {
        let dir = profile_dir();
        let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_owned());
        let mut build = Command::new(cargo);
        build.args(["build", "--quiet", "--example", "sts"]);
        if dir.file_name().is_some_and(|n| n == "release") {
            build.arg("--release");
        }
        let status = build
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .status()
            .expect("run cargo build --example sts");
        assert!(status.success(), "cargo build --example sts failed");
        let path = dir
            .join("examples")
            .join(format!("sts{}", std::env::consts::EXE_SUFFIX));
        assert!(path.exists(), "{} was not built", path.display());
        path
    })
}

/// A run with a clean environment: moto's keys, a fresh home, no profile files.
struct Run {
    home: tempfile::TempDir,
    env: Vec<(String, String)>,
}

impl Run {
    fn new(m: &Moto) -> Run {
        let home = tempfile::tempdir().expect("temp home");
        Run {
            env: vec![
                ("AWS_ACCESS_KEY_ID".into(), m.access_key_id.clone()),
                ("AWS_SECRET_ACCESS_KEY".into(), m.secret_access_key.clone()),
                ("AWS_REGION".into(), "us-east-1".into()),
                ("HOME".into(), home.path().display().to_string()),
            ],
            home,
        }
    }

    fn with(mut self, key: &str, value: &str) -> Run {
        self.env.retain(|(k, _)| k != key);
        self.env.push((key.into(), value.into()));
        self
    }

    fn sts(&self, m: &Moto, args: &[&str]) -> Output {
        let mut cmd = Command::new(binary());
        cmd.env_clear()
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .args(["--endpoint-url", &m.endpoint])
            .args(args);
        cmd.output().expect("run the sts command")
    }
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn json(o: &Output) -> serde_json::Value {
    assert_eq!(o.status.code(), Some(0), "stderr: {}", stderr(o));
    serde_json::from_slice(&o.stdout).expect("stdout is JSON")
}

/// The keys of a JSON object in the order printed.
fn printed_keys(text: &str, indent: usize) -> Vec<String> {
    let prefix = " ".repeat(indent);
    text.lines()
        .filter_map(|l| l.strip_prefix(&prefix))
        .filter(|l| l.starts_with('"'))
        .filter_map(|l| l.split('"').nth(1).map(str::to_owned))
        .collect()
}

#[test]
fn get_caller_identity_json_and_text_match_the_aws_cli() {
    let Some(m) = moto() else { return };
    let run = Run::new(&m);
    let out = run.sts(&m, &["get-caller-identity"]);
    let doc = json(&out);
    let text = stdout(&out);
    assert_eq!(printed_keys(&text, 4), ["UserId", "Account", "Arn"]);
    assert!(text.starts_with("{\n    \"UserId\": \""), "{text}");
    assert_eq!(doc["Account"], m.account_id.as_str());
    assert_eq!(doc["Arn"], m.user_arn.as_str());
    for key in ["UserId", "Account", "Arn"] {
        let out = run.sts(
            &m,
            &["get-caller-identity", "--query", key, "--output", "text"],
        );
        assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
        assert_eq!(stdout(&out), format!("{}\n", doc[key].as_str().unwrap()));
    }
    let out = run.sts(&m, &["get-caller-identity", "--output", "text"]);
    assert_eq!(
        stdout(&out),
        format!(
            "{}\t{}\t{}\n",
            m.account_id,
            m.user_arn,
            doc["UserId"].as_str().unwrap()
        )
    );
}

#[test]
fn session_token_and_assume_role_print_the_aws_cli_keys() {
    let Some(m) = moto() else { return };
    let run = Run::new(&m);
    let out = run.sts(&m, &["get-session-token", "--duration-seconds", "900"]);
    let doc = json(&out);
    let text = stdout(&out);
    assert_eq!(printed_keys(&text, 4), ["Credentials"]);
    assert_eq!(
        printed_keys(&text, 8),
        [
            "AccessKeyId",
            "SecretAccessKey",
            "SessionToken",
            "Expiration"
        ]
    );
    let expiration = doc["Credentials"]["Expiration"].as_str().unwrap();
    assert!(
        expiration.ends_with("+00:00") && expiration.as_bytes()[10] == b'T',
        "{expiration}"
    );

    let out = run.sts(
        &m,
        &[
            "assume-role",
            "--role-arn",
            &m.role_arn,
            "--role-session-name",
            "e2e",
        ],
    );
    let doc = json(&out);
    let text = stdout(&out);
    let top = printed_keys(&text, 4);
    assert_eq!(&top[..2], ["Credentials", "AssumedRoleUser"], "{text}");
    assert_eq!(
        printed_keys(&text, 8),
        [
            "AccessKeyId",
            "SecretAccessKey",
            "SessionToken",
            "Expiration",
            "AssumedRoleId",
            "Arn"
        ]
    );
    assert!(doc["AssumedRoleUser"]["Arn"]
        .as_str()
        .unwrap()
        .ends_with("/e2e"));
}

#[test]
fn service_errors_read_like_the_aws_cli_and_exit_254() {
    let Some(m) = moto() else { return };
    let wrong_secret = Run::new(&m).with("AWS_SECRET_ACCESS_KEY", "not-the-secret-key-at-all");
    let out = wrong_secret.sts(&m, &["get-caller-identity"]);
    assert_eq!(out.status.code(), Some(254));
    assert!(out.stdout.is_empty());
    assert!(
        stderr(&out).starts_with(
            "\nAn error occurred (SignatureDoesNotMatch) when calling the GetCallerIdentity operation: "
        ),
        "{}",
        stderr(&out)
    );
    let unknown_key = Run::new(&m).with("AWS_ACCESS_KEY_ID", "AKIAIOSFODNN7EXAMPLE");
    let out = unknown_key.sts(&m, &["get-caller-identity"]);
    assert_eq!(out.status.code(), Some(254));
    assert_eq!(
        stderr(&out),
        "\nAn error occurred (InvalidClientTokenId) when calling the GetCallerIdentity operation: \
         The security token included in the request is invalid.\n"
    );
}

#[test]
fn usage_validation_and_configuration_errors_have_the_aws_cli_exit_codes() {
    let Some(m) = moto() else { return };
    let run = Run::new(&m);
    let out = run.sts(&m, &["assume-role", "--role-arn", &m.role_arn]);
    assert_eq!(out.status.code(), Some(252), "{}", stderr(&out));
    let out = run.sts(&m, &["get-session-token", "--duration-seconds", "1"]);
    assert_eq!(out.status.code(), Some(252));
    assert!(
        stderr(&out).contains("Parameter validation failed:"),
        "{}",
        stderr(&out)
    );
    let no_keys = Run::new(&m)
        .with("AWS_ACCESS_KEY_ID", "")
        .with("AWS_SECRET_ACCESS_KEY", "");
    let out = no_keys.sts(&m, &["get-caller-identity"]);
    assert_eq!(out.status.code(), Some(253), "{}", stderr(&out));
    assert!(
        stderr(&out).contains("Unable to locate credentials"),
        "{}",
        stderr(&out)
    );
    let out = run.sts(&m, &["--profile", "nope", "get-caller-identity"]);
    assert_eq!(out.status.code(), Some(253));
    assert!(stderr(&out).contains("The config profile (nope) could not be found"));
}

#[test]
fn write_profile_stores_the_session_credentials() {
    let Some(m) = moto() else { return };
    let run = Run::new(&m);
    let file = run.home.path().join("creds");
    std::fs::write(&file, "[keep]\naws_access_key_id = AKIAKEEP\n").unwrap();
    let run = run.with("AWS_SHARED_CREDENTIALS_FILE", &file.display().to_string());
    let out = run.sts(&m, &["get-session-token", "--write-profile", "mfa"]);
    let doc = json(&out);
    let creds = &doc["Credentials"];
    let written = std::fs::read_to_string(&file).unwrap();
    assert!(
        written.contains("[keep]\naws_access_key_id = AKIAKEEP\n"),
        "{written}"
    );
    assert!(written.contains(&format!(
        "[mfa]\naws_access_key_id = {}\naws_secret_access_key = {}\naws_session_token = {}\n",
        creds["AccessKeyId"].as_str().unwrap(),
        creds["SecretAccessKey"].as_str().unwrap(),
        creds["SessionToken"].as_str().unwrap()
    )));
    // The command reads the profile back: its key signs the next request (moto's fixed
    // GetSessionToken credentials do not authenticate afterwards, so only the key is checked).
    let out = run
        .with("AWS_ACCESS_KEY_ID", "")
        .with("AWS_SECRET_ACCESS_KEY", "")
        .sts(&m, &["--profile", "mfa", "--debug", "get-caller-identity"]);
    let key = creds["AccessKeyId"].as_str().unwrap();
    assert!(
        stderr(&out).contains(&format!("Credential={key}/")),
        "{}",
        stderr(&out)
    );
}

fn base64url_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| match c {
        b'A'..=b'Z' => u32::from(c - b'A'),
        b'a'..=b'z' => u32::from(c - b'a') + 26,
        b'0'..=b'9' => u32::from(c - b'0') + 52,
        b'-' => 62,
        b'_' => 63,
        other => panic!("not base64url: {}", other as char),
    };
    let mut out = Vec::new();
    for chunk in s.as_bytes().chunks(4) {
        let mut n = 0u32;
        for (i, c) in chunk.iter().enumerate() {
            n |= value(*c) << (18 - 6 * i);
        }
        out.extend_from_slice(&n.to_be_bytes()[1..chunk.len()]);
    }
    out
}

#[test]
fn eks_token_is_an_exec_credential_with_a_presigned_url() {
    let Some(m) = moto() else { return };
    let run = Run::new(&m);
    let out = run.sts(&m, &["eks-token", "--cluster-name", "demo-cluster"]);
    let doc = json(&out);
    assert_eq!(doc["kind"], "ExecCredential");
    assert_eq!(doc["apiVersion"], "client.authentication.k8s.io/v1beta1");
    assert_eq!(doc["spec"], serde_json::json!({}));
    let expiration = doc["status"]["expirationTimestamp"].as_str().unwrap();
    assert!(
        expiration.len() == 20 && expiration.ends_with('Z'),
        "{expiration}"
    );
    let token = doc["status"]["token"].as_str().unwrap();
    let encoded = token
        .strip_prefix("k8s-aws-v1.")
        .expect("k8s-aws-v1. prefix");
    assert!(!encoded.contains('='), "padded: {token}");
    let url = String::from_utf8(base64url_decode(encoded)).unwrap();
    assert!(
        url.starts_with(&format!(
            "{}/?Action=GetCallerIdentity&Version=2011-06-15&",
            m.endpoint
        )),
        "{url}"
    );
    assert!(url.contains("X-Amz-Expires=60&"), "{url}");
    assert!(
        url.contains("X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&"),
        "{url}"
    );
    assert!(
        url.contains(&format!("X-Amz-Credential={}%2F", m.access_key_id)),
        "{url}"
    );
    assert!(!url.contains("%25"), "double-encoded: {url}");
}

#[test]
fn debug_output_shows_the_signature_inputs_and_never_a_secret() {
    let Some(m) = moto() else { return };
    let run = Run::new(&m);
    let out = run.sts(&m, &["--debug", "get-caller-identity"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("CanonicalRequest:"), "{err}");
    assert!(
        err.contains("StringToSign:\nDEBUG - AWS4-HMAC-SHA256"),
        "{err}"
    );
    assert!(err.contains("Response status: 200"), "{err}");
    assert!(
        !err.contains(&m.secret_access_key),
        "secret key in debug output"
    );

    // Temporary credentials: neither their secret nor their token shows up in the log.
    let issued = json(&run.sts(
        &m,
        &[
            "assume-role",
            "--role-arn",
            &m.role_arn,
            "--role-session-name",
            "debug",
        ],
    ));
    let secret = issued["Credentials"]["SecretAccessKey"].as_str().unwrap();
    let token = issued["Credentials"]["SessionToken"].as_str().unwrap();
    let temp = Run::new(&m)
        .with(
            "AWS_ACCESS_KEY_ID",
            issued["Credentials"]["AccessKeyId"].as_str().unwrap(),
        )
        .with("AWS_SECRET_ACCESS_KEY", secret)
        .with("AWS_SESSION_TOKEN", token);
    let out = temp.sts(&m, &["--debug", "get-caller-identity"]);
    assert_eq!(out.status.code(), Some(0), "{}", stderr(&out));
    let err = stderr(&out);
    assert!(err.contains("x-amz-security-token:** redacted **"), "{err}");
    assert!(
        !err.contains(secret) && !err.contains(token),
        "secret in debug output: {err}"
    );
    // A response carrying credentials is logged with them redacted.
    let out = run.sts(
        &m,
        &[
            "--debug",
            "assume-role",
            "--role-arn",
            &m.role_arn,
            "--role-session-name",
            "debug2",
        ],
    );
    let printed = json(&out);
    let err = stderr(&out);
    assert!(
        err.contains("<SessionToken>** redacted **</SessionToken>"),
        "{err}"
    );
    for secret in [
        printed["Credentials"]["SecretAccessKey"].as_str().unwrap(),
        printed["Credentials"]["SessionToken"].as_str().unwrap(),
    ] {
        assert!(!err.contains(secret), "secret in debug output: {err}");
    }
}
