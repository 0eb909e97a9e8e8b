//! `credential_process`: run a command, read Version 1 JSON from its stdout.

use super::{Credentials, CredentialsError, ProvideCredentials, ProvideFuture};
use std::fmt;
use zeroize::Zeroizing;

/// How much of a failing command's stderr goes into the error.
const STDERR_LIMIT: usize = 512;

/// Splits a command line as Python's `shlex.split` does (POSIX mode, no comments), which is
/// how the AWS CLI splits `credential_process` on Unix: whitespace separates words, `'...'`
/// is literal, `"..."` allows `\"` and `\\`, a backslash outside quotes escapes any character.
///
/// ```
/// use sts_client::credentials::split_command_line;
/// assert_eq!(
///     split_command_line(r#"/bin/helper --name "my role" 'a b' c\ d"#).unwrap(),
///     ["/bin/helper", "--name", "my role", "a b", "c d"]
/// );
/// assert!(split_command_line("unclosed 'quote").is_err());
/// ```
pub fn split_command_line(line: &str) -> Result<Vec<String>, String> {
    let mut words = Vec::new();
    let mut word = String::new();
    let mut in_word = false;
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        match c {
            c if c.is_whitespace() => {
                if in_word {
                    words.push(std::mem::take(&mut word));
                    in_word = false;
                }
            }
            '\'' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('\'') => break,
                        Some(c) => word.push(c),
                        None => return Err("no closing quotation".into()),
                    }
                }
            }
            '"' => {
                in_word = true;
                loop {
                    match chars.next() {
                        Some('"') => break,
                        Some('\\') => match chars.next() {
                            Some(c @ ('"' | '\\')) => word.push(c),
                            Some(c) => {
                                word.push('\\');
                                word.push(c);
                            }
                            None => return Err("no closing quotation".into()),
                        },
                        Some(c) => word.push(c),
                        None => return Err("no closing quotation".into()),
                    }
                }
            }
            '\\' => {
                in_word = true;
                match chars.next() {
                    Some(c) => word.push(c),
                    None => return Err("no escaped character".into()),
                }
            }
            c => {
                in_word = true;
                word.push(c);
            }
        }
    }
    if in_word {
        words.push(word);
    }
    Ok(words)
}

#[derive(serde::Deserialize)]
#[serde(rename_all = "PascalCase")]
struct ProcessOutput {
    version: Option<serde_json::Value>,
    access_key_id: Option<String>,
    secret_access_key: Option<String>,
    session_token: Option<String>,
    expiration: Option<String>,
    account_id: Option<String>,
}

/// Parses a `credential_process` command's stdout: JSON with `Version` 1, `AccessKeyId`,
/// `SecretAccessKey`, optional `SessionToken`, `Expiration` (RFC 3339), `AccountId`.
///
/// ```
/// use sts_client::credentials::parse_process_output;
/// let out = br#"{"Version": 1, "AccessKeyId": "AKID", "SecretAccessKey": "s",
///               "Expiration": "2030-01-01T00:00:00Z"}"#;
/// let creds = parse_process_output("dev", out).unwrap();
/// assert_eq!(creds.access_key_id(), "AKID");
/// assert!(parse_process_output("dev", br#"{"Version": 2}"#).is_err());
/// ```
pub fn parse_process_output(profile: &str, stdout: &[u8]) -> Result<Credentials, CredentialsError> {
    let fail = |problem: String| CredentialsError::Process {
        profile: profile.to_owned(),
        problem,
    };
    // serde_json's messages give line and column, never the text.
    let output: ProcessOutput = serde_json::from_slice(stdout)
        .map_err(|e| fail(format!("output is not the expected JSON: {e}")))?;
    let version_ok = output
        .version
        .as_ref()
        .and_then(serde_json::Value::as_f64)
        .is_some_and(|v| v == 1.0);
    if !version_ok {
        let found = match &output.version {
            None => "no Version key".to_owned(),
            Some(v) if v.is_number() => format!("Version {v}"),
            Some(_) => "a Version that is not a number".to_owned(),
        };
        return Err(fail(format!(
            "unsupported output ({found}); supported: Version 1"
        )));
    }
    let access_key_id = output
        .access_key_id
        .ok_or_else(|| fail("output lacks AccessKeyId".into()))?;
    let secret = output
        .secret_access_key
        .map(Zeroizing::new)
        .ok_or_else(|| fail("output lacks SecretAccessKey".into()))?;
    let token = output.session_token.map(Zeroizing::new);
    super::from_document_fields(
        &access_key_id,
        &secret,
        token.as_deref().map(String::as_str),
        output.expiration.as_deref(),
        output.account_id.as_deref(),
    )
    .map_err(fail)
}

/// Credentials from a `credential_process` command, run without a shell.
///
/// The command runs on a thread of its own, so an async caller's executor is not blocked.
#[derive(Clone)]
pub struct ProcessCredentials {
    profile: String,
    command: String,
}

impl ProcessCredentials {
    /// The command line of `profile`'s `credential_process`.
    pub fn new(profile: impl Into<String>, command: impl Into<String>) -> Self {
        Self {
            profile: profile.into(),
            command: command.into(),
        }
    }

    /// Runs the command now, blocking the current thread.
    pub fn run_blocking(&self) -> Result<Credentials, CredentialsError> {
        let fail = |problem: String| CredentialsError::Process {
            profile: self.profile.clone(),
            problem,
        };
        let words = split_command_line(&self.command)
            .map_err(|e| fail(format!("cannot split the command line: {e}")))?;
        let Some((program, args)) = words.split_first() else {
            return Err(fail("the command line is empty".into()));
        };
        let output = std::process::Command::new(program)
            .args(args)
            .stdin(std::process::Stdio::null())
            .output()
            .map_err(|e| fail(format!("cannot run `{program}`: {e}")))?;
        let stdout = zeroize::Zeroizing::new(output.stdout);
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            let stderr = stderr.trim();
            let mut end = stderr.len().min(STDERR_LIMIT);
            while !stderr.is_char_boundary(end) {
                end -= 1;
            }
            let ellipsis = if end < stderr.len() { "..." } else { "" };
            return Err(fail(format!(
                "`{program}` exited with {}; stderr: {}{ellipsis}",
                output.status,
                &stderr[..end]
            )));
        }
        parse_process_output(&self.profile, &stdout)
    }
}

impl fmt::Debug for ProcessCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ProcessCredentials")
            .field("profile", &self.profile)
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for ProcessCredentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        let this = self.clone();
        Box::pin(async move {
            let (tx, rx) = tokio::sync::oneshot::channel();
            std::thread::spawn(move || {
                let _ = tx.send(this.run_blocking());
            });
            rx.await.unwrap_or_else(|_| {
                Err(CredentialsError::Process {
                    profile: self.profile.clone(),
                    problem: "the thread running the command ended without a result".into(),
                })
            })
        })
    }
}
