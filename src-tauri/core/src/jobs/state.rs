//! The job state machine's vocabulary: states, kinds, modes.

use serde::{Deserialize, Serialize};

/// Where a job stands. Stored as snake_case text; never rename a value.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum JobState {
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
}

impl JobState {
    /// Every state, for parsing and listings.
    pub const ALL: [JobState; 12] = [
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
    ];

    /// States the scheduler works on by itself.
    pub const ACTIVE: [JobState; 3] =
        [JobState::Processing, JobState::Ready, JobState::Downloading];

    /// The stored text.
    pub fn as_str(self) -> &'static str {
        match self {
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

    /// True once the service has answered for good (files listed or a final answer); polling is over.
    pub fn is_settled(self) -> bool {
        !matches!(self, JobState::Submitting | JobState::Processing)
    }

    /// One plain sentence saying what the state means.
    pub fn describe(self) -> &'static str {
        match self {
            JobState::Submitting => "Sending the request to Coresignal.",
            JobState::Processing => "Coresignal is preparing the files.",
            JobState::Ready => "The files are ready to download.",
            JobState::Downloading => "Downloading the files.",
            JobState::Downloaded => "All files are downloaded and checked.",
            JobState::NoResults => "No profiles matched this request. No credits were spent.",
            JobState::TooManyMatches => "The search matched more than 10,000 profiles. Add a limit (at most 10,000) or narrow the search, then submit it again.",
            JobState::InsufficientCredits => "Your Coresignal account does not have enough credits for this request. Add credits, then press Retry.",
            JobState::Expired => "Coresignal keeps files for 30 days and this request is older. Files already downloaded stay on this computer.",
            JobState::Uncertain => "The request may or may not have reached Coresignal.",
            JobState::Failed => "The job failed.",
            JobState::Cancelled => "You cancelled this job.",
        }
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
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
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
mod tests {
    use super::*;

    #[test]
    fn every_state_round_trips_through_its_text() {
        for state in JobState::ALL {
            assert_eq!(JobState::parse(state.as_str()), Some(state));
            let json = serde_json::to_string(&state).unwrap();
            assert_eq!(json, format!("\"{}\"", state.as_str()));
        }
        assert_eq!(JobState::parse("nonsense"), None);
    }

    #[test]
    fn loopback_bases_are_practice() {
        assert_eq!(
            Mode::for_api_base("http://127.0.0.1:4000/cdapi"),
            Mode::Practice
        );
        assert_eq!(
            Mode::for_api_base("http://localhost:4000/cdapi"),
            Mode::Practice
        );
        assert_eq!(
            Mode::for_api_base("http://[::1]:4000/cdapi"),
            Mode::Practice
        );
        assert_eq!(
            Mode::for_api_base("https://api.coresignal.com/cdapi"),
            Mode::Live
        );
        assert_eq!(Mode::for_api_base("not a url"), Mode::Live);
    }

    #[test]
    fn only_processing_ready_and_downloading_are_active() {
        let active: Vec<_> = JobState::ALL
            .into_iter()
            .filter(|s| s.is_active())
            .collect();
        assert_eq!(active, JobState::ACTIVE.to_vec());
    }
}
