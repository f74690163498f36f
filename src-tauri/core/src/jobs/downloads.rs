//! Downloads: every listed file of a job, under the job's download lease (so the app and the
//! command line never write the same `.part`), each file streamed, resumed, checked and renamed
//! into place by [`crate::download`].

use std::path::{Path, PathBuf};
use std::sync::Arc;

use tokio::sync::watch;

use crate::download::{
    delete_part, fetch_checked, Checked, DownloadError, DownloadProgress, DownloadedFile,
    PartRemover,
};
use crate::error::Coded;
use crate::store::{download_lease, Fence, FileState, JobRow, StoreError};

use super::copies::same_folder;
use super::engine::lock;
use super::lease::Lease;
use super::{Engine, EngineError, JobState, JobUpdate};

impl Engine {
    /// Downloads every file of a `ready` (or partly downloaded) job into its folder, or into `to`.
    /// Another process downloading the same job makes this return [`EngineError::Busy`], naming it.
    /// A collection downloads every batch, each into its own folder (see
    /// [`Engine::drive_collection`]). With `to`, a job (or batch) already downloaded has its files
    /// copied there from this computer, never fetched again (see [`Engine::copy_downloaded`]).
    /// A relative `to` is taken from the current folder and recorded whole.
    pub async fn download(&self, id: i64, to: Option<&Path>) -> Result<JobRow, EngineError> {
        let to = to.map(std::path::absolute).transpose().map_err(|error| {
            EngineError::InvalidInput(format!(
                "The folder to download into cannot be used: {error}."
            ))
        })?;
        let to = to.as_deref();
        let job = self.job(id)?;
        if job.state == JobState::Collection {
            if let Some(to) = to {
                for batch in self.store.batches(id)? {
                    let folder = to.join(super::batches::batch_folder(&batch));
                    if batch.state == JobState::Downloaded
                        && !same_folder(&self.job_folder(&batch), &folder)
                    {
                        self.copy_downloaded(batch.id, &folder).await?;
                    }
                }
            }
            return Box::pin(self.drive_collection(id, to, None)).await;
        }
        if let Some(to) = to.filter(|to| {
            job.state == JobState::Downloaded && !same_folder(&self.job_folder(&job), to)
        }) {
            return self.copy_downloaded(job.id, to).await;
        }
        let startable = matches!(
            job.state,
            JobState::Ready | JobState::Downloading | JobState::Downloaded | JobState::Failed
        );
        let no_files = self.store.files(id)?.is_empty();
        if job.state == JobState::Failed && no_files {
            return Err(EngineError::Ended {
                job: id,
                state: job.state,
                message: format!(
                    "there is nothing to download: it failed before Coresignal listed any files. {}",
                    job.state_reason.as_deref().unwrap_or_default()
                )
                .trim_end()
                .to_owned(),
            });
        }
        if !startable || no_files {
            return Err(EngineError::InvalidState {
                job: id,
                state: job.state,
                action: "downloading",
            });
        }
        let cancel = {
            let mut downloads = lock(&self.downloads);
            if self.is_stopping() || downloads.contains_key(&id) {
                return Err(EngineError::Busy {
                    job: id,
                    holder: "this window".into(),
                });
            }
            let (sender, receiver) = watch::channel(false);
            downloads.insert(id, sender);
            receiver
        };
        // Dropped however this ends (finished, failed, or the future dropped mid-way).
        let _running = Running {
            engine: self,
            job: id,
            watcher: self.watch_for_cancel(id),
        };
        self.download_leased(&job, to, cancel).await
    }

    /// Trips job `id`'s cancel signal when its stored state says Cancelled (a Cancel from another
    /// process, such as the command line while the app downloads).
    fn watch_for_cancel(&self, id: i64) -> tokio::task::JoinHandle<()> {
        let store = self.store.clone();
        let sender = lock(&self.downloads).get(&id).cloned();
        tokio::spawn(async move {
            let Some(sender) = sender else { return };
            loop {
                tokio::time::sleep(std::time::Duration::from_millis(500)).await;
                if store
                    .job(id)
                    .is_ok_and(|job| job.state == JobState::Cancelled)
                {
                    sender.send_replace(true);
                    return;
                }
            }
        })
    }

