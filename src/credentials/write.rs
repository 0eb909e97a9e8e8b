//! Writing credentials out: into the credentials file, as shell exports, as
//! `credential_process` JSON.
//!
//! These functions exist to output secrets: what they return or write contains the secret
//! access key and session token in clear text.

use super::{Credentials, CredentialsError};
use std::io::Write;
use std::path::Path;
use time::format_description::well_known::Rfc3339;

const KEYS: [&str; 3] = [
    "aws_access_key_id",
    "aws_secret_access_key",
    "aws_session_token",
];

/// Writes `credentials` into `[profile]` of the credentials file at `path`, as
/// `aws configure set` would: keys already in the section are updated in place, missing ones
/// appended to the section, a stale `aws_session_token` removed when the new credentials have
/// none; every other line (other profiles, other keys, comments) is kept as it was.
///
/// The file is replaced atomically (a private temporary file in the same directory, synced,
/// then renamed over it), is created with its directory if missing, and has mode 0600 on
/// Unix. The file then holds the secret in clear text, as the AWS CLI's does.
///
/// ```
/// use sts_client::credentials::write_profile_credentials;
/// use sts_client::Credentials;
/// let dir = tempfile::tempdir().unwrap();
/// let path = dir.path().join(".aws/credentials");
/// let creds = Credentials::new("ASIAEXAMPLE", "secret").with_session_token("token");
/// write_profile_credentials(&path, "temp", &creds).unwrap();
/// let text = std::fs::read_to_string(&path).unwrap();
/// assert!(text.contains("[temp]\naws_access_key_id = ASIAEXAMPLE\n"));
/// ```
pub fn write_profile_credentials(
    path: &Path,
    profile: &str,
    credentials: &Credentials,
) -> Result<(), CredentialsError> {
    let invalid = |problem: &str| CredentialsError::InvalidProfile {
        profile: profile.to_owned(),
        problem: problem.to_owned(),
    };
    if profile.is_empty() || profile.contains(['[', ']', '\n', '\r']) {
        return Err(invalid(
            "a profile name cannot be empty or contain [, ] or a line break",
        ));
    }
    let values: [Option<&str>; 3] = [
        Some(credentials.access_key_id()),
        Some(credentials.secret_access_key().expose()),
        credentials.session_token().map(|t| t.expose()),
    ];
    if values
        .iter()
        .flatten()
        .any(|v| v.contains(['\n', '\r']) || v.trim() != *v || v.is_empty())
    {
        return Err(invalid(
            "credential values cannot be empty, contain line breaks or surrounding spaces",
        ));
    }
    let existing = match std::fs::read_to_string(path) {
        Ok(text) => zeroize::Zeroizing::new(text),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            zeroize::Zeroizing::new(String::new())
        }
        Err(e) => return Err(CredentialsError::io(path, e)),
    };
    let updated = zeroize::Zeroizing::new(update_section(&existing, profile, &values));
    write_atomically(path, updated.as_bytes())
}

fn is_header(line: &str) -> Option<&str> {
    let rest = line.trim().strip_prefix('[')?;
    let end = rest.rfind(']')?;
    Some(&rest[..end])
}

fn update_section(text: &str, profile: &str, values: &[Option<&str>; 3]) -> String {
    let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
    let start = lines.iter().position(|l| is_header(l) == Some(profile));
    let Some(start) = start else {
        if lines.last().is_some_and(|l| !l.trim().is_empty()) {
            lines.push(String::new());
        }
        lines.push(format!("[{profile}]"));
        for (key, value) in KEYS.iter().zip(values) {
            if let Some(value) = value {
                lines.push(format!("{key} = {value}"));
            }
        }
        return lines.join("\n") + "\n";
    };
    let end = lines[start + 1..]
        .iter()
        .position(|l| is_header(l).is_some())
        .map_or(lines.len(), |i| start + 1 + i);
    let mut section: Vec<String> = Vec::new();
    let mut written = [false; 3];
    let mut skipping_indent: Option<usize> = None;
    for line in &lines[start + 1..end] {
        let trimmed = line.trim();
        let indent = line.len() - line.trim_start().len();
        if let Some(key_indent) = skipping_indent {
            if !trimmed.is_empty() && indent > key_indent {
                continue; // a continuation line of a replaced key
            }
            skipping_indent = None;
        }
        let key = trimmed
            .find(['=', ':'])
            .filter(|_| !trimmed.starts_with(['#', ';']))
            .map(|i| trimmed[..i].trim().to_lowercase());
        match key.and_then(|k| KEYS.iter().position(|known| *known == k)) {
            Some(i) => {
                skipping_indent = Some(indent);
                if !written[i] {
                    written[i] = true;
                    if let Some(value) = values[i] {
                        section.push(format!("{} = {value}", KEYS[i]));
                    }
                }
            }
            None => section.push(line.clone()),
        }
    }
    let insert_at = section
        .iter()
        .rposition(|l| !l.trim().is_empty())
        .map_or(0, |i| i + 1);
    let missing: Vec<String> = KEYS
        .iter()
        .zip(values)
        .zip(written)
        .filter_map(|((key, value), done)| match (value, done) {
            (Some(value), false) => Some(format!("{key} = {value}")),
            _ => None,
        })
        .collect();
    section.splice(insert_at..insert_at, missing);
    let mut out: Vec<String> = lines[..=start].to_vec();
    out.extend(section);
    out.extend_from_slice(&lines[end..]);
    out.join("\n") + "\n"
}

