//! A hand-written AWS Security Token Service (STS) client.
//!
//! Work in progress: the SigV4 signer, the typed operations, the client and the credential
//! providers are arriving module by module.

#![warn(missing_docs)]

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
