//! ES DSL queries: parse what people paste, explain JSON mistakes by line and column, and lint the
//! query against what the Clean Employee index accepts.
//!
//! Three pasted forms are accepted and all become a full ES body with a `"query"`:
//! a full body `{"query": {...}, "sort": ...}`, the API wrapper `{"es_dsl_query": {...}, "limit": 5}`
//! (unwrapped; `limit`, `webhook_url` and `data_format` are left out with a warning, as the form has
//! its own boxes for them), and a bare query `{"bool": {...}}` (wrapped into `{"query": ...}`).
//!
//! The lint knows the contract's mapping facts: `experience.*` and `education.*` fields must be
//! searched inside a `nested` query on that path, there is no plain `country` field, only the
//! common query types are allowed, and a query is at most 15,000 characters and 1,024 boolean
//! clauses. Every lint error names the place in the query, e.g. `query.bool.should[2].match`.

pub mod builder;
mod catalogue;
mod check;
mod diagnostics;
mod error;
mod field_rules;
pub mod fields;
mod lint;
mod paste;
mod positions;
mod syntax;

#[cfg(test)]
mod diagnostics_tests;
#[cfg(test)]
mod tests;

use serde::Serialize;
use serde_json::{Map, Value};

pub use builder::{
    from_query, query_in_builder, to_query, BuilderError, NotRepresentable, QueryInBuilder, Search,
};
pub use catalogue::{query_catalogue, ConditionInfo, QueryCatalogue, QueryTypeInfo};
pub use check::{check_query, QueryCheck, QueryProblem};
pub use diagnostics::{Diagnostic, DiagnosticCode, Severity};
pub use error::QueryError;
pub use paste::{read_pasted, PastedSearch, KEY_NOT_KEPT};

/// The longest query the service accepts, in characters of the compact JSON body.
pub const MAX_QUERY_CHARS: usize = 15_000;

/// The most boolean clauses (entries of `must`, `should`, `must_not`, `filter`) in one query.
pub const MAX_BOOL_CLAUSES: usize = 1_024;

/// The query types the lint lets through.
pub const ALLOWED_QUERY_TYPES: [&str; 19] = [
    "bool",
    "query_string",
    "simple_query_string",
    "match",
    "match_phrase",
    "match_phrase_prefix",
    "multi_match",
    "term",
    "terms",
    "range",
    "exists",
    "nested",
    "match_all",
    "ids",
    "prefix",
    "wildcard",
    "constant_score",
    "boosting",
    "dis_max",
];

/// Top-level keys of an ES body that may be sent besides `query`.
const BODY_KEYS: [&str; 9] = [
    "query",
    "sort",
    "size",
    "from",
    "_source",
    "track_total_hits",
    "min_score",
    "search_after",
    "timeout",
];

/// Request fields that people paste along with the query; the form has its own boxes for them.
const WRAPPER_KEYS: [&str; 3] = ["limit", "webhook_url", "data_format"];

/// A parsed, checked ES DSL query.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct EsQuery {
    /// The full ES body, always an object with a `"query"`; what goes into `es_dsl_query`.
    pub body: Value,
    /// Things worth telling the user that do not stop the query from being sent.
    pub warnings: Vec<QueryWarning>,
}

/// Something in a query worth knowing that does not stop it from being sent.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct QueryWarning {
    /// Which rule found it (not sent to the UI: `diagnostics` carry it).
    #[serde(skip)]
    #[ts(skip)]
    pub code: DiagnosticCode,
    /// Where in the pasted text, e.g. `limit` or `query.bool.must[0].nested`.
    pub path: String,
    /// What it means and what to do, in plain words.
    pub message: String,
}

impl EsQuery {
    /// The body indented for reading (keys in alphabetical order).
    pub fn pretty(&self) -> String {
        format!("{:#}", self.body)
    }

    /// The body on one line, as it is sent.
    pub fn compact(&self) -> String {
        self.body.to_string()
    }
}

/// Parses pasted query text, normalises it to a full ES body and lints it.
///
/// Several lint problems come back together as [`QueryError::Several`]; [`diagnose`] lists every
/// problem, warnings too, by line and column.
pub fn parse_query(text: &str) -> Result<EsQuery, QueryError> {
    let analysis = analyse(text);
    QueryError::from_list(analysis.errors)?;
    let body = analysis.body.ok_or(QueryError::Empty)?;
    Ok(EsQuery {
        body: Value::Object(body),
        warnings: analysis.warnings,
    })
}

/// Every problem of `text`, errors and warnings, placed by line and column.
pub fn diagnose(text: &str) -> Vec<Diagnostic> {
    let text = text.trim_start_matches('\u{feff}');
    diagnostics::diagnostics_of(text, &analyse(text))
}

