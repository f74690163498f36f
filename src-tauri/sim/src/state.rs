//! The simulator's shared state: accounts, data requests, the simulated clock, rate limits, faults
//! and the call log. One `std::sync::Mutex`, never held across an `.await`. With a configured data
//! folder, what a restart needs is saved after each change that matters (see [`crate::persist`]).

use crate::config::SimConfig;
use crate::corpus::Corpus;
use crate::dsl::{self, Query};
use crate::error::ApiError;
use crate::faults::{self, Faults, Group};
use crate::files::{self, StoredFile};
use crate::people::{Overlay, People};
use crate::persist::{self, Persister, SavedRequest, StateFile};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};
use std::time::{Duration, Instant};

/// The most records one bulk request may deliver.
pub const MAX_RECORDS: usize = 10_000;

/// The six calls of the contract.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Endpoint {
    /// `POST /v2/data_requests/employee_clean/es_dsl`
    SubmitEsDsl,
    /// `POST /v2/data_requests/employee_clean/id_file`
    SubmitIdFile,
    /// `GET /v2/data_requests/{id}/files`
    Files,
    /// `GET /v2/data_requests/{id}/files/{file_name}`
    Download,
    /// `POST /v2/employee_clean/search/es_dsl`
    Search,
    /// `POST /v2/employee_clean/search/es_dsl/preview`
    Preview,
}

impl Endpoint {
    /// The fault group the endpoint belongs to.
    pub fn group(self) -> Group {
        match self {
            Endpoint::SubmitEsDsl | Endpoint::SubmitIdFile => Group::Submit,
            Endpoint::Files => Group::Status,
            Endpoint::Download => Group::Download,
            Endpoint::Search | Endpoint::Preview => Group::Search,
        }
    }
}

/// One call that reached an endpoint of the API (wrong paths are not logged).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct CallRecord {
    /// Order of arrival, from 1.
    pub seq: u64,
    /// Which call.
    pub endpoint: Endpoint,
    /// Request path.
    pub path: String,
    /// The `apikey` header, if any.
    pub key: Option<String>,
    /// Status answered (before a connection cut, if any).
    pub status: u16,
    /// When it arrived: milliseconds since the simulator started (for rate figures).
    #[serde(default)]
    pub millis: u64,
}

/// How a data request was made.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// By ES DSL query.
    EsDsl,
    /// By ID file.
    IdFile,
    /// The big-file fixture ([`crate::Simulator::create_big_file_request`]).
    Fixture,
}

/// Where a data request stands (as of the last poll: requests settle lazily, when polled).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestState {
    /// Not ready yet (or ready but not polled since).
    Processing,
    /// Became ready but the account could not pay; a poll after a top-up delivers.
    InsufficientCredits,
    /// Files listed.
    Ready,
    /// Nothing matched.
    NoMatch,
    /// An ES DSL query without `limit` matched more than 10,000 records.
    TooManyMatches,
    /// Older than the retention period.
    Expired,
}

/// A data request as tests and the admin API see it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RequestInfo {
    /// The request id (a UUID).
    pub id: String,
    /// How it was made.
    pub kind: RequestKind,
    /// The API key that made it.
    pub key: String,
    /// Where it stands.
    pub state: RequestState,
    /// Records the query or file matched (before `limit`).
    pub matched: usize,
    /// Records it delivers (0 when too many matched).
    pub record_count: usize,
    /// Listed file names (once ready).
    pub files: Vec<String>,
    /// Credits charged so far.
    pub charged: i64,
    /// Creation time on the simulated clock, UNIX milliseconds (the wall clock plus every
    /// [`crate::Simulator::advance_clock`], so it survives a restart).
    pub created_at_ms: u64,
    /// The `limit` sent, if any.
    pub limit: Option<u32>,
    /// The `webhook_url` sent, if any (stored only: the simulator calls no webhooks).
    pub webhook_url: Option<String>,
}

/// What a new data request is made of.
pub(crate) struct NewRequest {
    pub(crate) kind: RequestKind,
    pub(crate) key: String,
    pub(crate) matched: usize,
    /// Ids to deliver, already capped by `limit`; empty when too many matched.
    pub(crate) ids: Vec<u64>,
    pub(crate) limit: Option<u32>,
    pub(crate) webhook_url: Option<String>,
    /// Canonical ES DSL request, for the 409 rule.
    pub(crate) canonical: Option<String>,
}

