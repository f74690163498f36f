//! The engine: one per mode and process. It holds what every duty shares (the store, the client,
//! the options, the update channel, who this process is); the duties live beside it: `quote`,
//! `submit`, `poll`, `downloads`, `scheduler`, `journal`, and the use cases people call in
//! `usecases`.

use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use serde::Serialize;
use tokio::sync::{broadcast, watch, Notify, Semaphore};

use crate::api::{ApiClient, ApiConfig, ApiError, RateLimiter};
use crate::secrets::ApiKey;
use crate::store::{Setting, Store};

use super::{EngineError, JobState, Mode, PollSchedule};

/// How the engine is set up.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// Live or Practice: which history this engine reads and writes.
    pub mode: Mode,
    /// Where to reach the service.
    pub api: ApiConfig,
    /// Each job gets its own folder under this one.
    pub download_root: PathBuf,
    /// Credits one delivered profile costs (the plan setting; a measured figure wins in prices).
    pub credits_per_record: u32,
    /// The person has not said which plan they are on (Live only): until a delivery measures the
    /// figure, prices assume [`crate::money::ASSUMED_CREDITS_PER_PROFILE`] and say so.
    pub credits_assumed: bool,
    /// Credits one preview costs (0: free, no confirmation needed).
    pub preview_credits: u32,
    /// The most credits one request may spend without a second confirmation; `None`: no limit.
    pub credit_cap: Option<u64>,
    /// How often to ask about a processing job.
    pub poll: PollSchedule,
    /// At most this many jobs download at once.
    pub max_downloads: usize,
    /// Requests a second per endpoint (the shared limiter's rate).
    pub requests_per_second: u32,
    /// At most this many batches of one collection are with the service at once (sent and not yet
    /// downloaded); the rest wait their turn.
    pub batches_at_once: usize,
    /// Make a spreadsheet of every job once its files are downloaded.
    pub export_after_download: bool,
    /// In that spreadsheet, how many positions besides the current one get columns.
    pub past_positions: usize,
    /// Who this process is, in plain words, for another process that finds a job busy
    /// ("the Bulk Collect app", "bulk-collect-cli").
    pub owner_label: String,
}

impl EngineOptions {
    /// Options for `mode` against `api`, with the defaults for everything else.
    pub fn new(mode: Mode, api: ApiConfig, download_root: PathBuf) -> Self {
        Self {
            mode,
            api,
            download_root,
            credits_per_record: 1,
            credits_assumed: false,
            preview_credits: crate::money::DEFAULT_PREVIEW_CREDITS,
            credit_cap: None,
            poll: PollSchedule::default(),
            max_downloads: 3,
            batches_at_once: 2,
            requests_per_second: crate::api::DEFAULT_REQUESTS_PER_SECOND,
            export_after_download: true,
            past_positions: 3,
            owner_label: "Bulk Collect".into(),
        }
    }
}

/// What the engine tells listeners (the UI, the CLI's progress bars) as it works.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[ts(export)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum JobUpdate {
    /// A job changed state.
    State {
        /// The job.
        #[ts(type = "number")]
        job: i64,
        /// Its new state (a collection's, as worked out from its batches).
        state: JobState,
        /// The collection it is a batch of: its own move is not news to a person (its
        /// collection's update, sent beside it, is).
        #[ts(type = "number | null")]
        batch_of: Option<i64>,
    },
    /// The service said "still processing" (or "wait"); the next check is scheduled.
    Polled {
        /// The job.
        #[ts(type = "number")]
        job: i64,
        /// Seconds until the next check.
        next_check_in_secs: f64,
    },
    /// Bytes arrived for a file.
    Download {
        /// The job.
        #[ts(type = "number")]
        job: i64,
        /// The file's local name.
        file: String,
        /// Bytes on disk.
        #[ts(type = "number")]
        bytes_done: u64,
        /// The file's size, when known.
        #[ts(type = "number | null")]
        bytes_total: Option<u64>,
    },
    /// A job's spreadsheet was made (after its download).
    Exported {
        /// The job.
        #[ts(type = "number")]
        job: i64,
    },
    /// The latest account balance the service reported.
    Balance {
        /// Credits remaining.
        #[ts(type = "number")]
        credits: i64,
    },
}

