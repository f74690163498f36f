//! Net-new purchases against the real simulator over HTTP and a real database: a search run again
//! buys only the people the library does not hold, or holds an older copy of; what is sent is
//! exactly those ids; getting everyone again stays possible, and explicit.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::collections::BTreeSet;

use bulk_collect_tests::*;
use collect_core::export::{ExportOptions, ExportResult};
use collect_core::jobs::{EngineError, JobKind, JobState, Mode};
use collect_core::library::Library;
use coresignal_sim::DEFAULT_PRACTICE_KEY;

mod purchase;
mod quote;
mod refresh;

/// The ids of the people job `id` downloaded.
fn downloaded_ids(harness: &Harness, id: i64) -> BTreeSet<i64> {
    harness
        .engine
        .store()
        .files(id)
        .unwrap()
        .iter()
        .flat_map(|file| read_records(std::path::Path::new(file.path.as_deref().unwrap())))
        .map(|record| record["id"].as_i64().unwrap())
        .collect()
}

/// The ids job `id` sent as its ID list.
fn sent_ids(harness: &Harness, id: i64) -> BTreeSet<i64> {
    let job = harness.engine.job(id).unwrap();
    job.ids_text
        .as_deref()
        .unwrap_or_default()
        .lines()
        .filter_map(|line| line.trim().parse().ok())
        .collect()
}

fn library(harness: &Harness) -> Library {
    Library::new(harness.engine.store().clone())
}

/// The net-new price of the Python search with `limit`.
async fn quote_python(harness: &Harness, limit: u32) -> collect_core::jobs::Quote {
    harness
        .engine
        .quote(&query_job(python_query(), Some(limit)))
        .await
        .unwrap()
}

/// Collects the Python search with `limit` at once (as a person who confirms it) and waits for it.
async fn collect(harness: &Harness, limit: u32) -> i64 {
    let job = harness.submit_python(Some(limit)).await;
    let _scheduler = Scheduler::start(&harness.engine);
    wait_for_state(&harness.engine, job.id, JobState::Downloaded).await;
    job.id
}

/// Job `id` exported with `options` into the data folder's `exported`, dated today.
fn exported(harness: &Harness, id: i64, options: &ExportOptions) -> ExportResult {
    let out = harness.dir.path().join("exported");
    let today = time::OffsetDateTime::now_utc().date();
    harness
        .engine
        .export(id, Some(&out), today, options)
        .unwrap()
}
