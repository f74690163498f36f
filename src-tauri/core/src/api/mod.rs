//! The one Coresignal HTTP client: calls 1–5 of the contract (`shared/api/coresignal-bulk-collect.md`).
//!
//! | file | holds |
//! |---|---|
//! | `config.rs` | [`ApiConfig`], [`RetryPolicy`], the base-URL rule (https, or http on loopback only) |
//! | `limiter.rs` | the one [`RateLimiter`] shared by every call, `Retry-After` parsing |
//! | `classify.rs` | pure functions: a server answer (status, headers, body) → outcome or [`ApiError`] |
//! | `client.rs` | [`ApiClient`]: sending, retrying, the balance watch |
//! | `types.rs` | what the calls take and give back |
//! | `error.rs` | [`ApiError`], [`SubmitError`] and their plain-English messages |
//!
//! Retries: GETs are retried on 5xx, timeouts and broken connections. A POST is never re-sent once its
//! bytes may have reached the server (it could spend credits twice): only a 429 or 503 answer, or a
//! connection that never opened, may be retried; anything else doubtful is [`SubmitError::Uncertain`].

mod classify;
mod client;
#[cfg(test)]
pub(crate) mod client_tests;
mod config;
mod error;
mod limiter;
#[cfg(test)]
pub(crate) mod scripted_peer;
mod types;

pub use client::ApiClient;
pub use config::{is_loopback, ApiConfig, RetryPolicy, DEFAULT_BASE_URL};
pub use error::{ApiError, SubmitError};
pub use limiter::{parse_retry_after, Endpoint, RateLimiter, DEFAULT_REQUESTS_PER_SECOND};
pub use types::{EsDslSubmission, Estimate, FileResponse, PollOutcome, Submitted};
