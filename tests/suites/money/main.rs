//! Money and state: every way found to pay twice, lose a paid request or undo a Cancel, each as a
//! test against the real engine, the real simulator over HTTP and a real SQLite file.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::sync::Arc;
use std::time::Duration;

use bulk_collect_tests::*;
use collect_core::error::Coded;
use collect_core::jobs::{JobAction, JobState, JobUpdate, Mode};
use collect_core::store::{download_lease, Store};
use collect_core::ErrorCode;
use coresignal_sim::{Endpoint, Faults, PerGroup};

fn posts(harness: &Harness) -> usize {
    harness.sim.count_calls(Endpoint::SubmitEsDsl) + harness.sim.count_calls(Endpoint::SubmitIdFile)
}

/// Cancel is never undone.
mod cancel;
/// Polls and downloads: side by side, capped, honest about 404s and waits.
mod polls;
/// Several processes on one data folder.
mod processes;
/// A quote is spent once; nothing is sent without one; the same data again needs "again".
mod quotes;
/// A created request's id is never lost.
mod request_ids;
/// Uncertain has two ways out.
mod uncertain;

// ----- helpers ---------------------------------------------------------------------------------------

/// A job whose submit answer was lost: uncertain, with its ways out.
async fn an_uncertain_job(harness: &Harness, limit: u32) -> collect_core::store::JobRow {
    harness.sim.set_faults(Faults {
        submit_lost: 1,
        ..Faults::default()
    });
    let error = submit_job(&harness.engine, query_job(python_query(), Some(limit)))
        .await
        .unwrap_err();
    assert_eq!(error.code(), ErrorCode::Uncertain);
    let job = harness.engine.jobs().unwrap().remove(0);
    assert_eq!(job.state, JobState::Uncertain);
    assert_eq!(
        harness.engine.detail(job.id).unwrap().actions,
        vec![JobAction::Cancel, JobAction::Attach, JobAction::SendAgain]
    );
    job
}

fn engine_over(harness: &Harness, store: Store) -> Arc<collect_core::jobs::Engine> {
    collect_core::jobs::Engine::new(
        store,
        harness.engine.options(),
        Some(collect_core::secrets::ApiKey::new(
            coresignal_sim::DEFAULT_PRACTICE_KEY,
        )),
        collect_core::api::RateLimiter::new(27),
    )
    .unwrap()
}

fn engine_with(
    harness: &Harness,
    options: collect_core::jobs::EngineOptions,
) -> Arc<collect_core::jobs::Engine> {
    collect_core::jobs::Engine::new(
        harness.engine.store().clone(),
        options,
        Some(collect_core::secrets::ApiKey::new(
            coresignal_sim::DEFAULT_PRACTICE_KEY,
        )),
        collect_core::api::RateLimiter::new(27),
    )
    .unwrap()
}

/// The numbers of the earlier jobs a quote names.
fn earlier_ids(quote: &collect_core::jobs::Quote) -> Vec<i64> {
    quote.earlier.iter().map(|earlier| earlier.id).collect()
}

fn ids_list_job(text: &str) -> collect_core::jobs::NewJob {
    collect_core::jobs::NewJob {
        name: None,
        request: collect_core::jobs::JobRequest::Ids {
            report: collect_core::ids::parse_id_list(text.as_bytes()).unwrap(),
            source_file: None,
            split: false,
            list: None,
        },
        webhook_url: None,
    }
}
