//! The job state machine's vocabulary: states, kinds, modes.

use serde::{Deserialize, Serialize};

/// Where a job stands. Stored as snake_case text; never rename a value.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
    /// A batch of a collection, confirmed and paid for by its collection's quote, waiting its turn;
    /// never sent yet.
    Queued,
    /// The row exists; the POST is being sent.
    Submitting,
    /// The service accepted the request; it is being prepared. Polled.
    Processing,
    /// The service listed the result files; they are waiting to be fetched.
    Ready,
    /// Files are being fetched.
    Downloading,
    /// Every file is fetched, checked and in place.
    Downloaded,
    /// Nothing matched (no credits spent).
    NoResults,
    /// The query matched over 10,000 profiles and had no limit.
    TooManyMatches,
    /// The account lacks credits; polling again after a top-up can succeed.
    InsufficientCredits,
    /// The request is older than 30 days; the service no longer has its files.
    Expired,
    /// The POST may or may not have reached the service; the user decides.
    Uncertain,
    /// Something failed; the reason says what.
    Failed,
    /// The user stopped it.
    Cancelled,
    /// A collection: an ID list sent as several batches (child jobs). Its own row never moves;
    /// what a person sees is worked out from its batches ([`collection_state`]).
    Collection,
}

impl JobState {
    /// Every state, for parsing and listings.
    pub const ALL: [JobState; 14] = [
        JobState::Queued,
        JobState::Submitting,
        JobState::Processing,
        JobState::Ready,
        JobState::Downloading,
        JobState::Downloaded,
        JobState::NoResults,
        JobState::TooManyMatches,
        JobState::InsufficientCredits,
        JobState::Expired,
        JobState::Uncertain,
        JobState::Failed,
        JobState::Cancelled,
        JobState::Collection,
    ];

    /// States of a batch that the app still works through for its collection (sending, waiting
    /// for the service, downloading); every other state is where a batch stops.
    pub const UNDER_WAY: [JobState; 5] = [
        JobState::Queued,
        JobState::Submitting,
        JobState::Processing,
        JobState::Ready,
        JobState::Downloading,
    ];

    /// States the scheduler works on by itself.
    pub const ACTIVE: [JobState; 3] =
        [JobState::Processing, JobState::Ready, JobState::Downloading];

    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            JobState::Queued => "queued",
            JobState::Submitting => "submitting",
            JobState::Processing => "processing",
            JobState::Ready => "ready",
            JobState::Downloading => "downloading",
            JobState::Downloaded => "downloaded",
            JobState::NoResults => "no_results",
            JobState::TooManyMatches => "too_many_matches",
            JobState::InsufficientCredits => "insufficient_credits",
            JobState::Expired => "expired",
            JobState::Uncertain => "uncertain",
            JobState::Failed => "failed",
            JobState::Cancelled => "cancelled",
            JobState::Collection => "collection",
        }
    }

    /// The state's badge on the Collections screen, in the same words (`STATE_INFO` in
    /// `ui/src/lib/jobs.ts`): "Not enough credits", never the stored `insufficient_credits`.
    pub fn label(self) -> &'static str {
        match self {
            JobState::Queued => "Waiting its turn",
            JobState::Submitting => "Sending",
            JobState::Processing => "Processing",
            JobState::Ready => "Ready to download",
            JobState::Downloading => "Downloading",
            JobState::Downloaded => "Downloaded",
            JobState::NoResults => "No results",
            JobState::TooManyMatches => "Too many matches",
            JobState::InsufficientCredits => "Not enough credits",
            JobState::Expired => "Expired",
            JobState::Uncertain => "Needs checking",
            JobState::Failed => "Failed",
            JobState::Cancelled => "Cancelled",
            JobState::Collection => "In batches",
        }
    }

    /// Parses the stored text.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|state| state.as_str() == text)
    }

    /// True while the scheduler still has work to do on its own.
    pub fn is_active(self) -> bool {
        Self::ACTIVE.contains(&self)
    }

    /// True while a batch in this state still has work under way for its collection.
    pub fn is_under_way(self) -> bool {
        Self::UNDER_WAY.contains(&self)
    }

    /// True once the service has answered for good (files listed or a final answer); polling is over.
    pub fn is_settled(self) -> bool {
        !matches!(
            self,
            JobState::Queued | JobState::Submitting | JobState::Processing
        )
    }

    /// One plain sentence saying what the state means.
    pub fn describe(self) -> &'static str {
        match self {
            JobState::Queued => "Waiting for its turn: this batch is sent when an earlier one is done.",
            JobState::Submitting => "Sending it to Coresignal.",
            JobState::Processing => "Coresignal is preparing the files.",
            JobState::Ready => "The files are ready to download.",
            JobState::Downloading => "Downloading the files.",
            JobState::Downloaded => "All files are downloaded and checked.",
            JobState::NoResults => "No profiles matched. No credits were spent.",
            JobState::TooManyMatches => "The search matched more than 10,000 profiles. Add a limit (at most 10,000) or narrow the search, then submit it again.",
            JobState::InsufficientCredits => "Your Coresignal account does not have enough credits for this collection. Add credits, then press Retry.",
            JobState::Expired => "Coresignal keeps files for 30 days and this collection is older. Files already downloaded stay on this computer.",
            JobState::Uncertain => "We could not confirm Coresignal received this collection.",
            JobState::Failed => "The collection stopped before it finished.",
            JobState::Cancelled => "You cancelled this collection.",
            JobState::Collection => "Sent in batches.",
        }
    }
}

