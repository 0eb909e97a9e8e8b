//! `--debug`: a transport wrapper that writes each request's canonical request and string to
//! sign, and each response's status and body, to stderr. This is what a user needs when STS
//! answers `SignatureDoesNotMatch`: compare the canonical request with the one in the error.
//!
//! Never printed: the secret key (not known here), the session token (header and canonical
//! request), and the secret values of bodies (`WebIdentityToken`, `SAMLAssertion`,
//! `TokenCode`, `TradeInToken` in requests; `SecretAccessKey`, `SessionToken`,
//! `WebIdentityToken` in responses). The access key ID and the signature are printed: neither
//! lets anyone sign.

use std::io::Write as _;

use sts_client::client::transport::{HttpRequest, HttpTransport, TransportFuture};
use sts_client::sigv4::{
    SignableRequest, SignatureLocation, Signer, SigningParams, SigningSettings,
};
use sts_client::Credentials;
use time::PrimitiveDateTime;

/// What replaces a secret in debug output.
pub const REDACTED: &str = "** redacted **";

const SECRET_FORM_PARAMS: &[&str] = &[
    "WebIdentityToken",
    "SAMLAssertion",
    "TokenCode",
    "TradeInToken",
];
const SECRET_XML_ELEMENTS: &[&str] = &["SecretAccessKey", "SessionToken", "WebIdentityToken"];
/// Headers the signer adds itself; the explanation is computed without them.
const ADDED_BY_SIGNING: &[&str] = &["authorization", "x-amz-date", "x-amz-security-token"];

/// Wraps a transport and logs to stderr.
#[derive(Debug)]
pub struct DebugTransport<T> {
    inner: T,
}

impl<T> DebugTransport<T> {
    /// Logs around `inner`.
    pub fn new(inner: T) -> Self {
        DebugTransport { inner }
    }
}

impl<T: HttpTransport> HttpTransport for DebugTransport<T> {
    fn send(&self, request: HttpRequest) -> TransportFuture<'_> {
        log(&describe_request(&request));
        Box::pin(async move {
            let result = self.inner.send(request).await;
            match &result {
                Ok(response) => log(&format!(
                    "Response status: {}\nResponse body:\n{}\n",
                    response.status,
                    redact_xml(&String::from_utf8_lossy(&response.body))
                )),
                Err(e) => log(&format!("Transport error: {e}\n")),
            }
            result
        })
    }
}

/// Writes one block to stderr, prefixed like the AWS CLI's debug log lines.
pub fn log(text: &str) {
    let mut err = std::io::stderr().lock();
    for line in text.lines() {
        let _ = writeln!(err, "DEBUG - {line}");
    }
}

