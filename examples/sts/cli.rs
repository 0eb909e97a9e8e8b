//! The command line: the AWS CLI's `aws sts` subcommands, flags and global options.

use clap::{Args, Parser, Subcommand};

use crate::output::OutputFormat;

/// `aws sts`, as one command: the 12 STS operations with the AWS CLI's names, flags and
/// output, plus `eks-token` and `vault-login`.
#[derive(Debug, Parser)]
#[command(name = "sts", version, about, long_about = None)]
pub struct Cli {
    /// Options that every subcommand takes (before or after the subcommand).
    #[command(flatten)]
    pub global: GlobalOptions,
    /// The operation.
    #[command(subcommand)]
    pub command: Command,
}

/// The AWS CLI's global options that matter to STS.
#[derive(Debug, Args, Clone)]
pub struct GlobalOptions {
    /// The region to use (overrides config and environment).
    #[arg(long, global = true, value_name = "REGION")]
    pub region: Option<String>,
    /// A named profile from the credentials and config files.
    #[arg(long, global = true, value_name = "NAME")]
    pub profile: Option<String>,
    /// Override the endpoint URL.
    #[arg(long = "endpoint-url", global = true, value_name = "URL")]
    pub endpoint_url: Option<String>,
    /// The output format.
    #[arg(long, global = true, value_enum, value_name = "FORMAT")]
    pub output: Option<OutputFormat>,
    /// A JMESPath query applied to the response.
    #[arg(long, global = true, value_name = "EXPRESSION")]
    pub query: Option<String>,
    /// Print the canonical request, string to sign and response of each call to stderr
    /// (never a secret).
    #[arg(long, global = true)]
    pub debug: bool,
    /// Maximum socket read time in seconds; 0 blocks forever. Default 60.
    #[arg(long = "cli-read-timeout", global = true, value_name = "SECONDS")]
    pub cli_read_timeout: Option<u64>,
    /// Maximum socket connect time in seconds; 0 blocks forever. Default 60.
    #[arg(long = "cli-connect-timeout", global = true, value_name = "SECONDS")]
    pub cli_connect_timeout: Option<u64>,
}

/// The AWS CLI's default socket timeouts (`--cli-read-timeout`, `--cli-connect-timeout`).
pub const DEFAULT_TIMEOUT_SECS: u64 = 60;

impl GlobalOptions {
    /// The read timeout: `None` means none (the AWS CLI's `0`).
    pub fn read_timeout(&self) -> Option<std::time::Duration> {
        timeout(self.cli_read_timeout)
    }

    /// The connect timeout: `None` means none (the AWS CLI's `0`).
    pub fn connect_timeout(&self) -> Option<std::time::Duration> {
        timeout(self.cli_connect_timeout)
    }
}

fn timeout(secs: Option<u64>) -> Option<std::time::Duration> {
    match secs.unwrap_or(DEFAULT_TIMEOUT_SECS) {
        0 => None,
        s => Some(std::time::Duration::from_secs(s)),
    }
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Returns temporary credentials for a role.
    AssumeRole(AssumeRoleArgs),
    /// Returns temporary credentials for a role, authenticated by a SAML assertion.
    #[command(name = "assume-role-with-saml")]
    AssumeRoleWithSaml(AssumeRoleWithSamlArgs),
    /// Returns temporary credentials for a role, authenticated by an OIDC token.
    AssumeRoleWithWebIdentity(AssumeRoleWithWebIdentityArgs),
    /// Returns short-term root credentials for a member account.
    AssumeRoot(AssumeRootArgs),
    /// Decodes the authorization status message of a denied request.
    DecodeAuthorizationMessage(DecodeAuthorizationMessageArgs),
    /// Returns the account that owns an access key.
    GetAccessKeyInfo(GetAccessKeyInfoArgs),
    /// Returns the user ID, account and ARN of the caller.
    GetCallerIdentity,
    /// Exchanges a trade-in token for delegated credentials.
    GetDelegatedAccessToken(GetDelegatedAccessTokenArgs),
    /// Returns temporary credentials for a federated user.
    GetFederationToken(GetFederationTokenArgs),
    /// Returns credentials scoped down by a session policy.
    GetScopedCredentials(GetScopedCredentialsArgs),
    /// Returns temporary credentials, optionally authenticated by MFA.
    GetSessionToken(GetSessionTokenArgs),
    /// Returns a signed JWT asserting the caller's identity.
    GetWebIdentityToken(GetWebIdentityTokenArgs),
    /// Prints an EKS ExecCredential, as `aws eks get-token` does.
    EksToken(EksTokenArgs),
    /// Prints the login body of Vault's AWS `iam` auth method.
    VaultLogin(VaultLoginArgs),
}

