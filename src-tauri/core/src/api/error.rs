//! What can go wrong talking to Coresignal. Every variant that comes from an answer keeps the HTTP status
//! and the server's `detail`, for the audit log. The API key never appears in any of them.

use std::time::Duration;

use super::config::DEFAULT_BASE_URL;
use crate::error::{Coded, ErrorCode};

/// The most files one request's list may name: a request delivers at most 10,000 profiles, so
/// even one file per profile stays within it.
pub const MAX_FILES_PER_REQUEST: usize = 10_000;

/// A definite failure of one call (the service answered, or the network failed for good).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The configured API address is refused.
    #[error("the API address {url:?} is not allowed: {reason}")]
    InvalidBaseUrl {
        /// The address as configured.
        url: String,
        /// Why it is refused.
        reason: String,
    },
    /// The manual proxy setting is not usable.
    #[error("the proxy setting is not usable: {reason}")]
    InvalidProxy {
        /// Why.
        reason: String,
    },
    /// The HTTP client could not be built (TLS set-up).
    #[error("the HTTP client could not start: {reason}")]
    ClientSetup {
        /// Why.
        reason: String,
    },
    /// The key holds characters an HTTP header cannot carry (a bad paste).
    #[error("the API key contains characters that cannot be sent")]
    InvalidKey,
    /// 401 (or 403): the key is missing or rejected.
    #[error(
        "the service rejected the API key (HTTP {status}){}",
        detail_suffix(detail)
    )]
    KeyRejected {
        /// 401 or 403.
        status: u16,
        /// The server's detail.
        detail: Option<String>,
    },
    /// 402: the account lacks credits.
    #[error("insufficient credits (HTTP 402){}", detail_suffix(detail))]
    InsufficientCredits {
        /// The server's detail.
        detail: Option<String>,
    },
    /// 409: an identical ES DSL request is already in progress.
    #[error(
        "an identical request is already in progress (HTTP 409){}",
        detail_suffix(detail)
    )]
    DuplicateInProgress {
        /// The server's detail.
        detail: Option<String>,
    },
    /// 400 "File contains too many IDs".
    #[error("the ID file has too many IDs (HTTP 400){}", detail_suffix(detail))]
    TooManyIds {
        /// The server's detail.
        detail: Option<String>,
    },
    /// 422 "Request matched too many IDs".
    #[error(
        "the query matched too many profiles (HTTP 422){}",
        detail_suffix(detail)
    )]
    TooManyMatches {
        /// The server's detail.
        detail: Option<String>,
    },
    /// The file list of a ready request is longer than any request can need
    /// ([`MAX_FILES_PER_REQUEST`]): refused, nothing is downloaded.
    #[error("the service listed {count} files for one request (at most {MAX_FILES_PER_REQUEST} are accepted)")]
    TooManyFiles {
        /// How many files the list names.
        count: usize,
    },
    /// 404/422 "no matching IDs".
    #[error("nothing matched (HTTP {status}){}", detail_suffix(detail))]
    NoResults {
        /// 404 or 422.
        status: u16,
        /// The server's detail.
        detail: Option<String>,
    },
    /// 404 on a request's files: the request is older than 30 days or unknown.
    #[error("not found or expired (HTTP 404){}", detail_suffix(detail))]
    Expired {
        /// The server's detail.
        detail: Option<String>,
    },
    /// 404 elsewhere: most likely a wrong API address.
    #[error("not found (HTTP 404){}", detail_suffix(detail))]
    NotFound {
        /// The server's detail.
        detail: Option<String>,
    },
    /// 400/422 other than the known texts: the request itself is not acceptable.
    #[error(
        "the service refused the request (HTTP {status}){}",
        detail_suffix(detail)
    )]
    BadRequest {
        /// 400 or 422.
        status: u16,
        /// The server's detail.
        detail: Option<String>,
    },
    /// 416: the resume point is past the end of the file.
    #[error("the service cannot resume the file from that point (HTTP 416)")]
    RangeNotSatisfiable,
    /// 429, still, after every allowed wait.
    #[error(
        "the service kept answering 'too many requests' (HTTP 429){}",
        detail_suffix(detail)
    )]
    RateLimited {
        /// The server's detail.
        detail: Option<String>,
        /// How long the service asked to wait (`Retry-After` of the last 429), uncapped. The shared
        /// limiter pauses at most [`super::RetryPolicy::max_delay`]; a caller can put the work off
        /// until this much time has passed (see [`ApiError::retry_after`]).
        retry_after: Option<Duration>,
    },
    /// 5xx, still, after every allowed retry.
    #[error("the service failed (HTTP {status}){}", detail_suffix(detail))]
    Server {
        /// The 5xx status.
        status: u16,
        /// The server's detail.
        detail: Option<String>,
    },
    /// An answer the contract does not describe.
    #[error(
        "unexpected answer from the service (HTTP {status}){}",
        detail_suffix(detail)
    )]
    Unexpected {
        /// The status.
        status: u16,
        /// The server's detail, or what was wrong with the answer.
        detail: Option<String>,
    },
    /// No answer: DNS, connection, TLS, timeout, or the connection broke.
    #[error("network problem: {reason}")]
    Network {
        /// What failed, in words.
        reason: String,
        /// Whether it was a timeout.
        timed_out: bool,
    },
}

