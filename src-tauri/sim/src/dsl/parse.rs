//! Parsing and checking a search body into a [`Query`], with the service's error messages.

use super::*;

/// Parses and validates a search body (`{"query": {...}, "sort": ...}`).
pub(crate) fn parse_body(body: &Value) -> Result<Query, String> {
    let obj = body
        .as_object()
        .ok_or("The ES DSL body must be a JSON object")?;
    if obj.contains_key("aggs") || obj.contains_key("aggregations") {
        return Err("Aggregations are not supported".into());
    }
    if let Some(k) = obj.keys().find(|k| !BODY_KEYS.contains(&k.as_str())) {
        return Err(format!("Unknown key for a START_OBJECT in [{k}]."));
    }
    let chars = body.to_string().chars().count();
    if chars > MAX_QUERY_CHARS {
        return Err(format!(
            "Query is too long: {chars} characters (maximum is {MAX_QUERY_CHARS})"
        ));
    }
    match obj.get("query") {
        None => Ok(Query::All),
        Some(q) => parse_query(q),
    }
}

/// Parses and validates one query object (the value of `"query"`).
pub(crate) fn parse_query(q: &Value) -> Result<Query, String> {
    let mut p = QueryParser { clauses: 0 };
    let query = p.query(q, None)?;
    if p.clauses > MAX_CLAUSES {
        return Err(format!(
            "Query has too many boolean clauses: {} (maximum is {MAX_CLAUSES})",
            p.clauses
        ));
    }
    Ok(query)
}

struct QueryParser {
    clauses: usize,
}

/// Rejects a nested field used outside its `nested` query.
fn check_field(field: &str, ctx: Option<&str>) -> Result<(), String> {
    let root = field.split('.').next().unwrap_or(field);
    if NESTED_PATHS.contains(&root) && field.len() > root.len() && ctx != Some(root) {
        return Err(format!(
            "Field [{field}] is part of the nested object [{root}]: query it inside {{\"nested\": {{\"path\": \"{root}\", \"query\": ...}}}}"
        ));
    }
    Ok(())
}

/// `field` without a `^boost` suffix.
fn strip_boost(field: &str) -> &str {
    field.split('^').next().unwrap_or(field)
}

/// The single `{field: params}` entry of a leaf query.
fn single_field<'a>(kind: &str, v: &'a Value) -> Result<(&'a String, &'a Value), String> {
    let obj = v
        .as_object()
        .ok_or_else(|| format!("[{kind}] query malformed, no start_object after query name"))?;
    let mut fields = obj
        .iter()
        .filter(|(k, _)| !matches!(k.as_str(), "boost" | "_name"));
    match (fields.next(), fields.next()) {
        (Some(entry), None) => Ok(entry),
        (None, _) => Err(format!("[{kind}] query requires a field")),
        _ => Err(format!("[{kind}] query doesn't support multiple fields")),
    }
}

fn obj<'a>(kind: &str, v: &'a Value) -> Result<&'a Map<String, Value>, String> {
    v.as_object()
        .ok_or_else(|| format!("[{kind}] query malformed, no start_object after query name"))
}

fn str_param<'a>(
    kind: &str,
    o: &'a Map<String, Value>,
    key: &str,
) -> Result<Option<&'a str>, String> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(format!("[{kind}] [{key}] must be a string")),
    }
}

/// A match-style value as text (numbers and booleans are matched by their text).
fn value_text(kind: &str, v: &Value) -> Result<String, String> {
    match v {
        Value::String(s) => Ok(s.clone()),
        Value::Number(n) => Ok(n.to_string()),
        Value::Bool(b) => Ok(if *b { "1" } else { "0" }.to_string()),
        _ => Err(format!("[{kind}] query value must be a string or number")),
    }
}

