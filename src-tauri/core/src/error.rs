//! The one error shape that crosses a boundary (IPC, CLI `--json`): `{code, message}`.
//!
//! Each module has its own `thiserror` enum; each implements [`Coded`] so that it can be turned into a
//! [`UserError`]: a stable [`ErrorCode`] the UI branches on, and a plain-English message that says what
//! is wrong and what to do next.

use serde::{Deserialize, Serialize};

/// Stable error codes. The UI and scripts branch on these; never rename one.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[ts(export)]
pub enum ErrorCode {
    /// No API key is stored.
    KeyMissing,
    /// The service rejected the API key (401).
    KeyRejected,
    /// The OS keychain cannot be reached or is locked.
    KeychainUnavailable,
    /// The account lacks credits (402).
    InsufficientCredits,
    /// An identical ES DSL request is already in progress (409).
    DuplicateInProgress,
    /// An ID list has more than 10,000 IDs.
    TooManyIds,
    /// A query matched more than 10,000 profiles and had no limit.
    TooManyMatches,
    /// The service keeps answering 429.
    RateLimited,
    /// Nothing matched the request.
    NoResults,
    /// The request is older than 30 days; its files are gone from the service.
    Expired,
    /// The network failed (DNS, connection, timeout, TLS).
    Network,
    /// The service failed (5xx) or answered something the contract does not describe.
    Server,
    /// The ES DSL query is not valid.
    InvalidQuery,
    /// The ID file is not usable.
    InvalidIdFile,
    /// A request parameter is not valid (limit, webhook URL, API base, …).
    InvalidInput,
    /// A submission may or may not have reached the service; the user must decide.
    Uncertain,
    /// A job, file or request that does not exist.
    NotFound,
    /// A downloaded file failed its checks (gzip, record count) or could not be written.
    Download,
    /// The local database failed.
    Storage,
    /// A local file could not be read or written.
    Io,
    /// The operation was cancelled.
    Cancelled,
    /// A wait ran out of time; the work itself goes on.
    TimedOut,
    /// The action does not fit the job's current state.
    InvalidState,
    /// The quote was already used for a submission: nothing was sent again.
    QuoteSpent,
    /// The quote is too old: check the cost again before confirming.
    QuoteExpired,
    /// The same data was collected in the last 30 days: confirm "collect again" to pay again.
    CollectedBefore,
    /// Another process (the app or the command line) is working on this job right now.
    Busy,
    /// The request costs more than the user's limit per request: it needs a second confirmation
    /// that names its credits.
    OverCap,
    /// Spending credits (a paid preview) needs a confirmation naming its cost.
    ConfirmationNeeded,
    /// The person answered No to a money question (spend, loosen a guard): nothing was sent,
    /// nothing was spent, nothing was saved.
    Declined,
    /// A bug: something that should not happen.
    Internal,
}

impl ErrorCode {
    /// The stored and serialised text: the variant's name.
    pub fn as_str(self) -> &'static str {
        use ErrorCode::*;
        match self {
            KeyMissing => "KeyMissing",
            KeyRejected => "KeyRejected",
            KeychainUnavailable => "KeychainUnavailable",
            InsufficientCredits => "InsufficientCredits",
            DuplicateInProgress => "DuplicateInProgress",
            TooManyIds => "TooManyIds",
            TooManyMatches => "TooManyMatches",
            RateLimited => "RateLimited",
            NoResults => "NoResults",
            Expired => "Expired",
            Network => "Network",
            Server => "Server",
            InvalidQuery => "InvalidQuery",
            InvalidIdFile => "InvalidIdFile",
            InvalidInput => "InvalidInput",
            Uncertain => "Uncertain",
            NotFound => "NotFound",
            Download => "Download",
            Storage => "Storage",
            Io => "Io",
            Cancelled => "Cancelled",
            TimedOut => "TimedOut",
            InvalidState => "InvalidState",
            QuoteSpent => "QuoteSpent",
            QuoteExpired => "QuoteExpired",
            CollectedBefore => "CollectedBefore",
            Busy => "Busy",
            OverCap => "OverCap",
            ConfirmationNeeded => "ConfirmationNeeded",
            Declined => "Declined",
            Internal => "Internal",
        }
    }

    /// Parses the stored text; `None` for a code this build does not know.
    pub fn parse(text: &str) -> Option<Self> {
        serde_json::from_value(serde_json::Value::String(text.to_owned())).ok()
    }
}

/// Implemented by every module error: which [`ErrorCode`] it maps to.
pub trait Coded: std::error::Error {
    /// The stable code for this error.
    fn code(&self) -> ErrorCode;

    /// The plain-English message with the next step; defaults to the error's `Display`.
    fn user_message(&self) -> String {
        self.to_string()
    }

    /// The `{code, message}` form for a boundary.
    /// The job the error points at, when it names one (the running twin of a 409, the earlier
    /// job of "collected before").
    fn job(&self) -> Option<i64> {
        None
    }

    /// The `{code, message}` form for a boundary.
    fn to_user_error(&self) -> UserError {
        UserError {
            code: self.code(),
            message: self.user_message(),
            job: self.job(),
        }
    }
}

/// What crosses a boundary: a code to branch on and a message for a person.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Serialize, Deserialize, thiserror::Error)]
#[ts(export)]
#[error("{message}")]
pub struct UserError {
    /// Stable machine-readable code.
    pub code: ErrorCode,
    /// Plain words: what is wrong, where, and what to do next.
    pub message: String,
    /// The job it points at: the running twin of a 409, the earlier job of "collected before".
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional, type = "number")]
    pub job: Option<i64>,
}

/// Any module error becomes a `UserError` with `?`.
impl<E: Coded> From<E> for UserError {
    fn from(error: E) -> Self {
        error.to_user_error()
    }
}

impl UserError {
    /// Builds a user error from a code and a message.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
            job: None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_round_trips_through_its_stored_text() {
        for code in [
            ErrorCode::KeyMissing,
            ErrorCode::Uncertain,
            ErrorCode::QuoteSpent,
            ErrorCode::Declined,
            ErrorCode::Internal,
        ] {
            assert_eq!(ErrorCode::parse(code.as_str()), Some(code));
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
        assert_eq!(ErrorCode::parse("Nonsense"), None);
    }

    #[test]
    fn user_error_serialises_as_code_and_message() {
        let error = UserError::new(
            ErrorCode::InsufficientCredits,
            "Add credits, then press Retry.",
        );
        let json = serde_json::to_value(&error).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"code": "InsufficientCredits", "message": "Add credits, then press Retry."})
        );
    }
}
