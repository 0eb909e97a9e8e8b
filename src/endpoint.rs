//! Endpoint resolution: which URL to send an STS request to, and which region to sign it for.
//!
//! A pure function of its inputs that follows the STS endpoint rule set (botocore's
//! `endpoint-rule-set-1.json`, partitions from `partitions.json`): regional endpoints by
//! default, the global endpoint `https://sts.amazonaws.com` only when asked for, FIPS and
//! dual-stack variants per partition, and a custom endpoint URL used as given.
//!
//! ```
//! use sts_client::endpoint::{resolve_endpoint, EndpointParams};
//! let params = EndpointParams { region: Some("eu-west-1".into()), ..Default::default() };
//! let resolved = resolve_endpoint(&params).unwrap();
//! assert_eq!(resolved.url, "https://sts.eu-west-1.amazonaws.com");
//! assert_eq!(resolved.signing_region.as_deref(), Some("eu-west-1"));
//! assert_eq!(resolved.signing_name, "sts");
//! ```

use std::fmt;
use std::str::FromStr;

/// The SigV4 signing name (service) of STS.
pub const SIGNING_NAME: &str = "sts";

/// The global endpoint, served (and signed) as `us-east-1`.
pub const GLOBAL_ENDPOINT_URL: &str = "https://sts.amazonaws.com";

/// The region the global endpoint is signed for.
pub const GLOBAL_SIGNING_REGION: &str = "us-east-1";

/// The pseudo-region that always means the global endpoint.
pub const AWS_GLOBAL_REGION: &str = "aws-global";

/// The 16 regions for which the legacy setting (`sts_regional_endpoints = legacy`) still sends
/// requests to the global endpoint.
pub const LEGACY_GLOBAL_REGIONS: [&str; 16] = [
    "ap-northeast-1",
    "ap-south-1",
    "ap-southeast-1",
    "ap-southeast-2",
    "aws-global",
    "ca-central-1",
    "eu-central-1",
    "eu-north-1",
    "eu-west-1",
    "eu-west-2",
    "eu-west-3",
    "sa-east-1",
    "us-east-1",
    "us-east-2",
    "us-west-1",
    "us-west-2",
];

/// The inputs of endpoint resolution (the rule set's parameters).
///
/// `Default` is: no region, no custom endpoint, FIPS, dual-stack and global all off.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EndpointParams {
    /// The region (`AWS::Region`), e.g. `eu-west-1`, or `aws-global`.
    pub region: Option<String>,
    /// Use a FIPS endpoint (`AWS::UseFIPS`).
    pub use_fips: bool,
    /// Use a dual-stack (IPv4 and IPv6) endpoint (`AWS::UseDualStack`).
    pub use_dual_stack: bool,
    /// Use the global endpoint for the legacy regions (`AWS::STS::UseGlobalEndpoint`); see
    /// [`RegionalEndpoints::use_global_endpoint`] for when the SDKs set it.
    pub use_global_endpoint: bool,
    /// A custom endpoint URL (`SDK::Endpoint`), used as given.
    pub endpoint: Option<String>,
}

/// Where to send a request and how to sign it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResolvedEndpoint {
    /// The endpoint URL, e.g. `https://sts.eu-west-1.amazonaws.com` (no trailing slash unless a
    /// custom endpoint has one).
    pub url: String,
    /// The region to sign for. `None` only for a custom endpoint with no region configured:
    /// such a request cannot be signed, and the signer must say so.
    pub signing_region: Option<String>,
    /// The signing name, always [`SIGNING_NAME`] (`sts`).
    pub signing_name: &'static str,
}

/// Why no endpoint could be resolved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    /// Neither a region nor a custom endpoint was given.
    #[error("Invalid Configuration: Missing Region")]
    MissingRegion,
    /// FIPS was asked for together with a custom endpoint.
    #[error("Invalid Configuration: FIPS and custom endpoint are not supported")]
    FipsWithCustomEndpoint,
    /// Dual-stack was asked for together with a custom endpoint.
    #[error("Invalid Configuration: Dualstack and custom endpoint are not supported")]
    DualStackWithCustomEndpoint,
    /// The region is not a valid host label (it would change the URL's meaning).
    #[error("invalid region {region:?}: {reason}")]
    InvalidRegion {
        /// The region as given.
        region: String,
        /// What is wrong with it.
        reason: &'static str,
    },
    /// The custom endpoint is not a usable `http`/`https` URL.
    #[error("invalid custom endpoint URL {url:?}: {reason}")]
    InvalidEndpointUrl {
        /// The URL as given, with any user information (`user:password@`) redacted.
        url: String,
        /// What is wrong with it.
        reason: &'static str,
    },
}

