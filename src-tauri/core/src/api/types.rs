//! What the calls take and give back.

use bytes::Bytes;
use serde::{Deserialize, Serialize};

use super::error::{network_error, ApiError};

/// Call 5: how many profiles the query matches (free; nothing is collected).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Estimate {
    /// `x-total-results`.
    pub total_results: u64,
    /// `x-credits-remaining`, if sent.
    pub credits_remaining: Option<i64>,
}

/// Call 1's input.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct EsDslSubmission {
    /// The full Elasticsearch body, with its `"query"`.
    pub es_dsl_query: serde_json::Value,
    /// At most this many records (1..=10,000).
    pub limit: Option<u32>,
    /// Passed through to the service; the app still polls.
    pub webhook_url: Option<String>,
}

/// A created data request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Submitted {
    /// The request id (from the body, else from the `Location` header).
    pub request_id: String,
    /// 200 or 201.
    pub http_status: u16,
    /// `x-credits-remaining`, if sent.
    pub credits_remaining: Option<i64>,
}

/// What call 3 (`GET …/files`) says about a request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum PollOutcome {
    /// Still processing: poll again later.
    Pending {
        /// 202 or 200.
        status: u16,
        /// The server's `message`, if any.
        message: Option<String>,
    },
    /// Ready: download every file.
    Ready {
        /// 200.
        status: u16,
        /// File names exactly as listed (may contain `/`).
        files: Vec<String>,
    },
    /// Nothing matched (terminal; no credits spent).
    NoResults {
        /// 404 or 422.
        status: u16,
        /// The server's detail.
        detail: Option<String>,
    },
    /// 422: matched over 10,000 and had no limit (terminal; suggest a limit).
    TooManyMatches {
        /// The server's detail.
        detail: Option<String>,
    },
    /// 404: not found or expired (older than 30 days) (terminal; local files stay).
    Expired {
        /// The server's detail.
        detail: Option<String>,
    },
    /// 402: the account lacks credits (retry after topping up).
    InsufficientCredits {
        /// The server's detail.
        detail: Option<String>,
    },
}

impl PollOutcome {
    /// The HTTP status of the answer.
    pub fn status(&self) -> u16 {
        match self {
            Self::Pending { status, .. }
            | Self::Ready { status, .. }
            | Self::NoResults { status, .. } => *status,
            Self::TooManyMatches { .. } => 422,
            Self::Expired { .. } => 404,
            Self::InsufficientCredits { .. } => 402,
        }
    }
}

/// An open download (call 4): read it with [`FileResponse::next_chunk`].
pub struct FileResponse {
    /// 200 (whole file) or 206 (from the requested byte).
    pub status: u16,
    /// The offset of the first body byte: the requested one if honoured (206), else 0.
    pub start_offset: u64,
    /// The whole file's length, if the server said.
    pub total_len: Option<u64>,
    pub(crate) response: reqwest::Response,
}

impl FileResponse {
    /// Whether the server honoured the `Range` (206). `false` after asking for a range = start over.
    pub fn resumed(&self) -> bool {
        self.status == 206
    }

    /// The next piece of the body; `None` at the end. A broken connection is [`ApiError::Network`].
    pub async fn next_chunk(&mut self) -> Result<Option<Bytes>, ApiError> {
        self.response
            .chunk()
            .await
            .map_err(|error| network_error(&error))
    }
}

impl std::fmt::Debug for FileResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FileResponse")
            .field("status", &self.status)
            .field("start_offset", &self.start_offset)
            .field("total_len", &self.total_len)
            .finish_non_exhaustive()
    }
}
