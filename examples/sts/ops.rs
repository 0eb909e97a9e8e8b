//! Command-line arguments → validated `sts_client` operations.
//!
//! Values pass through [`params`] first (`file://`, shorthand, JSON), then the library's
//! builders, whose checks of the model's limits become the AWS CLI's "Parameter validation
//! failed" (exit 252). Members are set in the model's order, as the AWS CLI passes them.

use sts_client::operations::{
    AssumeRole, AssumeRoleWithSaml, AssumeRoleWithWebIdentity, AssumeRoot,
    DecodeAuthorizationMessage, GetAccessKeyInfo, GetDelegatedAccessToken, GetFederationToken,
    GetScopedCredentials, GetSessionToken, GetWebIdentityToken, Problem, ProvidedContext,
    SubjectMode, Tag, ValidationError,
};

use crate::cli::{
    AssumeRoleArgs, AssumeRoleWithSamlArgs, AssumeRoleWithWebIdentityArgs, AssumeRootArgs,
    DecodeAuthorizationMessageArgs, GetAccessKeyInfoArgs, GetDelegatedAccessTokenArgs,
    GetFederationTokenArgs, GetScopedCredentialsArgs, GetSessionTokenArgs, GetWebIdentityTokenArgs,
};
use crate::exit::CliError;
use crate::params::{self, field, load_opt, load_value};

const POLICY_DESCRIPTOR: &[&str] = &["arn"];
const TAG: &[&str] = &["Key", "Value"];
const PROVIDED_CONTEXT: &[&str] = &["ProviderArn", "ContextAssertion"];

/// A library validation error in botocore's words (`ParamValidationError`).
pub fn validation_error(e: &ValidationError) -> CliError {
    let p = e.parameter();
    let reason = match e.problem() {
        Problem::Missing => format!("Missing required parameter in input: \"{p}\""),
        Problem::Length { length, min, .. } if length < min => {
            format!("Invalid length for parameter {p}, value: {length}, valid min length: {min}")
        }
        Problem::Length {
            length,
            max: Some(max),
            ..
        } => format!("Invalid length for parameter {p}, value: {length}, valid max length: {max}"),
        Problem::Range { value, min, .. } if value < min => {
            format!("Invalid value for parameter {p}, value: {value}, valid min value: {min}")
        }
        Problem::Range { value, max, .. } => {
            format!("Invalid value for parameter {p}, value: {value}, valid max value: {max}")
        }
        Problem::ListSize { count, min, .. } if count < min => {
            format!("Invalid length for parameter {p}, value: {count}, valid min length: {min}")
        }
        Problem::ListSize { count, max, .. } => {
            format!("Invalid length for parameter {p}, value: {count}, valid max length: {max}")
        }
        other => format!("Invalid value for parameter {p}: {other}"),
    };
    CliError::ParamValidation(reason)
}

fn policy_arns(param_values: &[String]) -> Result<Vec<String>, CliError> {
    let items = params::struct_list(
        "--policy-arns",
        "PolicyArns",
        POLICY_DESCRIPTOR,
        param_values,
    )?;
    Ok(items
        .iter()
        .filter_map(|f| field(f, "arn").map(str::to_owned))
        .collect())
}

fn tags(values: &[String]) -> Result<Vec<Tag>, CliError> {
    let items = params::struct_list("--tags", "Tags", TAG, values)?;
    items
        .iter()
        .enumerate()
        .map(|(i, f)| match (field(f, "Key"), field(f, "Value")) {
            (Some(k), Some(v)) => Ok(Tag::new(k, v)),
            (None, _) => Err(CliError::ParamValidation(format!(
                "Missing required parameter in Tags[{i}]: \"Key\""
            ))),
            (_, None) => Err(CliError::ParamValidation(format!(
                "Missing required parameter in Tags[{i}]: \"Value\""
            ))),
        })
        .collect()
}

