//! The state file `<data dir>/state.json`: its format, atomic writes, and loading (a bad file is
//! moved aside, never fatal). What goes in it is decided by [`crate::state`]; see the crate docs,
//! "Persistence".

use crate::files::StoredFile;
use crate::state::RequestInfo;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, PoisonError};
use std::time::{SystemTime, UNIX_EPOCH};

/// The version of the state file this build reads and writes.
pub(crate) const VERSION: u32 = 1;

/// The state file's name inside the data folder.
pub(crate) const FILE_NAME: &str = "state.json";

/// Everything a restarted simulator needs, as written to disk.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct StateFile {
    /// Always [`VERSION`] when written by this build.
    pub(crate) version: u32,
    /// How far [`crate::Simulator::advance_clock`] has moved the clock in total, milliseconds.
    pub(crate) clock_offset_ms: u64,
    /// Balance of every known key.
    pub(crate) credits: BTreeMap<String, i64>,
    /// Every data request, in creation order.
    pub(crate) requests: Vec<SavedRequest>,
    /// People changed, deleted, added or removed by the control calls (absent in older files).
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub(crate) people: BTreeMap<u64, SavedPerson>,
}

/// One person who differs from the generated service.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct SavedPerson {
    /// Whether searches find them.
    pub(crate) in_corpus: bool,
    /// The service no longer has them.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub(crate) deleted: bool,
    /// The changed record; absent when it is as generated (or deleted).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub(crate) record: Option<serde_json::Value>,
}

/// One data request as saved. Times are UNIX milliseconds on the simulated clock.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub(crate) struct SavedRequest {
    /// What tests see (`created_at_ms` included).
    #[serde(flatten)]
    pub(crate) info: RequestInfo,
    /// When the request becomes ready.
    pub(crate) ready_at_ms: u64,
    /// Canonical ES DSL request, for the 409 rule.
    pub(crate) canonical: Option<String>,
    /// Ids still to deliver (only while the request is unsettled).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub(crate) ids: Vec<u64>,
    /// Result files written, paths relative to the data folder when inside it.
    pub(crate) stored: Vec<StoredFile>,
}

/// Reads and writes the state file of one data folder.
pub(crate) struct Persister {
    dir: PathBuf,
    /// Held while a snapshot is taken and written, so files land in snapshot order.
    writing: Mutex<()>,
}

impl Persister {
    /// A persister for the state file in `dir`.
    pub(crate) fn new(dir: &Path) -> Persister {
        Persister {
            dir: dir.to_path_buf(),
            writing: Mutex::new(()),
        }
    }

    fn path(&self) -> PathBuf {
        self.dir.join(FILE_NAME)
    }

    /// The saved state; `None` when there is none yet or it cannot be used (an unreadable, invalid
    /// or newer-version file is then moved aside to `state.json.corrupt-<UNIX ms>` with a warning).
    pub(crate) fn load(&self) -> Option<StateFile> {
        let path = self.path();
        let why = match std::fs::read(&path) {
            Ok(bytes) => match decode(&bytes) {
                Ok(state) => return Some(state),
                Err(why) => why,
            },
            Err(e) if e.kind() == io::ErrorKind::NotFound => return None,
            Err(e) => e.to_string(),
        };
        let aside = self.dir.join(format!("{FILE_NAME}.corrupt-{}", unix_ms()));
        match std::fs::rename(&path, &aside) {
            Ok(()) => tracing::warn!(
                "simulator state {} unusable ({why}); moved to {}, starting fresh",
                path.display(),
                aside.display()
            ),
            Err(e) => tracing::warn!(
                "simulator state {} unusable ({why}) and not moved aside ({e}); starting fresh",
                path.display()
            ),
        }
        None
    }

    /// Takes `snapshot()` and writes it atomically; concurrent saves are serialized, so the file
    /// always ends with the latest snapshot.
    pub(crate) fn save(&self, snapshot: impl FnOnce() -> StateFile) -> io::Result<()> {
        // The guarded value is `()`: a panic while holding it leaves nothing inconsistent.
        let _one_at_a_time = self.writing.lock().unwrap_or_else(PoisonError::into_inner);
        let bytes = serde_json::to_vec(&snapshot()).map_err(io::Error::other)?;
        write_atomic(&self.dir, &bytes)
    }
}