    /// Takes job `id`'s download lease, or says who holds it ([`EngineError::Busy`]).
    pub(super) fn download_lease(&self, id: i64) -> Result<Lease, EngineError> {
        match Lease::take(
            self.store.clone(),
            download_lease(id),
            self.owner.clone(),
            self.owner_label(),
        )? {
            Ok(lease) => Ok(lease),
            Err(holder) => Err(EngineError::Busy {
                job: id,
                holder: holder.label,
            }),
        }
    }

    async fn download_leased(
        &self,
        job: &JobRow,
        to: Option<&Path>,
        cancel: watch::Receiver<bool>,
    ) -> Result<JobRow, EngineError> {
        let id = job.id;
        let mut lease = self.download_lease(id)?;
        // A heartbeat that finds the lease taken over stops the download at once, as a Cancel.
        if let Some(signal) = lock(&self.downloads).get(&id).cloned() {
            lease.alarm(signal);
        }
        if let Some(dir) = to {
            if !same_folder(dir, &self.job_folder(job)) {
                self.carry_done_files(&lease, id, dir).await?;
            }
        }
        let job = self.job(id)?;
        let folder = self.job_folder(&job);
        if job.download_dir.is_empty() {
            self.store.set_download_dir(id, &folder.to_string_lossy())?;
        }
        let from = [JobState::Ready, JobState::Downloaded, JobState::Failed];
        if job.state != JobState::Downloading
            && self
                .move_job_under(&lease, id, &from, JobState::Downloading, None, None)?
                .is_none()
        {
            return self.job(id); // Cancelled meanwhile.
        }
        for file in self.store.files(id)? {
            if *cancel.borrow() {
                break;
            }
            let done = file.state == FileState::Done
                && file
                    .path
                    .as_deref()
                    .is_some_and(|path| Path::new(path).exists());
            if done {
                continue;
            }
            self.download_one(&lease, &job, &folder, &file, cancel.clone())
                .await?;
        }
        if lease.lost() {
            return Err(lost(&lease));
        }
        if *cancel.borrow() {
            return self.job(id);
        }
        let files = self.store.files(id)?;
        let records: u64 = files.iter().filter_map(|file| file.records).sum();
        let summary = format!(
            "{} file(s), {} profiles, in {}.",
            files.len(),
            records,
            folder.display()
        );
        // Before the move, so that whoever sees the job downloaded sees what it cost too, and
        // finds its people in the library.
        self.learn_from_delivery(id, records);
        self.keep_people(id).await;
        let moved = self.move_job_under(
            &lease,
            id,
            &[JobState::Downloading],
            JobState::Downloaded,
            Some(&summary),
            None,
        )?;
        if moved.is_some() && self.options().export_after_download {
            self.spreadsheet_after_download(id).await;
        }
        self.job(id)
    }

    async fn download_one(
        &self,
        lease: &Lease,
        job: &JobRow,
        folder: &Path,
        file: &crate::store::FileRow,
        cancel: watch::Receiver<bool>,
    ) -> Result<(), EngineError> {
        let id = job.id;
        let client = self.client()?;
        self.store
            .set_file_state(lease.fence(), file.id, FileState::Downloading, None)?;
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
        let result = fetch_checked(
            &client,
            job.request_id.as_deref().unwrap_or_default(),
            &file.server_name,
            folder,
            &file.local_name,
            &progress,
            cancel.clone(),
            part_remover(self.store.clone(), lease.fence().clone()),
        )
        .await;
        self.record_balance(&client);
        let placed = match result {
            Ok(checked) => self.place(lease, file.id, checked).await,
            Err(error) => Err(error.into()),
        };
        let error = match placed {
            Ok(done) => {
                return self.note(
                    id,
                    &format!(
                        "Downloaded {} ({} bytes, {} profiles).",
                        file.local_name, done.bytes, done.records
                    ),
                );
            }
            Err(error) => error,
        };
        let replaced = || !self.store.lease_current(lease.fence()).unwrap_or(true);
        if lease.lost()
            || matches!(error, EngineError::Store(StoreError::LeaseLost { .. }))
            || replaced()
        {
            // Another process took the download over: this one touches nothing more.
            return Err(lost(lease));
        }
        if self.is_stopping() || *cancel.borrow() {
            // Shut down or cancelled mid-file: the `.part` stays and can be resumed.
            self.store
                .set_file_state(lease.fence(), file.id, FileState::Pending, None)?;
            return Err(error);
        }
        if matches!(&error, EngineError::Download(download) if download.is_unreachable()) {
            // The request is paid and waits with the service: the job waits too, never failed.
            self.store
                .set_file_state(lease.fence(), file.id, FileState::Pending, None)?;
            self.download_waits_for_service(lease, id, &error.to_string())?;
            return Err(error);
        }
        let message = error.user_message();
        self.store
            .set_file_state(lease.fence(), file.id, FileState::Failed, Some(&message))?;
        self.move_job_under(
            lease,
            id,
            &[JobState::Downloading],
            JobState::Failed,
            Some(&message),
            Some(error.code()),
        )?;
        Err(error)
    }

