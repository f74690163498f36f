//! Errors of the jobs engine: its own, and those of the modules it drives.

use std::time::Duration;

use crate::api::{ApiError, SubmitError};
use crate::download::DownloadError;
use crate::error::{Coded, ErrorCode};
use crate::ids::IdFileError;
use crate::query::QueryError;
use crate::store::StoreError;

use super::JobState;

/// What can go wrong running jobs.
#[derive(Debug, thiserror::Error)]
pub enum EngineError {
    /// The local database.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A call to the service.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// A submission that the service refused.
    #[error(transparent)]
    Submit(SubmitError),
    /// The query is not usable.
    #[error(transparent)]
    Query(#[from] QueryError),
    /// The ID list is not usable.
    #[error(transparent)]
    Ids(#[from] IdFileError),
    /// A file could not be downloaded.
    #[error(transparent)]
    Download(#[from] DownloadError),
    /// A parameter is not acceptable.
    #[error("{0}")]
    InvalidInput(String),
    /// The action does not fit where the job stands.
    #[error("Job {job} is {state}: {action} is not possible now.", state = state.as_str())]
    InvalidState {
        /// The job.
        job: i64,
        /// Its state.
        state: JobState,
        /// What was asked.
        action: &'static str,
    },
    /// 409: the same ES DSL request is already running at the service.
    #[error("An identical request is already running at Coresignal{}. Wait for it to finish instead of sending it again.", existing_job.map(|job| format!(" (job {job} in your history)")).unwrap_or_default())]
    DuplicateInProgress {
        /// The job in the local history with the same request, if any.
        existing_job: Option<i64>,
        /// The job created for this attempt (now failed).
        job: i64,
    },
    /// The POST may or may not have reached the service; the job is `uncertain`.
    #[error("Job {job}: {reason} It was not sent again, so you are not charged twice. Check your Coresignal account before submitting it again.")]
    Uncertain {
        /// The job, now `uncertain`.
        job: i64,
        /// What happened.
        reason: String,
    },
    /// The job did not settle within the time given.
    #[error("Job {job} is still {state} after {secs} seconds. It keeps going; check again later.", state = state.as_str(), secs = waited.as_secs())]
    Timeout {
        /// The job.
        job: i64,
        /// Where it stands.
        state: JobState,
        /// How long we waited.
        waited: Duration,
    },
    /// The job ended in a state that is not a success (no results, expired, …).
    #[error("Job {job}: {message}")]
    Ended {
        /// The job.
        job: i64,
        /// Where it ended.
        state: JobState,
        /// Why, in plain words.
        message: String,
    },
}

impl Coded for EngineError {
    fn code(&self) -> ErrorCode {
        match self {
            EngineError::Store(error) => error.code(),
            EngineError::Api(error) => error.code(),
            EngineError::Submit(error) => error.code(),
            EngineError::Query(error) => error.code(),
            EngineError::Ids(error) => error.code(),
            EngineError::Download(error) => error.code(),
            EngineError::InvalidInput(_) => ErrorCode::InvalidInput,
            EngineError::InvalidState { .. } => ErrorCode::InvalidState,
            EngineError::DuplicateInProgress { .. } => ErrorCode::DuplicateInProgress,
            EngineError::Uncertain { .. } => ErrorCode::Uncertain,
            EngineError::Timeout { .. } => ErrorCode::TimedOut,
            EngineError::Ended { state, .. } => match state {
                JobState::NoResults => ErrorCode::NoResults,
                JobState::TooManyMatches => ErrorCode::TooManyMatches,
                JobState::InsufficientCredits => ErrorCode::InsufficientCredits,
                JobState::Expired => ErrorCode::Expired,
                JobState::Cancelled => ErrorCode::Cancelled,
                JobState::Uncertain => ErrorCode::Uncertain,
                _ => ErrorCode::Server,
            },
        }
    }

    fn user_message(&self) -> String {
        match self {
            EngineError::Store(error) => error.user_message(),
            EngineError::Api(error) => error.user_message(),
            EngineError::Submit(error) => error.user_message(),
            EngineError::Query(error) => error.user_message(),
            EngineError::Ids(error) => error.user_message(),
            EngineError::Download(error) => error.user_message(),
            other => other.to_string(),
        }
    }
}