/// Submits jobs and drives them to the end. Share it as `Arc<Engine>`.
pub struct Engine {
    pub(super) store: Store,
    pub(super) options: RwLock<EngineOptions>,
    pub(super) limiter: Arc<RateLimiter>,
    api: RwLock<Option<ApiClient>>,
    key: RwLock<Option<ApiKey>>,
    pub(super) updates: broadcast::Sender<JobUpdate>,
    pub(super) wake: Notify,
    pub(super) key_rejected: watch::Sender<bool>,
    /// This engine's unique id: the owner of the leases it takes.
    pub(super) owner: String,
    /// Downloads this engine runs, with their cancel signals.
    pub(super) downloads: Mutex<HashMap<i64, watch::Sender<bool>>>,
    /// Free download slots (`max_downloads`).
    pub(super) download_slots: Arc<Semaphore>,
    /// Submissions this engine is sending right now: never settled by its own scheduler, whatever
    /// their lease says (a clock jump can make a live lease look expired).
    pub(super) submitting: Mutex<HashSet<i64>>,
    /// Polls under way (each job is asked once at a time).
    pub(super) polls: Mutex<HashSet<i64>>,
    /// When each processing job is next due, on the monotonic clock.
    pub(super) due: Mutex<HashMap<i64, tokio::time::Instant>>,
    pub(super) stopping: std::sync::atomic::AtomicBool,
    /// The people of the job whose results table was read last, kept while its files are the same.
    pub(super) people_cache: Mutex<Option<super::export::PeopleCache>>,
    /// The state last announced for each collection (announced again only when it changes).
    pub(super) collections_shown: Mutex<HashMap<i64, JobState>>,
    /// True while this engine's scheduler is sending queued batches (one sender at a time).
    pub(super) batching: std::sync::atomic::AtomicBool,
    /// One lock per job whose spreadsheet this engine makes: a job's spreadsheets are made one
    /// after another, so an older one never lands over a newer one of the same name.
    pub(super) spreadsheets: Mutex<HashMap<i64, Arc<tokio::sync::Mutex<()>>>>,
    /// Collections whose missing spreadsheet was tried, with how they stood (their last change).
    pub(super) spreadsheets_tried: Mutex<HashSet<(i64, String)>>,
    /// A person's yes to spending a Live quote or a paid preview, given outside the webview
    /// ([`crate::consent`]).
    pub(super) consents: crate::consent::Consents,
    /// The team library this engine publishes to and asks ([`crate::team`]), if any.
    pub(super) team: RwLock<Option<Arc<crate::team::TeamLink>>>,
    /// Held while a round of publishing to the team library runs (released however it ends).
    pub(super) publishing: tokio::sync::Mutex<()>,
    /// When publishing was last tried, on the monotonic clock.
    pub(super) team_tried: Mutex<Option<tokio::time::Instant>>,
}

impl Engine {
    /// Creates an engine over `store`. `key` may be `None` until the user sets one.
    pub fn new(
        store: Store,
        options: EngineOptions,
        key: Option<ApiKey>,
        limiter: Arc<RateLimiter>,
    ) -> Result<Arc<Self>, EngineError> {
        let (updates, _) = broadcast::channel(1024);
        let (key_rejected, _) = watch::channel(false);
        let slots = options.max_downloads.max(1);
        let engine = Arc::new(Self {
            store,
            options: RwLock::new(options),
            limiter,
            api: RwLock::new(None),
            key: RwLock::new(None),
            updates,
            wake: Notify::new(),
            key_rejected,
            owner: uuid::Uuid::new_v4().to_string(),
            downloads: Mutex::new(HashMap::new()),
            download_slots: Arc::new(Semaphore::new(slots)),
            submitting: Mutex::new(HashSet::new()),
            polls: Mutex::new(HashSet::new()),
            due: Mutex::new(HashMap::new()),
            stopping: std::sync::atomic::AtomicBool::new(false),
            batching: std::sync::atomic::AtomicBool::new(false),
            collections_shown: Mutex::new(HashMap::new()),
            people_cache: Mutex::new(None),
            spreadsheets: Mutex::new(HashMap::new()),
            spreadsheets_tried: Mutex::new(HashSet::new()),
            consents: crate::consent::Consents::default(),
            team: RwLock::new(None),
            publishing: tokio::sync::Mutex::new(()),
            team_tried: Mutex::new(None),
        });
        if let Some(key) = key {
            engine.set_key(key)?;
        }
        Ok(engine)
    }

    /// Replaces the API key (the user fixed it): builds a new client and lifts a key pause.
    pub fn set_key(&self, key: ApiKey) -> Result<(), EngineError> {
        let client = ApiClient::new(self.options().api, key.clone(), self.limiter.clone())?;
        *write(&self.api) = Some(client);
        *write(&self.key) = Some(key);
        self.key_rejected.send_replace(false);
        self.wake.notify_one();
        Ok(())
    }