    /// Puts a fetched, checked file in place, on a blocking thread: renamed only while the lease
    /// is still this process's, and recorded done in the same transaction; its folder is fsynced
    /// after the commit.
    async fn place(
        &self,
        lease: &Lease,
        file_id: i64,
        checked: Checked,
    ) -> Result<DownloadedFile, EngineError> {
        let (store, fence) = (self.store.clone(), lease.fence().clone());
        let placed = tokio::task::spawn_blocking(move || {
            let done = checked.file().clone();
            let path = done.path.to_string_lossy();
            store.place_file(&fence, file_id, (&path, done.bytes, done.records), || {
                checked.rename_into_place().map_err(EngineError::from)
            })?;
            if let Err(error) = checked.make_durable() {
                // Renamed and recorded: at worst a power cut loses the name, and the file is
                // fetched again (a done file that is missing is downloaded again).
                tracing::warn!("could not make {} durable: {error}", path);
            }
            Ok::<_, EngineError>(done)
        })
        .await;
        placed.map_err(|error| {
            EngineError::Download(DownloadError::Internal {
                reason: format!("putting the file in place stopped: {error}"),
            })
        })?
    }

    /// The folder a job's files go to: its own folder under the download root, unless set.
    pub fn job_folder(&self, job: &JobRow) -> PathBuf {
        if !job.download_dir.is_empty() {
            return PathBuf::from(&job.download_dir);
        }
        // A batch goes inside its collection's folder.
        if let Some(parent) = job.parent_id.and_then(|id| self.store.job(id).ok()) {
            return self
                .job_folder(&parent)
                .join(super::batches::batch_folder(job));
        }
        self.options()
            .download_root
            .join(folder_name(job.id, &job.name))
    }
}

/// A download this engine runs: while it lives, the job is in the engine's list and its cancel
/// watcher runs; dropping it ends both.
struct Running<'a> {
    engine: &'a Engine,
    job: i64,
    watcher: tokio::task::JoinHandle<()>,
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.watcher.abort();
        lock(&self.engine.downloads).remove(&self.job);
    }
}

/// Deletes a `.part` only while `fence` is still the current grant of the job's download lease,
/// checked in the transaction the deletion runs in: a holder whose lease was taken over must not
/// touch the files of the one that took it (the download then stops, as cancelled).
fn part_remover(store: crate::store::Store, fence: Fence) -> PartRemover {
    Arc::new(
        move |part: &Path| match store.under_fence(&fence, || delete_part(part)) {
            Ok(deleted) => deleted,
            Err(StoreError::LeaseLost { .. }) => Err(DownloadError::Cancelled),
            Err(error) => Err(DownloadError::Internal {
                reason: error.to_string(),
            }),
        },
    )
}

/// The error of a holder whose download lease another process took over.
fn lost(lease: &Lease) -> EngineError {
    EngineError::Store(StoreError::LeaseLost {
        resource: lease.fence().resource().to_owned(),
    })
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
    fn a_holder_whose_lease_was_taken_over_deletes_no_part() {
        let store = crate::store::Store::open_in_memory().unwrap();
        let resource = download_lease(77);
        let minute = std::time::Duration::from_secs(60);
        let stale = store
            .take_lease(&resource, "paused", "paused", minute)
            .unwrap()
            .unwrap();
        store.end_lease_holder(&resource);
        let current = store
            .take_lease(&resource, "taker", "app", minute)
            .unwrap()
            .unwrap();
        let dir = tempfile::tempdir().unwrap();
        let part = dir.path().join("part-0.json.gz.part");
        std::fs::write(&part, b"the new holder's bytes").unwrap();

        let refused = part_remover(store.clone(), stale)(&part);
        assert!(
            matches!(refused, Err(DownloadError::Cancelled)),
            "{refused:?}"
        );
        assert!(part.exists(), "the replaced holder left the file alone");

        part_remover(store, current)(&part).unwrap();
        assert!(!part.exists(), "the current holder deletes it");
    }
}
