//! The I/O edge: global options → a configured `sts_client::Client`, each subcommand → one
//! call, the library's errors → the AWS CLI's messages and exit codes.

use std::sync::Arc;
use std::time::Duration;

use sts_client::client::transport::{HttpTransport, ReqwestTransport, Timeouts};
use sts_client::config::{ClientConfig, ConfigError};
use sts_client::credentials::profile::{profile_name_from_env, ProfileFiles, ProfileSet};
use sts_client::credentials::write_profile_credentials;
use sts_client::credentials::{
    AssumeRoleProvider, AssumeRoleRequest, CredentialsError, DefaultChain, EnvLookup,
    ProfileCredentials, ProvideCredentials, WebIdentityRequest,
};
use sts_client::operations::{AssumeRole, AssumeRoleWithWebIdentity, Operation};
use sts_client::presign::{eks_presign_explanation, eks_token, vault_iam_login_request};
use sts_client::sigv4::Signer;
use sts_client::{Client, Credentials, Error};

use crate::cli::{Cli, Command, GlobalOptions};
use crate::debug::DebugTransport;
use crate::doc::Doc;
use crate::exit::CliError;
use crate::output::{render, OutputFormat};
use crate::query::Query;
use crate::{ops, render as out};

/// "0 means no timeout" (the AWS CLI): a day is longer than any STS call.
const NO_TIMEOUT: Duration = Duration::from_secs(86_400);
/// `aws eks get-token`'s session name when it assumes `--role-arn`.
const EKS_SESSION_NAME: &str = "EKSGetTokenAuth";

const NO_CREDENTIALS: &str =
    "Unable to locate credentials. You can configure credentials by running \"aws configure\".";
const NO_REGION: &str =
    "You must specify a region. You can also configure your region by running \"aws configure\".";

/// Everything one invocation needs: settings resolved once, a client built from them.
struct Context {
    client: Client,
    credentials: Arc<dyn ProvideCredentials>,
    debug: bool,
    credentials_file: Option<std::path::PathBuf>,
}

fn timeouts(global: &GlobalOptions) -> Timeouts {
    Timeouts {
        connect: global.connect_timeout().unwrap_or(NO_TIMEOUT),
        total: global.read_timeout().unwrap_or(NO_TIMEOUT),
    }
}

fn transport(timeouts: Timeouts, debug: bool) -> Result<Arc<dyn HttpTransport>, CliError> {
    let reqwest = ReqwestTransport::new(timeouts)
        .map_err(|e| CliError::General(format!("cannot start the HTTP client: {e}")))?;
    Ok(if debug {
        Arc::new(DebugTransport::new(reqwest))
    } else {
        Arc::new(reqwest)
    })
}

fn build_client(
    config: &ClientConfig,
    credentials: Option<Arc<dyn ProvideCredentials>>,
    timeouts: Timeouts,
    debug: bool,
) -> Result<Client, CliError> {
    let mut builder = Client::builder()
        .config(config.clone())
        .transport(ArcTransport(transport(timeouts, debug)?));
    if let Some(c) = credentials {
        builder = builder.shared_credentials(c);
    }
    builder.build().map_err(|e| cli_error(&e))
}

/// `Arc<dyn HttpTransport>` as a transport value for the builder.
#[derive(Debug)]
struct ArcTransport(Arc<dyn HttpTransport>);

impl HttpTransport for ArcTransport {
    fn send(
        &self,
        request: sts_client::client::transport::HttpRequest,
    ) -> sts_client::client::transport::TransportFuture<'_> {
        self.0.send(request)
    }
}

/// Performs the role assumptions of `role_arn` profiles and web identity with a client of
/// the same settings, signed with the source credentials.
struct ClientRoleProvider {
    config: ClientConfig,
    timeouts: Timeouts,
    debug: bool,
}

