//! Client configuration (region, endpoint URL, FIPS, dual-stack, regional/legacy STS
//! endpoints) read from the environment the way the AWS SDKs read it.
//!
//! Loading is a pure function of lookup functions, so it is tested without touching the
//! process environment; [`ClientConfig::from_env`] is the thin adapter over `std::env`.
//!
//! | Setting | Environment (first wins) | Profile key (after the environment) |
//! |---|---|---|
//! | region | `AWS_REGION`, `AWS_DEFAULT_REGION` | `region` |
//! | endpoint URL | `AWS_ENDPOINT_URL_STS`, `AWS_ENDPOINT_URL` | `services.sts.endpoint_url`, `endpoint_url` |
//! | regional endpoints | `AWS_STS_REGIONAL_ENDPOINTS` | `sts_regional_endpoints` |
//! | FIPS | `AWS_USE_FIPS_ENDPOINT` | `use_fips_endpoint` |
//! | dual-stack | `AWS_USE_DUALSTACK_ENDPOINT` | `use_dualstack_endpoint` |
//! | ignore configured endpoint URLs | `AWS_IGNORE_CONFIGURED_ENDPOINT_URLS` | `ignore_configured_endpoint_urls` |
//!
//! The endpoint URL order is the SDKs': service-specific variable, global variable,
//! service-specific profile value, global profile value. An empty (or blank) value counts as
//! unset. Booleans are `true` or `false`, ASCII case-insensitive; anything else is an error
//! naming the variable.
//!
//! ```
//! use sts_client::config::ClientConfig;
//! let env = |name: &str| match name {
//!     "AWS_REGION" => Some("eu-west-1".to_owned()),
//!     "AWS_USE_DUALSTACK_ENDPOINT" => Some("true".to_owned()),
//!     _ => None,
//! };
//! let config = ClientConfig::from_env_vars(env).unwrap();
//! assert_eq!(config.resolve().unwrap().url, "https://sts.eu-west-1.api.aws");
//! ```

use crate::endpoint::{
    resolve_endpoint, validate_custom_endpoint, validate_region, EndpointError, EndpointParams,
    InvalidRegionalEndpoints, RegionalEndpoints, ResolvedEndpoint,
};

/// Why a configuration could not be loaded or resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    /// A boolean setting with a value other than `true` or `false`.
    #[error("invalid value {value:?} for {setting}: expected \"true\" or \"false\"")]
    InvalidBool {
        /// The variable or profile key.
        setting: String,
        /// The value as given.
        value: String,
    },
    /// `AWS_STS_REGIONAL_ENDPOINTS` / `sts_regional_endpoints` other than `regional` or
    /// `legacy`.
    #[error(transparent)]
    InvalidRegionalEndpoints(#[from] InvalidRegionalEndpoints),
    /// A region or endpoint URL setting with an unusable value.
    #[error("invalid {setting}: {source}")]
    InvalidSetting {
        /// The variable or profile key.
        setting: String,
        /// What is wrong with the value.
        source: EndpointError,
    },
    /// No region and no endpoint URL: there is no endpoint to send requests to. (There is
    /// deliberately no silent fallback to the global endpoint.)
    #[error(
        "no region configured: set AWS_REGION (or AWS_DEFAULT_REGION), `region` in the profile, \
         or ClientConfig::with_region; or give an endpoint URL"
    )]
    MissingRegion,
    /// The settings are individually valid but cannot be combined (for example FIPS with a
    /// custom endpoint URL).
    #[error(transparent)]
    Endpoint(#[from] EndpointError),
}

/// The client's endpoint-related configuration.
///
/// Build it from the environment ([`ClientConfig::from_env`]), from lookups
/// ([`ClientConfig::from_lookups`]), or from [`ClientConfig::new`]; override any setting with
/// the `with_*` methods; turn it into an endpoint with [`ClientConfig::resolve`].
///
/// ```
/// use sts_client::config::ClientConfig;
/// let config = ClientConfig::new()
///     .with_region("us-east-1")
///     .with_endpoint_url("http://127.0.0.1:5050");
/// let resolved = config.resolve().unwrap();
/// assert_eq!(resolved.url, "http://127.0.0.1:5050");
/// assert_eq!(resolved.signing_region.as_deref(), Some("us-east-1"));
/// ```
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ClientConfig {
    region: Option<String>,
    endpoint_url: Option<String>,
    regional_endpoints: RegionalEndpoints,
    use_fips: bool,
    use_dual_stack: bool,
    ignore_configured_endpoint_urls: bool,
}

