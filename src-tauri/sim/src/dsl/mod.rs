//! The Elasticsearch DSL subset the simulator understands, evaluated over the corpus.
//!
//! Supported: `bool` (`must`/`should`/`must_not`/`filter`, `minimum_should_match`), `query_string`,
//! `match`, `match_phrase`, `term`, `terms`, `range`, `exists`, `nested`, `match_all`, `match_none`.
//! Fields of nested objects (`experience.*`, `education.*`, …) may only be queried inside a
//! `nested` query with that path; anything else is rejected like the real service does.

mod mapping;
mod query_string;

pub(crate) use mapping::Doc;
use mapping::{Kind, Val, NESTED_PATHS};
use query_string::Qs;
use serde_json::{Map, Value};

/// Maximum length of an ES body, in characters.
pub const MAX_QUERY_CHARS: usize = 15_000;
/// Maximum number of boolean clauses in a query.
pub const MAX_CLAUSES: usize = 1_024;

/// Top-level keys an ES search body may carry (everything but `query` is accepted and ignored).
const BODY_KEYS: &[&str] = &[
    "query",
    "sort",
    "size",
    "from",
    "_source",
    "track_total_hits",
    "min_score",
];

/// A piece of query text, pre-analysed: lowercase tokens, or a wildcard pattern.
#[derive(Debug, Clone)]
pub(crate) struct Text {
    raw: String,
    tokens: Vec<String>,
    wildcard: bool,
}

impl Text {
    fn new(raw: &str) -> Text {
        let wildcard = raw.contains('*') || raw.contains('?');
        let tokens = if wildcard {
            vec![raw.to_lowercase()]
        } else {
            words(raw).map(str::to_lowercase).collect()
        };
        Text {
            raw: raw.to_string(),
            tokens,
            wildcard,
        }
    }
}

/// The words of a text value: maximal runs of alphanumeric characters.
fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
}

/// A scalar from the query (`term`, `terms`, `range`).
#[derive(Debug, Clone)]
pub(crate) enum Scalar {
    Str(String),
    Num(f64),
}

impl Scalar {
    fn from_json(v: &Value, what: &str) -> Result<Scalar, String> {
        match v {
            Value::String(s) => Ok(Scalar::Str(s.clone())),
            Value::Number(n) => n
                .as_f64()
                .map(Scalar::Num)
                .ok_or_else(|| format!("[{what}] bad number")),
            Value::Bool(b) => Ok(Scalar::Num(if *b { 1.0 } else { 0.0 })),
            _ => Err(format!(
                "[{what}] expects a string, number or boolean value"
            )),
        }
    }

    fn as_num(&self) -> Option<f64> {
        match self {
            Scalar::Num(n) => Some(*n),
            Scalar::Str(s) => s.trim().parse().ok(),
        }
    }
}

/// How text must match.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Mode {
    Any,
    All,
    Phrase,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum Cmp {
    Gt,
    Gte,
    Lt,
    Lte,
}

#[derive(Debug, Clone, Copy)]
pub(crate) enum MinShould {
    Count(i64),
    Percent(i64),
}

impl MinShould {
    fn parse(v: &Value) -> Result<MinShould, String> {
        let bad = || format!("[bool] cannot parse minimum_should_match [{v}]");
        match v {
            Value::Number(n) => n.as_i64().map(MinShould::Count).ok_or_else(bad),
            Value::String(s) => {
                let s = s.trim();
                match s.strip_suffix('%') {
                    Some(p) => p.trim().parse().map(MinShould::Percent).map_err(|_| bad()),
                    None => s.parse().map(MinShould::Count).map_err(|_| bad()),
                }
            }
            _ => Err(bad()),
        }
    }

    fn required(self, n: usize) -> usize {
        let n = n as i64;
        let r = match self {
            MinShould::Count(c) if c < 0 => n + c,
            MinShould::Count(c) => c,
            MinShould::Percent(p) if p < 0 => n - (n * -p) / 100,
            MinShould::Percent(p) => (n * p) / 100,
        };
        r.clamp(0, n) as usize
    }
}

/// A parsed query.
#[derive(Debug, Clone)]
pub(crate) enum Query {
    All,
    None,
    Bool {
        must: Vec<Query>,
        filter: Vec<Query>,
        should: Vec<Query>,
        must_not: Vec<Query>,
        min_should: Option<MinShould>,
    },
    Qs {
        fields: Vec<String>,
        expr: Qs,
    },
    Text {
        field: String,
        text: Text,
        mode: Mode,
    },
    Terms {
        field: String,
        values: Vec<Scalar>,
    },
    Range {
        field: String,
        bounds: Vec<(Cmp, Scalar)>,
    },
    Exists {
        field: String,
    },
    Nested {
        path: String,
        query: Box<Query>,
    },
}

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

