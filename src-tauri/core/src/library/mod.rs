//! The people library: every person downloaded, kept once per `(dataset, id)` in the app's
//! database: the latest copy of the record (the JSON line, zstd-compressed), its `last_updated`,
//! the columns a search reads (name, title, company, country, as the results table shows them),
//! and when, and by which job, the person was first and last collected.
//!
//! A job's files go in when its download completes ([`Library::ingest`]); the quotes ask which of
//! a list of ids are held ([`Library::lookup`]). "Forget this person" deletes the copy and keeps
//! only that it happened ([`Library::forget`]).

mod collections;
mod copies;
mod details;
mod export;
pub(crate) mod from_team;
mod history;
mod import;
#[cfg(test)]
mod import_tests;
mod ingest;
mod read;
mod record;
#[cfg(test)]
mod screen_tests;
mod search;
mod split;
#[cfg(test)]
pub(crate) mod tests;

pub use details::{CollectedBy, PersonDetails};
pub use export::{export_file_name, PeopleExported, PeopleSelection};
pub use from_team::TeamCopy;
pub use history::CopyChange;
pub use import::ImportProgress;
pub use ingest::Ingested;
pub use read::Held;
pub use search::{Count, Counts, Found, Page, PAGE_SIZE, TOP};
pub use split::{changed_searches, Split, Standing};

use crate::error::{Coded, ErrorCode};
use crate::export::ExportError;
use crate::store::{Store, StoreError};

/// The dataset of the Clean Employee API, the one the app buys from.
pub const CLEAN_EMPLOYEE: &str = "employee_clean";

/// The people library, in the app's database.
#[derive(Clone)]
pub struct Library {
    store: Store,
}

impl Library {
    /// The library kept in `store`'s database.
    pub fn new(store: Store) -> Self {
        Self { store }
    }
}

/// Why the library could not be read or written.
#[derive(Debug, thiserror::Error)]
pub enum LibraryError {
    /// The database failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A downloaded file could not be read.
    #[error(transparent)]
    Read(#[from] ExportError),
    /// A person's kept copy could not be packed or unpacked.
    #[error("A person's copy in the library could not be {action}: {reason}.")]
    Copy {
        /// "packed" or "unpacked".
        action: &'static str,
        /// Why.
        reason: String,
    },
    /// An export of people was asked for a selection that holds no one.
    #[error("No one is selected, so nothing was exported.")]
    NothingToExport,
}

impl Coded for LibraryError {
    fn code(&self) -> ErrorCode {
        match self {
            LibraryError::Store(error) => error.code(),
            LibraryError::Read(error) => error.code(),
            LibraryError::Copy { .. } => ErrorCode::Storage,
            LibraryError::NothingToExport => ErrorCode::InvalidInput,
        }
    }
}

impl From<rusqlite::Error> for LibraryError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Store(StoreError::Sqlite(error))
    }
}
