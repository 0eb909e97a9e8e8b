//! A small streaming reader for STS success responses.
//!
//! STS answers `<{Action}Response><{Action}Result>…</{Action}Result><ResponseMetadata>
//! <RequestId>…</RequestId></ResponseMetadata></{Action}Response>`. [`walk_response`] walks that
//! document once, without building a tree, and hands every element closed inside the result
//! wrapper to a visitor as a path of local names relative to the wrapper
//! (`Credentials/AccessKeyId`) plus the element's unescaped text. Namespaces and element order
//! do not matter; unknown elements are simply not matched by the visitor.
//!
//! DTDs are skipped and never resolved: only the five predefined entities and character
//! references are decoded, any other entity is an error. Nesting deeper than [`MAX_DEPTH`] is an
//! error, so hostile input costs time linear in its size and nothing more.

use quick_xml::events::Event;
use quick_xml::Reader;

/// The deepest element nesting accepted. STS documents are at most 7 levels deep.
pub const MAX_DEPTH: usize = 32;

/// Longest piece of untrusted text (an element name, a timestamp) quoted back in an error.
const QUOTE_LIMIT: usize = 64;

/// Why a response body could not be read as the expected success document.
///
/// Messages name the element at fault and never quote secret values (credentials and tokens
/// are not echoed; only names, timestamps and integers are quoted, cut to 64 characters).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ParseError {
    /// The body is not well-formed XML (or not UTF-8).
    #[error("response body is not well-formed XML (at byte {position}): {reason}")]
    NotXml {
        /// Byte offset where reading stopped.
        position: u64,
        /// What the XML reader found wrong.
        reason: String,
    },
    /// The body holds no root element at all.
    #[error("response body is empty (no root element)")]
    Empty,
    /// The root element is not the one this operation answers with (an error document, HTML…).
    #[error("expected root element <{expected}>, found <{found}>")]
    UnexpectedRoot {
        /// The expected local name, e.g. `AssumeRoleResponse`.
        expected: &'static str,
        /// The local name found (cut to 64 characters).
        found: String,
    },
    /// A required element is absent (path relative to the result wrapper).
    #[error("required element {0} is missing from the response")]
    MissingElement(&'static str),
    /// A timestamp element does not hold an ISO 8601 / RFC 3339 timestamp.
    #[error("element {element} holds an invalid timestamp {value:?}")]
    BadTimestamp {
        /// Path of the element.
        element: &'static str,
        /// Its text (cut to 64 characters).
        value: String,
    },
    /// An integer element does not hold a 32-bit integer.
    #[error("element {element} holds an invalid integer {value:?}")]
    BadInteger {
        /// Path of the element.
        element: &'static str,
        /// Its text (cut to 64 characters).
        value: String,
    },
    /// An entity other than the five predefined ones (DTDs are never resolved).
    #[error("undefined entity &{0}; (DTD entities are not resolved)")]
    UndefinedEntity(String),
    /// Elements nest deeper than the parser allows (32 levels).
    #[error("elements nest deeper than {MAX_DEPTH} levels")]
    TooDeep,
}

/// Cuts untrusted text for quoting in an error.
pub(crate) fn quote(text: &str) -> String {
    match text.char_indices().nth(QUOTE_LIMIT) {
        Some((at, _)) => format!("{}…", &text[..at]),
        None => text.to_owned(),
    }
}

fn not_xml(position: u64, error: impl std::fmt::Display) -> ParseError {
    ParseError::NotXml {
        position,
        reason: error.to_string(),
    }
}