// ---------------------------------------------------------------------------------------------
// Evaluation
// ---------------------------------------------------------------------------------------------

/// Case-insensitive equality of a word and a lowercase token.
fn word_is(word: &str, token: &str) -> bool {
    if word.is_ascii() {
        word.eq_ignore_ascii_case(token)
    } else {
        word.chars().flat_map(char::to_lowercase).eq(token.chars())
    }
}

/// `?`/`*` glob match on already-lowercased strings.
fn glob(pattern: &[char], s: &[char]) -> bool {
    match pattern.split_first() {
        None => s.is_empty(),
        Some(('*', rest)) => (0..=s.len()).any(|i| glob(rest, &s[i..])),
        Some(('?', rest)) => !s.is_empty() && glob(rest, &s[1..]),
        Some((c, rest)) => s.first() == Some(c) && glob(rest, &s[1..]),
    }
}

fn glob_str(pattern: &str, s: &str) -> bool {
    let p: Vec<char> = pattern.chars().collect();
    let s: Vec<char> = s.to_lowercase().chars().collect();
    glob(&p, &s)
}

/// Whether one field of `doc` matches `text` in `mode`.
fn field_matches(doc: &dyn Doc, field: &str, text: &Text, mode: Mode) -> bool {
    let Some((kind, values)) = doc.field(field) else {
        return false;
    };
    match kind {
        Kind::Number => {
            let Ok(n) = text.raw.trim().parse::<f64>() else {
                return false;
            };
            values.iter().any(|v| matches!(v, Val::Num(x) if *x == n))
        }
        Kind::Keyword => values.iter().any(|v| match v {
            Val::Str(s) if text.wildcard => glob_str(&text.tokens[0], s),
            Val::Str(s) => s.trim().to_lowercase() == text.raw.trim().to_lowercase(),
            Val::Num(_) => false,
        }),
        Kind::Text => {
            let strs = || {
                values.iter().filter_map(|v| match v {
                    Val::Str(s) => Some(*s),
                    Val::Num(_) => None,
                })
            };
            let has = |token: &str| strs().flat_map(words).any(|w| word_is(w, token));
            match (text.tokens.as_slice(), mode) {
                ([], _) => false,
                ([pattern], _) if text.wildcard => {
                    strs().flat_map(words).any(|w| glob_str(pattern, w))
                }
                ([token], _) => has(token),
                (tokens, Mode::Any) => tokens.iter().any(|t| has(t)),
                (tokens, Mode::All) => tokens.iter().all(|t| has(t)),
                (tokens, Mode::Phrase) => strs().any(|s| {
                    let ws: Vec<&str> = words(s).collect();
                    ws.windows(tokens.len())
                        .any(|win| win.iter().zip(tokens).all(|(w, t)| word_is(w, t)))
                }),
            }
        }
    }
}

fn compare(v: &Val<'_>, bound: &Scalar) -> Option<std::cmp::Ordering> {
    match (v, bound) {
        (Val::Num(x), b) => x.partial_cmp(&b.as_num()?),
        (Val::Str(s), Scalar::Str(b)) => Some(s.cmp(&b.as_str())),
        (Val::Str(s), Scalar::Num(b)) => s.trim().parse::<f64>().ok()?.partial_cmp(b),
    }
}

fn eval_qs(q: &Qs, fields: &[String], doc: &dyn Doc) -> bool {
    let any_field = |field: &Option<String>, text: &Text, mode: Mode| match field {
        Some(f) if f != "*" => field_matches(doc, f, text, mode),
        _ if fields.is_empty() => doc
            .default_fields()
            .iter()
            .any(|f| field_matches(doc, f, text, mode)),
        _ => fields.iter().any(|f| field_matches(doc, f, text, mode)),
    };
    match q {
        Qs::Term { field, text } => any_field(field, text, Mode::Phrase),
        Qs::Phrase { field, text } => any_field(field, text, Mode::Phrase),
        Qs::And(v) => v.iter().all(|q| eval_qs(q, fields, doc)),
        Qs::Or(v) => v.iter().any(|q| eval_qs(q, fields, doc)),
        Qs::Not(q) => !eval_qs(q, fields, doc),
    }
}

