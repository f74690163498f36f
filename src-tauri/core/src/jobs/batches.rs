//! Collections: an ID list over the service's 10,000 cap, quoted and confirmed once for the total,
//! sent as batches (child jobs, each its own request, state and files). A batch is sent once: the
//! guarded move `queued` → `submitting` is its claim. At most `batches_at_once` batches of a
//! collection are with the service at a time; the scheduler sends the next as one finishes.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use serde::Serialize;

use crate::store::JobRow;

use super::submit::Payload;
use super::{Engine, EngineError, JobAction, JobState};

/// One batch of a collection, as its collection's page lists it.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[ts(export)]
pub struct BatchView {
    /// The batch's own job number (its page has its request, files and trail).
    #[ts(type = "number")]
    pub job: i64,
    /// Which batch, from 1.
    pub index: u32,
    /// Where it stands.
    pub state: JobState,
    /// Why it stands there.
    pub state_reason: Option<String>,
    /// IDs it carries.
    #[ts(type = "number")]
    pub records: u64,
    /// Profiles downloaded so far.
    #[ts(type = "number")]
    pub records_downloaded: u64,
    /// What a person can do with this batch alone.
    pub actions: Vec<JobAction>,
}

/// How a collection stands, from its batches: "2 of 3 batches ready, 20,000 of 25,000 profiles".
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[ts(export)]
pub struct BatchCount {
    /// Batches in all.
    pub total: u32,
    /// Batches finished (downloaded, or nothing to download).
    pub done: u32,
    /// Profiles the batches ask for in all (the IDs they carry).
    #[ts(type = "number")]
    pub profiles: u64,
    /// Profiles downloaded so far.
    #[ts(type = "number")]
    pub profiles_ready: u64,
}

/// What a person sees of a collection: one state worked out from its batches' states. What needs
/// the person comes first (an uncertain batch, missing credits), then work under way, then how it
/// ended (a failure before success, so that it is retried).
pub fn collection_state(batches: &[JobState]) -> JobState {
    use JobState::*;
    let any = |state: JobState| batches.contains(&state);
    if batches.is_empty() {
        return Queued;
    }
    for needs_you in [Uncertain, InsufficientCredits] {
        if any(needs_you) {
            return needs_you;
        }
    }
    if batches.iter().any(|state| state.is_under_way()) {
        return [Downloading, Ready, Processing, Submitting]
            .into_iter()
            .find(|state| any(*state))
            .unwrap_or(Queued);
    }
    [Failed, Expired, TooManyMatches, Cancelled, Downloaded]
        .into_iter()
        .find(|state| any(*state))
        .unwrap_or(NoResults)
}

/// True when every batch of a collection has ended and at least one brought files: its export
/// (of those) can be made. A batch that ended without files is named in the collection's trail.
pub fn collection_ended_with_files(batches: &[BatchView]) -> bool {
    batches.iter().all(|batch| !batch.state.is_under_way())
        && batches
            .iter()
            .any(|batch| batch.state == JobState::Downloaded)
}

/// The numbers of the batches that ended without files (expired, cancelled, failed, …) and so
/// are missing from the collection's spreadsheet; those that found no one are not missing.
pub fn missing_batches(batches: &[BatchView]) -> Vec<u32> {
    batches
        .iter()
        .filter(|batch| !matches!(batch.state, JobState::Downloaded | JobState::NoResults))
        .map(|batch| batch.index)
        .collect()
}

/// How many of `batches` are finished, and how many of their profiles are downloaded.
pub fn batch_count(batches: &[BatchView]) -> BatchCount {
    let done = batches
        .iter()
        .filter(|batch| matches!(batch.state, JobState::Downloaded | JobState::NoResults))
        .count();
    BatchCount {
        total: u32::try_from(batches.len()).unwrap_or(u32::MAX),
        done: u32::try_from(done).unwrap_or(u32::MAX),
        profiles: batches.iter().map(|batch| batch.records).sum(),
        profiles_ready: batches.iter().map(|batch| batch.records_downloaded).sum(),
    }
}

