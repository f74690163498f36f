//! What people do with jobs, for every front end (the app's commands and the CLI call these and
//! nothing else): list, detail, cancel, retry, attach. Quoting and submitting are in `quote` and
//! `submit`; downloading on demand is in `downloads`.

use serde::Serialize;

use crate::store::{
    format_time, Attached, FileRow, JobEvent, JobRow, JobSummary, ListPage, StoreError,
};

use super::batches::{
    batch_count, collection_actions, collection_state, missing_batches, BatchCount, BatchView,
};
use super::engine::lock;
use super::waiting::TypicalWait;
use super::words::{batches_named, collection_named};
use super::{Engine, EngineError, JobAction, JobState};

/// A job with everything the detail view shows.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[ts(export)]
pub struct JobDetail {
    /// The job.
    pub job: JobRow,
    /// What a person can do with it now.
    pub actions: Vec<JobAction>,
    /// Its files.
    pub files: Vec<FileRow>,
    /// Its audit trail, oldest first.
    pub events: Vec<JobEvent>,
    /// The service keeps the files for 30 days after submission: download them before this time.
    pub download_before: Option<String>,
    /// Profiles downloaded so far.
    #[ts(type = "number")]
    pub records_downloaded: u64,
    /// A collection's batches, in order (empty for a single job). Its `files` are theirs.
    pub batches: Vec<BatchView>,
    /// For a collection whose spreadsheet lacks some batches (they ended without files), which,
    /// in plain words; `None` when its spreadsheet holds every batch, or it has none.
    pub spreadsheet_missing: Option<String>,
    /// A collection's progress: batches ready, profiles downloaded (`None` for a single job).
    pub batch_count: Option<BatchCount>,
    /// While it is under way: how long Coresignal typically takes (`None` once it has ended).
    pub typical_wait: Option<TypicalWait>,
    /// For a job Coresignal refused for want of credits (402): what it needs, what the account
    /// had, in one sentence; `None` otherwise.
    pub not_enough_credits: Option<super::credits::NotEnoughCredits>,
}

impl Engine {
    /// This mode's jobs as summaries, newest first: those changed since a time, and/or one page
    /// (see [`ListPage`]).
    pub fn list(&self, page: &ListPage<'_>) -> Result<Vec<JobSummary>, EngineError> {
        let mut summaries = self.store.job_summaries(self.mode(), page)?;
        for summary in &mut summaries {
            if summary.state == JobState::Collection {
                let batches = self.batch_views(summary.id)?;
                let states: Vec<JobState> = batches.iter().map(|batch| batch.state).collect();
                summary.state = collection_state(&states);
                summary.actions = collection_actions(&batches);
                summary.records_downloaded =
                    batches.iter().map(|batch| batch.records_downloaded).sum();
                summary.batches = Some(batch_count(&batches));
                summary.credits_charged = self.collection_charged(&batches)?;
            }
        }
        Ok(summaries)
    }

    /// This mode's jobs, whole, newest first (the CLI's listing); a collection stands for its
    /// batches.
    pub fn jobs(&self) -> Result<Vec<JobRow>, EngineError> {
        self.store
            .jobs(self.mode())?
            .into_iter()
            .filter(|job| job.parent_id.is_none())
            .map(|job| self.shown(job))
            .collect()
    }

    /// One job with its files, audit trail and allowed actions. Jobs of the other mode are not
    /// visible.
    pub fn detail(&self, id: i64) -> Result<JobDetail, EngineError> {
        let job = self.job(id)?;
        if job.state == JobState::Collection {
            return self.collection_detail(job);
        }
        let files = self.store.files(id)?;
        Ok(JobDetail {
            actions: JobAction::allowed(
                job.state,
                job.request_id.is_some(),
                !files.is_empty(),
                job.parent_id.map(|_| super::batches::requeueable(&job)),
                self.store.paid_after_cancel(id)?,
            ),
            download_before: job.files_expire_at().map(format_time),
            records_downloaded: files.iter().filter_map(|file| file.records).sum(),
            events: self.store.events(id)?,
            files,
            typical_wait: self.typical_wait_while(job.state)?,
            batches: Vec::new(),
            spreadsheet_missing: None,
            batch_count: None,
            not_enough_credits: (job.state == JobState::InsufficientCredits)
                .then(|| self.not_enough_credits(&job)),
            job,
        })
    }

