//! The engine: submits jobs, and runs the one scheduler that polls every active job and downloads
//! its files. State lives in SQLite, so a restart resumes everything.

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, RwLock};
use std::time::Duration;

use serde::Serialize;
use tokio::sync::{broadcast, watch, Notify};

use crate::api::{
    ApiClient, ApiConfig, ApiError, EsDslSubmission, PollOutcome, RateLimiter, SubmitError,
};
use crate::download::{download_file, local_file_names, DownloadProgress};
use crate::error::Coded;
use crate::query::EsQuery;
use crate::secrets::ApiKey;
use crate::store::{
    format_time, parse_time, EventKind, FileRow, FileState, JobEvent, JobRow, NewJobRow, Setting,
    Store,
};

use super::request::{fingerprint, CostEstimate, JobRequest, NewJob};
use super::{EngineError, JobKind, JobState, Mode, PollSchedule};

/// How long the service keeps a request's files.
const RETENTION: time::Duration = time::Duration::days(30);

/// How the engine is set up.
#[derive(Debug, Clone)]
pub struct EngineOptions {
    /// Live or Practice: which history this engine reads and writes.
    pub mode: Mode,
    /// Where to reach the service.
    pub api: ApiConfig,
    /// Each job gets its own folder under this one.
    pub download_root: PathBuf,
    /// Credits one delivered profile costs.
    pub credits_per_record: u32,
    /// How often to ask about a processing job.
    pub poll: PollSchedule,
}

/// A job with everything the detail view shows.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[ts(export)]
pub struct JobDetail {
    /// The job.
    pub job: JobRow,
    /// Its files.
    pub files: Vec<FileRow>,
    /// Its audit trail, oldest first.
    pub events: Vec<JobEvent>,
    /// The service keeps the files for 30 days after submission: download them before this time.
    pub download_before: Option<String>,
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
        /// Its new state.
        state: JobState,
    },
    /// The service said "still processing"; the next check is scheduled.
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
    /// The latest account balance the service reported.
    Balance {
        /// Credits remaining.
        #[ts(type = "number")]
        credits: i64,
    },
}

