//! Credentials of the EC2 instance profile, from the instance metadata service (IMDSv2).

use super::http::{describe_status, parse_credentials_document, SendError, SourceTransport};
use super::{Credentials, CredentialsError, EnvLookup, ProvideCredentials, ProvideFuture};
use crate::client::transport::{
    HttpRequest, HttpResponse, HttpTransport, Timeouts, TransportError,
};
use crate::client::USER_AGENT;
use crate::secret::SecretString;
use std::fmt;
use std::sync::Arc;
use std::time::Duration;

/// The instance metadata service's IPv4 address.
pub const IMDS_ENDPOINT: &str = "http://169.254.169.254";
/// The instance metadata service's IPv6 address (`AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6`).
pub const IMDS_ENDPOINT_IPV6: &str = "http://[fd00:ec2::254]";
/// The lifetime asked for the IMDSv2 session token, in seconds (6 hours, as the SDKs ask).
pub const IMDS_TOKEN_TTL_SECONDS: &str = "21600";
const CREDENTIALS_PATH: &str = "/latest/meta-data/iam/security-credentials/";

/// Credentials of the instance profile, through IMDSv2: `PUT /latest/api/token`, then
/// `GET /latest/meta-data/iam/security-credentials/` for the role name, then the role's JSON
/// document (`Code: "Success"`, keys, token, expiration).
///
/// - `AWS_EC2_METADATA_DISABLED=true` turns the source off (not configured);
/// - `AWS_EC2_METADATA_SERVICE_ENDPOINT` replaces the address (tests, proxies), else
///   `AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE=IPv6` selects `fd00:ec2::254`.
///
/// Timeouts are short (1 s to connect, 1 s per attempt) and a failure to reach the service is
/// not retried, so a machine that is not on EC2 learns so in about a second: the source then
/// reports itself not configured, with the reason, and a chain moves on. A service that
/// answers but has no role attached is not configured either. Other failures are one retry,
/// then an error.
///
/// ```
/// use sts_client::credentials::{EnvLookup, InstanceMetadataCredentials};
/// let env = EnvLookup::from_pairs([("AWS_EC2_METADATA_SERVICE_ENDPOINT", "http://127.0.0.1:1338/")]);
/// assert_eq!(InstanceMetadataCredentials::new(env).endpoint().unwrap(), "http://127.0.0.1:1338");
/// let off = EnvLookup::from_pairs([("AWS_EC2_METADATA_DISABLED", "true")]);
/// assert!(InstanceMetadataCredentials::new(off).endpoint().unwrap_err().is_not_configured());
/// ```
#[derive(Clone)]
pub struct InstanceMetadataCredentials {
    env: EnvLookup,
    transport: SourceTransport,
}

impl InstanceMetadataCredentials {
    /// The default transport's timeouts.
    pub const TIMEOUTS: Timeouts = Timeouts {
        connect: Duration::from_secs(1),
        total: Duration::from_secs(1),
    };

    /// Reads the variables from `env` at every call; sends with a transport of its own.
    pub fn new(env: EnvLookup) -> Self {
        Self {
            env,
            transport: SourceTransport::with_timeouts(Self::TIMEOUTS),
        }
    }

    /// Sends through `transport` instead.
    pub fn with_transport(mut self, transport: Arc<dyn HttpTransport>) -> Self {
        self.transport = SourceTransport::given(transport);
        self
    }