impl QueryParser {
    fn query(&mut self, v: &Value, ctx: Option<&str>) -> Result<Query, String> {
        let o = v.as_object().ok_or("A query must be a JSON object")?;
        let mut entries = o.iter();
        let (kind, body) = match (entries.next(), entries.next()) {
            (Some(e), None) => e,
            (None, _) => return Err("A query object must name one query type".into()),
            _ => return Err("A query object may name only one query type".into()),
        };
        match kind.as_str() {
            "match_all" => Ok(Query::All),
            "match_none" => Ok(Query::None),
            "bool" => self.bool(body, ctx),
            "query_string" => self.query_string(body, ctx),
            "match" | "match_phrase" => {
                let (field, params) = single_field(kind, body)?;
                check_field(field, ctx)?;
                let (text, operator) = match params {
                    Value::Object(p) => {
                        let q = p
                            .get("query")
                            .ok_or_else(|| format!("[{kind}] requires query"))?;
                        (
                            value_text(kind, q)?,
                            str_param(kind, p, "operator")?
                                .unwrap_or("or")
                                .to_lowercase(),
                        )
                    }
                    other => (value_text(kind, other)?, "or".to_string()),
                };
                let mode = match (kind.as_str(), operator.as_str()) {
                    ("match_phrase", _) => Mode::Phrase,
                    (_, "and") => Mode::All,
                    (_, "or") => Mode::Any,
                    _ => return Err(format!("[{kind}] unknown operator [{operator}]")),
                };
                Ok(Query::Text {
                    field: field.clone(),
                    text: Text::new(&text),
                    mode,
                })
            }
            "term" => {
                let (field, params) = single_field(kind, body)?;
                check_field(field, ctx)?;
                let value = match params {
                    Value::Object(p) => p.get("value").ok_or("[term] requires value")?,
                    other => other,
                };
                Ok(Query::Terms {
                    field: field.clone(),
                    values: vec![Scalar::from_json(value, kind)?],
                })
            }
            "terms" => {
                let (field, params) = single_field(kind, body)?;
                check_field(field, ctx)?;
                let values = params
                    .as_array()
                    .ok_or("[terms] query requires an array of values")?
                    .iter()
                    .map(|v| Scalar::from_json(v, kind))
                    .collect::<Result<_, _>>()?;
                Ok(Query::Terms {
                    field: field.clone(),
                    values,
                })
            }
            "range" => {
                let (field, params) = single_field(kind, body)?;
                check_field(field, ctx)?;
                let mut bounds = Vec::new();
                for (k, v) in obj(kind, params)? {
                    let cmp = match k.as_str() {
                        "gt" => Cmp::Gt,
                        "gte" => Cmp::Gte,
                        "lt" => Cmp::Lt,
                        "lte" => Cmp::Lte,
                        "format" | "boost" | "time_zone" | "relation" => continue,
                        other => return Err(format!("[range] query does not support [{other}]")),
                    };
                    if !v.is_null() {
                        bounds.push((cmp, Scalar::from_json(v, kind)?));
                    }
                }
                Ok(Query::Range {
                    field: field.clone(),
                    bounds,
                })
            }
            "exists" => {
                let field =
                    str_param(kind, obj(kind, body)?, "field")?.ok_or("[exists] requires field")?;
                check_field(field, ctx)?;
                Ok(Query::Exists {
                    field: field.to_string(),
                })
            }
            "nested" => {
                let o = obj(kind, body)?;
                let path = str_param(kind, o, "path")?.ok_or("[nested] requires 'path' field")?;
                if !NESTED_PATHS.contains(&path) {
                    return Err(format!(
                        "[nested] failed to find nested object under path [{path}]"
                    ));
                }
                if ctx.is_some() {
                    return Err(
                        "[nested] a nested query inside another nested query is not supported"
                            .into(),
                    );
                }
                let inner = o.get("query").ok_or("[nested] requires 'query' field")?;
                Ok(Query::Nested {
                    path: path.to_string(),
                    query: Box::new(self.query(inner, Some(path))?),
                })
            }
            other => Err(format!("Unknown query type [{other}]")),
        }
    }

    fn bool(&mut self, body: &Value, ctx: Option<&str>) -> Result<Query, String> {
        let o = obj("bool", body)?;
        let mut list = |key: &str| -> Result<Vec<Query>, String> {
            let items: Vec<&Value> = match o.get(key) {
                None => Vec::new(),
                Some(Value::Array(a)) => a.iter().collect(),
                Some(v @ Value::Object(_)) => vec![v],
                Some(_) => return Err(format!("[bool] [{key}] must be an object or an array")),
            };
            self.clauses += items.len();
            items.into_iter().map(|v| self.query(v, ctx)).collect()
        };
        let must = list("must")?;
        let filter = list("filter")?;
        let should = list("should")?;
        let must_not = list("must_not")?;
        if let Some(k) = o.keys().find(|k| {
            !matches!(
                k.as_str(),
                "must"
                    | "filter"
                    | "should"
                    | "must_not"
                    | "minimum_should_match"
                    | "boost"
                    | "_name"
            )
        }) {
            return Err(format!("[bool] query does not support [{k}]"));
        }
        let min_should = o
            .get("minimum_should_match")
            .map(MinShould::parse)
            .transpose()?;
        Ok(Query::Bool {
            must,
            filter,
            should,
            must_not,
            min_should,
        })
    }

    fn query_string(&mut self, body: &Value, ctx: Option<&str>) -> Result<Query, String> {
        let o = obj("query_string", body)?;
        let text = match o.get("query") {
            Some(v) => value_text("query_string", v)?,
            None => return Err("[query_string] requires query".into()),
        };
        let and_default = match str_param("query_string", o, "default_operator")?
            .map(str::to_lowercase)
            .as_deref()
        {
            None | Some("or") => false,
            Some("and") => true,
            Some(other) => {
                return Err(format!("[query_string] unknown default_operator [{other}]"))
            }
        };
        let mut fields: Vec<String> = match o.get("fields") {
            None => Vec::new(),
            Some(Value::Array(a)) => a
                .iter()
                .map(|f| {
                    f.as_str()
                        .map(|s| strip_boost(s).to_string())
                        .ok_or("[query_string] fields must be strings")
                })
                .collect::<Result<_, _>>()?,
            Some(_) => return Err("[query_string] fields must be an array".into()),
        };
        if let Some(f) = str_param("query_string", o, "default_field")? {
            if fields.is_empty() {
                fields.push(strip_boost(f).to_string());
            }
        }
        fields.retain(|f| f != "*");
        let (expr, leaves) = query_string::parse(&text, and_default)?;
        self.clauses += leaves.saturating_sub(1);
        let mut named = fields.clone();
        query_string::fields(&expr, &mut named);
        for f in named.iter().filter(|f| f.as_str() != "*") {
            check_field(f, ctx)?;
        }
        Ok(Query::Qs { fields, expr })
    }
}
