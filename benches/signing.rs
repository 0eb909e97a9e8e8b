//! Signing speed of the four STS requests (see bench-compare/ for aws-sigv4 and the floor).
//! Run: `cargo bench --bench signing -- --measurement-time 3 --warm-up-time 1`

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use sts_client::sigv4::{SignableRequest, Signer, SigningParams, SigningSettings};
use sts_client::Credentials;

const FORM: (&str, &str) = (
    "Content-Type",
    "application/x-www-form-urlencoded; charset=utf-8",
);

fn benches(c: &mut Criterion) {
    let plain = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    let with_token = plain
        .clone()
        .with_session_token("FQoGZXIvYXdzEXAMPLETOKEN".repeat(16));
    let policy_body = format!(
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=s&Policy={}",
        "%7B%22a%22%3A1%7D".repeat(2048 / 17)
    );
    let params = |credentials| SigningParams {
        credentials,
        region: "us-east-1",
        service: "sts",
        time: time::macros::datetime!(2026-01-02 03:04:05 UTC),
        settings: SigningSettings::default(),
    };
    let gci = SignableRequest {
        method: "POST",
        url: "https://sts.us-east-1.amazonaws.com/",
        headers: &[FORM],
        body: b"Action=GetCallerIdentity&Version=2011-06-15",
    };
    let assume_role = SignableRequest {
        body: policy_body.as_bytes(),
        ..gci
    };
    let presign = SignableRequest {
        method: "GET",
        url: "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
        headers: &[("x-k8s-aws-id", "my-cluster")],
        body: b"",
    };
    let signer = Signer::new();
    c.bench_function("ours/get_caller_identity", |b| {
        b.iter(|| signer.sign(black_box(&gci), &params(&plain)))
    });
    c.bench_function("ours/get_caller_identity_token", |b| {
        b.iter(|| signer.sign(black_box(&gci), &params(&with_token)))
    });
    c.bench_function("ours/assume_role_2k_policy", |b| {
        b.iter(|| signer.sign(black_box(&assume_role), &params(&with_token)))
    });
    c.bench_function("ours/presign_get_caller_identity", |b| {
        b.iter(|| signer.presign(black_box(&presign), &params(&plain), 60))
    });
    c.bench_function("ours/get_caller_identity_uncached", |b| {
        b.iter(|| sts_client::sigv4::sign(black_box(&gci), &params(&plain)))
    });
}

criterion_group!(signing, benches);
criterion_main!(signing);
