//! The JSON document that `DecodeAuthorizationMessage` returns, as a typed value.
//!
//! AWS does not publish a schema for it (reference §8). Live output wraps lists as
//! `{"items": [...]}` and values as `{"value": ...}`; AWS's own example writes booleans as
//! strings, empty lists as `""` and conditions as `[{"item": {...}}]`. [`parse_decoded_message`]
//! takes all of these, ignores fields it does not know, and keeps the statement and failure
//! entries as raw JSON because their fields are not confirmed.
//!
//! ```
//! use sts_client::authorization_message::parse_decoded_message;
//!
//! let decision = parse_decoded_message(
//!     r#"{"allowed":false,"explicitDeny":true,"matchedStatements":{"items":[{"effect":"DENY"}]},
//!        "failures":{"items":[]},"context":{"action":"ec2:RunInstances","conditions":{"items":[
//!        {"key":"aws:Region","values":{"items":[{"value":"us-east-1"}]}}]}}}"#,
//! )
//! .unwrap();
//! assert!(!decision.allowed && decision.explicit_deny);
//! let context = decision.context.unwrap();
//! assert_eq!(context.action.as_deref(), Some("ec2:RunInstances"));
//! assert_eq!(context.conditions[0].values, ["us-east-1"]);
//! ```

use serde_json::{Map, Value};

/// The outcome of an authorization check, decoded from `DecodedMessage`.
#[derive(Debug, Clone, PartialEq)]
#[non_exhaustive]
pub struct AuthorizationDecision {
    /// Whether the request was allowed.
    pub allowed: bool,
    /// Whether an explicit Deny matched. `false` with `allowed: false` means an implicit deny:
    /// no Allow statement matched.
    pub explicit_deny: bool,
    /// The policy statements that matched, as sent (fields such as `statementId`, `effect`,
    /// `principals`, `actions`, `resources`, `conditions` are not guaranteed).
    pub matched_statements: Vec<Value>,
    /// Failures reported by the evaluation, as sent.
    pub failures: Vec<Value>,
    /// The request context that was evaluated.
    pub context: Option<AuthorizationContext>,
}

/// The request context of an authorization decision.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct AuthorizationContext {
    /// Who made the request.
    pub principal: Option<Principal>,
    /// The action, e.g. `ec2:RunInstances`.
    pub action: Option<String>,
    /// The resource ARN.
    pub resource: Option<String>,
    /// The condition keys and their values in the request context.
    pub conditions: Vec<Condition>,
}

/// The principal of an authorization decision.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
#[non_exhaustive]
pub struct Principal {
    /// The unique id, e.g. `AIDAEXAMPLE`.
    pub id: Option<String>,
    /// The friendly name.
    pub name: Option<String>,
    /// The ARN.
    pub arn: Option<String>,
}

/// One condition key of the request context and its values.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Condition {
    /// The condition key, e.g. `aws:Region`.
    pub key: String,
    /// Its values, as text.
    pub values: Vec<String>,
}

/// Why a decoded message could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum DecodeMessageError {
    /// Not JSON at all. Holds the parser's description (a position, not the content).
    #[error("the decoded authorization message is not JSON: {0}")]
    NotJson(String),
    /// JSON, but not an object at the top level.
    #[error("the decoded authorization message is not a JSON object")]
    NotAnObject,
    /// A required field is missing.
    #[error("the decoded authorization message has no {0:?} field")]
    MissingField(&'static str),
    /// A field has a value of the wrong kind.
    #[error("the decoded authorization message's {field:?} field is not {expected}")]
    InvalidField {
        /// The field name.
        field: &'static str,
        /// What was expected.
        expected: &'static str,
    },
}