/// `assume-role`.
#[derive(Debug, Args)]
pub struct AssumeRoleArgs {
    #[arg(long = "role-arn", required = true)]
    pub role_arn: String,
    #[arg(long = "role-session-name", required = true)]
    pub role_session_name: String,
    #[arg(long = "policy-arns", num_args = 1.., value_name = "arn=ARN")]
    pub policy_arns: Vec<String>,
    #[arg(long)]
    pub policy: Option<String>,
    #[arg(long = "duration-seconds")]
    pub duration_seconds: Option<i32>,
    #[arg(long, num_args = 1.., value_name = "Key=K,Value=V")]
    pub tags: Vec<String>,
    #[arg(long = "transitive-tag-keys", num_args = 1..)]
    pub transitive_tag_keys: Vec<String>,
    #[arg(long = "external-id")]
    pub external_id: Option<String>,
    #[arg(long = "serial-number")]
    pub serial_number: Option<String>,
    #[arg(long = "token-code")]
    pub token_code: Option<String>,
    #[arg(long = "source-identity")]
    pub source_identity: Option<String>,
    #[arg(
        long = "provided-contexts",
        num_args = 1..,
        value_name = "ProviderArn=ARN,ContextAssertion=A"
    )]
    pub provided_contexts: Vec<String>,
    #[arg(long = "minimum-session-token-size")]
    pub minimum_session_token_size: Option<i32>,
}

/// `assume-role-with-saml`.
#[derive(Debug, Args)]
pub struct AssumeRoleWithSamlArgs {
    #[arg(long = "role-arn", required = true)]
    pub role_arn: String,
    #[arg(long = "principal-arn", required = true)]
    pub principal_arn: String,
    #[arg(long = "saml-assertion", required = true)]
    pub saml_assertion: String,
    #[arg(long = "policy-arns", num_args = 1.., value_name = "arn=ARN")]
    pub policy_arns: Vec<String>,
    #[arg(long)]
    pub policy: Option<String>,
    #[arg(long = "duration-seconds")]
    pub duration_seconds: Option<i32>,
    #[arg(long = "minimum-session-token-size")]
    pub minimum_session_token_size: Option<i32>,
}

/// `assume-role-with-web-identity`.
#[derive(Debug, Args)]
pub struct AssumeRoleWithWebIdentityArgs {
    #[arg(long = "role-arn", required = true)]
    pub role_arn: String,
    #[arg(long = "role-session-name", required = true)]
    pub role_session_name: String,
    #[arg(long = "web-identity-token", required = true)]
    pub web_identity_token: String,
    #[arg(long = "provider-id")]
    pub provider_id: Option<String>,
    #[arg(long = "policy-arns", num_args = 1.., value_name = "arn=ARN")]
    pub policy_arns: Vec<String>,
    #[arg(long)]
    pub policy: Option<String>,
    #[arg(long = "duration-seconds")]
    pub duration_seconds: Option<i32>,
    #[arg(long = "minimum-session-token-size")]
    pub minimum_session_token_size: Option<i32>,
}

/// `assume-root`.
#[derive(Debug, Args)]
pub struct AssumeRootArgs {
    #[arg(long = "target-principal", required = true)]
    pub target_principal: String,
    #[arg(long = "task-policy-arn", required = true, value_name = "arn=ARN")]
    pub task_policy_arn: String,
    #[arg(long = "duration-seconds")]
    pub duration_seconds: Option<i32>,
    #[arg(long = "minimum-session-token-size")]
    pub minimum_session_token_size: Option<i32>,
}

