//! A downloaded job's files put into another folder (`download JOB --to DIR` once it is
//! downloaded): copied from this computer, never fetched again, so files the service may no longer
//! keep are never put at risk. The job then lives in the new folder; the old copies stay.

use std::path::{Path, PathBuf};

use crate::store::{FileRow, FileState, JobRow};

use super::{Engine, EngineError, JobState};

impl Engine {
    /// Copies downloaded job `id`'s files into `to`, each checked against the size recorded when
    /// it was downloaded and renamed into place only when whole, then records `to` as the job's
    /// folder (state and records unchanged). On any failure nothing is recorded.
    pub(super) async fn copy_downloaded(
        &self,
        job: &JobRow,
        to: &Path,
    ) -> Result<JobRow, EngineError> {
        let id = job.id;
        let _lease = self.download_lease(id)?;
        let job = self.job(id)?;
        if job.state != JobState::Downloaded {
            return Err(EngineError::InvalidState {
                job: id,
                state: job.state,
                action: "copying its files",
            });
        }
        let files = self.store.files(id)?;
        let target = to.to_path_buf();
        let copied = tokio::task::spawn_blocking(move || copy_files(&files, &target))
            .await
            .map_err(|error| EngineError::InvalidInput(error.to_string()))??;
        self.store
            .relocate_files(id, &to.to_string_lossy(), &copied)?;
        self.audit(self.note(
            id,
            &format!(
                "Files copied into {} from this computer (nothing was fetched again); the job's folder is now there.",
                to.display()
            ),
        ));
        self.job(id)
    }
}

/// Copies every file of `files` (all downloaded) into `to`; returns each file's id and new path.
fn copy_files(files: &[FileRow], to: &Path) -> Result<Vec<(i64, String)>, EngineError> {
    let failed = |name: &str, why: String| {
        EngineError::InvalidInput(format!(
            "Could not copy \"{name}\" into {}: {why}. Nothing was changed: the job's files are where they were.",
            to.display()
        ))
    };
    std::fs::create_dir_all(to).map_err(|error| failed("the folder", error.to_string()))?;
    let mut copied = Vec::with_capacity(files.len());
    for file in files {
        let (FileState::Done, Some(from)) = (file.state, file.path.as_deref()) else {
            return Err(failed(&file.local_name, "it is not downloaded".to_owned()));
        };
        let target: PathBuf = to.join(&file.local_name);
        if target != Path::new(from) {
            copy_one(Path::new(from), &target, file.bytes)
                .map_err(|why| failed(&file.local_name, why))?;
        }
        copied.push((file.id, target.to_string_lossy().into_owned()));
    }
    Ok(copied)
}

/// Copies `from` to `target` through a hidden temporary file beside it, checking the size.
fn copy_one(from: &Path, target: &Path, bytes: Option<u64>) -> Result<(), String> {
    let dir = target.parent().unwrap_or(Path::new("."));
    let mut temp = tempfile::Builder::new()
        .prefix(".copy.")
        .suffix(".tmp")
        .tempfile_in(dir)
        .map_err(|error| error.to_string())?;
    let mut source = std::fs::File::open(from).map_err(|error| {
        format!(
            "{} cannot be read ({error}); run download without --to to fetch it again",
            from.display()
        )
    })?;
    let written =
        std::io::copy(&mut source, temp.as_file_mut()).map_err(|error| error.to_string())?;
    if bytes.is_some_and(|expected| expected != written) {
        return Err(format!(
            "{} has changed since it was downloaded ({written} bytes, not {}); run download without --to to fetch it again",
            from.display(),
            bytes.unwrap_or_default()
        ));
    }
    temp.as_file()
        .sync_all()
        .map_err(|error| error.to_string())?;
    temp.persist(target)
        .map_err(|error| error.error.to_string())?;
    Ok(())
}
