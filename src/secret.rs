//! Strings that hold secrets: zeroed on drop, redacted when printed.

use std::fmt;
use zeroize::Zeroizing;

/// A secret string (secret access key, session token, web identity token, SAML assertion,
/// MFA code, trade-in token).
///
/// Its memory is zeroed when it is dropped, and `Debug` and `Display` print `** redacted **`
/// so that a secret cannot reach a log by accident. Read it with [`SecretString::expose`]
/// only where the value itself is needed (signing, a form body).
///
/// ```
/// use sts_client::SecretString;
/// let s = SecretString::new("wJalrXUtnFEMI/K7MDENG");
/// assert_eq!(format!("{s:?}"), "** redacted **");
/// assert_eq!(s.expose(), "wJalrXUtnFEMI/K7MDENG");
/// ```
#[derive(Clone, PartialEq, Eq, Default)]
pub struct SecretString(Zeroizing<String>);

impl SecretString {
    /// Wraps a secret.
    pub fn new(value: impl Into<String>) -> Self {
        Self(Zeroizing::new(value.into()))
    }

    /// The secret's text. Keep what you do with it out of logs.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// Length in bytes (safe to show: it reveals nothing usable).
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the secret is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<String> for SecretString {
    fn from(value: String) -> Self {
        Self::new(value)
    }
}

impl From<&str> for SecretString {
    fn from(value: &str) -> Self {
        Self::new(value)
    }
}

impl fmt::Debug for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

impl fmt::Display for SecretString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("** redacted **")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn never_prints_the_secret() {
        let s = SecretString::new("hunter2-very-secret");
        assert!(!format!("{s:?}").contains("hunter2"));
        assert!(!format!("{s}").contains("hunter2"));
        assert!(!format!("{s:#?}").contains("hunter2"));
        assert_eq!(s.expose(), "hunter2-very-secret");
    }
}