/// Whether `doc` matches `q`.
pub(crate) fn matches(q: &Query, doc: &dyn Doc) -> bool {
    match q {
        Query::All => true,
        Query::None => false,
        Query::Bool {
            must,
            filter,
            should,
            must_not,
            min_should,
        } => {
            if !must.iter().chain(filter).all(|q| matches(q, doc))
                || must_not.iter().any(|q| matches(q, doc))
            {
                return false;
            }
            if should.is_empty() {
                return true;
            }
            let required = match min_should {
                Some(m) => m.required(should.len()),
                None if must.is_empty() && filter.is_empty() => 1,
                None => 0,
            };
            required == 0
                || should
                    .iter()
                    .filter(|q| matches(q, doc))
                    .take(required)
                    .count()
                    >= required
        }
        Query::Qs { fields, expr } => eval_qs(expr, fields, doc),
        Query::Text { field, text, mode } => field_matches(doc, field, text, *mode),
        Query::Terms { field, values } => {
            let Some((kind, vals)) = doc.field(field) else {
                return false;
            };
            vals.iter().any(|v| {
                values.iter().any(|want| match (kind, v, want) {
                    (_, Val::Num(x), w) => w.as_num() == Some(*x),
                    (Kind::Text, Val::Str(s), Scalar::Str(w)) => {
                        words(s).any(|word| word.to_lowercase() == *w)
                    }
                    (_, Val::Str(s), Scalar::Str(w)) => s == w,
                    (_, Val::Str(s), Scalar::Num(w)) => s.trim().parse::<f64>().ok() == Some(*w),
                })
            })
        }
        Query::Range { field, bounds } => {
            let Some((_, vals)) = doc.field(field) else {
                return false;
            };
            vals.iter().any(|v| {
                bounds.iter().all(|(cmp, b)| {
                    compare(v, b).is_some_and(|o| match cmp {
                        Cmp::Gt => o.is_gt(),
                        Cmp::Gte => o.is_ge(),
                        Cmp::Lt => o.is_lt(),
                        Cmp::Lte => o.is_le(),
                    })
                })
            })
        }
        Query::Exists { field } => doc.field(field).is_some_and(|(_, v)| !v.is_empty()),
        Query::Nested { path, query } => doc
            .nested(path)
            .into_iter()
            .any(|item| matches(query, item)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::corpus::{employee, Corpus, Employee};
    use serde_json::json;

    fn rec() -> Employee {
        let mut e = employee(1, 4290);
        e.full_name = "Zoë O'Brien-Smith".into();
        e.job_title = "Senior Data Engineer".into();
        e.description = "Builds Python data pipelines.\nLoves \"Rust\", SQL".into();
        e.location_country = "Lithuania".into();
        e.follower_count = 445;
        e.last_updated = "2025-05-12".into();
        e.experience.truncate(1);
        e.experience[0].title = "Head of Platform".into();
        e.experience[0].description = "Kubernetes at scale".into();
        e.experience[0].date_to = None;
        e
    }

    fn m(q: Value) -> bool {
        matches(&parse_query(&q).unwrap(), &rec())
    }

    fn err(q: Value) -> String {
        parse_query(&q).unwrap_err()
    }

    #[test]
    fn text_queries() {
        assert!(m(
            json!({"query_string": {"query": "python", "default_field": "description"}})
        ));
        assert!(m(
            json!({"query_string": {"query": "PYTHON AND rust", "fields": ["description", "job_title^2"]}})
        ));
        assert!(!m(
            json!({"query_string": {"query": "python java", "default_field": "description", "default_operator": "and"}})
        ));
        assert!(m(
            json!({"query_string": {"query": "python java", "default_field": "description"}})
        ));
        assert!(m(json!({"query_string": {"query": "\"data pipelines\""}})));
        assert!(!m(json!({"query_string": {"query": "\"pipelines data\""}})));
        assert!(m(
            json!({"query_string": {"query": "pipe*", "default_field": "description"}})
        ));
        assert!(m(
            json!({"query_string": {"query": "job_title:engineer -java"}})
        ));
        assert!(m(json!({"match": {"job_title": "engineer chef"}})));
        assert!(!m(
            json!({"match": {"job_title": {"query": "engineer chef", "operator": "and"}}})
        ));
        assert!(m(json!({"match_phrase": {"job_title": "data engineer"}})));
        assert!(m(json!({"match": {"full_name": "zoë"}})));
        assert!(m(json!({"match": {"location_country": "lithuania"}})));
    }

    #[test]
    fn exact_terms_ranges_exists() {
        assert!(m(json!({"term": {"full_name.exact": "Zoë O'Brien-Smith"}})));
        assert!(!m(json!({"term": {"full_name.exact": "Zoë"}})));
        assert!(m(json!({"term": {"location_country": "Lithuania"}})));
        assert!(!m(json!({"term": {"location_country": "lithuania"}})));
        assert!(m(json!({"term": {"job_title": "engineer"}})));
        assert!(m(json!({"terms": {"id": [1, 4290]}})));
        assert!(m(
            json!({"range": {"follower_count": {"gte": 445, "lt": 446}}})
        ));
        assert!(!m(json!({"range": {"follower_count": {"gt": 445}}})));
        assert!(m(json!({"range": {"last_updated": {"gte": "2025-01-01"}}})));
        assert!(m(json!({"exists": {"field": "description"}})));
        assert!(!m(json!({"exists": {"field": "no_such_field"}})));
        assert!(m(json!({"match_all": {}})));
    }

    #[test]
    fn bool_logic() {
        let py = json!({"match": {"description": "python"}});
        let java = json!({"match": {"description": "java"}});
        assert!(m(json!({"bool": {"should": [py, java]}})));
        assert!(!m(
            json!({"bool": {"should": [py, java], "minimum_should_match": 2}})
        ));
        assert!(m(
            json!({"bool": {"should": [py, java], "minimum_should_match": "50%"}})
        ));
        assert!(m(json!({"bool": {"must": py, "should": [java]}})));
        assert!(!m(json!({"bool": {"must": [py], "must_not": [py]}})));
        assert!(m(json!({"bool": {"filter": [py], "must_not": java}})));
    }

    #[test]
    fn nested_rule() {
        let e = err(json!({"match": {"experience.title": "head"}}));
        assert!(e.contains("experience.title"), "{e}");
        let e = err(
            json!({"query_string": {"query": "x", "fields": ["job_title", "education.major"]}}),
        );
        assert!(e.contains("education.major"), "{e}");
        let e = err(json!({"query_string": {"query": "experience.description:x"}}));
        assert!(e.contains("experience.description"), "{e}");
        let e = err(json!({"nested": {"path": "member_experience", "query": {"match_all": {}}}}));
        assert!(e.contains("member_experience"), "{e}");
        assert!(m(
            json!({"nested": {"path": "experience", "query": {"bool": {"must": [
            {"match": {"experience.title": "head"}},
            {"query_string": {"query": "kubernetes", "default_field": "experience.description"}}
        ], "must_not": {"exists": {"field": "experience.date_to"}}}}}})
        ));
        // A field of another object inside the nested query matches nothing.
        assert!(!m(
            json!({"nested": {"path": "experience", "query": {"match": {"job_title": "engineer"}}}})
        ));
    }

    #[test]
    fn nested_is_evaluated_per_object() {
        let mut e = rec();
        e.experience = vec![
            employee(1, 1).experience.remove(0),
            employee(1, 2).experience.remove(0),
        ];
        e.experience[0].title = "Chef".into();
        e.experience[0].company_name = "Acme".into();
        e.experience[1].title = "Baker".into();
        e.experience[1].company_name = "Globex".into();
        let q = |a: &str, b: &str| {
            parse_query(
                &json!({"nested": {"path": "experience", "query": {"bool": {"must": [
                {"match": {"experience.title": a}}, {"match": {"experience.company_name": b}}]}}}}),
            )
            .unwrap()
        };
        assert!(matches(&q("chef", "acme"), &e));
        assert!(!matches(&q("chef", "globex"), &e));
    }

    #[test]
    fn rejections() {
        assert!(err(json!({"fuzzy": {"x": "y"}})).contains("fuzzy"));
        let many: Vec<Value> = (0..1100).map(|i| json!({"term": {"id": i}})).collect();
        assert!(err(json!({"bool": {"should": many}})).contains("too many"));
        let long = "x ".repeat(8000);
        assert!(
            parse_body(&json!({"query": {"query_string": {"query": long}}}))
                .unwrap_err()
                .contains("too long")
        );
        assert!(parse_body(&json!({"query": {"match_all": {}}, "aggs": {}})).is_err());
        assert!(matches!(
            parse_body(&json!({"sort": ["id"]})),
            Ok(Query::All)
        ));
    }

    #[test]
    fn python_query_matches_a_moderate_share() {
        let body: Value =
            serde_json::from_str(include_str!("../../tests/fixtures/query-python.json")).unwrap();
        let q = parse_body(&body).unwrap();
        let corpus = Corpus::build(42, 4000);
        let n = corpus.records.iter().filter(|r| matches(&q, *r)).count();
        assert!((100..1000).contains(&n), "{n}");
    }
}
