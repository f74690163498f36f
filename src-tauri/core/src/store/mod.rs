//! SQLite persistence: jobs, their files, the audit trail of events, balance readings and previews,
//! and settings. Never the API key.
//!
//! One file in the OS app-data folder (overridable), WAL journal, foreign keys on, a busy timeout,
//! and migrations applied in one transaction each. A database written by a newer version of the app
//! is refused rather than misread.

mod batches;
mod credits;
mod deleted;
mod events;
mod files;
mod host;
mod jobs;
mod leases;
mod migrations;
mod new_jobs;
mod person_lists;
mod quote_people;
mod quotes;
mod requests;
mod searches;
mod sent_again;
mod settings;
mod spreadsheets;
mod summaries;

pub use batches::batch_texts;
pub use credits::{BalanceReading, ChargedJob, JobCredits, PreviewRow};
pub use events::{EventKind, JobEvent};
pub use files::{FileRow, FileState};
pub use jobs::{JobRow, RETENTION};
pub use leases::{Fence, LeaseHolder};
pub use person_lists::{NewPersonList, PersonList, PersonListRow};
pub use quotes::{download_lease, submit_lease, NewQuote, QuoteRow, QuoteSplit, SpendRefused};
pub use requests::Attached;
pub use searches::SavedSearch;
pub use settings::Setting;
pub use summaries::{credits_charged, JobSummary, ListPage};

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, MutexGuard};

use rusqlite::Connection;

use crate::error::{Coded, ErrorCode};

