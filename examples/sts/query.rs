//! `--query`: JMESPath over the response, as the AWS CLI applies it (awscli `formatter.py`:
//! the expression runs on the response after `ResponseMetadata` is removed).
//!
//! The `jmespath` crate keeps objects in sorted maps, while Python's keep insertion order. To
//! print what the AWS CLI prints, a result object takes back the key order of an object of
//! the response with the same keys (`--query Credentials`), or of a multiselect hash in the
//! expression (`--query '{a: Arn, b: Account}'`); only other objects come out sorted.

use std::collections::BTreeSet;

use jmespath::ast::Ast;
use jmespath::Variable;

use crate::doc::Doc;

/// A compiled `--query` expression.
pub struct Query {
    text: String,
    expression: jmespath::Expression<'static>,
}

impl std::fmt::Debug for Query {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Query").field(&self.text).finish()
    }
}

impl Query {
    /// Compiles `text`; the error reads like the AWS CLI's argparse message.
    pub fn parse(text: &str) -> Result<Query, String> {
        jmespath::compile(text)
            .map(|expression| Query {
                text: text.to_owned(),
                expression,
            })
            .map_err(|e| format!("Bad value for --query {text}: {e}"))
    }

    /// Runs the expression over `doc`.
    pub fn search(&self, doc: &Doc) -> Result<Doc, String> {
        let result = self
            .expression
            .search(doc.to_json_value())
            .map_err(|e| format!("Bad value for --query {}: {e}", self.text))?;
        let mut orders = Vec::new();
        collect_doc_orders(doc, &mut orders);
        collect_ast_orders(self.expression.as_ast(), &mut orders);
        Ok(from_variable(&result, &orders))
    }
}

fn collect_doc_orders(doc: &Doc, orders: &mut Vec<Vec<String>>) {
    match doc {
        Doc::Map(entries) => {
            orders.push(entries.iter().map(|(k, _)| k.clone()).collect());
            for (_, v) in entries {
                collect_doc_orders(v, orders);
            }
        }
        Doc::List(items) => items.iter().for_each(|i| collect_doc_orders(i, orders)),
        _ => {}
    }
}

fn collect_ast_orders(ast: &Ast, orders: &mut Vec<Vec<String>>) {
    match ast {
        Ast::MultiHash { elements, .. } => {
            orders.push(elements.iter().map(|kv| kv.key.clone()).collect());
            for kv in elements {
                collect_ast_orders(&kv.value, orders);
            }
        }
        Ast::MultiList { elements, .. } => {
            elements.iter().for_each(|e| collect_ast_orders(e, orders));
        }
        Ast::Subexpr { lhs, rhs, .. }
        | Ast::Projection { lhs, rhs, .. }
        | Ast::And { lhs, rhs, .. }
        | Ast::Or { lhs, rhs, .. }
        | Ast::Comparison { lhs, rhs, .. } => {
            collect_ast_orders(lhs, orders);
            collect_ast_orders(rhs, orders);
        }
        Ast::Condition {
            predicate, then, ..
        } => {
            collect_ast_orders(predicate, orders);
            collect_ast_orders(then, orders);
        }
        Ast::Flatten { node, .. } | Ast::ObjectValues { node, .. } | Ast::Not { node, .. } => {
            collect_ast_orders(node, orders)
        }
        Ast::Function { args, .. } => args.iter().for_each(|a| collect_ast_orders(a, orders)),
        _ => {}
    }
}

fn from_variable(value: &Variable, orders: &[Vec<String>]) -> Doc {
    match value {
        Variable::Null | Variable::Expref(_) => Doc::Null,
        Variable::Bool(b) => Doc::Bool(*b),
        Variable::String(s) => Doc::Str(s.clone()),
        Variable::Number(n) => match n.as_i64() {
            Some(i) => Doc::Int(i),
            None => Doc::Number(n.to_string()),
        },
        Variable::Array(items) => {
            Doc::List(items.iter().map(|i| from_variable(i, orders)).collect())
        }
        Variable::Object(map) => {
            let keys: BTreeSet<&str> = map.keys().map(String::as_str).collect();
            let order = orders
                .iter()
                .find(|o| o.len() == keys.len() && o.iter().all(|k| keys.contains(k.as_str())));
            let ordered: Vec<&String> = match order {
                Some(order) => order.iter().collect(),
                None => map.keys().collect(),
            };
            Doc::Map(
                ordered
                    .into_iter()
                    .filter_map(|k| map.get(k).map(|v| (k.clone(), from_variable(v, orders))))
                    .collect(),
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Doc {
        Doc::map()
            .with(
                "Credentials",
                Doc::map()
                    .with("AccessKeyId", Doc::str("ASIA"))
                    .with("SecretAccessKey", Doc::str("s"))
                    .with("SessionToken", Doc::str("t"))
                    .with("Expiration", Doc::str("2026-01-02T03:34:05+00:00")),
            )
            .with("UserId", Doc::str("AIDA"))
            .with("Account", Doc::str("123456789012"))
    }

    #[test]
    fn plain_paths_select_values() {
        let q = Query::parse("Account").unwrap();
        assert_eq!(q.search(&sample()).unwrap(), Doc::str("123456789012"));
        let q = Query::parse("Credentials.AccessKeyId").unwrap();
        assert_eq!(q.search(&sample()).unwrap(), Doc::str("ASIA"));
        let q = Query::parse("Missing").unwrap();
        assert_eq!(q.search(&sample()).unwrap(), Doc::Null);
    }

    #[test]
    fn objects_keep_the_response_order() {
        let q = Query::parse("Credentials").unwrap();
        let result = q.search(&sample()).unwrap();
        assert_eq!(&result, sample().get("Credentials").unwrap());
    }

    #[test]
    fn multiselects_keep_the_expression_order() {
        let q = Query::parse("{z: UserId, a: Account}").unwrap();
        let result = q.search(&sample()).unwrap();
        assert_eq!(
            result,
            Doc::map()
                .with("z", Doc::str("AIDA"))
                .with("a", Doc::str("123456789012"))
        );
        let q = Query::parse("Credentials.[AccessKeyId, SessionToken]").unwrap();
        assert_eq!(
            q.search(&sample()).unwrap(),
            Doc::List(vec![Doc::str("ASIA"), Doc::str("t")])
        );
    }

    #[test]
    fn bad_expressions_are_reported_with_the_text() {
        let err = Query::parse("Credentials.[").unwrap_err();
        assert!(
            err.starts_with("Bad value for --query Credentials.["),
            "{err}"
        );
    }
}
