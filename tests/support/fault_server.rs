//! A misbehaving HTTP/1.1 server for fault tests: it answers each incoming connection with the
//! next step of a script (a response, a reset, a truncated body, a delay, a skewed `Date`) and
//! records every request it read.
//!
//! One request per connection: every response carries `Connection: close`, so a client that
//! retries opens a new connection and gets the next step. Once the script is used up, further
//! connections get a `500` whose body says so. The server thread stops when the handle is
//! dropped (and by itself after [`MAX_LIFETIME`] in any case).
//!
//! ```ignore
//! mod support;
//! use support::fault_server::{FaultServer, Response, Step};
//! let server = FaultServer::start(vec![Step::Reset, Step::Respond(Response::xml(200, "<ok/>"))]);
//! // ... point the client at server.url() ...
//! assert_eq!(server.requests().len(), 2);
//! ```

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// The server stops accepting after this long even if its handle is leaked.
pub const MAX_LIFETIME: Duration = Duration::from_secs(120);
/// How long a connection may take to send its request.
const READ_TIMEOUT: Duration = Duration::from_secs(5);
/// How often the accept loop and delays look at the stop flag.
const POLL: Duration = Duration::from_millis(5);
/// Requests larger than this are not read (the tests never send one).
const MAX_REQUEST: usize = 1 << 20;

/// A complete HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// Status code; the reason phrase is derived from it.
    pub status: u16,
    /// Headers to send. `Content-Length` is added from the body unless given here;
    /// `Connection: close` is always added.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
}

impl Response {
    /// A response with a body and no headers of its own.
    pub fn new(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    /// A `text/xml` response, as STS sends.
    pub fn xml(status: u16, body: impl Into<Vec<u8>>) -> Self {
        Self::new(status, body).with_header("Content-Type", "text/xml")
    }

    /// Adds a header.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.headers.push((name.into(), value.into()));
        self
    }
}

/// What to do with one incoming connection.
#[derive(Debug, Clone)]
pub enum Step {
    /// Read the request and answer it.
    Respond(Response),
    /// Read the request and close the connection without answering (orderly FIN).
    Close,
    /// Close the connection while the request is still unread, so the kernel answers with a
    /// TCP reset (RST). The request is recorded all the same (it is peeked, not consumed).
    Reset,
    /// Answer `200` with `Content-Length: declared_len` but send only `body`, then close.
    Truncated {
        /// The length announced in `Content-Length`.
        declared_len: usize,
        /// The bytes actually sent (shorter than `declared_len`).
        body: Vec<u8>,
    },
    /// Read the request, wait, then carry out the inner step.
    Delay(Duration, Box<Step>),
    /// Answer with `response` plus a `Date` header `minutes` away from now (IMF-fixdate),
    /// for clock-skew tests.
    DateOffset {
        /// Offset from the current time, in minutes (negative: in the past).
        minutes: i64,
        /// The response to add the header to.
        response: Response,
    },
}

/// A request as the server received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecordedRequest {
    /// The method, e.g. `POST`.
    pub method: String,
    /// The request target, e.g. `/` or `/?Action=...`.
    pub path: String,
    /// Headers in the order received, names as sent.
    pub headers: Vec<(String, String)>,
    /// The body (as long as `Content-Length` said).
    pub body: Vec<u8>,
}

impl RecordedRequest {
    /// The first header with this name (ASCII case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    /// The body as text (lossy).
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }
}

#[derive(Default)]
struct Shared {
    stop: AtomicBool,
    connections: AtomicUsize,
    requests: Mutex<Vec<RecordedRequest>>,
}

/// A running fault server; dropping it stops the server and waits for its threads.
pub struct FaultServer {
    addr: SocketAddr,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl FaultServer {
    /// Starts a server on `127.0.0.1` (a free port) that plays `steps`, one per connection.
    pub fn start(steps: Vec<Step>) -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind 127.0.0.1:0");
        listener
            .set_nonblocking(true)
            .expect("non-blocking listener");
        let addr = listener.local_addr().expect("local address");
        let shared = Arc::new(Shared::default());
        let thread_shared = Arc::clone(&shared);
        let thread = thread::Builder::new()
            .name("fault-server".into())
            .spawn(move || accept_loop(listener, steps, &thread_shared))
            .expect("spawn the fault server thread");
        Self {
            addr,
            shared,
            thread: Some(thread),
        }
    }

    /// The server's address.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// `http://127.0.0.1:PORT` (no trailing slash).
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// The requests read so far, in the order they completed.
    pub fn requests(&self) -> Vec<RecordedRequest> {
        lock(&self.shared.requests).clone()
    }

    /// How many connections were accepted so far (also those that sent no request).
    pub fn connection_count(&self) -> usize {
        self.shared.connections.load(Ordering::SeqCst)
    }
}