/// Where one setting may come from, in precedence order.
#[derive(Clone, Copy)]
enum Key {
    Env(&'static str),
    Profile(&'static str),
}

/// A value found for a setting, with a name for its source to put in errors.
struct Found {
    setting: String,
    value: String,
}

struct Lookups<E, P> {
    env: E,
    profile: P,
}

impl<E: Fn(&str) -> Option<String>, P: Fn(&str) -> Option<String>> Lookups<E, P> {
    fn first(&self, keys: &[Key]) -> Option<Found> {
        keys.iter().find_map(|key| {
            let (value, setting) = match *key {
                Key::Env(name) => ((self.env)(name), name.to_owned()),
                Key::Profile(name) => ((self.profile)(name), format!("profile key {name}")),
            };
            value
                .filter(|v| !v.trim().is_empty())
                .map(|value| Found { setting, value })
        })
    }

    fn bool(&self, keys: &[Key]) -> Result<Option<bool>, ConfigError> {
        self.first(keys)
            .map(|found| {
                let v = found.value.trim();
                if v.eq_ignore_ascii_case("true") {
                    Ok(true)
                } else if v.eq_ignore_ascii_case("false") {
                    Ok(false)
                } else {
                    Err(ConfigError::InvalidBool {
                        setting: found.setting,
                        value: found.value,
                    })
                }
            })
            .transpose()
    }
}

const REGION: &[Key] = &[
    Key::Env("AWS_REGION"),
    Key::Env("AWS_DEFAULT_REGION"),
    Key::Profile("region"),
];
const ENDPOINT_URL: &[Key] = &[
    Key::Env("AWS_ENDPOINT_URL_STS"),
    Key::Env("AWS_ENDPOINT_URL"),
    Key::Profile("services.sts.endpoint_url"),
    Key::Profile("endpoint_url"),
];
const REGIONAL_ENDPOINTS: &[Key] = &[
    Key::Env(RegionalEndpoints::ENV_VAR),
    Key::Profile(RegionalEndpoints::PROFILE_KEY),
];
const USE_FIPS: &[Key] = &[
    Key::Env("AWS_USE_FIPS_ENDPOINT"),
    Key::Profile("use_fips_endpoint"),
];
const USE_DUAL_STACK: &[Key] = &[
    Key::Env("AWS_USE_DUALSTACK_ENDPOINT"),
    Key::Profile("use_dualstack_endpoint"),
];
const IGNORE_CONFIGURED_ENDPOINT_URLS: &[Key] = &[
    Key::Env("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS"),
    Key::Profile("ignore_configured_endpoint_urls"),
];

impl ClientConfig {
    /// No region, no endpoint URL, regional endpoints, FIPS and dual-stack off.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the process environment (variables that are not valid UTF-8 count as unset).
    pub fn from_env() -> Result<Self, ConfigError> {
        Self::from_env_vars(|name| std::env::var(name).ok())
    }

    /// Reads the settings through `env` (called with variable names such as `AWS_REGION`).
    pub fn from_env_vars(env: impl Fn(&str) -> Option<String>) -> Result<Self, ConfigError> {
        Self::from_lookups(env, |_| None)
    }

    /// Reads the settings through two layers: `env` (variable names) first, then `profile`
    /// (shared-config key names: `region`, `endpoint_url`, `services.sts.endpoint_url` for the
    /// profile's `[services]` section, `sts_regional_endpoints`, `use_fips_endpoint`,
    /// `use_dualstack_endpoint`, `ignore_configured_endpoint_urls`). Each setting is taken
    /// from the first layer that has it; see the module table for the order.
    ///
    /// With `ignore_configured_endpoint_urls` true, endpoint URLs from either layer are not
    /// read at all (an URL set later with [`ClientConfig::with_endpoint_url`] still counts).
    ///
    /// ```
    /// use sts_client::config::ClientConfig;
    /// let env = |name: &str| (name == "AWS_REGION").then(|| "eu-west-1".to_owned());
    /// let profile = |key: &str| match key {
    ///     "region" => Some("us-west-2".to_owned()),
    ///     "use_fips_endpoint" => Some("true".to_owned()),
    ///     _ => None,
    /// };
    /// let config = ClientConfig::from_lookups(env, profile).unwrap();
    /// assert_eq!(config.region(), Some("eu-west-1"));
    /// assert!(config.use_fips());
    /// ```
    pub fn from_lookups(
        env: impl Fn(&str) -> Option<String>,
        profile: impl Fn(&str) -> Option<String>,
    ) -> Result<Self, ConfigError> {
        let lookups = Lookups { env, profile };

        let region = match lookups.first(REGION) {
            Some(found) => {
                let region = found.value.trim().to_owned();
                validate_region(&region).map_err(|source| ConfigError::InvalidSetting {
                    setting: found.setting,
                    source,
                })?;
                Some(region)
            }
            None => None,
        };

        let ignore_configured_endpoint_urls = lookups
            .bool(IGNORE_CONFIGURED_ENDPOINT_URLS)?
            .unwrap_or(false);
        let endpoint_url = match lookups.first(ENDPOINT_URL) {
            Some(found) if !ignore_configured_endpoint_urls => {
                let url = found.value.trim().to_owned();
                validate_custom_endpoint(&url).map_err(|source| ConfigError::InvalidSetting {
                    setting: found.setting,
                    source,
                })?;
                Some(url)
            }
            _ => None,
        };

        let regional_endpoints = match lookups.first(REGIONAL_ENDPOINTS) {
            Some(found) => RegionalEndpoints::parse_setting(&found.setting, &found.value)?,
            None => RegionalEndpoints::default(),
        };

        Ok(Self {
            region,
            endpoint_url,
            regional_endpoints,
            use_fips: lookups.bool(USE_FIPS)?.unwrap_or(false),
            use_dual_stack: lookups.bool(USE_DUAL_STACK)?.unwrap_or(false),
            ignore_configured_endpoint_urls,
        })
    }

    /// Sets the region.
    pub fn with_region(mut self, region: impl Into<String>) -> Self {
        self.region = Some(region.into());
        self
    }

    /// Removes the region.
    pub fn without_region(mut self) -> Self {
        self.region = None;
        self
    }

    /// Sets a custom endpoint URL (honoured even when configured URLs are ignored).
    pub fn with_endpoint_url(mut self, url: impl Into<String>) -> Self {
        self.endpoint_url = Some(url.into());
        self
    }

    /// Removes the custom endpoint URL.
    pub fn without_endpoint_url(mut self) -> Self {
        self.endpoint_url = None;
        self
    }

    /// Sets regional or legacy (global for 16 regions) STS endpoints.
    pub fn with_regional_endpoints(mut self, mode: RegionalEndpoints) -> Self {
        self.regional_endpoints = mode;
        self
    }

    /// Turns FIPS endpoints on or off.
    pub fn with_use_fips(mut self, on: bool) -> Self {
        self.use_fips = on;
        self
    }

    /// Turns dual-stack endpoints on or off.
    pub fn with_use_dual_stack(mut self, on: bool) -> Self {
        self.use_dual_stack = on;
        self
    }

    /// The region, if any.
    pub fn region(&self) -> Option<&str> {
        self.region.as_deref()
    }

    /// The custom endpoint URL, if any.
    pub fn endpoint_url(&self) -> Option<&str> {
        self.endpoint_url.as_deref()
    }

    /// Regional or legacy STS endpoints.
    pub fn regional_endpoints(&self) -> RegionalEndpoints {
        self.regional_endpoints
    }

    /// Whether FIPS endpoints are used.
    pub fn use_fips(&self) -> bool {
        self.use_fips
    }

    /// Whether dual-stack endpoints are used.
    pub fn use_dual_stack(&self) -> bool {
        self.use_dual_stack
    }

    /// Whether endpoint URLs from the environment and profile were ignored when loading.
    pub fn ignore_configured_endpoint_urls(&self) -> bool {
        self.ignore_configured_endpoint_urls
    }

    /// The endpoint resolver's inputs; `use_global_endpoint` is set only in legacy mode for
    /// the 16 legacy regions without custom endpoint, FIPS or dual-stack.
    pub fn to_endpoint_params(&self) -> EndpointParams {
        EndpointParams {
            region: self.region.clone(),
            use_fips: self.use_fips,
            use_dual_stack: self.use_dual_stack,
            use_global_endpoint: self.regional_endpoints.use_global_endpoint(
                self.region.as_deref(),
                self.endpoint_url.is_some(),
                self.use_fips,
                self.use_dual_stack,
            ),
            endpoint: self.endpoint_url.clone(),
        }
    }

    /// Resolves the endpoint. Without a region and without an endpoint URL this is
    /// [`ConfigError::MissingRegion`].
    pub fn resolve(&self) -> Result<ResolvedEndpoint, ConfigError> {
        if self.region.is_none() && self.endpoint_url.is_none() {
            return Err(ConfigError::MissingRegion);
        }
        Ok(resolve_endpoint(&self.to_endpoint_params())?)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn lookup(pairs: &[(&str, &str)]) -> impl Fn(&str) -> Option<String> {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        move |name| map.get(name).cloned()
    }

    fn env(pairs: &[(&str, &str)]) -> Result<ClientConfig, ConfigError> {
        ClientConfig::from_env_vars(lookup(pairs))
    }

    #[test]
    fn empty_environment_is_the_default_and_has_no_endpoint() {
        let config = env(&[]).unwrap();
        assert_eq!(config, ClientConfig::new());
        assert_eq!(config.resolve(), Err(ConfigError::MissingRegion));
        assert!(ConfigError::MissingRegion
            .to_string()
            .contains("AWS_REGION"));
    }

    #[test]
    fn region_prefers_aws_region_over_aws_default_region() {
        let both = env(&[
            ("AWS_REGION", "eu-west-1"),
            ("AWS_DEFAULT_REGION", "us-west-2"),
        ]);
        assert_eq!(both.unwrap().region(), Some("eu-west-1"));
        let default_only = env(&[("AWS_DEFAULT_REGION", "us-west-2")]).unwrap();
        assert_eq!(default_only.region(), Some("us-west-2"));
        assert_eq!(
            default_only.resolve().unwrap().url,
            "https://sts.us-west-2.amazonaws.com"
        );
        // An empty AWS_REGION counts as unset.
        let empty = env(&[("AWS_REGION", ""), ("AWS_DEFAULT_REGION", "us-west-2")]);
        assert_eq!(empty.unwrap().region(), Some("us-west-2"));
    }

    #[test]
    fn bad_region_names_the_variable() {
        let err = env(&[("AWS_DEFAULT_REGION", "evil.com/x")]).unwrap_err();
        assert!(
            matches!(&err, ConfigError::InvalidSetting { setting, .. } if setting == "AWS_DEFAULT_REGION")
        );
        assert!(err.to_string().contains("AWS_DEFAULT_REGION"), "{err}");
        assert!(err.to_string().contains("evil.com/x"), "{err}");
    }

    #[test]
    fn endpoint_url_prefers_the_sts_variable() {
        let both = env(&[
            ("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:5050"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:9999"),
        ]);
        assert_eq!(both.unwrap().endpoint_url(), Some("http://127.0.0.1:5050"));
        let global = env(&[("AWS_ENDPOINT_URL", "http://127.0.0.1:9999")]).unwrap();
        assert_eq!(global.endpoint_url(), Some("http://127.0.0.1:9999"));
        // A custom endpoint without a region resolves, but there is no region to sign for.
        let resolved = global.resolve().unwrap();
        assert_eq!(resolved.url, "http://127.0.0.1:9999");
        assert_eq!(resolved.signing_region, None);
    }

    #[test]
    fn bad_endpoint_url_names_the_variable_and_hides_passwords() {
        let err = env(&[("AWS_ENDPOINT_URL_STS", "https://me:hunter2@example.com")]).unwrap_err();
        let text = err.to_string();
        assert!(text.contains("AWS_ENDPOINT_URL_STS"), "{text}");
        assert!(!text.contains("hunter2"), "{text}");
        assert!(!format!("{err:?}").contains("hunter2"));
        let err = env(&[("AWS_ENDPOINT_URL", "localhost:5050")]).unwrap_err();
        assert!(err.to_string().contains("AWS_ENDPOINT_URL:"), "{err}");
    }

    #[test]
    fn ignore_configured_endpoint_urls() {
        let vars = [
            ("AWS_REGION", "eu-west-1"),
            ("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:5050"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "TRUE"),
        ];
        let config = env(&vars).unwrap();
        assert!(config.ignore_configured_endpoint_urls());
        assert_eq!(config.endpoint_url(), None);
        assert_eq!(
            config.resolve().unwrap().url,
            "https://sts.eu-west-1.amazonaws.com"
        );
        // An URL set in code still counts.
        let coded = config.with_endpoint_url("http://127.0.0.1:6000");
        assert_eq!(coded.resolve().unwrap().url, "http://127.0.0.1:6000");
        // "false" keeps the configured URL; a bad URL is not even read when ignored.
        let kept = env(&[
            ("AWS_ENDPOINT_URL_STS", "http://127.0.0.1:5050"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false"),
        ]);
        assert_eq!(kept.unwrap().endpoint_url(), Some("http://127.0.0.1:5050"));
        let bad_but_ignored = env(&[
            ("AWS_ENDPOINT_URL", "not a url"),
            ("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true"),
        ]);
        assert_eq!(bad_but_ignored.unwrap().endpoint_url(), None);
    }

    #[test]
    fn booleans() {
        for (value, expected) in [
            ("true", true),
            ("True", true),
            (" FALSE ", false),
            ("false", false),
        ] {
            let fips = env(&[("AWS_USE_FIPS_ENDPOINT", value)]).unwrap();
            assert_eq!(fips.use_fips(), expected, "{value:?}");
            let dual = env(&[("AWS_USE_DUALSTACK_ENDPOINT", value)]).unwrap();
            assert_eq!(dual.use_dual_stack(), expected, "{value:?}");
        }
        for var in [
            "AWS_USE_FIPS_ENDPOINT",
            "AWS_USE_DUALSTACK_ENDPOINT",
            "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS",
        ] {
            for value in ["1", "yes", "on", "tru"] {
                let err = env(&[(var, value)]).unwrap_err();
                assert_eq!(
                    err,
                    ConfigError::InvalidBool {
                        setting: var.to_owned(),
                        value: value.to_owned()
                    }
                );
                assert!(err.to_string().contains(var), "{err}");
            }
        }
    }

    #[test]
    fn fips_and_dual_stack_reach_the_resolver() {
        let config = env(&[
            ("AWS_REGION", "us-west-2"),
            ("AWS_USE_FIPS_ENDPOINT", "true"),
            ("AWS_USE_DUALSTACK_ENDPOINT", "true"),
        ])
        .unwrap();
        assert_eq!(
            config.resolve().unwrap().url,
            "https://sts-fips.us-west-2.api.aws"
        );
        // FIPS with a custom endpoint is the resolver's error.
        let clash = env(&[
            ("AWS_REGION", "us-west-2"),
            ("AWS_USE_FIPS_ENDPOINT", "true"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:5050"),
        ])
        .unwrap();
        assert_eq!(
            clash.resolve(),
            Err(ConfigError::Endpoint(EndpointError::FipsWithCustomEndpoint))
        );
    }

    #[test]
    fn regional_endpoints_setting() {
        let legacy = env(&[
            ("AWS_REGION", "eu-west-1"),
            ("AWS_STS_REGIONAL_ENDPOINTS", "legacy"),
        ])
        .unwrap();
        assert_eq!(legacy.regional_endpoints(), RegionalEndpoints::Legacy);
        assert!(legacy.to_endpoint_params().use_global_endpoint);
        let resolved = legacy.resolve().unwrap();
        assert_eq!(resolved.url, "https://sts.amazonaws.com");
        assert_eq!(resolved.signing_region.as_deref(), Some("us-east-1"));
        // Legacy with an opt-in region stays regional; legacy with FIPS too.
        let opt_in = legacy.clone().with_region("ap-east-1");
        assert_eq!(
            opt_in.resolve().unwrap().url,
            "https://sts.ap-east-1.amazonaws.com"
        );
        let fips = legacy.clone().with_use_fips(true);
        assert!(!fips.to_endpoint_params().use_global_endpoint);
        // The default is regional, even in us-east-1.
        let default = env(&[("AWS_REGION", "us-east-1")]).unwrap();
        assert_eq!(default.regional_endpoints(), RegionalEndpoints::Regional);
        assert_eq!(
            default.resolve().unwrap().url,
            "https://sts.us-east-1.amazonaws.com"
        );

        let err = env(&[("AWS_STS_REGIONAL_ENDPOINTS", "global")]).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains("AWS_STS_REGIONAL_ENDPOINTS") && text.contains("global"),
            "{text}"
        );
    }

    #[test]
    fn setters_override_the_environment() {
        let config = env(&[
            ("AWS_REGION", "eu-west-1"),
            ("AWS_ENDPOINT_URL", "http://127.0.0.1:5050"),
            ("AWS_USE_DUALSTACK_ENDPOINT", "true"),
        ])
        .unwrap()
        .with_region("us-west-2")
        .without_endpoint_url()
        .with_use_dual_stack(false)
        .with_use_fips(true)
        .with_regional_endpoints(RegionalEndpoints::Legacy);
        assert_eq!(config.region(), Some("us-west-2"));
        assert_eq!(config.endpoint_url(), None);
        assert!(config.use_fips() && !config.use_dual_stack());
        assert_eq!(
            config.resolve().unwrap().url,
            "https://sts-fips.us-west-2.amazonaws.com"
        );
        assert_eq!(
            config.without_region().resolve(),
            Err(ConfigError::MissingRegion)
        );
        // A bad region set in code is caught by the resolver.
        let bad = ClientConfig::new().with_region("x.evil.com");
        assert!(matches!(
            bad.resolve(),
            Err(ConfigError::Endpoint(EndpointError::InvalidRegion { .. }))
        ));
    }

    #[test]
    fn environment_wins_over_profile_setting_by_setting() {
        let profile = lookup(&[
            ("region", "us-west-2"),
            ("endpoint_url", "http://127.0.0.1:7000"),
            ("services.sts.endpoint_url", "http://127.0.0.1:7001"),
            ("use_fips_endpoint", "false"),
            ("use_dualstack_endpoint", "true"),
            ("sts_regional_endpoints", "legacy"),
        ]);
        let env_vars = lookup(&[
            ("AWS_REGION", "eu-west-1"),
            ("AWS_USE_FIPS_ENDPOINT", "true"),
        ]);
        let config = ClientConfig::from_lookups(env_vars, &profile).unwrap();
        assert_eq!(config.region(), Some("eu-west-1"));
        assert!(config.use_fips());
        assert!(config.use_dual_stack());
        assert_eq!(config.regional_endpoints(), RegionalEndpoints::Legacy);
        // The profile's service-specific URL beats its global one...
        assert_eq!(config.endpoint_url(), Some("http://127.0.0.1:7001"));
        // ...and any environment URL beats both.
        let env_url = lookup(&[("AWS_ENDPOINT_URL", "http://127.0.0.1:5050")]);
        let config = ClientConfig::from_lookups(env_url, &profile).unwrap();
        assert_eq!(config.endpoint_url(), Some("http://127.0.0.1:5050"));
        // The profile alone is enough.
        let config = ClientConfig::from_lookups(|_| None, lookup(&[("region", "ca-central-1")]));
        assert_eq!(
            config.unwrap().resolve().unwrap().url,
            "https://sts.ca-central-1.amazonaws.com"
        );
        // Profile errors name the profile key.
        let err = ClientConfig::from_lookups(|_| None, lookup(&[("use_fips_endpoint", "1")]))
            .unwrap_err();
        assert!(
            err.to_string().contains("profile key use_fips_endpoint"),
            "{err}"
        );
        // ignore_configured_endpoint_urls in the profile drops profile and env URLs.
        let config = ClientConfig::from_lookups(
            lookup(&[("AWS_ENDPOINT_URL", "http://127.0.0.1:5050")]),
            lookup(&[("ignore_configured_endpoint_urls", "true")]),
        )
        .unwrap();
        assert_eq!(config.endpoint_url(), None);
    }
}
