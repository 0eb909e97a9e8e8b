//! Typed outputs → the document the AWS CLI prints: botocore's member order (the output
//! shape's member order in the service model), absent members left out, no
//! `ResponseMetadata` (awscli `formatter.py` removes it), timestamps in ISO 8601.

use sts_client::operations::{
    AssumeRoleOutput, AssumeRoleWithSamlOutput, AssumeRoleWithWebIdentityOutput, AssumeRootOutput,
    AssumedRoleUser, DecodeAuthorizationMessageOutput, FederatedUser, GetAccessKeyInfoOutput,
    GetCallerIdentityOutput, GetDelegatedAccessTokenOutput, GetFederationTokenOutput,
    GetScopedCredentialsOutput, GetSessionTokenOutput, GetWebIdentityTokenOutput, ScopedSession,
    TrustedIdentityPropagationContext,
};
use sts_client::Credentials;

use crate::doc::Doc;

fn opt_str(value: &Option<String>) -> Option<Doc> {
    value.as_ref().map(|s| Doc::str(s.as_str()))
}

fn opt_int(value: Option<i32>) -> Option<Doc> {
    value.map(|i| Doc::Int(i64::from(i)))
}

/// `Credentials`: AccessKeyId, SecretAccessKey, SessionToken, Expiration.
pub fn credentials(c: &Credentials) -> Doc {
    let mut doc = Doc::map()
        .with("AccessKeyId", Doc::str(c.access_key_id()))
        .with("SecretAccessKey", Doc::str(c.secret_access_key().expose()));
    doc.push_opt(
        "SessionToken",
        c.session_token().map(|t| Doc::str(t.expose())),
    );
    doc.push_opt("Expiration", c.expiration().map(Doc::timestamp));
    doc
}

fn assumed_role_user(u: &AssumedRoleUser) -> Doc {
    Doc::map()
        .with("AssumedRoleId", Doc::str(u.assumed_role_id.as_str()))
        .with("Arn", Doc::str(u.arn.as_str()))
}

fn federated_user(u: &FederatedUser) -> Doc {
    Doc::map()
        .with("FederatedUserId", Doc::str(u.federated_user_id.as_str()))
        .with("Arn", Doc::str(u.arn.as_str()))
}

fn scoped_session(s: &ScopedSession) -> Doc {
    Doc::map()
        .with("ScopedSessionId", Doc::str(s.scoped_session_id.as_str()))
        .with("Arn", Doc::str(s.arn.as_str()))
}

fn propagation_context(c: &TrustedIdentityPropagationContext) -> Doc {
    let mut doc = Doc::map();
    if let Some(o) = &c.origin_identity {
        let mut origin = Doc::map();
        origin.push_opt("Subject", opt_str(&o.subject));
        origin.push_opt("SubjectType", opt_str(&o.subject_type));
        origin.push_opt("Issuer", opt_str(&o.issuer));
        origin.push_opt("FederatedProviderArn", opt_str(&o.federated_provider_arn));
        doc.push("OriginIdentity", origin);
    }
    if let Some(t) = &c.transaction_context {
        let providers = Doc::Map(
            t.identity_provider
                .iter()
                .map(|(k, v)| (k.clone(), Doc::str(v.as_str())))
                .collect(),
        );
        doc.push(
            "TransactionContext",
            Doc::map().with("IdentityProvider", providers),
        );
    }
    doc
}

/// AssumeRole.
pub fn assume_role(o: &AssumeRoleOutput) -> Doc {
    let mut doc = Doc::map()
        .with("Credentials", credentials(&o.credentials))
        .with("AssumedRoleUser", assumed_role_user(&o.assumed_role_user));
    doc.push_opt("PackedPolicySize", opt_int(o.packed_policy_size));
    doc.push_opt("SourceIdentity", opt_str(&o.source_identity));
    doc.push_opt(
        "SessionTokenUtilization",
        opt_int(o.session_token_utilization),
    );
    doc.push_opt("SessionTokenSize", opt_int(o.session_token_size));
    doc
}

/// AssumeRoleWithSAML.
pub fn assume_role_with_saml(o: &AssumeRoleWithSamlOutput) -> Doc {
    let mut doc = Doc::map()
        .with("Credentials", credentials(&o.credentials))
        .with("AssumedRoleUser", assumed_role_user(&o.assumed_role_user));
    doc.push_opt("PackedPolicySize", opt_int(o.packed_policy_size));
    doc.push_opt("Subject", opt_str(&o.subject));
    doc.push_opt("SubjectType", opt_str(&o.subject_type));
    doc.push_opt("Issuer", opt_str(&o.issuer));
    doc.push_opt("Audience", opt_str(&o.audience));
    doc.push_opt("NameQualifier", opt_str(&o.name_qualifier));
    doc.push_opt("SourceIdentity", opt_str(&o.source_identity));
    doc.push_opt(
        "SessionTokenUtilization",
        opt_int(o.session_token_utilization),
    );
    doc.push_opt("SessionTokenSize", opt_int(o.session_token_size));
    doc.push_opt(
        "TrustedIdentityPropagationContext",
        o.trusted_identity_propagation_context
            .as_ref()
            .map(propagation_context),
    );
    doc
}

