//! The client against a misbehaving server on loopback: every case ends in success or a typed
//! error, within bounded time.

mod support;

use std::time::{Duration, Instant};
use sts_client::client::retry::RetryConfig;
use sts_client::client::transport::Timeouts;
use sts_client::config::ClientConfig;
use sts_client::{Client, Credentials, Error, ErrorCode};
use support::fault_server::{FaultServer, Response, Step};

const GCI_OK: &str = r#"<GetCallerIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <GetCallerIdentityResult>
    <Arn>arn:aws:iam::123456789012:user/alice</Arn>
    <UserId>AIDAEXAMPLE</UserId>
    <Account>123456789012</Account>
  </GetCallerIdentityResult>
  <ResponseMetadata><RequestId>req-ok</RequestId></ResponseMetadata>
</GetCallerIdentityResponse>"#;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

fn error_body(code: &str, message: &str) -> String {
    format!(
        r#"<ErrorResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"><Error><Type>Sender</Type><Code>{code}</Code><Message>{message}</Message></Error><RequestId>req-err</RequestId></ErrorResponse>"#
    )
}

/// Fast retries so that tests do not sleep for seconds.
fn fast_retry(max_attempts: u32) -> RetryConfig {
    RetryConfig {
        max_attempts,
        base_delay: Duration::from_millis(1),
        throttling_base_delay: Duration::from_millis(2),
        max_backoff: Duration::from_millis(20),
    }
}

fn client_for(server: &FaultServer, retry: RetryConfig, timeouts: Timeouts) -> Client {
    Client::builder()
        .config(
            ClientConfig::new()
                .with_region("us-east-1")
                .with_endpoint_url(server.url()),
        )
        .credentials(Credentials::new("AKIDEXAMPLE", SECRET))
        .retry(retry)
        .timeouts(timeouts)
        .build()
        .expect("client")
}