/// What a person can do with a whole collection: cancel what can be cancelled, retry what can be
/// retried, download what was paid after a cancel, open the folder once a batch has files.
pub fn collection_actions(batches: &[BatchView]) -> Vec<JobAction> {
    [
        JobAction::Cancel,
        JobAction::Retry,
        JobAction::DownloadPaid,
        JobAction::OpenFolder,
    ]
    .into_iter()
    .filter(|action| batches.iter().any(|batch| batch.actions.contains(action)))
    .chain(
        // Updated as a whole once every batch is in (see `Engine::update_request`).
        (collection_state(&batches.iter().map(|batch| batch.state).collect::<Vec<_>>())
            == JobState::Downloaded)
            .then_some(JobAction::Update),
    )
    .collect()
}

/// Whether a failed batch may wait its turn again: the service never accepted it (no request id)
/// and its refusal cannot mean "created" (a 409 "the same request is in progress" can: the first
/// try of the same POST may have made it).
pub(super) fn requeueable(batch: &JobRow) -> bool {
    batch.parent_id.is_some()
        && batch.request_id.is_none()
        && batch.error_code != Some(crate::error::ErrorCode::DuplicateInProgress)
}

impl Engine {
    /// The batches of collection `parent`, as its page lists them.
    pub fn batch_views(&self, parent: i64) -> Result<Vec<BatchView>, EngineError> {
        let mut views = Vec::new();
        for batch in self.store.batches(parent)? {
            let files = self.store.files(batch.id)?;
            views.push(BatchView {
                job: batch.id,
                index: batch.batch_index.unwrap_or_default(),
                state: batch.state,
                actions: JobAction::allowed(
                    batch.state,
                    batch.request_id.is_some(),
                    !files.is_empty(),
                    Some(requeueable(&batch)),
                    self.store.paid_after_cancel(batch.id)?,
                ),
                state_reason: batch.state_reason,
                records: batch.estimated_records.unwrap_or_default(),
                records_downloaded: files.iter().filter_map(|file| file.records).sum(),
            });
        }
        Ok(views)
    }

    /// Sends the queued batches whose turn has come: for each collection (or only `parent`), as
    /// many as `batches_at_once` allows beside those already with the service, in order. Each is
    /// claimed (moved to `submitting` with its lease, once across processes) before its POST; one
    /// the service does not answer becomes `uncertain` like any job. Returns the batches sent.
    pub async fn send_due_batches(&self, parent: Option<i64>) -> Result<Vec<i64>, EngineError> {
        if self.key_rejected() {
            return Ok(Vec::new()); // Nothing goes out until the key is fixed.
        }
        // No claim without a client: a claimed batch that is never sent would look uncertain.
        let client = self.client()?;
        let queued = self
            .store
            .jobs_in_states(self.mode(), &[JobState::Queued])?;
        let mut parents: Vec<i64> = queued.iter().filter_map(|job| job.parent_id).collect();
        parents.sort_unstable();
        parents.dedup();
        parents.retain(|id| parent.is_none_or(|only| only == *id));
        let mut sent = Vec::new();
        for collection in parents {
            let batches = self.store.batches(collection)?;
            // After a batch that was refused or may not have arrived, the rest wait until the
            // person has dealt with it (Retry, I found it, Cancel): the next may fare the same.
            if batches
                .iter()
                .any(|batch| matches!(batch.state, JobState::Failed | JobState::Uncertain))
            {
                continue;
            }
            let with_service = batches
                .iter()
                .filter(|batch| {
                    matches!(
                        batch.state,
                        JobState::Submitting
                            | JobState::Processing
                            | JobState::Ready
                            | JobState::Downloading
                    )
                })
                .count();
            let free = self
                .options()
                .batches_at_once
                .max(1)
                .saturating_sub(with_service);
            let turn = batches
                .iter()
                .filter(|batch| batch.state == JobState::Queued)
                .take(free);
            for batch in turn {
                if self.is_stopping() {
                    return Ok(sent);
                }
                if let Some(claimed) = self.claim(batch)? {
                    let payload = Payload::ids(claimed.ids_text.as_deref().unwrap_or_default());
                    sent.push(claimed.id);
                    // Its answer (accepted, refused, unknown) is recorded in its own state; after
                    // one that was not accepted, the rest of this collection wait (see above).
                    if let Err(error) = self.send(&claimed, payload, &client, None).await {
                        tracing::info!("batch {}: {}", claimed.id, self.redact(&error.to_string()));
                        break;
                    }
                }
            }
        }
        Ok(sent)
    }

