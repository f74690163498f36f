//! The harness: a simulator, a data folder with a real SQLite file and an engine over both; the
//! scheduler; waiting for a job's state; the database reached as another process would.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use collect_core::api::{ApiConfig, RateLimiter, RetryPolicy};
use collect_core::jobs::{
    Engine, EngineError, EngineOptions, JobState, Mode, NewJob, PollSchedule,
};
use collect_core::query::parse_query;
use collect_core::secrets::ApiKey;
use collect_core::store::{JobRow, Store};
use coresignal_sim::{SimConfig, Simulator, DEFAULT_PRACTICE_KEY};

use crate::{files_under, python_query, query_job};

/// A running simulator plus a data folder with a real SQLite file, and an engine over both.
pub struct Harness {
    /// The simulator, on 127.0.0.1.
    pub sim: Simulator,
    /// The data folder (database and downloads); removed on drop.
    pub dir: tempfile::TempDir,
    /// The engine under test.
    pub engine: Arc<Engine>,
}

/// A simulator config that answers quickly: files ready after 150 ms.
pub fn quick_sim() -> SimConfig {
    SimConfig {
        processing_time: Duration::from_millis(150),
        ..SimConfig::default()
    }
}

/// A simulator whose files take an hour: jobs stay `processing` for the whole test.
pub fn slow_sim() -> SimConfig {
    SimConfig {
        processing_time: Duration::from_secs(3600),
        ..quick_sim()
    }
}

/// Polls fast, so tests finish quickly (the real default grows from 5 s to 60 s).
pub fn fast_poll() -> PollSchedule {
    PollSchedule {
        first: Duration::from_millis(20),
        factor: 1.5,
        max: Duration::from_millis(200),
    }
}

/// Retries with short waits, so fault tests finish quickly.
pub fn fast_retry() -> RetryPolicy {
    RetryPolicy {
        base_delay: Duration::from_millis(10),
        max_delay: Duration::from_millis(200),
        ..RetryPolicy::default()
    }
}

impl Harness {
    /// Starts a simulator with `config` and an engine in Practice mode over a new database.
    pub async fn start(config: SimConfig) -> Self {
        let sim = Simulator::start(config)
            .await
            .expect("the simulator starts");
        let dir = tempfile::tempdir().expect("a temporary folder");
        let engine = open_engine(&sim, dir.path(), DEFAULT_PRACTICE_KEY);
        Self { sim, dir, engine }
    }

    /// Simulates closing the app and starting it again: a new store handle on the same file, a new
    /// engine, and the recovery pass the app runs at start.
    pub fn restart(&mut self) -> Arc<Engine> {
        self.engine = open_engine(&self.sim, self.dir.path(), DEFAULT_PRACTICE_KEY);
        self.engine.recover().expect("recovery after restart");
        Arc::clone(&self.engine)
    }

    /// Where downloads go.
    pub fn downloads(&self) -> PathBuf {
        self.dir.path().join("downloads")
    }

    /// Submits the product page's Python query with a limit.
    pub async fn submit_python(&self, limit: Option<u32>) -> JobRow {
        submit_job(&self.engine, query_job(python_query(), limit))
            .await
            .expect("the job is accepted")
    }
}

/// Quotes `job` for everyone it matches and spends the quote at once, as a person who confirms
/// every price would (`again`: collecting the same data twice, people already in the library
/// included, is confirmed too).
pub async fn submit_job(engine: &Engine, job: NewJob) -> Result<JobRow, EngineError> {
    let quote = engine.quote_everyone(&job).await?;
    engine.submit(quote.id, true).await
}

/// An engine over `<dir>/bulk-collect.sqlite3`, talking to `sim` with `key`.
pub fn open_engine(sim: &Simulator, dir: &Path, key: &str) -> Arc<Engine> {
    open_engine_with(sim, dir, key, Duration::from_secs(10))
}

/// [`open_engine`] with a given request timeout.
pub fn open_engine_with(
    sim: &Simulator,
    dir: &Path,
    key: &str,
    request_timeout: Duration,
) -> Arc<Engine> {
    let store = Store::open(&Store::default_path(dir)).expect("the database opens");
    let api = ApiConfig {
        base_url: sim.base_url(),
        request_timeout,
        retry: fast_retry(),
        ..ApiConfig::default()
    };
    let options = EngineOptions {
        poll: fast_poll(),
        ..EngineOptions::new(Mode::Practice, api, dir.join("downloads"))
    };
    Engine::new(store, options, Some(ApiKey::new(key)), RateLimiter::new(27))
        .expect("the engine starts")
}

