//! Shared support for the end-to-end suites: the real simulator on loopback, a real SQLite file in a
//! temporary folder, the real engine and the real CLI binary. Nothing here is a mock.

// Test support: a failed expectation is a failed test, so panicking is the point.
#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

pub mod hostile;
pub mod proof;
pub mod property;
pub mod readers;
pub mod team_db;

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use collect_core::api::{ApiConfig, RateLimiter, RetryPolicy};
use collect_core::ids::parse_id_list;
use collect_core::jobs::{
    Engine, EngineError, EngineOptions, JobRequest, JobState, Mode, NewJob, PollSchedule,
};
use collect_core::query::{parse_query, EsQuery};
use collect_core::secrets::ApiKey;
use collect_core::store::{JobRow, Store};
use coresignal_sim::{SimConfig, Simulator, DEFAULT_PRACTICE_KEY};

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

/// A file in the project's shared sample data (`../shared/data` beside the repository).
pub fn shared_data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../shared/data")
        .join(name)
}

/// The product page's example query.
pub fn python_query() -> EsQuery {
    let text = std::fs::read_to_string(shared_data("query-python.json")).expect("the sample query");
    parse_query(&text).expect("the sample query parses")
}

/// A job for `query`.
pub fn query_job(query: EsQuery, limit: Option<u32>) -> NewJob {
    NewJob {
        name: Some("test search".into()),
        request: JobRequest::Query { query, limit },
        webhook_url: None,
    }
}

/// Submits `count` jobs of two IDs each, every list different (ID lists are priced without a
/// search call): many active jobs quickly.
pub async fn submit_id_list_jobs(engine: &Engine, count: u32) {
    for n in 0..count {
        let ids = format!("{}\n{}\n", 1_000 + n, 5_000 + n);
        let job = NewJob {
            name: None,
            request: JobRequest::Ids {
                report: parse_id_list(ids.as_bytes()).expect("two valid IDs"),
                source_file: None,
                split: false,
                list: None,
            },
            webhook_url: None,
        };
        submit_job(engine, job).await.expect("the job is accepted");
    }
}

/// A job for the IDs in a shared sample file.
pub fn ids_job(file: &str) -> NewJob {
    let bytes = std::fs::read(shared_data(file)).expect("the sample ID file");
    NewJob {
        name: None,
        request: JobRequest::Ids {
            report: parse_id_list(&bytes).expect("the ID file parses"),
            source_file: Some(file.into()),
            split: false,
            list: None,
        },
        webhook_url: None,
    }
}

/// Every record of a gzip JSON Lines file.
pub fn read_records(path: &Path) -> Vec<serde_json::Value> {
    use std::io::BufRead;
    let file = std::fs::File::open(path).expect("the downloaded file opens");
    let reader = std::io::BufReader::new(flate2::read::MultiGzDecoder::new(file));
    reader
        .lines()
        .map(|line| line.expect("valid gzip and UTF-8"))
        .filter(|line| !line.trim().is_empty())
        .map(|line| serde_json::from_str(&line).expect("each line is JSON"))
        .collect()
}