    fn claim(&self, batch: &JobRow) -> Result<Option<JobRow>, EngineError> {
        Ok(self.store.claim_batch(
            batch.id,
            &self.owner,
            &self.owner_label(),
            super::engine::lease_ttl(),
        )?)
    }

    /// Starts sending queued batches in the background, unless this engine already is.
    pub(super) fn start_batches(self: &Arc<Self>) {
        if self.is_stopping() || self.batching.swap(true, Ordering::SeqCst) {
            return;
        }
        let engine = Arc::clone(self);
        tokio::spawn(async move {
            if let Err(error) = engine.send_due_batches(None).await {
                tracing::warn!("batches: {}", engine.redact(&error.to_string()));
            }
            engine.batching.store(false, Ordering::SeqCst);
            engine.wake.notify_one();
        });
    }
}

impl Engine {
    /// Drives collection `parent` to its end in this process (the command line's `wait` and
    /// `download`): sends batches in their turn, polls those with the service, downloads each one
    /// that is ready (into `to/batch-N` when `to` is given), until no batch has work left or
    /// `timeout` passes. Returns the collection as a person sees it.
    pub async fn drive_collection(
        &self,
        parent: i64,
        to: Option<&std::path::Path>,
        timeout: Option<std::time::Duration>,
    ) -> Result<JobRow, EngineError> {
        let started = tokio::time::Instant::now();
        loop {
            self.send_due_batches(Some(parent)).await?;
            let batches = self.store.batches(parent)?;
            let states: Vec<JobState> = batches.iter().map(|batch| batch.state).collect();
            if states.iter().all(|state| !state.is_under_way()) {
                return self.shown(self.job(parent)?);
            }
            if let Some(limit) = timeout.filter(|limit| started.elapsed() >= *limit) {
                return Err(EngineError::Timeout {
                    job: parent,
                    state: collection_state(&states),
                    waited: limit,
                });
            }
            let mut sleep = std::time::Duration::from_secs(1);
            for batch in &batches {
                match batch.state {
                    JobState::Processing => {
                        let due = self.due_in(batch);
                        if due.is_zero() {
                            match self.poll_once(batch.id).await {
                                Ok(_) => {}
                                Err(EngineError::Api(error)) if error.is_transient() => {}
                                Err(error) => return Err(error),
                            }
                        } else {
                            sleep = sleep.min(due);
                        }
                    }
                    JobState::Ready | JobState::Downloading => {
                        let folder = to.map(|to| to.join(batch_folder(batch)));
                        match self.download(batch.id, folder.as_deref()).await {
                            Ok(_) | Err(EngineError::Busy { .. }) => {}
                            Err(error) => return Err(error),
                        }
                    }
                    _ => {}
                }
            }
            tokio::time::sleep(sleep).await;
        }
    }

    /// `job` as a person sees it: a collection's state is worked out from its batches.
    pub(super) fn shown(&self, mut job: JobRow) -> Result<JobRow, EngineError> {
        if job.state == JobState::Collection {
            let states: Vec<JobState> = self
                .store
                .batches(job.id)?
                .iter()
                .map(|batch| batch.state)
                .collect();
            job.state = collection_state(&states);
        }
        Ok(job)
    }
}

/// The folder of a batch inside its collection's folder: `batch-1`, `batch-2`, …
pub(super) fn batch_folder(batch: &JobRow) -> String {
    format!("batch-{}", batch.batch_index.unwrap_or_default())
}

#[cfg(test)]
#[path = "batches_tests/mod.rs"]
mod tests;