/// A data request. Times are durations since the UNIX epoch on the simulated clock.
struct DataRequest {
    seq: u64,
    info: RequestInfo,
    ids: Vec<u64>,
    ready_at: Duration,
    created_at: Duration,
    canonical: Option<String>,
    finalizing: bool,
    files: Vec<StoredFile>,
}

impl DataRequest {
    /// Whether the request still has to settle (and so needs its ids).
    fn unsettled(&self) -> bool {
        matches!(
            self.info.state,
            RequestState::Processing | RequestState::InsufficientCredits
        )
    }

    /// The saved form; a request being settled is saved as not charged yet (its files are not
    /// written, so a restart settles it again).
    fn saved(&self, dir: &Path) -> SavedRequest {
        let mut info = self.info.clone();
        if self.finalizing {
            info.charged = 0;
        }
        let stored = self
            .files
            .iter()
            .map(|f| StoredFile {
                path: f.path.strip_prefix(dir).unwrap_or(&f.path).to_path_buf(),
                ..f.clone()
            })
            .collect();
        SavedRequest {
            info,
            ready_at_ms: self.ready_at.as_millis() as u64,
            canonical: self.canonical.clone(),
            ids: if self.unsettled() {
                self.ids.clone()
            } else {
                Vec::new()
            },
            stored,
        }
    }

    /// A request restored from its saved form (relative file paths resolved against `dir`).
    fn restored(seq: u64, saved: SavedRequest, dir: &Path) -> DataRequest {
        let files = saved
            .stored
            .into_iter()
            .map(|f| StoredFile {
                path: dir.join(&f.path),
                ..f
            })
            .collect();
        DataRequest {
            seq,
            created_at: Duration::from_millis(saved.info.created_at_ms),
            info: saved.info,
            ids: saved.ids,
            ready_at: Duration::from_millis(saved.ready_at_ms),
            canonical: saved.canonical,
            finalizing: false,
            files,
        }
    }
}

/// The result of a status poll.
pub(crate) enum Poll {
    Pending,
    Ready(Vec<String>),
}

/// The first step of a poll: an answer already, or result files to write.
enum Step {
    /// Answer this; `changed` when the request's state changed (so it is saved first).
    Answer {
        result: Result<Poll, ApiError>,
        changed: bool,
    },
    /// The request was charged and is being settled: write these files.
    Write {
        ids: Vec<u64>,
        dir: PathBuf,
        hostile: bool,
        /// The people as they are at the charge, so the files hold what was charged.
        people: Overlay,
    },
}

/// A download ready to stream.
pub(crate) struct DownloadPlan {
    pub(crate) path: PathBuf,
    /// Bytes served as the whole file (less than on disk when truncation is on).
    pub(crate) len: u64,
    pub(crate) cut_after: Option<u64>,
    pub(crate) throttle: Option<u64>,
}

struct Bucket {
    tokens: f64,
    last: Instant,
}

/// Rate-limit headers for an admitted call.
#[derive(Clone, Copy, Debug)]
pub(crate) struct RateInfo {
    pub(crate) limit: u32,
    pub(crate) remaining: u32,
}

struct Inner {
    clock_offset: Duration,
    credits: HashMap<String, i64>,
    requests: HashMap<String, DataRequest>,
    next_seq: u64,
    faults: Faults,
    rng: StdRng,
    buckets: HashMap<(String, Endpoint), Bucket>,
    calls: Vec<CallRecord>,
}

/// The folder result files live in; a temporary one is removed when dropped.
pub(crate) struct DataDir {
    pub(crate) path: PathBuf,
    temporary: bool,
}

impl DataDir {
    /// Whether the folder was configured (and so outlives the simulator).
    pub(crate) fn persistent(&self) -> bool {
        !self.temporary
    }

