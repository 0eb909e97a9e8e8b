//! Proofs of identity from the client's own credentials, endpoint and corrected clock.

use super::Client;
use crate::error::Error;
use crate::presign::{EksToken, VaultLoginRequest};

impl Client {
    /// An EKS bearer token (`k8s-aws-v1.…`) for `cluster_name`, as `aws eks get-token` makes
    /// it: a presigned GetCallerIdentity URL with the cluster name in a signed
    /// `x-k8s-aws-id` header. Nothing is sent; the cluster's authenticator calls STS.
    pub async fn eks_token(&self, cluster_name: &str) -> Result<EksToken, Error> {
        const ACTION: &str = "GetCallerIdentity";
        let credentials = self.resolve_credentials(ACTION).await?;
        let inner = &*self.inner;
        Ok(crate::presign::eks_token(
            &inner.signer,
            &credentials,
            &inner.endpoint,
            cluster_name,
            inner.skew.corrected(inner.clock.now()),
        )?)
    }

    /// The login request of Vault's AWS `iam` auth method: a header-signed GetCallerIdentity
    /// (with `X-Vault-AWS-IAM-Server-ID` signed when `server_id` is given) that Vault replays
    /// to STS. [`VaultLoginRequest::login_json`] is the body to POST to Vault.
    pub async fn vault_iam_login_request(
        &self,
        server_id: Option<&str>,
        role: Option<&str>,
    ) -> Result<VaultLoginRequest, Error> {
        const ACTION: &str = "GetCallerIdentity";
        let credentials = self.resolve_credentials(ACTION).await?;
        let inner = &*self.inner;
        Ok(crate::presign::vault_iam_login_request(
            &inner.signer,
            &credentials,
            &inner.endpoint,
            server_id,
            role,
            inner.skew.corrected(inner.clock.now()),
        )?)
    }
}
