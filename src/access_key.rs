//! Offline facts about an AWS access key id: its kind, and the account it belongs to.
//!
//! AWS does not document the account encoding; it comes from public research (reference §9)
//! and only holds for newer keys. Treat the result as a hint; the authoritative answer is the
//! `GetAccessKeyInfo` API.
//!
//! ```
//! use sts_client::access_key::{access_key_kind, account_id_from_access_key_id, AccessKeyKind};
//!
//! assert_eq!(account_id_from_access_key_id("ASIAQNZGKIQY56JQ7WML").unwrap(), "029608264753");
//! assert_eq!(access_key_kind("ASIAQNZGKIQY56JQ7WML").unwrap(), AccessKeyKind::TemporaryAccessKey);
//! ```

use std::fmt;

/// The length of an access key id this module can decode.
pub const ACCESS_KEY_ID_LEN: usize = 20;

/// What an AWS unique id names, read from its 4-character prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum AccessKeyKind {
    /// `ABIA`: STS service bearer token.
    BearerToken,
    /// `ACCA`: context-specific credential.
    ContextSpecificCredential,
    /// `AGPA`: IAM group.
    Group,
    /// `AIDA`: IAM user.
    User,
    /// `AIPA`: EC2 instance profile.
    InstanceProfile,
    /// `AKIA`: long-term access key (IAM user or root).
    AccessKey,
    /// `ANPA`: managed policy.
    ManagedPolicy,
    /// `ANVA`: managed policy version.
    ManagedPolicyVersion,
    /// `APKA`: public key.
    PublicKey,
    /// `AROA`: IAM role.
    Role,
    /// `ASCA`: certificate.
    Certificate,
    /// `ASIA`: temporary (STS) access key.
    TemporaryAccessKey,
}

impl AccessKeyKind {
    /// The 4-character prefix of this kind.
    pub fn prefix(self) -> &'static str {
        match self {
            AccessKeyKind::BearerToken => "ABIA",
            AccessKeyKind::ContextSpecificCredential => "ACCA",
            AccessKeyKind::Group => "AGPA",
            AccessKeyKind::User => "AIDA",
            AccessKeyKind::InstanceProfile => "AIPA",
            AccessKeyKind::AccessKey => "AKIA",
            AccessKeyKind::ManagedPolicy => "ANPA",
            AccessKeyKind::ManagedPolicyVersion => "ANVA",
            AccessKeyKind::PublicKey => "APKA",
            AccessKeyKind::Role => "AROA",
            AccessKeyKind::Certificate => "ASCA",
            AccessKeyKind::TemporaryAccessKey => "ASIA",
        }
    }

    /// The kind for a 4-character prefix, if it is one of the documented ones.
    pub fn from_prefix(prefix: &str) -> Option<Self> {
        const ALL: [AccessKeyKind; 12] = [
            AccessKeyKind::BearerToken,
            AccessKeyKind::ContextSpecificCredential,
            AccessKeyKind::Group,
            AccessKeyKind::User,
            AccessKeyKind::InstanceProfile,
            AccessKeyKind::AccessKey,
            AccessKeyKind::ManagedPolicy,
            AccessKeyKind::ManagedPolicyVersion,
            AccessKeyKind::PublicKey,
            AccessKeyKind::Role,
            AccessKeyKind::Certificate,
            AccessKeyKind::TemporaryAccessKey,
        ];
        ALL.into_iter().find(|kind| kind.prefix() == prefix)
    }
}