/// A partition: a group of regions sharing DNS suffixes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Partition {
    name: &'static str,
    /// Region name prefixes (without the trailing `-`) of the partition's region regex, which
    /// is always `^(prefix)\-\w+\-\d+$`.
    prefixes: &'static [&'static str],
    dns_suffix: &'static str,
    dual_stack_dns_suffix: &'static str,
}

/// From botocore 1.44.8 `partitions.json`. The `aws` partition comes first: it is the fallback.
const PARTITIONS: [Partition; 8] = [
    Partition {
        name: "aws",
        prefixes: &["us", "eu", "ap", "sa", "ca", "me", "af", "il", "mx"],
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
    },
    Partition {
        name: "aws-cn",
        prefixes: &["cn"],
        dns_suffix: "amazonaws.com.cn",
        dual_stack_dns_suffix: "api.amazonwebservices.com.cn",
    },
    Partition {
        name: "aws-us-gov",
        prefixes: &["us-gov"],
        dns_suffix: "amazonaws.com",
        dual_stack_dns_suffix: "api.aws",
    },
    Partition {
        name: "aws-eusc",
        prefixes: &["eusc-de"],
        dns_suffix: "amazonaws.eu",
        dual_stack_dns_suffix: "api.amazonwebservices.eu",
    },
    Partition {
        name: "aws-iso",
        prefixes: &["us-iso"],
        dns_suffix: "c2s.ic.gov",
        dual_stack_dns_suffix: "api.aws.ic.gov",
    },
    Partition {
        name: "aws-iso-b",
        prefixes: &["us-isob"],
        dns_suffix: "sc2s.sgov.gov",
        dual_stack_dns_suffix: "api.aws.scloud",
    },
    Partition {
        name: "aws-iso-e",
        prefixes: &["eu-isoe"],
        dns_suffix: "cloud.adc-e.uk",
        dual_stack_dns_suffix: "api.cloud-aws.adc-e.uk",
    },
    Partition {
        name: "aws-iso-f",
        prefixes: &["us-isof"],
        dns_suffix: "csp.hci.ic.gov",
        dual_stack_dns_suffix: "api.aws.hci.ic.gov",
    },
];

/// `^{prefix}\-\w+\-\d+$` for one of the prefixes, without a regex engine.
fn matches_region_pattern(region: &str, prefixes: &[&str]) -> bool {
    prefixes.iter().any(|prefix| {
        let Some(rest) = region
            .strip_prefix(prefix)
            .and_then(|r| r.strip_prefix('-'))
        else {
            return false;
        };
        // `\w` has no `-`, so the rest splits at exactly one hyphen.
        let Some((word, number)) = rest.split_once('-') else {
            return false;
        };
        !word.is_empty()
            && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !number.is_empty()
            && number.bytes().all(|b| b.is_ascii_digit())
    })
}

/// The partition of a region; unknown regions fall back to `aws`, as botocore does.
fn partition_of(region: &str) -> &'static Partition {
    // The regexes of the partitions do not overlap, so the first match is the only one.
    PARTITIONS
        .iter()
        .find(|p| matches_region_pattern(region, p.prefixes))
        .unwrap_or(&PARTITIONS[0])
}

/// A region must be a single lower-case host label, so that it cannot add a host, a port, a
/// path or a credential-scope separator to the URL or the signature.
pub(crate) fn validate_region(region: &str) -> Result<(), EndpointError> {
    let invalid = |reason| {
        Err(EndpointError::InvalidRegion {
            region: region.to_owned(),
            reason,
        })
    };
    if region.is_empty() {
        return invalid("it is empty");
    }
    if region.len() > 63 {
        return invalid("it is longer than a DNS label (63 characters)");
    }
    if !region
        .bytes()
        .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        return invalid("only lower-case letters, digits and '-' are allowed");
    }
    if region.starts_with('-') || region.ends_with('-') {
        return invalid("it must not start or end with '-'");
    }
    Ok(())
}

