//! An ordered JSON document and the AWS CLI's JSON layout.
//!
//! The AWS CLI prints a response dict in botocore's member order (the order of the output
//! shape's members in the service model), with `json.dump(response, indent=4,
//! ensure_ascii=False)` (awscli v2 `formatter.py`, `JSONFormatter`). serde_json's maps are
//! sorted, so the command keeps its own ordered value and writes Python's layout itself.

use std::fmt::Write as _;

use time::OffsetDateTime;

/// A JSON value whose objects keep their insertion order.
#[derive(Debug, Clone, PartialEq)]
pub enum Doc {
    /// `null` (Python `None`).
    Null,
    /// `true` / `false`.
    Bool(bool),
    /// An integer (every number in STS outputs is one).
    Int(i64),
    /// A non-integer number, kept as JSON text (only reachable through `--query` literals).
    Number(String),
    /// A string.
    Str(String),
    /// A list.
    List(Vec<Doc>),
    /// An object, in insertion order.
    Map(Vec<(String, Doc)>),
}

impl Doc {
    /// A new, empty object.
    pub fn map() -> Self {
        Doc::Map(Vec::new())
    }

    /// Appends `key: value` to an object (no-op on other values).
    pub fn push(&mut self, key: &str, value: Doc) {
        if let Doc::Map(entries) = self {
            entries.push((key.to_owned(), value));
        }
    }

    /// Appends `key: value` when `value` is present: botocore leaves absent members out.
    pub fn push_opt(&mut self, key: &str, value: Option<Doc>) {
        if let Some(value) = value {
            self.push(key, value);
        }
    }

    /// Builder form of [`Doc::push`].
    pub fn with(mut self, key: &str, value: Doc) -> Self {
        self.push(key, value);
        self
    }

    /// The value under `key` of an object.
    #[cfg_attr(not(test), allow(dead_code))]
    pub fn get(&self, key: &str) -> Option<&Doc> {
        match self {
            Doc::Map(entries) => entries.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// A string value.
    pub fn str(value: impl Into<String>) -> Self {
        Doc::Str(value.into())
    }

    /// A timestamp as the AWS CLI v2 prints it by default (`cli_timestamp_format = iso8601`).
    pub fn timestamp(t: OffsetDateTime) -> Self {
        Doc::Str(iso8601(t))
    }

    /// True for lists and objects (the AWS CLI's text and table formatters split on this).
    pub fn is_container(&self) -> bool {
        matches!(self, Doc::List(_) | Doc::Map(_))
    }

    /// Python's `bool(value)`: empty strings, lists, objects, `0`, `False` and `None` are false.
    pub fn is_truthy(&self) -> bool {
        match self {
            Doc::Null => false,
            Doc::Bool(b) => *b,
            Doc::Int(i) => *i != 0,
            Doc::Number(n) => !matches!(n.parse::<f64>(), Ok(f) if f == 0.0),
            Doc::Str(s) => !s.is_empty(),
            Doc::List(l) => !l.is_empty(),
            Doc::Map(m) => !m.is_empty(),
        }
    }

    /// Python's `str(value)` for a scalar, as `awscli/text.py` writes it.
    pub fn python_str(&self) -> String {
        match self {
            Doc::Null => "None".to_owned(),
            Doc::Bool(true) => "True".to_owned(),
            Doc::Bool(false) => "False".to_owned(),
            Doc::Int(i) => i.to_string(),
            Doc::Number(n) => n.clone(),
            Doc::Str(s) => s.clone(),
            Doc::List(_) | Doc::Map(_) => self.to_json_compact(),
        }
    }

    /// `json.dumps(value, indent=4, ensure_ascii=False)`.
    pub fn to_json_pretty(&self) -> String {
        let mut out = String::new();
        write_pretty(&mut out, self, 0);
        out
    }

    /// `json.dumps(value, ensure_ascii=False)` (separators `, ` and `: `).
    pub fn to_json_compact(&self) -> String {
        let mut out = String::new();
        write_compact(&mut out, self);
        out
    }

    /// Converts parsed JSON (e.g. a decoded authorization message), keeping serde_json's order.
    pub fn from_json(value: &serde_json::Value) -> Doc {
        match value {
            serde_json::Value::Null => Doc::Null,
            serde_json::Value::Bool(b) => Doc::Bool(*b),
            serde_json::Value::Number(n) => match n.as_i64() {
                Some(i) => Doc::Int(i),
                None => Doc::Number(n.to_string()),
            },
            serde_json::Value::String(s) => Doc::Str(s.clone()),
            serde_json::Value::Array(items) => {
                Doc::List(items.iter().map(Doc::from_json).collect())
            }
            serde_json::Value::Object(map) => Doc::Map(
                map.iter()
                    .map(|(k, v)| (k.clone(), Doc::from_json(v)))
                    .collect(),
            ),
        }
    }

    /// Converts to serde_json (object order becomes serde_json's).
    pub fn to_json_value(&self) -> serde_json::Value {
        match self {
            Doc::Null => serde_json::Value::Null,
            Doc::Bool(b) => serde_json::Value::Bool(*b),
            Doc::Int(i) => serde_json::Value::from(*i),
            Doc::Number(n) => serde_json::from_str(n).unwrap_or(serde_json::Value::Null),
            Doc::Str(s) => serde_json::Value::String(s.clone()),
            Doc::List(items) => {
                serde_json::Value::Array(items.iter().map(Doc::to_json_value).collect())
            }
            Doc::Map(entries) => serde_json::Value::Object(
                entries
                    .iter()
                    .map(|(k, v)| (k.clone(), v.to_json_value()))
                    .collect(),
            ),
        }
    }
}

/// Python's `datetime.isoformat()` of a botocore-parsed timestamp: microseconds only when
/// non-zero (botocore keeps at most 6 fractional digits, truncating), offset as `+HH:MM`.
pub fn iso8601(t: OffsetDateTime) -> String {
    let mut out = format!(
        "{:04}-{:02}-{:02}T{:02}:{:02}:{:02}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second()
    );
    let micros = t.microsecond();
    if micros != 0 {
        let _ = write!(out, ".{micros:06}");
    }
    let offset = t.offset().whole_seconds();
    let sign = if offset < 0 { '-' } else { '+' };
    let abs = offset.unsigned_abs();
    let _ = write!(out, "{sign}{:02}:{:02}", abs / 3600, (abs % 3600) / 60);
    out
}

fn write_string(out: &mut String, s: &str) {
    // Python's json with ensure_ascii=False escapes exactly `"`, `\` and C0 controls.
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\u{8}' => out.push_str("\\b"),
            '\u{c}' => out.push_str("\\f"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

fn write_scalar(out: &mut String, value: &Doc) {
    match value {
        Doc::Null => out.push_str("null"),
        Doc::Bool(b) => out.push_str(if *b { "true" } else { "false" }),
        Doc::Int(i) => {
            let _ = write!(out, "{i}");
        }
        Doc::Number(n) => out.push_str(n),
        Doc::Str(s) => write_string(out, s),
        Doc::List(_) | Doc::Map(_) => {}
    }
}

fn indent(out: &mut String, level: usize) {
    for _ in 0..level * 4 {
        out.push(' ');
    }
}

fn write_pretty(out: &mut String, value: &Doc, level: usize) {
    match value {
        Doc::List(items) if items.is_empty() => out.push_str("[]"),
        Doc::Map(entries) if entries.is_empty() => out.push_str("{}"),
        Doc::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                indent(out, level + 1);
                write_pretty(out, item, level + 1);
            }
            out.push('\n');
            indent(out, level);
            out.push(']');
        }
        Doc::Map(entries) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                out.push_str(if i == 0 { "\n" } else { ",\n" });
                indent(out, level + 1);
                write_string(out, key);
                out.push_str(": ");
                write_pretty(out, item, level + 1);
            }
            out.push('\n');
            indent(out, level);
            out.push('}');
        }
        scalar => write_scalar(out, scalar),
    }
}

