//! Recording what happens to a job: guarded state moves, the audit trail (key redacted), and the
//! accepted-requests journal, a small fsynced file beside the database that keeps a request id the
//! database could not take, so that a request the service created is never forgotten.

use std::io::{BufRead, Write};
use std::path::{Path, PathBuf};

use crate::error::ErrorCode;
use crate::store::{EventKind, JobRow};

use super::lease::Lease;
use super::{Engine, EngineError, JobState, JobUpdate};

impl Engine {
    /// Moves job `id` from one of `expected` to `to` through the store's guarded move, and tells
    /// listeners. `None` when the job was elsewhere (a Cancel won the race): the caller leaves it.
    pub(super) fn move_job(
        &self,
        id: i64,
        expected: &[JobState],
        to: JobState,
        reason: Option<&str>,
        error_code: Option<ErrorCode>,
    ) -> Result<Option<JobRow>, EngineError> {
        self.move_job_with(None, id, expected, to, reason, error_code)
    }

    /// [`Engine::move_job`] made by the holder of `lease`: only while the lease is still its own,
    /// else [`crate::store::StoreError::LeaseLost`] and the job is left to the process that took
    /// it over.
    pub(super) fn move_job_under(
        &self,
        lease: &Lease,
        id: i64,
        expected: &[JobState],
        to: JobState,
        reason: Option<&str>,
        error_code: Option<ErrorCode>,
    ) -> Result<Option<JobRow>, EngineError> {
        self.move_job_with(Some(lease), id, expected, to, reason, error_code)
    }

    fn move_job_with(
        &self,
        lease: Option<&Lease>,
        id: i64,
        expected: &[JobState],
        to: JobState,
        reason: Option<&str>,
        error_code: Option<ErrorCode>,
    ) -> Result<Option<JobRow>, EngineError> {
        let reason = reason.map(|text| self.redact(text));
        let moved = match lease {
            Some(lease) => self.store.move_state_under(
                lease.fence(),
                id,
                expected,
                to,
                reason.as_deref(),
                error_code,
            )?,
            None => self
                .store
                .move_state(id, expected, to, reason.as_deref(), error_code)?,
        };
        if let Some(row) = &moved {
            self.notify_state(row);
        } else {
            self.note(
                id,
                &format!(
                    "A move to {} was dropped: the job had moved on.",
                    to.as_str()
                ),
            )?;
        }
        Ok(moved)
    }

    /// Tells listeners that `row` moved; for a batch, also its collection, when the state a
    /// person sees of it changed.
    pub(super) fn notify_state(&self, row: &JobRow) {
        let _ = self.updates.send(JobUpdate::State {
            job: row.id,
            state: row.state,
            batch_of: row.parent_id,
        });
        let Some(parent) = row.parent_id else { return };
        let Ok(shown) = self.job(parent).and_then(|job| self.shown(job)) else {
            return;
        };
        let changed = super::engine::lock(&self.collections_shown).insert(parent, shown.state)
            != Some(shown.state);
        if changed {
            let _ = self.updates.send(JobUpdate::State {
                job: parent,
                state: shown.state,
                batch_of: None,
            });
        }
    }

    /// Appends what the service answered to the audit trail.
    pub(super) fn server_event(
        &self,
        id: i64,
        status: Option<u16>,
        detail: &str,
    ) -> Result<(), EngineError> {
        Ok(self
            .store
            .add_event(id, EventKind::Server, status, &self.redact(detail))?)
    }

    /// Logs a failed audit write instead of failing the work it describes (the state, written by
    /// the guarded move, is what matters).
    pub(super) fn audit(&self, written: Result<(), EngineError>) {
        if let Err(error) = written {
            tracing::warn!(
                "could not write the audit trail: {}",
                self.redact(&error.to_string())
            );
        }
    }

    /// Appends something the app did or noticed to the audit trail.
    pub(super) fn note(&self, id: i64, detail: &str) -> Result<(), EngineError> {
        Ok(self
            .store
            .add_event(id, EventKind::Note, None, &self.redact(detail))?)
    }

    /// When job `id`'s request id arrived after it was cancelled while uncertain: says on its trail
    /// that Coresignal received it (already paid) and that it can still be downloaded, and tells
    /// listeners (its page now offers that download).
    pub(super) fn note_paid_after_cancel(&self, id: i64, request_id: &str) {
        if !matches!(self.store.paid_after_cancel(id), Ok(true)) {
            return;
        }
        self.audit(self.note(
            id,
            &format!(
                "Coresignal did receive this request after it was cancelled (request id {request_id}): it is already paid. Download it from this collection's page, or with: bulk-collect-cli download {id}"
            ),
        ));
        if let Ok(row) = self.store.job(id) {
            self.notify_state(&row);
        }
    }

