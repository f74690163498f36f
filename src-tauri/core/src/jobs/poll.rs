//! Polling: asks the service about a `processing` job and records the answer through guarded
//! moves, so an answer that arrives after a Cancel changes nothing.

use std::time::Duration;

use crate::api::{ApiError, PollOutcome, LONGEST_WAIT};
use crate::download::local_file_names;
use crate::error::ErrorCode;
use crate::store::{format_time, JobRow};

use super::{Engine, EngineError, JobState, JobUpdate};

/// A 404 before the 30 days are over is asked again this many times before the job fails.
const NOT_FOUND_ATTEMPTS: u32 = 5;

impl Engine {
    /// Asks the service once about a `processing` job and records the answer.
    pub async fn poll_once(&self, id: i64) -> Result<JobRow, EngineError> {
        let job = self.job(id)?;
        if job.state != JobState::Processing {
            return Ok(job);
        }
        let request_id = job.request_id.clone().ok_or(EngineError::InvalidState {
            job: id,
            state: job.state,
            action: "checking it with Coresignal",
        })?;
        let client = self.client()?;
        let answer = client.poll_files(&request_id).await;
        crate::test_seams::kill_point("poll.answered");
        crate::test_seams::poll_panic_point(&request_id);
        self.record_balance(&client);
        match answer {
            Ok(outcome) => self.record_poll(&job, outcome),
            Err(error) => self.poll_failed(&job, error),
        }
    }

    /// The job as it stands now, if it still has the request id `polled` (as it had when it was
    /// polled, before the answer came); else `Err` with it as it stands: the answer is about a
    /// request id the job no longer has (a late answer of its POST, or another id attached
    /// meanwhile) and must change nothing.
    fn still_polled(&self, polled: &JobRow) -> Result<Result<JobRow, JobRow>, EngineError> {
        let current = self.job(polled.id)?;
        if current.request_id.is_some() && current.request_id == polled.request_id {
            return Ok(Ok(current));
        }
        self.audit(self.note(
            polled.id,
            &format!(
                "An answer about request {} was dropped: the job's request is {} now.",
                polled.request_id.as_deref().unwrap_or("?"),
                current.request_id.as_deref().unwrap_or("not known")
            ),
        ));
        Ok(Err(current))
    }

    /// Records `outcome`, the answer of a poll of `polled` (the job as it was when it was polled),
    /// unless the job's request id changed meanwhile (then it is returned as it is).
    fn record_poll(&self, polled: &JobRow, outcome: PollOutcome) -> Result<JobRow, EngineError> {
        let job = match self.still_polled(polled)? {
            Ok(current) => current,
            Err(changed) => return Ok(changed),
        };
        let job = &job;
        let status = Some(outcome.status());
        match outcome {
            PollOutcome::Pending { message, .. } => {
                let detail = message.unwrap_or_else(|| "Still processing.".into());
                self.server_event(job.id, status, &detail)?;
                self.poll_reached_service(job)?;
                self.store.set_poll_failures(job.id, 0)?;
                let wait = self.options().poll.interval(job.poll_count + 1);
                self.schedule_poll(job.id, wait, true)?;
                Ok(self.job(job.id)?)
            }
            PollOutcome::Ready { files, .. } => {
                self.server_event(job.id, status, &format!("Ready: {} file(s).", files.len()))?;
                let local = local_file_names(&files);
                let pairs: Vec<_> = files.into_iter().zip(local).collect();
                // Written only while the job still holds the polled request id, checked in the
                // write itself: files of one request never land on a job of another.
                let polled_id = polled.request_id.as_deref().unwrap_or_default();
                if !self.store.upsert_polled_files(job.id, polled_id, &pairs)? {
                    return self.job(job.id);
                }
                self.store.set_next_poll(job.id, None, true)?;
                self.settled(job, JobState::Ready, None, None)
            }
            PollOutcome::NoResults { detail, .. } => {
                self.settle(job, JobState::NoResults, status, detail)
            }
            PollOutcome::TooManyMatches { detail } => {
                self.settle(job, JobState::TooManyMatches, status, detail)
            }
            PollOutcome::Expired { detail } => self.not_found(job, status, detail),
            PollOutcome::InsufficientCredits { detail } => {
                self.settle(job, JobState::InsufficientCredits, status, detail)
            }
        }
    }

