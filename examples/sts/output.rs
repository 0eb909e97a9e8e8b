//! `--output json|text|table`, following awscli v2 `formatter.py`, `text.py` and `table.py`.

use crate::doc::Doc;
use crate::query::Query;

/// The output formats of the AWS CLI.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum OutputFormat {
    /// `json.dump(indent=4)` of the response.
    Json,
    /// Tab-separated scalars (awscli `text.py`).
    Text,
    /// A boxed table (awscli `table.py`).
    Table,
}

/// Renders `response` as the AWS CLI would print it for `operation` (e.g. `GetCallerIdentity`).
/// Returns the text to write to stdout (empty when the CLI prints nothing).
pub fn render(
    operation: &str,
    response: &Doc,
    format: OutputFormat,
    query: Option<&Query>,
) -> Result<String, String> {
    let data = match query {
        Some(q) => q.search(response)?,
        None => response.clone(),
    };
    Ok(match format {
        // awscli v2 JSONFormatter: `if response != {}: json.dump(...)`, so a query that
        // matches nothing prints `null` and only an empty object prints nothing.
        OutputFormat::Json => match data {
            Doc::Map(ref m) if m.is_empty() => String::new(),
            other => {
                let mut s = other.to_json_pretty();
                s.push('\n');
                s
            }
        },
        OutputFormat::Text => format_text(&data),
        OutputFormat::Table => format_table(operation, &data),
    })
}

/// awscli `text.py` `format_text`.
pub fn format_text(data: &Doc) -> String {
    let mut out = String::new();
    text_value(&mut out, data, None, None);
    out
}

fn text_value(
    out: &mut String,
    item: &Doc,
    identifier: Option<&str>,
    scalar_keys: Option<&[String]>,
) {
    match item {
        Doc::Map(entries) => text_dict(out, entries, identifier, scalar_keys),
        Doc::List(items) => text_list(out, items, identifier),
        scalar => {
            out.push_str(&scalar.python_str());
            out.push('\n');
        }
    }
}

fn text_list(out: &mut String, items: &[Doc], identifier: Option<&str>) {
    if items.is_empty() {
        return;
    }
    if items.iter().any(|i| matches!(i, Doc::Map(_))) {
        let all_keys = all_scalar_keys(items);
        for element in items {
            text_value(out, element, identifier, Some(&all_keys));
        }
    } else if items.iter().any(|i| matches!(i, Doc::List(_))) {
        let (scalars, containers): (Vec<&Doc>, Vec<&Doc>) =
            items.iter().partition(|i| !i.is_container());
        if !scalars.is_empty() {
            text_scalar_list(out, &scalars, identifier);
        }
        for c in containers {
            text_value(out, c, identifier, None);
        }
    } else {
        let all: Vec<&Doc> = items.iter().collect();
        text_scalar_list(out, &all, identifier);
    }
}

fn text_scalar_list(out: &mut String, items: &[&Doc], identifier: Option<&str>) {
    match identifier {
        Some(id) => {
            for item in items {
                out.push_str(&id.to_uppercase());
                out.push('\t');
                out.push_str(&item.python_str());
                out.push('\n');
            }
        }
        None => {
            let joined: Vec<String> = items.iter().map(|i| i.python_str()).collect();
            out.push_str(&joined.join("\t"));
            out.push('\n');
        }
    }
}

fn all_scalar_keys(items: &[Doc]) -> Vec<String> {
    let mut keys: Vec<String> = items
        .iter()
        .filter_map(|i| match i {
            Doc::Map(entries) => Some(entries),
            _ => None,
        })
        .flat_map(|entries| entries.iter().filter(|(_, v)| !v.is_container()))
        .map(|(k, _)| k.clone())
        .collect();
    keys.sort();
    keys.dedup();
    keys
}

fn text_dict(
    out: &mut String,
    entries: &[(String, Doc)],
    identifier: Option<&str>,
    scalar_keys: Option<&[String]>,
) {
    let mut scalars: Vec<String> = Vec::new();
    let mut non_scalars: Vec<(&str, &Doc)> = Vec::new();
    match scalar_keys {
        None => {
            let mut sorted: Vec<&(String, Doc)> = entries.iter().collect();
            sorted.sort_by(|a, b| a.0.cmp(&b.0));
            for (k, v) in sorted {
                if v.is_container() {
                    non_scalars.push((k, v));
                } else {
                    scalars.push(v.python_str());
                }
            }
        }
        Some(keys) => {
            for key in keys {
                let value = entries.iter().find(|(k, _)| k == key).map(|(_, v)| v);
                scalars.push(value.map_or_else(String::new, Doc::python_str));
            }
            let mut rest: Vec<&(String, Doc)> =
                entries.iter().filter(|(k, _)| !keys.contains(k)).collect();
            rest.sort_by(|a, b| a.0.cmp(&b.0));
            non_scalars.extend(rest.into_iter().map(|(k, v)| (k.as_str(), v)));
        }
    }
    if !scalars.is_empty() {
        if let Some(id) = identifier {
            scalars.insert(0, id.to_uppercase());
        }
        out.push_str(&scalars.join("\t"));
        out.push('\n');
    }
    for (key, value) in non_scalars {
        text_value(out, value, Some(key), None);
    }
}

