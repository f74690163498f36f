//! The records the simulator shows: the calls of the contract, the call log and the data requests.

use super::*;

/// The most records one bulk request may deliver.
pub const MAX_RECORDS: usize = 10_000;

/// The six calls of the contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// `POST /v2/data_requests/employee_clean/es_dsl`
    SubmitEsDsl,
    /// `POST /v2/data_requests/employee_clean/id_file`
    SubmitIdFile,
    /// `GET /v2/data_requests/{id}/files`
    Files,
    /// `GET /v2/data_requests/{id}/files/{file_name}`
    Download,
    /// `POST /v2/employee_clean/search/es_dsl`
    Search,
    /// `POST /v2/employee_clean/search/es_dsl/preview`
    Preview,
}

impl Endpoint {
    /// The fault group the endpoint belongs to.
    pub fn group(self) -> Group {
        match self {
            Endpoint::SubmitEsDsl | Endpoint::SubmitIdFile => Group::Submit,
            Endpoint::Files => Group::Status,
            Endpoint::Download => Group::Download,
            Endpoint::Search | Endpoint::Preview => Group::Search,
        }
    }
}

/// One call that reached an endpoint of the API (wrong paths are not logged).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRecord {
    /// Order of arrival, from 1.
    pub seq: u64,
    /// Which call.
    pub endpoint: Endpoint,
    /// Request path.
    pub path: String,
    /// The `apikey` header, if any.
    pub key: Option<String>,
    /// Status answered (before a connection cut, if any).
    pub status: u16,
    /// When it arrived: milliseconds since the simulator started (for rate figures).
    #[serde(default)]
    pub millis: u64,
}

/// How a data request was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// By ES DSL query.
    EsDsl,
    /// By ID file.
    IdFile,
    /// The big-file fixture ([`crate::Simulator::create_big_file_request`]).
    Fixture,
}

/// Where a data request stands (as of the last poll: requests settle lazily, when polled).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    /// Not ready yet (or ready but not polled since).
    Processing,
    /// Became ready but the account could not pay; a poll after a top-up delivers.
    InsufficientCredits,
    /// Files listed.
    Ready,
    /// Nothing matched.
    NoMatch,
    /// An ES DSL query without `limit` matched more than 10,000 records.
    TooManyMatches,
    /// Older than the retention period.
    Expired,
}

/// A data request as tests and the admin API see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestInfo {
    /// The request id (a UUID).
    pub id: String,
    /// How it was made.
    pub kind: RequestKind,
    /// The API key that made it.
    pub key: String,
    /// Where it stands.
    pub state: RequestState,
    /// Records the query or file matched (before `limit`).
    pub matched: usize,
    /// Records it delivers (0 when too many matched).
    pub record_count: usize,
    /// Listed file names (once ready).
    pub files: Vec<String>,
    /// Credits charged so far.
    pub charged: i64,
    /// Creation time on the simulated clock, UNIX milliseconds (the wall clock plus every
    /// [`crate::Simulator::advance_clock`], so it survives a restart).
    pub created_at_ms: u64,
    /// The `limit` sent, if any.
    pub limit: Option<u32>,
    /// The `webhook_url` sent, if any (stored only: the simulator calls no webhooks).
    pub webhook_url: Option<String>,
}

/// What a new data request is made of.
pub(crate) struct NewRequest {
    pub(crate) kind: RequestKind,
    pub(crate) key: String,
    pub(crate) matched: usize,
    /// Ids to deliver, already capped by `limit`; empty when too many matched.
    pub(crate) ids: Vec<u64>,
    pub(crate) limit: Option<u32>,
    pub(crate) webhook_url: Option<String>,
    /// Canonical ES DSL request, for the 409 rule.
    pub(crate) canonical: Option<String>,
}
