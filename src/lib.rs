//! A hand-written AWS Security Token Service (STS) client.
//!
//! Work in progress: the SigV4 signer, the typed operations, the client and the credential
//! providers are arriving module by module.

#![warn(missing_docs)]

pub mod credentials;
pub mod encoding;
pub mod secret;
pub mod sigv4;

pub use credentials::Credentials;
pub use secret::SecretString;
