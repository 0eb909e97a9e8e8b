//! Profiles of the shared `config` and `credentials` files, and the credentials they name.
//!
//! [`ProfileSet`] holds the parsed files (see [`parse`](self) rules in the parser's docs:
//! configparser semantics as the AWS CLI uses them). [`ProfileCredentialsPlan::resolve`]
//! turns a profile into a plan: where the first credentials come from, then the roles to
//! assume in order. [`ProfileCredentials`] carries a plan out, calling the
//! [`AssumeRoleProvider`](super::AssumeRoleProvider) hook for each role.

mod parse;
mod plan;
mod provider;

pub use parse::Value;
pub use plan::{BaseCredentials, CredentialSource, ProfileCredentialsPlan, ProfileStep};
pub use provider::ProfileCredentials;

use super::{CredentialsError, EnvLookup};
use std::collections::BTreeMap;
use std::fmt;
use std::path::{Path, PathBuf};

/// One profile (or `sso-session` / `services` section): its settings by lower-cased key.
///
/// `Debug` lists the keys only: values include secret keys.
#[derive(Clone, PartialEq, Eq)]
pub struct Profile {
    name: String,
    values: BTreeMap<String, Value>,
}

impl Profile {
    /// The profile's name (`default`, `dev`; without the `profile ` prefix).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// A plain setting; `None` when absent or a sub-section.
    pub fn get(&self, key: &str) -> Option<&str> {
        match self.values.get(key) {
            Some(Value::Text(text)) => Some(text),
            _ => None,
        }
    }

    /// A setting of either kind.
    pub fn value(&self, key: &str) -> Option<&Value> {
        self.values.get(key)
    }

    /// Whether the key is set (to anything).
    pub fn contains(&self, key: &str) -> bool {
        self.values.contains_key(key)
    }

    pub(crate) fn has_static_credentials(&self) -> bool {
        self.contains("aws_access_key_id") || self.contains("aws_secret_access_key")
    }
}

impl fmt::Debug for Profile {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Profile")
            .field("name", &self.name)
            .field("keys", &self.values.keys().collect::<Vec<_>>())
            .finish()
    }
}

impl fmt::Debug for Value {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Value::Text(_) => f.write_str("Text(..)"),
            Value::SubSection(map) => f
                .debug_tuple("SubSection")
                .field(&map.keys().collect::<Vec<_>>())
                .finish(),
        }
    }
}

/// Where the shared files are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProfileFiles {
    /// The config file (`AWS_CONFIG_FILE`, default `~/.aws/config`).
    pub config: PathBuf,
    /// The credentials file (`AWS_SHARED_CREDENTIALS_FILE`, default `~/.aws/credentials`).
    pub credentials: PathBuf,
}

impl ProfileFiles {
    /// From `AWS_CONFIG_FILE` and `AWS_SHARED_CREDENTIALS_FILE`, else under the home directory
    /// (`HOME`, or `USERPROFILE` on Windows); a leading `~` is expanded. Without a home
    /// directory and without the variables, the source is not configured.
    ///
    /// ```
    /// use sts_client::credentials::{profile::ProfileFiles, EnvLookup};
    /// let env = EnvLookup::from_pairs([("HOME", "/home/me"), ("AWS_CONFIG_FILE", "~/cfg")]);
    /// let files = ProfileFiles::from_env(&env).unwrap();
    /// assert_eq!(files.config, std::path::Path::new("/home/me/cfg"));
    /// assert_eq!(files.credentials, std::path::Path::new("/home/me/.aws/credentials"));
    /// ```
    pub fn from_env(env: &EnvLookup) -> Result<Self, CredentialsError> {
        let home = env
            .get("HOME")
            .or_else(|| cfg!(windows).then(|| env.get("USERPROFILE")).flatten());
        let resolve = |var: &str, default: &str| -> Result<PathBuf, CredentialsError> {
            match env.get(var) {
                Some(path) => match (path.strip_prefix('~'), &home) {
                    (Some(rest), Some(home))
                        if rest.is_empty() || rest.starts_with(['/', '\\']) =>
                    {
                        Ok(PathBuf::from(format!("{home}{rest}")))
                    }
                    _ => Ok(PathBuf::from(path)),
                },
                None => match &home {
                    Some(home) => Ok(Path::new(home).join(".aws").join(default)),
                    None => Err(CredentialsError::not_configured(format!(
                        "{var} is not set and there is no home directory"
                    ))),
                },
            }
        };
        Ok(Self {
            config: resolve("AWS_CONFIG_FILE", "config")?,
            credentials: resolve("AWS_SHARED_CREDENTIALS_FILE", "credentials")?,
        })
    }
}

/// The profiles of the config and credentials files, merged as the AWS CLI merges them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ProfileSet {
    profiles: BTreeMap<String, Profile>,
    sso_sessions: BTreeMap<String, Profile>,
    services: BTreeMap<String, Profile>,
}

