//! Credentials from the container credentials endpoint (ECS tasks, EKS Pod Identity, Fargate,
//! CodeBuild, Greengrass).

use super::http::{describe_status, parse_credentials_document, SendError, SourceTransport};
use super::{Credentials, CredentialsError, EnvLookup, ProvideCredentials, ProvideFuture};
use crate::client::transport::{HttpRequest, HttpTransport, Timeouts};
use crate::client::USER_AGENT;
use crate::secret::SecretString;
use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

/// The ECS agent's address, to which `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI` is relative.
pub const CONTAINER_HOST: &str = "http://169.254.170.2";

/// Credentials from the container credentials endpoint, as the AWS SDKs read it.
///
/// - `AWS_CONTAINER_CREDENTIALS_RELATIVE_URI`: `http://169.254.170.2` + the path (wins when
///   both are set);
/// - `AWS_CONTAINER_CREDENTIALS_FULL_URI`: any `https` URL, or an `http` URL whose host is a
///   loopback address (`127.0.0.0/8`, `::1`, `localhost`), `169.254.170.2`, `169.254.170.23`
///   or `fd00:ec2::23` (the hosts the SDKs accept in clear text);
/// - `AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE` (read at every call: EKS rotates it), else
///   `AWS_CONTAINER_AUTHORIZATION_TOKEN`: sent as the `Authorization` header.
///
/// Without either URI variable the source is not configured. The answer is the JSON document
/// `{AccessKeyId, SecretAccessKey, Token, Expiration, AccountId}`. Connect timeout 2 s, 5 s per
/// attempt, one retry.
///
/// ```
/// use sts_client::credentials::{ContainerCredentials, EnvLookup};
/// let env = EnvLookup::from_pairs([("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc")]);
/// let source = ContainerCredentials::new(env);
/// assert_eq!(source.endpoint().unwrap(), "http://169.254.170.2/v2/credentials/abc");
///
/// let env = EnvLookup::from_pairs([("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://example.com/creds")]);
/// assert!(ContainerCredentials::new(env).endpoint().is_err()); // clear text to a remote host
/// ```
#[derive(Clone)]
pub struct ContainerCredentials {
    env: EnvLookup,
    transport: SourceTransport,
}

impl ContainerCredentials {
    /// The default transport's timeouts.
    pub const TIMEOUTS: Timeouts = Timeouts {
        connect: Duration::from_secs(2),
        total: Duration::from_secs(5),
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

    /// The URL the credentials would be fetched from. Neither variable set is
    /// [`CredentialsError::NotConfigured`]; a full URI that is not allowed is
    /// [`CredentialsError::InvalidEnvironment`].
    pub fn endpoint(&self) -> Result<String, CredentialsError> {
        if let Some(relative) = self.env.get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI") {
            let slash = if relative.starts_with('/') { "" } else { "/" };
            return Ok(format!("{CONTAINER_HOST}{slash}{relative}"));
        }
        let Some(full) = self.env.get("AWS_CONTAINER_CREDENTIALS_FULL_URI") else {
            return Err(CredentialsError::not_configured(
                "neither AWS_CONTAINER_CREDENTIALS_RELATIVE_URI nor \
                 AWS_CONTAINER_CREDENTIALS_FULL_URI is set",
            ));
        };
        let invalid = |problem: String| CredentialsError::InvalidEnvironment {
            name: "AWS_CONTAINER_CREDENTIALS_FULL_URI".into(),
            problem,
        };
        let url =
            reqwest::Url::parse(&full).map_err(|e| invalid(format!("not an absolute URL: {e}")))?;
        if !url.username().is_empty() || url.password().is_some() {
            return Err(invalid("credentials in the URL are not supported".into()));
        }
        match url.scheme() {
            "https" => {}
            "http" => {
                let host = url.host_str().unwrap_or_default();
                if !allowed_http_host(host) {
                    return Err(invalid(format!(
                        "http is only allowed to a loopback address, 169.254.170.2, \
                         169.254.170.23 or fd00:ec2::23, not `{host}`; use https"
                    )));
                }
            }
            other => {
                return Err(invalid(format!(
                    "scheme `{other}` is not supported (http or https)"
                )))
            }
        }
        Ok(full)
    }

