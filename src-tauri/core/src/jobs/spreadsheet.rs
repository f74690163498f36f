//! The spreadsheet made by itself once a job's files are downloaded: for a collection, once every
//! batch has stopped, of the batches that brought files. Made one at a time per job, in this
//! process (a lock) and across processes (a lease), each reading what to export only once the one
//! before it is in place; recorded only if it still covers what the job holds.

use std::sync::Arc;
use std::time::Duration;

use crate::export::ExportOptions;

use super::engine::lock;
use super::lease::Lease;
use super::{Engine, EngineError};

/// How often to look again while another process makes the same job's spreadsheet.
const BUSY_RETRY: Duration = Duration::from_millis(250);

/// The lease held while job `id`'s spreadsheet is made.
fn spreadsheet_lease(id: i64) -> String {
    format!("spreadsheet:{id}")
}

impl Engine {
    /// After job `id` was downloaded: makes its spreadsheet, or for a batch, its collection's once
    /// every batch has stopped. A failure is noted in the audit trail; the files stay.
    pub(super) async fn spreadsheet_after_download(&self, id: i64) {
        let target = match self.job(id).map(|job| job.parent_id) {
            Ok(Some(parent)) => match self.detail(parent) {
                Ok(detail) if super::batches::collection_ended_with_files(&detail.batches) => {
                    parent
                }
                _ => return, // More batches to come: the spreadsheet waits for the last.
            },
            _ => id,
        };
        self.make_spreadsheet(target).await;
    }

    /// Starts the spreadsheet of every collection that has stopped with files but has none: a
    /// batch retried and stopped again without files, or batches that stopped while the app was
    /// closed. Each is tried once for how the collection stands (a failure is not repeated every
    /// pass). Called by each scheduler pass.
    pub(super) fn start_missing_spreadsheets(self: &Arc<Self>) -> Result<(), EngineError> {
        if !self.options().export_after_download || self.is_stopping() {
            return Ok(());
        }
        for tried in self.store.collections_without_spreadsheet(self.mode())? {
            if lock(&self.spreadsheets_tried).insert(tried.clone()) {
                let engine = Arc::clone(self);
                tokio::spawn(async move {
                    if !engine.make_spreadsheet(tried.0).await {
                        // Not even begun (the database was busy): the next pass tries again.
                        lock(&engine.spreadsheets_tried).remove(&tried);
                    }
                });
            }
        }
        Ok(())
    }

    /// Makes job `id`'s spreadsheet (XLSX, one row per person) in its folder, off the async
    /// workers, and records it. A collection that already has a recorded one is left alone: a
    /// batch moving again forgets it (see [`crate::store::Store::set_export_path`]). Returns false
    /// when it could not even look (stopping, or the database failed).
    async fn make_spreadsheet(&self, id: i64) -> bool {
        let turn = Arc::clone(lock(&self.spreadsheets).entry(id).or_default());
        let _turn = turn.lock().await;
        let Some(lease) = self.wait_for_spreadsheet_lease(id).await else {
            return false;
        };
        let detail = match self.detail(id) {
            Ok(detail) => detail,
            Err(error) => {
                self.audit(Err(error));
                return false;
            }
        };
        if !detail.batches.is_empty() {
            if detail.job.export_path.is_some() {
                return true; // Made meanwhile (by the other path, or by another process).
            }
            let missing = super::batches::missing_batches(&detail.batches);
            if !missing.is_empty() && super::batches::collection_ended_with_files(&detail.batches) {
                self.audit(self.note(
                    id,
                    &format!(
                        "{} ended without files, so the spreadsheet holds the other batches. Open a batch to see why and what can be done.",
                        super::words::batches_named(&missing)
                    ),
                ));
            }
        }
        let options = ExportOptions {
            past_positions: self.options().past_positions,
            ..ExportOptions::default()
        };
        let today = time::OffsetDateTime::now_utc().date();
        let made = match self.export_inputs(id, None) {
            Ok(inputs) => {
                let batches = inputs.batches.clone();
                let stem = inputs.stem(today, options.layout);
                tokio::task::spawn_blocking(move || inputs.write(&stem, &options))
                    .await
                    .map_err(|error| EngineError::InvalidInput(error.to_string()))
                    .and_then(|made| Ok((made?, batches)))
            }
            Err(error) => Err(error),
        };
        let noted = match made {
            Ok((result, batches)) => match result.paths.first() {
                Some(path) => {
                    let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
                    self.store
                        .set_export_path(lease.fence(), id, &path.to_string_lossy(), &batches)
                        .map_err(EngineError::from)
                        .and_then(|recorded| {
                            let name = name.unwrap_or_default();
                            let text = if recorded {
                                format!("Spreadsheet ready: {name} ({} people).", result.people)
                            } else {
                                format!("A spreadsheet of {} people was made ({name}), but a batch moved meanwhile, so it may not cover them all: a new one is made once every batch has stopped.", result.people)
                            };
                            self.note(id, &text)
                        })
                }
                None => Ok(()),
            },
            Err(error) => self.note(
                id,
                &format!(
                    "The spreadsheet could not be made: {}",
                    crate::error::Coded::user_message(&error)
                ),
            ),
        };
        self.audit(noted);
        let _ = self.updates.send(super::JobUpdate::Exported { job: id });
        true
    }

    /// True while this engine makes a spreadsheet (its turn on some job is taken).
    pub(super) fn making_spreadsheets(&self) -> bool {
        lock(&self.spreadsheets)
            .values()
            .any(|turn| turn.try_lock().is_err())
    }

    /// Takes the lease on job `id`'s spreadsheet, waiting while another process makes it; `None`
    /// when this engine is stopping (the next start makes it) or the database failed (noted).
    async fn wait_for_spreadsheet_lease(&self, id: i64) -> Option<Lease> {
        loop {
            if self.is_stopping() {
                return None;
            }
            match Lease::take(
                self.store.clone(),
                spreadsheet_lease(id),
                self.owner.clone(),
                self.owner_label(),
            ) {
                Ok(Ok(lease)) => return Some(lease),
                Ok(Err(_busy)) => tokio::time::sleep(BUSY_RETRY).await,
                Err(error) => {
                    self.audit(Err(error.into()));
                    return None;
                }
            }
        }
    }
}