    /// The service's base URL (no trailing slash), or not configured when disabled.
    pub fn endpoint(&self) -> Result<String, CredentialsError> {
        if let Some(disabled) = self.env.get("AWS_EC2_METADATA_DISABLED") {
            if disabled.trim().eq_ignore_ascii_case("true") {
                return Err(CredentialsError::not_configured(
                    "turned off by AWS_EC2_METADATA_DISABLED",
                ));
            }
        }
        if let Some(endpoint) = self.env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT") {
            return Ok(endpoint.trim().trim_end_matches('/').to_owned());
        }
        match self.env.get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE") {
            Some(mode) if mode.trim().eq_ignore_ascii_case("ipv6") => {
                Ok(IMDS_ENDPOINT_IPV6.to_owned())
            }
            Some(mode) if !mode.trim().eq_ignore_ascii_case("ipv4") => {
                Err(CredentialsError::InvalidEnvironment {
                    name: "AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE".into(),
                    problem: "must be IPv4 or IPv6".into(),
                })
            }
            _ => Ok(IMDS_ENDPOINT.to_owned()),
        }
    }

    async fn send(
        &self,
        provider: &str,
        request: HttpRequest,
        first: bool,
    ) -> Result<HttpResponse, CredentialsError> {
        let endpoint = request
            .url
            .split("/latest/")
            .next()
            .unwrap_or_default()
            .to_owned();
        self.transport
            .send(provider, request, !first)
            .await
            .map_err(|e| match e {
                SendError::Setup(e) => e,
                SendError::Unreachable(e) if first => CredentialsError::not_configured(format!(
                    "no instance metadata service at {endpoint} ({})",
                    unreachable_reason(&e)
                )),
                SendError::Unreachable(e) | SendError::Transport(e) => {
                    CredentialsError::provider(provider, e)
                }
            })
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let base = self.endpoint()?;
        let provider = format!("instance metadata at {base}");
        let get = |url: String, token: &SecretString| HttpRequest {
            method: "GET",
            url,
            headers: vec![
                (
                    "x-aws-ec2-metadata-token".to_owned(),
                    token.expose().to_owned(),
                ),
                ("user-agent".to_owned(), USER_AGENT.to_owned()),
            ],
            body: Vec::new(),
        };

        let token_request = HttpRequest {
            method: "PUT",
            url: format!("{base}/latest/api/token"),
            headers: vec![
                (
                    "x-aws-ec2-metadata-token-ttl-seconds".to_owned(),
                    IMDS_TOKEN_TTL_SECONDS.to_owned(),
                ),
                ("user-agent".to_owned(), USER_AGENT.to_owned()),
            ],
            body: Vec::new(),
        };
        let response = self.send(&provider, token_request, true).await?;
        match response.status {
            200..=299 => {}
            // Something answered that is not an IMDSv2 service (or IMDS is turned off for
            // this instance): there are no credentials here.
            400..=499 => {
                return Err(CredentialsError::not_configured(format!(
                    "the service at {base} refused an IMDSv2 session token ({})",
                    describe_status(&response)
                )))
            }
            _ => {
                return Err(CredentialsError::provider(
                    format!("{provider} (session token)"),
                    describe_status(&response),
                ))
            }
        }
        let token = SecretString::new(String::from_utf8_lossy(&response.body).trim());

        let url = format!("{base}{CREDENTIALS_PATH}");
        let response = self.send(&provider, get(url, &token), false).await?;
        let role = match response.status {
            200..=299 => String::from_utf8_lossy(&response.body)
                .lines()
                .next()
                .unwrap_or_default()
                .trim()
                .to_owned(),
            404 => String::new(),
            _ => {
                return Err(CredentialsError::provider(
                    format!("{provider} (role name)"),
                    describe_status(&response),
                ))
            }
        };
        if role.is_empty() {
            return Err(CredentialsError::not_configured(format!(
                "no IAM role is attached to this instance (instance metadata at {base})"
            )));
        }

        let url = format!("{base}{CREDENTIALS_PATH}{role}");
        let response = self.send(&provider, get(url, &token), false).await?;
        if !(200..300).contains(&response.status) {
            return Err(CredentialsError::provider(
                format!("{provider} (credentials of role {role})"),
                describe_status(&response),
            ));
        }
        let body = zeroize::Zeroizing::new(response.body);
        parse_credentials_document(&body).map_err(|e| {
            CredentialsError::provider(format!("{provider} (credentials of role {role})"), e)
        })
    }
}

/// The useful end of a connection failure: reqwest's message repeats the URL and wraps the
/// operating system's reason in several layers.
fn unreachable_reason(error: &TransportError) -> String {
    match error {
        TransportError::Timeout { after, .. } => format!("no answer within {after:?}"),
        TransportError::Connect { message, .. } => {
            let cause = message.rsplit(": ").next().unwrap_or(message);
            format!("cannot connect: {cause}")
        }
        other => other.to_string(),
    }
}

impl fmt::Debug for InstanceMetadataCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("InstanceMetadataCredentials")
            .field("endpoint", &self.endpoint().ok())
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for InstanceMetadataCredentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.fetch())
    }
}