    /// A 404 on the files list: expired only once the 30 days are over; before that the request
    /// may just not be visible yet, so it is asked again with back-off, then the job fails with
    /// Retry allowed.
    fn not_found(
        &self,
        job: &JobRow,
        status: Option<u16>,
        detail: Option<String>,
    ) -> Result<JobRow, EngineError> {
        let past_retention = job
            .files_expire_at()
            .is_some_and(|at| at <= time::OffsetDateTime::now_utc());
        if past_retention {
            return self.settle(job, JobState::Expired, status, detail);
        }
        let text = detail.unwrap_or_else(|| "Not found.".into());
        self.server_event(job.id, status, &text)?;
        let failures = job.poll_failures + 1;
        self.store.set_poll_failures(job.id, failures)?;
        if failures >= NOT_FOUND_ATTEMPTS {
            self.store.set_next_poll(job.id, None, true)?;
            let request = job.request_id.as_deref().unwrap_or("?");
            if job.request_attached {
                // A request id a person typed that the service does not know: back to where they
                // were, with both ways out, and the id forgotten; only while it is still the
                // job's (a paid request id that arrived meanwhile is never wiped).
                let reason = format!(
                    "Coresignal does not know request {request}. Check the id on the Coresignal dashboard and attach it again, or send the request again."
                );
                let moved = self.store.forget_unknown_request(
                    job.id,
                    request,
                    &self.redact(&reason),
                    ErrorCode::NotFound,
                )?;
                self.forget_due(job.id);
                self.wake.notify_one();
                return match moved {
                    Some(row) => {
                        self.notify_state(&row);
                        Ok(row)
                    }
                    None => self.job(job.id),
                };
            }
            let reason = format!(
                "Coresignal did not find request {request} after {failures} tries, although it is less than 30 days old. Press Retry to ask again; if it keeps failing, contact Coresignal support with the request id."
            );
            return self.settled(
                job,
                JobState::Failed,
                Some(&reason),
                Some(ErrorCode::NotFound),
            );
        }
        let wait = self.options().poll.interval(job.poll_count + 1) * 2u32.pow(failures);
        self.schedule_poll(job.id, wait, true)?;
        self.job(job.id)
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
        self.settled(job, state, Some(state.describe()), None)
    }

    /// Moves a polled job on, unless it moved elsewhere or its request id changed meanwhile (then
    /// it is returned as it is).
    fn settled(
        &self,
        job: &JobRow,
        state: JobState,
        reason: Option<&str>,
        code: Option<ErrorCode>,
    ) -> Result<JobRow, EngineError> {
        let polled = job.request_id.as_deref().unwrap_or_default();
        let reason = reason.map(|text| self.redact(text));
        let moved = self
            .store
            .move_polled(job.id, polled, state, reason.as_deref(), code)?;
        match &moved {
            Some(row) => self.notify_state(row),
            None => self.note(
                job.id,
                &format!(
                    "A move to {} was dropped: the job had moved on.",
                    state.as_str()
                ),
            )?,
        }
        self.forget_due(job.id);
        self.wake.notify_one();
        match moved {
            Some(row) => Ok(row),
            None => Ok(self.job(job.id)?),
        }
    }

    fn poll_failed(&self, polled: &JobRow, error: ApiError) -> Result<JobRow, EngineError> {
        let job = match self.still_polled(polled)? {
            Ok(current) => current,
            // About a request id the job no longer has, but the key is still wrong.
            Err(_) if matches!(error, ApiError::KeyRejected { .. }) => {
                self.key_rejected.send_replace(true);
                return Err(error.into());
            }
            Err(changed) => return Ok(changed),
        };
        let job = &job;
        self.server_event(job.id, error.status(), &error.to_string())?;
        if matches!(error, ApiError::KeyRejected { .. }) {
            self.key_rejected.send_replace(true);
            return Err(error.into());
        }
        // Transient trouble (network, 5xx, 429 after every retry): the job stays processing and is
        // asked again after the next interval, or when the service asked, if later.
        if error.is_unreachable() {
            self.poll_waits_for_service(job, &error.to_string())?;
        }
        let mut wait = self.options().poll.interval(job.poll_count + 1);
        if let Some(asked) = error.retry_after().map(|asked| asked.min(LONGEST_WAIT)) {
            if asked > wait {
                wait = asked;
                let until = format_time(time::OffsetDateTime::now_utc() + asked);
                self.note(
                    job.id,
                    &format!("Coresignal asked to wait; the next check is at {until}."),
                )?;
            }
        }
        self.schedule_poll(job.id, wait, false)?;
        Err(error.into())
    }

    /// Sets when job `id` is next asked (in at most [`LONGEST_WAIT`]): on the monotonic clock for
    /// this process, and as a time in the database for the UI and the next start.
    pub(super) fn schedule_poll(
        &self,
        id: i64,
        wait: Duration,
        count: bool,
    ) -> Result<(), EngineError> {
        let wait = wait.min(LONGEST_WAIT);
        self.set_due(id, wait);
        let next = format_time(time::OffsetDateTime::now_utc() + wait);
        self.store.set_next_poll(id, Some(&next), count)?;
        let _ = self.updates.send(JobUpdate::Polled {
            job: id,
            next_check_in_secs: wait.as_secs_f64(),
        });
        Ok(())
    }

    /// Polls a job until it leaves `processing`, or until `timeout`. Returns the settled job.
    /// A collection is driven until every batch has ended (see [`Engine::drive_collection`]).
    pub async fn wait(&self, id: i64, timeout: Option<Duration>) -> Result<JobRow, EngineError> {
        if self.job(id)?.state == JobState::Collection {
            return self.drive_collection(id, None, timeout).await;
        }
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
            let due = self.due_in(&job);
            let sleep = timeout.map_or(due, |limit| {
                due.min(limit.saturating_sub(started.elapsed()))
            });
            tokio::time::sleep(sleep).await;
            if self.due_in(&self.job(id)?).is_zero() {
                match self.poll_once(id).await {
                    Ok(_) => {}
                    Err(EngineError::Api(error)) if error.is_transient() => {}
                    Err(error) => return Err(error),
                }
            }
        }
    }
}

#[cfg(test)]
#[path = "poll_tests.rs"]
mod tests;
