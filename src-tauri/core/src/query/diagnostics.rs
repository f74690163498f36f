//! Every problem of a query text as one list, each placed by line and column for the editor and
//! the CLI. Messages speak of fields and conditions; the query path is in `path`.

use std::collections::HashMap;

use serde::Serialize;

use super::positions::{spots, Spot, START};
use super::{Analysis, Form, QueryError, QueryWarning};

/// How bad a problem is.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Severity {
    /// The query cannot be sent.
    Error,
    /// The query can be sent, but probably does not do what was meant.
    Warning,
}

/// Which rule found the problem: stable names the UI and scripts may branch on.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum DiagnosticCode {
    /// The text is not valid JSON.
    Syntax,
    /// Nothing to send.
    Empty,
    /// An object `{…}` was needed.
    NotAnObject,
    /// A required entry is missing.
    MissingKey,
    /// A top-level key that is not part of a search.
    UnknownBodyKey,
    /// An empty object where a query should be.
    EmptyClause,
    /// Several query types in one object.
    SeveralTypes,
    /// A query type the app does not send.
    UnknownType,
    /// A key inside `bool` that is not a clause list or option.
    UnknownBoolKey,
    /// An `experience.*`/`education.*` field outside its `nested` query.
    NotNested,
    /// A plain `country` field.
    CountryField,
    /// Longer than the service accepts.
    TooLong,
    /// More boolean clauses than the service accepts.
    TooManyClauses,
    /// A field profiles do not have.
    UnknownField,
    /// `term`/`terms` on a field stored as words.
    TermOnText,
    /// `size` does not limit what is collected.
    SizeIgnored,
    /// `limit`, `webhook_url`, `data_format` pasted with the query are not used.
    RequestFieldIgnored,
    /// Aggregations are left out.
    AggregationsIgnored,
    /// A `nested` path the app does not know.
    UnknownNestedPath,
    /// A `bool` without a single condition: it matches every profile.
    NoConditions,
}

/// One problem of a query, placed in its text.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct Diagnostic {
    /// Which rule found it.
    pub code: DiagnosticCode,
    /// Error (cannot be sent) or warning.
    pub severity: Severity,
    /// Plain words: what is wrong and what to do.
    pub message: String,
    /// Where in the full query body, e.g. `query.bool.must[0].match`; empty for the whole text.
    pub path: String,
    /// 1-based line in the text as typed.
    pub line: usize,
    /// 1-based column, in characters.
    pub column: usize,
    /// Characters to mark from there (at least 1).
    pub length: usize,
}

/// The diagnostics of an analysed text, sorted by place (errors before warnings at one place).
pub(super) fn diagnostics_of(text: &str, analysis: &Analysis) -> Vec<Diagnostic> {
    let spots = if analysis.parsed {
        spots(text)
    } else {
        HashMap::new()
    };
    let place = |path: &str| locate(&spots, analysis.form, path);
    let mut list: Vec<Diagnostic> = analysis
        .errors
        .iter()
        .flat_map(flatten)
        .map(|error| {
            let path = error.path().unwrap_or_default().to_owned();
            let spot = match error.line_column() {
                Some((line, column)) => Spot {
                    line,
                    column,
                    length: 1,
                },
                None => place(&path),
            };
            diagnostic(
                error_code(error),
                Severity::Error,
                error.plain(),
                path,
                spot,
            )
        })
        .collect();
    list.extend(analysis.warnings.iter().map(|w: &QueryWarning| {
        let spot = place(&w.path);
        diagnostic(
            w.code,
            Severity::Warning,
            w.message.clone(),
            w.path.clone(),
            spot,
        )
    }));
    list.sort_by_key(|d| (d.line, d.column, d.severity));
    list
}

fn diagnostic(
    code: DiagnosticCode,
    severity: Severity,
    message: String,
    path: String,
    spot: Spot,
) -> Diagnostic {
    Diagnostic {
        code,
        severity,
        message,
        path,
        line: spot.line,
        column: spot.column,
        length: spot.length.max(1),
    }
}

/// The single problems inside [`QueryError::Several`].
fn flatten(error: &QueryError) -> Vec<&QueryError> {
    match error {
        QueryError::Several { errors } => errors.iter().flat_map(flatten).collect(),
        single => vec![single],
    }
}

/// The spot of a body path in the text as typed: through the wrapper the text used, else the
/// nearest enclosing part found, else the start.
fn locate(spots: &HashMap<String, Spot>, form: Form, path: &str) -> Spot {
    let in_text = match form {
        Form::Body => path.to_owned(),
        Form::Wrapper => format!("es_dsl_query.{path}"),
        Form::Bare => path
            .strip_prefix("query.")
            .or_else(|| (path == "query").then_some(""))
            .unwrap_or(path)
            .to_owned(),
    };
    if let Some(spot) = spots.get(path).filter(|_| form == Form::Wrapper) {
        // Keys of the request itself (`limit`, …) sit beside `es_dsl_query`.
        if !spots.contains_key(&in_text) {
            return *spot;
        }
    }
    let mut candidate = in_text.as_str();
    loop {
        if let Some(spot) = spots.get(candidate) {
            return *spot;
        }
        match candidate.rfind(['.', '[']) {
            Some(cut) => candidate = &candidate[..cut],
            None => return spots.get("").copied().unwrap_or(START),
        }
    }
}

fn error_code(error: &QueryError) -> DiagnosticCode {
    use DiagnosticCode as C;
    match error {
        QueryError::Empty => C::Empty,
        QueryError::Syntax { .. } => C::Syntax,
        QueryError::NotAnObject { .. } => C::NotAnObject,
        QueryError::MissingKey { .. } => C::MissingKey,
        QueryError::UnknownBodyKey { .. } => C::UnknownBodyKey,
        QueryError::EmptyClause { .. } => C::EmptyClause,
        QueryError::SeveralTypes { .. } => C::SeveralTypes,
        QueryError::UnknownType { .. } => C::UnknownType,
        QueryError::UnknownBoolKey { .. } => C::UnknownBoolKey,
        QueryError::NotNested { .. } => C::NotNested,
        QueryError::CountryField { .. } => C::CountryField,
        QueryError::TooLong { .. } => C::TooLong,
        QueryError::TooManyClauses { .. } => C::TooManyClauses,
        // Never reached: `Several` is flattened first.
        QueryError::Several { .. } => C::Syntax,
    }
}