    /// A collection's page: the state and actions worked out from its batches, their files, and
    /// the earliest date a batch's files must be downloaded by.
    fn collection_detail(&self, mut job: JobRow) -> Result<JobDetail, EngineError> {
        let batches = self.batch_views(job.id)?;
        let states: Vec<JobState> = batches.iter().map(|batch| batch.state).collect();
        job.state = collection_state(&states);
        let mut files = Vec::new();
        let mut download_before = None;
        for row in self.store.batches(job.id)? {
            files.extend(self.store.files(row.id)?);
            if let Some(at) = row.files_expire_at() {
                download_before = Some(
                    download_before.map_or(at, |earliest: time::OffsetDateTime| earliest.min(at)),
                );
            }
        }
        let missing = missing_batches(&batches);
        let spreadsheet_missing = (job.export_path.is_some() && !missing.is_empty()).then(|| {
            let one = missing.len() == 1;
            format!(
                "{} {} not in this spreadsheet: {} ended without files. Open {} below to see why and what can be done.",
                batches_named(&missing),
                if one { "is" } else { "are" },
                if one { "it" } else { "they" },
                if one { "it" } else { "them" },
            )
        });
        Ok(JobDetail {
            actions: collection_actions(&batches),
            download_before: download_before.map(format_time),
            records_downloaded: batches.iter().map(|batch| batch.records_downloaded).sum(),
            events: self.store.events(job.id)?,
            files,
            typical_wait: self.typical_wait_while(job.state)?,
            job,
            batch_count: Some(batch_count(&batches)),
            not_enough_credits: self.collection_not_enough_credits(&batches),
            batches,
            spreadsheet_missing,
        })
    }

    /// The typical wait, for a job shown in `state`: only while it is under way.
    fn typical_wait_while(&self, state: JobState) -> Result<Option<TypicalWait>, EngineError> {
        if !state.is_under_way() {
            return Ok(None);
        }
        Ok(Some(self.typical_wait()?))
    }

    /// What a collection's batches were charged together; `None` while any is not known yet.
    fn collection_charged(&self, batches: &[BatchView]) -> Result<Option<u64>, EngineError> {
        let mut total = 0u64;
        for batch in batches {
            let listed = self.store.listed_credits(batch.job)?;
            match crate::store::credits_charged(batch.state, listed) {
                Some(credits) => total = total.saturating_add(credits),
                None => return Ok(None),
            }
        }
        Ok(Some(total))
    }

    /// One job of this mode.
    pub fn job(&self, id: i64) -> Result<JobRow, EngineError> {
        let job = self.store.job(id)?;
        if job.mode != self.mode() {
            return Err(StoreError::NoSuchJob(id).into());
        }
        Ok(job)
    }

    /// Stops a job: no more polling or downloading. The service cannot be told, so a request it has
    /// already accepted may still be charged.
    pub fn cancel(&self, id: i64) -> Result<JobRow, EngineError> {
        let job = self.job(id)?;
        if job.state == JobState::Collection {
            return self.cancel_collection(job);
        }
        let moved = self.move_job(
            id,
            &JobState::ALL,
            JobState::Cancelled,
            Some(CANCELLED),
            None,
        )?;
        let Some(row) = moved else {
            return Err(EngineError::InvalidState {
                job: id,
                state: job.state,
                action: "cancelling",
            });
        };
        self.stop_work(id);
        Ok(row)
    }

    /// Cancels every batch of collection `job` that can be, at once (one transaction: no batch
    /// is sent after it), and stops their work here.
    fn cancel_collection(&self, job: JobRow) -> Result<JobRow, EngineError> {
        let moved = self.store.cancel_batches(job.id, CANCELLED)?;
        if moved.is_empty() {
            let shown = self.shown(job)?;
            return Err(EngineError::InvalidState {
                job: shown.id,
                state: shown.state,
                action: "cancelling",
            });
        }
        for row in &moved {
            self.notify_state(row);
            self.stop_work(row.id);
        }
        self.shown(job)
    }

    /// Stops what this engine does for cancelled job `id`: its download, its next poll.
    fn stop_work(&self, id: i64) {
        if let Some(sender) = lock(&self.downloads).get(&id) {
            sender.send_replace(true);
        }
        self.forget_due(id);
    }