/// One section of the table: a title, then rows; `header` rows are centered.
struct Section {
    title: String,
    indent: usize,
    rows: Vec<(bool, Vec<String>)>,
}

/// awscli's `TableFormatter._build_table`, drawn with the CLI's `-`, `+` and `|` borders;
/// nested sections are framed one more `|` deep on each side.
pub fn format_table(operation: &str, data: &Doc) -> String {
    let mut sections = Vec::new();
    if !build_table(&mut sections, Some(operation), data, 0) {
        return String::new();
    }
    draw(&sections)
}

fn build_table(
    sections: &mut Vec<Section>,
    title: Option<&str>,
    current: &Doc,
    indent: usize,
) -> bool {
    if !current.is_truthy() {
        return false;
    }
    if let Some(title) = title {
        sections.push(Section {
            title: title.to_owned(),
            indent,
            rows: Vec::new(),
        });
    } else if sections.is_empty() {
        sections.push(Section {
            title: String::new(),
            indent,
            rows: Vec::new(),
        });
    }
    match current {
        Doc::List(items) => {
            if matches!(items.first(), Some(Doc::Map(_))) {
                table_from_list(sections, items, indent, title.unwrap_or_default());
            } else {
                for item in items {
                    match item {
                        Doc::List(inner) if inner.iter().all(|e| !e.is_container()) => {
                            add_row(sections, false, inner.iter().map(Doc::python_str).collect());
                        }
                        Doc::List(_) | Doc::Map(_) => {
                            build_table(sections, None, item, indent);
                        }
                        scalar => add_row(sections, false, vec![scalar.python_str()]),
                    }
                }
            }
        }
        Doc::Map(entries) => table_from_dict(sections, entries, indent),
        scalar => add_row(sections, false, vec![scalar.python_str()]),
    }
    true
}

fn add_row(sections: &mut [Section], header: bool, cells: Vec<String>) {
    if let Some(last) = sections.last_mut() {
        last.rows.push((header, cells));
    }
}

fn group_keys(entries: &[(String, Doc)]) -> (Vec<String>, Vec<String>) {
    let mut headers: Vec<String> = Vec::new();
    let mut more: Vec<String> = Vec::new();
    for (k, v) in entries {
        if v.is_container() {
            more.push(k.clone());
        } else {
            headers.push(k.clone());
        }
    }
    headers.sort();
    more.sort();
    (headers, more)
}

fn table_from_dict(sections: &mut Vec<Section>, entries: &[(String, Doc)], indent: usize) {
    let (headers, more) = group_keys(entries);
    let value = |k: &str| {
        entries
            .iter()
            .find(|(key, _)| key == k)
            .map_or_else(String::new, |(_, v)| v.python_str())
    };
    if headers.len() == 1 {
        add_row(
            sections,
            false,
            vec![headers[0].clone(), value(&headers[0])],
        );
    } else if !headers.is_empty() {
        add_row(sections, true, headers.clone());
        add_row(sections, false, headers.iter().map(|h| value(h)).collect());
    }
    for key in more {
        if let Some((_, v)) = entries.iter().find(|(k, _)| *k == key) {
            build_table(sections, Some(&key), v, indent + 1);
        }
    }
}

fn table_from_list(sections: &mut Vec<Section>, items: &[Doc], indent: usize, title: &str) {
    let mut headers: Vec<String> = Vec::new();
    let mut more: Vec<String> = Vec::new();
    for item in items {
        if let Doc::Map(entries) = item {
            let (h, m) = group_keys(entries);
            headers.extend(h);
            more.extend(m);
        }
    }
    headers.sort();
    headers.dedup();
    more.sort();
    more.dedup();
    add_row(sections, true, headers.clone());
    for (i, item) in items.iter().enumerate() {
        if i > 0 && !more.is_empty() {
            sections.push(Section {
                title: title.to_owned(),
                indent,
                rows: vec![(true, headers.clone())],
            });
        }
        let Doc::Map(entries) = item else { continue };
        let row = headers
            .iter()
            .map(|h| {
                entries
                    .iter()
                    .find(|(k, _)| k == h)
                    .map_or_else(String::new, |(_, v)| v.python_str())
            })
            .collect();
        add_row(sections, false, row);
        for key in &more {
            if let Some((_, v)) = entries.iter().find(|(k, _)| k == key) {
                build_table(sections, Some(key), v, indent + 1);
            }
        }
    }
}