/// AssumeRoleWithWebIdentity.
pub fn assume_role_with_web_identity(o: &AssumeRoleWithWebIdentityOutput) -> Doc {
    let mut doc = Doc::map().with("Credentials", credentials(&o.credentials));
    doc.push_opt(
        "SubjectFromWebIdentityToken",
        opt_str(&o.subject_from_web_identity_token),
    );
    doc.push("AssumedRoleUser", assumed_role_user(&o.assumed_role_user));
    doc.push_opt("PackedPolicySize", opt_int(o.packed_policy_size));
    doc.push_opt("Provider", opt_str(&o.provider));
    doc.push_opt("Audience", opt_str(&o.audience));
    doc.push_opt("SourceIdentity", opt_str(&o.source_identity));
    doc.push_opt(
        "SessionTokenUtilization",
        opt_int(o.session_token_utilization),
    );
    doc.push_opt("SessionTokenSize", opt_int(o.session_token_size));
    doc.push_opt(
        "TrustedIdentityPropagationContext",
        o.trusted_identity_propagation_context
            .as_ref()
            .map(propagation_context),
    );
    doc
}

/// AssumeRoot.
pub fn assume_root(o: &AssumeRootOutput) -> Doc {
    let mut doc = Doc::map().with("Credentials", credentials(&o.credentials));
    doc.push_opt("SourceIdentity", opt_str(&o.source_identity));
    doc.push_opt(
        "SessionTokenUtilization",
        opt_int(o.session_token_utilization),
    );
    doc.push_opt("SessionTokenSize", opt_int(o.session_token_size));
    doc
}

/// DecodeAuthorizationMessage. The AWS CLI prints `{"DecodedMessage": "<JSON string>"}`;
/// this command keeps that key unchanged (so `--query DecodedMessage --output text` prints the
/// raw string as the AWS CLI does) and adds the parsed document under `DecodedMessageJson`
/// after it, when the message is JSON, so it reads as indented JSON.
pub fn decode_authorization_message(o: &DecodeAuthorizationMessageOutput) -> Doc {
    let mut doc = Doc::map().with("DecodedMessage", Doc::str(o.decoded_message.as_str()));
    if let Ok(parsed) = serde_json::from_str::<serde_json::Value>(&o.decoded_message) {
        doc.push("DecodedMessageJson", Doc::from_json(&parsed));
    }
    doc
}

/// GetAccessKeyInfo (online and `--offline`).
pub fn get_access_key_info(o: &GetAccessKeyInfoOutput) -> Doc {
    account(&o.account)
}

/// `{"Account": ...}`.
pub fn account(account: &str) -> Doc {
    Doc::map().with("Account", Doc::str(account))
}

/// GetCallerIdentity.
pub fn get_caller_identity(o: &GetCallerIdentityOutput) -> Doc {
    Doc::map()
        .with("UserId", Doc::str(o.user_id.as_str()))
        .with("Account", Doc::str(o.account.as_str()))
        .with("Arn", Doc::str(o.arn.as_str()))
}

/// GetDelegatedAccessToken.
pub fn get_delegated_access_token(o: &GetDelegatedAccessTokenOutput) -> Doc {
    let mut doc = Doc::map().with("Credentials", credentials(&o.credentials));
    doc.push_opt("PackedPolicySize", opt_int(o.packed_policy_size));
    doc.push_opt("AssumedPrincipal", opt_str(&o.assumed_principal));
    doc
}

/// GetFederationToken.
pub fn get_federation_token(o: &GetFederationTokenOutput) -> Doc {
    let mut doc = Doc::map()
        .with("Credentials", credentials(&o.credentials))
        .with("FederatedUser", federated_user(&o.federated_user));
    doc.push_opt("PackedPolicySize", opt_int(o.packed_policy_size));
    doc.push_opt(
        "SessionTokenUtilization",
        opt_int(o.session_token_utilization),
    );
    doc.push_opt("SessionTokenSize", opt_int(o.session_token_size));
    doc
}

/// GetScopedCredentials.
pub fn get_scoped_credentials(o: &GetScopedCredentialsOutput) -> Doc {
    let mut doc = Doc::map()
        .with("Credentials", credentials(&o.credentials))
        .with("SessionInfo", scoped_session(&o.session_info));
    doc.push_opt(
        "SessionTokenUtilization",
        opt_int(o.session_token_utilization),
    );
    doc.push_opt("SessionTokenSize", opt_int(o.session_token_size));
    doc.push_opt("ScopedPoliciesCount", opt_int(o.scoped_policies_count));
    doc.push_opt("SourceIdentity", opt_str(&o.source_identity));
    doc
}

/// GetSessionToken.
pub fn get_session_token(o: &GetSessionTokenOutput) -> Doc {
    let mut doc = Doc::map().with("Credentials", credentials(&o.credentials));
    doc.push_opt(
        "SessionTokenUtilization",
        opt_int(o.session_token_utilization),
    );
    doc.push_opt("SessionTokenSize", opt_int(o.session_token_size));
    doc
}

