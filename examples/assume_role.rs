//! Assume a role, then keep working as it: the credentials renew themselves before they
//! expire, one renewal at a time, while callers keep using the current ones.
//!
//! ```sh
//! AWS_REGION=us-east-1 cargo run --example assume_role -- arn:aws:iam::123456789012:role/Deploy
//! ```

use sts_client::credentials::ProvideCredentials;

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let role_arn = std::env::args()
        .nth(1)
        .ok_or("usage: assume_role ROLE_ARN")?;
    let client = sts_client::Client::from_env()?;

    // One call, when that is all you need.
    let once = client
        .assume_role()
        .role_arn(&role_arn)
        .role_session_name("example-once")
        .duration_seconds(900)
        .send()
        .await?;
    println!(
        "assumed {} until {:?}",
        once.assumed_role_user.arn,
        once.credentials.expiration()
    );

    // A source that renews itself: hand it to a client (or anything that signs requests).
    let role_credentials = client
        .assume_role()
        .role_arn(&role_arn)
        .role_session_name("example-renewing")
        .duration_seconds(900)
        .into_provider()?;
    let as_role = client.with_credentials(role_credentials);
    for round in 1..=3 {
        let me = as_role.get_caller_identity().send().await?;
        println!("round {round}: calling as {}", me.arn);
        tokio::time::sleep(std::time::Duration::from_secs(1)).await;
    }

    // The source can also be asked directly, e.g. to hand the credentials to another tool
    // (these lines carry the secret on purpose: `eval` them, don't log them).
    let current = client
        .assume_role()
        .role_arn(&role_arn)
        .role_session_name("example-export")
        .into_provider()?
        .provide_credentials()
        .await?;
    println!("{}", sts_client::credentials::render_export_lines(&current));
    Ok(())
}
