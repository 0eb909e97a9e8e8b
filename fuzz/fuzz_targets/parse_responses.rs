#![no_main]

use libfuzzer_sys::fuzz_target;
use sts_client::operations::*;

// Every success parser on the same bytes: each must return Ok or a ParseError, never panic.
fuzz_target!(|body: &[u8]| {
    let _ = AssumeRole::parse_output(body);
    let _ = AssumeRoleWithSaml::parse_output(body);
    let _ = AssumeRoleWithWebIdentity::parse_output(body);
    let _ = AssumeRoot::parse_output(body);
    let _ = DecodeAuthorizationMessage::parse_output(body);
    let _ = GetAccessKeyInfo::parse_output(body);
    let _ = GetCallerIdentity::parse_output(body);
    let _ = GetDelegatedAccessToken::parse_output(body);
    let _ = GetFederationToken::parse_output(body);
    let _ = GetScopedCredentials::parse_output(body);
    let _ = GetSessionToken::parse_output(body);
    let _ = GetWebIdentityToken::parse_output(body);
});
