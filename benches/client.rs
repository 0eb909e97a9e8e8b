//! One GetCallerIdentity call through the client, next to a plain reqwest POST of the same
//! bytes to the same local server in the same run: what the client adds on top of HTTP
//! (credentials, building, signing, parsing, the retry loop).
//!
//! `cargo bench --bench client`
//!
//! The default client has connect and total timeouts on, which cost a timer per request that
//! a default reqwest client does not pay; the middle contender shows the client without them.

use criterion::{criterion_group, criterion_main, Criterion};
use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::Duration;
use sts_client::config::ClientConfig;
use sts_client::{Client, Credentials};

const GCI_OK: &str = include_str!("../tests/data/responses/GetCallerIdentity.xml");

/// A keep-alive HTTP/1.1 server answering every request with the same GetCallerIdentity
/// body, so that both contenders reuse one connection and measure the same server work.
fn start_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || serve(stream));
        }
    });
    format!("http://{addr}")
}

fn serve(stream: TcpStream) {
    let _ = stream.set_nodelay(true);
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let mut writer = match stream.try_clone() {
        Ok(w) => w,
        Err(_) => return,
    };
    let mut reader = BufReader::new(stream);
    let response = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: text/xml\r\nContent-Length: {}\r\n\r\n{}",
        GCI_OK.len(),
        GCI_OK
    );
    loop {
        let mut content_length = 0usize;
        let mut line = String::new();
        let mut first = true;
        loop {
            line.clear();
            match reader.read_line(&mut line) {
                Ok(0) | Err(_) => return,
                Ok(_) => {}
            }
            if line == "\r\n" && !first {
                break;
            }
            first = false;
            let lower = line.to_ascii_lowercase();
            if let Some(v) = lower.strip_prefix("content-length:") {
                content_length = v.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; content_length];
        if reader.read_exact(&mut body).is_err() || writer.write_all(response.as_bytes()).is_err() {
            return;
        }
    }
}

fn benches(c: &mut Criterion) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let url = start_server();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("runtime");
    let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    let client = Client::builder()
        .config(
            ClientConfig::new()
                .with_region("us-east-1")
                .with_endpoint_url(&url),
        )
        .credentials(credentials)
        .build()
        .expect("client");
    // The same client on a default reqwest client (no timeouts), to separate what the
    // client's own code costs from what its default connect and total timeouts cost.
    let client_on_plain_reqwest = Client::builder()
        .config(
            ClientConfig::new()
                .with_region("us-east-1")
                .with_endpoint_url(&url),
        )
        .credentials(Credentials::new(
            "AKIDEXAMPLE",
            "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
        ))
        .transport(
            sts_client::client::transport::ReqwestTransport::from_client(
                reqwest::Client::new(),
                Default::default(),
            ),
        )
        .build()
        .expect("client");

    // The same request bytes the client sends, signed once, for the plain POST.
    let body = "Action=GetCallerIdentity&Version=2011-06-15";
    let signed = sts_client::sigv4::Signer::new()
        .sign(
            &sts_client::sigv4::SignableRequest {
                method: "POST",
                url: &url,
                headers: &[("content-type", sts_client::client::FORM_CONTENT_TYPE)],
                body: body.as_bytes(),
            },
            &sts_client::sigv4::SigningParams {
                credentials: &Credentials::new(
                    "AKIDEXAMPLE",
                    "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY",
                ),
                region: "us-east-1",
                service: "sts",
                time: time::OffsetDateTime::now_utc(),
                settings: Default::default(),
            },
        )
        .expect("sign");
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(
        "content-type",
        sts_client::client::FORM_CONTENT_TYPE
            .parse()
            .expect("header"),
    );
    for (name, value) in signed.headers() {
        headers.insert(name, value.parse().expect("header"));
    }
    let plain = reqwest::Client::builder().build().expect("reqwest");

    let mut group = c.benchmark_group("GetCallerIdentity over loopback");
    group.bench_function("sts-client call", |b| {
        b.iter(|| {
            runtime
                .block_on(client.get_caller_identity().send())
                .expect("call")
        })
    });
    group.bench_function("sts-client call, transport without timeouts", |b| {
        b.iter(|| {
            runtime
                .block_on(client_on_plain_reqwest.get_caller_identity().send())
                .expect("call")
        })
    });
    group.bench_function("plain reqwest POST", |b| {
        b.iter(|| {
            runtime.block_on(async {
                let response = plain
                    .post(&url)
                    .headers(headers.clone())
                    .header("user-agent", sts_client::client::USER_AGENT)
                    .body(body)
                    .send()
                    .await
                    .expect("post");
                response.bytes().await.expect("body")
            })
        })
    });
    group.finish();
}

criterion_group!(benches_group, benches);
criterion_main!(benches_group);
