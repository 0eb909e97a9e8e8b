//! The HTTP seam: what the client hands to a transport and gets back.
//!
//! The client does everything else (building, signing, parsing, retrying) itself, so a
//! transport only moves bytes. [`ReqwestTransport`] is the default; tests and users with their
//! own HTTP stack implement [`HttpTransport`].

use std::future::Future;
use std::pin::Pin;
use std::time::Duration;

/// One HTTP request, exactly as signed. A transport must send the URL, headers and body as
/// given: re-encoding the URL or adding a signed header would break the signature.
#[derive(Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `GET`, `POST` or `PUT`.
    pub method: &'static str,
    /// The full URL.
    pub url: String,
    /// Headers in the order they should be sent (`Host` is implied by the URL).
    pub headers: Vec<(String, String)>,
    /// The body bytes.
    pub body: Vec<u8>,
}

impl std::fmt::Debug for HttpRequest {
    // Headers carry the session token and the body may carry a web identity token or a SAML
    // assertion, so only their shape is shown.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let names: Vec<&str> = self.headers.iter().map(|(n, _)| n.as_str()).collect();
        f.debug_struct("HttpRequest")
            .field("method", &self.method)
            .field("url", &self.url)
            .field("header_names", &names)
            .field("body_len", &self.body.len())
            .finish()
    }
}

/// One HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// The status code.
    pub status: u16,
    /// Headers as received (names in any case).
    pub headers: Vec<(String, String)>,
    /// The whole body.
    pub body: Vec<u8>,
}

impl HttpResponse {
    /// The first value of a header, compared case-insensitively.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What went wrong below HTTP: the request may or may not have reached the server.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum TransportError {
    /// No connection could be made (refused, DNS, TLS handshake).
    #[error("could not connect to {url}: {message}")]
    Connect {
        /// The URL (never carries a secret: STS requests have no query string).
        url: String,
        /// What the HTTP stack said.
        message: String,
    },
    /// The connect or total timeout ran out.
    #[error("request to {url} timed out after {after:?}")]
    Timeout {
        /// The URL.
        url: String,
        /// The timeout that ran out.
        after: Duration,
    },
    /// The connection broke while sending or receiving (reset, truncated body).
    #[error("connection to {url} broke: {message}")]
    Io {
        /// The URL.
        url: String,
        /// What the HTTP stack said.
        message: String,
    },
    /// The transport could not be set up (bad TLS configuration, invalid header).
    #[error("HTTP transport error: {0}")]
    Other(String),
}

impl TransportError {
    /// Connection, timeout and I/O failures are worth another attempt.
    pub fn is_retryable(&self) -> bool {
        matches!(
            self,
            TransportError::Connect { .. }
                | TransportError::Timeout { .. }
                | TransportError::Io { .. }
        )
    }
}

/// A boxed future, as transports return them (no `async-trait` needed).
pub type TransportFuture<'a> =
    Pin<Box<dyn Future<Output = Result<HttpResponse, TransportError>> + Send + 'a>>;

/// Sends one request and returns the whole response.
pub trait HttpTransport: Send + Sync + std::fmt::Debug {
    /// Sends `request`; the future resolves with the complete response or a transport error.
    fn send(&self, request: HttpRequest) -> TransportFuture<'_>;
}

/// Timeouts of the default transport.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Time allowed to open a connection (TCP and TLS).
    pub connect: Duration,
    /// Time allowed for one whole attempt, from sending to the last byte of the response.
    pub total: Duration,
}

impl Default for Timeouts {
    /// 3.1 s to connect (as the AWS SDKs), 30 s per attempt.
    fn default() -> Self {
        Self {
            connect: Duration::from_millis(3100),
            total: Duration::from_secs(30),
        }
    }
}

/// The default transport: reqwest with rustls (ring provider, no OpenSSL), one connection
/// pool per instance, proxies from `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY`/`NO_PROXY`.
#[derive(Debug, Clone)]
pub struct ReqwestTransport {
    client: reqwest::Client,
    timeouts: Timeouts,
}

impl ReqwestTransport {
    /// A transport with its own connection pool and the given timeouts.
    pub fn new(timeouts: Timeouts) -> Result<Self, TransportError> {
        // reqwest is built without a bundled crypto provider so that no C crypto library is
        // compiled; ring is installed unless the application chose another provider first.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let client = reqwest::Client::builder()
            .connect_timeout(timeouts.connect)
            .timeout(timeouts.total)
            .build()
            .map_err(|e| TransportError::Other(error_chain(&e)))?;
        Ok(Self { client, timeouts })
    }

    /// Wraps a reqwest client configured by the caller (its timeouts, proxies, TLS).
    pub fn from_client(client: reqwest::Client, timeouts: Timeouts) -> Self {
        Self { client, timeouts }
    }
}

impl HttpTransport for ReqwestTransport {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        Box::pin(async move {
            let url = request.url.clone();
            let method = match request.method {
                "GET" => reqwest::Method::GET,
                "PUT" => reqwest::Method::PUT,
                _ => reqwest::Method::POST,
            };
            let mut builder = self.client.request(method, &request.url);
            for (name, value) in &request.headers {
                builder = builder.header(name.as_str(), value.as_str());
            }
            let response = builder
                .body(request.body)
                .send()
                .await
                .map_err(|e| self.classify(&url, &e))?;
            let status = response.status().as_u16();
            let headers = response
                .headers()
                .iter()
                .map(|(n, v)| {
                    (
                        n.as_str().to_owned(),
                        String::from_utf8_lossy(v.as_bytes()).into_owned(),
                    )
                })
                .collect();
            let body = response
                .bytes()
                .await
                .map_err(|e| self.classify(&url, &e))?
                .to_vec();
            Ok(HttpResponse {
                status,
                headers,
                body,
            })
        })
    }
}

impl ReqwestTransport {
    fn classify(&self, url: &str, error: &reqwest::Error) -> TransportError {
        let url = url.to_owned();
        if error.is_timeout() {
            let after = if error.is_connect() {
                self.timeouts.connect
            } else {
                self.timeouts.total
            };
            TransportError::Timeout { url, after }
        } else if error.is_connect() {
            TransportError::Connect {
                url,
                message: error_chain(error),
            }
        } else if error.is_builder() {
            TransportError::Other(error_chain(error))
        } else {
            TransportError::Io {
                url,
                message: error_chain(error),
            }
        }
    }
}

/// reqwest's top-level message is vague ("error sending request"); the causes say why.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(cause) = source {
        text.push_str(": ");
        text.push_str(&cause.to_string());
        source = cause.source();
    }
    text
}