/// `decode-authorization-message`.
#[derive(Debug, Args)]
pub struct DecodeAuthorizationMessageArgs {
    #[arg(long = "encoded-message", required = true)]
    pub encoded_message: String,
}

/// `get-access-key-info`.
#[derive(Debug, Args)]
pub struct GetAccessKeyInfoArgs {
    #[arg(long = "access-key-id", required = true)]
    pub access_key_id: String,
    /// Decode the account from the key itself instead of calling STS.
    #[arg(long)]
    pub offline: bool,
}

/// `get-delegated-access-token`.
#[derive(Debug, Args)]
pub struct GetDelegatedAccessTokenArgs {
    #[arg(long = "trade-in-token", required = true)]
    pub trade_in_token: String,
}

/// `get-federation-token`.
#[derive(Debug, Args)]
pub struct GetFederationTokenArgs {
    #[arg(long, required = true)]
    pub name: String,
    #[arg(long)]
    pub policy: Option<String>,
    #[arg(long = "policy-arns", num_args = 1.., value_name = "arn=ARN")]
    pub policy_arns: Vec<String>,
    #[arg(long = "duration-seconds")]
    pub duration_seconds: Option<i32>,
    #[arg(long, num_args = 1.., value_name = "Key=K,Value=V")]
    pub tags: Vec<String>,
    #[arg(long = "minimum-session-token-size")]
    pub minimum_session_token_size: Option<i32>,
}

/// `get-scoped-credentials`.
#[derive(Debug, Args)]
pub struct GetScopedCredentialsArgs {
    #[arg(long)]
    pub policy: Option<String>,
    #[arg(long = "duration-seconds")]
    pub duration_seconds: Option<i32>,
    #[arg(long = "minimum-session-token-size")]
    pub minimum_session_token_size: Option<i32>,
    #[arg(long = "scoped-session-description")]
    pub scoped_session_description: Option<String>,
}

/// `get-session-token`.
#[derive(Debug, Args)]
pub struct GetSessionTokenArgs {
    #[arg(long = "duration-seconds")]
    pub duration_seconds: Option<i32>,
    #[arg(long = "serial-number")]
    pub serial_number: Option<String>,
    #[arg(long = "token-code")]
    pub token_code: Option<String>,
    #[arg(long = "minimum-session-token-size")]
    pub minimum_session_token_size: Option<i32>,
    /// Also store the temporary credentials in this profile of the credentials file.
    #[arg(long = "write-profile", value_name = "NAME")]
    pub write_profile: Option<String>,
}

/// `get-web-identity-token`.
#[derive(Debug, Args)]
pub struct GetWebIdentityTokenArgs {
    #[arg(long, required = true, num_args = 1..)]
    pub audience: Vec<String>,
    #[arg(long = "signing-algorithm", required = true)]
    pub signing_algorithm: String,
    #[arg(long = "duration-seconds")]
    pub duration_seconds: Option<i32>,
    #[arg(long)]
    pub scope: Option<String>,
    #[arg(long = "subject-mode")]
    pub subject_mode: Option<String>,
    #[arg(long, num_args = 1.., value_name = "Key=K,Value=V")]
    pub tags: Vec<String>,
}

/// `eks-token`.
#[derive(Debug, Args)]
pub struct EksTokenArgs {
    /// The cluster name (signed as `x-k8s-aws-id`).
    #[arg(long = "cluster-name", required = true)]
    pub cluster_name: String,
    /// Assume this role first and sign with its credentials.
    #[arg(long = "role-arn")]
    pub role_arn: Option<String>,
}

/// `vault-login`.
#[derive(Debug, Args)]
pub struct VaultLoginArgs {
    /// The value signed as `X-Vault-AWS-IAM-Server-ID`.
    #[arg(long = "server-id", required = true)]
    pub server_id: String,
    /// The Vault role to log in as.
    #[arg(long)]
    pub role: Option<String>,
}

