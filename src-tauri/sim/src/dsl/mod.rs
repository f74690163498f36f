//! The Elasticsearch DSL subset the simulator understands, evaluated over the corpus.
//!
//! Supported: `bool` (`must`/`should`/`must_not`/`filter`, `minimum_should_match`), `query_string`,
//! `match`, `match_phrase`, `term`, `terms`, `range`, `exists`, `nested`, `match_all`, `match_none`.
//! Fields of nested objects (`experience.*`, `education.*`, …) may only be queried inside a
//! `nested` query with that path; anything else is rejected like the real service does.

mod eval;
mod mapping;
mod parse;
mod query_string;
#[cfg(test)]
mod tests;

pub(crate) use mapping::Doc;
use mapping::{Kind, Val, NESTED_PATHS};
use query_string::Qs;
use serde_json::{Map, Value};

pub(crate) use eval::matches;
pub(crate) use parse::parse_body;

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