/// How the pasted text held its query.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Form {
    /// A full body with `"query"`.
    Body,
    /// The API's request, `{"es_dsl_query": {…}, "limit": …}`.
    Wrapper,
    /// A bare query such as `{"bool": …}`.
    Bare,
}

/// What the parser and the lint found in a text.
pub(crate) struct Analysis {
    /// Whether the text is valid JSON.
    parsed: bool,
    /// How the text held its query.
    form: Form,
    /// The full ES body, when the text has one.
    body: Option<Map<String, Value>>,
    /// Why it cannot be sent.
    errors: Vec<QueryError>,
    /// What is worth knowing.
    warnings: Vec<QueryWarning>,
}

/// Parses, normalises and lints `text`, keeping every problem.
fn analyse(text: &str) -> Analysis {
    let text = text.trim_start_matches('\u{feff}');
    let mut analysis = Analysis {
        parsed: false,
        form: Form::Body,
        body: None,
        errors: Vec::new(),
        warnings: Vec::new(),
    };
    if text.trim().is_empty() {
        analysis.errors.push(QueryError::Empty);
        return analysis;
    }
    let value: Value = match serde_json::from_str(text) {
        Ok(value) => value,
        Err(error) => {
            let (line, column, message) = syntax::describe(text, &error);
            analysis.errors.push(QueryError::Syntax {
                line,
                column,
                message,
            });
            return analysis;
        }
    };
    analysis.parsed = true;
    let body = match normalise(value, &mut analysis.warnings, &mut analysis.form) {
        Ok(body) => body,
        Err(error) => {
            analysis.errors.push(error);
            return analysis;
        }
    };
    analysis.errors = lint::lint_body(&body, &mut analysis.warnings);
    let chars = Value::Object(body.clone()).to_string().chars().count();
    if chars > MAX_QUERY_CHARS {
        analysis.errors.push(QueryError::TooLong { chars });
    }
    analysis.body = Some(body);
    analysis
}

/// Turns any accepted form into a full ES body with a `"query"` key; says which form it was.
fn normalise(
    value: Value,
    warnings: &mut Vec<QueryWarning>,
    form: &mut Form,
) -> Result<Map<String, Value>, QueryError> {
    let mut top = as_object(value, "")?;
    if let Some(inner) = top.remove("es_dsl_query") {
        *form = Form::Wrapper;
        for (key, value) in top {
            warnings.push(unused_request_field(&key, &value));
        }
        top = as_object(inner, "es_dsl_query")?;
    }
    for key in WRAPPER_KEYS {
        if let Some(value) = top.remove(key) {
            warnings.push(unused_request_field(key, &value));
        }
    }
    drop_aggregations(&mut top, warnings);
    if top.is_empty() {
        return Err(QueryError::Empty);
    }
    if top.contains_key("query") {
        return Ok(top);
    }
    if *form == Form::Body {
        *form = Form::Bare;
    }
    let mut body = Map::new();
    body.insert("query".to_owned(), Value::Object(top));
    Ok(body)
}

/// Aggregations are not supported by Bulk Collect: they are left out, with a warning.
fn drop_aggregations(top: &mut Map<String, Value>, warnings: &mut Vec<QueryWarning>) {
    for key in ["aggs", "aggregations"] {
        if top.remove(key).is_some() {
            warnings.push(QueryWarning {
                code: DiagnosticCode::AggregationsIgnored,
                path: key.to_owned(),
                message: "Bulk Collect delivers profiles, not counts or statistics: the \
                          aggregations were left out."
                    .to_owned(),
            });
        }
    }
}

fn as_object(value: Value, path: &str) -> Result<Map<String, Value>, QueryError> {
    match value {
        Value::Object(map) => Ok(map),
        other => Err(QueryError::NotAnObject {
            path: path.to_owned(),
            found: kind_of(&other),
        }),
    }
}

fn unused_request_field(key: &str, value: &Value) -> QueryWarning {
    let message = match key {
        "limit" => format!("The pasted limit ({value}) is not used: enter it in the Limit box."),
        "webhook_url" => {
            format!(
                "The pasted webhook address ({value}) is not used: enter it in the Webhook box."
            )
        }
        "data_format" => "The data format is always JSON; the pasted one is not used.".to_owned(),
        other => format!("`{other}` is not part of a query and was left out."),
    };
    QueryWarning {
        code: DiagnosticCode::RequestFieldIgnored,
        path: key.to_owned(),
        message,
    }
}

/// A JSON value's kind, in words, for error messages.
fn kind_of(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "true or false",
        Value::Number(_) => "a number",
        Value::String(_) => "a text",
        Value::Array(_) => "a list […]",
        Value::Object(_) => "an object {…}",
    }
}