/// Parses the JSON document from `DecodeAuthorizationMessage`'s `DecodedMessage`.
///
/// `allowed` is required; everything else defaults (false, empty, `None`) when absent. The XML
/// layer must already have decoded entities such as `&quot;`.
///
/// ```
/// use sts_client::authorization_message::{parse_decoded_message, DecodeMessageError};
/// // AWS's documentation example writes booleans as strings and empty lists as "".
/// let decision = parse_decoded_message(r#"{"allowed":"true","explicitDeny":"false","matchedStatements":""}"#).unwrap();
/// assert!(decision.allowed && decision.matched_statements.is_empty());
/// assert_eq!(parse_decoded_message("{}"), Err(DecodeMessageError::MissingField("allowed")));
/// ```
pub fn parse_decoded_message(json: &str) -> Result<AuthorizationDecision, DecodeMessageError> {
    let value: Value =
        serde_json::from_str(json).map_err(|e| DecodeMessageError::NotJson(e.to_string()))?;
    let object = value.as_object().ok_or(DecodeMessageError::NotAnObject)?;

    let allowed = match object.get("allowed") {
        Some(v) => loose_bool(v).ok_or(DecodeMessageError::InvalidField {
            field: "allowed",
            expected: "a boolean",
        })?,
        None => return Err(DecodeMessageError::MissingField("allowed")),
    };
    let explicit_deny = match object.get("explicitDeny") {
        Some(v) => loose_bool(v).ok_or(DecodeMessageError::InvalidField {
            field: "explicitDeny",
            expected: "a boolean",
        })?,
        None => false,
    };
    let context = match object.get("context") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::Object(context)) => Some(parse_context(context)?),
        Some(_) => {
            return Err(DecodeMessageError::InvalidField {
                field: "context",
                expected: "an object",
            })
        }
    };
    Ok(AuthorizationDecision {
        allowed,
        explicit_deny,
        matched_statements: loose_list(object.get("matchedStatements"), "matchedStatements")?,
        failures: loose_list(object.get("failures"), "failures")?,
        context,
    })
}

fn parse_context(context: &Map<String, Value>) -> Result<AuthorizationContext, DecodeMessageError> {
    let principal = match context.get("principal") {
        Some(Value::Object(p)) => Some(Principal {
            id: p.get("id").and_then(loose_string),
            name: p.get("name").and_then(loose_string),
            arn: p.get("arn").and_then(loose_string),
        }),
        _ => None,
    };
    let mut conditions = Vec::new();
    for entry in loose_list(context.get("conditions"), "conditions")? {
        let entry = unwrap_item(&entry);
        let Some(key) = entry.get("key").and_then(loose_string) else {
            return Err(DecodeMessageError::InvalidField {
                field: "conditions",
                expected: "a list of {key, values}",
            });
        };
        let values = loose_list(entry.get("values"), "values")?
            .iter()
            .filter_map(|v| loose_string(unwrap_item(v)))
            .collect();
        conditions.push(Condition { key, values });
    }
    Ok(AuthorizationContext {
        principal,
        action: context.get("action").and_then(loose_string),
        resource: context.get("resource").and_then(loose_string),
        conditions,
    })
}

/// A boolean sent as `true` or as `"true"` (any case).
fn loose_bool(value: &Value) -> Option<bool> {
    match value {
        Value::Bool(b) => Some(*b),
        Value::String(s) if s.eq_ignore_ascii_case("true") => Some(true),
        Value::String(s) if s.eq_ignore_ascii_case("false") => Some(false),
        _ => None,
    }
}

/// A list sent as `{"items": [...]}`, a bare array, `""`, `null`, `{}` or not at all.
fn loose_list(
    value: Option<&Value>,
    field: &'static str,
) -> Result<Vec<Value>, DecodeMessageError> {
    let invalid = DecodeMessageError::InvalidField {
        field,
        expected: "a list",
    };
    match value {
        None | Some(Value::Null) => Ok(Vec::new()),
        Some(Value::String(s)) if s.trim().is_empty() => Ok(Vec::new()),
        Some(Value::Array(items)) => Ok(items.clone()),
        Some(Value::Object(object)) => match object.get("items") {
            Some(Value::Array(items)) => Ok(items.clone()),
            Some(Value::Null) => Ok(Vec::new()),
            None if object.is_empty() => Ok(Vec::new()),
            _ => Err(invalid),
        },
        Some(_) => Err(invalid),
    }
}

