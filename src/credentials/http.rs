//! What the HTTP credential sources (container endpoint, instance metadata) share: a transport
//! made on demand, one retry, and the JSON document both serve.

use super::{Credentials, CredentialsError};
use crate::client::transport::{
    HttpRequest, HttpResponse, HttpTransport, ReqwestTransport, Timeouts, TransportError,
};
use std::sync::Arc;

/// The transport of an HTTP source: given by the caller, or a [`ReqwestTransport`] with the
/// source's timeouts (whose construction error, if any, is reported at the first call).
#[derive(Debug, Clone)]
pub(crate) struct SourceTransport(Result<Arc<dyn HttpTransport>, String>);

impl SourceTransport {
    pub(crate) fn with_timeouts(timeouts: Timeouts) -> Self {
        Self(
            ReqwestTransport::new(timeouts)
                .map(|t| Arc::new(t) as Arc<dyn HttpTransport>)
                .map_err(|e| e.to_string()),
        )
    }

    pub(crate) fn given(transport: Arc<dyn HttpTransport>) -> Self {
        Self(Ok(transport))
    }

    /// Sends `request`; a transport error or a 5xx answer is tried once more, except that
    /// with `retry_connect` false a failure to connect is returned at once (a host that is
    /// not there will not be there a moment later either).
    pub(crate) async fn send(
        &self,
        provider: &str,
        request: HttpRequest,
        retry_connect: bool,
    ) -> Result<HttpResponse, SendError> {
        let transport = self
            .0
            .as_ref()
            .map_err(|e| SendError::Setup(CredentialsError::provider(provider, e.clone())))?;
        let mut attempt = 0;
        loop {
            attempt += 1;
            let last = attempt >= 2;
            match transport.send(request.clone()).await {
                Ok(response) if response.status >= 500 && !last => {
                    tracing::debug!(provider, status = response.status, "retrying");
                }
                Ok(response) => return Ok(response),
                Err(e @ (TransportError::Connect { .. } | TransportError::Timeout { .. }))
                    if !retry_connect || last =>
                {
                    return Err(SendError::Unreachable(e))
                }
                Err(e) if last || !e.is_retryable() => return Err(SendError::Transport(e)),
                Err(e) => tracing::debug!(provider, error = %e, "retrying"),
            }
        }
    }
}

/// Why an HTTP source got no response.
pub(crate) enum SendError {
    /// The transport could not be built.
    Setup(CredentialsError),
    /// No connection (refused, timed out): the service is not there.
    Unreachable(TransportError),
    /// The connection broke, or another transport failure.
    Transport(TransportError),
}

/// Parses the credentials document of the container endpoint and the instance metadata
/// service: `AccessKeyId`, `SecretAccessKey`, `Token` (optional), `Expiration` (RFC 3339,
/// optional), `AccountId` (optional). A `Code` other than `Success` is an error naming it and
/// the `Message`.
///
/// The document is read as a JSON tree and the fields taken out by hand, so that no error
/// message can echo a value.
pub(crate) fn parse_credentials_document(body: &[u8]) -> Result<Credentials, String> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| {
        format!(
            "the response is not JSON (line {}, column {})",
            e.line(),
            e.column()
        )
    })?;
    let serde_json::Value::Object(map) = value else {
        return Err("the response is not a JSON object".into());
    };
    let text = |key: &str| -> Result<Option<&str>, String> {
        match map.get(key) {
            None | Some(serde_json::Value::Null) => Ok(None),
            Some(serde_json::Value::String(s)) => Ok(Some(s.as_str())),
            Some(_) => Err(format!("{key} is not a string")),
        }
    };
    if let Some(code) = text("Code")? {
        if code != "Success" {
            let message = text("Message")?.unwrap_or("no message");
            return Err(format!("the service answered Code {code:?}: {message}"));
        }
    }
    let access_key_id = text("AccessKeyId")?.ok_or("the response lacks AccessKeyId")?;
    let secret = text("SecretAccessKey")?.ok_or("the response lacks SecretAccessKey")?;
    super::from_document_fields(
        access_key_id,
        secret,
        text("Token")?,
        text("Expiration")?,
        text("AccountId")?,
    )
}

/// `HTTP 404` plus the start of the body when it is short printable text (an error page's
/// message); credential documents never reach here (only non-2xx answers do).
pub(crate) fn describe_status(response: &HttpResponse) -> String {
    let body = String::from_utf8_lossy(&response.body);
    let body = body.trim();
    if body.is_empty() || body.len() > 200 || body.chars().any(char::is_control) {
        format!("HTTP {}", response.status)
    } else {
        format!("HTTP {}: {body}", response.status)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn documents_parse_and_errors_never_echo_values() {
        let creds = parse_credentials_document(
            br#"{"Code":"Success","AccessKeyId":"ASIA1","SecretAccessKey":"s3cr3t",
                 "Token":"t0k3n","Expiration":"2030-01-01T00:00:00Z","AccountId":"123456789012"}"#,
        )
        .unwrap();
        assert_eq!(creds.access_key_id(), "ASIA1");
        assert_eq!(creds.session_token().unwrap().expose(), "t0k3n");
        assert_eq!(creds.account_id(), Some("123456789012"));
        assert!(creds.expiration().is_some());
        for (body, expected) in [
            (
                &br#"{"Code":"Failed","Message":"no role"}"#[..],
                "Code \"Failed\": no role",
            ),
            (br#"{"AccessKeyId":"A"}"#, "lacks SecretAccessKey"),
            (
                br#"{"AccessKeyId":"A","SecretAccessKey":["s3cr3t"]}"#,
                "SecretAccessKey is not a string",
            ),
            (
                br#"{"AccessKeyId":"A","SecretAccessKey":"s","Expiration":"s3cr3t"}"#,
                "Expiration",
            ),
            (b"s3cr3t", "not JSON"),
            (b"[\"s3cr3t\"]", "not a JSON object"),
        ] {
            let err = parse_credentials_document(body).unwrap_err();
            assert!(err.contains(expected), "{err}");
            assert!(!err.contains("s3cr3t"), "{err}");
        }
    }
}
