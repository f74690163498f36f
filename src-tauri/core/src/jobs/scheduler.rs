//! The scheduler: one task per engine that polls every due `processing` job (concurrently, each
//! under a deadline) and downloads every `ready` one (at most `max_downloads` at once), plus the
//! recovery pass that makes the store consistent after a stop or crash.

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;
use tokio::time::Instant;

use crate::store::{download_lease, parse_time, submit_lease, JobRow};

use super::engine::lock;
use super::{Engine, EngineError, JobState};

/// A poll that takes longer than this is abandoned (the job is asked again later).
const POLL_DEADLINE: Duration = Duration::from_secs(180);

impl Engine {
    /// Makes the store consistent after a stop or crash, for the jobs no live process owns: the
    /// journal's request ids are applied; a `submitting` job becomes `processing` if its request id
    /// is known and `uncertain` if not (the POST may have left; it is never re-sent);
    /// `downloading` goes back to `ready` (the `.part` files resume). Run it once per process
    /// start, before the scheduler.
    pub fn recover(&self) -> Result<(), EngineError> {
        self.apply_journal()?;
        let states = [JobState::Submitting, JobState::Downloading];
        for job in self.store.jobs_in_states(self.mode(), &states)? {
            match job.state {
                JobState::Submitting => self.recover_submission(&job)?,
                JobState::Downloading => self.recover_move(
                    &job,
                    &download_lease(job.id),
                    JobState::Ready,
                    "Resuming the download after a restart.",
                    None,
                )?,
                _ => {}
            }
        }
        Ok(())
    }

    fn recover_submission(&self, job: &JobRow) -> Result<(), EngineError> {
        let resource = submit_lease(job.id);
        if let Some(request_id) = &job.request_id {
            self.recover_move(
                job,
                &resource,
                JobState::Processing,
                &format!("Accepted before the app stopped; request id {request_id}."),
                None,
            )
        } else {
            self.recover_move(
                job,
                &resource,
                JobState::Uncertain,
                "The app stopped while sending this request, so it may or may not have reached Coresignal. It was not sent again.",
                Some(crate::error::ErrorCode::Uncertain),
            )
        }
    }

    /// Moves `job` on from where a stopped process left it, unless a living process holds
    /// `resource`; the dead holder's grant ends in the same transaction (see
    /// [`crate::store::Store::move_state_taking_over`]), so it cannot send or write if it was
    /// only paused.
    fn recover_move(
        &self,
        job: &JobRow,
        resource: &str,
        to: JobState,
        reason: &str,
        error_code: Option<crate::error::ErrorCode>,
    ) -> Result<(), EngineError> {
        let reason = self.redact(reason);
        if let Some(row) = self.store.move_state_taking_over(
            resource,
            job.id,
            &[job.state],
            to,
            Some(&reason),
            error_code,
        )? {
            self.notify_state(&row);
        }
        Ok(())
    }

    /// Makes the spreadsheets that a stop between a download and its spreadsheet left unmade
    /// (when the setting asks for them).
    async fn finish_spreadsheets(&self) {
        if !self.options().export_after_download {
            return;
        }
        match self.store.downloaded_last(self.mode()) {
            Ok(jobs) => {
                // One spreadsheet per collection, asked for through one of its batches (which
                // makes it only once every batch is downloaded).
                let mut asked = std::collections::HashSet::new();
                for job in jobs {
                    let collection = self.job(job).ok().and_then(|row| row.parent_id);
                    if asked.insert(collection.unwrap_or(job)) {
                        self.spreadsheet_after_download(job).await;
                    }
                }
            }
            Err(error) => tracing::warn!("spreadsheets after a restart: {error}"),
        }
    }