/// Walks an STS success document.
///
/// Checks that the root is `root` (e.g. `AssumeRoleResponse`), calls `visit(path, text)` for
/// every element that closes inside the `result` wrapper (`path` relative to it, joined by `/`),
/// and returns `ResponseMetadata/RequestId` if present. A missing result wrapper is not an error
/// here; the caller's required-member checks report what is missing.
pub(crate) fn walk_response<F>(
    body: &[u8],
    root: &'static str,
    result: &'static str,
    mut visit: F,
) -> Result<Option<String>, ParseError>
where
    F: FnMut(&str, &str) -> Result<(), ParseError>,
{
    let mut reader = Reader::from_reader(body);
    reader.config_mut().check_end_names = true;

    // `path` holds the local names of the open elements joined by '/', `ends[i]` the length of
    // `path` before element i was pushed; both are reused, so the walk allocates little.
    let mut path = String::new();
    let mut ends: Vec<usize> = Vec::with_capacity(8);
    let mut text = String::new();
    let mut request_id = None;
    let mut seen_root = false;
    // Byte offset in `path` where the part below the result wrapper starts, while inside it.
    let result_prefix = result.len() + 1;

    loop {
        let position = reader.buffer_position();
        let event = reader.read_event().map_err(|e| not_xml(position, e))?;
        match event {
            Event::Start(ref start) | Event::Empty(ref start) => {
                let is_empty = matches!(event, Event::Empty(_));
                let local = start.local_name();
                let name = std::str::from_utf8(local.as_ref()).map_err(|e| not_xml(position, e))?;
                if ends.is_empty() {
                    if seen_root {
                        return Err(not_xml(position, "a second root element"));
                    }
                    seen_root = true;
                    if name != root {
                        return Err(ParseError::UnexpectedRoot {
                            expected: root,
                            found: quote(name),
                        });
                    }
                }
                if ends.len() >= MAX_DEPTH {
                    return Err(ParseError::TooDeep);
                }
                ends.push(path.len());
                if !path.is_empty() || ends.len() > 1 {
                    path.push('/');
                }
                path.push_str(name);
                text.clear();
                if is_empty {
                    close_element(
                        &path,
                        &text,
                        root,
                        result,
                        result_prefix,
                        &mut request_id,
                        &mut visit,
                    )?;
                    truncate(&mut path, &mut ends);
                }
            }
            Event::End(_) => {
                close_element(
                    &path,
                    &text,
                    root,
                    result,
                    result_prefix,
                    &mut request_id,
                    &mut visit,
                )?;
                text.clear();
                truncate(&mut path, &mut ends);
            }
            Event::Text(t) => {
                if !ends.is_empty() {
                    text.push_str(&t.decode().map_err(|e| not_xml(position, e))?);
                }
            }
            Event::CData(t) => {
                if !ends.is_empty() {
                    text.push_str(&t.decode().map_err(|e| not_xml(position, e))?);
                }
            }
            Event::GeneralRef(r) => {
                if let Some(ch) = r.resolve_char_ref().map_err(|e| not_xml(position, e))? {
                    text.push(ch);
                } else {
                    let name = r.decode().map_err(|e| not_xml(position, e))?;
                    match quick_xml::escape::resolve_predefined_entity(&name) {
                        Some(value) => text.push_str(value),
                        None => return Err(ParseError::UndefinedEntity(quote(&name))),
                    }
                }
            }
            Event::Eof => break,
            // Declarations, comments, processing instructions and DTDs carry nothing we use.
            Event::Decl(_) | Event::Comment(_) | Event::PI(_) | Event::DocType(_) => {}
        }
    }
    if !seen_root {
        return Err(ParseError::Empty);
    }
    if !ends.is_empty() {
        return Err(not_xml(
            body.len() as u64,
            "document ends inside an element",
        ));
    }
    Ok(request_id)
}

fn truncate(path: &mut String, ends: &mut Vec<usize>) {
    if let Some(len) = ends.pop() {
        path.truncate(len);
    }
}

/// Dispatches a closing element: the request id, or a member below the result wrapper.
fn close_element<F>(
    path: &str,
    text: &str,
    root: &str,
    result: &str,
    result_prefix: usize,
    request_id: &mut Option<String>,
    visit: &mut F,
) -> Result<(), ParseError>
where
    F: FnMut(&str, &str) -> Result<(), ParseError>,
{
    // `path` starts with "{root}/"; below it the wrapper name.
    let Some(below_root) = path.strip_prefix(root).and_then(|p| p.strip_prefix('/')) else {
        return Ok(());
    };
    if below_root == "ResponseMetadata/RequestId" {
        *request_id = Some(text.trim().to_owned());
        return Ok(());
    }
    if below_root.len() > result_prefix
        && below_root.starts_with(result)
        && below_root.as_bytes()[result.len()] == b'/'
    {
        visit(&below_root[result_prefix..], text)?;
    }
    Ok(())
}

