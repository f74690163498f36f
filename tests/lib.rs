//! Shared support for the end-to-end suites: the real simulator on loopback, a real SQLite file in a
//! temporary folder, the real engine and the real CLI binary. Nothing here is a mock.

// Test support: a failed expectation is a failed test, so panicking is the point.
#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

pub mod hostile;
pub mod proof;
pub mod property;
pub mod readers;
pub mod team_db;

// The support, by what it holds; everything is re-exported here, so a suite needs only
// `use bulk_collect_tests::*`.
mod cli;
mod files;
mod harness;
mod samples;

pub use cli::*;
pub use files::*;
pub use harness::*;
pub use samples::*;