/// `{"item": x}` and `{"value": x}` wrappers around a single entry.
fn unwrap_item(value: &Value) -> &Value {
    match value {
        Value::Object(object) if object.len() == 1 => object
            .get("item")
            .or_else(|| object.get("value"))
            .unwrap_or(value),
        _ => value,
    }
}

/// A value as text: strings as they are, numbers and booleans printed.
fn loose_string(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        Value::Bool(b) => Some(b.to_string()),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// The document of reference §8.
    const LIVE_SAMPLE: &str = r#"{
      "allowed": false,
      "explicitDeny": true,
      "matchedStatements": {
        "items": [
          {
            "statementId": "DenyRunInstances",
            "effect": "DENY",
            "principals": { "items": [ { "value": "AIDAEXAMPLE" } ] },
            "principalGroups": { "items": [] },
            "actions": { "items": [ { "value": "ec2:RunInstances" } ] },
            "resources": { "items": [ { "value": "arn:aws:ec2:*:*:instance/*" } ] },
            "conditions": { "items": [] }
          }
        ]
      },
      "failures": { "items": [] },
      "context": {
        "principal": { "id": "AIDAEXAMPLE", "name": "bob", "arn": "arn:aws:iam::111122223333:user/bob" },
        "action": "ec2:RunInstances",
        "resource": "arn:aws:ec2:us-east-1:111122223333:instance/*",
        "conditions": {
          "items": [
            { "key": "aws:Region", "values": { "items": [ { "value": "us-east-1" } ] } },
            { "key": "ec2:InstanceType", "values": { "items": [ { "value": "t3.micro" } ] } }
          ]
        }
      }
    }"#;

    /// The `DecodedMessage` of the sample response in reference §1.4.
    const RESPONSE_SAMPLE: &str = r#"{"allowed":false,"explicitDeny":false,"matchedStatements":{"items":[]},"failures":{"items":[]},"context":{"principal":{"id":"AIDAEXAMPLE","name":"bob","arn":"arn:aws:iam::111122223333:user/bob"},"action":"ec2:RunInstances","resource":"arn:aws:ec2:us-east-1:111122223333:instance/*","conditions":{"items":[]}}}"#;

    /// botocore's examples-1.json shape (strings for booleans, "" for empty lists, conditions
    /// as `[{"item": ...}]` with bare string values), repaired into valid JSON.
    const BOTOCORE_SAMPLE: &str = r#"{"allowed": "false","explicitDeny": "false","matchedStatements": "","failures": "","context": {"principal": {"id": "AIDACKCEVSQ6C2EXAMPLE","name": "Bob","arn": "arn:aws:iam::123456789012:user/Bob"},"action": "ec2:StopInstances","resource": "arn:aws:ec2:us-east-1:123456789012:instance/i-dd01c9bd","conditions": [{"item": {"key": "ec2:Tenancy","values": ["default"]}},{"item": {"key": "ec2:ResourceTag/elasticbeanstalk:environment-name","values": ["Default-Environment"]}}]}}"#;

    fn principal(id: &str, name: &str, arn: &str) -> Option<Principal> {
        Some(Principal {
            id: Some(id.into()),
            name: Some(name.into()),
            arn: Some(arn.into()),
        })
    }

    #[test]
    fn live_sample_explicit_deny() {
        let d = parse_decoded_message(LIVE_SAMPLE).unwrap();
        assert!(!d.allowed);
        assert!(d.explicit_deny);
        assert_eq!(d.matched_statements.len(), 1);
        assert_eq!(d.matched_statements[0]["statementId"], "DenyRunInstances");
        assert!(d.failures.is_empty());
        let c = d.context.unwrap();
        assert_eq!(
            c.principal,
            principal("AIDAEXAMPLE", "bob", "arn:aws:iam::111122223333:user/bob")
        );
        assert_eq!(c.action.as_deref(), Some("ec2:RunInstances"));
        assert_eq!(
            c.resource.as_deref(),
            Some("arn:aws:ec2:us-east-1:111122223333:instance/*")
        );
        assert_eq!(
            c.conditions,
            vec![
                Condition {
                    key: "aws:Region".into(),
                    values: vec!["us-east-1".into()]
                },
                Condition {
                    key: "ec2:InstanceType".into(),
                    values: vec!["t3.micro".into()]
                },
            ]
        );
    }

    #[test]
    fn response_sample_implicit_deny() {
        let d = parse_decoded_message(RESPONSE_SAMPLE).unwrap();
        assert!(!d.allowed && !d.explicit_deny);
        assert!(d.matched_statements.is_empty() && d.failures.is_empty());
        let c = d.context.unwrap();
        assert_eq!(c.action.as_deref(), Some("ec2:RunInstances"));
        assert!(c.conditions.is_empty());
    }

    #[test]
    fn botocore_example_shape() {
        let d = parse_decoded_message(BOTOCORE_SAMPLE).unwrap();
        assert!(!d.allowed && !d.explicit_deny);
        assert!(d.matched_statements.is_empty() && d.failures.is_empty());
        let c = d.context.unwrap();
        assert_eq!(
            c.principal,
            principal(
                "AIDACKCEVSQ6C2EXAMPLE",
                "Bob",
                "arn:aws:iam::123456789012:user/Bob"
            )
        );
        assert_eq!(c.conditions.len(), 2);
        assert_eq!(c.conditions[0].key, "ec2:Tenancy");
        assert_eq!(c.conditions[0].values, ["default"]);
        assert_eq!(c.conditions[1].values, ["Default-Environment"]);
    }

    #[test]
    fn the_literal_botocore_example_is_not_json_and_says_so() {
        // As printed in the docs: unbalanced braces and a comment.
        let literal = r#"{"allowed": "false","context": {"conditions": [{"item": {"key": "ec2:Tenancy","values": ["default"]},/*(Additional items ...)*/]}}"#;
        assert!(matches!(
            parse_decoded_message(literal),
            Err(DecodeMessageError::NotJson(_))
        ));
    }

    #[test]
    fn minimal_and_wrong_documents() {
        let d = parse_decoded_message(r#"{"allowed":true,"extra":{"x":1}}"#).unwrap();
        assert!(d.allowed && !d.explicit_deny && d.context.is_none());
        assert_eq!(
            parse_decoded_message("[]"),
            Err(DecodeMessageError::NotAnObject)
        );
        assert_eq!(
            parse_decoded_message(r#"{"allowed":"maybe"}"#),
            Err(DecodeMessageError::InvalidField {
                field: "allowed",
                expected: "a boolean"
            })
        );
        assert_eq!(
            parse_decoded_message(r#"{"allowed":true,"failures":7}"#),
            Err(DecodeMessageError::InvalidField {
                field: "failures",
                expected: "a list"
            })
        );
        let d = parse_decoded_message(
            r#"{"allowed":true,"context":{"conditions":{"items":[{"key":"n","values":[1,true,{"value":"s"}]}]}}}"#,
        )
        .unwrap();
        assert_eq!(d.context.unwrap().conditions[0].values, ["1", "true", "s"]);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

        #[test]
        fn arbitrary_text_never_panics(text in ".{0,512}") {
            let _ = parse_decoded_message(&text);
        }

        #[test]
        fn mutated_samples_never_panic(cut in 0usize..RESPONSE_SAMPLE.len(), insert in "[\\[\\]{}\",:a-z0-9 ]{0,8}") {
            let mut text = RESPONSE_SAMPLE[..cut].to_owned();
            text.push_str(&insert);
            text.push_str(&RESPONSE_SAMPLE[cut..]);
            let _ = parse_decoded_message(&text);
        }
    }
}