    /// Tries again where it cannot spend twice: asks again after a top-up (`insufficient_credits`)
    /// or after the service did not find the request, resumes a failed download, follows again a
    /// request Coresignal received after the job was cancelled while uncertain (already paid:
    /// [`JobAction::DownloadPaid`]). Never re-sends a POST.
    pub fn retry(&self, id: i64) -> Result<JobRow, EngineError> {
        let job = self.job(id)?;
        if job.state == JobState::Collection {
            return self.for_each_batch(job, |batch| self.retry(batch));
        }
        let reason = match job.state {
            JobState::Cancelled => "You asked to download this request: Coresignal received it (it is already paid); checking it with Coresignal.",
            _ => "Retry asked by you.",
        };
        let has_files = !self.store.files(id)?.is_empty();
        if job.state == JobState::Failed && job.request_id.is_none() {
            if let Some(row) = self.store.requeue_batch(id)? {
                self.notify_state(&row);
                self.wake.notify_one();
                return Ok(row);
            }
        }
        let next = match job.state {
            JobState::InsufficientCredits => JobState::Processing,
            JobState::Failed if job.request_id.is_some() && has_files => JobState::Ready,
            JobState::Failed if job.request_id.is_some() => JobState::Processing,
            // The store checks it again in the move itself.
            JobState::Cancelled if self.store.paid_after_cancel(id)? => JobState::Processing,
            state => {
                return Err(EngineError::InvalidState {
                    job: id,
                    state,
                    action: "retrying",
                })
            }
        };
        self.store.set_poll_failures(id, 0)?;
        self.store.set_next_poll(id, None, false)?;
        self.forget_due(id);
        let row = self
            .move_job(id, &[job.state], next, Some(reason), None)?
            .ok_or(EngineError::InvalidState {
                job: id,
                state: job.state,
                action: "retrying",
            })?;
        self.wake.notify_one();
        Ok(row)
    }

    /// Retries (`act`) every batch of collection `job` that allows it (Retry, or the download of
    /// a paid request); returns the collection as it stands after. Refuses when no batch allows it.
    fn for_each_batch(
        &self,
        job: JobRow,
        act: impl Fn(i64) -> Result<JobRow, EngineError>,
    ) -> Result<JobRow, EngineError> {
        let batches = self.batch_views(job.id)?;
        let due: Vec<i64> = batches
            .iter()
            .filter(|batch| {
                batch.actions.contains(&JobAction::Retry)
                    || batch.actions.contains(&JobAction::DownloadPaid)
            })
            .map(|batch| batch.job)
            .collect();
        if due.is_empty() {
            let states: Vec<JobState> = batches.iter().map(|batch| batch.state).collect();
            return Err(EngineError::InvalidState {
                job: job.id,
                state: collection_state(&states),
                action: "retrying",
            });
        }
        for batch in due {
            match act(batch) {
                // Moved meanwhile (finished, or cancelled by another window): nothing to do.
                Ok(_) | Err(EngineError::InvalidState { .. }) => {}
                Err(error) => return Err(error),
            }
        }
        self.shown(job)
    }

    /// "I found it": attaches the request id a person found on the Coresignal dashboard to an
    /// uncertain job; the job is then polled, which confirms it (or fails, saying the id is not
    /// known). Nothing is sent.
    pub fn attach(&self, id: i64, request_id: &str) -> Result<JobRow, EngineError> {
        let request_id = request_id.trim();
        let valid = !request_id.is_empty()
            && request_id.len() <= 200
            && request_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'));
        if !valid {
            return Err(EngineError::InvalidInput(format!(
                "{request_id:?} does not look like a Coresignal request id. Copy it from the Coresignal dashboard: letters, digits and dashes, like 6f1c2d3e-…"
            )));
        }
        let job = self.job(id)?;
        let refused = EngineError::InvalidState {
            job: id,
            state: job.state,
            action: "\"I found it\"",
        };
        if job.state != JobState::Uncertain {
            return Err(refused);
        }
        let reason = format!("You attached request id {request_id}; checking it with Coresignal.");
        let row = match self.store.attach_request(id, request_id, &reason)? {
            Attached::Moved(row) => row,
            Attached::NotUncertain => return Err(refused),
            Attached::HeldBy(holder) => {
                return Err(EngineError::InvalidInput(format!(
                    "The id {request_id} already belongs to {}: attaching it here would download that data under this collection's name. Nothing was changed. Check the id in your Coresignal account: this collection's is the one made when it was sent.",
                    self.named(&holder)
                )))
            }
        };
        self.notify_state(&row);
        self.wake.notify_one();
        Ok(row)
    }

    /// A job as the Collections screen names it: `"Python people"` (or `Collection 12` without a
    /// name), or for a batch, `batch 2 of "Python people"`.
    fn named(&self, job: &JobRow) -> String {
        let collection = job.parent_id.and_then(|parent| self.store.job(parent).ok());
        match (collection, job.batch_index) {
            (Some(parent), Some(index)) => {
                format!(
                    "batch {index} of {}",
                    collection_named(parent.id, &parent.name)
                )
            }
            _ => collection_named(job.id, &job.name),
        }
    }

    /// Job `id` as the Collections screen names it, for an error that points at it.
    pub(super) fn named_id(&self, id: i64) -> String {
        let name = self.store.job(id).map(|job| job.name).unwrap_or_default();
        collection_named(id, &name)
    }
}

/// Why a job a person cancelled stands cancelled.
const CANCELLED: &str =
    "Cancelled by you. Coresignal may still charge for a request it had already accepted.";
