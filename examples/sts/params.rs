//! Parameter values as the AWS CLI reads them: `file://` and `fileb://` (awscli
//! `paramfile.py`), the shorthand syntax (`Key=k,Value=v`) and JSON for structures and lists.
//!
//! `file://PATH` reads the file as text. The AWS CLI decodes it with the locale's encoding
//! (or `AWS_CLI_FILE_ENCODING`); this command always decodes UTF-8 and fails, with the AWS
//! CLI's message, on anything else. `fileb://PATH` reads raw bytes: the AWS CLI passes them on
//! unchanged, which for a blob parameter means "no base64 decoding". Every STS parameter is a
//! string, and botocore would send a byte string's bytes percent-encoded as they are; this
//! command's parameters are Rust strings, so `fileb://` content must be UTF-8 too (then it is
//! byte-for-byte what botocore sends). Neither prefix strips a trailing newline, like the AWS
//! CLI. `~` and `$VAR` in the path are expanded as Python's `expanduser`/`expandvars` do.
//! `http://`/`https://` values are not fetched (AWS CLI v2 no longer does either).

use crate::exit::CliError;

/// Reads a `file://`/`fileb://` value, or returns `raw` unchanged.
pub fn load_value(param: &str, raw: &str) -> Result<String, CliError> {
    let (path, binary) = if let Some(p) = raw.strip_prefix("fileb://") {
        (p, true)
    } else if let Some(p) = raw.strip_prefix("file://") {
        (p, false)
    } else {
        return Ok(raw.to_owned());
    };
    let file_path = expand_path(path);
    let bytes = std::fs::read(&file_path).map_err(|e| CliError::ParamParse {
        param: param.to_owned(),
        message: format!("Unable to load paramfile {raw}: {e}"),
    })?;
    String::from_utf8(bytes).map_err(|_| CliError::ParamParse {
        param: param.to_owned(),
        message: if binary {
            format!(
                "Unable to use paramfile ({file_path}): every STS parameter is a string and the \
                 file is not UTF-8 text"
            )
        } else {
            format!(
                "Unable to load paramfile ({file_path}), text contents could not be decoded.  \
                 If this is a binary file, please use the fileb:// prefix instead of the \
                 file:// prefix."
            )
        },
    })
}

/// Loads an optional value.
pub fn load_opt(param: &str, raw: Option<&str>) -> Result<Option<String>, CliError> {
    raw.map(|r| load_value(param, r)).transpose()
}

/// Loads the values of a list parameter: the AWS CLI reads a param file only when the list
/// has exactly one value.
pub fn load_list(param: &str, raw: &[String]) -> Result<Vec<String>, CliError> {
    match raw {
        [one] => Ok(vec![load_value(param, one)?]),
        many => Ok(many.to_vec()),
    }
}

/// `os.path.expandvars(os.path.expanduser(path))`.
fn expand_path(path: &str) -> String {
    let home = std::env::var("HOME").ok();
    let path = match (path.strip_prefix('~'), &home) {
        (Some(rest), Some(home)) if rest.is_empty() || rest.starts_with('/') => {
            format!("{home}{rest}")
        }
        _ => path.to_owned(),
    };
    expand_vars(&path, |name| std::env::var(name).ok())
}