/// GetWebIdentityToken.
pub fn get_web_identity_token(o: &GetWebIdentityTokenOutput) -> Doc {
    Doc::map()
        .with("WebIdentityToken", Doc::str(o.web_identity_token.expose()))
        .with("Expiration", Doc::timestamp(o.expiration))
}

#[cfg(test)]
mod tests {
    use super::*;
    use sts_client::operations::{AssumeRole, GetCallerIdentity, GetSessionToken, Operation};

    fn keys(doc: &Doc) -> Vec<&str> {
        match doc {
            Doc::Map(entries) => entries.iter().map(|(k, _)| k.as_str()).collect(),
            _ => Vec::new(),
        }
    }

    const ASSUME_ROLE: &str = r#"<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
  <AssumeRoleResult>
    <SourceIdentity>DevUser123</SourceIdentity>
    <AssumedRoleUser>
      <Arn>arn:aws:sts::123456789012:assumed-role/demo/John</Arn>
      <AssumedRoleId>ARO123EXAMPLE123:John</AssumedRoleId>
    </AssumedRoleUser>
    <Credentials>
      <AccessKeyId>ASIAIOSFODNN7EXAMPLE</AccessKeyId>
      <SecretAccessKey>wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY</SecretAccessKey>
      <SessionToken>AQoDYXdzEPT//////////wEXAMPLE</SessionToken>
      <Expiration>2026-11-28T17:14:31.701510Z</Expiration>
    </Credentials>
    <PackedPolicySize>8</PackedPolicySize>
  </AssumeRoleResult>
  <ResponseMetadata><RequestId>c6104cbe-af31-11e0-8154-cbc7ccf896c7</RequestId></ResponseMetadata>
</AssumeRoleResponse>"#;

    #[test]
    fn assume_role_prints_in_model_order_without_response_metadata() {
        let out = AssumeRole::parse_output(ASSUME_ROLE.as_bytes()).unwrap();
        let doc = assume_role(&out);
        assert_eq!(
            keys(&doc),
            [
                "Credentials",
                "AssumedRoleUser",
                "PackedPolicySize",
                "SourceIdentity"
            ]
        );
        let creds = doc.get("Credentials").unwrap();
        assert_eq!(
            keys(creds),
            [
                "AccessKeyId",
                "SecretAccessKey",
                "SessionToken",
                "Expiration"
            ]
        );
        assert_eq!(
            creds.get("Expiration"),
            Some(&Doc::str("2026-11-28T17:14:31.701510+00:00"))
        );
        assert_eq!(
            keys(doc.get("AssumedRoleUser").unwrap()),
            ["AssumedRoleId", "Arn"]
        );
        assert_eq!(doc.get("PackedPolicySize"), Some(&Doc::Int(8)));
    }

    #[test]
    fn caller_identity_and_session_token() {
        let body = br#"<GetCallerIdentityResponse><GetCallerIdentityResult><Arn>arn:aws:iam::123456789012:user/alice</Arn><UserId>AIDAEXAMPLE</UserId><Account>123456789012</Account></GetCallerIdentityResult></GetCallerIdentityResponse>"#;
        let doc = get_caller_identity(&GetCallerIdentity::parse_output(body).unwrap());
        assert_eq!(keys(&doc), ["UserId", "Account", "Arn"]);
        let body = br#"<GetSessionTokenResponse><GetSessionTokenResult><Credentials><SessionToken>tok</SessionToken><SecretAccessKey>sk</SecretAccessKey><Expiration>2026-01-02T03:34:05Z</Expiration><AccessKeyId>ASIAEXAMPLEEXAMPLE</AccessKeyId></Credentials></GetSessionTokenResult></GetSessionTokenResponse>"#;
        let doc = get_session_token(&GetSessionToken::parse_output(body).unwrap());
        assert_eq!(
            doc.to_json_pretty(),
            "{\n    \"Credentials\": {\n        \"AccessKeyId\": \"ASIAEXAMPLEEXAMPLE\",\n        \"SecretAccessKey\": \"sk\",\n        \"SessionToken\": \"tok\",\n        \"Expiration\": \"2026-01-02T03:34:05+00:00\"\n    }\n}"
        );
    }

    #[test]
    fn decoded_message_keeps_the_string_and_adds_the_document() {
        let o = DecodeAuthorizationMessageOutput {
            decoded_message: r#"{"allowed":false,"context":{"action":"ec2:RunInstances"}}"#.into(),
            decision: None,
            request_id: None,
        };
        let doc = decode_authorization_message(&o);
        assert_eq!(keys(&doc), ["DecodedMessage", "DecodedMessageJson"]);
        assert_eq!(
            doc.get("DecodedMessage"),
            Some(&Doc::str(o.decoded_message.as_str()))
        );
        let json = doc.get("DecodedMessageJson").unwrap();
        assert_eq!(json.get("allowed"), Some(&Doc::Bool(false)));
        let not_json = DecodeAuthorizationMessageOutput {
            decoded_message: "plain".into(),
            decision: None,
            request_id: None,
        };
        assert_eq!(
            keys(&decode_authorization_message(&not_json)),
            ["DecodedMessage"]
        );
    }
}
