//! Streamed, resumable, verified, atomic downloads of a request's files.
//!
//! A file streams to `<dest>/.partial/<name>.part`; a `.part` left by an earlier try is resumed with
//! `Range`; while a `.part` is written, the operating system's lock on it keeps any other writer
//! out. A fresh download is checked (gzip intact, records counted) on another thread while it
//! arrives; a resumed one is checked from disk at the end. Only then is it fsynced and renamed into
//! `<dest>/<name>` (by a job's lease holder, inside the transaction that checks its lease, its
//! folder fsynced after the commit); a damaged file is deleted (by a lease holder, only while its
//! lease is its own) and downloaded again from byte 0 (a few times, with a
//! backoff) before the error is returned. Memory stays flat whatever the file size: pieces go through bounded channels.
//!
//! | file | holds |
//! |---|---|
//! | `names.rs` | [`local_file_names`]: safe local names for the server's untrusted ones |
//! | `transfer.rs` | one attempt: network → writer thread (+ checker thread) |
//! | `verify.rs` | the gzip check and the record count |
//! | `error.rs` | [`DownloadError`] |

mod error;
mod names;
mod syncer;
#[cfg(test)]
mod tests;
mod transfer;
mod verify;

use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tokio::sync::watch;

pub use error::DownloadError;
pub use names::local_file_names;

use crate::api::{ApiClient, ApiError};
use transfer::{Attempt, AttemptError};

/// A file that arrives damaged (a gzip cut short although its length matched, a bad CRC) is
/// downloaded again from byte 0, with a backoff, until it came damaged this many times in a row.
/// Downloads cost no credits.
const DAMAGED_ATTEMPTS: u32 = 3;

/// Buffer for reading a finished file back from disk to check it.
const READ_BUFFER: usize = 1024 * 1024;

/// How far a download has come.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownloadProgress {
    /// Bytes on disk so far (a resumed download starts at what it had).
    pub bytes_done: u64,
    /// The file's size, if the server said.
    pub bytes_total: Option<u64>,
}

/// A finished, checked file in its final place.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DownloadedFile {
    /// `<dest>/<local_name>`.
    pub path: PathBuf,
    /// Its size in bytes (compressed, as served).
    pub bytes: u64,
    /// Records in it (non-empty JSON Lines lines).
    pub records: u64,
}

/// Downloads `server_name` of `request_id` into `dest_dir/local_name` (see the module doc):
/// [`fetch_checked`], then [`Checked::put_in_place`].
pub async fn download_file(
    client: &ApiClient,
    request_id: &str,
    server_name: &str,
    dest_dir: &Path,
    local_name: &str,
    progress: &(dyn Fn(DownloadProgress) + Send + Sync),
    cancel: watch::Receiver<bool>,
) -> Result<DownloadedFile, DownloadError> {
    let checked = fetch_checked(
        client,
        request_id,
        server_name,
        dest_dir,
        local_name,
        progress,
        cancel,
        std::sync::Arc::new(delete_part),
    )
    .await?;
    tokio::task::spawn_blocking(move || checked.put_in_place())
        .await
        .map_err(|e| DownloadError::Internal {
            reason: format!("the rename stopped: {e}"),
        })?
}

/// A whole file, checked, still under its `.part` name; [`Checked::put_in_place`] gives it its
/// final name.
#[derive(Debug)]
pub struct Checked {
    part: PathBuf,
    dir: PathBuf,
    file: DownloadedFile,
}

impl Checked {
    /// Where it goes: `<dest>/<local_name>`.
    pub fn path(&self) -> &Path {
        &self.file.path
    }

    /// What it is: its final path, size and record count.
    pub fn file(&self) -> &DownloadedFile {
        &self.file
    }

    /// [`Checked::rename_into_place`], then [`Checked::make_durable`]. Blocking.
    pub fn put_in_place(&self) -> Result<DownloadedFile, DownloadError> {
        self.rename_into_place()?;
        self.make_durable()?;
        Ok(self.file.clone())
    }