/// `user:password@` in a URL's authority replaced by `***@`, so that errors can show the URL.
fn redact_userinfo(url: &str) -> String {
    let (scheme, rest) = url.split_once("://").unwrap_or(("", url));
    let authority_end = rest.find(['/', '?', '#']).unwrap_or(rest.len());
    match rest[..authority_end].rfind('@') {
        Some(at) if !scheme.is_empty() => {
            format!("{scheme}://***{}", &rest[at..])
        }
        _ => url.to_owned(),
    }
}

/// A custom endpoint must be an absolute `http`/`https` URL with a host and nothing that could
/// split the request line or a header.
pub(crate) fn validate_custom_endpoint(url: &str) -> Result<(), EndpointError> {
    let invalid = |reason| {
        Err(EndpointError::InvalidEndpointUrl {
            url: redact_userinfo(url),
            reason,
        })
    };
    if url.bytes().any(|b| b.is_ascii_control() || b == b' ') {
        return invalid("it contains spaces or control characters");
    }
    let lower = url.to_ascii_lowercase();
    let rest = if lower.starts_with("https://") {
        &url["https://".len()..]
    } else if lower.starts_with("http://") {
        &url["http://".len()..]
    } else {
        return invalid("it must start with http:// or https://");
    };
    let authority = &rest[..rest.find(['/', '?', '#']).unwrap_or(rest.len())];
    if authority.contains('@') {
        return invalid("user information (user:password@) is not allowed");
    }
    let host = if authority.starts_with('[') {
        authority
    } else {
        authority.split(':').next().unwrap_or_default()
    };
    if host.is_empty() {
        return invalid("it has no host");
    }
    if rest[authority.len()..].contains(['?', '#']) {
        return invalid("a query or fragment is not allowed");
    }
    Ok(())
}

fn regional(region: &str, url: String) -> ResolvedEndpoint {
    ResolvedEndpoint {
        url,
        signing_region: Some(region.to_owned()),
        signing_name: SIGNING_NAME,
    }
}

fn global() -> ResolvedEndpoint {
    ResolvedEndpoint {
        url: GLOBAL_ENDPOINT_URL.to_owned(),
        signing_region: Some(GLOBAL_SIGNING_REGION.to_owned()),
        signing_name: SIGNING_NAME,
    }
}

/// Resolves the endpoint for `params` following the STS rule set.
///
/// In order: the global endpoint (only with `use_global_endpoint`, a legacy region, no custom
/// endpoint, no FIPS, no dual-stack); a custom endpoint (an error with FIPS or dual-stack);
/// the regional FIPS / dual-stack / plain endpoint of the region's partition (GovCloud's plain
/// endpoints are already FIPS); `aws-global`. The region is checked to be a plain host label
/// first.
///
/// ```
/// use sts_client::endpoint::{resolve_endpoint, EndpointError, EndpointParams};
/// let fips = EndpointParams {
///     region: Some("us-gov-west-1".into()),
///     use_fips: true,
///     ..Default::default()
/// };
/// assert_eq!(resolve_endpoint(&fips).unwrap().url, "https://sts.us-gov-west-1.amazonaws.com");
/// assert_eq!(
///     resolve_endpoint(&EndpointParams::default()),
///     Err(EndpointError::MissingRegion)
/// );
/// ```
pub fn resolve_endpoint(params: &EndpointParams) -> Result<ResolvedEndpoint, EndpointError> {
    let region = params.region.as_deref();
    if let Some(region) = region {
        validate_region(region)?;
    }

    if let (Some(region), None, false, false, true) = (
        region,
        &params.endpoint,
        params.use_fips,
        params.use_dual_stack,
        params.use_global_endpoint,
    ) {
        if LEGACY_GLOBAL_REGIONS.contains(&region) {
            return Ok(global());
        }
        let partition = partition_of(region);
        return Ok(regional(
            region,
            format!("https://sts.{region}.{}", partition.dns_suffix),
        ));
    }

    if let Some(endpoint) = &params.endpoint {
        if params.use_fips {
            return Err(EndpointError::FipsWithCustomEndpoint);
        }
        if params.use_dual_stack {
            return Err(EndpointError::DualStackWithCustomEndpoint);
        }
        validate_custom_endpoint(endpoint)?;
        return Ok(ResolvedEndpoint {
            url: endpoint.clone(),
            signing_region: region.map(str::to_owned),
            signing_name: SIGNING_NAME,
        });
    }

    let Some(region) = region else {
        return Err(EndpointError::MissingRegion);
    };
    let partition = partition_of(region);
    // Every partition supports both FIPS and dual-stack, so those rules never fail here.
    let url = match (params.use_fips, params.use_dual_stack) {
        (true, true) => format!(
            "https://sts-fips.{region}.{}",
            partition.dual_stack_dns_suffix
        ),
        // GovCloud's standard STS endpoints are already FIPS endpoints.
        (true, false) if partition.name == "aws-us-gov" => {
            format!("https://sts.{region}.amazonaws.com")
        }
        (true, false) => format!("https://sts-fips.{region}.{}", partition.dns_suffix),
        (false, true) => format!("https://sts.{region}.{}", partition.dual_stack_dns_suffix),
        (false, false) if region == AWS_GLOBAL_REGION => return Ok(global()),
        (false, false) => format!("https://sts.{region}.{}", partition.dns_suffix),
    };
    Ok(regional(region, url))
}

