//! Jobs: the state machine persisted in SQLite, submission, and the one scheduler that polls every
//! active job and downloads its files.
//!
//! The job row is written *before* the POST (state `submitting`). A POST that may have reached the
//! service without an answer makes the job `uncertain`: it is never re-sent by itself. Every state
//! change and every server answer is appended to the job's audit trail, with the key redacted.

mod engine;
mod error;
mod request;
mod schedule;
mod state;

pub use engine::{Engine, EngineOptions, JobDetail, JobUpdate};
pub use error::EngineError;
pub use request::{fingerprint, CostEstimate, JobRequest, NewJob};
pub use schedule::PollSchedule;
pub use state::{JobKind, JobState, Mode};
