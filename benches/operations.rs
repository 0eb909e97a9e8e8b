//! Parse and encode costs of the typed operations.

use criterion::{black_box, criterion_group, criterion_main, Criterion};
use sts_client::operations::*;

const GCI: &str = include_str!("../tests/data/responses/GetCallerIdentity.xml");
const AR: &str = include_str!("../tests/data/responses/AssumeRole.xml");

fn benches(c: &mut Criterion) {
    c.bench_function("parse GetCallerIdentity", |b| {
        b.iter(|| GetCallerIdentity::parse_output(black_box(GCI.as_bytes())).unwrap())
    });
    c.bench_function("parse AssumeRole", |b| {
        b.iter(|| AssumeRole::parse_output(black_box(AR.as_bytes())).unwrap())
    });
    c.bench_function("build+encode rich AssumeRole", |b| {
        b.iter(|| {
            let op = AssumeRole::builder()
                .role_arn(black_box("arn:aws:iam::123456789012:role/demo"))
                .role_session_name("my-session")
                .duration_seconds(3600)
                .policy_arn("arn:aws:iam::123456789012:policy/p1")
                .tag("Project", "Blue Sky")
                .tag("Team", "a/b+c")
                .transitive_tag_key("Project")
                .provided_context("arn:aws:iam::aws:contextProvider/IdentityCenter", "abc==")
                .policy(r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#)
                .build()
                .unwrap();
            op.form_body()
        })
    });
}

criterion_group!(operations, benches);
criterion_main!(operations);
