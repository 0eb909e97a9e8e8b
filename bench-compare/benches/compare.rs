//! The same STS requests signed by sts-client, by aws-sigv4, and the raw SHA-256 work one
//! signature needs (body hash, canonical-request hash, HMAC of the string to sign with a
//! precomputed key). Run:
//! `cargo bench -p bench-compare -- --measurement-time 3 --warm-up-time 1`

use std::time::{Duration, SystemTime};

use aws_sigv4::http_request::{
    sign as aws_sign, SignableBody, SignableRequest as AwsRequest, SignatureLocation,
    SigningSettings as AwsSettings,
};
use aws_sigv4::sign::v4;
use aws_smithy_runtime_api::client::identity::Identity;
use criterion::{black_box, criterion_group, criterion_main, Criterion};
use hmac::{Hmac, Mac};
use sha2::{Digest, Sha256};
use sts_client::sigv4::{SignableRequest, Signer, SigningParams, SigningSettings};
use sts_client::Credentials;

const AKID: &str = "AKIDEXAMPLE";
const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const FORM: (&str, &str) = (
    "Content-Type",
    "application/x-www-form-urlencoded; charset=utf-8",
);
const GCI_BODY: &[u8] = b"Action=GetCallerIdentity&Version=2011-06-15";
const STS_URL: &str = "https://sts.us-east-1.amazonaws.com/";
const PRESIGN_URL: &str =
    "https://sts.us-east-1.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15";

struct Case {
    name: &'static str,
    method: &'static str,
    url: &'static str,
    headers: Vec<(&'static str, &'static str)>,
    body: Vec<u8>,
    token: bool,
    presign: bool,
}

fn cases() -> Vec<Case> {
    let policy_body = format!(
        "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=s&Policy={}",
        "%7B%22a%22%3A1%7D".repeat(2048 / 17)
    );
    vec![
        Case {
            name: "get_caller_identity",
            method: "POST",
            url: STS_URL,
            headers: vec![FORM],
            body: GCI_BODY.to_vec(),
            token: false,
            presign: false,
        },
        Case {
            name: "get_caller_identity_token",
            method: "POST",
            url: STS_URL,
            headers: vec![FORM],
            body: GCI_BODY.to_vec(),
            token: true,
            presign: false,
        },
        Case {
            name: "assume_role_2k_policy",
            method: "POST",
            url: STS_URL,
            headers: vec![FORM],
            body: policy_body.into_bytes(),
            token: true,
            presign: false,
        },
        Case {
            name: "presign_get_caller_identity",
            method: "GET",
            url: PRESIGN_URL,
            headers: vec![("x-k8s-aws-id", "my-cluster")],
            body: Vec::new(),
            token: false,
            presign: true,
        },
    ]
}

fn benches(c: &mut Criterion) {
    let token = "FQoGZXIvYXdzEXAMPLETOKEN".repeat(16);
    let ours_plain = Credentials::new(AKID, SECRET);
    let ours_token = ours_plain.clone().with_session_token(token.clone());
    let aws_plain: Identity =
        aws_credential_types::Credentials::new(AKID, SECRET, None, None, "bench").into();
    let aws_token: Identity =
        aws_credential_types::Credentials::new(AKID, SECRET, Some(token.clone()), None, "bench")
            .into();
    let time = time::macros::datetime!(2026-01-02 03:04:05 UTC);
    let system_time = SystemTime::UNIX_EPOCH + Duration::from_secs(time.unix_timestamp() as u64);
    let signer = Signer::new();

    for case in cases() {
        let mut group = c.benchmark_group(case.name);
        let credentials = if case.token { &ours_token } else { &ours_plain };
        let params = SigningParams {
            credentials,
            region: "us-east-1",
            service: "sts",
            time,
            settings: SigningSettings::default(),
        };
        let req = SignableRequest {
            method: case.method,
            url: case.url,
            headers: &case.headers,
            body: &case.body,
        };
        group.bench_function("sts-client", |b| {
            b.iter(|| {
                if case.presign {
                    black_box(signer.presign(black_box(&req), &params, 60).map(|_| ()))
                } else {
                    black_box(signer.sign(black_box(&req), &params).map(|_| ()))
                }
            })
        });

        let identity = if case.token { &aws_token } else { &aws_plain };
        let mut settings = AwsSettings::default();
        if case.presign {
            settings.signature_location = SignatureLocation::QueryParams;
            settings.expires_in = Some(Duration::from_secs(60));
        }
        let aws_params: aws_sigv4::http_request::SigningParams<'_> = v4::SigningParams::builder()
            .identity(identity)
            .region("us-east-1")
            .name("sts")
            .time(system_time)
            .settings(settings)
            .build()
            .expect("valid aws-sigv4 params")
            .into();
        group.bench_function("aws-sigv4", |b| {
            b.iter(|| {
                let request = AwsRequest::new(
                    case.method,
                    case.url,
                    case.headers.iter().copied(),
                    SignableBody::Bytes(&case.body),
                )
                .expect("valid request");
                black_box(aws_sign(black_box(request), &aws_params).map(|_| ()))
            })
        });

        // The floor: the hashing one signature cannot avoid (one SHA-256 of the body, one of a
        // canonical request of the same length, one HMAC of a string to sign of the same length
        // with a keyed state), done one hash after the other. The signer does the same
        // compressions but pairs independent ones (see src/sigv4/hash.rs), so it can undercut
        // this on long bodies.
        let explained = signer
            .explain(
                &req,
                &params,
                if case.presign {
                    sts_client::sigv4::SignatureLocation::QueryString {
                        expires_in_secs: 60,
                    }
                } else {
                    sts_client::sigv4::SignatureLocation::Headers
                },
            )
            .expect("explainable");
        let canonical = explained.canonical_request.clone();
        let string_to_sign_head = explained
            .string_to_sign
            .rsplit_once('\n')
            .map(|(head, _)| head.to_owned())
            .unwrap_or_default();
        let key: Hmac<Sha256> = Hmac::new_from_slice(&[7u8; 32]).expect("any key length");
        group.bench_function("hashing-floor", |b| {
            b.iter(|| {
                let body_hash = Sha256::digest(black_box(&case.body));
                let canonical_hash = Sha256::digest(black_box(canonical.as_bytes()));
                let mut mac = key.clone();
                mac.update(string_to_sign_head.as_bytes());
                mac.update(b"\n");
                // Twice: the string to sign holds the 64 hex characters of the 32-byte hash.
                mac.update(&canonical_hash);
                mac.update(&canonical_hash);
                black_box((body_hash, mac.finalize()))
            })
        });
        group.finish();
    }
}

criterion_group!(compare, benches);
criterion_main!(compare);