    pub(crate) fn new(configured: Option<&Path>) -> std::io::Result<DataDir> {
        let (path, temporary) = match configured {
            Some(p) => (p.to_path_buf(), false),
            None => (
                std::env::temp_dir().join(format!("coresignal-sim-{}", uuid::Uuid::new_v4())),
                true,
            ),
        };
        std::fs::create_dir_all(&path)?;
        Ok(DataDir { path, temporary })
    }
}

impl Drop for DataDir {
    fn drop(&mut self) {
        if self.temporary {
            let _ = std::fs::remove_dir_all(&self.path);
        }
    }
}

/// Everything the routes share.
pub(crate) struct Shared {
    pub(crate) config: SimConfig,
    pub(crate) corpus: Arc<Corpus>,
    pub(crate) data_dir: DataDir,
    /// People changed, deleted or added by the control calls.
    pub(crate) people: People,
    started: Instant,
    /// The wall clock when `started` was taken, since the UNIX epoch.
    epoch: Duration,
    inner: Mutex<Inner>,
    big_file: tokio::sync::Mutex<()>,
    /// Saves the state; `None` for a temporary data folder.
    persister: Option<Persister>,
}

impl Shared {
    /// The state `config` describes, updated by the state saved in a configured data folder (a
    /// saved balance wins over the configured one).
    pub(crate) fn new(config: SimConfig, corpus: Arc<Corpus>, data_dir: DataDir) -> Shared {
        let mut inner = Inner {
            clock_offset: Duration::ZERO,
            credits: config.api_keys.iter().cloned().collect(),
            requests: HashMap::new(),
            next_seq: 1,
            faults: config.faults.clone(),
            rng: StdRng::seed_from_u64(config.seed),
            buckets: HashMap::new(),
            calls: Vec::new(),
        };
        let persister = data_dir
            .persistent()
            .then(|| Persister::new(&data_dir.path));
        let people = People::default();
        if let Some(mut saved) = persister.as_ref().and_then(Persister::load) {
            people.restore(corpus.seed, std::mem::take(&mut saved.people));
            restore(&mut inner, saved, &data_dir.path);
        }
        Shared {
            config,
            corpus,
            data_dir,
            people,
            started: Instant::now(),
            epoch: Duration::from_millis(persist::unix_ms()),
            inner: Mutex::new(inner),
            big_file: Default::default(),
            persister,
        }
    }

    /// What the state file gets: everything but the call log, rate limits and faults. A request
    /// being settled is saved uncharged, its charge given back to the balance.
    fn snapshot(&self) -> StateFile {
        let inner = self.lock();
        let mut credits: BTreeMap<String, i64> = inner.credits.clone().into_iter().collect();
        let mut all: Vec<&DataRequest> = inner.requests.values().collect();
        all.sort_by_key(|r| r.seq);
        for r in all.iter().filter(|r| r.finalizing) {
            *credits.entry(r.info.key.clone()).or_insert(0) += r.info.charged;
        }
        StateFile {
            version: persist::VERSION,
            clock_offset_ms: inner.clock_offset.as_millis() as u64,
            credits,
            requests: all
                .into_iter()
                .map(|r| r.saved(&self.data_dir.path))
                .collect(),
            people: self.people.saved(),
        }
    }

    /// Writes the state file (blocking; a no-op without a configured data folder). A failure is
    /// logged: the simulator keeps serving from memory.
    pub(crate) fn save(&self) {
        let Some(persister) = &self.persister else {
            return;
        };
        if let Err(e) = persister.save(|| self.snapshot()) {
            tracing::warn!("cannot save the simulator state: {e}");
        }
    }

