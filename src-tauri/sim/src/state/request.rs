//! One data request as the state holds it, and the answers its poll and download steps give.

use super::*;

/// A data request. Times are durations since the UNIX epoch on the simulated clock.
pub(super) struct DataRequest {
    pub(super) seq: u64,
    pub(super) info: RequestInfo,
    pub(super) ids: Vec<u64>,
    pub(super) ready_at: Duration,
    pub(super) created_at: Duration,
    pub(super) canonical: Option<String>,
    pub(super) finalizing: bool,
    pub(super) files: Vec<StoredFile>,
}

impl DataRequest {
    /// Whether the request still has to settle (and so needs its ids).
    pub(super) fn unsettled(&self) -> bool {
        matches!(
            self.info.state,
            RequestState::Processing | RequestState::InsufficientCredits
        )
    }

    /// The saved form; a request being settled is saved as not charged yet (its files are not
    /// written, so a restart settles it again).
    pub(super) fn saved(&self, dir: &Path) -> SavedRequest {
        let mut info = self.info.clone();
        if self.finalizing {
            info.charged = 0;
        }
        let stored = self
            .files
            .iter()
            .map(|f| StoredFile {
                path: f.path.strip_prefix(dir).unwrap_or(&f.path).to_path_buf(),
                ..f.clone()
            })
            .collect();
        SavedRequest {
            info,
            ready_at_ms: self.ready_at.as_millis() as u64,
            canonical: self.canonical.clone(),
            ids: if self.unsettled() {
                self.ids.clone()
            } else {
                Vec::new()
            },
            stored,
        }
    }

    /// A request restored from its saved form (relative file paths resolved against `dir`).
    pub(super) fn restored(seq: u64, saved: SavedRequest, dir: &Path) -> DataRequest {
        let files = saved
            .stored
            .into_iter()
            .map(|f| StoredFile {
                path: dir.join(&f.path),
                ..f
            })
            .collect();
        DataRequest {
            seq,
            created_at: Duration::from_millis(saved.info.created_at_ms),
            info: saved.info,
            ids: saved.ids,
            ready_at: Duration::from_millis(saved.ready_at_ms),
            canonical: saved.canonical,
            finalizing: false,
            files,
        }
    }
}

/// The result of a status poll.
pub(crate) enum Poll {
    Pending,
    Ready(Vec<String>),
}

/// The first step of a poll: an answer already, or result files to write.
pub(super) enum Step {
    /// Answer this; `changed` when the request's state changed (so it is saved first).
    Answer {
        result: Result<Poll, ApiError>,
        changed: bool,
    },
    /// The request was charged and is being settled: write these files.
    Write {
        ids: Vec<u64>,
        dir: PathBuf,
        hostile: bool,
        /// The people as they are at the charge, so the files hold what was charged.
        people: Overlay,
    },
}

/// A download ready to stream.
pub(crate) struct DownloadPlan {
    pub(crate) path: PathBuf,
    /// Bytes served as the whole file (less than on disk when truncation is on).
    pub(crate) len: u64,
    pub(crate) cut_after: Option<u64>,
    pub(crate) throttle: Option<u64>,
}
