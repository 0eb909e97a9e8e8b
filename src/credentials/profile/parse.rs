//! The INI dialect of `~/.aws/config` and `~/.aws/credentials`, parsed as the AWS CLI parses
//! it: Python's `configparser.RawConfigParser` with its defaults, then botocore's
//! `raw_config_parse` for sub-sections.
//!
//! - Section headers are `[name]`: the name is everything between the first `[` and the last
//!   `]` of the (stripped) line, spaces included; text after the `]` is ignored.
//! - Options are `key = value` or `key: value`, split at the first `=` or `:`; keys are
//!   lower-cased and stripped, values stripped.
//! - Comments are whole lines whose first non-blank character is `#` or `;`. There are no
//!   inline comments: `key = v # c` has the value `v # c`.
//! - A line indented deeper than its option continues that option's value. A value whose
//!   first line is empty and that continues (`s3 =` then `  addressing_style = path`) is a
//!   sub-section of `key = value` lines.
//! - A section or an option appearing twice in one file is an error (configparser's strict
//!   mode), as is a line before the first section header or a line with no `=`/`:`.
//! - `[DEFAULT]` holds values inherited by every section.

use crate::credentials::CredentialsError;
use std::collections::BTreeMap;
use std::path::Path;

/// One value of a section: plain text, or a sub-section of `key = value` pairs.
#[derive(Clone, PartialEq, Eq)]
pub enum Value {
    /// A plain value (continuation lines joined with `\n`).
    Text(String),
    /// A sub-section (`s3 =\n  addressing_style = path`); its keys keep their case.
    SubSection(BTreeMap<String, String>),
}

/// Sections of one file in file order, `[DEFAULT]` already merged into each.
pub(crate) type Sections = Vec<(String, BTreeMap<String, Value>)>;

/// An option: key, line, value lines.
type RawEntry = (String, usize, RawOption);

struct RawOption {
    lines: Vec<(usize, String)>,
}

pub(crate) fn parse(text: &str, path: &Path) -> Result<Sections, CredentialsError> {
    let err = |line: usize, problem: String| CredentialsError::MalformedFile {
        path: path.to_path_buf(),
        line,
        problem,
    };
    // Section name -> (header line, options in order of appearance).
    let mut sections: Vec<(String, usize, Vec<RawEntry>)> = Vec::new();
    let mut defaults: Vec<RawEntry> = Vec::new();
    // Which list the cursor is in: None before any header, Some(None) = DEFAULT.
    let mut current: Option<Option<usize>> = None;
    let mut current_option: Option<usize> = None;
    let mut indent_level = 0usize;

    for (index, raw_line) in text.lines().enumerate() {
        let lineno = index + 1;
        let raw_line = if index == 0 {
            raw_line.strip_prefix('\u{feff}').unwrap_or(raw_line)
        } else {
            raw_line
        };
        let stripped = raw_line.trim();
        let is_comment = stripped.starts_with('#') || stripped.starts_with(';');
        if stripped.is_empty() || is_comment {
            // configparser keeps blank lines inside a value (they vanish later); comment
            // lines add nothing.
            if !is_comment {
                if let (Some(section), Some(option)) = (current, current_option) {
                    let options = match section {
                        Some(i) => &mut sections[i].2,
                        None => &mut defaults,
                    };
                    options[option].2.lines.push((lineno, String::new()));
                }
            }
            continue;
        }
        let indent = raw_line.len() - raw_line.trim_start().len();
        if let (Some(section), Some(option)) = (current, current_option) {
            if indent > indent_level {
                let options = match section {
                    Some(i) => &mut sections[i].2,
                    None => &mut defaults,
                };
                options[option].2.lines.push((lineno, stripped.to_owned()));
                continue;
            }
        }
        indent_level = indent;
        if let Some(header) = section_header(stripped) {
            current_option = None;
            if header == "DEFAULT" {
                current = Some(None);
                continue;
            }
            if let Some((_, first, _)) = sections.iter().find(|(name, _, _)| name == header) {
                return Err(err(
                    lineno,
                    format!("section [{header}] already appears on line {first}"),
                ));
            }
            sections.push((header.to_owned(), lineno, Vec::new()));
            current = Some(Some(sections.len() - 1));
            continue;
        }
        let Some(section) = current else {
            return Err(err(
                lineno,
                "expected a section header such as [default] before the first setting".into(),
            ));
        };
        let Some(split) = stripped.find(['=', ':']) else {
            return Err(err(
                lineno,
                "expected `key = value` (no `=` or `:` on this line)".into(),
            ));
        };
        let key = stripped[..split].trim_end().to_lowercase();
        if key.is_empty() {
            return Err(err(lineno, "a setting with no name before `=`".into()));
        }
        let value = stripped[split + 1..].trim().to_owned();
        let options = match section {
            Some(i) => &mut sections[i].2,
            None => &mut defaults,
        };
        if let Some((_, first, _)) = options.iter().find(|(k, _, _)| *k == key) {
            return Err(err(
                lineno,
                format!("setting `{key}` already set in this section on line {first}"),
            ));
        }
        options.push((
            key,
            lineno,
            RawOption {
                lines: vec![(lineno, value)],
            },
        ));
        current_option = Some(options.len() - 1);
    }

    let defaults = finish_options(defaults, path)?;
    sections
        .into_iter()
        .map(|(name, _, options)| {
            let mut values = defaults.clone();
            values.extend(finish_options(options, path)?);
            Ok((name, values))
        })
        .collect()
}

/// `[name]` -> `name` (first `[` to last `]`, as configparser's permissive pattern).
fn section_header(stripped: &str) -> Option<&str> {
    let rest = stripped.strip_prefix('[')?;
    let end = rest.rfind(']')?;
    let name = &rest[..end];
    (!name.is_empty()).then_some(name)
}

fn finish_options(
    options: Vec<RawEntry>,
    path: &Path,
) -> Result<BTreeMap<String, Value>, CredentialsError> {
    let mut values = BTreeMap::new();
    for (key, _, option) in options {
        let joined = option
            .lines
            .iter()
            .map(|(_, l)| l.as_str())
            .collect::<Vec<_>>()
            .join("\n");
        let joined = joined.trim_end();
        let value = if joined.starts_with('\n') {
            let mut sub = BTreeMap::new();
            for (lineno, line) in option.lines.iter().skip(1) {
                if line.is_empty() {
                    continue;
                }
                let Some((k, v)) = line.split_once('=') else {
                    return Err(CredentialsError::MalformedFile {
                        path: path.to_path_buf(),
                        line: *lineno,
                        problem: format!("expected `key = value` inside the `{key}` sub-section"),
                    });
                };
                sub.insert(k.trim().to_owned(), v.trim().to_owned());
            }
            Value::SubSection(sub)
        } else {
            Value::Text(joined.to_owned())
        };
        values.insert(key, value);
    }
    Ok(values)
}