/// `$NAME` and `${NAME}` are replaced when set, left as they are otherwise.
fn expand_vars(path: &str, lookup: impl Fn(&str) -> Option<String>) -> String {
    let mut out = String::with_capacity(path.len());
    let mut rest = path;
    while let Some(pos) = rest.find('$') {
        out.push_str(&rest[..pos]);
        let after = &rest[pos + 1..];
        let (name, consumed) = if let Some(braced) = after.strip_prefix('{') {
            match braced.find('}') {
                Some(end) => (&braced[..end], end + 2),
                None => ("", 0),
            }
        } else {
            let end = after
                .find(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
                .unwrap_or(after.len());
            (&after[..end], end)
        };
        match (name.is_empty(), lookup(name)) {
            (false, Some(value)) => out.push_str(&value),
            _ => out.push_str(&rest[pos..pos + 1 + consumed]),
        }
        rest = &after[consumed..];
    }
    out.push_str(rest);
    out
}

/// One structure given on the command line: member name → value, in the order given.
pub type Fields = Vec<(String, String)>;

fn is_json(values: &[String]) -> bool {
    values.len() == 1 && values[0].trim_start().starts_with(['[', '{'])
}

fn invalid(param: &str, message: impl Into<String>) -> CliError {
    CliError::ParamParse {
        param: param.to_owned(),
        message: message.into(),
    }
}

/// Parses a list of structures (`--tags Key=a,Value=b Key=c,Value=d`, or the JSON form
/// `[{"Key": "a", "Value": "b"}]`). `shape` names the parameter in validation messages
/// (`Tags`), `members` are the model's member names (case-sensitive, as in botocore).
pub fn struct_list(
    param: &str,
    shape: &str,
    members: &[&str],
    values: &[String],
) -> Result<Vec<Fields>, CliError> {
    let values = load_list(param, values)?;
    let items = if is_json(&values) {
        let parsed: serde_json::Value = serde_json::from_str(&values[0]).map_err(|e| {
            invalid(
                param,
                format!("Invalid JSON: {e}\nJSON received: {}", values[0]),
            )
        })?;
        match parsed {
            serde_json::Value::Array(items) => items
                .iter()
                .enumerate()
                .map(|(i, item)| json_fields(&format!("{shape}[{i}]"), members, item))
                .collect::<Result<Vec<_>, _>>()?,
            object @ serde_json::Value::Object(_) => {
                vec![json_fields(&format!("{shape}[0]"), members, &object)?]
            }
            _ => {
                return Err(CliError::ParamValidation(format!(
                    "Invalid type for parameter {shape}, value: {}, type: <class 'str'>, valid \
                     types: <class 'list'>, <class 'tuple'>",
                    values[0]
                )))
            }
        }
    } else {
        values
            .iter()
            .map(|v| shorthand(param, members, v))
            .collect::<Result<Vec<_>, _>>()?
    };
    for (i, fields) in items.iter().enumerate() {
        check_members(&format!("{shape}[{i}]"), members, fields)?;
    }
    Ok(items)
}

/// Parses one structure (`--task-policy-arn arn=...` or `{"arn": "..."}`).
pub fn single_struct(
    param: &str,
    shape: &str,
    members: &[&str],
    value: &str,
) -> Result<Fields, CliError> {
    let value = load_value(param, value)?;
    let fields = if value.trim_start().starts_with('{') {
        let parsed: serde_json::Value = serde_json::from_str(&value)
            .map_err(|e| invalid(param, format!("Invalid JSON: {e}\nJSON received: {value}")))?;
        json_fields(shape, members, &parsed)?
    } else {
        shorthand(param, members, &value)?
    };
    check_members(shape, members, &fields)?;
    Ok(fields)
}

/// A list of strings: values as given, a JSON array, or one value split on commas (the
/// shorthand for lists of scalars).
pub fn string_list(param: &str, shape: &str, values: &[String]) -> Result<Vec<String>, CliError> {
    let values = load_list(param, values)?;
    if values.len() == 1 && values[0].trim_start().starts_with('[') {
        let parsed: serde_json::Value = serde_json::from_str(&values[0]).map_err(|e| {
            invalid(
                param,
                format!("Invalid JSON: {e}\nJSON received: {}", values[0]),
            )
        })?;
        let serde_json::Value::Array(items) = parsed else {
            return Err(invalid(param, "expected a JSON list"));
        };
        return items
            .iter()
            .enumerate()
            .map(|(i, item)| match item {
                serde_json::Value::String(s) => Ok(s.clone()),
                other => Err(CliError::ParamValidation(format!(
                    "Invalid type for parameter {shape}[{i}], value: {other}, type: {}, valid \
                     types: <class 'str'>",
                    python_type(other)
                ))),
            })
            .collect();
    }
    if let [one] = values.as_slice() {
        return Ok(one.split(',').map(str::to_owned).collect());
    }
    Ok(values)
}

fn python_type(value: &serde_json::Value) -> &'static str {
    match value {
        serde_json::Value::Null => "<class 'NoneType'>",
        serde_json::Value::Bool(_) => "<class 'bool'>",
        serde_json::Value::Number(n) if n.is_i64() || n.is_u64() => "<class 'int'>",
        serde_json::Value::Number(_) => "<class 'float'>",
        serde_json::Value::String(_) => "<class 'str'>",
        serde_json::Value::Array(_) => "<class 'list'>",
        serde_json::Value::Object(_) => "<class 'dict'>",
    }
}

