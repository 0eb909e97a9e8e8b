//! Client-side checks of every limit the STS model sets on request members.
//!
//! Patterns are checked with `char` predicates rather than a regex engine. Java's `\w` and `\d`
//! (the model's dialect, without the Unicode flag) are ASCII; `\p{L}` is approximated by
//! [`char::is_alphabetic`] (which also admits a few combining marks), `\p{N}` is
//! [`char::is_numeric`] and `\p{Z}` is "white space that is not a control character".
//! Lengths are counted in Unicode scalar values, as the model counts them.

use std::fmt;

/// A request member that breaks a limit of the model: raised by `build()` before anything is
/// sent.
///
/// It names the operation, the member by its wire name (`RoleSessionName`,
/// `Tags.member.3.Key`) and the problem with the limit. It never repeats the value of a member;
/// for members that are not secrets it may quote the one offending character.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{operation}: invalid {parameter}: {problem}")]
pub struct ValidationError {
    operation: &'static str,
    parameter: String,
    problem: Problem,
}

impl ValidationError {
    pub(crate) fn new(
        operation: &'static str,
        parameter: impl Into<String>,
        problem: Problem,
    ) -> Self {
        Self {
            operation,
            parameter: parameter.into(),
            problem,
        }
    }

    /// The operation (`AssumeRole`).
    pub fn operation(&self) -> &'static str {
        self.operation
    }

    /// The wire name of the member (`RoleSessionName`, `Tags.member.3.Key`).
    pub fn parameter(&self) -> &str {
        &self.parameter
    }

    /// What is wrong, with the limit.
    pub fn problem(&self) -> &Problem {
        &self.problem
    }
}

/// What is wrong with a member, and the limit it breaks.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum Problem {
    /// A required member was not set.
    #[error("is required but was not set")]
    Missing,
    /// A string is too short or too long (lengths in characters).
    #[error("has length {length}, allowed {min}..={}", max.map_or_else(|| "∞".to_owned(), |m| m.to_string()))]
    Length {
        /// The value's length.
        length: usize,
        /// Minimum length.
        min: usize,
        /// Maximum length, if any.
        max: Option<usize>,
    },
    /// A character outside the allowed set.
    #[error("has a character not allowed{} at position {position}; allowed: {allowed}", found.map_or_else(String::new, |c| format!(" ({c:?})")))]
    Character {
        /// 0-based character position.
        position: usize,
        /// The character, unless the member is a secret.
        found: Option<char>,
        /// The allowed set, in words.
        allowed: &'static str,
    },
    /// A value whose overall shape is wrong (e.g. the spacing of `Scope`).
    #[error("does not match the required form: {expected}")]
    Format {
        /// The expected form, in words.
        expected: &'static str,
    },
    /// An integer outside its range.
    #[error("is {value}, allowed {min}..={max}")]
    Range {
        /// The value given.
        value: i32,
        /// Minimum.
        min: i32,
        /// Maximum.
        max: i32,
    },
    /// A list with too few or too many items.
    #[error("has {count} items, allowed {min}..={max}")]
    ListSize {
        /// Items given.
        count: usize,
        /// Minimum.
        min: usize,
        /// Maximum.
        max: usize,
    },
}

/// A set of allowed characters: a predicate and its description for messages.
#[derive(Clone, Copy)]
pub(crate) struct Charset {
    pub(crate) allowed: &'static str,
    pub(crate) test: fn(char) -> bool,
}

impl fmt::Debug for Charset {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.allowed)
    }
}

fn is_word(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_'
}