    /// The `Authorization` header value, read now.
    fn authorization(&self) -> Result<Option<SecretString>, CredentialsError> {
        if let Some(path) = self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE") {
            let path = PathBuf::from(path);
            let text =
                std::fs::read_to_string(&path).map_err(|e| CredentialsError::io(&path, e))?;
            let text = zeroize::Zeroizing::new(text);
            let token = text.trim_end_matches(['\r', '\n']);
            if token.contains(['\r', '\n']) {
                return Err(CredentialsError::MalformedFile {
                    path,
                    line: 1,
                    problem: "the authorization token spans several lines".into(),
                });
            }
            return Ok(Some(SecretString::new(token)));
        }
        match self.env.get("AWS_CONTAINER_AUTHORIZATION_TOKEN") {
            Some(token) if token.contains(['\r', '\n']) => {
                Err(CredentialsError::InvalidEnvironment {
                    name: "AWS_CONTAINER_AUTHORIZATION_TOKEN".into(),
                    problem: "contains a line break".into(),
                })
            }
            Some(token) => Ok(Some(SecretString::new(token))),
            None => Ok(None),
        }
    }

    async fn fetch(&self) -> Result<Credentials, CredentialsError> {
        let url = self.endpoint()?;
        let provider = format!("container credentials from {url}");
        let mut headers = vec![
            ("accept".to_owned(), "application/json".to_owned()),
            ("user-agent".to_owned(), USER_AGENT.to_owned()),
        ];
        if let Some(token) = self.authorization()? {
            headers.push(("authorization".to_owned(), token.expose().to_owned()));
        }
        let request = HttpRequest {
            method: "GET",
            url,
            headers,
            body: Vec::new(),
        };
        let response = self
            .transport
            .send(&provider, request, true)
            .await
            .map_err(|e| match e {
                SendError::Setup(e) => e,
                SendError::Unreachable(e) | SendError::Transport(e) => {
                    CredentialsError::provider(&provider, e)
                }
            })?;
        if !(200..300).contains(&response.status) {
            return Err(CredentialsError::provider(
                provider,
                describe_status(&response),
            ));
        }
        let body = zeroize::Zeroizing::new(response.body);
        parse_credentials_document(&body).map_err(|e| CredentialsError::provider(provider, e))
    }
}

fn allowed_http_host(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    if bare.eq_ignore_ascii_case("localhost") {
        return true;
    }
    match bare.parse::<IpAddr>() {
        Ok(ip) if ip.is_loopback() => true,
        Ok(ip) => ["169.254.170.2", "169.254.170.23", "fd00:ec2::23"]
            .iter()
            .any(|allowed| allowed.parse::<IpAddr>().ok() == Some(ip)),
        Err(_) => false,
    }
}

impl fmt::Debug for ContainerCredentials {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ContainerCredentials")
            .field("endpoint", &self.endpoint().ok())
            .finish_non_exhaustive()
    }
}

impl ProvideCredentials for ContainerCredentials {
    fn provide_credentials(&self) -> ProvideFuture<'_> {
        Box::pin(self.fetch())
    }
}

#[cfg(test)]
mod tests {
    use super::allowed_http_host;

    #[test]
    fn clear_text_hosts() {
        for host in [
            "127.0.0.1",
            "127.1.2.3",
            "[::1]",
            "localhost",
            "169.254.170.2",
            "169.254.170.23",
            "[fd00:ec2::23]",
        ] {
            assert!(allowed_http_host(host), "{host}");
        }
        for host in [
            "169.254.169.254",
            "example.com",
            "10.0.0.1",
            "[fd00:ec2::24]",
            "",
        ] {
            assert!(!allowed_http_host(host), "{host}");
        }
    }
}
