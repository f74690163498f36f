//! One download attempt: the network task reads pieces and batches them; a writer thread appends them
//! to the `.part`; for a download from byte 0, a checker thread inflates the same pieces at the same
//! time. Channels are bounded, so memory stays flat and the slowest stage sets the pace.

use std::fs::File;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use bytes::{Bytes, BytesMut};
use tokio::sync::{mpsc, watch};
use tokio::task::JoinHandle;

use super::syncer::Syncer;
use super::verify::{check_gzip, ChannelReader};
use super::{DownloadError, DownloadProgress};
use crate::api::{ApiClient, FileResponse};

/// Pieces are gathered to this size before crossing to the threads (fewer wake-ups).
const BATCH: usize = 512 * 1024;
/// Batches in flight per channel: memory per download is about `2 × DEPTH × BATCH`.
const DEPTH: usize = 16;
/// Every this many bytes written, a helper thread asks the disk to take them (`sync_data`), so the
/// fsync at the end has only the last few mebibytes left instead of the whole file.
const SYNC_EVERY: u64 = 16 * 1024 * 1024;
/// Progress is reported when it moved by this fraction (1/200 = 0.5 %) …
const PROGRESS_STEP_DIVISOR: u64 = 200;
/// … or when this much time passed.
const PROGRESS_INTERVAL: Duration = Duration::from_millis(250);
/// The largest file accepted: a file holds at most 10,000 profiles of a few kilobytes each,
/// compressed; this is far above that and far below a full disk.
pub(crate) const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024 * 1024;
/// How often to look again while another download holds a `.part`'s lock.
const LOCK_RETRY: Duration = Duration::from_millis(100);

/// What one download needs; [`Attempt::run`] makes one try.
pub(crate) struct Attempt<'a> {
    pub client: &'a ApiClient,
    pub request_id: &'a str,
    pub server_name: &'a str,
    pub part: &'a Path,
    pub progress: &'a (dyn Fn(DownloadProgress) + Send + Sync),
    /// Deletes a `.part` that cannot be used (see [`super::PartRemover`]).
    pub remove: &'a super::PartRemover,
}

/// The whole file is on disk (fsynced).
pub(crate) struct Fetched {
    pub bytes: u64,
    /// The check made while downloading, if the whole file came in this attempt.
    pub checked: Option<Result<u64, String>>,
}

/// Why an attempt stopped.
pub(crate) enum AttemptError {
    /// Give up (service refusal, disk error, cancel).
    Fatal(DownloadError),
    /// The connection broke: resume from what is on disk.
    Transient(String),
    /// The `.part` cannot be resumed: delete it and start again.
    StartOver,
}

/// Why the streaming loop stopped early.
enum Stop {
    Cancelled,
    Broken(String),
    WriterGone,
    CheckerGone,
    /// More bytes came than the limit (the declared size, or [`MAX_FILE_BYTES`]).
    TooLarge,
}