fn detail_suffix(detail: &Option<String>) -> String {
    detail
        .as_deref()
        .map(|d| format!(": {d}"))
        .unwrap_or_default()
}

/// `90 s` → "2 minutes", `3 h` → "3 hours" (rounded up: never sooner than asked).
fn plain_duration(wait: Duration) -> String {
    let minutes = wait.as_secs().div_ceil(60);
    match minutes {
        0..=1 => "1 minute".to_owned(),
        2..=119 => format!("{minutes} minutes"),
        _ => format!("{} hours", minutes.div_ceil(60)),
    }
}

impl ApiError {
    /// The HTTP status of the answer behind this error, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::KeyRejected { status, .. }
            | Self::NoResults { status, .. }
            | Self::BadRequest { status, .. }
            | Self::Server { status, .. }
            | Self::Unexpected { status, .. } => Some(*status),
            Self::InsufficientCredits { .. } => Some(402),
            Self::DuplicateInProgress { .. } => Some(409),
            Self::TooManyIds { .. } => Some(400),
            Self::TooManyMatches { .. } => Some(422),
            Self::TooManyFiles { .. } => Some(200),
            Self::Expired { .. } | Self::NotFound { .. } => Some(404),
            Self::RangeNotSatisfiable => Some(416),
            Self::RateLimited { .. } => Some(429),
            Self::InvalidBaseUrl { .. }
            | Self::InvalidKey
            | Self::InvalidProxy { .. }
            | Self::ClientSetup { .. }
            | Self::Network { .. } => None,
        }
    }

    /// The server's `detail` text, if it gave one.
    pub fn detail(&self) -> Option<&str> {
        match self {
            Self::KeyRejected { detail, .. }
            | Self::InsufficientCredits { detail }
            | Self::DuplicateInProgress { detail }
            | Self::TooManyIds { detail }
            | Self::TooManyMatches { detail }
            | Self::NoResults { detail, .. }
            | Self::Expired { detail }
            | Self::NotFound { detail }
            | Self::BadRequest { detail, .. }
            | Self::RateLimited { detail, .. }
            | Self::Server { detail, .. }
            | Self::Unexpected { detail, .. } => detail.as_deref(),
            _ => None,
        }
    }

    /// For a 429 that outlasted every allowed wait: how long the service asked to wait
    /// (`Retry-After`), uncapped, if it said. Reschedule the work for then rather than sooner.
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::RateLimited { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether the service could not be reached at all (refused, broken or timed-out connection):
    /// for a request it already accepted, a reason to wait, never to fail.
    pub fn is_unreachable(&self) -> bool {
        matches!(self, Self::Network { .. })
    }

    /// Whether trying the same call again later can help (network, 5xx, 429).
    pub fn is_transient(&self) -> bool {
        matches!(
            self,
            Self::Network { .. } | Self::Server { .. } | Self::RateLimited { .. }
        )
    }

    fn server_says(&self) -> String {
        self.detail()
            .map(|d| format!(" The service said: \"{d}\"."))
            .unwrap_or_default()
    }
}