/// Runs the scheduler until dropped.
pub struct Scheduler {
    stop: tokio::sync::watch::Sender<bool>,
}

impl Scheduler {
    /// Recovers and starts the scheduler of `engine` in the background.
    pub fn start(engine: &Arc<Engine>) -> Self {
        engine.recover().expect("recovery");
        let (stop, stopped) = tokio::sync::watch::channel(false);
        tokio::spawn(Arc::clone(engine).run(stopped));
        Self { stop }
    }
}

impl Drop for Scheduler {
    fn drop(&mut self) {
        self.stop.send_replace(true);
    }
}

/// Waits (checking the store every 20 ms, for at most 60 s) until job `id` is in `state` (as a
/// person sees it: a collection's from its batches), and returns it. Panics with the job's audit
/// trail otherwise, so a failure explains itself.
pub async fn wait_for_state(engine: &Engine, id: i64, state: JobState) -> JobRow {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let job = engine.detail(id).expect("the job exists").job;
        if job.state == state {
            return job;
        }
        let settled_elsewhere = job.state.is_settled() && !job.state.is_active();
        if settled_elsewhere || tokio::time::Instant::now() > deadline {
            let events = engine.store().events(id).expect("events");
            panic!(
                "job {id} is {:?} ({:?}), expected {state:?}; events: {:#?}",
                job.state, job.state_reason, events
            );
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Moves job `id`'s submission `days` into the past in the real SQLite file (the service's clock is
/// moved with `Simulator::advance_clock`; this is the app's side of the same 30 days).
pub fn backdate_submission(harness: &Harness, id: i64, days: i64) {
    let at = collect_core::store::format_time(
        collect_core::store::parse_time(&collect_core::store::now_text()).expect("now parses")
            - std::time::Duration::from_secs(days as u64 * 24 * 3600),
    );
    sql(
        harness,
        "UPDATE jobs SET submitted_at = ?1, created_at = ?1 WHERE id = ?2",
        &[&at, &id],
    );
}

/// Runs one statement on the harness's database through a connection of its own (as another
/// process would).
pub fn sql(harness: &Harness, statement: &str, params: &[&dyn rusqlite::ToSql]) {
    let connection =
        rusqlite::Connection::open(collect_core::store::Store::default_path(harness.dir.path()))
            .expect("the database opens");
    connection
        .busy_timeout(Duration::from_secs(5))
        .expect("busy timeout");
    connection
        .execute(statement, params)
        .expect("the statement runs");
}

/// A ready job of 4,000 profiles (a file of several MiB) served at 512 KiB/s: slow enough to
/// interrupt mid-file.
pub async fn ready_to_download_slowly(harness: &Harness) -> JobRow {
    let everything = parse_query(r#"{"query": {"match_all": {}}}"#).expect("match_all parses");
    let job = submit_job(&harness.engine, query_job(everything, Some(4_000)))
        .await
        .expect("the job is accepted");
    harness
        .engine
        .wait(job.id, None)
        .await
        .expect("the files are listed");
    harness.sim.set_faults(coresignal_sim::Faults {
        throttle_bytes_per_second: Some(512 * 1024),
        ..coresignal_sim::Faults::default()
    });
    job
}

/// Files under the download folder that carry a final name (not a `.partial` download).
pub fn finished_files(harness: &Harness) -> Vec<PathBuf> {
    files_under(&harness.downloads())
        .into_iter()
        .filter(|path| !path.to_string_lossy().contains(".partial"))
        .collect()
}

/// Starts downloading job `id` in the background and returns once it is `downloading`.
pub async fn download_in_background(
    harness: &Harness,
    id: i64,
) -> tokio::task::JoinHandle<Result<JobRow, EngineError>> {
    let engine = Arc::clone(&harness.engine);
    let downloading = tokio::spawn(async move { engine.download(id, None).await });
    while harness.engine.job(id).expect("the job exists").state != JobState::Downloading {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    downloading
}