impl Attempt<'_> {
    /// One try from byte `have` (0 = from the start), appending to `file`: the `.part`, opened
    /// and locked by [`lock_part`] (the lock is released when the attempt ends).
    pub(crate) async fn run(
        &self,
        file: File,
        have: u64,
        cancel: &mut watch::Receiver<bool>,
    ) -> Result<Fetched, AttemptError> {
        let opened = tokio::select! {
            opened = self.client.open_file(self.request_id, self.server_name, have) => opened?,
            () = cancelled(cancel) => return Err(AttemptError::Fatal(DownloadError::Cancelled)),
        };
        let mut response = opened;
        let fresh = response.start_offset == 0;
        let total = response.total_len;
        if let Some(total) = total.filter(|total| *total > MAX_FILE_BYTES) {
            return Err(self
                .too_large(format!(
                "Coresignal says it holds {total} bytes, more than the 5 GiB a file of profiles \
                 can reach"
            ))
                .await);
        }
        let limit = total.unwrap_or(MAX_FILE_BYTES);
        let (write_tx, writer) = start_writer(file, fresh, cancel.clone());
        let (check_tx, checker) = match fresh {
            true => {
                let (tx, handle) = start_checker();
                (Some(tx), Some(handle))
            }
            false => (None, None),
        };
        let streamed = self
            .stream(&mut response, limit, write_tx, check_tx, cancel)
            .await;
        let file = join(writer, "writer")
            .await?
            .map_err(|e| AttemptError::Fatal(DownloadError::io(self.part, &e)))?;
        if *cancel.borrow() {
            // The writer may have dropped the last batches: the `.part` is not the whole file.
            return Err(AttemptError::Fatal(DownloadError::Cancelled));
        }
        let bytes = match streamed {
            Ok(bytes) => bytes,
            Err(Stop::TooLarge) => {
                drop(file);
                let reason = match total {
                    Some(total) => format!("it goes on past the {total} bytes Coresignal said"),
                    None => "it goes on past 5 GiB, more than a file of profiles can reach".into(),
                };
                return Err(self.too_large(reason).await);
            }
            Err(Stop::CheckerGone) => {
                // The checker stops early only when it found damage.
                let verdict = join_checker(checker).await?;
                let reason = match verdict {
                    Some(Err(reason)) => reason,
                    _ => "it continues after its end".to_owned(),
                };
                return Ok(Fetched {
                    bytes: 0,
                    checked: Some(Err(reason)),
                });
            }
            Err(stop) => return Err(stop_error(stop)),
        };
        if let Some(total) = total.filter(|t| *t != bytes) {
            return Err(AttemptError::Transient(format!(
                "the file ended after {bytes} of {total} bytes"
            )));
        }
        sync(file, self.part).await?;
        Ok(Fetched {
            bytes,
            checked: join_checker(checker).await?,
        })
    }

    /// Refuses the file for `reason`, deleting what was kept of it.
    async fn too_large(&self, reason: String) -> AttemptError {
        if let Err(error) = super::remove_part(self.remove, self.part).await {
            return AttemptError::Fatal(error);
        }
        let file = self.part.file_name().unwrap_or_default().to_string_lossy();
        let file = file
            .strip_suffix(super::names::PART_SUFFIX)
            .unwrap_or(&file);
        AttemptError::Fatal(DownloadError::TooLarge {
            file: file.to_owned(),
            reason,
        })
    }

    /// Reads the body to its end, feeding the writer (and the checker); stops once more than
    /// `limit` bytes came in all. Returns the file's length.
    async fn stream(
        &self,
        response: &mut FileResponse,
        limit: u64,
        write_tx: mpsc::Sender<Bytes>,
        check_tx: Option<mpsc::Sender<Bytes>>,
        cancel: &mut watch::Receiver<bool>,
    ) -> Result<u64, Stop> {
        let mut done = response.start_offset;
        let mut reporter = Reporter::new(self.progress, response.total_len, done);
        let mut batch = BytesMut::with_capacity(BATCH);
        loop {
            let piece = tokio::select! {
                piece = response.next_chunk() => piece,
                () = cancelled(cancel) => return Err(Stop::Cancelled),
            };
            let piece = match piece {
                Ok(Some(piece)) => piece,
                Ok(None) => break,
                Err(error) => {
                    // What arrived is good: let the writer keep it, then resume after it.
                    send(&write_tx, check_tx.as_ref(), batch.split().freeze()).await?;
                    return Err(Stop::Broken(error.to_string()));
                }
            };
            done += piece.len() as u64;
            if done > limit {
                return Err(Stop::TooLarge);
            }
            batch.extend_from_slice(&piece);
            if batch.len() >= BATCH {
                send(&write_tx, check_tx.as_ref(), batch.split().freeze()).await?;
                reporter.report(done);
            }
        }
        send(&write_tx, check_tx.as_ref(), batch.freeze()).await?;
        reporter.finish(done);
        Ok(done)
    }
}

async fn send(
    write_tx: &mpsc::Sender<Bytes>,
    check_tx: Option<&mpsc::Sender<Bytes>>,
    batch: Bytes,
) -> Result<(), Stop> {
    if batch.is_empty() {
        return Ok(());
    }
    if let Some(check_tx) = check_tx {
        check_tx
            .send(batch.clone())
            .await
            .map_err(|_| Stop::CheckerGone)?;
    }
    write_tx.send(batch).await.map_err(|_| Stop::WriterGone)
}

fn stop_error(stop: Stop) -> AttemptError {
    match stop {
        Stop::Cancelled => AttemptError::Fatal(DownloadError::Cancelled),
        Stop::Broken(reason) => AttemptError::Transient(reason),
        // The writer only hangs up on an I/O error, which `join` reported already; a file too
        // large is handled before this.
        Stop::WriterGone | Stop::CheckerGone | Stop::TooLarge => {
            AttemptError::Fatal(DownloadError::Internal {
                reason: "a download thread stopped early".into(),
            })
        }
    }
}

/// Appends batches to the `.part` (or starts it over) on a blocking thread, each with one write
/// straight from the batch (they are [`BATCH`] bytes, large enough; a buffer in between would only
/// copy every byte once more). Once `cancel` is set (a Cancel, or the lease taken over by another
/// process), not one more byte is written: what is still queued is dropped (a later resume fetches
/// it again). Every [`SYNC_EVERY`] bytes, a [`Syncer`] hands what was written to the disk in the
/// background.
fn start_writer(
    file: File,
    fresh: bool,
    cancel: watch::Receiver<bool>,
) -> (mpsc::Sender<Bytes>, JoinHandle<std::io::Result<File>>) {
    let (tx, mut rx) = mpsc::channel::<Bytes>(DEPTH);
    let handle = tokio::task::spawn_blocking(move || {
        if fresh {
            // Appends go to the end, which is now byte 0.
            file.set_len(0)?;
        }
        let syncer = Syncer::start(&file);
        let mut out = file;
        let mut first = true;
        let mut unsynced = 0u64;
        while let Some(batch) = rx.blocking_recv() {
            if *cancel.borrow() {
                break;
            }
            out.write_all(&batch)?;
            crate::test_seams::kill_point("download.batch");
            if std::mem::take(&mut first) {
                crate::test_seams::kill_point("download.first_batch");
            }
            unsynced += batch.len() as u64;
            if unsynced >= SYNC_EVERY {
                syncer.nudge();
                unsynced = 0;
            }
        }
        syncer.finish()?;
        Ok(out)
    });
    (tx, handle)
}