impl Coded for ApiError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::InvalidBaseUrl { .. } | Self::InvalidProxy { .. } => ErrorCode::InvalidInput,
            Self::ClientSetup { .. } => ErrorCode::Internal,
            Self::InvalidKey | Self::KeyRejected { .. } => ErrorCode::KeyRejected,
            Self::InsufficientCredits { .. } => ErrorCode::InsufficientCredits,
            Self::DuplicateInProgress { .. } => ErrorCode::DuplicateInProgress,
            Self::TooManyIds { .. } => ErrorCode::TooManyIds,
            Self::TooManyMatches { .. } => ErrorCode::TooManyMatches,
            Self::TooManyFiles { .. } => ErrorCode::Download,
            Self::NoResults { .. } => ErrorCode::NoResults,
            Self::Expired { .. } => ErrorCode::Expired,
            Self::NotFound { .. } => ErrorCode::NotFound,
            Self::BadRequest { .. } => ErrorCode::InvalidInput,
            Self::RangeNotSatisfiable => ErrorCode::Download,
            Self::RateLimited { .. } => ErrorCode::RateLimited,
            Self::Server { .. } | Self::Unexpected { .. } => ErrorCode::Server,
            Self::Network { .. } => ErrorCode::Network,
        }
    }

    fn user_message(&self) -> String {
        let said = self.server_says();
        match self {
            Self::InvalidBaseUrl { url, reason } => format!(
                "The API address \"{url}\" cannot be used: {reason}. Fix it in Settings (the usual one is {}).",
                DEFAULT_BASE_URL
            ),
            Self::InvalidProxy { reason } => format!(
                "The proxy in Settings cannot be used ({reason}). Enter it like http://proxy.example.com:8080, or clear it to use the system proxy."
            ),
            Self::ClientSetup { reason } => format!(
                "Bulk Collect could not prepare its secure connection ({reason}). Restart the app; if it happens again, report it."
            ),
            Self::InvalidKey => "The API key contains characters that cannot be sent (such as a line break or a non-Latin letter). Paste it again in Settings, copying it from the Coresignal dashboard.".to_owned(),
            Self::KeyRejected { .. } => format!(
                "Coresignal did not accept your API key.{said} Check the key in Settings (copy it again from the Coresignal dashboard), then retry."
            ),
            Self::InsufficientCredits { .. } => format!(
                "Your Coresignal account does not have enough credits.{said} Top up your credits, then press Retry."
            ),
            Self::DuplicateInProgress { .. } => format!(
                "Coresignal is still preparing the first one.{said} Wait for it to finish instead of sending it again."
            ),
            Self::TooManyIds { .. } => format!(
                "The ID list has more than 10,000 IDs.{said} Split it into files of at most 10,000 IDs."
            ),
            Self::TooManyMatches { .. } => format!(
                "The query matched more than 10,000 profiles.{said} Add a limit (at most 10,000) or narrow the query, then submit again."
            ),
            Self::TooManyFiles { count } => format!(
                "Coresignal listed {count} files for this one delivery. A delivery holds at most 10,000 profiles, so Bulk Collect refuses a list of more than 10,000 files and downloads none of them. Report this to Coresignal's support."
            ),
            Self::NoResults { .. } => format!(
                "No profiles matched, so nothing was charged.{said} Try a broader search."
            ),
            Self::Expired { .. } => format!(
                "Coresignal no longer has these files (it keeps them for 30 days) or does not know this collection.{said} Files already downloaded stay on your computer; collect it again to get fresh data."
            ),
            Self::NotFound { .. } => format!(
                "Coresignal answered \"not found\".{said} Check the API address in Settings."
            ),
            Self::BadRequest { .. } => format!(
                "Coresignal refused what was sent.{said} Check the search or the ID list, then try again."
            ),
            Self::RangeNotSatisfiable => "The download could not be resumed from where it stopped. Retry: it will start the file over.".to_owned(),
            Self::RateLimited { retry_after, .. } => match retry_after {
                Some(wait) if *wait > Duration::from_secs(60) => format!(
                    "Coresignal is limiting how fast the app may ask it and asked to wait {}.{said} Bulk Collect tries again after that; you can also retry then.",
                    plain_duration(*wait)
                ),
                _ => format!(
                    "Coresignal is limiting how fast the app may ask it.{said} Wait a minute and retry, or lower the requests-per-second setting."
                ),
            },
            Self::Server { .. } => format!(
                "Coresignal had a problem on its side.{said} Try again in a few minutes."
            ),
            Self::Unexpected { .. } => format!(
                "Coresignal gave an answer Bulk Collect does not understand.{said} Try again later; if it persists, report it."
            ),
            Self::Network { reason, .. } => format!(
                "Could not reach Coresignal ({reason}). Check your internet connection and proxy settings, then retry."
            ),
        }
    }
}