/// `assume-role`.
pub fn assume_role(a: &AssumeRoleArgs) -> Result<AssumeRole, CliError> {
    let mut b = AssumeRole::builder()
        .role_arn(load_value("--role-arn", &a.role_arn)?)
        .role_session_name(load_value("--role-session-name", &a.role_session_name)?);
    if !a.policy_arns.is_empty() {
        b = b.policy_arns(policy_arns(&a.policy_arns)?);
    }
    if let Some(p) = load_opt("--policy", a.policy.as_deref())? {
        b = b.policy(p);
    }
    if let Some(d) = a.duration_seconds {
        b = b.duration_seconds(d);
    }
    if !a.tags.is_empty() {
        b = b.tags(tags(&a.tags)?);
    }
    if !a.transitive_tag_keys.is_empty() {
        b = b.transitive_tag_keys(params::string_list(
            "--transitive-tag-keys",
            "TransitiveTagKeys",
            &a.transitive_tag_keys,
        )?);
    }
    if let Some(v) = load_opt("--external-id", a.external_id.as_deref())? {
        b = b.external_id(v);
    }
    if let Some(v) = load_opt("--serial-number", a.serial_number.as_deref())? {
        b = b.serial_number(v);
    }
    if let Some(v) = load_opt("--token-code", a.token_code.as_deref())? {
        b = b.token_code(v);
    }
    if let Some(v) = load_opt("--source-identity", a.source_identity.as_deref())? {
        b = b.source_identity(v);
    }
    if !a.provided_contexts.is_empty() {
        let items = params::struct_list(
            "--provided-contexts",
            "ProvidedContexts",
            PROVIDED_CONTEXT,
            &a.provided_contexts,
        )?;
        b = b.provided_contexts(items.iter().map(|f| {
            ProvidedContext::new(
                field(f, "ProviderArn").unwrap_or_default(),
                field(f, "ContextAssertion").unwrap_or_default(),
            )
        }));
    }
    if let Some(v) = a.minimum_session_token_size {
        b = b.minimum_session_token_size(v);
    }
    b.build().map_err(|e| validation_error(&e))
}

/// `assume-role-with-saml`.
pub fn assume_role_with_saml(a: &AssumeRoleWithSamlArgs) -> Result<AssumeRoleWithSaml, CliError> {
    let mut b = AssumeRoleWithSaml::builder()
        .role_arn(load_value("--role-arn", &a.role_arn)?)
        .principal_arn(load_value("--principal-arn", &a.principal_arn)?)
        .saml_assertion(load_value("--saml-assertion", &a.saml_assertion)?);
    for arn in policy_arns(&a.policy_arns)? {
        b = b.policy_arn(arn);
    }
    if let Some(p) = load_opt("--policy", a.policy.as_deref())? {
        b = b.policy(p);
    }
    if let Some(d) = a.duration_seconds {
        b = b.duration_seconds(d);
    }
    if let Some(v) = a.minimum_session_token_size {
        b = b.minimum_session_token_size(v);
    }
    b.build().map_err(|e| validation_error(&e))
}

/// `assume-role-with-web-identity`.
pub fn assume_role_with_web_identity(
    a: &AssumeRoleWithWebIdentityArgs,
) -> Result<AssumeRoleWithWebIdentity, CliError> {
    let mut b = AssumeRoleWithWebIdentity::builder()
        .role_arn(load_value("--role-arn", &a.role_arn)?)
        .role_session_name(load_value("--role-session-name", &a.role_session_name)?)
        .web_identity_token(load_value("--web-identity-token", &a.web_identity_token)?);
    if let Some(v) = load_opt("--provider-id", a.provider_id.as_deref())? {
        b = b.provider_id(v);
    }
    for arn in policy_arns(&a.policy_arns)? {
        b = b.policy_arn(arn);
    }
    if let Some(p) = load_opt("--policy", a.policy.as_deref())? {
        b = b.policy(p);
    }
    if let Some(d) = a.duration_seconds {
        b = b.duration_seconds(d);
    }
    if let Some(v) = a.minimum_session_token_size {
        b = b.minimum_session_token_size(v);
    }
    b.build().map_err(|e| validation_error(&e))
}

/// `assume-root`.
pub fn assume_root(a: &AssumeRootArgs) -> Result<AssumeRoot, CliError> {
    let task = params::single_struct(
        "--task-policy-arn",
        "TaskPolicyArn",
        POLICY_DESCRIPTOR,
        &a.task_policy_arn,
    )?;
    let mut b = AssumeRoot::builder()
        .target_principal(load_value("--target-principal", &a.target_principal)?)
        .task_policy_arn(field(&task, "arn").unwrap_or_default());
    if let Some(d) = a.duration_seconds {
        b = b.duration_seconds(d);
    }
    if let Some(v) = a.minimum_session_token_size {
        b = b.minimum_session_token_size(v);
    }
    b.build().map_err(|e| validation_error(&e))
}

/// `decode-authorization-message`.
pub fn decode_authorization_message(
    a: &DecodeAuthorizationMessageArgs,
) -> Result<DecodeAuthorizationMessage, CliError> {
    DecodeAuthorizationMessage::builder()
        .encoded_message(load_value("--encoded-message", &a.encoded_message)?)
        .build()
        .map_err(|e| validation_error(&e))
}

/// `get-access-key-info`.
pub fn get_access_key_info(a: &GetAccessKeyInfoArgs) -> Result<GetAccessKeyInfo, CliError> {
    GetAccessKeyInfo::builder()
        .access_key_id(load_value("--access-key-id", &a.access_key_id)?)
        .build()
        .map_err(|e| validation_error(&e))
}