/// `[\w+=,.@-]`: role session names, federated user names, source identities.
pub(crate) const NAME_CHARS: Charset = Charset {
    allowed: "ASCII letters, digits and _+=,.@-",
    test: |c| is_word(c) || "+=,.@-".contains(c),
};
/// `[\w+=,.@:\/-]`: external ids.
pub(crate) const EXTERNAL_ID_CHARS: Charset = Charset {
    allowed: "ASCII letters, digits and _+=,.@:/-",
    test: |c| is_word(c) || "+=,.@:/-".contains(c),
};
/// `[\w+=/:,.@-]`: MFA serial numbers.
pub(crate) const SERIAL_NUMBER_CHARS: Charset = Charset {
    allowed: "ASCII letters, digits and _+=/:,.@-",
    test: |c| is_word(c) || "+=/:,.@-".contains(c),
};
/// `[\d]`: MFA token codes.
pub(crate) const DIGITS: Charset = Charset {
    allowed: "ASCII digits",
    test: |c| c.is_ascii_digit(),
};
/// `[\w]`: access key ids.
pub(crate) const WORD_CHARS: Charset = Charset {
    allowed: "ASCII letters, digits and _",
    test: is_word,
};
/// `arnType`: tab, LF, CR, printable ASCII, U+0085 and U+00A0 upwards except surrogates,
/// U+FFFE and U+FFFF.
pub(crate) const ARN_CHARS: Charset = Charset {
    allowed: "tab, line feed, carriage return, printable ASCII and non-control Unicode",
    test: |c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7E}' | '\u{85}' | '\u{A0}'..='\u{D7FF}' | '\u{E000}'..='\u{FFFD}' | '\u{10000}'..),
};
/// Session policy documents: tab, LF, CR and U+0020..U+00FF.
pub(crate) const POLICY_CHARS: Charset = Charset {
    allowed: "tab, line feed, carriage return and U+0020..U+00FF",
    test: |c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{FF}'),
};
/// `ScopedSessionDescription`: tab, LF, CR, printable ASCII and U+00A1..U+00FF.
pub(crate) const DESCRIPTION_CHARS: Charset = Charset {
    allowed: "tab, line feed, carriage return, printable ASCII and U+00A1..U+00FF",
    test: |c| matches!(c, '\t' | '\n' | '\r' | '\u{20}'..='\u{7E}' | '\u{A1}'..='\u{FF}'),
};
/// Tag keys and values: `[\p{L}\p{Z}\p{N}_.:/=+\-@]`.
pub(crate) const TAG_CHARS: Charset = Charset {
    allowed: "letters, numbers, separators (spaces) and _.:/=+-@",
    test: |c| {
        c.is_alphabetic()
            || c.is_numeric()
            || (c.is_whitespace() && !c.is_control())
            || "_.:/=+-@".contains(c)
    },
};
/// One `Scope` value: `[\x21\x23-\x2B\x2D-\x5B\x5D-\x7E]` (printable ASCII except space, `"`,
/// `,` and `\`).
pub(crate) const SCOPE_CHARS: Charset = Charset {
    allowed: "printable ASCII except space, '\"', ',' and '\\' (values separated by one space)",
    test: |c| matches!(c, '\x21' | '\x23'..='\x2B' | '\x2D'..='\x5B' | '\x5D'..='\x7E'),
};

/// Collects checks for one operation.
pub(crate) struct Checker {
    operation: &'static str,
}

impl Checker {
    pub(crate) fn new(operation: &'static str) -> Self {
        Self { operation }
    }

    pub(crate) fn error(&self, parameter: impl Into<String>, problem: Problem) -> ValidationError {
        ValidationError::new(self.operation, parameter, problem)
    }

    /// Unwraps a required member.
    pub(crate) fn required<T>(
        &self,
        parameter: &'static str,
        value: Option<T>,
    ) -> Result<T, ValidationError> {
        value.ok_or_else(|| self.error(parameter, Problem::Missing))
    }

    /// Length in characters within `min..=max`.
    pub(crate) fn length(
        &self,
        parameter: &dyn Fn() -> String,
        value: &str,
        min: usize,
        max: Option<usize>,
    ) -> Result<(), ValidationError> {
        let length = value.chars().count();
        if length < min || max.is_some_and(|m| length > m) {
            return Err(self.error(parameter(), Problem::Length { length, min, max }));
        }
        Ok(())
    }

    /// Every character in `charset`; `secret` hides the offending character.
    pub(crate) fn chars(
        &self,
        parameter: &dyn Fn() -> String,
        value: &str,
        charset: Charset,
        secret: bool,
    ) -> Result<(), ValidationError> {
        match value.chars().enumerate().find(|(_, c)| !(charset.test)(*c)) {
            None => Ok(()),
            Some((position, c)) => Err(self.error(
                parameter(),
                Problem::Character {
                    position,
                    found: (!secret).then_some(c),
                    allowed: charset.allowed,
                },
            )),
        }
    }