/// The `sts_regional_endpoints` setting (`AWS_STS_REGIONAL_ENDPOINTS`): whether the legacy
/// regions use the global endpoint.
///
/// ```
/// use sts_client::endpoint::RegionalEndpoints;
/// assert_eq!("legacy".parse::<RegionalEndpoints>().unwrap(), RegionalEndpoints::Legacy);
/// assert!("global".parse::<RegionalEndpoints>().is_err());
/// ```
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum RegionalEndpoints {
    /// Every region uses its own regional endpoint (the default of current SDKs, and ours).
    #[default]
    Regional,
    /// The 16 [`LEGACY_GLOBAL_REGIONS`] use the global endpoint, signed as `us-east-1`.
    Legacy,
}

/// A value of the `sts_regional_endpoints` setting other than `regional` or `legacy`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid value {value:?} for {setting}: expected \"regional\" or \"legacy\"")]
pub struct InvalidRegionalEndpoints {
    /// Where the value came from (an environment variable or a profile key).
    pub setting: String,
    /// The value as given.
    pub value: String,
}

impl RegionalEndpoints {
    /// The name of the shared-config key.
    pub const PROFILE_KEY: &'static str = "sts_regional_endpoints";
    /// The name of the environment variable.
    pub const ENV_VAR: &'static str = "AWS_STS_REGIONAL_ENDPOINTS";

    /// Parses `regional` or `legacy` (ASCII case-insensitive, surrounding blanks ignored);
    /// `setting` names the source of the value in the error.
    pub fn parse_setting(setting: &str, value: &str) -> Result<Self, InvalidRegionalEndpoints> {
        let trimmed = value.trim();
        if trimmed.eq_ignore_ascii_case("regional") {
            Ok(Self::Regional)
        } else if trimmed.eq_ignore_ascii_case("legacy") {
            Ok(Self::Legacy)
        } else {
            Err(InvalidRegionalEndpoints {
                setting: setting.to_owned(),
                value: value.to_owned(),
            })
        }
    }

    /// Whether [`EndpointParams::use_global_endpoint`] is set, as botocore decides it: only in
    /// `Legacy` mode, for a region in [`LEGACY_GLOBAL_REGIONS`], without a custom endpoint and
    /// without FIPS or dual-stack.
    ///
    /// ```
    /// use sts_client::endpoint::RegionalEndpoints::{Legacy, Regional};
    /// assert!(Legacy.use_global_endpoint(Some("eu-west-1"), false, false, false));
    /// assert!(!Legacy.use_global_endpoint(Some("ap-east-1"), false, false, false));
    /// assert!(!Regional.use_global_endpoint(Some("eu-west-1"), false, false, false));
    /// ```
    pub fn use_global_endpoint(
        self,
        region: Option<&str>,
        has_custom_endpoint: bool,
        use_fips: bool,
        use_dual_stack: bool,
    ) -> bool {
        self == Self::Legacy
            && region.is_some_and(|r| LEGACY_GLOBAL_REGIONS.contains(&r))
            && !has_custom_endpoint
            && !use_fips
            && !use_dual_stack
    }
}

impl FromStr for RegionalEndpoints {
    type Err = InvalidRegionalEndpoints;

    /// Parses the value, naming the setting as `sts_regional_endpoints` in errors.
    fn from_str(value: &str) -> Result<Self, Self::Err> {
        Self::parse_setting(Self::PROFILE_KEY, value)
    }
}

impl fmt::Display for RegionalEndpoints {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Regional => "regional",
            Self::Legacy => "legacy",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(region: &str) -> EndpointParams {
        EndpointParams {
            region: Some(region.to_owned()),
            ..Default::default()
        }
    }