fn quick_timeouts() -> Timeouts {
    Timeouts {
        connect: Duration::from_secs(2),
        total: Duration::from_secs(5),
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime")
}

fn service_code(e: &Error) -> ErrorCode {
    e.code()
        .cloned()
        .unwrap_or_else(|| panic!("not a service error: {e}"))
}

#[test]
fn a_500_then_200_is_retried_and_succeeds() {
    let server = FaultServer::start(vec![
        Step::Respond(Response::xml(500, error_body("InternalFailure", "oops"))),
        Step::Respond(Response::xml(200, GCI_OK)),
    ]);
    let client = client_for(&server, fast_retry(3), quick_timeouts());
    let out = runtime()
        .block_on(client.get_caller_identity().send())
        .expect("second attempt succeeds");
    assert_eq!(out.account, "123456789012");
    assert_eq!(out.request_id.as_deref(), Some("req-ok"));
    assert_eq!(server.requests().len(), 2);
}

#[test]
fn throttling_on_every_attempt_stops_after_the_configured_attempts() {
    let steps = (0..5)
        .map(|_| {
            Step::Respond(Response::xml(
                400,
                error_body("Throttling", "Rate exceeded"),
            ))
        })
        .collect();
    let server = FaultServer::start(steps);
    let client = client_for(&server, fast_retry(4), quick_timeouts());
    let err = runtime()
        .block_on(client.get_caller_identity().send())
        .expect_err("always throttled");
    assert_eq!(service_code(&err), ErrorCode::Throttling);
    assert_eq!(err.request_id(), Some("req-err"));
    assert_eq!(server.requests().len(), 4);
    assert_eq!(
        err.to_string(),
        "GetCallerIdentity failed: Throttling (400): Rate exceeded [request id req-err]"
    );
}

#[test]
fn authentication_errors_are_never_retried() {
    let steps = (0..3)
        .map(|_| {
            Step::Respond(Response::xml(
                403,
                error_body(
                    "InvalidClientTokenId",
                    "The security token included in the request is invalid.",
                ),
            ))
        })
        .collect();
    let server = FaultServer::start(steps);
    let client = client_for(&server, fast_retry(3), quick_timeouts());
    let err = runtime()
        .block_on(client.get_caller_identity().send())
        .expect_err("bad key");
    assert_eq!(service_code(&err), ErrorCode::InvalidClientTokenId);
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn a_connection_reset_is_retried() {
    let server = FaultServer::start(vec![Step::Reset, Step::Respond(Response::xml(200, GCI_OK))]);
    let client = client_for(&server, fast_retry(3), quick_timeouts());
    let out = runtime()
        .block_on(client.get_caller_identity().send())
        .expect("retried after the reset");
    assert_eq!(out.arn, "arn:aws:iam::123456789012:user/alice");
}

#[test]
fn resets_on_every_attempt_end_in_a_transport_error() {
    let server = FaultServer::start(vec![Step::Reset, Step::Reset, Step::Close]);
    let client = client_for(&server, fast_retry(3), quick_timeouts());
    let err = runtime()
        .block_on(client.get_caller_identity().send())
        .expect_err("never answered");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
    assert!(err.is_retryable());
    assert_eq!(server.connection_count(), 3);
}

#[test]
fn a_truncated_body_is_a_transport_error_not_a_panic() {
    let body = GCI_OK.as_bytes()[..40].to_vec();
    let server = FaultServer::start(vec![Step::Truncated {
        declared_len: GCI_OK.len(),
        body,
    }]);
    let client = client_for(&server, fast_retry(1), quick_timeouts());
    let err = runtime()
        .block_on(client.get_caller_identity().send())
        .expect_err("truncated");
    assert!(matches!(err, Error::Transport(_)), "{err:?}");
}

#[test]
fn a_slow_server_hits_the_timeout_within_bounded_time() {
    let server = FaultServer::start(vec![Step::Delay(
        Duration::from_secs(10),
        Box::new(Step::Respond(Response::xml(200, GCI_OK))),
    )]);
    let timeouts = Timeouts {
        connect: Duration::from_secs(1),
        total: Duration::from_millis(300),
    };
    let client = client_for(&server, fast_retry(1), timeouts);
    let started = Instant::now();
    let err = runtime()
        .block_on(client.get_caller_identity().send())
        .expect_err("timed out");
    assert!(started.elapsed() < Duration::from_secs(3));
    match err {
        Error::Transport(sts_client::client::transport::TransportError::Timeout {
            after, ..
        }) => {
            assert_eq!(after, Duration::from_millis(300))
        }
        other => panic!("expected a timeout, got {other:?}"),
    }
}

#[test]
fn an_html_500_page_becomes_a_typed_error_with_the_status() {
    let page = "<html><body><h1>500 Internal Server Error</h1></body></html>";
    let server = FaultServer::start(vec![
        Step::Respond(Response::new(500, page).with_header("Content-Type", "text/html")),
        Step::Respond(Response::new(500, page).with_header("Content-Type", "text/html")),
    ]);
    let client = client_for(&server, fast_retry(2), quick_timeouts());
    let err = runtime()
        .block_on(client.get_caller_identity().send())
        .expect_err("html");
    let service = err.as_service_error().expect("service error");
    assert_eq!(service.status(), 500);
    assert_eq!(*service.code(), ErrorCode::Unparsed);
    assert!(err.to_string().contains("HTTP 500"), "{err}");
    assert_eq!(server.requests().len(), 2, "5xx is retried");
}

fn x_amz_date(request: &support::fault_server::RecordedRequest) -> time::PrimitiveDateTime {
    let value = request.header("x-amz-date").expect("signed request");
    let format = time::macros::format_description!("[year][month][day]T[hour][minute][second]Z");
    time::PrimitiveDateTime::parse(value, format).expect("x-amz-date format")
}

#[test]
fn a_skewed_server_clock_is_learned_and_the_request_signed_again() {
    let expired = error_body(
        "SignatureDoesNotMatch",
        "Signature expired: 20260102T030405Z is now earlier than 20260102T031905Z (20260102T033405Z - 15 min.)",
    );
    let server = FaultServer::start(vec![
        Step::DateOffset {
            minutes: 15,
            response: Response::xml(403, expired),
        },
        Step::DateOffset {
            minutes: 15,
            response: Response::xml(200, GCI_OK),
        },
    ]);
    // One attempt only: the skew retry must not come out of the retry budget.
    let client = client_for(&server, fast_retry(1), quick_timeouts());
    let out = runtime()
        .block_on(client.get_caller_identity().send())
        .expect("corrected and succeeded");
    assert_eq!(out.user_id, "AIDAEXAMPLE");
    let requests = server.requests();
    assert_eq!(requests.len(), 2);
    let moved = x_amz_date(&requests[1]) - x_amz_date(&requests[0]);
    assert!(
        (moved - time::Duration::minutes(15)).abs() < time::Duration::seconds(5),
        "second signature moved by {moved}"
    );
    let learned = client.clock_skew();
    assert!((learned - time::Duration::minutes(15)).abs() < time::Duration::seconds(5));
}

#[test]
fn a_persistent_skew_error_states_the_measured_drift() {
    let expired = error_body("RequestExpired", "Request has expired.");
    let steps = (0..3)
        .map(|_| Step::DateOffset {
            minutes: -20,
            response: Response::xml(400, expired.clone()),
        })
        .collect();
    let server = FaultServer::start(steps);
    let client = client_for(&server, fast_retry(1), quick_timeouts());
    let err = runtime()
        .block_on(client.get_caller_identity().send())
        .expect_err("still failing");
    assert_eq!(service_code(&err), ErrorCode::RequestExpired);
    assert_eq!(server.requests().len(), 2, "one skew retry, no more");
    let text = err.to_string();
    assert!(text.contains("ahead of the server"), "{text}");
    assert!(
        text.contains("1200s") || text.contains("1199s") || text.contains("1201s"),
        "{text}"
    );
}

#[test]
fn signed_requests_carry_botocore_headers_and_an_unsigned_user_agent() {
    let server = FaultServer::start(vec![Step::Respond(Response::xml(200, GCI_OK))]);
    let client = Client::builder()
        .config(
            ClientConfig::new()
                .with_region("eu-west-1")
                .with_endpoint_url(server.url()),
        )
        .credentials(Credentials::new("AKIDEXAMPLE", SECRET).with_session_token("TOKEN123"))
        .build()
        .expect("client");
    runtime()
        .block_on(client.get_caller_identity().send())
        .expect("ok");
    let request = &server.requests()[0];
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.body_text(),
        "Action=GetCallerIdentity&Version=2011-06-15"
    );
    assert_eq!(
        request.header("content-type"),
        Some("application/x-www-form-urlencoded; charset=utf-8")
    );
    assert_eq!(request.header("x-amz-security-token"), Some("TOKEN123"));
    assert!(request
        .header("user-agent")
        .is_some_and(|ua| ua.starts_with("sts-client/")));
    let auth = request.header("authorization").expect("signed");
    assert!(auth.starts_with("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/"));
    assert!(auth.contains("/eu-west-1/sts/aws4_request"));
    assert!(auth.contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token,"));
    assert!(!auth.contains(SECRET));
}

#[test]
fn unsigned_operations_need_no_credentials_and_send_no_signature() {
    let body = r#"<AssumeRoleWithWebIdentityResponse><AssumeRoleWithWebIdentityResult>
      <Credentials><AccessKeyId>ASIAEXAMPLEKEY000003</AccessKeyId><SecretAccessKey>s</SecretAccessKey>
      <SessionToken>t</SessionToken><Expiration>2026-01-02T04:04:05Z</Expiration></Credentials>
      <AssumedRoleUser><Arn>arn:aws:sts::111122223333:assumed-role/R/s</Arn><AssumedRoleId>AROAX:s</AssumedRoleId></AssumedRoleUser>
      </AssumeRoleWithWebIdentityResult></AssumeRoleWithWebIdentityResponse>"#;
    let server = FaultServer::start(vec![Step::Respond(Response::xml(200, body))]);
    let client = Client::builder()
        .config(
            ClientConfig::new()
                .with_region("us-east-1")
                .with_endpoint_url(server.url()),
        )
        .build()
        .expect("client without credentials");
    let out = runtime()
        .block_on(
            client
                .assume_role_with_web_identity()
                .role_arn("arn:aws:iam::111122223333:role/R")
                .role_session_name("s1")
                .web_identity_token("eyJhbGciOiJSUzI1NiJ9.e30.c2ln")
                .send(),
        )
        .expect("unsigned call");
    assert_eq!(out.credentials.access_key_id(), "ASIAEXAMPLEKEY000003");
    let request = &server.requests()[0];
    assert!(request.header("authorization").is_none());
    assert!(request.header("x-amz-date").is_none());

    // A signed operation on the same client is a clear error, and nothing is sent.
    let err = runtime()
        .block_on(client.get_caller_identity().send())
        .expect_err("no credentials");
    assert!(matches!(err, Error::NoCredentials { .. }), "{err:?}");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn invalid_input_is_refused_before_anything_is_sent() {
    let server = FaultServer::start(vec![]);
    let client = client_for(&server, fast_retry(1), quick_timeouts());
    let err = runtime()
        .block_on(
            client
                .assume_role()
                .role_arn("arn:aws:iam::123456789012:role/demo")
                .role_session_name("has space")
                .send(),
        )
        .expect_err("invalid session name");
    assert!(matches!(err, Error::Validation(_)), "{err:?}");
    assert!(err.to_string().contains("RoleSessionName"), "{err}");
    assert_eq!(server.connection_count(), 0);
}

#[cfg(feature = "blocking")]
#[test]
fn the_blocking_client_makes_the_same_call() {
    let server = FaultServer::start(vec![
        Step::Respond(Response::xml(503, error_body("ServiceUnavailable", "busy"))),
        Step::Respond(Response::xml(200, GCI_OK)),
    ]);
    let client =
        sts_client::BlockingClient::new(client_for(&server, fast_retry(3), quick_timeouts()))
            .expect("blocking client");
    let out = client
        .get_caller_identity()
        .send()
        .expect("retried, then ok");
    assert_eq!(out.account, "123456789012");
    assert_eq!(server.requests().len(), 2);
}

/// Runs in a child process (see the test below), where the proxy variables can be set
/// without racing other tests.
#[test]
#[ignore = "run by requests_go_through_the_proxy_from_the_environment"]
fn child_sends_through_env_proxy() {
    let client = Client::builder()
        .config(
            ClientConfig::new()
                .with_region("us-east-1")
                .with_endpoint_url("http://sts.proxy-test.invalid"),
        )
        .credentials(Credentials::new("AKIDEXAMPLE", SECRET))
        .retry(fast_retry(1))
        .build()
        .expect("client");
    let out = runtime()
        .block_on(client.get_caller_identity().send())
        .expect("answered by the proxy");
    assert_eq!(out.account, "123456789012");
}

#[test]
fn requests_go_through_the_proxy_from_the_environment() {
    // The "proxy" answers like STS; the host in the URL does not resolve, so only a request
    // sent through the proxy can succeed.
    let proxy = FaultServer::start(vec![Step::Respond(Response::xml(200, GCI_OK))]);
    let status = std::process::Command::new(std::env::current_exe().expect("test binary"))
        .args([
            "--exact",
            "child_sends_through_env_proxy",
            "--ignored",
            "--test-threads=1",
        ])
        .env("HTTP_PROXY", proxy.url())
        .env("http_proxy", proxy.url())
        .env_remove("NO_PROXY")
        .env_remove("no_proxy")
        .status()
        .expect("child test");
    assert!(status.success(), "child test failed");
    let requests = proxy.requests();
    assert_eq!(requests.len(), 1);
    assert_eq!(requests[0].header("host"), Some("sts.proxy-test.invalid"));
    assert!(requests[0].header("authorization").is_some());
}

#[test]
fn eks_tokens_and_vault_logins_use_the_clients_credentials_region_and_clock() {
    use sts_client::credentials::ManualClock;
    use sts_client::sigv4::Signer;
    let time = time::macros::datetime!(2026-01-02 03:04:05 UTC);
    let client = Client::builder()
        .config(ClientConfig::new().with_region("us-west-2"))
        .credentials(Credentials::new("AKIDEXAMPLE", SECRET))
        .clock(ManualClock::new(time))
        .build()
        .expect("client");
    let token = runtime()
        .block_on(client.eks_token("my-cluster"))
        .expect("token");
    // Reference section 7.4: the worked token for vector (c).
    let expected = sts_client::presign::eks_token(
        &Signer::new(),
        &Credentials::new("AKIDEXAMPLE", SECRET),
        client.endpoint(),
        "my-cluster",
        time,
    )
    .expect("direct");
    assert_eq!(token.token(), expected.token());
    assert!(token
        .token()
        .starts_with("k8s-aws-v1.aHR0cHM6Ly9zdHMudXMtd2VzdC0yLmFtYXpvbmF3cy5jb20v"));

    let login = runtime()
        .block_on(client.vault_iam_login_request(Some("vault.example.com"), Some("dev")))
        .expect("login");
    assert_eq!(login.url(), "https://sts.us-west-2.amazonaws.com/");
    assert!(login
        .headers()
        .any(|(k, v)| k == "X-Amz-Date" && v == "20260102T030405Z"));

    let anonymous = Client::builder()
        .config(ClientConfig::new().with_region("us-west-2"))
        .build()
        .expect("client");
    let err = runtime()
        .block_on(anonymous.eks_token("c"))
        .expect_err("no credentials");
    assert!(matches!(err, Error::NoCredentials { .. }), "{err:?}");
}