fn write_compact(out: &mut String, value: &Doc) {
    match value {
        Doc::List(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_compact(out, item);
            }
            out.push(']');
        }
        Doc::Map(entries) => {
            out.push('{');
            for (i, (key, item)) in entries.iter().enumerate() {
                if i > 0 {
                    out.push_str(", ");
                }
                write_string(out, key);
                out.push_str(": ");
                write_compact(out, item);
            }
            out.push('}');
        }
        scalar => write_scalar(out, scalar),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn pretty_json_matches_python_indent_4() {
        let doc = Doc::map()
            .with("UserId", Doc::str("AIDA"))
            .with(
                "Nested",
                Doc::map()
                    .with("A", Doc::Int(1))
                    .with("B", Doc::List(vec![])),
            )
            .with("L", Doc::List(vec![Doc::Bool(true), Doc::Null]))
            .with("E", Doc::map());
        let expected = "{\n    \"UserId\": \"AIDA\",\n    \"Nested\": {\n        \"A\": 1,\n        \"B\": []\n    },\n    \"L\": [\n        true,\n        null\n    ],\n    \"E\": {}\n}";
        assert_eq!(doc.to_json_pretty(), expected);
    }

    #[test]
    fn strings_keep_non_ascii_and_escape_controls_like_python() {
        let doc = Doc::str("caf\u{e9} \"q\" \\ \n\t\u{1} /\u{7f}");
        assert_eq!(
            doc.to_json_pretty(),
            "\"caf\u{e9} \\\"q\\\" \\\\ \\n\\t\\u0001 /\u{7f}\""
        );
    }

    #[test]
    fn timestamps_follow_python_isoformat() {
        assert_eq!(
            iso8601(datetime!(2026-01-02 03:34:05 UTC)),
            "2026-01-02T03:34:05+00:00"
        );
        assert_eq!(
            iso8601(datetime!(2026-11-28 17:14:31.701510 UTC)),
            "2026-11-28T17:14:31.701510+00:00"
        );
        // Nanoseconds beyond microseconds are dropped, as dateutil does.
        assert_eq!(
            iso8601(datetime!(2026-11-28 17:14:31.000000999 UTC)),
            "2026-11-28T17:14:31+00:00"
        );
        assert_eq!(
            iso8601(datetime!(2026-01-02 03:34:05 -05:30)),
            "2026-01-02T03:34:05-05:30"
        );
    }

    #[test]
    fn python_str_of_scalars() {
        assert_eq!(Doc::Bool(true).python_str(), "True");
        assert_eq!(Doc::Null.python_str(), "None");
        assert_eq!(Doc::Int(-3).python_str(), "-3");
        assert_eq!(
            Doc::List(vec![Doc::str("a"), Doc::Int(1)]).python_str(),
            "[\"a\", 1]"
        );
    }

    #[test]
    fn json_round_trip_keeps_values() {
        let doc = Doc::map()
            .with("a", Doc::Int(1))
            .with("b", Doc::List(vec![Doc::str("x"), Doc::Null]));
        assert_eq!(Doc::from_json(&doc.to_json_value()), doc);
    }
}