fn json_fields(
    path: &str,
    members: &[&str],
    value: &serde_json::Value,
) -> Result<Fields, CliError> {
    let serde_json::Value::Object(map) = value else {
        return Err(CliError::ParamValidation(format!(
            "Invalid type for parameter {path}, value: {value}, type: {}, valid types: <class \
             'dict'>",
            python_type(value)
        )));
    };
    let mut fields = Vec::new();
    for (key, v) in map {
        if !members.contains(&key.as_str()) {
            return Err(unknown_member(path, key, members));
        }
        match v {
            serde_json::Value::String(s) => fields.push((key.clone(), s.clone())),
            other => {
                return Err(CliError::ParamValidation(format!(
                    "Invalid type for parameter {path}.{key}, value: {other}, type: {}, valid \
                     types: <class 'str'>",
                    python_type(other)
                )))
            }
        }
    }
    Ok(fields)
}

fn unknown_member(path: &str, key: &str, members: &[&str]) -> CliError {
    CliError::ParamValidation(format!(
        "Unknown parameter in {path}: \"{key}\", must be one of: {}",
        members.join(", ")
    ))
}

fn check_members(path: &str, members: &[&str], fields: &Fields) -> Result<(), CliError> {
    for (key, _) in fields {
        if !members.contains(&key.as_str()) {
            return Err(unknown_member(path, key, members));
        }
    }
    Ok(())
}

/// `Key=k,Value=v`: a `,` ends a value only where a member name and `=` follow, so values
/// may contain commas and `=` (IAM names allow both). A value may be wrapped in `"` or `'`.
fn shorthand(param: &str, members: &[&str], text: &str) -> Result<Fields, CliError> {
    let mut fields = Vec::new();
    let mut rest = text;
    while !rest.is_empty() {
        let Some(eq) = rest.find('=') else {
            return Err(invalid(
                param,
                format!("Expected: '=', received: 'EOF' for input:\n{text}"),
            ));
        };
        let key = rest[..eq].trim();
        if key.is_empty() {
            return Err(invalid(
                param,
                format!("Expected a key before '=' in input:\n{text}"),
            ));
        }
        let after = &rest[eq + 1..];
        let (value, next) =
            if let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') {
                let body = &after[1..];
                let Some(close) = body.find(q) else {
                    return Err(invalid(
                        param,
                        format!("Unterminated quote in input:\n{text}"),
                    ));
                };
                let tail = &body[close + 1..];
                let next = match tail.strip_prefix(',') {
                    Some(n) => n,
                    None if tail.is_empty() => tail,
                    None => {
                        return Err(invalid(
                            param,
                            format!("Expected: ',', received: '{tail}' for input:\n{text}"),
                        ))
                    }
                };
                (body[..close].to_owned(), next)
            } else {
                let end = value_end(after, members);
                let next = after.get(end + 1..).unwrap_or("");
                (after[..end].to_owned(), next)
            };
        fields.push((key.to_owned(), value));
        rest = next;
    }
    Ok(fields)
}

/// Where an unquoted value ends: at the first `,` followed by `member=`, or the end.
fn value_end(text: &str, members: &[&str]) -> usize {
    let mut search = 0;
    while let Some(pos) = text[search..].find(',') {
        let comma = search + pos;
        let following = &text[comma + 1..];
        if members.iter().any(|m| {
            following
                .strip_prefix(m)
                .is_some_and(|r| r.trim_start().starts_with('='))
        }) {
            return comma;
        }
        search = comma + 1;
    }
    text.len()
}