impl AssumeRoleProvider for ClientRoleProvider {
    fn assume_role(
        &self,
        request: AssumeRoleRequest,
    ) -> sts_client::credentials::ProvideFuture<'_> {
        Box::pin(async move {
            let fail = |e: String| CredentialsError::provider("assume role", e);
            let mut b = AssumeRole::builder()
                .role_arn(request.role_arn.clone())
                .role_session_name(request.role_session_name.clone());
            if let Some(id) = &request.external_id {
                b = b.external_id(id.clone());
            }
            if let Some(d) = request.duration_seconds {
                b = b.duration_seconds(i32::try_from(d).unwrap_or(i32::MAX));
            }
            if let Some(serial) = &request.mfa_serial {
                b = b.serial_number(serial.clone());
            }
            if let Some(code) = &request.mfa_code {
                b = b.token_code(code.clone());
            }
            let op = b.build().map_err(|e| fail(e.to_string()))?;
            let source: Arc<dyn ProvideCredentials> = Arc::new(request.source_credentials.clone());
            let client = build_client(&self.config, Some(source), self.timeouts, self.debug)
                .map_err(|e| fail(e.to_string()))?;
            let output = client.send(&op).await.map_err(|e| fail(e.to_string()))?;
            Ok(output.credentials)
        })
    }

    fn assume_role_with_web_identity(
        &self,
        request: WebIdentityRequest,
    ) -> sts_client::credentials::ProvideFuture<'_> {
        Box::pin(async move {
            let fail = |e: String| CredentialsError::provider("web identity", e);
            let op = AssumeRoleWithWebIdentity::builder()
                .role_arn(request.role_arn.clone())
                .role_session_name(request.role_session_name.clone())
                .web_identity_token(request.token.clone())
                .build()
                .map_err(|e| fail(e.to_string()))?;
            let client = build_client(&self.config, None, self.timeouts, self.debug)
                .map_err(|e| fail(e.to_string()))?;
            let output = client.send(&op).await.map_err(|e| fail(e.to_string()))?;
            Ok(output.credentials)
        })
    }
}

fn config_error(e: &ConfigError) -> CliError {
    match e {
        ConfigError::MissingRegion => CliError::Config(NO_REGION.to_owned()),
        other => CliError::Config(other.to_string()),
    }
}

fn credentials_error(e: &CredentialsError) -> CliError {
    match e {
        CredentialsError::ProfileNotFound { profile } => {
            CliError::Config(format!("The config profile ({profile}) could not be found"))
        }
        CredentialsError::NoneFound { .. } | CredentialsError::NotConfigured { .. } => {
            CliError::Config(NO_CREDENTIALS.to_owned())
        }
        other => CliError::Config(other.to_string()),
    }
}

/// The library's error in the AWS CLI's words and exit code.
pub fn cli_error(e: &Error) -> CliError {
    match e {
        Error::Validation(v) => ops::validation_error(v),
        Error::Service(s) => CliError::Service {
            code: s.code().as_str().to_owned(),
            message: s.message().unwrap_or_default().to_owned(),
            operation: s.action().to_owned(),
        },
        Error::Transport(t) => match t {
            sts_client::client::transport::TransportError::Connect { url, .. } => {
                CliError::General(format!("Could not connect to the endpoint URL: \"{url}\""))
            }
            other => CliError::General(other.to_string()),
        },
        Error::Config(c) => config_error(c),
        Error::Credentials(c) => credentials_error(c),
        Error::NoCredentials { .. } => CliError::Config(NO_CREDENTIALS.to_owned()),
        Error::NoSigningRegion { .. } => CliError::Config(NO_REGION.to_owned()),
        other => CliError::General(other.to_string()),
    }
}

fn context(global: &GlobalOptions) -> Result<Context, CliError> {
    let env = EnvLookup::process();
    let files = ProfileFiles::from_env(&env).ok();
    let profiles = match &files {
        Some(f) => ProfileSet::load(f).map_err(|e| credentials_error(&e))?,
        None => ProfileSet::default(),
    };
    let profile_name = global
        .profile
        .clone()
        .or_else(|| profile_name_from_env(&env));
    if let Some(name) = &profile_name {
        if profiles.profile(name).is_none() {
            return Err(CliError::Config(format!(
                "The config profile ({name}) could not be found"
            )));
        }
    }
    let settings = profiles.client_settings(profile_name.as_deref().unwrap_or("default"));
    let profile_lookup = move |key: &str| -> Option<String> {
        let flag = |b: Option<bool>| b.map(|b| b.to_string());
        match key {
            "region" => settings.region.clone(),
            "endpoint_url" => settings.endpoint_url.clone(),
            "services.sts.endpoint_url" => settings.sts_endpoint_url.clone(),
            "sts_regional_endpoints" => settings.sts_regional_endpoints.clone(),
            "use_fips_endpoint" => flag(settings.use_fips_endpoint),
            "use_dualstack_endpoint" => flag(settings.use_dualstack_endpoint),
            _ => None,
        }
    };
    let env_for_config = env.clone();
    let mut config = ClientConfig::from_lookups(move |k| env_for_config.get(k), profile_lookup)
        .map_err(|e| config_error(&e))?;
    if let Some(region) = &global.region {
        config = config.with_region(region.clone());
    }
    if let Some(url) = &global.endpoint_url {
        config = config.with_endpoint_url(url.clone());
    }
    let timeouts = timeouts(global);
    let roles = Arc::new(ClientRoleProvider {
        config: config.clone(),
        timeouts,
        debug: global.debug,
    });
    // As botocore: an explicit --profile skips the environment's keys.
    let credentials: Arc<dyn ProvideCredentials> = match &global.profile {
        Some(name) => Arc::new(
            ProfileCredentials::new(env.clone())
                .with_profile(name.clone())
                .with_assume_role(roles),
        ),
        None => Arc::new(DefaultChain::from_env(env.clone(), Some(roles))),
    };
    let client = build_client(&config, Some(credentials.clone()), timeouts, global.debug)?;
    Ok(Context {
        client,
        credentials,
        debug: global.debug,
        credentials_file: files.map(|f| f.credentials),
    })
}

