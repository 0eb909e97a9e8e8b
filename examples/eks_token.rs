//! An EKS bearer token, as `aws eks get-token` prints it (an ExecCredential for kubectl).
//!
//! ```sh
//! AWS_REGION=eu-west-1 cargo run --example eks_token -- my-cluster
//! ```
//! Use it from a kubeconfig `exec` entry. The token is a presigned GetCallerIdentity URL;
//! the cluster's authenticator calls STS with it, so nothing is sent from here.

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let cluster = std::env::args()
        .nth(1)
        .ok_or("usage: eks_token CLUSTER_NAME")?;
    let client = sts_client::Client::from_env()?;
    let token = client.eks_token(&cluster).await?;
    let exec_credential = serde_json::json!({
        "kind": "ExecCredential",
        "apiVersion": "client.authentication.k8s.io/v1beta1",
        "spec": {},
        "status": {
            "expirationTimestamp": token.expiration_rfc3339(),
            "token": token.token(),
        }
    });
    println!("{}", serde_json::to_string_pretty(&exec_credential)?);
    Ok(())
}
