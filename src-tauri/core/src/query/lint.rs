//! Checks a full ES body against the Clean Employee mapping facts of the contract.

use serde_json::{Map, Value};

use super::field_rules::{field_error, field_warnings, FieldUse};
use super::fields::NESTED_ROOTS;
use super::{
    kind_of, DiagnosticCode, QueryError, QueryWarning, ALLOWED_QUERY_TYPES, BODY_KEYS,
    MAX_BOOL_CLAUSES,
};

/// The four clause lists of a `bool` query.
const BOOL_LISTS: [&str; 4] = ["must", "should", "must_not", "filter"];

/// The options a `bool` query may carry besides its clause lists.
const BOOL_OPTIONS: [&str; 4] = [
    "minimum_should_match",
    "boost",
    "_name",
    "adjust_pure_negative",
];

/// Keys of a field-keyed query (`match`, `term`, …) that are options, not field names.
const LEAF_OPTIONS: [&str; 2] = ["boost", "_name"];

/// Lints `body` (an object with `"query"`); returns the errors, adds warnings to `warnings`.
pub(super) fn lint_body(
    body: &Map<String, Value>,
    warnings: &mut Vec<QueryWarning>,
) -> Vec<QueryError> {
    let mut linter = Linter {
        errors: Vec::new(),
        warnings,
        clauses: 0,
    };
    for key in body.keys().filter(|k| !BODY_KEYS.contains(&k.as_str())) {
        linter
            .errors
            .push(QueryError::UnknownBodyKey { key: key.clone() });
    }
    if body.contains_key("size") {
        linter.warn(
            DiagnosticCode::SizeIgnored,
            "size",
            "\"size\" may not limit how many profiles are collected and paid for: use the Limit \
             box for that.",
        );
    }
    if let Some(query) = body.get("query") {
        linter.clause(query, "query", None);
    }
    if linter.clauses > MAX_BOOL_CLAUSES {
        linter.errors.push(QueryError::TooManyClauses {
            count: linter.clauses,
        });
    }
    linter.errors
}

struct Linter<'w> {
    errors: Vec<QueryError>,
    warnings: &'w mut Vec<QueryWarning>,
    /// Boolean clauses seen so far.
    clauses: usize,
}

impl Linter<'_> {
    fn warn(&mut self, code: DiagnosticCode, path: &str, message: &str) {
        self.warnings.push(QueryWarning {
            code,
            path: path.to_owned(),
            message: message.to_owned(),
        });
    }

    /// The object at `path` when it is one; records an error otherwise.
    fn object<'v>(&mut self, value: &'v Value, path: &str) -> Option<&'v Map<String, Value>> {
        let object = value.as_object();
        if object.is_none() {
            self.errors.push(QueryError::NotAnObject {
                path: path.to_owned(),
                found: kind_of(value),
            });
        }
        object
    }

    /// The entry `key` of `object` at `path`; records an error when it is missing.
    fn required<'v>(
        &mut self,
        object: &'v Map<String, Value>,
        key: &str,
        path: &str,
    ) -> Option<&'v Value> {
        let value = object.get(key);
        if value.is_none() {
            self.errors.push(QueryError::MissingKey {
                path: path.to_owned(),
                key: key.to_owned(),
            });
        }
        value
    }

    /// One query clause: an object with exactly one query type.
    fn clause(&mut self, value: &Value, path: &str, nested: Option<&str>) {
        let Some(object) = self.object(value, path) else {
            return;
        };
        let mut entries = object.iter();
        let (name, body) = match (entries.next(), entries.next()) {
            (None, _) => {
                return self.errors.push(QueryError::EmptyClause {
                    path: path.to_owned(),
                })
            }
            (Some(entry), None) => entry,
            (Some(_), Some(_)) => {
                return self.errors.push(QueryError::SeveralTypes {
                    path: path.to_owned(),
                    types: object.keys().cloned().collect(),
                })
            }
        };
        let type_path = format!("{path}.{name}");
        if !ALLOWED_QUERY_TYPES.contains(&name.as_str()) {
            return self.errors.push(QueryError::UnknownType {
                path: type_path,
                name: name.clone(),
                hint: type_hint(name),
            });
        }
        let Some(body) = self.object(body, &type_path) else {
            return;
        };
        self.typed(name, body, value, &type_path, nested);
    }

    /// The body of a query of an allowed type.
    fn typed(
        &mut self,
        name: &str,
        body: &Map<String, Value>,
        clause: &Value,
        path: &str,
        nested: Option<&str>,
    ) {
        match name {
            "bool" => self.bool(body, path, nested),
            "nested" => self.nested(body, path),
            "constant_score" => self.sub_clauses(body, &["filter"], path, nested),
            "boosting" => self.sub_clauses(body, &["positive", "negative"], path, nested),
            "dis_max" => self.dis_max(body, path, nested),
            "match_all" | "ids" => {}
            _ => {
                let fields = leaf_fields(name, body);
                self.fields(name, &fields, clause, path, nested);
            }
        }
    }

    fn bool(&mut self, body: &Map<String, Value>, path: &str, nested: Option<&str>) {
        let conditions: usize = BOOL_LISTS
            .iter()
            .filter_map(|key| body.get(*key))
            .map(|value| value.as_array().map_or(1, Vec::len))
            .sum();
        if conditions == 0 {
            self.warn(
                DiagnosticCode::NoConditions,
                path,
                &format!(
                    "This \"bool\" has no conditions in {}, so it matches every profile. Add a \
                     condition, or check the cost before you collect.",
                    BOOL_LISTS.join(", ")
                ),
            );
        }
        for (key, value) in body {
            if BOOL_OPTIONS.contains(&key.as_str()) {
                continue;
            }
            if !BOOL_LISTS.contains(&key.as_str()) {
                self.errors.push(QueryError::UnknownBoolKey {
                    path: path.to_owned(),
                    key: key.clone(),
                });
                continue;
            }
            let list_path = format!("{path}.{key}");
            match value {
                Value::Array(items) => {
                    self.clauses += items.len();
                    for (i, item) in items.iter().enumerate() {
                        self.clause(item, &format!("{list_path}[{i}]"), nested);
                    }
                }
                single => {
                    self.clauses += 1;
                    self.clause(single, &list_path, nested);
                }
            }
        }
    }

    fn nested(&mut self, body: &Map<String, Value>, path: &str) {
        let nested_path = self.required(body, "path", path);
        let query = self.required(body, "query", path);
        let Some(nested_path) = nested_path else {
            return;
        };
        let Some(nested_path) = nested_path.as_str() else {
            return self.errors.push(QueryError::MissingKey {
                path: path.to_owned(),
                key: "path".to_owned(),
            });
        };
        if !NESTED_ROOTS.contains(&nested_path) {
            self.warn(
                DiagnosticCode::UnknownNestedPath,
                path,
                &format!(
                    "\"{nested_path}\" is not a nested field this app knows ({}); the service \
                     may refuse the query.",
                    NESTED_ROOTS.join(", ")
                ),
            );
        }
        if let Some(query) = query {
            self.clause(query, &format!("{path}.query"), Some(nested_path));
        }
    }

    fn sub_clauses(
        &mut self,
        body: &Map<String, Value>,
        keys: &[&str],
        path: &str,
        nested: Option<&str>,
    ) {
        for key in keys {
            if let Some(value) = self.required(body, key, path) {
                self.clause(value, &format!("{path}.{key}"), nested);
            }
        }
    }

    fn dis_max(&mut self, body: &Map<String, Value>, path: &str, nested: Option<&str>) {
        let Some(queries) = self.required(body, "queries", path) else {
            return;
        };
        let queries_path = format!("{path}.queries");
        match queries {
            Value::Array(items) => {
                for (i, item) in items.iter().enumerate() {
                    self.clause(item, &format!("{queries_path}[{i}]"), nested);
                }
            }
            single => self.clause(single, &queries_path, nested),
        }
    }

    /// Checks the fields a leaf query uses; reports at most one error per clause.
    fn fields(
        &mut self,
        query_type: &str,
        fields: &[String],
        clause: &Value,
        path: &str,
        nested: Option<&str>,
    ) {
        let keyed = !matches!(
            query_type,
            "exists" | "query_string" | "simple_query_string" | "multi_match"
        );
        for field in fields {
            let name = field.split('^').next().unwrap_or(field).trim();
            let use_ = FieldUse {
                name,
                query_type,
                clause,
                path,
                keyed,
                nested,
            };
            if let Some(error) = field_error(&use_) {
                return self.errors.push(error);
            }
            field_warnings(&use_, self.warnings);
        }
    }
}

