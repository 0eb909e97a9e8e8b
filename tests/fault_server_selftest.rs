//! The fault server checked with a raw TCP client, so that the client's fault tests can rely on
//! it behaving as scripted.

mod support;

use std::io::{self, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};
use support::fault_server::{imf_fixdate, FaultServer, Response, Step};

const REQUEST_BODY: &str = "Action=GetCallerIdentity&Version=2011-06-15";

/// Sends one POST and reads until the server closes: the raw response bytes, or the error.
fn exchange(server: &FaultServer) -> io::Result<Vec<u8>> {
    let mut stream = TcpStream::connect(server.addr())?;
    stream.set_read_timeout(Some(Duration::from_secs(10)))?;
    let request = format!(
        "POST / HTTP/1.1\r\nHost: {}\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\r\nX-Amz-Date: 20260101T000000Z\r\nContent-Length: {}\r\n\r\n{REQUEST_BODY}",
        server.addr(),
        REQUEST_BODY.len()
    );
    stream.write_all(request.as_bytes())?;
    let mut response = Vec::new();
    stream.read_to_end(&mut response)?;
    Ok(response)
}

/// Splits a raw response into status, headers and body.
fn parse(raw: &[u8]) -> (u16, Vec<(String, String)>, Vec<u8>) {
    let split = raw.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = std::str::from_utf8(&raw[..split]).unwrap();
    let mut lines = head.split("\r\n");
    let status = lines
        .next()
        .unwrap()
        .split(' ')
        .nth(1)
        .unwrap()
        .parse()
        .unwrap();
    let headers = lines
        .map(|l| {
            let (n, v) = l.split_once(':').unwrap();
            (n.to_owned(), v.trim().to_owned())
        })
        .collect();
    (status, headers, raw[split + 4..].to_vec())
}

fn header<'a>(headers: &'a [(String, String)], name: &str) -> Option<&'a str> {
    headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name))
        .map(|(_, v)| v.as_str())
}

#[test]
fn plays_responses_in_order_and_records_requests() {
    let server = FaultServer::start(vec![
        Step::Respond(Response::xml(503, "<busy/>").with_header("x-amzn-RequestId", "r-1")),
        Step::Respond(Response::new(200, "done")),
    ]);
    let (status, headers, body) = parse(&exchange(&server).unwrap());
    assert_eq!(status, 503);
    assert_eq!(header(&headers, "x-amzn-requestid"), Some("r-1"));
    assert_eq!(header(&headers, "content-type"), Some("text/xml"));
    assert_eq!(header(&headers, "content-length"), Some("7"));
    assert_eq!(header(&headers, "connection"), Some("close"));
    assert_eq!(body, b"<busy/>");

    let (status, _, body) = parse(&exchange(&server).unwrap());
    assert_eq!((status, body.as_slice()), (200, &b"done"[..]));

    // Script used up: a 500 that says so.
    let (status, _, body) = parse(&exchange(&server).unwrap());
    assert_eq!(status, 500);
    assert!(String::from_utf8(body)
        .unwrap()
        .contains("no scripted response"));

    let requests = server.requests();
    assert_eq!(requests.len(), 3);
    assert_eq!(server.connection_count(), 3);
    let first = &requests[0];
    assert_eq!(first.method, "POST");
    assert_eq!(first.path, "/");
    assert_eq!(first.header("x-amz-date"), Some("20260101T000000Z"));
    assert_eq!(
        first.header("HOST"),
        Some(server.addr().to_string().as_str())
    );
    assert_eq!(first.body_text(), REQUEST_BODY);
}

#[test]
fn reset_aborts_the_connection_but_records_the_request() {
    let server = FaultServer::start(vec![Step::Reset]);
    let err = exchange(&server).unwrap_err();
    assert_eq!(err.kind(), io::ErrorKind::ConnectionReset, "{err:?}");
    assert_eq!(server.requests().len(), 1);
    assert_eq!(server.requests()[0].body_text(), REQUEST_BODY);
}

#[test]
fn close_answers_nothing() {
    let server = FaultServer::start(vec![Step::Close]);
    assert_eq!(exchange(&server).unwrap(), b"");
    assert_eq!(server.requests().len(), 1);
}

#[test]
fn truncated_body_is_shorter_than_announced() {
    let server = FaultServer::start(vec![Step::Truncated {
        declared_len: 100,
        body: b"<GetCallerIdentityResponse>".to_vec(),
    }]);
    let (status, headers, body) = parse(&exchange(&server).unwrap());
    assert_eq!(status, 200);
    assert_eq!(header(&headers, "content-length"), Some("100"));
    assert_eq!(body, b"<GetCallerIdentityResponse>");
}

#[test]
fn delay_holds_the_answer_back() {
    let delay = Duration::from_millis(300);
    let server = FaultServer::start(vec![Step::Delay(
        delay,
        Box::new(Step::Respond(Response::new(200, "late"))),
    )]);
    let started = Instant::now();
    let (status, _, body) = parse(&exchange(&server).unwrap());
    assert!(started.elapsed() >= delay, "{:?}", started.elapsed());
    assert_eq!((status, body.as_slice()), (200, &b"late"[..]));
}

#[test]
fn date_offset_sends_a_skewed_imf_fixdate() {
    let server = FaultServer::start(vec![Step::DateOffset {
        minutes: -20,
        response: Response::xml(403, "<RequestTimeTooSkewed/>"),
    }]);
    let (status, headers, _) = parse(&exchange(&server).unwrap());
    assert_eq!(status, 403);
    let date = header(&headers, "date").unwrap();
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    let sent = time::PrimitiveDateTime::parse(date, &format)
        .unwrap()
        .assume_utc();
    let skew = sent - time::OffsetDateTime::now_utc();
    assert!(
        (skew + time::Duration::minutes(20)).abs() < time::Duration::seconds(5),
        "{date}: {skew}"
    );
    assert!(imf_fixdate(0).ends_with(" GMT"));
}

#[test]
fn drop_stops_the_server_even_during_a_delay() {
    let server = FaultServer::start(vec![Step::Delay(
        Duration::from_secs(60),
        Box::new(Step::Respond(Response::new(200, "never"))),
    )]);
    let addr = server.addr();
    let mut stream = TcpStream::connect(addr).unwrap();
    stream
        .write_all(b"GET / HTTP/1.1\r\nHost: x\r\n\r\n")
        .unwrap();
    // Wait until the request is recorded, so the worker is inside the delay.
    let waited = Instant::now();
    while server.requests().is_empty() && waited.elapsed() < Duration::from_secs(5) {
        std::thread::sleep(Duration::from_millis(5));
    }
    assert_eq!(server.requests()[0].method, "GET");
    let started = Instant::now();
    drop(server);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    assert!(
        TcpStream::connect(addr).is_err(),
        "still listening after drop"
    );
}

#[test]
fn large_bodies_are_read_whole() {
    let body = "A".repeat(100_000);
    let server = FaultServer::start(vec![Step::Respond(Response::new(200, "ok"))]);
    let mut stream = TcpStream::connect(server.addr()).unwrap();
    let request = format!(
        "POST /x HTTP/1.1\r\nHost: h\r\nContent-Length: {}\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).unwrap();
    let mut response = Vec::new();
    stream.read_to_end(&mut response).unwrap();
    assert_eq!(parse(&response).0, 200);
    let recorded = server.requests();
    assert_eq!(recorded[0].path, "/x");
    assert_eq!(recorded[0].body.len(), 100_000);
}