/// Why a submission (POST) did not give a request id.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SubmitError {
    /// The service definitely did not create a request (or the call was refused before sending).
    #[error(transparent)]
    Rejected(#[from] ApiError),
    /// The POST may or may not have created a request (and spent credits); it is not re-sent.
    #[error("the submission may or may not have reached Coresignal: {reason}")]
    Uncertain {
        /// What happened, in plain words.
        reason: String,
        /// The HTTP status, if an answer came (500, 502, 504, or a 2xx whose body was lost).
        status: Option<u16>,
    },
    /// Not sent: the sender's gate closed right before (it no longer holds the job's submission
    /// lease: another process took the job over). Nothing was created.
    #[error("the submission was not sent: another Bulk Collect took the job over")]
    Withheld,
}

impl SubmitError {
    /// How long the service asked to wait before sending again (see [`ApiError::retry_after`]).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            Self::Rejected(error) => error.retry_after(),
            Self::Uncertain { .. } | Self::Withheld => None,
        }
    }

    /// The HTTP status of the answer behind this error, if there was one.
    pub fn status(&self) -> Option<u16> {
        match self {
            Self::Rejected(error) => error.status(),
            Self::Uncertain { status, .. } => *status,
            Self::Withheld => None,
        }
    }
}

impl Coded for SubmitError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Rejected(error) => error.code(),
            Self::Uncertain { .. } => ErrorCode::Uncertain,
            Self::Withheld => ErrorCode::Busy,
        }
    }

    fn user_message(&self) -> String {
        match self {
            Self::Rejected(error) => error.user_message(),
            Self::Uncertain { reason, .. } => format!(
                "We cannot tell whether Coresignal received this collection: {reason} It was not sent again, because a second copy could spend credits twice. Check your Coresignal dashboard: if it is there, wait for it; if not, send it again."
            ),
            Self::Withheld => "Another Bulk Collect (the app or the command line) took over sending this collection; this one did not send it. Nothing needs doing: the other one carries on.".to_owned(),
        }
    }
}

/// A transport failure in plain words.
pub(crate) fn network_error(error: &reqwest::Error) -> ApiError {
    let what = if error.is_timeout() {
        "the service took too long to answer"
    } else if error.is_connect() {
        "could not connect to the service"
    } else {
        "the connection broke"
    };
    ApiError::Network {
        reason: format!("{what}: {}", root_cause(error)),
        timed_out: error.is_timeout(),
    }
}

/// The innermost cause (e.g. "Connection refused (os error 111)"), without reqwest's URL wrapper.
pub(crate) fn root_cause(error: &reqwest::Error) -> String {
    let mut cause: &dyn std::error::Error = error;
    while let Some(source) = cause.source() {
        cause = source;
    }
    cause.to_string()
}

#[cfg(test)]
#[path = "error_tests.rs"]
mod tests;
