//! The team library against a real PostgreSQL server (a throwaway cluster, `team_db`), the real
//! simulator over HTTP and real SQLite files: two data folders stand for two colleagues.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bulk_collect_tests::team_db::{PgCluster, TEAM_PASSWORD, TEAM_USER};
use bulk_collect_tests::*;
use collect_core::consent::Consent;
use collect_core::jobs::{Confirmation, Engine, JobState, Mode, Quote};
use collect_core::library::{Library, CLEAN_EMPLOYEE};
use collect_core::store::Store;
use collect_core::team::{Queued, TeamAddress, TeamError, TeamLink};
use coresignal_sim::{Simulator, DEFAULT_PRACTICE_KEY};

mod copies;
mod publish;
mod quotes;
mod silent;

/// A link to the cluster as `who`, with the right password.
fn link(pg: &PgCluster, who: &str) -> TeamLink {
    let address = TeamAddress::parse(&pg.url()).unwrap();
    TeamLink::new(address, Some(TEAM_PASSWORD.into()), who)
}

/// A colleague: their own data folder and a Live engine using the team library as `who`.
fn colleague(sim: &Simulator, team: Option<TeamLink>) -> (tempfile::TempDir, Arc<Engine>) {
    let dir = tempfile::tempdir().unwrap();
    let engine = live_engine(sim, dir.path().to_path_buf());
    engine.set_team(team);
    (dir, engine)
}

fn live_engine(sim: &Simulator, dir: PathBuf) -> Arc<Engine> {
    let engine = open_engine(sim, &dir, DEFAULT_PRACTICE_KEY);
    let mut options = engine.options();
    options.mode = Mode::Live;
    engine.apply(options).unwrap();
    engine
}

/// Spends `quote` as a person who says yes to it, and waits until its files are downloaded.
async fn buy(engine: &Arc<Engine>, quote: &Quote) -> i64 {
    let consent = engine.consents().granted_by_person(Consent::Quote {
        quote: quote.id,
        credits: quote.credits,
    });
    let job = engine
        .submit_confirmed(
            quote.id,
            Confirmation {
                again: true,
                consent: Some(consent),
                ..Confirmation::default()
            },
        )
        .await
        .unwrap();
    let _scheduler = Scheduler::start(engine);
    wait_for_state(engine, job.id, JobState::Downloaded).await;
    // The spreadsheet is made after the move to downloaded.
    let deadline = Instant::now() + Duration::from_secs(30);
    while engine.job(job.id).unwrap().export_path.is_none() {
        assert!(Instant::now() < deadline, "no spreadsheet was made");
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    job.id
}

/// Publishes until the outbox is empty (the scheduler may be publishing too), for at most 20 s.
async fn published(engine: &Engine) {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let _ = engine.publish_to_team().await;
        let status = engine.team_status(false).await.unwrap();
        if status.waiting_collections == 0 {
            return;
        }
        assert!(Instant::now() < deadline, "still waiting: {status:?}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn count(pg: &PgCluster, sql: &str) -> i64 {
    pg.psql(sql).parse().unwrap()
}

/// Writes `count` made-up people from id `from`, each updated on `day`, as a job's file.
fn people_file(dir: &std::path::Path, from: i64, count: i64, day: &str) -> PathBuf {
    let path = dir.join(format!("people-{from}-{day}.jsonl"));
    let mut text = String::new();
    for id in from..from + count {
        text.push_str(&format!(
            "{{\"id\":{id},\"full_name\":\"Person {id}\",\"last_updated\":\"{day}T00:00:00Z\",\"headline\":\"Engineer\"}}\n"
        ));
    }
    std::fs::write(&path, text).unwrap();
    path
}

/// Keeps `file` in `store`'s library as job `job` and queues it for the team as `who`.
fn keep_and_queue(store: &Store, job: i64, file: PathBuf, who: &str) {
    let who = who.to_owned();
    let queue = move |people: u64| Queued {
        collection: uuid_like(job, &who),
        job,
        dataset: CLEAN_EMPLOYEE.into(),
        who: who.clone(),
        at: collect_core::store::now_text(),
        name: format!("job {job}"),
        fingerprint: format!("fp-{job}"),
        credits: people as i64,
        profiles: people as i64,
    };
    Library::new(store.clone())
        .ingest_queued(
            CLEAN_EMPLOYEE,
            job,
            &[file],
            &collect_core::store::now_text(),
            Some(&queue),
        )
        .unwrap();
}

fn uuid_like(job: i64, who: &str) -> String {
    let tail = if who == "Anna" { 1 } else { 2 };
    format!("00000000-0000-4000-8000-{:06}{:06}", tail, job)
}

/// Anna's installation on a new throwaway server: a Live engine whose job `job` kept `people`
/// made-up people (updated 2026-05-01) and queued them for the team library. The simulator and
/// the data folder are returned to be kept alive for the test.
async fn anna_with_queued(
    job: i64,
    people: i64,
) -> (PgCluster, Simulator, tempfile::TempDir, Arc<Engine>) {
    let pg = PgCluster::start();
    let sim = Simulator::start(quick_sim()).await.unwrap();
    let dir = tempfile::tempdir().unwrap();
    let anna = live_engine(&sim, dir.path().to_path_buf());
    keep_and_queue(
        anna.store(),
        job,
        people_file(dir.path(), 0, people, "2026-05-01"),
        "Anna",
    );
    (pg, sim, dir, anna)
}

/// Two colleagues on a new throwaway server: Anna has bought 40 of the Python search's people and
/// published them; Bruno's Live engine uses the same team library. The simulator and both data
/// folders are returned to be kept alive for the test.
async fn bruno_after_anna_bought_40() -> (PgCluster, Simulator, [tempfile::TempDir; 2], Arc<Engine>)
{
    let pg = PgCluster::start();
    let sim = Simulator::start(quick_sim()).await.unwrap();
    let (a_dir, anna) = colleague(&sim, Some(link(&pg, "Anna")));
    let (b_dir, bruno) = colleague(&sim, Some(link(&pg, "Bruno")));
    let first = anna
        .quote(&query_job(python_query(), Some(40)))
        .await
        .unwrap();
    buy(&anna, &first).await;
    published(&anna).await;
    (pg, sim, [a_dir, b_dir], bruno)
}
