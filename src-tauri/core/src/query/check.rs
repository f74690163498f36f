//! A query checked for the editor: formatted text and warnings, or the problem with its place.

use serde::Serialize;

use super::{diagnose, parse_query, Diagnostic, QueryWarning};
use crate::error::Coded;

/// What the editor shows about the text being typed.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Serialize)]
#[ts(export)]
pub struct QueryCheck {
    /// The query formatted, when it is valid.
    pub pretty: Option<String>,
    /// Things worth knowing about a valid query.
    pub warnings: Vec<QueryWarning>,
    /// Why the query cannot be sent, when it cannot (the first problem of `diagnostics`' errors,
    /// all of them in one message).
    pub error: Option<QueryProblem>,
    /// Every problem, errors and warnings, each with its line and column in `text`.
    pub diagnostics: Vec<Diagnostic>,
}

/// A query's problem, placed for the editor.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct QueryProblem {
    /// Plain words: what is wrong, where, what to do.
    pub message: String,
    /// 1-based line, for a syntax error.
    pub line: Option<usize>,
    /// 1-based column, for a syntax error.
    pub column: Option<usize>,
    /// The query path, e.g. `query.bool.must[0]`, for a problem in a valid JSON text.
    pub path: Option<String>,
}

/// Parses and lints `text` for the editor.
pub fn check_query(text: &str) -> QueryCheck {
    match parse_query(text) {
        Ok(query) => QueryCheck {
            pretty: Some(query.pretty()),
            warnings: query.warnings.clone(),
            error: None,
            diagnostics: diagnose(text),
        },
        Err(error) => {
            let (line, column) = error.line_column().unzip();
            QueryCheck {
                pretty: None,
                warnings: Vec::new(),
                error: Some(QueryProblem {
                    message: error.user_message(),
                    line,
                    column,
                    path: error.path().map(str::to_owned),
                }),
                diagnostics: diagnose(text),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_valid_query_comes_back_formatted() {
        let check = check_query(r#"{"query":{"match":{"job_title":"engineer"}}}"#);
        assert!(check.error.is_none());
        assert!(check.pretty.unwrap().contains("\n"));
    }

    #[test]
    fn a_syntax_error_has_line_and_column() {
        let check = check_query("{\n  \"query\": {,}\n}");
        let problem = check.error.unwrap();
        assert_eq!(problem.line, Some(2));
        assert!(problem.column.is_some());
        assert!(check.pretty.is_none());
    }

    #[test]
    fn a_lint_error_has_its_path() {
        let check =
            check_query(r#"{"query": {"bool": {"must": [{"match": {"experience.title": "x"}}]}}}"#);
        let problem = check.error.unwrap();
        assert_eq!(problem.path.as_deref(), Some("query.bool.must[0].match"));
        assert_eq!(problem.line, None);
        let [diagnostic] = check.diagnostics.as_slice() else {
            panic!("one diagnostic: {:?}", check.diagnostics);
        };
        assert_eq!(
            (diagnostic.line, diagnostic.column, diagnostic.length),
            (1, 31, 7)
        );
        assert!(
            !diagnostic.message.contains("query.bool"),
            "{}",
            diagnostic.message
        );
    }
}
