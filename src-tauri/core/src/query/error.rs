//! Why a query cannot be sent. Every message says where and what to do.

use std::fmt::Write as _;

use super::{MAX_BOOL_CLAUSES, MAX_QUERY_CHARS};
use crate::error::{Coded, ErrorCode};
use crate::ids::group_digits;

/// A query that cannot be sent. Paths such as `query.bool.should[2].match` point into the full
/// ES body, after a wrapper was removed or a bare query wrapped.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum QueryError {
    /// Nothing was pasted, or only `{}`.
    #[error(
        "The query is empty. Paste a query, for example \
         {{\"query\": {{\"match\": {{\"job_title\": \"engineer\"}}}}}}."
    )]
    Empty,
    /// The text is not valid JSON.
    #[error("{message}")]
    Syntax {
        /// 1-based line of the mistake.
        line: usize,
        /// 1-based column (in characters) of the mistake.
        column: usize,
        /// What is wrong there and how to fix it, with the line and column.
        message: String,
    },
    /// An object `{…}` was needed and something else was found.
    #[error(
        "{} should be an object {{…}}, but it is {found}. Check the query there.",
        place(path)
    )]
    NotAnObject {
        /// Where (empty for the whole text).
        path: String,
        /// What was found, in words.
        found: &'static str,
    },
    /// A required entry is missing, such as `path` in a `nested` query.
    #[error("{} needs a \"{key}\" entry. Add it.", place(path))]
    MissingKey {
        /// Where.
        path: String,
        /// The missing key.
        key: String,
    },
    /// A top-level key that is not part of a search.
    #[error(
        "\"{key}\" cannot be at the top of a query. Put it inside \"query\" or remove it \
         (allowed at the top: query, sort, size, from, _source, track_total_hits, min_score, \
         search_after, timeout)."
    )]
    UnknownBodyKey {
        /// The key.
        key: String,
    },
    /// An empty object where a query should be.
    #[error(
        "{} is empty. Put a query in it, such as {{\"match_all\": {{}}}}, or remove it.",
        place(path)
    )]
    EmptyClause {
        /// Where.
        path: String,
    },
    /// One object holds several query types.
    #[error(
        "{} holds several queries in one object ({}). Put each in its own {{…}} inside a bool, \
         e.g. {{\"bool\": {{\"must\": [{{…}}, {{…}}]}}}}.",
        place(path),
        types.join(", ")
    )]
    SeveralTypes {
        /// Where.
        path: String,
        /// The query types found together.
        types: Vec<String>,
    },
    /// A query type outside [`super::ALLOWED_QUERY_TYPES`].
    #[error(
        "\"{name}\" at `{path}` is not a query type Bulk Collect can send.{} Allowed: {}.",
        hint.as_deref().map(|h| format!(" {h}")).unwrap_or_default(),
        super::ALLOWED_QUERY_TYPES.join(", ")
    )]
    UnknownType {
        /// Where the type name is.
        path: String,
        /// The type name.
        name: String,
        /// A likely fix, such as the type meant.
        hint: Option<String>,
    },
    /// A key inside `bool` other than must, should, must_not, filter and the options.
    #[error(
        "\"{key}\" at `{path}` is not part of a bool query. Use must, should, must_not or filter."
    )]
    UnknownBoolKey {
        /// The bool's path.
        path: String,
        /// The key.
        key: String,
    },
    /// An `experience.*` or `education.*` field outside a `nested` query on that path.
    #[error(
        "The field \"{field}\" at `{path}` belongs to \"{nested}\", which can only be searched \
         inside a nested query. Wrap this part like this: {fix}"
    )]
    NotNested {
        /// The clause that uses the field.
        path: String,
        /// The field.
        field: String,
        /// The nested path it needs: `experience` or `education`.
        nested: String,
        /// The clause wrapped in the nested query it needs.
        fix: String,
    },
    /// A plain `country` field, which Clean Employee does not have.
    #[error(
        "There is no \"{field}\" field (at `{path}`). Use \"location_country\" instead, e.g. \
         {{\"term\": {{\"location_country\": \"Germany\"}}}}."
    )]
    CountryField {
        /// The clause that uses the field.
        path: String,
        /// The field as written, e.g. `country`.
        field: String,
    },
    /// The compact query is longer than [`MAX_QUERY_CHARS`].
    #[error(
        "The query is {} characters long; the service accepts at most {}. Shorten it, for \
         example by splitting a long list of names over two requests.",
        group_digits(*chars),
        group_digits(MAX_QUERY_CHARS)
    )]
    TooLong {
        /// Characters of the compact body.
        chars: usize,
    },
    /// More than [`MAX_BOOL_CLAUSES`] boolean clauses.
    #[error(
        "The query has {} conditions in its bool lists; the service accepts at most {}. Split \
         it over several requests, or use one \"terms\" query for a long list of exact values.",
        group_digits(*count),
        group_digits(MAX_BOOL_CLAUSES)
    )]
    TooManyClauses {
        /// Clauses counted.
        count: usize,
    },
    /// Several of the problems above, in the order found.
    #[error("{}", numbered(errors))]
    Several {
        /// The problems.
        errors: Vec<QueryError>,
    },
}