    /// Renames the `.part` to its final name (replacing an older copy), after checking that it
    /// still holds exactly the bytes that were checked (a second writer could have appended to
    /// it since: then [`DownloadError::Corrupt`] and nothing is renamed). Its data was fsynced
    /// when it was written. Blocking, and quick: a holder of the job's lease runs it inside the
    /// transaction that checks the lease is still its own, then [`Checked::make_durable`] after
    /// the commit.
    pub fn rename_into_place(&self) -> Result<(), DownloadError> {
        let on_disk = std::fs::metadata(&self.part)
            .map_err(|e| DownloadError::io(&self.part, &e))?
            .len();
        if on_disk != self.file.bytes {
            let name = self.file.path.file_name().unwrap_or_default();
            return Err(DownloadError::Corrupt {
                file: name.to_string_lossy().into_owned(),
                reason: format!(
                    "it changed on disk after it was checked ({on_disk} bytes, not {})",
                    self.file.bytes
                ),
            });
        }
        std::fs::rename(&self.part, &self.file.path)
            .map_err(|e| DownloadError::io(&self.file.path, &e))?;
        crate::test_seams::kill_point("download.renamed");
        Ok(())
    }

    /// Makes the rename durable (fsyncs the folder). Blocking.
    pub fn make_durable(&self) -> Result<(), DownloadError> {
        sync_dir(&self.dir)
    }
}

/// Deletes a `.part` that cannot be used (damaged, too large, not resumable). Blocking. A job's
/// lease holder passes one that deletes only while its lease is still its own (a holder whose
/// lease was taken over touches no file); [`delete_part`] deletes it outright.
pub type PartRemover = std::sync::Arc<dyn Fn(&Path) -> Result<(), DownloadError> + Send + Sync>;

/// Deletes `part` outright (a missing one is fine). Blocking.
pub fn delete_part(part: &Path) -> Result<(), DownloadError> {
    match std::fs::remove_file(part) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(DownloadError::io(part, &e)),
        _ => Ok(()),
    }
}

/// Fetches `server_name` of `request_id` to `dest_dir/.partial/local_name.part` and checks it
/// (see the module doc), without renaming it into place.
///
/// `local_name` must be one given by [`local_file_names`]. `progress` is called at most every 0.5 %
/// or 250 ms. A file that arrives damaged is deleted and downloaded again from the start (3 times
/// in all) before [`DownloadError::Corrupt`] is returned. Setting `cancel` to `true` stops the
/// download, writing nothing more, and keeps the `.part` for later. A `.part` that cannot be used
/// is deleted only through `remove`.
#[allow(clippy::too_many_arguments)] // Each is one plain input of the one download.
pub async fn fetch_checked(
    client: &ApiClient,
    request_id: &str,
    server_name: &str,
    dest_dir: &Path,
    local_name: &str,
    progress: &(dyn Fn(DownloadProgress) + Send + Sync),
    cancel: watch::Receiver<bool>,
    remove: PartRemover,
) -> Result<Checked, DownloadError> {
    if !names::is_safe_local_name(local_name) {
        return Err(DownloadError::InvalidName {
            name: local_name.to_owned(),
        });
    }
    let partial_dir = dest_dir.join(".partial");
    tokio::fs::create_dir_all(&partial_dir)
        .await
        .map_err(|e| DownloadError::io(&partial_dir, &e))?;
    let part = partial_dir.join(format!("{local_name}{}", names::PART_SUFFIX));
    let attempt = Attempt {
        client,
        request_id,
        server_name,
        part: &part,
        progress,
        remove: &remove,
    };
    let policy = client.retry_policy().clone();
    let mut damaged = 0u32;
    loop {
        let fetched = fetch_with_retries(&attempt, cancel.clone()).await?;
        let records = match fetched.checked {
            Some(result) => result,
            None => check_on_disk(&part).await?,
        };
        let reason = match records {
            Ok(records) => {
                crate::test_seams::kill_point("download.checked");
                return Ok(Checked {
                    file: DownloadedFile {
                        path: dest_dir.join(local_name),
                        bytes: fetched.bytes,
                        records,
                    },
                    part,
                    dir: dest_dir.to_path_buf(),
                });
            }
            Err(reason) => reason,
        };
        // A damaged part must never be resumed: the next try starts from byte 0.
        remove_part(&remove, &part).await?;
        damaged += 1;
        if damaged >= DAMAGED_ATTEMPTS {
            return Err(DownloadError::Corrupt {
                file: local_name.to_owned(),
                reason: format!("{reason}; downloaded {damaged} times, damaged every time"),
            });
        }
        tracing::warn!(damaged, %reason, "downloaded file is damaged; downloading it again");
        let mut cancel = cancel.clone();
        tokio::select! {
            () = tokio::time::sleep(policy.backoff(damaged)) => {}
            () = transfer::cancelled(&mut cancel) => return Err(DownloadError::Cancelled),
        }
    }
}