    /// The accepted-requests journal of this database, if it is a file.
    pub(super) fn journal_path(&self) -> Option<PathBuf> {
        self.store.path().map(|db| {
            let mut name = db.file_name().map(|n| n.to_os_string()).unwrap_or_default();
            name.push(".accepted");
            db.with_file_name(name)
        })
    }

    /// Appends `job → request_id` to the journal and syncs it to disk (its folder too, when this
    /// line created it).
    pub(super) fn journal_accepted(&self, job: i64, request_id: &str) -> std::io::Result<()> {
        let Some(path) = self.journal_path() else {
            return Err(std::io::Error::other("the database is not a file"));
        };
        let line = format!("{job}\t{}", request_id.replace(['\t', '\n', '\r'], " "));
        append_synced(&path, &line, crate::download::sync_folder)
    }

    /// Applies the journal: every request id it holds that the database lacks is written, and its
    /// job moves on to `processing`. Idempotent, so every process may run it at any time.
    pub(super) fn apply_journal(&self) -> Result<usize, EngineError> {
        let Some(path) = self.journal_path() else {
            return Ok(0);
        };
        let file = match std::fs::File::open(&path) {
            Ok(file) => file,
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => return Ok(0),
            Err(error) => {
                tracing::warn!("could not read {}: {error}", path.display());
                return Ok(0);
            }
        };
        let mut applied = 0;
        for line in std::io::BufReader::new(file).lines().map_while(Result::ok) {
            let Some((job, request_id)) = line.split_once('\t') else {
                continue;
            };
            let Ok(job) = job.parse::<i64>() else {
                continue;
            };
            let Ok(row) = self.store.job(job) else {
                continue;
            };
            if row.mode != self.mode() || row.request_id.as_deref() == Some(request_id) {
                continue;
            }
            self.store.set_request_id(job, request_id)?;
            let moved = self.move_job(
                job,
                &[JobState::Submitting, JobState::Uncertain],
                JobState::Processing,
                Some(&format!(
                    "Accepted; request id {request_id} (recorded from the journal)."
                )),
                None,
            )?;
            if moved.is_none() {
                self.note_paid_after_cancel(job, request_id);
            }
            applied += 1;
        }
        Ok(applied)
    }
}

/// Appends `line` to the file at `path` and syncs it. When the file is new, its folder is synced
/// with `sync_folder` too: without that, a power cut can lose the new file's name, and with it
/// every line written to it.
fn append_synced(
    path: &Path,
    line: &str,
    sync_folder: impl FnOnce(&Path) -> std::io::Result<()>,
) -> std::io::Result<()> {
    // Readable by this user only: it names paid requests.
    let mut options = crate::local_files::private_file();
    options.append(true);
    let (mut file, created) = match options.clone().create_new(true).open(path) {
        Ok(file) => (file, true),
        Err(error) if error.kind() == std::io::ErrorKind::AlreadyExists => {
            (options.open(path)?, false)
        }
        Err(error) => return Err(error),
    };
    writeln!(file, "{line}")?;
    file.sync_all()?;
    if created {
        let folder = path
            .parent()
            .filter(|folder| !folder.as_os_str().is_empty())
            .unwrap_or(Path::new("."));
        sync_folder(folder)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The folder's fsync itself cannot be observed without cutting the power, so the seam is the
    /// function that makes it: it is called with the journal's folder when the journal is created,
    /// and only then; and the real one syncs a real folder without error.
    #[test]
    fn creating_the_journal_syncs_its_folder_once() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("bulk-collect.sqlite3.accepted");
        let synced = std::cell::RefCell::new(Vec::new());
        let record = |folder: &Path| {
            synced.borrow_mut().push(folder.to_owned());
            Ok(())
        };
        append_synced(&path, "1\tr-1", record).unwrap();
        assert_eq!(*synced.borrow(), vec![dir.path().to_owned()]);
        append_synced(&path, "2\tr-2", record).unwrap();
        assert_eq!(
            synced.borrow().len(),
            1,
            "an existing journal's folder is not synced again"
        );
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "1\tr-1\n2\tr-2\n");

        let real = dir.path().join("real.accepted");
        append_synced(&real, "3\tr-3", crate::download::sync_folder).unwrap();
    }
}