fn width(s: &str) -> usize {
    s.chars().count()
}

fn center(s: &str, w: usize) -> String {
    let len = width(s);
    if len >= w {
        return s.to_owned();
    }
    let left = (w - len) / 2;
    format!("{}{}{}", " ".repeat(left), s, " ".repeat(w - len - left))
}

fn pad_right(s: &str, w: usize) -> String {
    format!("{}{}", s, " ".repeat(w.saturating_sub(width(s))))
}

/// The widest value of each column, over the rows with `n` cells.
fn widest_cells(section: &Section, n: usize) -> Vec<String> {
    section.rows.iter().filter(|(_, c)| c.len() == n).fold(
        vec![String::new(); n],
        |mut acc, (_, c)| {
            for (a, v) in acc.iter_mut().zip(c) {
                if width(v) > width(a) {
                    *a = v.clone();
                }
            }
            acc
        },
    )
}

/// The inner width a section needs (without its own frame).
fn natural_width(section: &Section) -> usize {
    let mut w = width(&section.title) + 4;
    for (_, cells) in &section.rows {
        let widest = widest_cells(section, cells.len());
        let row =
            widest.iter().map(|c| width(c) + 4).sum::<usize>() + cells.len().saturating_sub(1);
        w = w.max(row);
    }
    w
}

/// Column widths filling `total` (cells separated by `|`), widening the columns evenly.
fn column_widths(cells: &[String], total: usize) -> Vec<usize> {
    let n = cells.len().max(1);
    let mut widths: Vec<usize> = cells.iter().map(|c| width(c) + 4).collect();
    let used: usize = widths.iter().sum::<usize>() + n - 1;
    let spare = total.saturating_sub(used);
    for (i, w) in widths.iter_mut().enumerate() {
        *w += spare / n + usize::from(i < spare % n);
    }
    widths
}