    /// [`Shared::save`] off the async workers.
    async fn persist(self: &Arc<Self>) {
        if self.persister.is_none() {
            return;
        }
        let shared = self.clone();
        if let Err(e) = tokio::task::spawn_blocking(move || shared.save()).await {
            tracing::warn!("cannot save the simulator state: {e}");
        }
    }

    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock leaves plain data behind; keep serving it.
        self.inner.lock().unwrap_or_else(PoisonError::into_inner)
    }

    /// The simulated clock, since the UNIX epoch.
    fn now(&self, inner: &Inner) -> Duration {
        self.epoch + self.started.elapsed() + inner.clock_offset
    }

    /// The simulated clock, UNIX milliseconds.
    pub(crate) fn now_ms(&self) -> u64 {
        let inner = self.lock();
        self.now(&inner).as_millis() as u64
    }

    /// Moves the clock forward and saves (blocking).
    pub(crate) fn advance_clock(&self, by: Duration) {
        self.lock().clock_offset += by;
        self.save();
    }

    // --- accounts --------------------------------------------------------------------------

    pub(crate) fn credits(&self, key: &str) -> Option<i64> {
        self.lock().credits.get(key).copied()
    }

    pub(crate) fn all_credits(&self) -> HashMap<String, i64> {
        self.lock().credits.clone()
    }

    /// Sets a balance and saves (blocking).
    pub(crate) fn set_credits(&self, key: &str, credits: i64) {
        self.lock().credits.insert(key.to_string(), credits);
        self.save();
    }

    /// Takes `cost` credits from `key` (saving when it is not free), or answers 402.
    pub(crate) async fn charge(self: &Arc<Self>, key: &str, cost: i64) -> Result<(), ApiError> {
        {
            let mut inner = self.lock();
            let balance = inner.credits.entry(key.to_string()).or_insert(0);
            if *balance < cost {
                return Err(ApiError::new(402, "Insufficient credits"));
            }
            *balance -= cost;
        }
        if cost != 0 {
            self.persist().await;
        }
        Ok(())
    }

    // --- faults, rate limits, calls -------------------------------------------------------

    pub(crate) fn faults(&self) -> Faults {
        self.lock().faults.clone()
    }

    /// How long a keep-alive connection may sit idle before a request on it is dropped (fault).
    pub(crate) fn close_idle_after(&self) -> Option<Duration> {
        self.lock()
            .faults
            .close_idle_after_ms
            .map(Duration::from_millis)
    }

    pub(crate) fn set_faults(&self, faults: Faults) {
        self.lock().faults = faults;
    }

    /// Token bucket per key per endpoint (and the forced storm), or a 429.
    pub(crate) fn admit(
        &self,
        key: &str,
        endpoint: Endpoint,
    ) -> Result<RateInfo, (ApiError, RateInfo)> {
        let rate = self.config.rate_limit_per_second;
        let mut inner = self.lock();
        let storm = faults::take(&mut inner.faults.rate_limit_storm);
        let storm_retry_after = inner.faults.storm_retry_after_secs.filter(|_| storm);
        let now = Instant::now();
        let bucket = inner
            .buckets
            .entry((key.to_string(), endpoint))
            .or_insert(Bucket {
                tokens: f64::from(rate),
                last: now,
            });
        bucket.tokens = (bucket.tokens
            + now.duration_since(bucket.last).as_secs_f64() * f64::from(rate))
        .min(f64::from(rate));
        bucket.last = now;
        if storm || bucket.tokens < 1.0 {
            let mut err = ApiError::new(429, "Too many requests");
            if let Some(secs) = storm_retry_after {
                err.retry_after = Some(secs);
            } else if self.config.send_retry_after {
                let wait = if storm {
                    1.0
                } else {
                    (1.0 - bucket.tokens) / f64::from(rate)
                };
                err.retry_after = Some(wait.ceil().max(1.0) as u64);
            }
            return Err((
                err,
                RateInfo {
                    limit: rate,
                    remaining: 0,
                },
            ));
        }
        bucket.tokens -= 1.0;
        Ok(RateInfo {
            limit: rate,
            remaining: bucket.tokens.floor() as u32,
        })
    }

    /// A random 5xx for this group, per the configured probability.
    pub(crate) fn random_failure(&self, group: Group) -> Option<ApiError> {
        let mut inner = self.lock();
        let p = inner.faults.error_rate.get(group);
        if p <= 0.0 || inner.rng.random::<f64>() >= p {
            return None;
        }
        let status = [500, 502, 503, 504][inner.rng.random_range(0..4)];
        Some(ApiError::server_error(status))
    }

    pub(crate) fn take_submit_unavailable(&self) -> bool {
        faults::take(&mut self.lock().faults.submit_unavailable)
    }

    /// The status to answer a successful submit with instead, if that fault fires.
    pub(crate) fn take_submit_lost(&self) -> Option<u16> {
        let mut inner = self.lock();
        let status = inner.faults.lost_status();
        faults::take(&mut inner.faults.submit_lost).then_some(status)
    }

    pub(crate) fn delay(&self, group: Group) -> Duration {
        Duration::from_millis(self.lock().faults.delay_ms.get(group))
    }

    pub(crate) fn log_call(&self, endpoint: Endpoint, path: &str, key: Option<&str>, status: u16) {
        let mut inner = self.lock();
        let seq = inner.calls.len() as u64 + 1;
        let millis = self.started.elapsed().as_millis() as u64;
        inner.calls.push(CallRecord {
            millis,
            seq,
            endpoint,
            path: path.to_string(),
            key: key.map(str::to_string),
            status,
        });
    }

    pub(crate) fn calls(&self) -> Vec<CallRecord> {
        self.lock().calls.clone()
    }

    pub(crate) fn clear_calls(&self) {
        self.lock().calls.clear();
    }

    // --- search ---------------------------------------------------------------------------

    /// Ids of searchable records matching `query`, ascending (evaluated off the async workers).
    pub(crate) async fn search(&self, query: Query) -> Vec<u64> {
        let (corpus, people) = (self.corpus.clone(), self.people.overlay());
        let run = move || {
            people
                .searchable(&corpus.records)
                .into_iter()
                .filter(|r| dsl::matches(&query, *r))
                .map(|r| r.id)
                .collect()
        };
        tokio::task::spawn_blocking(run).await.unwrap_or_default()
    }

    /// Up to `n` preview records matching `query`.
    pub(crate) async fn preview(&self, query: Query, n: usize) -> Vec<serde_json::Value> {
        let (corpus, people) = (self.corpus.clone(), self.people.overlay());
        let run = move || {
            people
                .searchable(&corpus.records)
                .into_iter()
                .filter(|r| dsl::matches(&query, *r))
                .take(n)
                .filter_map(|r| serde_json::to_value(r.preview()).ok())
                .collect()
        };
        tokio::task::spawn_blocking(run).await.unwrap_or_default()
    }

    // --- data requests --------------------------------------------------------------------

    fn info(&self, inner: &Inner, r: &DataRequest) -> RequestInfo {
        let mut info = r.info.clone();
        if self.now(inner) >= r.created_at + self.config.retention {
            info.state = RequestState::Expired;
        }
        info
    }

    pub(crate) fn requests(&self) -> Vec<RequestInfo> {
        let inner = self.lock();
        let mut all: Vec<&DataRequest> = inner.requests.values().collect();
        all.sort_by_key(|r| r.seq);
        all.into_iter().map(|r| self.info(&inner, r)).collect()
    }

    /// Creates a data request and saves it before returning, or answers 409 for an identical ES DSL
    /// request still in progress.
    pub(crate) async fn create_request(
        self: &Arc<Self>,
        new: NewRequest,
    ) -> Result<RequestInfo, ApiError> {
        let info = self.insert_request(new)?;
        self.persist().await;
        Ok(info)
    }

    /// [`Shared::create_request`] without saving.
    fn insert_request(&self, new: NewRequest) -> Result<RequestInfo, ApiError> {
        let mut inner = self.lock();
        let now = self.now(&inner);
        if let Some(canonical) = &new.canonical {
            let busy = inner.requests.values().any(|r| {
                r.info.key == new.key
                    && r.canonical.as_ref() == Some(canonical)
                    && (now < r.ready_at || r.finalizing)
            });
            if busy {
                return Err(ApiError::new(
                    409,
                    "Identical data request is already in progress.",
                ));
            }
        }
        let id = uuid::Uuid::new_v4().to_string();
        let seq = inner.next_seq;
        inner.next_seq += 1;
        let info = RequestInfo {
            id: id.clone(),
            kind: new.kind,
            key: new.key,
            state: RequestState::Processing,
            matched: new.matched,
            record_count: new.ids.len(),
            files: Vec::new(),
            charged: 0,
            created_at_ms: now.as_millis() as u64,
            limit: new.limit,
            webhook_url: new.webhook_url,
        };
        let request = DataRequest {
            seq,
            info: info.clone(),
            ids: new.ids,
            ready_at: now + self.config.processing_time,
            created_at: now,
            canonical: new.canonical,
            finalizing: false,
            files: Vec::new(),
        };
        inner.requests.insert(id, request);
        Ok(info)
    }

    fn not_found() -> ApiError {
        ApiError::new(404, "Not found")
    }

    fn expired() -> ApiError {
        ApiError::new(404, "Data request has expired")
    }

    fn no_match(&self) -> ApiError {
        ApiError::new(
            self.config.no_match_status,
            "Request did not find any matching IDs",
        )
    }

    fn too_many() -> ApiError {
        ApiError::new(422, "Request matched too many IDs. Maximum is 10,000 IDs")
    }

    /// A status poll: settles a request whose processing time has passed (charging it once and
    /// writing its files), saves what changed, then reports it.
    pub(crate) async fn poll(self: &Arc<Self>, id: &str) -> Result<Poll, ApiError> {
        match self.begin_poll(id)? {
            Step::Answer { result, changed } => {
                if changed {
                    self.persist().await;
                }
                result
            }
            Step::Write {
                ids,
                dir,
                hostile,
                people,
            } => {
                // Settled in a task of its own: a client that gives up on this poll (a timeout
                // closes the connection and drops this future) must not leave the request
                // "finalizing" for ever; the next poll finds it ready.
                let (seed, per_file) = (self.corpus.seed, self.config.records_per_file);
                let shared = Arc::clone(self);
                let id = id.to_owned();
                let settle = tokio::spawn(async move {
                    let written = tokio::task::spawn_blocking(move || {
                        files::write_parts(&dir, seed, &ids, per_file, hostile, &people)
                    })
                    .await
                    .map_err(std::io::Error::other)
                    .and_then(|w| w);
                    let result = shared.finish_poll(&id, written);
                    if result.is_ok() {
                        shared.persist().await;
                    }
                    result
                });
                settle
                    .await
                    .unwrap_or_else(|_| Err(ApiError::new(500, "Internal Server Error")))
            }
        }
    }

    /// Answers a poll from the request's state, or charges it and marks it as being settled.
    fn begin_poll(&self, id: &str) -> Result<Step, ApiError> {
        let mut inner = self.lock();
        let now = self.now(&inner);
        let hostile = inner.faults.hostile_file_names;
        let r = inner.requests.get(id).ok_or_else(Self::not_found)?;
        if now >= r.created_at + self.config.retention {
            return Err(Self::expired());
        }
        let answer = |result| {
            Ok(Step::Answer {
                result,
                changed: false,
            })
        };
        match r.info.state {
            RequestState::Ready => return answer(Ok(Poll::Ready(r.info.files.clone()))),
            RequestState::NoMatch => return answer(Err(self.no_match())),
            RequestState::TooManyMatches => return answer(Err(Self::too_many())),
            RequestState::Expired => return answer(Err(Self::expired())),
            RequestState::Processing | RequestState::InsufficientCredits => {}
        }
        if r.finalizing || now < r.ready_at {
            return answer(Ok(Poll::Pending));
        }
        let key = r.info.key.clone();
        // Only the people the service still has are delivered and charged.
        let people = self.people.overlay();
        let too_many = r.ids.is_empty();
        let ids: Vec<u64> = r
            .ids
            .iter()
            .copied()
            .filter(|&i| people.exists(i))
            .collect();
        let (matched, count) = (r.info.matched, ids.len());
        let cost = count as i64 * self.config.credits_per_record;
        let balance = inner.credits.get(&key).copied().unwrap_or(0);
        let failure = if matched == 0 || (count == 0 && !too_many) {
            Some((RequestState::NoMatch, self.no_match()))
        } else if too_many {
            Some((RequestState::TooManyMatches, Self::too_many()))
        } else if balance < cost {
            Some((
                RequestState::InsufficientCredits,
                ApiError::new(402, "Insufficient credits"),
            ))
        } else {
            None
        };
        let r = inner.requests.get_mut(id).ok_or_else(Self::not_found)?;
        if let Some((state, err)) = failure {
            let changed = r.info.state != state;
            r.info.state = state;
            return Ok(Step::Answer {
                result: Err(err),
                changed,
            });
        }
        r.finalizing = true;
        r.info.charged = cost;
        r.info.record_count = count;
        r.ids.clone_from(&ids);
        *inner.credits.entry(key).or_insert(0) -= cost;
        Ok(Step::Write {
            ids,
            dir: self.data_dir.path.join("requests").join(id),
            hostile,
            people,
        })
    }

    /// Lists the written files, or refunds the charge when writing failed.
    fn finish_poll(
        &self,
        id: &str,
        written: std::io::Result<Vec<StoredFile>>,
    ) -> Result<Poll, ApiError> {
        let mut inner = self.lock();
        let r = inner.requests.get_mut(id).ok_or_else(Self::not_found)?;
        r.finalizing = false;
        match written {
            Ok(stored) => {
                r.info.files = stored.iter().map(|f| f.name.clone()).collect();
                r.info.state = RequestState::Ready;
                r.files = stored;
                Ok(Poll::Ready(r.info.files.clone()))
            }
            Err(e) => {
                let refund = std::mem::take(&mut r.info.charged);
                let key = r.info.key.clone();
                *inner.credits.entry(key).or_insert(0) += refund;
                tracing::error!("writing result files failed: {e}");
                Err(ApiError::new(500, "Internal Server Error"))
            }
        }
    }

    /// Looks up a listed file by its exact name and applies the download faults.
    pub(crate) fn download(&self, id: &str, name: &str) -> Result<DownloadPlan, ApiError> {
        let mut inner = self.lock();
        let now = self.now(&inner);
        let r = inner.requests.get(id).ok_or_else(Self::not_found)?;
        if now >= r.created_at + self.config.retention {
            return Err(Self::expired());
        }
        let file = r
            .files
            .iter()
            .find(|f| f.name == name)
            .ok_or_else(|| ApiError::new(404, "File not found"))?;
        let (path, size) = (file.path.clone(), file.size);
        let faults = &mut inner.faults;
        let len = if faults.take_truncate() {
            size - (size / 3).max(16).min(size)
        } else {
            size
        };
        Ok(DownloadPlan {
            path,
            len,
            cut_after: faults.take_cut(),
            throttle: faults.throttle_bytes_per_second,
        })
    }

    /// A ready request whose single file is a gzip of at least `min_bytes`, written once per data
    /// folder and seed (and reused while it is there). Not charged.
    pub(crate) async fn big_file_request(
        self: &Arc<Self>,
        key: &str,
        min_bytes: u64,
    ) -> std::io::Result<RequestInfo> {
        let _one_at_a_time = self.big_file.lock().await;
        let seed = self.corpus.seed;
        let path = self
            .data_dir
            .path
            .join("fixtures")
            .join(format!("big-{seed}-{min_bytes}.json.gz"));
        let count_path = path.with_extension("count");
        let known = std::fs::read_to_string(&count_path)
            .ok()
            .and_then(|s| s.trim().parse::<u64>().ok());
        let size = std::fs::metadata(&path).map(|m| m.len()).unwrap_or(0);
        let records = match known {
            Some(n) if size >= min_bytes => n,
            _ => {
                let p = path.clone();
                let n =
                    tokio::task::spawn_blocking(move || files::write_big_file(&p, seed, min_bytes))
                        .await
                        .map_err(std::io::Error::other)??;
                std::fs::write(&count_path, n.to_string())?;
                n
            }
        };
        let size = std::fs::metadata(&path)?.len();
        let name = files::part_name(0, &uuid::Uuid::new_v4().to_string(), false);
        let info = self
            .insert_request(NewRequest {
                kind: RequestKind::Fixture,
                key: key.to_string(),
                matched: records as usize,
                ids: Vec::new(),
                limit: None,
                webhook_url: None,
                canonical: None,
            })
            .map_err(|e| std::io::Error::other(e.detail))?;
        let info = {
            let mut inner = self.lock();
            let Some(r) = inner.requests.get_mut(&info.id) else {
                return Err(std::io::Error::other("request vanished"));
            };
            r.ready_at = r.created_at;
            r.info.record_count = records as usize;
            r.info.state = RequestState::Ready;
            r.info.files = vec![name.clone()];
            r.files = vec![StoredFile { name, path, size }];
            r.info.clone()
        };
        self.persist().await;
        Ok(info)
    }
}

