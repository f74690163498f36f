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

mod accounts;
mod records;
mod request;
mod requests;
#[cfg(test)]
mod tests;

pub use records::*;
use request::{DataRequest, Step};
pub(crate) use request::{DownloadPlan, Poll};

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
