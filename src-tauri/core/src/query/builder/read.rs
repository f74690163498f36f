//! Reading a query back into the builder: exactly the shapes [`super::to_query`] writes, or a
//! plain-words reason why the builder cannot show it.

use serde::Serialize;
use serde_json::{Map, Value};

use super::{builder_field, leaf_clause, Condition, Group, GroupMode, Rule, Search};
use crate::query::fields::field;
use crate::query::parse_query;

/// Why a query cannot be shown in the builder; the query stays in the code editor as it is.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{reason}")]
pub struct NotRepresentable {
    /// Plain words naming what the builder cannot show.
    pub reason: String,
}

/// A query's text as the builder sees it.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum QueryInBuilder {
    /// The builder can show it.
    Shown {
        /// The search, group by group.
        search: Search,
    },
    /// The builder cannot show it; it stays in the query code.
    NotShown {
        /// Plain words: what the builder cannot show and why.
        reason: String,
    },
}

/// Parses query text (any form the editor accepts) and reads it into the builder.
pub fn query_in_builder(text: &str) -> QueryInBuilder {
    let outcome = match parse_query(text) {
        Err(error) => Err(format!(
            "The query code has a problem to fix before the builder can show it. {error}"
        )),
        Ok(query) => match query.warnings.first() {
            Some(warning) => Err(format!(
                "The query code has a part the builder cannot show ({}) It stays in the query \
                 code.",
                warning.message
            )),
            None => from_query(&query.body).map_err(|e| e.reason),
        },
    };
    match outcome {
        Ok(search) => QueryInBuilder::Shown { search },
        Err(reason) => QueryInBuilder::NotShown { reason },
    }
}

/// Reads a query written by [`super::to_query`] (with or without its `"query"` wrapper).
pub fn from_query(value: &Value) -> Result<Search, NotRepresentable> {
    let top = value
        .as_object()
        .ok_or_else(|| cannot("something other than an object {…} at the top"))?;
    let query = match top.get("query") {
        Some(query) => {
            if let Some(key) = top.keys().find(|k| *k != "query") {
                return Err(cannot(&format!("\"{key}\" beside the query")));
            }
            query
        }
        None => value,
    };
    let (name, body) = single(query)?;
    if name != "bool" {
        return Err(cannot(&format!(
            "a single `{name}` condition instead of groups"
        )));
    }
    let body = object(body, "bool")?;
    only_keys(body, &["must"], "to combine its groups")?;
    let groups = list(body, "must")?
        .into_iter()
        .map(read_group)
        .collect::<Result<_, _>>()?;
    Ok(Search { groups })
}

fn read_group(value: &Value) -> Result<Group, NotRepresentable> {
    let (name, body) = single(value)?;
    if name != "bool" {
        return Err(cannot(&format!("a `{name}` condition outside a group")));
    }
    let body = object(body, "bool")?;
    let mode = if body.contains_key("should") {
        only_keys(body, &["should", "minimum_should_match"], "in a group")?;
        match body.get("minimum_should_match") {
            Some(m) if m == 1 || m == "1" => GroupMode::Any,
            _ => {
                return Err(cannot(
                    "a \"should\" group without \"minimum_should_match\": 1",
                ))
            }
        }
    } else if body.contains_key("must_not") {
        only_keys(body, &["must_not"], "in a group")?;
        GroupMode::None
    } else {
        only_keys(body, &["must"], "in a group")?;
        GroupMode::All
    };
    let key = match mode {
        GroupMode::All => "must",
        GroupMode::Any => "should",
        GroupMode::None => "must_not",
    };
    let rules = list(body, key)?
        .into_iter()
        .map(read_rule)
        .collect::<Result<_, _>>()?;
    Ok(Group { mode, rules })
}

fn read_rule(value: &Value) -> Result<Rule, NotRepresentable> {
    let (name, body) = single(value)?;
    if name != "nested" {
        return read_leaf(value, None);
    }
    let body = object(body, "nested")?;
    only_keys(body, &["path", "query"], "in a nested part")?;
    let path = body.get("path").and_then(Value::as_str);
    match (path, body.get("query")) {
        (Some(path), Some(query)) => read_leaf(query, Some(path)),
        _ => Err(cannot(
            "a nested part without a \"path\" text and a \"query\"",
        )),
    }
}