/// Applies a saved state over the configured one: the clock offset, balances (a saved balance wins;
/// configured keys not saved keep their configured balance) and the data requests.
fn restore(inner: &mut Inner, saved: StateFile, dir: &Path) {
    inner.clock_offset = Duration::from_millis(saved.clock_offset_ms);
    inner.credits.extend(saved.credits);
    for (seq, request) in (1..).zip(saved.requests) {
        let r = DataRequest::restored(seq, request, dir);
        inner.requests.insert(r.info.id.clone(), r);
        inner.next_seq = seq + 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shared(dir: &Path) -> Arc<Shared> {
        let config = SimConfig {
            processing_time: Duration::ZERO,
            api_keys: vec![("k".into(), 10)],
            corpus_size: 100,
            data_dir: Some(dir.to_path_buf()),
            ..SimConfig::default()
        };
        let data_dir = DataDir::new(config.data_dir.as_deref()).unwrap();
        Arc::new(Shared::new(config, Corpus::shared(1, 100), data_dir))
    }

    /// A request for IDs 1, 2 and 3 by key `k`.
    fn three_ids(webhook_url: Option<&str>) -> NewRequest {
        NewRequest {
            kind: RequestKind::IdFile,
            key: "k".into(),
            matched: 3,
            ids: vec![1, 2, 3],
            limit: None,
            webhook_url: webhook_url.map(str::to_owned),
            canonical: None,
        }
    }

    #[tokio::test]
    async fn a_request_being_settled_is_saved_uncharged_and_settles_after_a_restart() {
        let dir =
            std::env::temp_dir().join(format!("coresignal-sim-state-{}", uuid::Uuid::new_v4()));
        let first = shared(&dir);
        let info = first
            .create_request(three_ids(Some("https://example.com/hook")))
            .await
            .unwrap();
        // Charged and settling; the process dies before the files are written.
        assert!(matches!(first.begin_poll(&info.id), Ok(Step::Write { .. })));
        assert_eq!(first.credits("k"), Some(7));
        first.save();
        drop(first);

        let second = shared(&dir);
        assert_eq!(second.requests(), vec![info.clone()]);
        assert_eq!(second.credits("k"), Some(10), "the charge was given back");
        assert!(matches!(second.poll(&info.id).await, Ok(Poll::Ready(f)) if f.len() == 1));
        assert_eq!(second.credits("k"), Some(7));
        drop(second);

        let third = shared(&dir);
        let settled = &third.requests()[0];
        assert_eq!((settled.state, settled.charged), (RequestState::Ready, 3));
        assert!(third.download(&info.id, &settled.files[0]).is_ok());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn a_poll_given_up_while_its_files_are_written_still_settles_the_request() {
        let dir =
            std::env::temp_dir().join(format!("coresignal-sim-state-{}", uuid::Uuid::new_v4()));
        let shared = shared(&dir);
        let info = shared.create_request(three_ids(None)).await.unwrap();
        // The client's timeout drops the poll at its first wait: the files are being written.
        let abandoned = tokio::time::timeout(Duration::ZERO, shared.poll(&info.id)).await;
        assert!(abandoned.is_err(), "the poll was given up mid-way");
        let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
        loop {
            match shared.poll(&info.id).await {
                Ok(Poll::Ready(files)) => {
                    assert_eq!(files.len(), 1);
                    break;
                }
                Ok(Poll::Pending) if tokio::time::Instant::now() < deadline => {
                    tokio::time::sleep(Duration::from_millis(10)).await;
                }
                Ok(Poll::Pending) => panic!("the request never settled"),
                Err(error) => panic!("the poll failed: {}", error.detail),
            }
        }
        assert_eq!(shared.credits("k"), Some(7), "charged once");
        // The settling task may still be saving the state file after its answer: retry the clean-up.
        for _ in 0..100 {
            if std::fs::remove_dir_all(&dir).is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}