impl Drop for FaultServer {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(thread) = self.thread.take() {
            // A panic in the server thread already failed the test through its output.
            let _ = thread.join();
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}

fn accept_loop(listener: TcpListener, steps: Vec<Step>, shared: &Arc<Shared>) {
    let started = Instant::now();
    let mut steps = steps.into_iter();
    let mut workers = Vec::new();
    while !shared.stop.load(Ordering::SeqCst) && started.elapsed() < MAX_LIFETIME {
        match listener.accept() {
            Ok((stream, _)) => {
                shared.connections.fetch_add(1, Ordering::SeqCst);
                let step = steps.next();
                let worker_shared = Arc::clone(shared);
                workers.push(thread::spawn(move || {
                    // I/O errors only mean the client went away: nothing to report.
                    let _ = serve(stream, step, &worker_shared);
                }));
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => thread::sleep(POLL),
            Err(_) => thread::sleep(POLL),
        }
    }
    drop(listener);
    for worker in workers {
        let _ = worker.join();
    }
}

fn serve(mut stream: TcpStream, step: Option<Step>, shared: &Shared) -> io::Result<()> {
    stream.set_nonblocking(false)?;
    stream.set_read_timeout(Some(READ_TIMEOUT))?;
    stream.set_write_timeout(Some(READ_TIMEOUT))?;
    let consume = !matches!(step, Some(Step::Reset));
    let Some(request) = read_request(&mut stream, consume, shared)? else {
        return Ok(());
    };
    lock(&shared.requests).push(request);
    match step {
        Some(step) => play(&mut stream, step, shared),
        None => write_response(
            &mut stream,
            &Response::new(500, "fault_server: no scripted response left"),
        ),
    }
}

fn play(stream: &mut TcpStream, step: Step, shared: &Shared) -> io::Result<()> {
    match step {
        Step::Respond(response) => write_response(stream, &response),
        Step::Close => stream.shutdown(Shutdown::Both),
        // Dropping the stream with the request still unread makes the kernel send RST.
        Step::Reset => Ok(()),
        Step::Truncated { declared_len, body } => {
            let head = format!(
                "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {declared_len}\r\nConnection: close\r\n\r\n"
            );
            stream.write_all(head.as_bytes())?;
            stream.write_all(&body)?;
            stream.flush()?;
            stream.shutdown(Shutdown::Write)
        }
        Step::Delay(duration, then) => {
            let until = Instant::now() + duration;
            while Instant::now() < until {
                if shared.stop.load(Ordering::SeqCst) {
                    return Ok(());
                }
                thread::sleep(POLL.min(until.saturating_duration_since(Instant::now())));
            }
            play(stream, *then, shared)
        }
        Step::DateOffset { minutes, response } => {
            let date = imf_fixdate(minutes);
            write_response(stream, &response.with_header("Date", date))
        }
    }
}

/// `Sun, 06 Nov 1994 08:49:37 GMT` for now + `minutes`.
pub fn imf_fixdate(minutes: i64) -> String {
    let format = time::macros::format_description!(
        "[weekday repr:short], [day] [month repr:short] [year] [hour]:[minute]:[second] GMT"
    );
    (time::OffsetDateTime::now_utc() + time::Duration::minutes(minutes))
        .format(&format)
        .expect("IMF-fixdate formatting")
}

fn reason(status: u16) -> &'static str {
    match status {
        200 => "OK",
        400 => "Bad Request",
        403 => "Forbidden",
        404 => "Not Found",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    }
}

fn write_response(stream: &mut TcpStream, response: &Response) -> io::Result<()> {
    let mut head = format!(
        "HTTP/1.1 {} {}\r\n",
        response.status,
        reason(response.status)
    );
    for (name, value) in &response.headers {
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    let has_length = response
        .headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("content-length"));
    if !has_length {
        head.push_str(&format!("Content-Length: {}\r\n", response.body.len()));
    }
    head.push_str("Connection: close\r\n\r\n");
    stream.write_all(head.as_bytes())?;
    stream.write_all(&response.body)?;
    stream.flush()?;
    stream.shutdown(Shutdown::Write)
}

/// Reads (or, with `consume` false, only peeks at) one request: head up to the blank line,
/// then a `Content-Length` body. `None` when the client sent no complete request in time.
fn read_request(
    stream: &mut TcpStream,
    consume: bool,
    shared: &Shared,
) -> io::Result<Option<RecordedRequest>> {
    let deadline = Instant::now() + READ_TIMEOUT;
    let mut buf = vec![0u8; 8192];
    loop {
        // peek blocks until some data is there (bounded by the read timeout), then returns
        // whatever is buffered; the request is complete once head and body are all in.
        let n = stream.peek(&mut buf)?;
        if n == 0 {
            return Ok(None);
        }
        if let Some((request, total)) = parse_request(&buf[..n]) {
            if consume {
                let mut sink = vec![0u8; total];
                stream.read_exact(&mut sink)?;
            }
            return Ok(Some(request));
        }
        if n == buf.len() {
            if buf.len() >= MAX_REQUEST {
                return Ok(None);
            }
            buf.resize(buf.len() * 2, 0);
        } else if Instant::now() > deadline || shared.stop.load(Ordering::SeqCst) {
            return Ok(None);
        } else {
            thread::sleep(Duration::from_millis(1));
        }
    }
}

/// A complete request in `data` and the number of bytes it takes, or `None` if incomplete.
fn parse_request(data: &[u8]) -> Option<(RecordedRequest, usize)> {
    let head_end = data.windows(4).position(|w| w == b"\r\n\r\n")? + 4;
    let head = std::str::from_utf8(&data[..head_end - 4]).ok()?;
    let mut lines = head.split("\r\n");
    let mut request_line = lines.next()?.split(' ');
    let method = request_line.next()?.to_owned();
    let path = request_line.next()?.to_owned();
    let headers: Vec<(String, String)> = lines
        .filter_map(|line| line.split_once(':'))
        .map(|(n, v)| (n.trim().to_owned(), v.trim().to_owned()))
        .collect();
    let body_len = headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("content-length"))
        .and_then(|(_, v)| v.parse::<usize>().ok())
        .unwrap_or(0);
    let total = head_end + body_len;
    if data.len() < total {
        return None;
    }
    let body = data[head_end..total].to_vec();
    Some((
        RecordedRequest {
            method,
            path,
            headers,
            body,
        },
        total,
    ))
}
