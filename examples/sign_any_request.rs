//! The signer alone, for any AWS service: sign a request to S3, DynamoDB or anything else and
//! send it with the HTTP client you already use.
//!
//! ```sh
//! cargo run --example sign_any_request
//! ```
//! Runs offline: it prints the signed headers, the canonical request and the string to sign
//! (what AWS compares when it answers SignatureDoesNotMatch).

use sts_client::sigv4::{
    SignableRequest, SignatureLocation, Signer, SigningParams, SigningSettings,
};
use sts_client::Credentials;

fn main() -> Result<(), sts_client::sigv4::SigningError> {
    let credentials = Credentials::new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY");
    let body = br#"{"TableName":"Music"}"#;
    let request = SignableRequest {
        method: "POST",
        url: "https://dynamodb.eu-west-1.amazonaws.com/",
        headers: &[
            ("Content-Type", "application/x-amz-json-1.0"),
            ("X-Amz-Target", "DynamoDB_20120810.DescribeTable"),
        ],
        body,
    };
    let params = SigningParams {
        credentials: &credentials,
        region: "eu-west-1",
        service: "dynamodb",
        // The signing time is an input: pass the (skew-corrected) current time in real use.
        time: time::OffsetDateTime::now_utc(),
        settings: SigningSettings::default(),
    };

    let signer = Signer::new();
    let signed = signer.sign(&request, &params)?;
    println!("Headers to add:");
    for (name, value) in signed.headers() {
        println!("  {name}: {value}");
    }

    let explained = signer.explain(&request, &params, SignatureLocation::Headers)?;
    println!("\nCanonical request:\n{}", explained.canonical_request);
    println!("\nString to sign:\n{}", explained.string_to_sign);

    // A presigned URL for S3, valid for 10 minutes, with S3's unnormalized paths.
    let s3 = SignableRequest {
        method: "GET",
        url: "https://my-bucket.s3.eu-west-1.amazonaws.com/reports/2026/q1.csv",
        headers: &[],
        body: b"",
    };
    let s3_params = SigningParams {
        service: "s3",
        settings: SigningSettings {
            normalize_path: false,
            double_uri_encode: false,
            payload: sts_client::sigv4::PayloadMode::Unsigned,
            ..SigningSettings::default()
        },
        ..params
    };
    println!(
        "\nPresigned S3 URL:\n{}",
        signer.presign(&s3, &s3_params, 600)?
    );
    Ok(())
}