/// Every file under `dir`, recursively (for "nothing was written elsewhere" checks).
pub fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(next) = pending.pop() {
        let Ok(entries) = std::fs::read_dir(&next) else {
            continue;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                pending.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found.sort();
    found
}

/// The path of a binary built by this workspace (`bulk-collect-cli`, `coresignal-sim`), next to
/// the test executable's folder.
pub fn workspace_binary(name: &str) -> PathBuf {
    let exe = std::env::current_exe().expect("the test binary's path");
    // A test runs from target/<profile>/deps/, a binary of this crate (the soak) from
    // target/<profile>/.
    let beside = exe.with_file_name(name);
    let path = if beside.exists() {
        beside
    } else {
        let dir = exe
            .parent()
            .and_then(Path::parent)
            .expect("target/<profile>/deps/<test>");
        dir.join(name)
    };
    assert!(
        path.exists(),
        "{} is not built; run `cargo build --workspace` first",
        path.display()
    );
    path
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

/// The CLI against the harness's simulator and data folder (as the other process beside the app),
/// with the practice key, no standard input, and its output collected.
pub fn run_cli(harness: &Harness, args: &[&str]) -> std::process::Output {
    std::process::Command::new(workspace_binary("bulk-collect-cli"))
        .args(["--api-base", &harness.sim.base_url(), "--data-dir"])
        .arg(harness.dir.path())
        .args(args)
        .env("BULK_COLLECT_API_KEY", coresignal_sim::DEFAULT_PRACTICE_KEY)
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the CLI runs")
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

/// The ids in column `column` of `sheet` of the workbook at `path` (header skipped), read by an
/// independent reader (calamine).
pub fn workbook_ids(path: &Path, sheet: &str, column: usize) -> Vec<i64> {
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook(path).expect("the workbook opens");
    let range = workbook.worksheet_range(sheet).expect("the sheet exists");
    ids_in(&range, column)
}

/// The ids in column `column` of a sheet, header skipped.
pub fn ids_in(range: &calamine::Range<calamine::Data>, column: usize) -> Vec<i64> {
    range
        .rows()
        .skip(1)
        .map(|row| match &row[column] {
            calamine::Data::Float(id) => *id as i64,
            calamine::Data::Int(id) => *id,
            other => panic!("an id is a number, not {other:?}"),
        })
        .collect()
}

/// A CLI run's stdout as the one JSON object it prints; panics with stdout and stderr otherwise.
pub fn stdout_json(output: &std::process::Output) -> serde_json::Value {
    serde_json::from_slice(&output.stdout).unwrap_or_else(|error| {
        panic!(
            "stdout is one JSON object ({error}): {}\nstderr: {}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    })
}

/// The message of the error a `--json` CLI run printed (`{"error": {"message": …}}`).
pub fn cli_error_message(output: &std::process::Output) -> String {
    stdout_json(output)["error"]["message"]
        .as_str()
        .unwrap_or_else(|| {
            panic!(
                "no error message in {}",
                String::from_utf8_lossy(&output.stdout)
            )
        })
        .to_owned()
}

/// The path of the shared Python query file, as the CLI takes it.
pub fn python_query_file() -> String {
    shared_data("query-python.json")
        .to_string_lossy()
        .into_owned()
}

/// Every id `body` matches in `sim`'s search (the first page of at most `per_page`).
pub async fn search_ids(sim: &Simulator, body: &serde_json::Value, per_page: usize) -> Vec<i64> {
    let answer: Vec<serde_json::Value> = reqwest::Client::new()
        .post(format!(
            "{}/v2/employee_clean/search/es_dsl?items_per_page={per_page}",
            sim.base_url()
        ))
        .header("apikey", DEFAULT_PRACTICE_KEY)
        .json(body)
        .send()
        .await
        .expect("the search answers")
        .json()
        .await
        .expect("the search answer is JSON");
    answer
        .iter()
        .map(|id| id.as_i64().expect("an id is a number"))
        .collect()
}

/// `count` people `sim`'s search finds, with their short names: (id, short name).
pub async fn corpus_people(sim: &Simulator, count: usize) -> Vec<(i64, String)> {
    let everyone = serde_json::json!({"query": {"match_all": {}}});
    search_ids(sim, &everyone, count)
        .await
        .into_iter()
        .take(count)
        .map(|id| {
            let person = sim.person(id as u64).expect("the simulator has them");
            let slug = person.record["shorthand_names"][0]
                .as_str()
                .expect("a short name")
                .to_owned();
            (id, slug)
        })
        .collect()
}

/// Every row of `sheet` of the workbook at `path` as text, header first (whole numbers as
/// digits), read by an independent reader (calamine).
pub fn sheet_text(path: &Path, sheet: &str) -> Vec<Vec<String>> {
    use calamine::Reader;
    let mut workbook: calamine::Xlsx<_> =
        calamine::open_workbook(path).expect("the workbook opens");
    let range = workbook.worksheet_range(sheet).expect("the sheet is there");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    calamine::Data::Float(number) if number.fract() == 0.0 => {
                        format!("{}", *number as i64)
                    }
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}
