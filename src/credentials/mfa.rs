//! MFA codes come from the caller.

use super::CredentialsError;
use crate::secret::SecretString;

/// Gives the current code of an MFA device when a role assumption needs one.
///
/// Any `Fn(&str) -> Result<SecretString, CredentialsError>` is one; the argument is the
/// device's serial number or ARN (`mfa_serial`).
///
/// ```
/// use sts_client::credentials::{CredentialsError, MfaTokenProvider};
/// use sts_client::SecretString;
/// let prompt = |_serial: &str| -> Result<SecretString, CredentialsError> {
///     Ok(SecretString::new("123456"))
/// };
/// assert_eq!(prompt.mfa_token("arn:aws:iam::123456789012:mfa/me").unwrap().expose(), "123456");
/// ```
pub trait MfaTokenProvider: Send + Sync {
    /// The current code for the device `serial`.
    fn mfa_token(&self, serial: &str) -> Result<SecretString, CredentialsError>;
}

impl<F> MfaTokenProvider for F
where
    F: Fn(&str) -> Result<SecretString, CredentialsError> + Send + Sync,
{
    fn mfa_token(&self, serial: &str) -> Result<SecretString, CredentialsError> {
        self(serial)
    }
}
