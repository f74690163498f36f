//! `collect-core`: everything that matters in Bulk Collect, with no Tauri and no webview.
//!
//! | module | holds |
//! |---|---|
//! | [`api`] | the Coresignal client: the calls of the contract, typed errors, one rate limiter, retry policy |
//! | [`query`] | ES DSL queries: parse with line/column errors, lint against the Clean Employee mapping |
//! | [`ids`] | ID files: read, validate (report by line), dedupe |
//! | [`download`] | streamed, resumable (`Range`), verified, atomic downloads |
//! | [`store`] | SQLite: migrations, jobs, files, events, settings (never the key) |
//! | [`secrets`] | the `SecretStore` trait, the OS keychain and an in-memory store |
//! | [`session`] | the desktop session: data folder, chosen mode and its running engine, picked files |
//! | [`settings`] | the user's settings with their defaults |
//! | [`jobs`] | the job state machine, submission, and the scheduler that polls and downloads |
//! | [`lists`] | people's own lists (CSV, TSV, TXT, XLSX, XLS, ODS, pasted cells): header and column found, IDs, profile addresses and companies read by row |
//! | [`library`] | the people library: every downloaded person once, its latest copy compressed, lookup of held ids |
//! | [`consent`] | the proof that a person (not a script in the webview) said yes to a money decision |
//! | [`money`] | what a profile costs (plan setting or measured), the price of a credit, the cap per request |
//! | [`export`] | a job's result files as spreadsheets: People or Full layout, XLSX or CSV, streamed |
//! | [`team`] | the team library on PostgreSQL: publishing through an outbox, what colleagues already hold |
//! | [`error`] | the `{code, message}` shape every error takes at a boundary |
//! | `local_files` | Windows device names; files of personal data readable by their owner only |
//! | [`test_seams`] | debug builds only: kill points, a fast poll schedule and a short lease for the crash-proof suites |

pub mod api;
pub mod company_lists;
pub mod consent;
pub mod download;
pub mod error;
pub mod export;
pub mod ids;
pub mod jobs;
pub mod library;
pub mod lists;
mod local_files;
pub mod money;
pub mod profiles;
pub mod query;
pub mod searches;
pub mod secrets;
pub mod session;
pub mod settings;
pub mod store;
pub mod team;
pub mod test_seams;

/// The tests crate's counting property runner, compiled here too for the core's own property
/// tests (the core cannot depend on that crate).
#[cfg(test)]
#[path = "../../../tests/property.rs"]
pub(crate) mod property;

pub use error::{ErrorCode, UserError};
