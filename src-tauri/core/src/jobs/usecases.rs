//! What people do with jobs, for every front end (the app's commands and the CLI call these and
//! nothing else): list, detail, cancel, retry, attach. Quoting and submitting are in `quote` and
//! `submit`; downloading on demand is in `downloads`.

use serde::Serialize;

use crate::store::{format_time, FileRow, JobEvent, JobRow, JobSummary, ListPage, StoreError};

use super::engine::lock;
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
}

impl Engine {
    /// This mode's jobs as summaries, newest first: those changed since a time, and/or one page
    /// (see [`ListPage`]).
    pub fn list(&self, page: &ListPage<'_>) -> Result<Vec<JobSummary>, EngineError> {
        Ok(self.store.job_summaries(self.mode(), page)?)
    }

    /// This mode's jobs, whole, newest first (the CLI's listing).
    pub fn jobs(&self) -> Result<Vec<JobRow>, EngineError> {
        Ok(self.store.jobs(self.mode())?)
    }

    /// One job with its files, audit trail and allowed actions. Jobs of the other mode are not
    /// visible.
    pub fn detail(&self, id: i64) -> Result<JobDetail, EngineError> {
        let job = self.job(id)?;
        let files = self.store.files(id)?;
        Ok(JobDetail {
            actions: JobAction::allowed(job.state, job.request_id.is_some(), !files.is_empty()),
            download_before: job.files_expire_at().map(format_time),
            records_downloaded: files.iter().filter_map(|file| file.records).sum(),
            events: self.store.events(id)?,
            files,
            job,
        })
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
        let moved = self.move_job(
            id,
            &JobState::ALL,
            JobState::Cancelled,
            Some("Cancelled by you. Coresignal may still charge for a request it had already accepted."),
            None,
        )?;
        let Some(row) = moved else {
            return Err(EngineError::InvalidState {
                job: id,
                state: job.state,
                action: "cancelling",
            });
        };
        if let Some(sender) = lock(&self.downloads).get(&id) {
            sender.send_replace(true);
        }
        self.forget_due(id);
        Ok(row)
    }

    /// Tries again where it cannot spend twice: asks again after a top-up (`insufficient_credits`)
    /// or after the service did not find the request, resumes a failed download. Never re-sends a
    /// POST.
    pub fn retry(&self, id: i64) -> Result<JobRow, EngineError> {
        let job = self.job(id)?;
        let has_files = !self.store.files(id)?.is_empty();
        let next = match job.state {
            JobState::InsufficientCredits => JobState::Processing,
            JobState::Failed if job.request_id.is_some() && has_files => JobState::Ready,
            JobState::Failed if job.request_id.is_some() => JobState::Processing,
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
            .move_job(id, &[job.state], next, Some("Retry asked by you."), None)?
            .ok_or(EngineError::InvalidState {
                job: id,
                state: job.state,
                action: "retrying",
            })?;
        self.wake.notify_one();
        Ok(row)
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
        if job.state != JobState::Uncertain {
            return Err(EngineError::InvalidState {
                job: id,
                state: job.state,
                action: "attaching a request id",
            });
        }
        self.store.attach_request_id(id, request_id)?;
        self.store.set_next_poll(id, None, false)?;
        let row = self
            .move_job(
                id,
                &[JobState::Uncertain],
                JobState::Processing,
                Some(&format!(
                    "You attached request id {request_id}; checking it with Coresignal."
                )),
                None,
            )?
            .ok_or(EngineError::InvalidState {
                job: id,
                state: job.state,
                action: "attaching a request id",
            })?;
        self.wake.notify_one();
        Ok(row)
    }
}