    /// Stops this engine's downloads (their `.part` files stay, to be resumed) and waits until
    /// none is writing, nor any spreadsheet, so that another engine over the same store can take over safely. Stop the
    /// scheduler too (its `shutdown` signal) so that it starts nothing new.
    pub async fn shut_down(&self) {
        self.stopping
            .store(true, std::sync::atomic::Ordering::SeqCst);
        for sender in lock(&self.downloads).values() {
            sender.send_replace(true);
        }
        // A spreadsheet being made is finished (one not begun yet is left to the next start).
        while !lock(&self.downloads).is_empty() || self.making_spreadsheets() {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    }

    /// The scheduler: polls every due `processing` job and downloads every `ready` one, until
    /// `shutdown` turns true. Call [`Engine::recover`] first.
    pub async fn run(self: Arc<Self>, mut shutdown: watch::Receiver<bool>) {
        self.finish_spreadsheets().await;
        let mut backoff = Duration::from_secs(1);
        loop {
            if *shutdown.borrow() {
                return;
            }
            let sleep = match self.tick() {
                Ok(sleep) => {
                    backoff = Duration::from_secs(1);
                    sleep
                }
                Err(error) => {
                    // The database failed: wait longer each time rather than spin.
                    tracing::warn!("scheduler: {}", self.redact(&error.to_string()));
                    let wait = backoff;
                    backoff =
                        (backoff * 2).min(self.options().poll.max.max(Duration::from_secs(1)));
                    wait
                }
            };
            tokio::select! {
                _ = tokio::time::sleep(sleep) => {}
                _ = self.wake.notified() => {}
                _ = shutdown.changed() => {}
            }
        }
    }

    /// One pass: starts the polls that are due and the downloads that have a free slot; returns
    /// how long to sleep before the next pass.
    fn tick(self: &Arc<Self>) -> Result<Duration, EngineError> {
        self.apply_journal()?;
        // A submission whose process is gone (a crash, or an error after the quote was spent)
        // is settled now rather than at the next start.
        for job in self
            .store
            .jobs_in_states(self.mode(), &[JobState::Submitting])?
        {
            if lock(&self.submitting).contains(&job.id) {
                continue;
            }
            // Left alone while a living process holds its submission (checked in the move).
            self.recover_submission(&job)?;
        }
        if !self
            .store
            .jobs_in_states(self.mode(), &[JobState::Queued])?
            .is_empty()
        {
            self.start_batches();
        }
        self.start_missing_spreadsheets()?;
        self.retry_team();
        let mut sleep = self.options().poll.max;
        for job in self.store.jobs_in_states(self.mode(), &JobState::ACTIVE)? {
            match job.state {
                JobState::Processing if !self.key_rejected() => {
                    let due = self.due_in(&job);
                    if due.is_zero() {
                        self.start_poll(&job);
                    } else {
                        sleep = sleep.min(due);
                    }
                }
                JobState::Ready | JobState::Downloading => {
                    // A download that found the service out of reach waits its turn (outage.rs).
                    let due = if super::outage::waits_for_service(&job) {
                        self.due_in(&job)
                    } else {
                        Duration::ZERO
                    };
                    if due.is_zero() {
                        self.start_download(&job);
                    } else {
                        sleep = sleep.min(due);
                    }
                }
                _ => {}
            }
        }
        Ok(sleep)
    }

    fn start_poll(self: &Arc<Self>, job: &JobRow) {
        if !lock(&self.polls).insert(job.id) {
            return;
        }
        // Not due again until this poll is answered and rescheduled, even if the database fails.
        let wait = self.options().poll.interval(job.poll_count + 1);
        self.set_due(job.id, wait);
        let engine = Arc::clone(self);
        let id = job.id;
        tokio::spawn(async move {
            // However the poll ends (answered, failed, timed out, or panicked), the job goes back.
            let _turn = PollTurn {
                engine: Arc::clone(&engine),
                job: id,
            };
            match tokio::time::timeout(POLL_DEADLINE, engine.poll_once(id)).await {
                Ok(Ok(_)) | Ok(Err(_)) => {} // Errors are in the audit trail; the job is rescheduled.
                Err(_) => tracing::warn!(
                    "job {id}: the poll took over {POLL_DEADLINE:?}; asking again later"
                ),
            }
        });
    }

    fn start_download(self: &Arc<Self>, job: &JobRow) {
        if self.is_stopping() || lock(&self.downloads).contains_key(&job.id) {
            return;
        }
        let Ok(permit) = Arc::clone(&self.download_slots).try_acquire_owned() else {
            return; // Every slot is busy; a finished download wakes the scheduler.
        };
        let engine = Arc::clone(self);
        let id = job.id;
        tokio::spawn(async move {
            match engine.download(id, None).await {
                Ok(_) | Err(EngineError::Busy { .. }) => {}
                Err(error) => tracing::warn!("job {id}: {}", engine.redact(&error.to_string())),
            }
            drop(permit);
            engine.wake.notify_one();
        });
    }

    /// How long until job `id` is due: this process's monotonic schedule, or for a job it has not
    /// scheduled yet (after a start), the time stored in the database.
    pub(super) fn due_in(&self, job: &JobRow) -> Duration {
        if let Some(at) = lock(&self.due).get(&job.id) {
            return at.saturating_duration_since(Instant::now());
        }
        let Some(at) = job.next_poll_at.as_deref().and_then(parse_time) else {
            return Duration::ZERO;
        };
        (at - time::OffsetDateTime::now_utc())
            .try_into()
            .unwrap_or(Duration::ZERO)
    }

    /// How many polls this engine has under way right now.
    pub fn polls_in_flight(&self) -> usize {
        lock(&self.polls).len()
    }

    pub(super) fn set_due(&self, id: i64, wait: Duration) {
        lock(&self.due).insert(id, Instant::now() + wait);
    }

    pub(super) fn forget_due(&self, id: i64) {
        lock(&self.due).remove(&id);
    }
}

/// A poll task's hold on its job: dropping it (when the task ends, even by a panic) gives the job
/// back to the scheduler, which asks again once it is due.
struct PollTurn {
    engine: Arc<Engine>,
    job: i64,
}

impl Drop for PollTurn {
    fn drop(&mut self) {
        lock(&self.engine.polls).remove(&self.job);
        self.engine.wake.notify_one();
    }
}