/// Submits jobs and drives them to the end. Share it as `Arc<Engine>`.
pub struct Engine {
    store: Store,
    options: EngineOptions,
    limiter: Arc<RateLimiter>,
    api: RwLock<Option<ApiClient>>,
    key: RwLock<Option<ApiKey>>,
    updates: broadcast::Sender<JobUpdate>,
    wake: Notify,
    key_rejected: watch::Sender<bool>,
    downloading: Mutex<HashSet<i64>>,
    cancels: Mutex<Vec<(i64, watch::Sender<bool>)>>,
    stopping: std::sync::atomic::AtomicBool,
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
        let engine = Arc::new(Self {
            store,
            options,
            limiter,
            api: RwLock::new(None),
            key: RwLock::new(None),
            updates,
            wake: Notify::new(),
            key_rejected,
            downloading: Mutex::new(HashSet::new()),
            cancels: Mutex::new(Vec::new()),
            stopping: std::sync::atomic::AtomicBool::new(false),
        });
        if let Some(key) = key {
            engine.set_key(key)?;
        }
        Ok(engine)
    }

    /// Replaces the API key (the user fixed it): builds a new client and lifts a key pause.
    pub fn set_key(&self, key: ApiKey) -> Result<(), EngineError> {
        let client = ApiClient::new(self.options.api.clone(), key.clone(), self.limiter.clone())?;
        *write(&self.api) = Some(client);
        *write(&self.key) = Some(key);
        self.key_rejected.send_replace(false);
        self.wake.notify_one();
        Ok(())
    }

    /// The store this engine writes.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The mode this engine serves.
    pub fn mode(&self) -> Mode {
        self.options.mode
    }

    /// Listens to what the engine does.
    pub fn subscribe(&self) -> broadcast::Receiver<JobUpdate> {
        self.updates.subscribe()
    }

    /// True while polling is paused because the service rejected the key.
    pub fn key_rejected(&self) -> bool {
        *self.key_rejected.borrow()
    }

    fn client(&self) -> Result<ApiClient, EngineError> {
        read(&self.api).clone().ok_or_else(|| {
            EngineError::Api(ApiError::KeyRejected {
                status: 401,
                detail: Some("no API key is set".into()),
            })
        })
    }

    /// Replaces the key, if it ever appears, in text bound for the audit trail.
    fn redact(&self, text: &str) -> String {
        match read(&self.key).as_ref() {
            Some(key) if !key.expose().is_empty() => text.replace(key.expose(), "<redacted>"),
            _ => text.to_owned(),
        }
    }

    fn record_balance(&self, client: &ApiClient) {
        let Some(credits) = *client.balance().borrow() else {
            return;
        };
        let setting = match self.options.mode {
            Mode::Live => Setting::LastBalanceLive,
            Mode::Practice => Setting::LastBalancePractice,
        };
        if let Err(error) = self.store.set_setting(setting, &credits.to_string()) {
            tracing::warn!("could not store the balance: {error}");
        }
        let _ = self.updates.send(JobUpdate::Balance { credits });
    }

    /// The latest balance the service reported in this mode, if any.
    pub fn last_balance(&self) -> Result<Option<i64>, EngineError> {
        let setting = match self.options.mode {
            Mode::Live => Setting::LastBalanceLive,
            Mode::Practice => Setting::LastBalancePractice,
        };
        Ok(self
            .store
            .setting(setting)?
            .and_then(|text| text.parse().ok()))
    }

    // ----- estimate and submit -------------------------------------------------------------

    /// Asks the service how many profiles `query` matches, and what collecting them will cost.
    pub async fn estimate(
        &self,
        query: &EsQuery,
        limit: Option<u32>,
    ) -> Result<CostEstimate, EngineError> {
        check_limit(limit)?;
        let client = self.client()?;
        let answer = client.estimate(&query.body).await;
        self.record_balance(&client);
        let estimate = answer?;
        let balance = estimate.credits_remaining.or(self.last_balance()?);
        Ok(CostEstimate::new(
            estimate.total_results,
            limit,
            self.options.credits_per_record,
            balance,
        ))
    }

    /// Submits a job: writes the row, then POSTs once. Never re-sends a POST that may have arrived.
    pub async fn submit(&self, job: NewJob) -> Result<JobRow, EngineError> {
        let row = self.store.insert_job(&self.new_row(&job)?)?;
        self.notify_state(&row);
        let client = self.client()?;
        let answer = match &job.request {
            JobRequest::Query { query, limit } => {
                let submission = EsDslSubmission {
                    es_dsl_query: query.body.clone(),
                    limit: *limit,
                    webhook_url: job.webhook_url.clone(),
                };
                client.submit_es_dsl(&submission).await
            }
            JobRequest::Ids { report, .. } => {
                client
                    .submit_id_file(&report.ids, job.webhook_url.as_deref())
                    .await
            }
        };
        self.record_balance(&client);
        match answer {
            Ok(submitted) => {
                self.store.set_request_id(row.id, &submitted.request_id)?;
                self.server_event(
                    row.id,
                    Some(submitted.http_status),
                    &format!("Accepted; request id {}.", submitted.request_id),
                )?;
                let next = self.next_poll_text(0);
                self.store.set_next_poll(row.id, Some(&next), false)?;
                let row = self.transition(row.id, JobState::Processing, None, None)?;
                self.wake.notify_one();
                Ok(row)
            }
            Err(SubmitError::Uncertain { reason, status }) => {
                self.server_event(row.id, status, &reason)?;
                let why = format!("{reason} The request was not sent again.");
                self.transition(row.id, JobState::Uncertain, Some(&why), Some("Uncertain"))?;
                Err(EngineError::Uncertain {
                    job: row.id,
                    reason,
                })
            }
            Err(SubmitError::Rejected(error)) => self.submission_refused(&row, error),
        }
    }

    fn submission_refused(&self, row: &JobRow, error: ApiError) -> Result<JobRow, EngineError> {
        self.server_event(row.id, error.status(), &error.to_string())?;
        if matches!(error, ApiError::KeyRejected { .. }) {
            self.key_rejected.send_replace(true);
        }
        let error = match error {
            ApiError::DuplicateInProgress { .. } => EngineError::DuplicateInProgress {
                existing_job: self.find_running_twin(row)?,
                job: row.id,
            },
            other => EngineError::Api(other),
        };
        let code = format!("{:?}", error.code());
        self.transition(
            row.id,
            JobState::Failed,
            Some(&error.user_message()),
            Some(&code),
        )?;
        Err(error)
    }

    /// The newest other job of this mode with the same request that has not ended.
    fn find_running_twin(&self, row: &JobRow) -> Result<Option<i64>, EngineError> {
        Ok(self
            .store
            .jobs(self.options.mode)?
            .into_iter()
            .find(|other| {
                other.id != row.id
                    && other.fingerprint == row.fingerprint
                    && matches!(other.state, JobState::Processing | JobState::Uncertain)
            })
            .map(|other| other.id))
    }

    fn new_row(&self, job: &NewJob) -> Result<NewJobRow, EngineError> {
        let webhook_url = check_webhook(job.webhook_url.as_deref())?;
        let (kind, query_json, query_limit, ids_text, ids_count, source_file, canonical, estimated) =
            match &job.request {
                JobRequest::Query { query, limit } => {
                    check_limit(*limit)?;
                    let canonical = serde_json::json!({"es_dsl_query": query.body, "limit": limit});
                    (
                        JobKind::EsDsl,
                        Some(query.compact()),
                        *limit,
                        None,
                        None,
                        None,
                        canonical,
                        job.estimated_records,
                    )
                }
                JobRequest::Ids {
                    report,
                    source_file,
                } => {
                    report.check_submittable()?;
                    let count = report.ids.len() as u32;
                    let canonical = serde_json::json!({"ids": report.ids});
                    (
                        JobKind::IdFile,
                        None,
                        None,
                        Some(report.upload_csv()),
                        Some(count),
                        source_file.clone(),
                        canonical,
                        Some(u64::from(count)),
                    )
                }
            };
        let name = job
            .name
            .as_deref()
            .map(str::trim)
            .filter(|name| !name.is_empty())
            .map(str::to_owned)
            .unwrap_or_else(|| default_name(&job.request));
        Ok(NewJobRow {
            mode: self.options.mode,
            download_dir: String::new(),
            name,
            kind,
            query_json,
            query_limit,
            ids_text,
            ids_count,
            source_file,
            webhook_url,
            fingerprint: fingerprint(&canonical),
            estimated_records: estimated,
            credits_per_record: self.options.credits_per_record,
        })
    }

    // ----- reading -------------------------------------------------------------------------

    /// This mode's jobs, newest first.
    pub fn jobs(&self) -> Result<Vec<JobRow>, EngineError> {
        Ok(self.store.jobs(self.options.mode)?)
    }

    /// One job with its files and audit trail. Jobs of the other mode are not visible.
    pub fn detail(&self, id: i64) -> Result<JobDetail, EngineError> {
        let job = self.job(id)?;
        let download_before = job
            .submitted_at
            .as_deref()
            .and_then(parse_time)
            .map(|at| format_time(at + RETENTION));
        Ok(JobDetail {
            files: self.store.files(id)?,
            events: self.store.events(id)?,
            download_before,
            job,
        })
    }

    /// One job of this mode.
    pub fn job(&self, id: i64) -> Result<JobRow, EngineError> {
        let job = self.store.job(id)?;
        if job.mode != self.options.mode {
            return Err(crate::store::StoreError::NoSuchJob(id).into());
        }
        Ok(job)
    }

    /// The folder a job's files go to: its own folder under the download root, unless set.
    pub fn job_folder(&self, job: &JobRow) -> PathBuf {
        if job.download_dir.is_empty() {
            self.options
                .download_root
                .join(folder_name(job.id, &job.name))
        } else {
            PathBuf::from(&job.download_dir)
        }
    }

    // ----- polling -------------------------------------------------------------------------

    /// Asks the service once about a `processing` job and records the answer.
    pub async fn poll_once(&self, id: i64) -> Result<JobRow, EngineError> {
        let job = self.job(id)?;
        if job.state != JobState::Processing {
            return Ok(job);
        }
        let request_id = job.request_id.clone().ok_or(EngineError::InvalidState {
            job: id,
            state: job.state,
            action: "polling without a request id",
        })?;
        let client = self.client()?;
        let answer = client.poll_files(&request_id).await;
        self.record_balance(&client);
        match answer {
            Ok(outcome) => self.record_poll(&job, outcome),
            Err(error) => self.poll_failed(&job, error),
        }
    }

    fn record_poll(&self, job: &JobRow, outcome: PollOutcome) -> Result<JobRow, EngineError> {
        let status = Some(outcome.status());
        match outcome {
            PollOutcome::Pending { message, .. } => {
                let detail = message.unwrap_or_else(|| "Still processing.".into());
                self.server_event(job.id, status, &detail)?;
                let wait = self.options.poll.interval(job.poll_count + 1);
                let next = format_time(time::OffsetDateTime::now_utc() + wait);
                self.store.set_next_poll(job.id, Some(&next), true)?;
                let _ = self.updates.send(JobUpdate::Polled {
                    job: job.id,
                    next_check_in_secs: wait.as_secs_f64(),
                });
                Ok(self.job(job.id)?)
            }
            PollOutcome::Ready { files, .. } => {
                self.server_event(job.id, status, &format!("Ready: {} file(s).", files.len()))?;
                let local = local_file_names(&files);
                let pairs: Vec<_> = files.into_iter().zip(local).collect();
                self.store.upsert_files(job.id, &pairs)?;
                self.store.set_next_poll(job.id, None, true)?;
                self.transition(job.id, JobState::Ready, None, None)
            }
            PollOutcome::NoResults { detail, .. } => {
                self.settle(job, JobState::NoResults, status, detail)
            }
            PollOutcome::TooManyMatches { detail } => {
                self.settle(job, JobState::TooManyMatches, status, detail)
            }
            PollOutcome::Expired { detail } => self.settle(job, JobState::Expired, status, detail),
            PollOutcome::InsufficientCredits { detail } => {
                self.settle(job, JobState::InsufficientCredits, status, detail)
            }
        }
    }

    fn settle(
        &self,
        job: &JobRow,
        state: JobState,
        status: Option<u16>,
        detail: Option<String>,
    ) -> Result<JobRow, EngineError> {
        self.server_event(
            job.id,
            status,
            detail.as_deref().unwrap_or(state.describe()),
        )?;
        self.store.set_next_poll(job.id, None, true)?;
        self.transition(job.id, state, Some(state.describe()), None)
    }

    fn poll_failed(&self, job: &JobRow, error: ApiError) -> Result<JobRow, EngineError> {
        self.server_event(job.id, error.status(), &error.to_string())?;
        if matches!(error, ApiError::KeyRejected { .. }) {
            self.key_rejected.send_replace(true);
            return Err(error.into());
        }
        // Transient trouble (network, 5xx, 429 after every retry): the job stays processing and is
        // asked again after the next interval.
        let wait = self.options.poll.interval(job.poll_count + 1);
        let next = format_time(time::OffsetDateTime::now_utc() + wait);
        self.store.set_next_poll(job.id, Some(&next), false)?;
        Err(error.into())
    }

    /// Polls a job until it leaves `processing`, or until `timeout`. Returns the settled job.
    pub async fn wait(&self, id: i64, timeout: Option<Duration>) -> Result<JobRow, EngineError> {
        let started = tokio::time::Instant::now();
        loop {
            let job = self.job(id)?;
            if job.state != JobState::Processing {
                return Ok(job);
            }
            if let Some(limit) = timeout {
                if started.elapsed() >= limit {
                    return Err(EngineError::Timeout {
                        job: id,
                        state: job.state,
                        waited: started.elapsed(),
                    });
                }
            }
            let due = time_until(job.next_poll_at.as_deref());
            let sleep = timeout.map_or(due, |limit| {
                due.min(limit.saturating_sub(started.elapsed()))
            });
            tokio::time::sleep(sleep).await;
            if time_until(job.next_poll_at.as_deref()).is_zero() {
                match self.poll_once(id).await {
                    Ok(_) => {}
                    Err(EngineError::Api(error)) if error.is_transient() => {}
                    Err(error) => return Err(error),
                }
            }
        }
    }

    // ----- downloading ---------------------------------------------------------------------

    /// Downloads every file of a `ready` (or partly downloaded) job into its folder, or into `to`.
    pub async fn download(&self, id: i64, to: Option<&Path>) -> Result<JobRow, EngineError> {
        let job = self.job(id)?;
        if !matches!(
            job.state,
            JobState::Ready | JobState::Downloading | JobState::Downloaded | JobState::Failed
        ) || self.store.files(id)?.is_empty()
        {
            return Err(EngineError::InvalidState {
                job: id,
                state: job.state,
                action: "downloading",
            });
        }
        if let Some(dir) = to {
            let dir = dir.to_string_lossy();
            if dir != job.download_dir {
                self.store.set_download_dir(id, &dir)?;
                self.store.reset_files(id)?;
            }
        }
        if !self.claim_download(id) {
            return Err(EngineError::InvalidState {
                job: id,
                state: JobState::Downloading,
                action: "a second download of the same job",
            });
        }
        let result = self.download_claimed(id).await;
        self.release_download(id);
        result
    }

    async fn download_claimed(&self, id: i64) -> Result<JobRow, EngineError> {
        let job = self.job(id)?;
        let folder = self.job_folder(&job);
        if job.download_dir.is_empty() {
            self.store.set_download_dir(id, &folder.to_string_lossy())?;
        }
        let request_id = job.request_id.clone().unwrap_or_default();
        self.transition(id, JobState::Downloading, None, None)?;
        let client = self.client()?;
        let cancel = self.cancel_receiver(id);
        for file in self.store.files(id)? {
            if file.state == FileState::Done
                && file.path.as_deref().is_some_and(|p| Path::new(p).exists())
            {
                continue;
            }
            self.store
                .set_file_state(file.id, FileState::Downloading, None)?;
            let updates = self.updates.clone();
            let local_name = file.local_name.clone();
            let progress = move |progress: DownloadProgress| {
                let _ = updates.send(JobUpdate::Download {
                    job: id,
                    file: local_name.clone(),
                    bytes_done: progress.bytes_done,
                    bytes_total: progress.bytes_total,
                });
            };
            let result = download_file(
                &client,
                &request_id,
                &file.server_name,
                &folder,
                &file.local_name,
                &progress,
                cancel.clone(),
            )
            .await;
            self.record_balance(&client);
            match result {
                Ok(done) => {
                    self.store.set_file_done(
                        file.id,
                        &done.path.to_string_lossy(),
                        done.bytes,
                        done.records,
                    )?;
                    self.note(
                        id,
                        &format!(
                            "Downloaded {} ({} bytes, {} profiles).",
                            file.local_name, done.bytes, done.records
                        ),
                    )?;
                }
                Err(error) => {
                    if self.is_stopping() {
                        // Shut down mid-file: the `.part` stays and the next engine resumes it.
                        return Err(error.into());
                    }
                    let message = error.user_message();
                    self.store
                        .set_file_state(file.id, FileState::Failed, Some(&message))?;
                    let still = self.job(id)?;
                    if still.state != JobState::Cancelled {
                        let code = format!("{:?}", error.code());
                        self.transition(id, JobState::Failed, Some(&message), Some(&code))?;
                    }
                    return Err(error.into());
                }
            }
        }
        let files = self.store.files(id)?;
        let records: u64 = files.iter().filter_map(|file| file.records).sum();
        let summary = format!(
            "{} file(s), {} profiles, in {}.",
            files.len(),
            records,
            folder.display()
        );
        self.transition(id, JobState::Downloaded, Some(&summary), None)
    }

    fn claim_download(&self, id: i64) -> bool {
        !self.is_stopping() && lock(&self.downloading).insert(id)
    }

    fn release_download(&self, id: i64) {
        lock(&self.downloading).remove(&id);
        lock(&self.cancels).retain(|(job, _)| *job != id);
    }

    fn cancel_receiver(&self, id: i64) -> watch::Receiver<bool> {
        let mut cancels = lock(&self.cancels);
        if let Some((_, sender)) = cancels.iter().find(|(job, _)| *job == id) {
            return sender.subscribe();
        }
        let (sender, receiver) = watch::channel(false);
        cancels.push((id, sender));
        receiver
    }

    // ----- user actions --------------------------------------------------------------------

    /// Stops a job: no more polling or downloading. The service cannot be told, so a request it has
    /// already accepted may still be charged.
    pub fn cancel(&self, id: i64) -> Result<JobRow, EngineError> {
        let job = self.job(id)?;
        if !matches!(
            job.state,
            JobState::Processing
                | JobState::Ready
                | JobState::Downloading
                | JobState::InsufficientCredits
                | JobState::Uncertain
        ) {
            return Err(EngineError::InvalidState {
                job: id,
                state: job.state,
                action: "cancelling",
            });
        }
        let row = self.transition(
            id,
            JobState::Cancelled,
            Some("Cancelled by you. Coresignal may still charge for a request it had already accepted."),
            None,
        )?;
        if let Some((_, sender)) = lock(&self.cancels).iter().find(|(job, _)| *job == id) {
            sender.send_replace(true);
        }
        Ok(row)
    }

    /// Tries again where it makes sense without spending twice: asks again after a top-up
    /// (`insufficient_credits`), resumes a failed download. Never re-sends a POST.
    pub fn retry(&self, id: i64) -> Result<JobRow, EngineError> {
        let job = self.job(id)?;
        let next_state = match job.state {
            JobState::InsufficientCredits => JobState::Processing,
            JobState::Failed if job.request_id.is_some() && !self.store.files(id)?.is_empty() => {
                JobState::Ready
            }
            state => {
                return Err(EngineError::InvalidState {
                    job: id,
                    state,
                    action: "retrying",
                })
            }
        };
        let now = format_time(time::OffsetDateTime::now_utc());
        self.store.set_next_poll(id, Some(&now), false)?;
        let row = self.transition(id, next_state, Some("Retry asked by you."), None)?;
        self.wake.notify_one();
        Ok(row)
    }

    // ----- the scheduler -------------------------------------------------------------------

    /// Stops this engine's downloads (their `.part` files stay, to be resumed) and waits until
    /// none is writing, so that another engine over the same store can take over safely. Stop the
    /// scheduler too (its `shutdown` signal) so that it starts nothing new.
    pub async fn shut_down(&self) {
        self.stopping
            .store(true, std::sync::atomic::Ordering::SeqCst);
        for (_, sender) in lock(&self.cancels).iter() {
            sender.send_replace(true);
        }
        while !lock(&self.downloading).is_empty() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    fn is_stopping(&self) -> bool {
        self.stopping.load(std::sync::atomic::Ordering::SeqCst)
    }

    /// Makes the store consistent after a stop or crash, before the scheduler runs:
    /// `submitting` becomes `uncertain` (the POST may have left), `downloading` goes back to
    /// `ready` (the `.part` files resume), and every processing job is due now.
    pub fn recover(&self) -> Result<(), EngineError> {
        let now = format_time(time::OffsetDateTime::now_utc());
        for job in self.store.jobs(self.options.mode)? {
            match job.state {
                JobState::Submitting => {
                    self.transition(
                        job.id,
                        JobState::Uncertain,
                        Some("The app stopped while sending this request, so it may or may not have reached Coresignal. It was not sent again."),
                        Some("Uncertain"),
                    )?;
                }
                JobState::Downloading => {
                    self.transition(
                        job.id,
                        JobState::Ready,
                        Some("Resuming the download after a restart."),
                        None,
                    )?;
                }
                JobState::Processing => self.store.set_next_poll(job.id, Some(&now), false)?,
                _ => {}
            }
        }
        Ok(())
    }

    /// The scheduler: polls every due `processing` job and downloads every `ready` one, until
    /// `shutdown` turns true. Call [`Engine::recover`] first.
    pub async fn run(self: Arc<Self>, mut shutdown: watch::Receiver<bool>) {
        loop {
            if *shutdown.borrow() {
                return;
            }
            let sleep = match self.tick().await {
                Ok(sleep) => sleep,
                Err(error) => {
                    tracing::warn!("scheduler: {}", self.redact(&error.to_string()));
                    Duration::from_secs(1)
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(sleep) => {}
                _ = self.wake.notified() => {}
                _ = shutdown.changed() => {}
            }
        }
    }

    /// One pass of the scheduler; returns how long to sleep before the next one.
    async fn tick(self: &Arc<Self>) -> Result<Duration, EngineError> {
        let mut sleep = self.options.poll.max;
        for job in self
            .store
            .jobs_in_states(self.options.mode, &JobState::ACTIVE)?
        {
            match job.state {
                JobState::Processing if !self.key_rejected() => {
                    let due = time_until(job.next_poll_at.as_deref());
                    if due.is_zero() {
                        // Errors are in the audit trail already; the job is rescheduled.
                        let _ = self.poll_once(job.id).await;
                        sleep = Duration::ZERO;
                    } else {
                        sleep = sleep.min(due);
                    }
                }
                JobState::Ready | JobState::Downloading
                    if !lock(&self.downloading).contains(&job.id) =>
                {
                    let engine = Arc::clone(self);
                    tokio::spawn(async move {
                        if let Err(error) = engine.download(job.id, None).await {
                            tracing::warn!("job {}: {}", job.id, engine.redact(&error.to_string()));
                        }
                    });
                }
                _ => {}
            }
        }
        Ok(sleep)
    }

    // ----- recording -----------------------------------------------------------------------

    fn transition(
        &self,
        id: i64,
        state: JobState,
        reason: Option<&str>,
        error_code: Option<&str>,
    ) -> Result<JobRow, EngineError> {
        let reason = reason.map(|text| self.redact(text));
        let row = self
            .store
            .set_state(id, state, reason.as_deref(), error_code)?;
        self.notify_state(&row);
        Ok(row)
    }

    fn notify_state(&self, row: &JobRow) {
        let _ = self.updates.send(JobUpdate::State {
            job: row.id,
            state: row.state,
        });
    }

    fn server_event(&self, id: i64, status: Option<u16>, detail: &str) -> Result<(), EngineError> {
        Ok(self
            .store
            .add_event(id, EventKind::Server, status, &self.redact(detail))?)
    }

    fn note(&self, id: i64, detail: &str) -> Result<(), EngineError> {
        Ok(self
            .store
            .add_event(id, EventKind::Note, None, &self.redact(detail))?)
    }

    fn next_poll_text(&self, polls: u32) -> String {
        format_time(time::OffsetDateTime::now_utc() + self.options.poll.interval(polls))
    }
}

fn check_limit(limit: Option<u32>) -> Result<(), EngineError> {
    match limit {
        Some(limit) if !(1..=10_000).contains(&limit) => Err(EngineError::InvalidInput(format!(
            "The limit must be between 1 and 10,000 profiles; {limit} was given."
        ))),
        _ => Ok(()),
    }
}

fn check_webhook(url: Option<&str>) -> Result<Option<String>, EngineError> {
    let Some(url) = url.map(str::trim).filter(|url| !url.is_empty()) else {
        return Ok(None);
    };
    match url::Url::parse(url) {
        Ok(parsed) if parsed.scheme() == "https" && parsed.host().is_some() => Ok(Some(url.to_owned())),
        _ => Err(EngineError::InvalidInput(format!(
            "The webhook address {url:?} is not a secure web address. Use one that starts with https://, or leave it empty."
        ))),
    }
}

fn default_name(request: &JobRequest) -> String {
    match request {
        JobRequest::Query { limit, .. } => match limit {
            Some(limit) => format!("Search (up to {limit} profiles)"),
            None => "Search".to_owned(),
        },
        JobRequest::Ids {
            report,
            source_file,
        } => {
            let file = source_file
                .as_deref()
                .and_then(|path| Path::new(path).file_name())
                .map(|name| name.to_string_lossy().into_owned());
            match file {
                Some(file) => format!("{} IDs from {file}", report.ids.len()),
                None => format!("{} IDs", report.ids.len()),
            }
        }
    }
}

/// A folder name for a job: `job-<id>-<name as a safe slug>`.
fn folder_name(id: i64, name: &str) -> String {
    let mut slug = String::new();
    for character in name.chars() {
        if character.is_alphanumeric() {
            slug.extend(character.to_lowercase());
        } else if !slug.ends_with('-') && !slug.is_empty() {
            slug.push('-');
        }
        if slug.len() >= 40 {
            break;
        }
    }
    let slug = slug.trim_end_matches('-');
    if slug.is_empty() {
        format!("job-{id}")
    } else {
        format!("job-{id}-{slug}")
    }
}

fn time_until(at: Option<&str>) -> Duration {
    let Some(at) = at.and_then(parse_time) else {
        return Duration::ZERO;
    };
    let left = at - time::OffsetDateTime::now_utc();
    left.try_into().unwrap_or(Duration::ZERO)
}

// The engine's locks guard plain in-memory data; a panic elsewhere cannot leave it inconsistent,
// so a poisoned lock is still safe to use.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn read<T>(lock: &RwLock<T>) -> std::sync::RwLockReadGuard<'_, T> {
    lock.read().unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn write<T>(lock: &RwLock<T>) -> std::sync::RwLockWriteGuard<'_, T> {
    lock.write()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_names_are_safe_slugs() {
        assert_eq!(
            folder_name(7, "Python engineers, Vilnius!"),
            "job-7-python-engineers-vilnius"
        );
        assert_eq!(folder_name(8, "../../etc"), "job-8-etc");
        assert_eq!(folder_name(9, "   "), "job-9");
        assert_eq!(folder_name(10, "Zoë Ångström"), "job-10-zoë-ångström");
    }

    #[test]
    fn webhook_must_be_https() {
        assert_eq!(check_webhook(None).unwrap(), None);
        assert_eq!(check_webhook(Some("  ")).unwrap(), None);
        assert!(check_webhook(Some("https://example.com/hook")).is_ok());
        let error = check_webhook(Some("http://example.com/hook")).unwrap_err();
        assert!(error.to_string().contains("https://"));
    }

    #[test]
    fn limit_must_be_between_1_and_10000() {
        assert!(check_limit(None).is_ok());
        assert!(check_limit(Some(1)).is_ok());
        assert!(check_limit(Some(10_000)).is_ok());
        assert!(check_limit(Some(0)).is_err());
        assert!(check_limit(Some(10_001)).is_err());
    }

    #[test]
    fn due_times_in_the_past_or_missing_are_now() {
        assert_eq!(time_until(None), Duration::ZERO);
        assert_eq!(time_until(Some("2000-01-01T00:00:00Z")), Duration::ZERO);
        let later = format_time(time::OffsetDateTime::now_utc() + Duration::from_secs(30));
        assert!(time_until(Some(&later)) > Duration::from_secs(25));
    }
}