/// `get-delegated-access-token`.
pub fn get_delegated_access_token(
    a: &GetDelegatedAccessTokenArgs,
) -> Result<GetDelegatedAccessToken, CliError> {
    GetDelegatedAccessToken::builder()
        .trade_in_token(load_value("--trade-in-token", &a.trade_in_token)?)
        .build()
        .map_err(|e| validation_error(&e))
}

/// `get-federation-token`.
pub fn get_federation_token(a: &GetFederationTokenArgs) -> Result<GetFederationToken, CliError> {
    let mut b = GetFederationToken::builder().name(load_value("--name", &a.name)?);
    if let Some(p) = load_opt("--policy", a.policy.as_deref())? {
        b = b.policy(p);
    }
    for arn in policy_arns(&a.policy_arns)? {
        b = b.policy_arn(arn);
    }
    if let Some(d) = a.duration_seconds {
        b = b.duration_seconds(d);
    }
    if !a.tags.is_empty() {
        b = b.tags(tags(&a.tags)?);
    }
    if let Some(v) = a.minimum_session_token_size {
        b = b.minimum_session_token_size(v);
    }
    b.build().map_err(|e| validation_error(&e))
}

/// `get-scoped-credentials`.
pub fn get_scoped_credentials(
    a: &GetScopedCredentialsArgs,
) -> Result<GetScopedCredentials, CliError> {
    let mut b = GetScopedCredentials::builder();
    if let Some(p) = load_opt("--policy", a.policy.as_deref())? {
        b = b.policy(p);
    }
    if let Some(d) = a.duration_seconds {
        b = b.duration_seconds(d);
    }
    if let Some(v) = a.minimum_session_token_size {
        b = b.minimum_session_token_size(v);
    }
    if let Some(v) = load_opt(
        "--scoped-session-description",
        a.scoped_session_description.as_deref(),
    )? {
        b = b.scoped_session_description(v);
    }
    b.build().map_err(|e| validation_error(&e))
}

/// `get-session-token`.
pub fn get_session_token(a: &GetSessionTokenArgs) -> Result<GetSessionToken, CliError> {
    let mut b = GetSessionToken::builder();
    if let Some(d) = a.duration_seconds {
        b = b.duration_seconds(d);
    }
    if let Some(v) = load_opt("--serial-number", a.serial_number.as_deref())? {
        b = b.serial_number(v);
    }
    if let Some(v) = load_opt("--token-code", a.token_code.as_deref())? {
        b = b.token_code(v);
    }
    if let Some(v) = a.minimum_session_token_size {
        b = b.minimum_session_token_size(v);
    }
    b.build().map_err(|e| validation_error(&e))
}

