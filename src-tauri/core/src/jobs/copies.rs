//! A job's files put into another folder (`download JOB --to DIR` once they are downloaded, or
//! some of them): copied from this computer, never fetched again, so files the service may no
//! longer keep are never put at risk. The job then lives in the new folder; the old copies stay.

use std::path::{Path, PathBuf};

use crate::store::{FileState, JobRow};

use super::lease::Lease;
use super::{Engine, EngineError, JobState};

impl Engine {
    /// Copies downloaded job `id`'s files (and a job's own spreadsheet) into `to`, each checked
    /// against the size recorded when it was downloaded and put in place only when whole and only
    /// where no file of that name is, then records `to` as the job's folder (state and records
    /// unchanged). On any failure the copies made are removed and nothing is recorded.
    /// The job is read again once its download lease is held.
    pub(super) async fn copy_downloaded(&self, id: i64, to: &Path) -> Result<JobRow, EngineError> {
        let lease = self.download_lease(id)?;
        let job = self.job(id)?;
        if job.state != JobState::Downloaded {
            return Err(EngineError::InvalidState {
                job: id,
                state: job.state,
                action: "copying its files",
            });
        }
        let mut copies: Vec<Copy> = Vec::new();
        for file in self.store.files(id)? {
            let (FileState::Done, Some(from)) = (file.state, file.path) else {
                return Err(EngineError::InvalidState {
                    job: id,
                    state: job.state,
                    action: "copying its files",
                });
            };
            copies.push(Copy {
                file: Some(file.id),
                from: PathBuf::from(from),
                to: to.join(&file.local_name),
                bytes: file.bytes,
            });
        }
        // A job of its own takes its spreadsheet along (a collection's stays with the collection).
        if let Some(sheet) = job.export_path.as_deref().map(PathBuf::from) {
            if job.parent_id.is_none() && sheet.is_file() {
                if let Some(name) = sheet.file_name() {
                    copies.push(Copy {
                        file: None,
                        to: to.join(name),
                        from: sheet,
                        bytes: None,
                    });
                }
            }
        }
        self.copy_and_relocate(&lease, id, copies, to).await?;
        self.audit(self.note(
            id,
            &format!(
                "Files copied into {} from this computer (nothing was fetched again); the collection's folder is now there.",
                to.display()
            ),
        ));
        self.job(id)
    }

    /// Makes `to` the folder of partly downloaded job `id` (`download JOB --to DIR`, under the
    /// job's download lease): the files already done are copied there from this computer
    /// (checked, never fetched again, their records kept); the others start again there. On a
    /// failed copy nothing is changed.
    pub(super) async fn carry_done_files(
        &self,
        lease: &Lease,
        id: i64,
        to: &Path,
    ) -> Result<(), EngineError> {
        let copies: Vec<Copy> = self
            .store
            .files(id)?
            .into_iter()
            .filter(|file| file.state == FileState::Done)
            .filter_map(|file| {
                let from = PathBuf::from(file.path.as_deref()?);
                from.is_file().then(|| Copy {
                    file: Some(file.id),
                    to: to.join(&file.local_name),
                    from,
                    bytes: file.bytes,
                })
            })
            .collect();
        let carried = copies.len();
        self.copy_and_relocate(lease, id, copies, to).await?;
        self.store.reset_unfinished_files(id)?;
        if carried > 0 {
            self.audit(self.note(
                id,
                &format!(
                    "{carried} file(s) already downloaded were copied into {} from this computer (not fetched again); the rest are downloaded there.",
                    to.display()
                ),
            ));
        }
        Ok(())
    }

    /// Copies `copies` into `to` (see [`copy_all`]) and records `to` as job `id`'s folder with each
    /// copy's new path, in one write.
    async fn copy_and_relocate(
        &self,
        lease: &Lease,
        id: i64,
        copies: Vec<Copy>,
        to: &Path,
    ) -> Result<(), EngineError> {
        let target = to.to_path_buf();
        let copied = tokio::task::spawn_blocking(move || copy_all(&copies, &target))
            .await
            .map_err(|error| EngineError::InvalidInput(error.to_string()))??;
        let files: Vec<(i64, String)> = copied
            .iter()
            .filter_map(|(file, path)| file.map(|file| (file, path.clone())))
            .collect();
        let sheet = copied
            .iter()
            .find(|(file, _)| file.is_none())
            .map(|(_, path)| path.as_str());
        self.store
            .relocate_files(lease.fence(), id, &to.to_string_lossy(), &files, sheet)?;
        Ok(())
    }
}

/// One file to copy: a result file (its row id) or the spreadsheet (`None`).
struct Copy {
    file: Option<i64>,
    from: PathBuf,
    to: PathBuf,
    /// The size recorded when it was downloaded, checked after the copy.
    bytes: Option<u64>,
}

/// True when `a` and `b` name the same folder, however spelled (relative, through a link).
pub(super) fn same_folder(a: &Path, b: &Path) -> bool {
    let resolve = |path: &Path| {
        std::fs::canonicalize(path)
            .or_else(|_| std::path::absolute(path))
            .unwrap_or_else(|_| path.to_path_buf())
    };
    resolve(a) == resolve(b)
}

/// Copies every one of `copies` into `to`: refused before anything is written if a file of the
/// same name is already there; on a failure, the copies made so far are removed. Returns each
/// copy's file id and new path.
fn copy_all(copies: &[Copy], to: &Path) -> Result<Vec<(Option<i64>, String)>, EngineError> {
    let failed = |name: &Path, why: String| {
        EngineError::InvalidInput(format!(
            "Could not copy \"{}\" into {}: {why}. Nothing was changed: the collection's files are where they were.",
            name.file_name().map_or_else(|| name.display().to_string(), |n| n.to_string_lossy().into_owned()),
            to.display()
        ))
    };
    if let Some(taken) = copies.iter().find(|copy| copy.to.exists()) {
        return Err(failed(
            &taken.to,
            "a file of that name is already there; choose another folder, or an empty one"
                .to_owned(),
        ));
    }
    std::fs::create_dir_all(to).map_err(|error| failed(to, error.to_string()))?;
    let mut copied = Vec::with_capacity(copies.len());
    for copy in copies {
        if let Err(why) = copy_one(&copy.from, &copy.to, copy.bytes) {
            for (_, path) in &copied {
                let _ = std::fs::remove_file(path);
            }
            return Err(failed(&copy.to, why));
        }
        copied.push((copy.file, copy.to.to_string_lossy().into_owned()));
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
    let written = {
        let mut source = std::fs::File::open(from).map_err(|error| {
            format!(
                "{} cannot be read ({error}); run download without --to to fetch it again",
                from.display()
            )
        })?;
        std::io::copy(&mut source, temp.as_file_mut()).map_err(|error| error.to_string())?
    };
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
    temp.persist_noclobber(target)
        .map_err(|error| error.error.to_string())?;
    Ok(())
}
