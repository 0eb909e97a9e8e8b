//! Who am I? The first call everyone makes with new credentials.
//!
//! ```sh
//! AWS_REGION=us-east-1 cargo run --example get_caller_identity
//! ```
//! Credentials and region come from where the AWS CLI finds them: the environment, then
//! `~/.aws/credentials` and `~/.aws/config` (`AWS_PROFILE` picks the profile).

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), sts_client::Error> {
    let client = sts_client::Client::from_env()?;
    let me = client.get_caller_identity().send().await?;
    println!("Account: {}", me.account);
    println!("Arn:     {}", me.arn);
    println!("UserId:  {}", me.user_id);
    Ok(())
}