    /// A non-secret string: length and, if given, charset.
    pub(crate) fn string(
        &self,
        parameter: &'static str,
        value: &str,
        min: usize,
        max: Option<usize>,
        charset: Option<Charset>,
    ) -> Result<(), ValidationError> {
        let name = || parameter.to_owned();
        self.length(&name, value, min, max)?;
        if let Some(charset) = charset {
            self.chars(&name, value, charset, false)?;
        }
        Ok(())
    }

    /// An optional non-secret string.
    pub(crate) fn opt_string(
        &self,
        parameter: &'static str,
        value: Option<&str>,
        min: usize,
        max: Option<usize>,
        charset: Option<Charset>,
    ) -> Result<(), ValidationError> {
        match value {
            Some(v) => self.string(parameter, v, min, max, charset),
            None => Ok(()),
        }
    }

    /// An optional integer within `min..=max`.
    pub(crate) fn range(
        &self,
        parameter: &'static str,
        value: Option<i32>,
        min: i32,
        max: i32,
    ) -> Result<(), ValidationError> {
        match value {
            Some(value) if value < min || value > max => {
                Err(self.error(parameter, Problem::Range { value, min, max }))
            }
            _ => Ok(()),
        }
    }

    /// A list size within `min..=max`.
    pub(crate) fn list_size(
        &self,
        parameter: &'static str,
        count: usize,
        min: usize,
        max: usize,
    ) -> Result<(), ValidationError> {
        if count < min || count > max {
            return Err(self.error(parameter, Problem::ListSize { count, min, max }));
        }
        Ok(())
    }

    /// `PolicyArns`: at most 10 (the documented limit), each an ARN of 20..2048 characters.
    pub(crate) fn policy_arns(
        &self,
        parameter: &'static str,
        arns: Option<&[String]>,
    ) -> Result<(), ValidationError> {
        let Some(arns) = arns else { return Ok(()) };
        self.list_size(parameter, arns.len(), 0, 10)?;
        for (i, arn) in arns.iter().enumerate() {
            let name = || format!("{parameter}.member.{}.arn", i + 1);
            self.length(&name, arn, 20, Some(2048))?;
            self.chars(&name, arn, ARN_CHARS, false)?;
        }
        Ok(())
    }

    /// `Tags`: at most 50; keys 1..128 and values 0..256 characters of [`TAG_CHARS`].
    pub(crate) fn tags(
        &self,
        parameter: &'static str,
        tags: Option<&[super::Tag]>,
    ) -> Result<(), ValidationError> {
        let Some(tags) = tags else { return Ok(()) };
        self.list_size(parameter, tags.len(), 0, 50)?;
        for (i, tag) in tags.iter().enumerate() {
            let key = || format!("{parameter}.member.{}.Key", i + 1);
            self.length(&key, &tag.key, 1, Some(128))?;
            self.chars(&key, &tag.key, TAG_CHARS, false)?;
            let value = || format!("{parameter}.member.{}.Value", i + 1);
            self.length(&value, &tag.value, 0, Some(256))?;
            self.chars(&value, &tag.value, TAG_CHARS, false)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_charset_follows_the_unicode_classes() {
        for c in [
            'a', 'Ж', '漢', '٣', '½', ' ', '\u{3000}', '_', '@', '+', '/',
        ] {
            assert!((TAG_CHARS.test)(c), "{c:?} should be allowed");
        }
        for c in ['\t', '\n', '!', '#', '*', '"', ',', '\u{85}', '😀'] {
            assert!(!(TAG_CHARS.test)(c), "{c:?} should be refused");
        }
    }

    #[test]
    fn arn_charset_excludes_controls_and_noncharacters() {
        assert!((ARN_CHARS.test)('\u{10FFFF}'));
        assert!((ARN_CHARS.test)('\u{85}'));
        assert!(!(ARN_CHARS.test)('\u{1}'));
        assert!(!(ARN_CHARS.test)('\u{7F}'));
        assert!(!(ARN_CHARS.test)('\u{FFFE}'));
    }

    #[test]
    fn messages_name_the_limit() {
        let e = ValidationError::new(
            "AssumeRole",
            "RoleSessionName",
            Problem::Length {
                length: 1,
                min: 2,
                max: Some(64),
            },
        );
        assert_eq!(
            e.to_string(),
            "AssumeRole: invalid RoleSessionName: has length 1, allowed 2..=64"
        );
    }
}
