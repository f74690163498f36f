//! Errors of the jobs engine: its own, and those of the modules it drives.

use std::time::Duration;

use crate::api::{ApiError, SubmitError};
use crate::download::DownloadError;
use crate::error::{Coded, ErrorCode};
use crate::export::ExportError;
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
    /// An export could not be made.
    #[error(transparent)]
    Export(#[from] ExportError),
    /// The people library could not be read or written.
    #[error(transparent)]
    Library(#[from] crate::library::LibraryError),
    /// Exporting needs every file of the job downloaded.
    #[error("This collection is not downloaded yet (it shows \"{}\"). Download its files first, then export.", state.label())]
    NotDownloaded {
        /// The job.
        job: i64,
        /// Where it stands.
        state: JobState,
    },
    /// A parameter is not acceptable.
    #[error("{0}")]
    InvalidInput(String),
    /// A collection that has not finished cannot be deleted; `reason` says why and what to do.
    #[error("{reason}")]
    NotDeletable {
        /// The job.
        job: i64,
        /// Plain words: why not, and what to do.
        reason: String,
    },
    /// The action does not fit where the job stands.
    #[error("Not possible now: {action}, while this collection shows \"{}\".", state.label())]
    InvalidState {
        /// The job.
        job: i64,
        /// Its state.
        state: JobState,
        /// What was asked.
        action: &'static str,
    },
    /// 409: the same ES DSL request is already running at the service.
    #[error("Coresignal is still preparing the first one{}. Wait for it to finish instead of sending it again.", existing_name.as_ref().map(|name| format!(" ({name} in Collections)")).unwrap_or_default())]
    DuplicateInProgress {
        /// The job in the local history with the same request, if any.
        existing_job: Option<i64>,
        /// That job as the Collections screen names it ([`super::collection_named`]).
        existing_name: Option<String>,
        /// The job created for this attempt (now failed).
        job: i64,
    },
    /// The POST may or may not have reached the service; the job is `uncertain`.
    #[error("No clear answer came back: {reason} It was not sent again, so you are not charged twice. Check your Coresignal account before sending it again.")]
    Uncertain {
        /// The job, now `uncertain`.
        job: i64,
        /// What happened.
        reason: String,
    },
    /// The quote was spent already: nothing was sent again.
    #[error("This price was already used to send a collection{}. Nothing was sent again, so nothing was charged twice.", job.map(|job| format!(" (Collection {job})")).unwrap_or_default())]
    QuoteSpent {
        /// The job the quote made.
        job: Option<i64>,
    },
    /// The quote's time ran out.
    #[error("The price shown is more than 5 minutes old. Check the cost again, then confirm.")]
    QuoteExpired,
    /// The quote's data was collected before; `again` was not given.
    #[error("You already collected this data in the last 30 days ({name}). Open that collection, or confirm \"collect again\" to pay for it again.")]
    CollectedBefore {
        /// The newest earlier job with the same data.
        job: i64,
        /// That job as the Collections screen names it ([`super::collection_named`]).
        name: String,
    },
    /// The uncertain job a quote sends again was found meanwhile: sending it again would pay twice.
    #[error("The collection you are sending again was found meanwhile (it no longer needs checking), so it was not sent again. Nothing was charged.")]
    ReplacedMoved {
        /// The job.
        job: i64,
    },
    /// Another process holds the job.
    #[error("This collection is being worked on by {holder}. Wait for it to finish, or close it and try again.")]
    Busy {
        /// The job.
        job: i64,
        /// Who holds it, in plain words.
        holder: String,
    },
    /// The service created the request, but this computer could not record its id anywhere.
    #[error("Coresignal received this collection (its id there is {request_id}), but the app could not save that ({reason}). Do not send it again: write down that id; free some disk space, then use \"I found it\" on this collection with that id.")]
    Unrecorded {
        /// The job.
        job: i64,
        /// The request id the service gave.
        request_id: String,
        /// Why it could not be written.
        reason: String,
    },
    /// The quote costs more than the limit per request, and the second confirmation naming its
    /// credits was not given (or named another figure).
    #[error("This collection costs {credits} credits, above your limit of {cap} per request. Confirm again to go ahead.", credits = super::group(*credits), cap = super::group(*cap))]
    OverCap {
        /// What the quote costs.
        credits: u64,
        /// The limit per request.
        cap: u64,
    },
    /// The known balance cannot pay the quote: nothing was sent.
    #[error("{} Nothing was sent: top up your Coresignal account ({}), then check the cost again.", shortfall.message, shortfall.top_up_url)]
    NotEnoughCredits {
        /// The figures and where to top up.
        shortfall: crate::money::Shortfall,
    },
    /// A Live quote was confirmed without a person's yes given outside the webview
    /// ([`crate::consent`]).
    #[error("{0}")]
    NotConfirmed(#[from] crate::consent::ConsentError),
    /// A preview that costs credits was asked for without a person's yes to that cost, given
    /// outside the webview ([`crate::consent`]).
    #[error(
        "{question} Nothing was spent: say yes in the app's own confirmation window to go ahead."
    )]
    PreviewNotConfirmed {
        /// The cost in plain words ("See 20 sample people: costs 10 credits.").
        question: String,
    },
    /// The job did not settle within the time given.
    #[error("Collection {job} still shows \"{}\" after {secs} seconds. It keeps going; check again later.", state.label(), secs = waited.as_secs())]
    Timeout {
        /// The job.
        job: i64,
        /// Where it stands.
        state: JobState,
        /// How long we waited.
        waited: Duration,
    },
    /// The job ended in a state that is not a success (no results, expired, …).
    #[error("Collection {job}: {message}")]
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
            EngineError::Export(error) => error.code(),
            EngineError::Library(error) => error.code(),
            EngineError::NotDownloaded { .. } => ErrorCode::InvalidState,
            EngineError::InvalidInput(_) => ErrorCode::InvalidInput,
            EngineError::InvalidState { .. } => ErrorCode::InvalidState,
            EngineError::NotDeletable { .. } => ErrorCode::InvalidState,
            EngineError::DuplicateInProgress { .. } => ErrorCode::DuplicateInProgress,
            EngineError::Uncertain { .. } => ErrorCode::Uncertain,
            EngineError::Timeout { .. } => ErrorCode::TimedOut,
            EngineError::QuoteSpent { .. } => ErrorCode::QuoteSpent,
            EngineError::QuoteExpired => ErrorCode::QuoteExpired,
            EngineError::CollectedBefore { .. } => ErrorCode::CollectedBefore,
            EngineError::Busy { .. } => ErrorCode::Busy,
            EngineError::OverCap { .. } => ErrorCode::OverCap,
            EngineError::NotEnoughCredits { .. } => ErrorCode::InsufficientCredits,
            EngineError::NotConfirmed(_) => ErrorCode::ConfirmationNeeded,
            EngineError::PreviewNotConfirmed { .. } => ErrorCode::ConfirmationNeeded,
            EngineError::ReplacedMoved { .. } => ErrorCode::InvalidState,
            EngineError::Unrecorded { .. } => ErrorCode::Storage,
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

    fn job(&self) -> Option<i64> {
        match self {
            EngineError::DuplicateInProgress { existing_job, .. } => *existing_job,
            EngineError::QuoteSpent { job } => *job,
            EngineError::CollectedBefore { job, .. }
            | EngineError::ReplacedMoved { job }
            | EngineError::Busy { job, .. }
            | EngineError::Uncertain { job, .. }
            | EngineError::Unrecorded { job, .. }
            | EngineError::Timeout { job, .. }
            | EngineError::Ended { job, .. }
            | EngineError::NotDownloaded { job, .. } => Some(*job),
            _ => None,
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
            EngineError::Export(error) => error.user_message(),
            other => other.to_string(),
        }
    }
}