/// Why an access key id could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum AccessKeyError {
    /// The id is not [`ACCESS_KEY_ID_LEN`] characters long.
    #[error("an access key id has {ACCESS_KEY_ID_LEN} characters, this one has {len}")]
    WrongLength {
        /// The length found, in characters.
        len: usize,
    },
    /// A character outside the base32 alphabet `A-Z2-7`.
    #[error("invalid character {found:?} at position {position} of the access key id (expected A-Z or 2-7)")]
    InvalidCharacter {
        /// 1-based position of the character.
        position: usize,
        /// The character found.
        found: char,
    },
    /// The 4-character prefix is not one of the documented ones.
    #[error("unknown access key id prefix {prefix:?}")]
    UnknownPrefix {
        /// The prefix found.
        prefix: String,
    },
    /// An old-format key: the account id is not embedded in it.
    #[error("{access_key_id} is an old-format key: the account id is not embedded; call GetAccessKeyInfo")]
    OldFormat {
        /// The access key id (an id, not a secret).
        access_key_id: String,
    },
}

/// The kind of id, from its 4-character prefix (`AKIA`, `ASIA`, `AROA`, ...).
///
/// ```
/// use sts_client::access_key::{access_key_kind, AccessKeyError, AccessKeyKind};
/// assert_eq!(access_key_kind("AKIAIOSFODNN7EXAMPLE"), Ok(AccessKeyKind::AccessKey));
/// assert!(matches!(access_key_kind("ZZZZIOSFODNN7EXAMPLE"), Err(AccessKeyError::UnknownPrefix { .. })));
/// ```
pub fn access_key_kind(access_key_id: &str) -> Result<AccessKeyKind, AccessKeyError> {
    let prefix: String = access_key_id.chars().take(4).collect();
    AccessKeyKind::from_prefix(&prefix).ok_or(AccessKeyError::UnknownPrefix { prefix })
}

/// The 12-digit account id embedded in a newer-format access key id (reference §9).
///
/// The 16 characters after the prefix are base32 (RFC 4648, no padding) for 10 bytes; the first
/// 6 bytes form a 48-bit number whose top bit marks the newer format and whose next 40 bits are
/// the account. Old-format keys (top bit 0) give [`AccessKeyError::OldFormat`].
///
/// ```
/// use sts_client::access_key::account_id_from_access_key_id;
/// assert_eq!(account_id_from_access_key_id("ASIAY34FZKBOKMUTVV7A").unwrap(), "609629065308");
/// assert_eq!(
///     account_id_from_access_key_id("AKIAIOSFODNN7EXAMPLE").unwrap_err().to_string(),
///     "AKIAIOSFODNN7EXAMPLE is an old-format key: the account id is not embedded; call GetAccessKeyInfo"
/// );
/// ```
pub fn account_id_from_access_key_id(access_key_id: &str) -> Result<String, AccessKeyError> {
    let len = access_key_id.chars().count();
    if len != ACCESS_KEY_ID_LEN {
        return Err(AccessKeyError::WrongLength { len });
    }
    let mut values = [0u8; ACCESS_KEY_ID_LEN];
    for (index, c) in access_key_id.chars().enumerate() {
        values[index] = base32_value(c).ok_or(AccessKeyError::InvalidCharacter {
            position: index + 1,
            found: c,
        })?;
    }
    access_key_kind(access_key_id)?;

    // The first 6 bytes after the prefix are the first 48 bits of characters 5..: 48 bits is
    // 9.6 characters, so fold 10 characters (50 bits) and drop the low 2.
    let z = values[4..14]
        .iter()
        .fold(0u64, |acc, v| (acc << 5) | u64::from(*v))
        >> 2;
    if z >> 47 == 0 {
        return Err(AccessKeyError::OldFormat {
            access_key_id: access_key_id.to_owned(),
        });
    }
    Ok(format!("{:012}", (z & 0x7FFF_FFFF_FF80) >> 7))
}

/// The 5-bit value of an RFC 4648 base32 character.
fn base32_value(c: char) -> Option<u8> {
    match c {
        'A'..='Z' => Some(c as u8 - b'A'),
        '2'..='7' => Some(c as u8 - b'2' + 26),
        _ => None,
    }
}

