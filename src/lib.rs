//! A hand-written client for the AWS Security Token Service (STS): a SigV4 signer, typed
//! builders for the 12 STS operations, typed outputs and errors, and credential providers.
//!
//! ```no_run
//! # async fn run() -> Result<(), sts_client::Error> {
//! let client = sts_client::Client::from_env()?;
//! let me = client.get_caller_identity().send().await?;
//! println!("{} ({})", me.arn, me.account);
//!
//! let role = client.assume_role()
//!     .role_arn("arn:aws:iam::123456789012:role/Deploy")
//!     .role_session_name("ci-run-42")
//!     .send().await?;
//! println!("{:?}", role.credentials); // secret and token print as redacted
//! # Ok(()) }
//! ```
//!
//! | module | what |
//! |---|---|
//! | [`client`] | [`Client`]: endpoint, transport, retries, clock skew; one method per operation |
//! | [`operations`] | input builders (limits checked before sending), form encoding, outputs, parsing |
//! | [`error`] | [`Error`], [`ServiceError`], [`ErrorCode`] with classifiers |
//! | [`sigv4`] | the SigV4 signer and presigner, for any AWS service |
//! | [`credentials`] | sources, the default chain, the refreshing cache, writing profiles |
//! | [`config`], [`endpoint`] | client settings from the environment; STS endpoint rules |
//! | [`presign`] | EKS tokens and Vault IAM login requests from presigned GetCallerIdentity |
//! | [`access_key`] | the account id inside an access key id, offline |
//! | [`authorization_message`] | DecodeAuthorizationMessage's document, typed |
//!
//! Feature `blocking` adds `BlockingClient` for programs without async.

#![warn(missing_docs)]

// The README's Rust examples compile as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

pub mod access_key;
pub mod authorization_message;
pub mod client;
pub mod config;
pub mod credentials;
pub mod encoding;
pub mod endpoint;
pub mod error;
pub mod operations;
pub mod presign;
pub mod secret;
pub mod sigv4;
mod xml;

pub use access_key::{
    access_key_kind, account_id_from_access_key_id, AccessKeyError, AccessKeyKind,
};
pub use authorization_message::{parse_decoded_message, AuthorizationDecision, DecodeMessageError};
#[cfg(feature = "blocking")]
pub use client::blocking::BlockingClient;
pub use client::{Client, ClientBuilder};
pub use credentials::Credentials;
pub use error::{parse_error_response, Error, ErrorCode, Fault, ServiceError};
pub use secret::SecretString;
