//! Temporary credentials behind MFA, written to a profile: the aws-mfa workflow in one step.
//!
//! ```sh
//! AWS_REGION=us-east-1 cargo run --example get_session_token_with_mfa -- \
//!     arn:aws:iam::123456789012:mfa/alice mfa
//! ```
//! Asks for the 6-digit code, calls GetSessionToken with your long-term keys, and stores the
//! result in profile `mfa` of `~/.aws/credentials` (atomically; other profiles are kept).
//! Then: `AWS_PROFILE=mfa aws s3 ls`.

use std::io::Write;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let serial = args
        .next()
        .ok_or("usage: get_session_token_with_mfa MFA_SERIAL_ARN [PROFILE]")?;
    let profile = args.next().unwrap_or_else(|| "mfa".to_owned());

    print!("MFA code for {serial}: ");
    std::io::stdout().flush()?;
    let mut code = String::new();
    std::io::stdin().read_line(&mut code)?;

    let client = sts_client::Client::from_env()?;
    let session = client
        .get_session_token()
        .serial_number(&serial)
        .token_code(code.trim()) // held as a secret: never printed, zeroed on drop
        .duration_seconds(12 * 3600)
        .send()
        .await?;

    // The same file the AWS CLI writes: AWS_SHARED_CREDENTIALS_FILE, else ~/.aws/credentials.
    let env = sts_client::credentials::EnvLookup::process();
    let path = sts_client::credentials::profile::ProfileFiles::from_env(&env)?.credentials;
    sts_client::credentials::write_profile_credentials(&path, &profile, &session.credentials)?;
    println!(
        "Profile [{profile}] in {} holds credentials until {:?}",
        path.display(),
        session.credentials.expiration()
    );
    Ok(())
}