/// Whether the job table allows a move from `from` to `to`. Every writer of a job's state goes
/// through [`crate::store::Store::move_state`], which refuses any move this table does not allow, so
/// a late answer (a poll saying "ready" after a Cancel) cannot undo a decision.
pub fn can_move(from: JobState, to: JobState) -> bool {
    use JobState::*;
    match from {
        // Its turn came (the move is the claim to send it: made once), or the person cancelled.
        Queued => matches!(to, Submitting | Cancelled),
        Submitting => matches!(to, Processing | Uncertain | Failed),
        // Uncertain again: the request id a person attached is not known to the service.
        Processing => matches!(
            to,
            Ready
                | NoResults
                | TooManyMatches
                | InsufficientCredits
                | Expired
                | Failed
                | Cancelled
                | Uncertain
        ),
        Ready => matches!(to, Downloading | Expired | Failed | Cancelled),
        Downloading => matches!(to, Downloaded | Ready | Failed | Expired | Cancelled),
        // Downloaded again, into the same folder (the CLI's `download` asked again).
        Downloaded => matches!(to, Downloading),
        InsufficientCredits => matches!(to, Processing | Cancelled),
        // "I found it" attaches a request id; "Send again" cancels it in favour of a new job.
        Uncertain => matches!(to, Processing | Cancelled),
        // Retry: resume the files, or ask the service again when no file was listed; a batch the
        // service refused (nothing was created) waits its turn again (the store checks that).
        // Downloading: the command line's `download` goes on with the files the service listed
        // (the store checks that it listed some).
        Failed => matches!(to, Ready | Processing | Queued | Cancelled | Downloading),
        // Uncertain: only when the "send again" that cancelled it was refused (the store checks
        // that the job was cancelled by exactly that send and still has no request id).
        // Processing: only when Coresignal's request id arrived after the job was cancelled while
        // uncertain (a late answer to its POST, the journal): the request is paid, so a person may
        // still download it (the store checks that in the same move).
        Cancelled => matches!(to, Uncertain | Processing),
        NoResults | TooManyMatches | Expired | Collection => false,
    }
}

/// The states a job can reach `to` from: the `WHERE state IN (…)` of a guarded move.
pub fn sources_of(to: JobState) -> Vec<JobState> {
    JobState::ALL
        .into_iter()
        .filter(|from| can_move(*from, to))
        .collect()
}