/// Parses a state file, refusing other versions.
fn decode(bytes: &[u8]) -> Result<StateFile, String> {
    #[derive(Deserialize)]
    struct Header {
        version: u32,
    }
    let header: Header = serde_json::from_slice(bytes).map_err(|e| e.to_string())?;
    if header.version != VERSION {
        return Err(format!(
            "version {} (this build reads {VERSION})",
            header.version
        ));
    }
    serde_json::from_slice(bytes).map_err(|e| e.to_string())
}

/// Writes `state.json.tmp`, syncs it, renames it over `state.json` (and syncs the folder on Unix,
/// so the rename itself survives a crash).
fn write_atomic(dir: &Path, bytes: &[u8]) -> io::Result<()> {
    let tmp = dir.join(format!("{FILE_NAME}.tmp"));
    let mut file = std::fs::File::create(&tmp)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    drop(file);
    std::fs::rename(&tmp, dir.join(FILE_NAME))?;
    #[cfg(unix)]
    std::fs::File::open(dir)?.sync_all()?;
    Ok(())
}

/// Wall-clock UNIX milliseconds (0 before 1970).
pub(crate) fn unix_ms() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as u64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::state::{RequestKind, RequestState};

    fn temp() -> PathBuf {
        let d =
            std::env::temp_dir().join(format!("coresignal-sim-persist-{}", uuid::Uuid::new_v4()));
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    fn sample() -> StateFile {
        let info = RequestInfo {
            id: "r1".into(),
            kind: RequestKind::EsDsl,
            key: "k".into(),
            state: RequestState::Processing,
            matched: 12,
            record_count: 3,
            files: vec!["json/part-00000-u-c000.json.gz".into()],
            charged: 3,
            created_at_ms: 1_700_000_000_000,
            limit: Some(3),
            webhook_url: Some("https://example.com/hook".into()),
        };
        StateFile {
            version: VERSION,
            clock_offset_ms: 86_400_000,
            credits: [("k".to_string(), 97)].into_iter().collect(),
            requests: vec![SavedRequest {
                info,
                ready_at_ms: 1_700_000_002_000,
                canonical: Some("{\"es_dsl_query\":{}}".into()),
                ids: vec![5, 6, 7],
                stored: vec![StoredFile {
                    name: "json/part-00000-u-c000.json.gz".into(),
                    path: PathBuf::from("requests/r1/part-00000.json.gz"),
                    size: 123,
                }],
            }],
            people: [
                (
                    7,
                    SavedPerson {
                        in_corpus: true,
                        deleted: false,
                        record: Some(serde_json::json!({"id": 7})),
                    },
                ),
                (
                    8,
                    SavedPerson {
                        in_corpus: false,
                        deleted: true,
                        record: None,
                    },
                ),
            ]
            .into_iter()
            .collect(),
        }
    }

    #[test]
    fn round_trip() {
        let dir = temp();
        let persister = Persister::new(&dir);
        assert_eq!(persister.load(), None, "no file yet");
        persister.save(sample).unwrap();
        assert!(!dir.join("state.json.tmp").exists());
        assert_eq!(persister.load(), Some(sample()));
        let text = std::fs::read_to_string(dir.join(FILE_NAME)).unwrap();
        assert!(text.starts_with("{\"version\":1,"), "{text}");
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn a_file_from_before_people_were_kept_still_reads() {
        let mut old = serde_json::to_value(sample()).unwrap();
        old.as_object_mut().unwrap().remove("people");
        let state = decode(old.to_string().as_bytes()).unwrap();
        assert!(state.people.is_empty());
        assert_eq!(state.requests, sample().requests);
    }

    #[test]
    fn newer_or_broken_files_are_moved_aside() {
        for content in ["{\"version\":2,\"whatever\":[]}", "{\"version\":1", "[]"] {
            let dir = temp();
            std::fs::write(dir.join(FILE_NAME), content).unwrap();
            assert_eq!(Persister::new(&dir).load(), None, "{content}");
            assert!(!dir.join(FILE_NAME).exists());
            let aside: Vec<_> = std::fs::read_dir(&dir)
                .unwrap()
                .map(|e| e.unwrap().file_name().into_string().unwrap())
                .collect();
            assert_eq!(aside.len(), 1);
            assert!(aside[0].starts_with("state.json.corrupt-"), "{aside:?}");
            let kept = std::fs::read_to_string(dir.join(&aside[0])).unwrap();
            assert_eq!(kept, content);
            std::fs::remove_dir_all(dir).unwrap();
        }
    }
}