/// Attempts until the whole file is on disk. A broken connection resumes from what is on disk;
/// attempts are bounded by the client's retry policy, counting only those that made no progress.
async fn fetch_with_retries(
    attempt: &Attempt<'_>,
    mut cancel: watch::Receiver<bool>,
) -> Result<transfer::Fetched, DownloadError> {
    let policy = attempt.client.retry_policy().clone();
    let (mut failures, mut furthest) = (0u32, 0u64);
    loop {
        if *cancel.borrow() {
            return Err(DownloadError::Cancelled);
        }
        let file = transfer::lock_part(attempt.part, &mut cancel).await?;
        let have = file
            .metadata()
            .map_err(|e| DownloadError::io(attempt.part, &e))?
            .len();
        let failure = match attempt.run(file, have, &mut cancel).await {
            Ok(fetched) => return Ok(fetched),
            Err(AttemptError::Fatal(error)) => return Err(error),
            Err(AttemptError::Transient(failure)) => failure,
            Err(AttemptError::StartOver) => {
                remove_part(attempt.remove, attempt.part).await?;
                "the service could not resume the file".to_owned()
            }
        };
        let now = part_len(attempt.part).await?;
        if now > furthest {
            furthest = now;
            failures = 0;
        }
        failures += 1;
        if failures >= policy.max_attempts {
            return Err(DownloadError::Network {
                reason: failure,
                attempts: failures,
            });
        }
        tracing::info!(failures, %failure, "download interrupted; resuming");
        tokio::select! {
            () = tokio::time::sleep(policy.backoff(failures)) => {}
            () = transfer::cancelled(&mut cancel) => return Err(DownloadError::Cancelled),
        }
    }
}

async fn part_len(part: &Path) -> Result<u64, DownloadError> {
    match tokio::fs::metadata(part).await {
        Ok(meta) => Ok(meta.len()),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(0),
        Err(e) => Err(DownloadError::io(part, &e)),
    }
}

/// Deletes `part` through `remove`, on a blocking thread.
pub(crate) async fn remove_part(remove: &PartRemover, part: &Path) -> Result<(), DownloadError> {
    let (remove, part) = (std::sync::Arc::clone(remove), part.to_path_buf());
    tokio::task::spawn_blocking(move || remove(&part))
        .await
        .map_err(|e| DownloadError::Internal {
            reason: format!("deleting a partial file stopped: {e}"),
        })?
}

/// Checks a file on disk (after a resumed download) on a blocking thread.
async fn check_on_disk(part: &Path) -> Result<Result<u64, String>, DownloadError> {
    let file = File::open(part).map_err(|e| DownloadError::io(part, &e))?;
    tokio::task::spawn_blocking(move || {
        verify::check_gzip(BufReader::with_capacity(READ_BUFFER, file))
    })
    .await
    .map_err(|e| DownloadError::Internal {
        reason: format!("the file check stopped: {e}"),
    })
}

/// Makes the rename of a file into folder `dir` durable.
fn sync_dir(dir: &Path) -> Result<(), DownloadError> {
    sync_folder(dir).map_err(|e| DownloadError::io(dir, &e))
}

/// Makes the names in folder `dir` durable (a file created or renamed in it), blocking: after a
/// power cut the folder still lists them.
#[cfg(unix)]
pub(crate) fn sync_folder(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

/// Windows cannot open a folder as a file; NTFS journals the names itself.
#[cfg(not(unix))]
pub(crate) fn sync_folder(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

impl From<ApiError> for transfer::AttemptError {
    fn from(error: ApiError) -> Self {
        match error {
            ApiError::RangeNotSatisfiable => Self::StartOver,
            other => Self::Fatal(DownloadError::Api(other)),
        }
    }
}
