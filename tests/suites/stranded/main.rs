//! A paid request is never stranded, and nothing already done is lost: a 201 that arrives after
//! the job was cancelled leaves a way to download what was paid for; *I found it* never takes
//! another job's request; the 30 days count from the submission; a cancelled collection sends no
//! further batch; `download` never reports success for nothing, nor forgets files already done.
//! Against the real simulator, a real SQLite file and the real CLI binary.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use bulk_collect_tests::proof::killed::CliTarget;
use bulk_collect_tests::*;
use collect_core::error::ErrorCode;
use collect_core::ids::parse_id_list;
use collect_core::jobs::{JobRequest, JobState, NewJob};
use collect_core::store::{format_time, parse_time, RETENTION};
use collect_core::test_seams::{KILL_AT_ENV, KILL_POINT_MARKER};
use coresignal_sim::{Endpoint, Faults, PerGroup, SimConfig, DEFAULT_PRACTICE_KEY};

mod collection;
mod download;
mod found;
mod late;

/// A job for an ID list (priced without a search call; the service never answers 409 for one).
fn id_list_job(ids: &str) -> NewJob {
    NewJob {
        name: Some("held list".into()),
        request: JobRequest::Ids {
            report: parse_id_list(ids.as_bytes()).unwrap(),
            source_file: None,
            split: false,
            list: None,
        },
        webhook_url: None,
    }
}