/// `get-web-identity-token`.
pub fn get_web_identity_token(
    a: &GetWebIdentityTokenArgs,
) -> Result<GetWebIdentityToken, CliError> {
    let mut b = GetWebIdentityToken::builder().audiences(params::string_list(
        "--audience",
        "Audience",
        &a.audience,
    )?);
    if let Some(d) = a.duration_seconds {
        b = b.duration_seconds(d);
    }
    b = b.signing_algorithm(load_value("--signing-algorithm", &a.signing_algorithm)?);
    if let Some(v) = load_opt("--scope", a.scope.as_deref())? {
        b = b.scope(v);
    }
    if let Some(v) = load_opt("--subject-mode", a.subject_mode.as_deref())? {
        let mode = match v.as_str() {
            "AWSIdentity" => SubjectMode::AwsIdentity,
            "OriginIdentity" => SubjectMode::OriginIdentity,
            other => {
                return Err(CliError::ParamValidation(format!(
                    "Invalid value for parameter SubjectMode, value: {other}, valid values: \
                     AWSIdentity, OriginIdentity"
                )))
            }
        };
        b = b.subject_mode(mode);
    }
    if !a.tags.is_empty() {
        b = b.tags(tags(&a.tags)?);
    }
    b.build().map_err(|e| validation_error(&e))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::cli::{Cli, Command};
    use clap::Parser as _;
    use sts_client::operations::Operation;

    fn parse(args: &[&str]) -> Command {
        Cli::try_parse_from(std::iter::once("sts").chain(args.iter().copied()))
            .unwrap()
            .command
    }

    fn pairs(body: &str) -> Vec<&str> {
        let mut v: Vec<&str> = body.split('&').collect();
        v.sort_unstable();
        v
    }

    #[test]
    fn session_names_with_spaces_are_rejected_before_sending() {
        // The parameters of reference vector (b), given the AWS CLI way.
        let Command::AssumeRole(a) = parse(&[
            "assume-role",
            "--role-arn",
            "arn:aws:iam::123456789012:role/demo",
            "--role-session-name",
            "my session",
            "--duration-seconds",
            "3600",
            "--policy-arns",
            "arn=arn:aws:iam::123456789012:policy/p1",
            "--tags",
            "Key=Project,Value=Blue Sky",
            "Key=Team,Value=a/b+c",
            "--transitive-tag-keys",
            "Project",
            "--provided-contexts",
            "ProviderArn=arn:aws:iam::aws:contextProvider/IdentityCenter,ContextAssertion=abc==",
            "--policy",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
        ]) else {
            panic!("not assume-role")
        };
        // "my session" is not a valid session name; the library says so, as exit 252.
        let err = assume_role(&a).unwrap_err();
        assert_eq!(err.exit_code(), 252);
        assert!(err.to_string().contains("RoleSessionName"), "{err}");
    }

    #[test]
    fn assume_role_body_has_every_member() {
        let Command::AssumeRole(a) = parse(&[
            "assume-role",
            "--role-arn",
            "arn:aws:iam::123456789012:role/demo",
            "--role-session-name",
            "my-session",
            "--duration-seconds",
            "3600",
            "--policy-arns",
            "arn=arn:aws:iam::123456789012:policy/p1",
            "--tags",
            "Key=Project,Value=Blue Sky",
            "Key=Team,Value=a/b+c",
            "--transitive-tag-keys",
            "Project",
            "--provided-contexts",
            "ProviderArn=arn:aws:iam::aws:contextProvider/IdentityCenter,ContextAssertion=abc==",
            "--policy",
            r#"{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Action":"s3:*","Resource":"*"}]}"#,
        ]) else {
            panic!("not assume-role")
        };
        let body = assume_role(&a).unwrap().form_body();
        let expected = "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A123456789012%3Arole%2Fdemo&RoleSessionName=my-session&DurationSeconds=3600&PolicyArns.member.1.arn=arn%3Aaws%3Aiam%3A%3A123456789012%3Apolicy%2Fp1&Tags.member.1.Key=Project&Tags.member.1.Value=Blue+Sky&Tags.member.2.Key=Team&Tags.member.2.Value=a%2Fb%2Bc&TransitiveTagKeys.member.1=Project&ProvidedContexts.member.1.ProviderArn=arn%3Aaws%3Aiam%3A%3Aaws%3AcontextProvider%2FIdentityCenter&ProvidedContexts.member.1.ContextAssertion=abc%3D%3D&Policy=%7B%22Version%22%3A%222012-10-17%22%2C%22Statement%22%3A%5B%7B%22Effect%22%3A%22Allow%22%2C%22Action%22%3A%22s3%3A%2A%22%2C%22Resource%22%3A%22%2A%22%7D%5D%7D";
        assert_eq!(pairs(&body), pairs(expected));
    }

    #[test]
    fn validation_errors_read_like_botocore() {
        let Command::GetSessionToken(a) = parse(&["get-session-token", "--duration-seconds", "10"])
        else {
            panic!()
        };
        let err = get_session_token(&a).unwrap_err();
        assert_eq!(
            err.stderr_text(),
            "\nParameter validation failed:\nInvalid value for parameter DurationSeconds, value: 10, valid min value: 900\n"
        );
        let Command::GetAccessKeyInfo(a) =
            parse(&["get-access-key-info", "--access-key-id", "AKIA"])
        else {
            panic!()
        };
        let err = get_access_key_info(&a).unwrap_err();
        assert!(
            err.to_string().contains(
                "Invalid length for parameter AccessKeyId, value: 4, valid min length: 16"
            ),
            "{err}"
        );
    }

    #[test]
    fn assume_root_and_web_identity_token_parse_their_shapes() {
        let Command::AssumeRoot(a) = parse(&[
            "assume-root",
            "--target-principal",
            "111122223333",
            "--task-policy-arn",
            "arn=arn:aws:iam::aws:policy/root-task/IAMDeleteRootUserCredentials",
        ]) else {
            panic!()
        };
        let body = assume_root(&a).unwrap().form_body();
        assert!(body.contains("TaskPolicyArn.arn=arn%3Aaws%3Aiam%3A%3Aaws%3Apolicy%2Froot-task%2FIAMDeleteRootUserCredentials"), "{body}");
        let Command::GetWebIdentityToken(a) = parse(&[
            "get-web-identity-token",
            "--audience",
            "https://a.example",
            "https://b.example",
            "--signing-algorithm",
            "RS256",
            "--subject-mode",
            "Nope",
        ]) else {
            panic!()
        };
        assert_eq!(get_web_identity_token(&a).unwrap_err().exit_code(), 252);
    }
}