impl QueryError {
    /// `Ok` for no error, the error itself for one, [`QueryError::Several`] for more.
    pub(super) fn from_list(mut errors: Vec<QueryError>) -> Result<(), QueryError> {
        match errors.len() {
            0 => Ok(()),
            1 => Err(errors.remove(0)),
            _ => Err(QueryError::Several { errors }),
        }
    }
}

impl Coded for QueryError {
    fn code(&self) -> ErrorCode {
        ErrorCode::InvalidQuery
    }
}

/// `The query` for the whole text, `` `path` `` otherwise.
fn place(path: &str) -> String {
    if path.is_empty() {
        "The query".to_owned()
    } else {
        format!("`{path}`")
    }
}

fn numbered(errors: &[QueryError]) -> String {
    let mut text = format!("The query has {} problems:", errors.len());
    for (i, error) in errors.iter().enumerate() {
        // Writing to a String cannot fail.
        let _ = write!(text, "\n{}. {error}", i + 1);
    }
    text
}

impl QueryError {
    /// The line and column of a syntax error, if this is one.
    pub fn line_column(&self) -> Option<(usize, usize)> {
        match self {
            QueryError::Syntax { line, column, .. } => Some((*line, *column)),
            _ => None,
        }
    }

    /// The query path the (first) problem is at, if it has one.
    pub fn path(&self) -> Option<&str> {
        match self {
            QueryError::NotAnObject { path, .. }
            | QueryError::MissingKey { path, .. }
            | QueryError::EmptyClause { path }
            | QueryError::SeveralTypes { path, .. }
            | QueryError::UnknownType { path, .. }
            | QueryError::UnknownBoolKey { path, .. }
            | QueryError::NotNested { path, .. }
            | QueryError::CountryField { path, .. } => Some(path),
            QueryError::UnknownBodyKey { key } => Some(key),
            QueryError::Several { errors } => errors.iter().find_map(QueryError::path),
            _ => None,
        }
    }
}

impl QueryError {
    /// The message without the query path, for a list that places each problem by line and
    /// column (the path travels beside it).
    pub fn plain(&self) -> String {
        match self {
            QueryError::NotAnObject { path, found } => format!(
                "{} should be an object {{…}}, but it is {found}. Check the query there.",
                part(path)
            ),
            QueryError::MissingKey { path, key } => {
                format!("{} needs a \"{key}\" entry. Add it.", part(path))
            }
            QueryError::EmptyClause { path } => format!(
                "{} is empty. Put a query in it, such as {{\"match_all\": {{}}}}, or remove it.",
                part(path)
            ),
            QueryError::SeveralTypes { path, types } => format!(
                "{} holds several queries in one object ({}). Put each in its own {{…}} inside a \
                 bool, e.g. {{\"bool\": {{\"must\": [{{…}}, {{…}}]}}}}.",
                part(path),
                types.join(", ")
            ),
            QueryError::UnknownType { name, hint, .. } => format!(
                "\"{name}\" is not a query type Bulk Collect can send.{} Allowed: {}.",
                hint.as_deref().map(|h| format!(" {h}")).unwrap_or_default(),
                super::ALLOWED_QUERY_TYPES.join(", ")
            ),
            QueryError::UnknownBoolKey { key, .. } => format!(
                "\"{key}\" is not part of a bool query. Use must, should, must_not or filter."
            ),
            QueryError::NotNested {
                field, nested, fix, ..
            } => format!(
                "The field \"{field}\" belongs to \"{nested}\", which can only be searched inside \
                 a nested query. Wrap this part like this: {fix}"
            ),
            QueryError::CountryField { field, .. } => format!(
                "There is no \"{field}\" field. Use \"location_country\" instead, e.g. \
                 {{\"term\": {{\"location_country\": \"Germany\"}}}}."
            ),
            other => other.to_string(),
        }
    }
}

/// The part of the query at `path`, in words: "This condition", "The \"bool\" part", ….
fn part(path: &str) -> String {
    let last = path.rsplit('.').next().unwrap_or(path);
    match last.split_once('[') {
        _ if path.is_empty() => "The query".to_owned(),
        Some((list, _)) => format!("A condition in the \"{list}\" list"),
        None => format!("The \"{last}\" part"),
    }
}
