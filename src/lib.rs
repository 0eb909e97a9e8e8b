//! A hand-written AWS Security Token Service (STS) client.
//!
//! Work in progress: the SigV4 signer, the typed operations, the client and the credential
//! providers are arriving module by module.

#![warn(missing_docs)]

pub mod client;
pub mod config;
pub mod credentials;
pub mod encoding;
pub mod endpoint;
pub mod secret;

pub use credentials::Credentials;
pub use secret::SecretString;
