//! `make bench`, the job list: what the app's `list_jobs` costs with 10,000 jobs in the history, in
//! release. The summaries (no query text, no ID list) against the whole rows the list sent before,
//! and a "changed since" refresh after 10 jobs changed. Each figure is the median of 7 runs of the
//! core's query plus the JSON encoding that crosses IPC (the webview's own decoding is not in it).

// Invariant for every unwrap/expect below: they only guard the bench's own setup (a temporary
// folder, a fresh database, a simulator on loopback); if one fails there is nothing to measure,
// so stopping with the error is the right outcome.
#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::time::{Duration, Instant};

use collect_core::api::ApiConfig;
use collect_core::jobs::{Engine, EngineOptions, JobKind, JobState, Mode};
use collect_core::store::{ListPage, NewQuote, Store};

const JOBS: usize = 10_000;
/// The app loads the list in pages of this many jobs.
const PAGE: u32 = 1_000;

fn main() {
    let dir = tempfile::tempdir().unwrap();
    let store = Store::open(&Store::default_path(dir.path())).unwrap();
    let query = format!(
        r#"{{"query":{{"bool":{{"must":[{{"match":{{"job_title":"{}"}}}}]}}}}}}"#,
        "engineer ".repeat(130)
    );
    let started = Instant::now();
    for n in 0..JOBS {
        let quote = store
            .insert_quote(&NewQuote {
                mode: Mode::Practice,
                kind: JobKind::EsDsl,
                name: format!("Search number {n}"),
                query_json: Some(query.clone()),
                query_limit: Some(100),
                ids_text: None,
                ids_count: None,
                source_file: None,
                webhook_url: None,
                fingerprint: format!("{n:016x}"),
                matches: 1_000,
                records: 100,
                credits: 100,
                credits_per_record: 1,
                credits_basis: collect_core::money::CreditsBasis::Setting,
                purchase: collect_core::jobs::Purchase::Everyone,
                split: None,
                updates_job: None,
                held_again: None,
                library_note: None,
                list_id: None,
                balance: None,
                earlier_jobs: Vec::new(),
                replaces_job: None,
                valid_for: Duration::from_secs(300),
                batches: 1,
            })
            .unwrap();
        store
            .spend_quote(Mode::Practice, quote.id, "bench", "bench", Duration::ZERO)
            .unwrap()
            .unwrap();
    }
    eprintln!(
        "{JOBS} jobs written in {:.1} s",
        started.elapsed().as_secs_f64()
    );
    let api = ApiConfig {
        base_url: "http://127.0.0.1:9/cdapi".into(),
        ..ApiConfig::default()
    };
    let engine = Engine::new(
        store.clone(),
        EngineOptions::new(Mode::Practice, api, dir.path().join("downloads")),
        None,
        collect_core::api::RateLimiter::new(27),
    )
    .unwrap();

    let whole = measure(|| serde_json::to_vec(&engine.jobs().unwrap()).unwrap().len());
    let all = ListPage::default();
    let summaries = measure(|| {
        serde_json::to_vec(&engine.list(&all).unwrap())
            .unwrap()
            .len()
    });
    let first_page = ListPage {
        limit: Some(PAGE),
        ..ListPage::default()
    };
    let page = measure(|| {
        serde_json::to_vec(&engine.list(&first_page).unwrap())
            .unwrap()
            .len()
    });
    let cursor = collect_core::store::now_text();
    for id in 1..=10 {
        store
            .move_state(
                id,
                &[JobState::Submitting],
                JobState::Uncertain,
                Some("bench"),
                None,
            )
            .unwrap();
    }
    let changed = measure(|| {
        let since = ListPage {
            changed_since: Some(&cursor),
            ..ListPage::default()
        };
        serde_json::to_vec(&engine.list(&since).unwrap())
            .unwrap()
            .len()
    });

    println!("\nJob list with {JOBS} jobs (release; median of 7; core query + JSON encoding)\n");
    println!("| what is sent | payload | time |");
    println!("|---|---|---|");
    for (name, (bytes, time)) in [
        ("whole rows (the list before; reference)", whole),
        ("summaries, all 10,000 in one answer", summaries),
        (
            "summaries, one page of 1,000 (what the app asks for at a time)",
            page,
        ),
        ("summaries changed since the last load (10 jobs)", changed),
    ] {
        println!(
            "| {name} | {:.2} MB | {:.1} ms |",
            bytes as f64 / 1_000_000.0,
            time.as_secs_f64() * 1000.0
        );
    }
    println!("\nGoal: ≤ 1 MB and ≤ 20 ms per answer for a history of 10,000 jobs.");
}

/// The payload size and the median time of 7 runs of `work`.
fn measure(mut work: impl FnMut() -> usize) -> (usize, Duration) {
    let mut times = Vec::new();
    let mut bytes = 0;
    for _ in 0..7 {
        let started = Instant::now();
        bytes = work();
        times.push(started.elapsed());
    }
    times.sort();
    (bytes, times[3])
}