fn header<'a>(request: &'a HttpRequest, name: &str) -> Option<&'a str> {
    request
        .headers
        .iter()
        .find(|(k, _)| k.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

/// The request, its headers (token redacted), its body (secrets redacted), and the canonical
/// request and string to sign it was signed with.
pub fn describe_request(request: &HttpRequest) -> String {
    let mut out = format!(
        "Request: {} {}\nRequest headers:\n",
        request.method, request.url
    );
    for (name, value) in &request.headers {
        let shown = if name.eq_ignore_ascii_case("x-amz-security-token") {
            REDACTED
        } else {
            value.as_str()
        };
        out.push_str(&format!("  {name}: {shown}\n"));
    }
    out.push_str(&format!(
        "Request body:\n{}\n",
        redact_form(&String::from_utf8_lossy(&request.body))
    ));
    match explain(request) {
        Some(text) => out.push_str(&text),
        None => out.push_str("Request is not signed (no Authorization header).\n"),
    }
    out
}

/// Recomputes the canonical request and string to sign from the signed request. Neither
/// depends on the secret key, so a placeholder stands in for it; the signature computed with
/// it is not shown.
fn explain(request: &HttpRequest) -> Option<String> {
    let authorization = header(request, "authorization")?;
    let credential = authorization
        .split("Credential=")
        .nth(1)?
        .split(',')
        .next()?;
    let mut scope = credential.split('/');
    let access_key_id = scope.next()?;
    let _date = scope.next()?;
    let region = scope.next()?;
    let service = scope.next()?;
    let amz_date = header(request, "x-amz-date")?;
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    let time = PrimitiveDateTime::parse(amz_date, &format)
        .ok()?
        .assume_utc();
    let token = header(request, "x-amz-security-token");
    let mut credentials = Credentials::new(access_key_id, "not-the-secret-key");
    if let Some(token) = token {
        credentials = credentials.with_session_token(token);
    }
    let headers: Vec<(&str, &str)> = request
        .headers
        .iter()
        .filter(|(k, _)| !ADDED_BY_SIGNING.iter().any(|a| k.eq_ignore_ascii_case(a)))
        .map(|(k, v)| (k.as_str(), v.as_str()))
        .collect();
    let signable = SignableRequest {
        method: request.method,
        url: &request.url,
        headers: &headers,
        body: &request.body,
    };
    let params = SigningParams {
        credentials: &credentials,
        region,
        service,
        time,
        settings: SigningSettings::default(),
    };
    let explanation = match Signer::new().explain(&signable, &params, SignatureLocation::Headers) {
        Ok(e) => e,
        Err(e) => return Some(format!("Cannot explain the signature: {e}\n")),
    };
    let mut canonical = explanation.canonical_request.clone();
    if let Some(token) = token {
        canonical = canonical.replace(token, REDACTED);
    }
    Some(format!(
        "CanonicalRequest:\n{canonical}\nStringToSign:\n{}\nSignedHeaders: {}\n",
        explanation.string_to_sign, explanation.signed_headers
    ))
}

/// Replaces the values of secret form parameters.
pub fn redact_form(body: &str) -> String {
    body.split('&')
        .map(|pair| match pair.split_once('=') {
            Some((k, _)) if SECRET_FORM_PARAMS.contains(&k) => format!("{k}={REDACTED}"),
            _ => pair.to_owned(),
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Replaces the text of secret XML elements (`<SessionToken>...</SessionToken>`).
pub fn redact_xml(body: &str) -> String {
    let mut out = body.to_owned();
    for name in SECRET_XML_ELEMENTS {
        let open = format!("<{name}>");
        let close = format!("</{name}>");
        let mut from = 0;
        while let Some(start) = out[from..].find(&open).map(|i| from + i + open.len()) {
            let Some(end) = out[start..].find(&close).map(|i| start + i) else {
                // An unterminated element: hide everything after it.
                out.replace_range(start.., REDACTED);
                break;
            };
            out.replace_range(start..end, REDACTED);
            from = start + REDACTED.len() + close.len();
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use sts_client::client::FORM_CONTENT_TYPE;

    const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    const TOKEN: &str = "FQoGZXIvYXdzEXAMPLETOKEN";

    /// Reference vector (b): the canonical request and string to sign recomputed from the
    /// signed request alone, with the token hidden.
    #[test]
    fn explains_reference_vector_b_without_the_token() {
        let body = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=my+session&DurationSeconds=3600&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2Fp1&Tags.member.1.Key=Project&Tags.member.1.Value=Blue+Sky&Tags.member.2.Key=Team&Tags.member.2.Value=a%2Fb%2Bc&TransitiveTagKeys.member.1=Project&ProvidedContexts.member.1.ProviderArn=arn%3Aaws%3Aiam%3A%3Aaws%3AcontextProvider%2FIdentityCenter&ProvidedContexts.member.1.ContextAssertion=abc%3D%3D&Policy=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D";
        let url = "https://sts.us-west-2.amazonaws.com/";
        let creds = Credentials::new("AKIDEXAMPLE", SECRET).with_session_token(TOKEN);
        let time = time::macros::datetime!(2026-01-02 03:04:05 UTC);
        let unsigned = [("content-type", FORM_CONTENT_TYPE)];
        let signed = Signer::new()
            .sign(
                &SignableRequest {
                    method: "POST",
                    url,
                    headers: &unsigned,
                    body: body.as_bytes(),
                },
                &SigningParams {
                    credentials: &creds,
                    region: "us-west-2",
                    service: "sts",
                    time,
                    settings: SigningSettings::default(),
                },
            )
            .unwrap();
        let mut headers = vec![("content-type".to_owned(), FORM_CONTENT_TYPE.to_owned())];
        headers.extend(signed.headers().map(|(k, v)| (k.to_owned(), v.to_owned())));
        headers.push(("user-agent".to_owned(), "sts-client/test".to_owned()));
        let request = HttpRequest {
            method: "POST",
            url: url.into(),
            headers,
            body: body.as_bytes().to_vec(),
        };
        let text = describe_request(&request);
        let expected_canonical = format!(
            "POST\n/\n\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\nhost:sts.us-west-2.amazonaws.com\nx-amz-date:20260102T030405Z\nx-amz-security-token:{REDACTED}\n\ncontent-type;host;x-amz-date;x-amz-security-token\n681361a7c6622c357ab4c93bcb9d2334187c7cafd1315a587038898d2b352180"
        );
        assert!(text.contains(&expected_canonical), "{text}");
        assert!(text.contains("AWS4-HMAC-SHA256\n20260102T030405Z\n20260102/us-west-2/sts/aws4_request\ncb444ec3e483d8728e6fd4a2a8f17c7603a4605f4e5b32427a595070a38aff71"), "{text}");
        assert!(!text.contains(TOKEN), "{text}");
        assert!(!text.contains(SECRET), "{text}");
    }

    #[test]
    fn secrets_in_bodies_are_redacted() {
        assert_eq!(
            redact_form("Action=AssumeRoleWithWebIdentity&WebIdentityToken=eyJ.x.y&RoleArn=a"),
            format!("Action=AssumeRoleWithWebIdentity&WebIdentityToken={REDACTED}&RoleArn=a")
        );
        assert_eq!(
            redact_form("TokenCode=123456&SAMLAssertion=PHN&TradeInToken=t"),
            format!("TokenCode={REDACTED}&SAMLAssertion={REDACTED}&TradeInToken={REDACTED}")
        );
        let xml = "<Credentials><AccessKeyId>ASIA</AccessKeyId><SecretAccessKey>s3cr3t</SecretAccessKey><SessionToken>t0k</SessionToken></Credentials><SessionToken>again</SessionToken>";
        let red = redact_xml(xml);
        assert!(
            !red.contains("s3cr3t") && !red.contains("t0k") && !red.contains("again"),
            "{red}"
        );
        assert!(red.contains("<AccessKeyId>ASIA</AccessKeyId>"));
        assert_eq!(
            redact_xml("<SessionToken>cut"),
            format!("<SessionToken>{REDACTED}")
        );
    }

    #[test]
    fn unsigned_requests_say_so() {
        let request = HttpRequest {
            method: "POST",
            url: "https://sts.amazonaws.com/".into(),
            headers: vec![],
            body: b"Action=AssumeRoleWithSAML&SAMLAssertion=PHN".to_vec(),
        };
        let text = describe_request(&request);
        assert!(text.contains("not signed"), "{text}");
        assert!(!text.contains("PHN"), "{text}");
    }
}