/// Errors of the local database.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// SQLite failed.
    #[error("The app's database failed: {0}. Close other copies of Bulk Collect and try again.")]
    Sqlite(#[from] rusqlite::Error),
    /// The database folder could not be created.
    #[error("The app's data folder {path} could not be created: {source}.")]
    Folder {
        /// The folder.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file was written by a newer Bulk Collect.
    #[error("This history was written by a newer version of Bulk Collect (database version {found}, this app knows up to {known}). Install the newer version to open it.")]
    TooNew {
        /// Version found in the file.
        found: i64,
        /// Newest version this build knows.
        known: i64,
    },
    /// A job that does not exist.
    #[error("There is no Collection {0} in this history.")]
    NoSuchJob(i64),
    /// A quote that does not exist (or belongs to the other mode).
    #[error("That price check (number {0}) is not known. Check the cost again.")]
    NoSuchQuote(i64),
    /// A saved search that does not exist.
    #[error("There is no saved search number {0}. It may have been deleted.")]
    NoSuchSearch(i64),
    /// A value in the database that this build cannot read.
    #[error("The app's database holds a value it cannot read ({0}).")]
    Corrupt(String),
    /// Another process was granted a lease this one held (it was taken for ended): this one
    /// stops, changing nothing.
    #[error("Another Bulk Collect (the app or the command line) took over {}; this one stopped without changing anything. Nothing needs doing: the other one carries on.", lease_words(.resource))]
    LeaseLost {
        /// The lease, as `download:12`.
        resource: String,
    },
}

/// What a lease covers, in plain words: "Collection 12's download".
fn lease_words(resource: &str) -> String {
    match resource.split_once(':') {
        Some(("download", job)) => format!("Collection {job}'s download"),
        Some(("submit", job)) => format!("sending Collection {job}"),
        Some(("spreadsheet", job)) => format!("making Collection {job}'s spreadsheet"),
        _ => format!("this work ({resource})"),
    }
}

impl Coded for StoreError {
    fn code(&self) -> ErrorCode {
        match self {
            StoreError::NoSuchJob(_) | StoreError::NoSuchQuote(_) | StoreError::NoSuchSearch(_) => {
                ErrorCode::NotFound
            }
            StoreError::LeaseLost { .. } => ErrorCode::Busy,
            _ => ErrorCode::Storage,
        }
    }
}

/// How long a statement waits for another process's write before failing.
const BUSY_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(5);

/// Result alias for the store.
pub type StoreResult<T> = Result<T, StoreError>;

/// A handle on the database; cheap to clone, safe to share between tasks.
///
/// Calls are short and synchronous: each takes the connection's lock for one statement or one
/// transaction.
#[derive(Clone)]
pub struct Store {
    connection: Arc<Mutex<Connection>>,
    path: Option<PathBuf>,
    /// The processes and the clock, as leases see them (the operating system, or a test's).
    host: Arc<dyn host::Host>,
}

impl Store {
    /// Opens (creating if needed) the database at `path` and brings its schema up to date.
    pub fn open(path: &Path) -> StoreResult<Self> {
        Self::open_with(path, BUSY_TIMEOUT)
    }

    /// [`Store::open`] with another busy timeout (tests of a locked database use a short one).
    pub fn open_with(path: &Path, busy_timeout: std::time::Duration) -> StoreResult<Self> {
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(|source| StoreError::Folder {
                path: parent.to_path_buf(),
                source,
            })?;
        }
        // SQLite answers "database is locked" at once, without waiting, in a few moments of a
        // new file's life (the switch to WAL while another process opens it too): the whole
        // opening is tried again until the busy timeout has passed. It writes nothing until its
        // migration, which is one transaction.
        let started = std::time::Instant::now();
        loop {
            match Self::open_once(path, busy_timeout) {
                Err(StoreError::Sqlite(error))
                    if is_busy(&error) && started.elapsed() < busy_timeout =>
                {
                    std::thread::sleep(std::time::Duration::from_millis(25));
                }
                opened => return opened,
            }
        }
    }

    fn open_once(path: &Path, busy_timeout: std::time::Duration) -> StoreResult<Self> {
        let connection = Connection::open(path)?;
        // Before anything else: a second process opening the file at the same moment waits for the
        // first instead of failing with "database is locked".
        connection.busy_timeout(busy_timeout)?;
        connection.pragma_update(None, "journal_mode", "WAL")?;
        let mut store = Self::prepare(connection, busy_timeout)?;
        store.path = Some(path.to_path_buf());
        Ok(store)
    }

    /// An in-memory database, for tests.
    pub fn open_in_memory() -> StoreResult<Self> {
        Self::prepare(Connection::open_in_memory()?, BUSY_TIMEOUT)
    }

    /// The database file, unless it is in memory.
    pub fn path(&self) -> Option<&Path> {
        self.path.as_deref()
    }

    fn prepare(mut connection: Connection, busy_timeout: std::time::Duration) -> StoreResult<Self> {
        connection.pragma_update(None, "foreign_keys", true)?;
        connection.pragma_update(None, "synchronous", "NORMAL")?;
        connection.busy_timeout(busy_timeout)?;
        migrations::migrate(&mut connection)?;
        Ok(Self {
            connection: Arc::new(Mutex::new(connection)),
            path: None,
            host: Arc::new(host::Os),
        })
    }

    /// This store with another view of processes and the clock (tests of leases).
    #[cfg(test)]
    pub(crate) fn with_host(mut self, host: Arc<dyn host::Host>) -> Self {
        self.host = host;
        self
    }

    /// The default database file: `<OS app-data>/bulk-collect.sqlite3`.
    pub fn default_path(data_dir: &Path) -> PathBuf {
        data_dir.join("bulk-collect.sqlite3")
    }

    /// The connection, for one statement or one transaction (the people library's too).
    pub(crate) fn lock(&self) -> MutexGuard<'_, Connection> {
        // A panic while holding the lock cannot leave SQLite half-written (each call is one statement
        // or one transaction), so a poisoned lock is still safe to use.
        self.connection
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// Whether `error` is SQLite's "database is locked" (or "busy").
fn is_busy(error: &rusqlite::Error) -> bool {
    matches!(
        error.sqlite_error_code(),
        Some(rusqlite::ErrorCode::DatabaseBusy | rusqlite::ErrorCode::DatabaseLocked)
    )
}

/// The OS app-data folder for Bulk Collect (e.g. `~/.local/share/bulk-collect` on Linux).
pub fn default_data_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("com", "bulkcollect", "bulk-collect")
        .map(|dirs| dirs.data_dir().to_path_buf())
}

/// Now, as the RFC 3339 text stored in the database.
pub fn now_text() -> String {
    format_time(time::OffsetDateTime::now_utc())
}

/// Formats a time as the RFC 3339 text stored in the database: always UTC with six decimals, so
/// that the texts sort as the times do (the job list's "changed since" compares them).
pub fn format_time(at: time::OffsetDateTime) -> String {
    const FORMAT: &[time::format_description::BorrowedFormatItem<'_>] = time::macros::format_description!(
        "[year]-[month]-[day]T[hour]:[minute]:[second].[subsecond digits:6]Z"
    );
    let utc = at.to_offset(time::UtcOffset::UTC);
    utc.format(FORMAT)
        .unwrap_or_else(|_| utc.unix_timestamp().to_string())
}

/// Parses a time stored by [`format_time`].
pub fn parse_time(text: &str) -> Option<time::OffsetDateTime> {
    time::OffsetDateTime::parse(text, &time::format_description::well_known::Rfc3339).ok()
}