/// One condition on one field, as [`leaf_clause`] writes it, inside `nested` when given.
fn read_leaf(value: &Value, nested: Option<&str>) -> Result<Rule, NotRepresentable> {
    let (name, body) = single(value)?;
    let (field_name, params) = single(body).map_err(|_| cannot(&format!("`{name}`")))?;
    let (condition, values) = condition_of(name, params)?;
    let Some(info) = builder_field(field_name) else {
        return Err(match field(field_name) {
            Some(info) => cannot(&format!(
                "the field \"{field_name}\" ({}), which the builder does not offer,",
                info.label
            )),
            None => cannot(&format!(
                "the field \"{field_name}\", which the builder does not know,"
            )),
        });
    };
    if info.nested != nested {
        return Err(cannot(&format!(
            "the field \"{}\" outside the nested part it needs",
            info.label
        )));
    }
    if !condition.fits(info.kind) {
        return Err(cannot(&format!("`{name}` on \"{}\"", info.label)));
    }
    let rewritten = leaf_clause(info, condition, &values).ok().flatten();
    if rewritten.as_ref() != Some(value) {
        return Err(cannot(&format!(
            "`{name}` on \"{}\" written in a way the builder would change",
            info.label
        )));
    }
    Ok(Rule {
        field: field_name.to_owned(),
        condition,
        values,
    })
}

/// The condition and values of a leaf query of type `name` with these field parameters.
fn condition_of(name: &str, params: &Value) -> Result<(Condition, Vec<String>), NotRepresentable> {
    let text = |v: &Value| v.as_str().map(str::to_owned);
    let found = match (name, params) {
        ("match", Value::Object(p)) => p
            .get("query")
            .and_then(text)
            .map(|v| (Condition::Contains, vec![v])),
        ("match_phrase", Value::String(v)) => Some((Condition::IsPhrase, vec![v.clone()])),
        ("terms", Value::Array(items)) => items
            .iter()
            .map(text)
            .collect::<Option<Vec<_>>>()
            .map(|v| (Condition::IsOneOf, v)),
        ("range", Value::Object(p)) if p.len() == 1 => {
            let (bound, v) = p.iter().next().unzip();
            let value = match v {
                Some(Value::Number(n)) => Some(n.to_string()),
                Some(Value::String(s)) => Some(s.clone()),
                _ => None,
            };
            match bound.map(String::as_str) {
                Some("gte") => value.map(|v| (Condition::OnOrAfter, vec![v])),
                Some("lte") => value.map(|v| (Condition::OnOrBefore, vec![v])),
                _ => None,
            }
        }
        ("term", v) if v == 1 => Some((Condition::IsYes, Vec::new())),
        ("term", v) if v == 0 => Some((Condition::IsNo, Vec::new())),
        ("match" | "match_phrase" | "terms" | "range" | "term", _) => {
            return Err(cannot(&format!(
                "`{name}` written in a way the builder does not offer"
            )))
        }
        _ => None,
    };
    found.ok_or_else(|| cannot(&format!("`{name}`")))
}

/// The plain-words reason: "The search uses X, which the builder cannot show; …".
fn cannot(what: &str) -> NotRepresentable {
    let what = what.trim_end_matches(',');
    NotRepresentable {
        reason: format!(
            "The search uses {what}, which the builder cannot show; it stays in the query code."
        ),
    }
}

/// The only entry of an object: a query type and its body, or a field and its parameters.
fn single(value: &Value) -> Result<(&str, &Value), NotRepresentable> {
    let object = object(value, "a condition")?;
    let mut entries = object.iter();
    match (entries.next(), entries.next()) {
        (Some((key, value)), None) => Ok((key, value)),
        _ => Err(cannot("an object {…} holding several things at once")),
    }
}

fn object<'v>(value: &'v Value, what: &str) -> Result<&'v Map<String, Value>, NotRepresentable> {
    value
        .as_object()
        .ok_or_else(|| cannot(&format!("{what} that is not an object {{…}}")))
}

/// Refuses any key of `body` outside `allowed`.
fn only_keys(
    body: &Map<String, Value>,
    allowed: &[&str],
    place: &str,
) -> Result<(), NotRepresentable> {
    match body.keys().find(|k| !allowed.contains(&k.as_str())) {
        Some(key) => Err(cannot(&format!("\"{key}\" {place}"))),
        None => Ok(()),
    }
}

/// The non-empty clause list `key` of a bool body (a single object counts as a list of one).
fn list<'v>(body: &'v Map<String, Value>, key: &str) -> Result<Vec<&'v Value>, NotRepresentable> {
    let items: Vec<&Value> = match body.get(key) {
        Some(Value::Array(items)) => items.iter().collect(),
        Some(one @ Value::Object(_)) => vec![one],
        _ => Vec::new(),
    };
    if items.is_empty() {
        return Err(cannot(&format!("an empty \"{key}\" list")));
    }
    Ok(items)
}