/// The field names a leaf query refers to.
fn leaf_fields(name: &str, body: &Map<String, Value>) -> Vec<String> {
    match name {
        "exists" => string_entries(body, &["field"]),
        "query_string" => {
            let mut fields = string_entries(body, &["default_field"]);
            fields.extend(list_entries(body, "fields"));
            if let Some(text) = body.get("query").and_then(Value::as_str) {
                fields.extend(query_string_fields(text));
            }
            fields
        }
        "simple_query_string" | "multi_match" => list_entries(body, "fields"),
        _ => body
            .keys()
            .filter(|k| !LEAF_OPTIONS.contains(&k.as_str()))
            .cloned()
            .collect(),
    }
}

fn string_entries(body: &Map<String, Value>, keys: &[&str]) -> Vec<String> {
    keys.iter()
        .filter_map(|k| body.get(*k).and_then(Value::as_str))
        .map(str::to_owned)
        .collect()
}

fn list_entries(body: &Map<String, Value>, key: &str) -> Vec<String> {
    body.get(key)
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(Value::as_str)
                .map(str::to_owned)
                .collect()
        })
        .unwrap_or_default()
}

/// Field names written as `field:` in query_string text, outside quoted phrases.
fn query_string_fields(text: &str) -> Vec<String> {
    let mut fields = Vec::new();
    let mut token = String::new();
    let mut quoted = false;
    let mut escaped = false;
    for c in text.chars() {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => quoted = !quoted,
            ':' if !quoted && !token.is_empty() => fields.push(std::mem::take(&mut token)),
            c if !quoted && (c.is_alphanumeric() || matches!(c, '_' | '.' | '*')) => token.push(c),
            _ => token.clear(),
        }
        if quoted || escaped {
            token.clear();
        }
    }
    fields
}

/// A likely fix for an unknown query type.
fn type_hint(name: &str) -> Option<String> {
    if BOOL_LISTS.contains(&name) {
        return Some(format!(
            "\"{name}\" belongs inside a bool: {{\"bool\": {{\"{name}\": […]}}}}."
        ));
    }
    if name == "filtered" {
        return Some(
            "\"filtered\" is from old Elasticsearch: use {\"bool\": {\"filter\": …}}.".to_owned(),
        );
    }
    let squashed = squash(name);
    ALLOWED_QUERY_TYPES
        .iter()
        .find(|allowed| squash(allowed) == squashed)
        .map(|allowed| format!("Did you mean \"{allowed}\"?"))
}

/// Lower case without `_`, `-` and spaces: `QueryString` and `query-string` meet `query_string`.
fn squash(name: &str) -> String {
    name.chars()
        .filter(|c| !matches!(c, '_' | '-' | ' '))
        .flat_map(char::to_lowercase)
        .collect()
}