/// Opens the `.part` for appending (creating it) and takes the operating system's exclusive lock
/// on it, waiting while another download holds it: two writers on one computer never append to
/// one `.part`, whatever the leases say. A file system without locks is written without one.
pub(crate) async fn lock_part(
    part: &Path,
    cancel: &mut watch::Receiver<bool>,
) -> Result<File, DownloadError> {
    // A new `.part` is readable by this user only: it holds people's data.
    let file = crate::local_files::private_file()
        .create(true)
        .append(true)
        .open(part)
        .map_err(|e| DownloadError::io(part, &e))?;
    loop {
        match file.try_lock() {
            Ok(()) => return Ok(file),
            Err(std::fs::TryLockError::WouldBlock) => {
                tokio::select! {
                    () = tokio::time::sleep(LOCK_RETRY) => {}
                    () = cancelled(cancel) => return Err(DownloadError::Cancelled),
                }
            }
            Err(std::fs::TryLockError::Error(error)) => {
                tracing::debug!("no lock on {}: {error}", part.display());
                return Ok(file);
            }
        }
    }
}

/// Inflates the batches as they come, on a blocking thread.
fn start_checker() -> (mpsc::Sender<Bytes>, JoinHandle<Result<u64, String>>) {
    let (tx, rx) = mpsc::channel::<Bytes>(DEPTH);
    let handle = tokio::task::spawn_blocking(move || check_gzip(ChannelReader::new(rx)));
    (tx, handle)
}

async fn join<T>(handle: JoinHandle<T>, what: &str) -> Result<T, AttemptError> {
    handle.await.map_err(|e| {
        AttemptError::Fatal(DownloadError::Internal {
            reason: format!("the {what} thread failed: {e}"),
        })
    })
}

async fn join_checker(
    checker: Option<JoinHandle<Result<u64, String>>>,
) -> Result<Option<Result<u64, String>>, AttemptError> {
    match checker {
        Some(handle) => join(handle, "checker").await.map(Some),
        None => Ok(None),
    }
}

async fn sync(file: File, part: &Path) -> Result<(), AttemptError> {
    let result = tokio::task::spawn_blocking(move || file.sync_all()).await;
    match result {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(AttemptError::Fatal(DownloadError::io(part, &e))),
        Err(e) => Err(AttemptError::Fatal(DownloadError::Internal {
            reason: format!("fsync failed: {e}"),
        })),
    }
}

/// Resolves when `cancel` is (or becomes) `true`; never, if its sender is gone.
pub(crate) async fn cancelled(cancel: &mut watch::Receiver<bool>) {
    loop {
        if *cancel.borrow_and_update() {
            return;
        }
        if cancel.changed().await.is_err() {
            std::future::pending::<()>().await;
        }
    }
}

/// Throttles progress reports: every 0.5 % or 250 ms, plus the first and the last.
struct Reporter<'a> {
    sink: &'a (dyn Fn(DownloadProgress) + Send + Sync),
    total: Option<u64>,
    step: u64,
    last_bytes: u64,
    last_at: Instant,
}

impl<'a> Reporter<'a> {
    fn new(
        sink: &'a (dyn Fn(DownloadProgress) + Send + Sync),
        total: Option<u64>,
        start: u64,
    ) -> Self {
        let step = total.map_or(u64::MAX, |t| (t / PROGRESS_STEP_DIVISOR).max(1));
        sink(DownloadProgress {
            bytes_done: start,
            bytes_total: total,
        });
        Self {
            sink,
            total,
            step,
            last_bytes: start,
            last_at: Instant::now(),
        }
    }

    fn report(&mut self, done: u64) {
        if done - self.last_bytes >= self.step || self.last_at.elapsed() >= PROGRESS_INTERVAL {
            self.finish(done);
        }
    }

    fn finish(&mut self, done: u64) {
        (self.sink)(DownloadProgress {
            bytes_done: done,
            bytes_total: self.total,
        });
        self.last_bytes = done;
        self.last_at = Instant::now();
    }
}

#[cfg(test)]
#[path = "transfer_tests.rs"]
mod tests;