async fn send<O: Operation>(ctx: &Context, op: &O) -> Result<O::Output, CliError> {
    ctx.client.send(op).await.map_err(|e| cli_error(&e))
}

async fn source_credentials(ctx: &Context) -> Result<Credentials, CliError> {
    ctx.credentials
        .provide_credentials()
        .await
        .map_err(|e| credentials_error(&e))
}

/// Runs the command; returns what to print on stdout.
pub async fn run(cli: &Cli) -> Result<String, CliError> {
    let query = cli
        .global
        .query
        .as_deref()
        .map(Query::parse)
        .transpose()
        .map_err(|e| CliError::Usage(format!("sts: error: argument --query: {e}\n")))?;
    let format = cli.global.output.unwrap_or(OutputFormat::Json);
    let operation = cli.command.operation_name();
    // Offline answers need no client, credentials or region.
    if let Command::GetAccessKeyInfo(a) = &cli.command {
        if a.offline {
            // The same length checks as the online call.
            ops::get_access_key_info(a)?;
            let key = crate::params::load_value("--access-key-id", &a.access_key_id)?;
            let account = sts_client::account_id_from_access_key_id(&key).map_err(|e| {
                CliError::ParamValidation(format!("Invalid value for parameter AccessKeyId: {e}"))
            })?;
            return print(operation, &out::account(&account), format, query.as_ref());
        }
    }
    let ctx = context(&cli.global)?;
    let doc = match &cli.command {
        Command::AssumeRole(a) => out::assume_role(&send(&ctx, &ops::assume_role(a)?).await?),
        Command::AssumeRoleWithSaml(a) => {
            out::assume_role_with_saml(&send(&ctx, &ops::assume_role_with_saml(a)?).await?)
        }
        Command::AssumeRoleWithWebIdentity(a) => out::assume_role_with_web_identity(
            &send(&ctx, &ops::assume_role_with_web_identity(a)?).await?,
        ),
        Command::AssumeRoot(a) => out::assume_root(&send(&ctx, &ops::assume_root(a)?).await?),
        Command::DecodeAuthorizationMessage(a) => out::decode_authorization_message(
            &send(&ctx, &ops::decode_authorization_message(a)?).await?,
        ),
        Command::GetAccessKeyInfo(a) => {
            out::get_access_key_info(&send(&ctx, &ops::get_access_key_info(a)?).await?)
        }
        Command::GetCallerIdentity => out::get_caller_identity(
            &send(
                &ctx,
                &sts_client::operations::GetCallerIdentity::builder()
                    .build()
                    .map_err(|e| ops::validation_error(&e))?,
            )
            .await?,
        ),
        Command::GetDelegatedAccessToken(a) => out::get_delegated_access_token(
            &send(&ctx, &ops::get_delegated_access_token(a)?).await?,
        ),
        Command::GetFederationToken(a) => {
            out::get_federation_token(&send(&ctx, &ops::get_federation_token(a)?).await?)
        }
        Command::GetScopedCredentials(a) => {
            out::get_scoped_credentials(&send(&ctx, &ops::get_scoped_credentials(a)?).await?)
        }
        Command::GetSessionToken(a) => {
            let output = send(&ctx, &ops::get_session_token(a)?).await?;
            if let Some(profile) = &a.write_profile {
                write_profile(&ctx, profile, &output.credentials)?;
            }
            out::get_session_token(&output)
        }
        Command::GetWebIdentityToken(a) => {
            out::get_web_identity_token(&send(&ctx, &ops::get_web_identity_token(a)?).await?)
        }
        Command::EksToken(a) => eks_credential(&ctx, a).await?,
        Command::VaultLogin(a) => vault_login(&ctx, a).await?,
    };
    print(operation, &doc, format, query.as_ref())
}

