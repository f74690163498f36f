//! The team library: one PostgreSQL database a team shares, so that colleagues do not buy the same
//! people twice. Optional and off by default.
//!
//! Every Live collection's people (the packed record and its `last_updated`) and the collection
//! itself (who, when, fingerprint, credits) are queued in a local outbox in the same SQLite
//! transaction that keeps them in the people library, then sent: COPY into a staging table and an
//! upsert that keeps the newest `last_updated`, the collection inserted by its uuid so a retry
//! never publishes twice. The net-new quote asks which of its ids the team holds, in one round
//! trip under a time limit; an unreachable server only makes the quote say so.
//!
//! | file | duty |
//! |---|---|
//! | `address` | the `postgres://` address: no password in it, TLS unless the host is loopback |
//! | `connect` | opening a connection (TLS on *ring*, the OS roots), timeouts, words for refusals |
//! | `schema` | the server's tables, migrated under an advisory lock |
//! | `outbox` | the local queue of collections not yet published |
//! | `publish` | sending an outbox entry: COPY, upsert, collection, then the entry deleted |
//! | `lookup` | which of a quote's ids the team holds; their records for a spreadsheet |
//! | `settings` | the address and display name saved in the app's database |
//! | `link` | [`TeamLink`]: one configured team library, its cached connection, its status |

mod address;
mod connect;
mod link;
mod lookup;
mod outbox;
mod publish;
mod schema;
mod settings;

pub use address::TeamAddress;
pub use link::{local_status, TeamLink, TeamStatus, QUOTE_BUDGET};
pub use lookup::{day_month, TeamCollection, TeamHeld, TeamQuote};
pub use outbox::{Queued, QUEUE_TABLE};
pub use publish::Published;
pub use settings::TeamSettings;

use crate::error::{Coded, ErrorCode};

/// What Settings says about the team library, in three sentences.
pub const TEAM_EXPLAINED: &str = "A team library lets colleagues share the people they collect, \
so nobody pays twice for the same person. After each collection, the app copies its people to \
your team's database, and before you buy, it skips the people a colleague already has. Your IT \
team gives you the address and password; if the database cannot be reached, the app simply \
checks only your own library.";

/// Why the team library could not be used. Every message says what to do next.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TeamError {
    /// The address is not a usable `postgres://` address.
    #[error("The team library address {address:?} is not usable: {reason}")]
    BadAddress {
        /// The address as given (never holding a password: those are refused first).
        address: String,
        /// Why, and what to do, as sentences.
        reason: String,
    },
    /// The address holds a password.
    #[error("The team library address holds a password. Remove it from the address (postgres://user@host/database) and type the password in the password box instead: an address can end up in files and logs, a password must not.")]
    PasswordInAddress,
    /// A remote server without TLS.
    #[error("The team library at {host} would be reached without encryption. Use an address with sslmode=require (or no sslmode), or ask your IT team to turn on TLS: only a database on this computer may be reached without it.")]
    NotEncrypted {
        /// The server's host.
        host: String,
    },
    /// The server refused the password (or the user).
    #[error("The team library refused the password for user {user:?}. Check the password (and the user name in the address) with your IT team, then press Test connection again.")]
    PasswordRefused {
        /// The user in the address.
        user: String,
    },
    /// No password was given and the server asked for one.
    #[error("The team library asked for a password, and none is saved. Type the password your IT team gave you, then press Test connection again.")]
    NoPassword,
    /// The server could not be reached in time, or the connection broke.
    #[error("Team library unreachable ({detail}). Your own library still works; the app tries again later.")]
    Unreachable {
        /// What failed, for support.
        detail: String,
    },
    /// The server answered with an error.
    #[error("The team library answered with an error: {detail}. Ask your IT team to look at the database's log.")]
    Server {
        /// The server's message.
        detail: String,
    },
    /// The server's tables are newer than this app.
    #[error("The team library was set up by a newer version of Bulk Collect (version {found}; this app knows {known}). Update the app to use it.")]
    TooNew {
        /// The version found on the server.
        found: i32,
        /// The newest this build knows.
        known: i32,
    },
    /// The local database (the outbox) failed.
    #[error("The team library's queue in your computer's database failed: {0}")]
    Local(String),
}

impl Coded for TeamError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::BadAddress { .. } | Self::PasswordInAddress | Self::NotEncrypted { .. } => {
                ErrorCode::InvalidInput
            }
            Self::PasswordRefused { .. } | Self::NoPassword => ErrorCode::KeyRejected,
            Self::Unreachable { .. } => ErrorCode::Network,
            Self::Server { .. } | Self::TooNew { .. } => ErrorCode::Server,
            Self::Local(_) => ErrorCode::Storage,
        }
    }
}

impl From<rusqlite::Error> for TeamError {
    fn from(error: rusqlite::Error) -> Self {
        Self::Local(error.to_string())
    }
}

impl From<crate::store::StoreError> for TeamError {
    fn from(error: crate::store::StoreError) -> Self {
        Self::Local(error.to_string())
    }
}
