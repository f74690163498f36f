//! Coresignal out of reach while an accepted request is polled or downloaded: the request is paid
//! for and waits with the service, so its job is never failed for it. The client has already
//! retried with back-off (its retry policy); past that ceiling the job waits, saying so, and the
//! scheduler tries again after the longest poll interval, for as long as it takes.

use crate::store::JobRow;

use super::lease::Lease;
use super::{Engine, EngineError, JobState};

/// The words a waiting job's reason starts with.
pub const WAITING_FOR_SERVICE: &str = "Waiting for Coresignal to come back";

impl Engine {
    /// Polling job `job` could not reach the service (`why`): it stays `processing`, and its reason
    /// says that it waits (written once however long the outage lasts).
    pub(super) fn poll_waits_for_service(
        &self,
        job: &JobRow,
        why: &str,
    ) -> Result<(), EngineError> {
        self.say(job.id, JobState::Processing, &waiting(why))
    }

    /// A poll was answered: a job that was waiting says that the service answered again.
    pub(super) fn poll_reached_service(&self, job: &JobRow) -> Result<(), EngineError> {
        if !waits_for_service(job) {
            return Ok(());
        }
        self.say(
            job.id,
            JobState::Processing,
            "Coresignal answered again; it is still preparing the files.",
        )
    }

    /// Downloading job `id` could not reach the service (`why`): the download stops where it is
    /// (its `.part` files stay), the job goes back to `ready` saying that it waits, and the
    /// scheduler tries again after the longest poll interval.
    pub(super) fn download_waits_for_service(
        &self,
        lease: &Lease,
        id: i64,
        why: &str,
    ) -> Result<(), EngineError> {
        self.move_job_under(
            lease,
            id,
            &[JobState::Downloading],
            JobState::Ready,
            Some(&waiting(why)),
            None,
        )?;
        self.set_due(id, self.options().poll.max);
        Ok(())
    }

    fn say(&self, id: i64, state: JobState, reason: &str) -> Result<(), EngineError> {
        if let Some(row) = self
            .store
            .set_reason(id, state, &self.redact(reason))?
            .then(|| self.store.job(id))
            .transpose()?
        {
            self.notify_state(&row);
        }
        Ok(())
    }
}

/// Whether `job` says that it waits for the service.
pub(super) fn waits_for_service(job: &JobRow) -> bool {
    job.state_reason
        .as_deref()
        .is_some_and(|reason| reason.starts_with(WAITING_FOR_SERVICE))
}

/// The reason of a job that waits for the service, which could not be reached because of `why`.
fn waiting(why: &str) -> String {
    format!(
        "{WAITING_FOR_SERVICE}: it could not be reached ({why}). The request is safe with Coresignal; Bulk Collect keeps trying and continues where it stopped. Nothing needs doing."
    )
}