impl ProfileSet {
    /// Parses the two files' text. In the config file, profiles are `[default]` and
    /// `[profile name]` (`[name]` alone is not a profile); in the credentials file, `[name]`.
    /// For a profile in both, the credentials file's keys win.
    ///
    /// ```
    /// use sts_client::credentials::profile::ProfileSet;
    /// use std::path::Path;
    /// let config = "[profile dev]\nregion = eu-west-1\n[dev]\nregion = ignored\n";
    /// let credentials = "[dev]\naws_access_key_id = AKID\n";
    /// let set = ProfileSet::parse(
    ///     Some((Path::new("config"), config)),
    ///     Some((Path::new("credentials"), credentials)),
    /// ).unwrap();
    /// let dev = set.profile("dev").unwrap();
    /// assert_eq!(dev.get("region"), Some("eu-west-1"));
    /// assert_eq!(dev.get("aws_access_key_id"), Some("AKID"));
    /// ```
    pub fn parse(
        config: Option<(&Path, &str)>,
        credentials: Option<(&Path, &str)>,
    ) -> Result<Self, CredentialsError> {
        let mut set = Self::default();
        if let Some((path, text)) = config {
            for (section, values) in parse::parse(text, path)? {
                let (map, name) = if section.starts_with("profile") {
                    match two_words(&section) {
                        Some(name) => (&mut set.profiles, name),
                        None => continue,
                    }
                } else if section.starts_with("sso-session") {
                    match two_words(&section) {
                        Some(name) => (&mut set.sso_sessions, name),
                        None => continue,
                    }
                } else if section.starts_with("services") {
                    match two_words(&section) {
                        Some(name) => (&mut set.services, name),
                        None => continue,
                    }
                } else if section == "default" {
                    (&mut set.profiles, section)
                } else {
                    continue;
                };
                map.insert(name.clone(), Profile { name, values });
            }
        }
        if let Some((path, text)) = credentials {
            for (name, values) in parse::parse(text, path)? {
                let profile = set.profiles.entry(name.clone()).or_insert_with(|| Profile {
                    name,
                    values: BTreeMap::new(),
                });
                profile.values.extend(values);
            }
        }
        Ok(set)
    }

    /// Reads and parses the files; a missing file counts as empty.
    pub fn load(files: &ProfileFiles) -> Result<Self, CredentialsError> {
        let config = read_optional(&files.config)?;
        let credentials = read_optional(&files.credentials)?;
        Self::parse(
            config
                .as_deref()
                .map(|t| (files.config.as_path(), t.as_str())),
            credentials
                .as_deref()
                .map(|t| (files.credentials.as_path(), t.as_str())),
        )
    }

    /// A profile by name.
    pub fn profile(&self, name: &str) -> Option<&Profile> {
        self.profiles.get(name)
    }

    /// The profile names.
    pub fn profile_names(&self) -> impl Iterator<Item = &str> {
        self.profiles.keys().map(String::as_str)
    }

    /// An `[sso-session name]` section.
    pub fn sso_session(&self, name: &str) -> Option<&Profile> {
        self.sso_sessions.get(name)
    }

    /// A `[services name]` section.
    pub fn services(&self, name: &str) -> Option<&Profile> {
        self.services.get(name)
    }

    /// The client settings of a profile (absent profile: all unset).
    pub fn client_settings(&self, profile: &str) -> ClientSettings {
        let Some(p) = self.profile(profile) else {
            return ClientSettings::default();
        };
        let sts_endpoint_url = p
            .get("services")
            .and_then(|name| self.services(name))
            .and_then(|services| match services.value("sts") {
                Some(Value::SubSection(sub)) => sub.get("endpoint_url").cloned(),
                _ => None,
            });
        let flag = |key: &str| p.get(key).map(|v| v.eq_ignore_ascii_case("true"));
        ClientSettings {
            region: p.get("region").map(str::to_owned),
            sts_regional_endpoints: p.get("sts_regional_endpoints").map(str::to_owned),
            endpoint_url: p.get("endpoint_url").map(str::to_owned),
            sts_endpoint_url,
            use_fips_endpoint: flag("use_fips_endpoint"),
            use_dualstack_endpoint: flag("use_dualstack_endpoint"),
        }
    }
}

/// What a profile says about the client (not credentials).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
#[non_exhaustive]
pub struct ClientSettings {
    /// `region`.
    pub region: Option<String>,
    /// `sts_regional_endpoints` (`legacy` or `regional`).
    pub sts_regional_endpoints: Option<String>,
    /// `endpoint_url` (all services).
    pub endpoint_url: Option<String>,
    /// `endpoint_url` of the `sts` sub-section of the profile's `[services name]` section.
    pub sts_endpoint_url: Option<String>,
    /// `use_fips_endpoint` (`true`, case-insensitive, is true; anything else false).
    pub use_fips_endpoint: Option<bool>,
    /// `use_dualstack_endpoint` (same rule).
    pub use_dualstack_endpoint: Option<bool>,
}

/// The profile to use: `AWS_DEFAULT_PROFILE`, then `AWS_PROFILE` (botocore's order), else
/// `None` (meaning `default`, not explicitly chosen).
pub fn profile_name_from_env(env: &EnvLookup) -> Option<String> {
    env.get("AWS_DEFAULT_PROFILE")
        .or_else(|| env.get("AWS_PROFILE"))
}

/// `profile name` -> `name`, with shell-like quoting (`[profile "my name"]`), as botocore's
/// `shlex.split` of the section name; anything other than two words is not a profile.
fn two_words(section: &str) -> Option<String> {
    let words = super::process::split_command_line(section).ok()?;
    match <[String; 2]>::try_from(words) {
        Ok([_, name]) => Some(name),
        Err(_) => None,
    }
}

fn read_optional(path: &Path) -> Result<Option<zeroize::Zeroizing<String>>, CredentialsError> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(zeroize::Zeroizing::new(text))),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CredentialsError::io(path, e)),
    }
}