/// What a person can do with a job now. Sent with every job, so that no front end re-derives it.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum JobAction {
    /// Stop polling and downloading.
    Cancel,
    /// Ask again after a top-up, ask again after a failure, or resume the downloads.
    Retry,
    /// Attach a request id found on the Coresignal dashboard (an uncertain job).
    Attach,
    /// Make a new quote for the same request (an uncertain job); the first may have been charged.
    SendAgain,
    /// Open the folder the files went to.
    OpenFolder,
    /// Download a request Coresignal received after the job was cancelled while uncertain: it is
    /// already paid ("Coresignal did receive this request (already paid): Download it").
    DownloadPaid,
    /// Collect the same search or list again, buying only who is new or changed since (a
    /// finished job of its own, or a finished collection).
    Update,
}

impl JobAction {
    /// What a job in `state` allows. `has_request_id`: the service accepted it; `has_files`: it
    /// listed result files; `batch`: `None` for a job of its own, else whether this batch of a
    /// collection may wait its turn again (the service refused it and created nothing). A batch
    /// is never "sent again" as a job of its own: it would leave its collection. `paid_after_cancel`:
    /// a cancelled job whose request id arrived after it was cancelled while uncertain (see
    /// [`crate::store::Store::paid_after_cancel`]).
    pub fn allowed(
        state: JobState,
        has_request_id: bool,
        has_files: bool,
        batch: Option<bool>,
        paid_after_cancel: bool,
    ) -> Vec<JobAction> {
        let mut actions = Vec::new();
        if state == JobState::Cancelled && has_request_id && paid_after_cancel {
            actions.push(JobAction::DownloadPaid);
        }
        if can_move(state, JobState::Cancelled) {
            actions.push(JobAction::Cancel);
        }
        let retry = match state {
            JobState::InsufficientCredits => true,
            JobState::Failed => has_request_id || batch == Some(true),
            _ => false,
        };
        if retry {
            actions.push(JobAction::Retry);
        }
        if state == JobState::Uncertain && !has_request_id {
            actions.push(JobAction::Attach);
            if batch.is_none() {
                actions.push(JobAction::SendAgain);
            }
        }
        if has_files
            && matches!(
                state,
                JobState::Downloading | JobState::Downloaded | JobState::Failed
            )
        {
            actions.push(JobAction::OpenFolder);
        }
        if state == JobState::Downloaded && batch.is_none() {
            actions.push(JobAction::Update);
        }
        actions
    }
}

/// What a job asks for.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum JobKind {
    /// An Elasticsearch DSL query.
    EsDsl,
    /// A file of employee IDs.
    IdFile,
}

impl JobKind {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            JobKind::EsDsl => "es_dsl",
            JobKind::IdFile => "id_file",
        }
    }

    /// Parses the stored text.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "es_dsl" => Some(JobKind::EsDsl),
            "id_file" => Some(JobKind::IdFile),
            _ => None,
        }
    }
}

/// Live (a real key, real credits) or Practice (the built-in simulator). Histories are kept apart.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Mode {
    /// The real service with the user's key.
    Live,
    /// The simulator on this computer: no credits spent, synthetic data.
    Practice,
}

impl Mode {
    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
            Mode::Live => "live",
            Mode::Practice => "practice",
        }
    }

    /// The mode for a service address: the simulator on this computer (loopback) is Practice,
    /// anything else is Live.
    pub fn for_api_base(base: &str) -> Self {
        let loopback = url::Url::parse(base)
            .ok()
            .is_some_and(|url| crate::api::is_loopback(&url));
        if loopback {
            Mode::Practice
        } else {
            Mode::Live
        }
    }

    /// Parses the stored text.
    pub fn parse(text: &str) -> Option<Self> {
        match text {
            "live" => Some(Mode::Live),
            "practice" => Some(Mode::Practice),
            _ => None,
        }
    }
}

#[cfg(test)]
#[path = "state_tests.rs"]
mod tests;
