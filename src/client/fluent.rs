//! One-line calls: `client.assume_role().role_arn(..).role_session_name(..).send().await`.
//!
//! Each operation's builder carries the client as its "sender"; `send` validates the input
//! (nothing goes out when a model limit is broken) and hands it to [`Client::send`].

use super::Client;
use crate::error::Error;
use crate::operations::*;

macro_rules! fluent_operations {
    ($($(#[$doc:meta])* $method:ident => $builder:ident, $input:ident, $output:ident;)*) => {
        impl Client {
            $(
                $(#[$doc])*
                pub fn $method(&self) -> $builder<&Client> {
                    $builder::with_sender(self)
                }
            )*
        }
        $(
            impl $builder<&Client> {
                /// Validates the input and sends it.
                pub async fn send(self) -> Result<$output, Error> {
                    let (client, input) = self.into_parts();
                    client.send(&input?).await
                }
            }
        )*
        #[cfg(feature = "blocking")]
        impl super::blocking::BlockingClient {
            $(
                $(#[$doc])*
                pub fn $method(&self) -> $builder<&super::blocking::BlockingClient> {
                    $builder::with_sender(self)
                }
            )*
        }
        $(
            #[cfg(feature = "blocking")]
            impl $builder<&super::blocking::BlockingClient> {
                /// Validates the input and sends it, blocking until the answer is in.
                pub fn send(self) -> Result<$output, Error> {
                    let (client, input) = self.into_parts();
                    client.send(&input?)
                }
            }
        )*
    };
}

fluent_operations! {
    /// AssumeRole: temporary credentials for a role.
    assume_role => AssumeRoleBuilder, AssumeRole, AssumeRoleOutput;
    /// AssumeRoleWithSAML (unsigned: the SAML assertion is the credential).
    assume_role_with_saml => AssumeRoleWithSamlBuilder, AssumeRoleWithSaml, AssumeRoleWithSamlOutput;
    /// AssumeRoleWithWebIdentity (unsigned: the OIDC token is the credential).
    assume_role_with_web_identity => AssumeRoleWithWebIdentityBuilder, AssumeRoleWithWebIdentity, AssumeRoleWithWebIdentityOutput;
    /// AssumeRoot: short-lived root credentials for a member account.
    assume_root => AssumeRootBuilder, AssumeRoot, AssumeRootOutput;
    /// DecodeAuthorizationMessage: the JSON behind an encoded authorization failure.
    decode_authorization_message => DecodeAuthorizationMessageBuilder, DecodeAuthorizationMessage, DecodeAuthorizationMessageOutput;
    /// GetAccessKeyInfo: the account that owns an access key id.
    get_access_key_info => GetAccessKeyInfoBuilder, GetAccessKeyInfo, GetAccessKeyInfoOutput;
    /// GetCallerIdentity: who signed the request.
    get_caller_identity => GetCallerIdentityBuilder, GetCallerIdentity, GetCallerIdentityOutput;
    /// GetDelegatedAccessToken: trade a trade-in token for credentials.
    get_delegated_access_token => GetDelegatedAccessTokenBuilder, GetDelegatedAccessToken, GetDelegatedAccessTokenOutput;
    /// GetFederationToken: credentials for a federated user.
    get_federation_token => GetFederationTokenBuilder, GetFederationToken, GetFederationTokenOutput;
    /// GetScopedCredentials: narrow the caller's temporary credentials.
    get_scoped_credentials => GetScopedCredentialsBuilder, GetScopedCredentials, GetScopedCredentialsOutput;
    /// GetSessionToken: temporary credentials for an IAM user, optionally with MFA.
    get_session_token => GetSessionTokenBuilder, GetSessionToken, GetSessionTokenOutput;
    /// GetWebIdentityToken: a JWT signed by STS for outbound federation.
    get_web_identity_token => GetWebIdentityTokenBuilder, GetWebIdentityToken, GetWebIdentityTokenOutput;
}