impl Command {
    /// The STS operation name the AWS CLI uses in messages and table titles.
    pub fn operation_name(&self) -> &'static str {
        match self {
            Command::AssumeRole(_) => "AssumeRole",
            Command::AssumeRoleWithSaml(_) => "AssumeRoleWithSAML",
            Command::AssumeRoleWithWebIdentity(_) => "AssumeRoleWithWebIdentity",
            Command::AssumeRoot(_) => "AssumeRoot",
            Command::DecodeAuthorizationMessage(_) => "DecodeAuthorizationMessage",
            Command::GetAccessKeyInfo(_) => "GetAccessKeyInfo",
            Command::GetCallerIdentity => "GetCallerIdentity",
            Command::GetDelegatedAccessToken(_) => "GetDelegatedAccessToken",
            Command::GetFederationToken(_) => "GetFederationToken",
            Command::GetScopedCredentials(_) => "GetScopedCredentials",
            Command::GetSessionToken(_) => "GetSessionToken",
            Command::GetWebIdentityToken(_) => "GetWebIdentityToken",
            Command::EksToken(_) | Command::VaultLogin(_) => "GetCallerIdentity",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    fn parse(args: &[&str]) -> Result<Cli, clap::Error> {
        Cli::try_parse_from(std::iter::once("sts").chain(args.iter().copied()))
    }

    #[test]
    fn the_command_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_operation_has_the_aws_cli_name() {
        let cmd = Cli::command();
        let names: Vec<&str> = cmd.get_subcommands().map(|c| c.get_name()).collect();
        for name in [
            "assume-role",
            "assume-role-with-saml",
            "assume-role-with-web-identity",
            "assume-root",
            "decode-authorization-message",
            "get-access-key-info",
            "get-caller-identity",
            "get-delegated-access-token",
            "get-federation-token",
            "get-scoped-credentials",
            "get-session-token",
            "get-web-identity-token",
            "eks-token",
            "vault-login",
        ] {
            assert!(names.contains(&name), "missing {name} in {names:?}");
        }
    }

    #[test]
    fn global_options_go_before_or_after_the_subcommand() {
        let cli = parse(&[
            "--region",
            "eu-west-1",
            "get-caller-identity",
            "--output",
            "text",
            "--query",
            "Account",
        ])
        .unwrap();
        assert_eq!(cli.global.region.as_deref(), Some("eu-west-1"));
        assert_eq!(cli.global.output, Some(OutputFormat::Text));
        assert_eq!(cli.global.query.as_deref(), Some("Account"));
        assert!(matches!(cli.command, Command::GetCallerIdentity));
    }

    #[test]
    fn list_options_take_several_values() {
        let cli = parse(&[
            "assume-role",
            "--role-arn",
            "arn:aws:iam::123456789012:role/demo",
            "--role-session-name",
            "s",
            "--tags",
            "Key=a,Value=1",
            "Key=b,Value=2",
            "--policy-arns",
            "arn=arn:aws:iam::123456789012:policy/p1",
            "--duration-seconds",
            "900",
        ])
        .unwrap();
        let Command::AssumeRole(a) = cli.command else {
            panic!("not assume-role")
        };
        assert_eq!(a.tags, ["Key=a,Value=1", "Key=b,Value=2"]);
        assert_eq!(a.policy_arns.len(), 1);
        assert_eq!(a.duration_seconds, Some(900));
    }

    #[test]
    fn missing_required_options_are_usage_errors() {
        let err = parse(&["assume-role", "--role-arn", "x"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::MissingRequiredArgument);
        let err = parse(&["get-caller-identity", "--bogus"]).unwrap_err();
        assert_eq!(err.kind(), clap::error::ErrorKind::UnknownArgument);
    }

    #[test]
    fn timeouts_default_to_60_and_zero_means_none() {
        let cli = parse(&["get-caller-identity"]).unwrap();
        assert_eq!(
            cli.global.read_timeout(),
            Some(std::time::Duration::from_secs(60))
        );
        let cli = parse(&[
            "get-caller-identity",
            "--cli-read-timeout",
            "0",
            "--cli-connect-timeout",
            "5",
        ])
        .unwrap();
        assert_eq!(cli.global.read_timeout(), None);
        assert_eq!(
            cli.global.connect_timeout(),
            Some(std::time::Duration::from_secs(5))
        );
    }
}