    #[test]
    fn partition_patterns_follow_the_regexes() {
        assert_eq!(partition_of("us-east-1").name, "aws");
        assert_eq!(partition_of("il-central-1").name, "aws");
        assert_eq!(partition_of("us-gov-west-1").name, "aws-us-gov");
        assert_eq!(partition_of("us-iso-east-1").name, "aws-iso");
        assert_eq!(partition_of("us-isob-east-1").name, "aws-iso-b");
        assert_eq!(partition_of("us-isof-south-1").name, "aws-iso-f");
        assert_eq!(partition_of("eu-isoe-west-1").name, "aws-iso-e");
        assert_eq!(partition_of("eusc-de-east-1").name, "aws-eusc");
        assert_eq!(partition_of("cn-northwest-1").name, "aws-cn");
        // Not matching any regex: the `aws` fallback.
        assert_eq!(partition_of("cn-north").name, "aws");
        assert_eq!(partition_of("cn-north-1a").name, "aws");
        assert_eq!(partition_of("cn--1").name, "aws");
        assert_eq!(partition_of("eusc-fr-east-1").name, "aws");
        assert_eq!(partition_of("foo-bar-1").name, "aws");
    }

    #[test]
    fn table_from_the_reference() {
        let cases: &[(&str, bool, bool, &str)] = &[
            (
                "cn-northwest-1",
                false,
                true,
                "https://sts.cn-northwest-1.api.amazonwebservices.com.cn",
            ),
            (
                "eusc-de-east-1",
                false,
                false,
                "https://sts.eusc-de-east-1.amazonaws.eu",
            ),
            (
                "eusc-de-east-1",
                true,
                true,
                "https://sts-fips.eusc-de-east-1.api.amazonwebservices.eu",
            ),
            (
                "us-isof-south-1",
                false,
                false,
                "https://sts.us-isof-south-1.csp.hci.ic.gov",
            ),
            (
                "eu-isoe-west-1",
                false,
                false,
                "https://sts.eu-isoe-west-1.cloud.adc-e.uk",
            ),
            (
                "us-isob-east-1",
                false,
                true,
                "https://sts.us-isob-east-1.api.aws.scloud",
            ),
            (
                "foo-bar-1",
                false,
                false,
                "https://sts.foo-bar-1.amazonaws.com",
            ),
        ];
        for &(region, fips, dual, url) in cases {
            let p = EndpointParams {
                use_fips: fips,
                use_dual_stack: dual,
                ..params(region)
            };
            let resolved = resolve_endpoint(&p).unwrap();
            assert_eq!(resolved.url, url, "{p:?}");
            assert_eq!(resolved.signing_region.as_deref(), Some(region));
        }
    }

    #[test]
    fn fips_switches_off_the_global_branch() {
        let p = EndpointParams {
            use_fips: true,
            use_global_endpoint: true,
            ..params("us-east-1")
        };
        let resolved = resolve_endpoint(&p).unwrap();
        assert_eq!(resolved.url, "https://sts-fips.us-east-1.amazonaws.com");
        assert_eq!(resolved.signing_region.as_deref(), Some("us-east-1"));
    }

    #[test]
    fn regions_that_would_change_the_url_are_refused() {
        for bad in [
            "",
            "us-east-1.evil.com",
            "evil.com/",
            "us-east-1:443",
            "user@host",
            "US-EAST-1",
            "us east 1",
            "us-east-1\r\nX: y",
            "us-east-1/",
            "-us-east-1",
            "us-east-1-",
            "é",
        ] {
            let err = resolve_endpoint(&params(bad)).unwrap_err();
            assert!(
                matches!(&err, EndpointError::InvalidRegion { region, .. } if region == bad),
                "{bad:?}: {err:?}"
            );
        }
        let long = "a".repeat(64);
        assert!(resolve_endpoint(&params(&long)).is_err());
        assert!(resolve_endpoint(&params(&"a".repeat(63))).is_ok());
        // Also with a custom endpoint: the region still goes into the signature's scope.
        let custom = EndpointParams {
            endpoint: Some("http://127.0.0.1:5050".into()),
            ..params("us-east-1/x")
        };
        assert!(matches!(
            resolve_endpoint(&custom),
            Err(EndpointError::InvalidRegion { .. })
        ));
    }