/// Parses a timestamp member: RFC 3339 with 0 to 9 fraction digits (`…T03:04:05Z`,
/// `…T03:04:05.123Z`, moto's `…T03:04:05.701510Z`).
pub(crate) fn parse_timestamp(
    element: &'static str,
    text: &str,
) -> Result<time::OffsetDateTime, ParseError> {
    let text = text.trim();
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).map_err(
        |_| ParseError::BadTimestamp {
            element,
            value: quote(text),
        },
    )
}

/// Parses an integer member.
pub(crate) fn parse_i32(element: &'static str, text: &str) -> Result<i32, ParseError> {
    let text = text.trim();
    text.parse().map_err(|_| ParseError::BadInteger {
        element,
        value: quote(text),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    type Seen = Vec<(String, String)>;

    fn collect(body: &str) -> Result<(Seen, Option<String>), ParseError> {
        let mut seen = Vec::new();
        let id = walk_response(body.as_bytes(), "XResponse", "XResult", |p, t| {
            seen.push((p.to_owned(), t.to_owned()));
            Ok(())
        })?;
        Ok((seen, id))
    }

    #[test]
    fn paths_are_relative_to_the_result_and_entities_decoded() {
        let (seen, id) = collect(
            r#"<?xml version="1.0"?><a:XResponse xmlns:a="urn:x"><a:XResult><C><K>a&quot;b&#x41;&lt;</K></C><E/></a:XResult>
            <ResponseMetadata><RequestId> r-1 </RequestId></ResponseMetadata></a:XResponse>"#,
        )
        .unwrap();
        assert_eq!(id.as_deref(), Some("r-1"));
        assert_eq!(seen[0], ("C/K".to_owned(), "a\"bA<".to_owned()));
        assert_eq!(seen[1].0, "C");
        assert_eq!(seen[2], ("E".to_owned(), String::new()));
    }

    #[test]
    fn rejects_wrong_root_dtd_entities_depth_and_garbage() {
        assert!(matches!(
            collect("<ErrorResponse/>"),
            Err(ParseError::UnexpectedRoot { .. })
        ));
        assert!(matches!(
            collect(
                r#"<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><XResponse><XResult><A>&e;</A></XResult></XResponse>"#
            ),
            Err(ParseError::UndefinedEntity(_))
        ));
        let deep = format!("<XResponse>{}", "<a>".repeat(100));
        assert_eq!(collect(&deep), Err(ParseError::TooDeep));
        assert_eq!(collect("   "), Err(ParseError::Empty));
        assert!(matches!(
            collect("<XResponse><a></b></XResponse>"),
            Err(ParseError::NotXml { .. })
        ));
        assert!(matches!(
            collect("<XResponse><a>"),
            Err(ParseError::NotXml { .. })
        ));
        assert!(matches!(
            collect("<html>oops</html>"),
            Err(ParseError::UnexpectedRoot { .. })
        ));
    }

    #[test]
    fn timestamps_take_zero_to_nine_fraction_digits() {
        for t in [
            "2026-01-02T03:04:05Z",
            "2026-01-02T03:04:05.1Z",
            "2026-01-02T03:04:05.123Z",
            "2026-01-02T03:04:05.701510Z",
            "2026-01-02T03:04:05.123456789Z",
        ] {
            let parsed = parse_timestamp("Expiration", t).unwrap();
            assert_eq!(parsed.unix_timestamp(), 1_767_323_045, "{t}");
        }
        assert_eq!(
            parse_timestamp("Expiration", "2026-01-02T03:04:05.701510Z")
                .unwrap()
                .microsecond(),
            701_510
        );
        assert!(matches!(
            parse_timestamp("Expiration", "tomorrow"),
            Err(ParseError::BadTimestamp {
                element: "Expiration",
                ..
            })
        ));
    }
}