fn write_atomically(path: &Path, contents: &[u8]) -> Result<(), CredentialsError> {
    let io = |e| CredentialsError::io(path, e);
    let dir = match path.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir,
        _ => Path::new("."),
    };
    std::fs::create_dir_all(dir).map_err(io)?;
    let file_name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "credentials".into());
    let nanos = time::OffsetDateTime::now_utc().unix_timestamp_nanos();
    let temp = dir.join(format!(".{file_name}.{}.{nanos}.tmp", std::process::id()));
    let result = (|| {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let mut file = options.open(&temp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        drop(file);
        std::fs::rename(&temp, path)?;
        #[cfg(unix)]
        {
            // Make the rename itself durable; failing here loses nothing already written.
            if let Ok(dir) = std::fs::File::open(dir) {
                let _ = dir.sync_all();
            }
        }
        Ok(())
    })();
    if result.is_err() {
        let _ = std::fs::remove_file(&temp);
    }
    result.map_err(io)
}

/// Single-quotes a value for POSIX shells.
fn shell_quote(value: &str) -> String {
    format!("'{}'", value.replace('\'', r"'\''"))
}

/// The credentials as POSIX shell `export` lines (the output contains the secrets). Without
/// a session token, `unset AWS_SESSION_TOKEN` clears a stale one.
///
/// ```
/// use sts_client::credentials::render_export_lines;
/// use sts_client::Credentials;
/// let text = render_export_lines(&Credentials::new("AKID", "it's"));
/// assert_eq!(text, "export AWS_ACCESS_KEY_ID='AKID'\n\
///                   export AWS_SECRET_ACCESS_KEY='it'\\''s'\n\
///                   unset AWS_SESSION_TOKEN\n");
/// ```
pub fn render_export_lines(credentials: &Credentials) -> String {
    let mut out = format!(
        "export AWS_ACCESS_KEY_ID={}\nexport AWS_SECRET_ACCESS_KEY={}\n",
        shell_quote(credentials.access_key_id()),
        shell_quote(credentials.secret_access_key().expose())
    );
    match credentials.session_token() {
        Some(token) => {
            out += &format!("export AWS_SESSION_TOKEN={}\n", shell_quote(token.expose()))
        }
        None => out += "unset AWS_SESSION_TOKEN\n",
    }
    if let Some(expiration) = credentials
        .expiration()
        .and_then(|e| e.format(&Rfc3339).ok())
    {
        out += &format!(
            "export AWS_CREDENTIAL_EXPIRATION={}\n",
            shell_quote(&expiration)
        );
    }
    out
}

/// The credentials as the JSON a `credential_process` prints (Version 1; contains the
/// secrets).
///
/// ```
/// use sts_client::credentials::{parse_process_output, render_credential_process_json};
/// use sts_client::Credentials;
/// let creds = Credentials::new("AKID", "secret").with_session_token("token");
/// let json = render_credential_process_json(&creds);
/// assert_eq!(parse_process_output("p", json.as_bytes()).unwrap(), creds);
/// ```
pub fn render_credential_process_json(credentials: &Credentials) -> String {
    let mut object = serde_json::Map::new();
    object.insert("Version".into(), 1.into());
    object.insert("AccessKeyId".into(), credentials.access_key_id().into());
    object.insert(
        "SecretAccessKey".into(),
        credentials.secret_access_key().expose().into(),
    );
    if let Some(token) = credentials.session_token() {
        object.insert("SessionToken".into(), token.expose().into());
    }
    if let Some(expiration) = credentials
        .expiration()
        .and_then(|e| e.format(&Rfc3339).ok())
    {
        object.insert("Expiration".into(), expiration.into());
    }
    if let Some(account) = credentials.account_id() {
        object.insert("AccountId".into(), account.into());
    }
    serde_json::Value::Object(object).to_string()
}