fn draw(sections: &[Section]) -> String {
    let total = sections
        .iter()
        .map(|s| natural_width(s) + 2 * s.indent)
        .max()
        .unwrap_or(0);
    let mut out = String::new();
    for (index, section) in sections.iter().enumerate() {
        let frame_l = "|".repeat(section.indent);
        let inner = total - 2 * section.indent;
        let line = |out: &mut String, body: &str| {
            out.push_str(&frame_l);
            out.push_str(body);
            out.push_str(&frame_l);
            out.push('\n');
        };
        if index == 0 {
            line(&mut out, &"-".repeat(inner + 2));
        }
        if !section.title.is_empty() {
            line(&mut out, &format!("|{}|", center(&section.title, inner)));
            if section.rows.is_empty() {
                line(&mut out, &format!("+{}+", "-".repeat(inner)));
            }
        }
        // Column widths follow the row headers, so header and values line up.
        let mut widths: Vec<usize> = Vec::new();
        let mut separator = format!("+{}+", "-".repeat(inner));
        for (header, cells) in &section.rows {
            if *header || widths.len() != cells.len() {
                let sizing = widest_cells(section, cells.len());
                widths = column_widths(&sizing, inner);
                separator = format!(
                    "+{}+",
                    widths
                        .iter()
                        .map(|w| "-".repeat(*w))
                        .collect::<Vec<_>>()
                        .join("+")
                );
                line(&mut out, &separator);
            }
            let body: Vec<String> = cells
                .iter()
                .zip(&widths)
                .map(|(c, w)| {
                    if *header {
                        center(c, *w)
                    } else {
                        pad_right(&format!("  {c}"), *w)
                    }
                })
                .collect();
            line(&mut out, &format!("|{}|", body.join("|")));
            if *header {
                line(&mut out, &separator);
            }
        }
        if !section.rows.is_empty() && section.rows.last().is_some_and(|(h, _)| !h) {
            line(&mut out, &separator);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn caller_identity() -> Doc {
        Doc::map()
            .with("UserId", Doc::str("AIDAEXAMPLE"))
            .with("Account", Doc::str("123456789012"))
            .with("Arn", Doc::str("arn:aws:iam::123456789012:user/alice"))
    }

    fn session_token() -> Doc {
        Doc::map().with(
            "Credentials",
            Doc::map()
                .with("AccessKeyId", Doc::str("ASIAEXAMPLE"))
                .with("SecretAccessKey", Doc::str("sk"))
                .with("SessionToken", Doc::str("tok"))
                .with("Expiration", Doc::str("2026-01-02T03:34:05+00:00")),
        )
    }

    #[test]
    fn text_of_a_flat_dict_is_its_values_sorted_by_key() {
        assert_eq!(
            format_text(&caller_identity()),
            "123456789012\tarn:aws:iam::123456789012:user/alice\tAIDAEXAMPLE\n"
        );
    }

    #[test]
    fn text_of_a_nested_dict_gets_an_upper_case_prefix() {
        assert_eq!(
            format_text(&session_token()),
            "CREDENTIALS\tASIAEXAMPLE\t2026-01-02T03:34:05+00:00\tsk\ttok\n"
        );
    }

    #[test]
    fn text_of_lists() {
        let doc = Doc::map().with(
            "Tags",
            Doc::List(vec![
                Doc::map()
                    .with("Key", Doc::str("a"))
                    .with("Value", Doc::str("1")),
                Doc::map().with("Key", Doc::str("b")),
            ]),
        );
        assert_eq!(format_text(&doc), "TAGS\ta\t1\nTAGS\tb\t\n");
        let doc = Doc::map().with("Audience", Doc::List(vec![Doc::str("x"), Doc::str("y")]));
        assert_eq!(format_text(&doc), "AUDIENCE\tx\nAUDIENCE\ty\n");
        assert_eq!(
            format_text(&Doc::List(vec![
                Doc::str("x"),
                Doc::Int(2),
                Doc::Bool(false)
            ])),
            "x\t2\tFalse\n"
        );
    }

    #[test]
    fn query_with_text_prints_the_bare_value() {
        for (query, expected) in [
            ("UserId", "AIDAEXAMPLE\n"),
            ("Account", "123456789012\n"),
            ("Arn", "arn:aws:iam::123456789012:user/alice\n"),
        ] {
            let q = Query::parse(query).unwrap();
            let out = render(
                "GetCallerIdentity",
                &caller_identity(),
                OutputFormat::Text,
                Some(&q),
            )
            .unwrap();
            assert_eq!(out, expected);
        }
    }

    #[test]
    fn json_output_ends_with_a_newline_and_prints_null_for_no_match() {
        let out = render(
            "GetCallerIdentity",
            &caller_identity(),
            OutputFormat::Json,
            None,
        )
        .unwrap();
        assert!(out.starts_with("{\n    \"UserId\": \"AIDAEXAMPLE\",\n    \"Account\""));
        assert!(out.ends_with("}\n"));
        let q = Query::parse("Nope").unwrap();
        let out = render(
            "GetCallerIdentity",
            &caller_identity(),
            OutputFormat::Json,
            Some(&q),
        )
        .unwrap();
        assert_eq!(out, "null\n");
        let out = render("GetCallerIdentity", &Doc::map(), OutputFormat::Json, None).unwrap();
        assert_eq!(out, "");
        let q = Query::parse("Account").unwrap();
        let out = render(
            "GetCallerIdentity",
            &caller_identity(),
            OutputFormat::Json,
            Some(&q),
        )
        .unwrap();
        assert_eq!(out, "\"123456789012\"\n");
    }

    #[test]
    fn table_has_a_title_headers_and_values_in_equal_width_lines() {
        let out = format_table("GetCallerIdentity", &caller_identity());
        let lines: Vec<&str> = out.lines().collect();
        assert!(lines[1].contains("GetCallerIdentity"), "{out}");
        let header = lines.iter().position(|l| l.contains("Account")).unwrap();
        let cells: Vec<&str> = lines[header].split('|').map(str::trim).collect();
        assert_eq!(cells, ["", "Account", "Arn", "UserId", ""]);
        assert!(lines[header + 2].contains("123456789012"));
        let widths: Vec<usize> = lines.iter().map(|l| l.chars().count()).collect();
        assert!(widths.iter().all(|w| *w == widths[0]), "{out}");
    }

    #[test]
    fn nested_table_sections_are_framed_deeper() {
        let out = format_table("GetSessionToken", &session_token());
        assert!(
            out.lines()
                .any(|l| l.starts_with("||") && l.contains("Credentials")),
            "{out}"
        );
        assert!(out.contains("ASIAEXAMPLE"));
        let widths: Vec<usize> = out.lines().map(|l| l.chars().count()).collect();
        assert!(widths.iter().all(|w| *w == widths[0]), "{out}");
    }
}
