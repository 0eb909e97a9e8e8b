//! The worked STS vectors of the reference (sts-api.md section 7.3), produced with botocore.

use sts_client::sigv4::{
    signing_key_hex, SignableRequest, SignatureLocation, Signer, SigningParams, SigningSettings,
};
use sts_client::Credentials;

const SECRET: &str = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
const TOKEN: &str = "FQoGZXIvYXdzEXAMPLETOKEN";
const FORM: (&str, &str) = (
    "Content-Type",
    "application/x-www-form-urlencoded; charset=utf-8",
);

fn params<'a>(credentials: &'a Credentials, region: &'a str) -> SigningParams<'a> {
    SigningParams {
        credentials,
        region,
        service: "sts",
        time: time::macros::datetime!(2026-01-02 03:04:05 UTC),
        settings: SigningSettings::default(),
    }
}

fn header<'a>(out: &'a sts_client::sigv4::SigningOutput, name: &str) -> Option<&'a str> {
    out.headers().find(|(n, _)| *n == name).map(|(_, v)| v)
}

#[test]
fn get_caller_identity_global_and_regional() {
    let creds = Credentials::new("AKIDEXAMPLE", SECRET);
    let signer = Signer::new();
    let body = b"Action=GetCallerIdentity&Version=2011-06-15";
    let global = SignableRequest {
        method: "POST",
        url: "https://sts.amazonaws.com/",
        headers: &[FORM],
        body,
    };
    let out = signer.sign(&global, &params(&creds, "us-east-1")).unwrap();
    assert_eq!(header(&out, "X-Amz-Date"), Some("20260102T030405Z"));
    assert_eq!(
        header(&out, "Authorization"),
        Some("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20260102/us-east-1/sts/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=654c2f9b8e336b65ff3b2f7fc0c1c88d14f6f0efb2ec02ee24d0ea9a1cbd1a40")
    );
    assert_eq!(header(&out, "X-Amz-Security-Token"), None);
    assert_eq!(out.headers().count(), 2);
    let explained = signer
        .explain(
            &global,
            &params(&creds, "us-east-1"),
            SignatureLocation::Headers,
        )
        .unwrap();
    assert!(explained
        .canonical_request
        .ends_with("\nab821ae955788b0e33ebd34c208442ccfc2d406e2edc5e7a39bd6458fbb4f843"));

    let regional = SignableRequest {
        url: "https://sts.ap-east-1.amazonaws.com/",
        ..global
    };
    let out = signer
        .sign(&regional, &params(&creds, "ap-east-1"))
        .unwrap();
    assert_eq!(
        out.signature(),
        "dc96d12983d80737709b8b89199047562abbe029a65cc82412386320e37ab169"
    );
}

const ASSUME_ROLE_BODY: &str = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=my+session&DurationSeconds=3600&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2Fp1&Tags.member.1.Key=Project&Tags.member.1.Value=Blue+Sky&Tags.member.2.Key=Team&Tags.member.2.Value=a%2Fb%2Bc&TransitiveTagKeys.member.1=Project&ProvidedContexts.member.1.ProviderArn=arn%3Aaws%3Aiam%3A%3Aaws%3AcontextProvider%2FIdentityCenter&ProvidedContexts.member.1.ContextAssertion=abc%3D%3D&Policy=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D";

#[test]
fn assume_role_with_token() {
    let creds = Credentials::new("AKIDEXAMPLE", SECRET).with_session_token(TOKEN);
    let signer = Signer::new();
    let req = SignableRequest {
        method: "POST",
        url: "https://sts.us-west-2.amazonaws.com/",
        headers: &[FORM],
        body: ASSUME_ROLE_BODY.as_bytes(),
    };
    let p = params(&creds, "us-west-2");
    let explained = signer
        .explain(&req, &p, SignatureLocation::Headers)
        .unwrap();
    assert_eq!(
        explained.canonical_request,
        "POST\n/\n\ncontent-type:application/x-www-form-urlencoded; charset=utf-8\nhost:sts.us-west-2.amazonaws.com\nx-amz-date:20260102T030405Z\nx-amz-security-token:FQoGZXIvYXdzEXAMPLETOKEN\n\ncontent-type;host;x-amz-date;x-amz-security-token\n681361a7c6622c357ab4c93bcb9d2334187c7cafd1315a587038898d2b352180"
    );
    assert_eq!(
        explained.string_to_sign,
        "AWS4-HMAC-SHA256\n20260102T030405Z\n20260102/us-west-2/sts/aws4_request\ncb444ec3e483d8728e6fd4a2a8f17c7603a4605f4e5b32427a595070a38aff71"
    );
    assert_eq!(
        signing_key_hex(SECRET, "20260102", "us-west-2", "sts"),
        "b01cfc5a8638909a112436997f42dad63e065131ab0949a326867710c46fbf26"
    );
    let expected = "a414aaa4575cc951e9fc7c7521f70d1f75b0c8ed17ba5123e111bcbc70112231";
    assert_eq!(explained.signature, expected);
    let out = signer.sign(&req, &p).unwrap();
    assert_eq!(out.signature(), expected);
    assert_eq!(header(&out, "X-Amz-Security-Token"), Some(TOKEN));
}

#[test]
fn presigned_get_caller_identity_for_eks() {
    let signer = Signer::new();
    let req = SignableRequest {
        method: "GET",
        url: "https://sts.us-west-2.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15",
        headers: &[("x-k8s-aws-id", "my-cluster")],
        body: b"",
    };
    let creds = Credentials::new("AKIDEXAMPLE", SECRET);
    let url = signer
        .presign(&req, &params(&creds, "us-west-2"), 60)
        .unwrap();
    assert_eq!(
        url,
        "https://sts.us-west-2.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20260102%2Fus-west-2%2Fsts%2Faws4_request&X-Amz-Date=20260102T030405Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Signature=fa5745ca09821615317a299e23602d9b952f6666992df2bedd9263dcc84e0154"
    );

    let with_token = Credentials::new("AKIDEXAMPLE", SECRET).with_session_token(TOKEN);
    let url = signer
        .presign(&req, &params(&with_token, "us-west-2"), 60)
        .unwrap();
    assert_eq!(
        url,
        "https://sts.us-west-2.amazonaws.com/?Action=GetCallerIdentity&Version=2011-06-15&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20260102%2Fus-west-2%2Fsts%2Faws4_request&X-Amz-Date=20260102T030405Z&X-Amz-Expires=60&X-Amz-SignedHeaders=host%3Bx-k8s-aws-id&X-Amz-Security-Token=FQoGZXIvYXdzEXAMPLETOKEN&X-Amz-Signature=86d8e0e65023250021a4900cddaf3b1a1f06a0ef40bca500c2c0aad781d3c871"
    );
}