fn print(
    operation: &str,
    doc: &Doc,
    format: OutputFormat,
    query: Option<&Query>,
) -> Result<String, CliError> {
    render(operation, doc, format, query)
        .map_err(|e| CliError::Usage(format!("sts: error: argument --query: {e}\n")))
}

fn write_profile(ctx: &Context, profile: &str, credentials: &Credentials) -> Result<(), CliError> {
    let path = ctx.credentials_file.as_deref().ok_or_else(|| {
        CliError::Config(
            "Cannot find the credentials file: set AWS_SHARED_CREDENTIALS_FILE or HOME".to_owned(),
        )
    })?;
    write_profile_credentials(path, profile, credentials)
        .map_err(|e| CliError::General(format!("Could not write profile {profile}: {e}")))
}

/// `aws eks get-token`'s ExecCredential.
async fn eks_credential(ctx: &Context, a: &crate::cli::EksTokenArgs) -> Result<Doc, CliError> {
    let mut credentials = source_credentials(ctx).await?;
    if let Some(role_arn) = &a.role_arn {
        let op = AssumeRole::builder()
            .role_arn(crate::params::load_value("--role-arn", role_arn)?)
            .role_session_name(EKS_SESSION_NAME)
            .build()
            .map_err(|e| ops::validation_error(&e))?;
        credentials = send(ctx, &op).await?.credentials;
    }
    let now = time::OffsetDateTime::now_utc() + ctx.client.clock_skew();
    let cluster = crate::params::load_value("--cluster-name", &a.cluster_name)?;
    let token = eks_token(
        &Signer::new(),
        &credentials,
        ctx.client.endpoint(),
        &cluster,
        now,
    )
    .map_err(|e| CliError::General(e.to_string()))?;
    if ctx.debug {
        let explanation = eks_presign_explanation(
            &Signer::new(),
            &credentials,
            ctx.client.endpoint(),
            &cluster,
            now,
        )
        .map_err(|e| CliError::General(e.to_string()))?;
        let mut canonical = explanation.canonical_request.clone();
        if let Some(token) = credentials.session_token() {
            // In the query string the token appears percent-encoded.
            let mut encoded = String::new();
            sts_client::encoding::uri_encode_into(&mut encoded, token.expose(), true);
            canonical = canonical
                .replace(&encoded, crate::debug::REDACTED)
                .replace(token.expose(), crate::debug::REDACTED);
        }
        crate::debug::log(&format!(
            "Presigned GetCallerIdentity for cluster {cluster}, expires {}\nCanonicalRequest:\n{canonical}\nStringToSign:\n{}\n",
            token.expiration_rfc3339(),
            explanation.string_to_sign
        ));
    }
    Ok(Doc::map()
        .with("kind", Doc::str("ExecCredential"))
        .with(
            "apiVersion",
            Doc::str("client.authentication.k8s.io/v1beta1"),
        )
        .with("spec", Doc::map())
        .with(
            "status",
            Doc::map()
                .with("expirationTimestamp", Doc::str(token.expiration_rfc3339()))
                .with("token", Doc::str(token.token())),
        ))
}

/// The body of Vault's `POST /v1/auth/aws/login`.
async fn vault_login(ctx: &Context, a: &crate::cli::VaultLoginArgs) -> Result<Doc, CliError> {
    let credentials = source_credentials(ctx).await?;
    let now = time::OffsetDateTime::now_utc() + ctx.client.clock_skew();
    let server_id = crate::params::load_value("--server-id", &a.server_id)?;
    let role = crate::params::load_opt("--role", a.role.as_deref())?;
    let request = vault_iam_login_request(
        &Signer::new(),
        &credentials,
        ctx.client.endpoint(),
        Some(&server_id),
        role.as_deref(),
        now,
    )
    .map_err(|e| CliError::General(e.to_string()))?;
    let json: serde_json::Value = serde_json::from_str(&request.login_json())
        .map_err(|e| CliError::General(format!("cannot build the login body: {e}")))?;
    // Vault's documented field order, not serde_json's sorted one.
    let mut doc = Doc::map();
    for key in [
        "role",
        "iam_http_request_method",
        "iam_request_url",
        "iam_request_body",
        "iam_request_headers",
    ] {
        if let Some(v) = json.get(key) {
            doc.push(key, Doc::from_json(v));
        }
    }
    Ok(doc)
}