    /// Applies new settings to the running engine without restarting it: nothing in flight is
    /// interrupted or recovered. A changed address or proxy takes effect on the next call.
    pub fn apply(&self, options: EngineOptions) -> Result<(), EngineError> {
        self.limiter.set_rate(options.requests_per_second);
        {
            // One lock across reading the old cap and writing the new: two saves at once cannot
            // both take slots away.
            let mut current = write(&self.options);
            self.resize_download_slots(current.max_downloads.max(1), options.max_downloads.max(1));
            *current = options;
        }
        let key = read(&self.key).clone();
        if let Some(key) = key {
            let client = ApiClient::new(self.options().api, key, self.limiter.clone())?;
            *write(&self.api) = Some(client);
        }
        self.wake.notify_one();
        Ok(())
    }

    /// Changes how many downloads may run at once. Running downloads finish; fewer start after.
    fn resize_download_slots(&self, current: usize, slots: usize) {
        if slots > current {
            self.download_slots.add_permits(slots - current);
        } else if slots < current {
            let mut missing = current - slots;
            missing -= self.download_slots.forget_permits(missing);
            if missing > 0 {
                // Permits held by running downloads: take them back as those finish.
                let slots = Arc::clone(&self.download_slots);
                tokio::spawn(async move {
                    if let Ok(permits) = slots.acquire_many_owned(missing as u32).await {
                        permits.forget();
                    }
                });
            }
        }
    }

    /// Where a front end records a person's yes to spending a Live quote or a paid preview (see
    /// [`crate::consent`]): [`Engine::submit_confirmed`] and [`Engine::preview`] take it back.
    pub fn consents(&self) -> &crate::consent::Consents {
        &self.consents
    }

    /// A copy of the current options.
    pub fn options(&self) -> EngineOptions {
        read(&self.options).clone()
    }

    /// The store this engine writes.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The mode this engine serves.
    pub fn mode(&self) -> Mode {
        read(&self.options).mode
    }

    /// Listens to what the engine does.
    pub fn subscribe(&self) -> broadcast::Receiver<JobUpdate> {
        self.updates.subscribe()
    }

    /// True while polling is paused because the service rejected the key.
    pub fn key_rejected(&self) -> bool {
        *self.key_rejected.borrow()
    }

    pub(super) fn client(&self) -> Result<ApiClient, EngineError> {
        read(&self.api).clone().ok_or_else(|| {
            EngineError::Api(ApiError::KeyRejected {
                status: 401,
                detail: Some("no API key is set".into()),
            })
        })
    }

    /// Replaces the key, if it ever appears, in text bound for the audit trail or a log.
    pub(super) fn redact(&self, text: &str) -> String {
        match read(&self.key).as_ref() {
            Some(key) if !key.expose().is_empty() => text.replace(key.expose(), "<redacted>"),
            _ => text.to_owned(),
        }
    }

    /// Stores and announces the balance the service reported on the client's last answer.
    pub(super) fn record_balance(&self, client: &ApiClient) {
        let Some(credits) = *client.balance().borrow() else {
            return;
        };
        if let Err(error) = self
            .store
            .set_setting(self.balance_setting(), &credits.to_string())
        {
            tracing::warn!("could not store the balance: {error}");
        }
        self.note_balance_time(client.balance_seen_at());
        let _ = self.updates.send(JobUpdate::Balance { credits });
    }

    fn balance_setting(&self) -> Setting {
        match self.mode() {
            Mode::Live => Setting::LastBalanceLive,
            Mode::Practice => Setting::LastBalancePractice,
        }
    }

    /// The latest balance the service reported in this mode, if any.
    pub fn last_balance(&self) -> Result<Option<i64>, EngineError> {
        Ok(self
            .store
            .setting(self.balance_setting())?
            .and_then(|text| text.parse().ok()))
    }

    /// Who this engine is, for another process that finds a job busy.
    pub(super) fn owner_label(&self) -> String {
        format!(
            "{} (process {})",
            self.options().owner_label,
            std::process::id()
        )
    }

    pub(super) fn is_stopping(&self) -> bool {
        self.stopping.load(std::sync::atomic::Ordering::SeqCst)
    }
}

/// How long a lease lives without a heartbeat, where its holder's process cannot be seen (another
/// machine): such a holder that died frees its jobs after this. A holder on this machine is judged
/// by its process instead (see [`crate::store::Store::take_lease`]).
pub(super) fn lease_ttl() -> Duration {
    crate::test_seams::lease_ttl(Duration::from_secs(30))
}

// The engine's locks guard plain in-memory data; a panic elsewhere cannot leave it inconsistent,
// so a poisoned lock is still safe to use.
pub(super) fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(super) fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

pub(super) fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}