    #[test]
    fn custom_endpoint_is_used_as_given_and_signed_for_the_region() {
        for url in [
            "http://127.0.0.1:5050",
            "https://example.com/",
            "https://vpce-1.sts.eu-west-1.vpce.amazonaws.com",
            "http://[::1]:8080/base",
            "HTTPS://EXAMPLE.COM",
        ] {
            let p = EndpointParams {
                endpoint: Some(url.into()),
                ..params("eu-west-1")
            };
            let resolved = resolve_endpoint(&p).unwrap();
            assert_eq!(resolved.url, url);
            assert_eq!(resolved.signing_region.as_deref(), Some("eu-west-1"));
        }
        let no_region = EndpointParams {
            endpoint: Some("https://example.com".into()),
            ..Default::default()
        };
        assert_eq!(resolve_endpoint(&no_region).unwrap().signing_region, None);
    }

    #[test]
    fn bad_custom_endpoints_are_refused_without_showing_passwords() {
        for (url, reason) in [
            ("example.com", "http"),
            ("ftp://example.com", "http"),
            ("https://", "no host"),
            ("https://:443", "no host"),
            ("https://exa mple.com", "spaces"),
            ("https://example.com\r\nX-Injected: 1", "control"),
            ("https://example.com/?Action=x", "query"),
            ("https://example.com#frag", "query"),
            ("https://user:hunter2@example.com", "user information"),
        ] {
            let p = EndpointParams {
                endpoint: Some(url.into()),
                ..params("us-east-1")
            };
            let err = resolve_endpoint(&p).unwrap_err();
            let text = err.to_string();
            assert!(text.contains(reason), "{url:?}: {text}");
            assert!(!text.contains("hunter2"), "{text}");
        }
    }

    #[test]
    fn redaction_keeps_host_and_path() {
        assert_eq!(
            redact_userinfo("https://u:p@h.example/x@y"),
            "https://***@h.example/x@y"
        );
        assert_eq!(
            redact_userinfo("https://h.example/x@y"),
            "https://h.example/x@y"
        );
    }

    #[test]
    fn regional_endpoints_setting() {
        assert_eq!(
            RegionalEndpoints::parse_setting("X", " Regional "),
            Ok(RegionalEndpoints::Regional)
        );
        assert_eq!(
            RegionalEndpoints::parse_setting("X", "LEGACY"),
            Ok(RegionalEndpoints::Legacy)
        );
        let err =
            RegionalEndpoints::parse_setting(RegionalEndpoints::ENV_VAR, "global").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid value \"global\" for AWS_STS_REGIONAL_ENDPOINTS: expected \"regional\" or \"legacy\""
        );
        assert!(""
            .parse::<RegionalEndpoints>()
            .unwrap_err()
            .to_string()
            .contains("sts_regional_endpoints"));
        assert_eq!(RegionalEndpoints::default(), RegionalEndpoints::Regional);
        for mode in [RegionalEndpoints::Regional, RegionalEndpoints::Legacy] {
            assert_eq!(mode.to_string().parse::<RegionalEndpoints>(), Ok(mode));
        }
    }

    #[test]
    fn legacy_mode_uses_the_global_endpoint_only_when_botocore_would() {
        use RegionalEndpoints::{Legacy, Regional};
        for region in LEGACY_GLOBAL_REGIONS {
            assert!(Legacy.use_global_endpoint(Some(region), false, false, false));
            assert!(!Regional.use_global_endpoint(Some(region), false, false, false));
            assert!(!Legacy.use_global_endpoint(Some(region), true, false, false));
            assert!(!Legacy.use_global_endpoint(Some(region), false, true, false));
            assert!(!Legacy.use_global_endpoint(Some(region), false, false, true));
        }
        for region in ["ap-east-1", "me-south-1", "cn-north-1", "us-gov-west-1"] {
            assert!(!Legacy.use_global_endpoint(Some(region), false, false, false));
        }
        assert!(!Legacy.use_global_endpoint(None, false, false, false));

        // End to end: legacy + eu-west-1 goes global and signs as us-east-1.
        let p = EndpointParams {
            use_global_endpoint: Legacy.use_global_endpoint(Some("eu-west-1"), false, false, false),
            ..params("eu-west-1")
        };
        let resolved = resolve_endpoint(&p).unwrap();
        assert_eq!(resolved.url, GLOBAL_ENDPOINT_URL);
        assert_eq!(resolved.signing_region.as_deref(), Some("us-east-1"));
    }
}