/// Finds a member's value in parsed fields (the last one given wins, as in a Python dict).
pub fn field<'a>(fields: &'a Fields, name: &str) -> Option<&'a str> {
    fields
        .iter()
        .rev()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    const TAG: &[&str] = &["Key", "Value"];

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn tags_in_shorthand_and_json_agree() {
        let short = struct_list(
            "--tags",
            "Tags",
            TAG,
            &strings(&["Key=Project,Value=Blue Sky", "Key=Team,Value=a/b+c"]),
        )
        .unwrap();
        let json = struct_list(
            "--tags",
            "Tags",
            TAG,
            &strings(&[r#"[{"Key":"Project","Value":"Blue Sky"},{"Key":"Team","Value":"a/b+c"}]"#]),
        )
        .unwrap();
        assert_eq!(short, json);
        assert_eq!(field(&short[1], "Value"), Some("a/b+c"));
    }

    #[test]
    fn values_may_hold_commas_equals_and_quotes() {
        let arns = struct_list(
            "--policy-arns",
            "PolicyArns",
            &["arn"],
            &strings(&["arn=arn:aws:iam::1:policy/a,b=c,arn=arn:aws:iam::1:policy/d"]),
        )
        .unwrap();
        // One element: a repeated key in one shorthand structure keeps the last, as Python.
        assert_eq!(field(&arns[0], "arn"), Some("arn:aws:iam::1:policy/d"));
        assert_eq!(arns[0][0].1, "arn:aws:iam::1:policy/a,b=c");
        let quoted = struct_list(
            "--tags",
            "Tags",
            TAG,
            &strings(&["Key=k,Value=\"x,Value=y\""]),
        )
        .unwrap();
        assert_eq!(field(&quoted[0], "Value"), Some("x,Value=y"));
        let empty = struct_list("--tags", "Tags", TAG, &strings(&["Key=k,Value="])).unwrap();
        assert_eq!(field(&empty[0], "Value"), Some(""));
    }

    #[test]
    fn unknown_members_are_validation_errors() {
        let err = struct_list("--tags", "Tags", TAG, &strings(&["key=k,Value=v"])).unwrap_err();
        assert_eq!(err.exit_code(), 252);
        assert!(
            err.to_string()
                .contains("Unknown parameter in Tags[0]: \"key\", must be one of: Key, Value"),
            "{err}"
        );
        let err = struct_list("--tags", "Tags", TAG, &strings(&[r#"[{"Key": 1}]"#])).unwrap_err();
        assert!(
            err.to_string()
                .contains("Invalid type for parameter Tags[0].Key"),
            "{err}"
        );
        let err = struct_list("--tags", "Tags", TAG, &strings(&["novalue"])).unwrap_err();
        assert!(
            err.to_string().contains("Error parsing parameter '--tags'"),
            "{err}"
        );
    }

    #[test]
    fn single_struct_accepts_both_forms() {
        let a = single_struct(
            "--task-policy-arn",
            "TaskPolicyArn",
            &["arn"],
            "arn=arn:aws:iam::aws:policy/root-task/X",
        )
        .unwrap();
        let b = single_struct(
            "--task-policy-arn",
            "TaskPolicyArn",
            &["arn"],
            r#"{"arn":"arn:aws:iam::aws:policy/root-task/X"}"#,
        )
        .unwrap();
        assert_eq!(a, b);
    }

    #[test]
    fn string_lists() {
        assert_eq!(
            string_list("--a", "A", &strings(&["x", "y"])).unwrap(),
            ["x", "y"]
        );
        assert_eq!(
            string_list("--a", "A", &strings(&["x,y"])).unwrap(),
            ["x", "y"]
        );
        assert_eq!(
            string_list("--a", "A", &strings(&[r#"["x,y", "z"]"#])).unwrap(),
            ["x,y", "z"]
        );
        assert!(string_list("--a", "A", &strings(&["[1]"])).is_err());
    }

    #[test]
    fn file_and_fileb_read_the_file_as_is() {
        let dir = std::env::temp_dir().join(format!("sts-cli-params-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let text = dir.join("policy.json");
        std::fs::write(&text, "{\"Version\": \"2012-10-17\"}\n").unwrap();
        let raw = format!("file://{}", text.display());
        assert_eq!(
            load_value("--policy", &raw).unwrap(),
            "{\"Version\": \"2012-10-17\"}\n"
        );
        let rawb = format!("fileb://{}", text.display());
        assert_eq!(
            load_value("--policy", &rawb).unwrap(),
            "{\"Version\": \"2012-10-17\"}\n"
        );
        let bin = dir.join("bin");
        std::fs::write(&bin, [0xff, 0xfe, 0x00]).unwrap();
        let err = load_value("--policy", &format!("file://{}", bin.display())).unwrap_err();
        assert!(
            err.to_string().contains("please use the fileb:// prefix"),
            "{err}"
        );
        assert_eq!(err.exit_code(), 252);
        let err = load_value("--policy", &format!("file://{}/missing", dir.display())).unwrap_err();
        assert!(
            err.to_string().contains("Unable to load paramfile file://"),
            "{err}"
        );
        assert_eq!(load_value("--x", "plain").unwrap(), "plain");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn variables_expand_like_python_expandvars() {
        let lookup = |n: &str| (n == "D").then(|| "/data".to_owned());
        assert_eq!(expand_vars("$D/a", lookup), "/data/a");
        assert_eq!(expand_vars("${D}/a", lookup), "/data/a");
        assert_eq!(expand_vars("$NOPE/a$", lookup), "$NOPE/a$");
        assert_eq!(expand_vars("${D", lookup), "${D");
    }
}