impl fmt::Display for AccessKeyKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.prefix())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn worked_examples_from_the_reference() {
        for (akid, account) in [
            ("ASIAY34FZKBOKMUTVV7A", "609629065308"),
            ("ASIAQNZGKIQY56JQ7WML", "029608264753"),
            ("ASIAR2TG44V5PDTTBZRR", "125843596666"),
        ] {
            assert_eq!(
                account_id_from_access_key_id(akid).unwrap(),
                account,
                "{akid}"
            );
            assert_eq!(access_key_kind(akid), Ok(AccessKeyKind::TemporaryAccessKey));
        }
    }

    #[test]
    fn old_format_key_is_refused_with_advice() {
        let err = account_id_from_access_key_id("AKIAIOSFODNN7EXAMPLE").unwrap_err();
        assert_eq!(
            err,
            AccessKeyError::OldFormat {
                access_key_id: "AKIAIOSFODNN7EXAMPLE".into()
            }
        );
        assert!(err.to_string().contains("call GetAccessKeyInfo"));
    }

    #[test]
    fn wrong_length_invalid_character_and_unknown_prefix() {
        assert_eq!(
            account_id_from_access_key_id("ASIAY34FZKBOKMUTVV7"),
            Err(AccessKeyError::WrongLength { len: 19 })
        );
        assert_eq!(
            account_id_from_access_key_id("ASIAY34FZKBOKMUTVV8A"),
            Err(AccessKeyError::InvalidCharacter {
                position: 19,
                found: '8'
            })
        );
        assert_eq!(
            account_id_from_access_key_id("asiaY34FZKBOKMUTVV7A"),
            Err(AccessKeyError::InvalidCharacter {
                position: 1,
                found: 'a'
            })
        );
        assert_eq!(
            account_id_from_access_key_id("AXXAY34FZKBOKMUTVV7A"),
            Err(AccessKeyError::UnknownPrefix {
                prefix: "AXXA".into()
            })
        );
        assert!(account_id_from_access_key_id("ASIAY34FZKBOKMUTVV8A")
            .unwrap_err()
            .to_string()
            .contains("position 19"));
    }

    #[test]
    fn every_prefix_round_trips() {
        for prefix in [
            "ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "AKIA", "ANPA", "ANVA", "APKA", "AROA", "ASCA",
            "ASIA",
        ] {
            let kind = AccessKeyKind::from_prefix(prefix).unwrap();
            assert_eq!(kind.prefix(), prefix);
            assert_eq!(kind.to_string(), prefix);
        }
    }
}

#[cfg(test)]
mod properties {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig { cases: 512, ..ProptestConfig::default() })]

        #[test]
        fn any_base32_key_never_panics_and_yields_12_digits(key in "[A-Z2-7]{20}") {
            match account_id_from_access_key_id(&key) {
                Ok(account) => {
                    prop_assert_eq!(account.len(), 12);
                    prop_assert!(account.bytes().all(|b| b.is_ascii_digit()));
                }
                Err(AccessKeyError::UnknownPrefix { .. } | AccessKeyError::OldFormat { .. }) => {}
                Err(other) => prop_assert!(false, "unexpected {other:?}"),
            }
        }

        #[test]
        fn known_prefixes_decode_and_agree_on_the_flag_bit(prefix_index in 0usize..12, rest in "[A-Z2-7]{16}") {
            let prefix = ["ABIA", "ACCA", "AGPA", "AIDA", "AIPA", "AKIA", "ANPA", "ANVA", "APKA", "AROA", "ASCA", "ASIA"][prefix_index];
            let key = format!("{prefix}{rest}");
            // The flag is the top bit of the 5th character: values 16..=31 are 'Q'..='Z' and '2'..='7'.
            let new_format = matches!(rest.as_bytes()[0], b'Q'..=b'Z' | b'2'..=b'7');
            prop_assert_eq!(account_id_from_access_key_id(&key).is_ok(), new_format);
        }

        #[test]
        fn any_string_never_panics(key in ".{0,40}") {
            let _ = account_id_from_access_key_id(&key);
            let _ = access_key_kind(&key);
        }
    }
}
