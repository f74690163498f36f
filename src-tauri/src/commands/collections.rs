//! New collections: check a query, estimate, pick an ID file, submit.

use collect_core::jobs::{CostEstimate, JobRequest, NewJob};
use collect_core::query::{check_query as check, parse_query, QueryCheck};
use collect_core::session::IdFilePick;
use collect_core::store::JobRow;
use collect_core::UserError;
use serde::Deserialize;

use super::ShellState;

/// Environment variable for end-to-end tests only: `pick_id_file` returns this path instead of
/// opening the file chooser (WebDriver cannot drive a native GTK dialog reliably).
pub const TEST_PICK_FILE_ENV: &str = "BULK_COLLECT_TEST_PICK_FILE";

/// A search to submit (after the user confirmed the cost).
#[derive(ts_rs::TS, Debug, Deserialize)]
#[ts(export)]
pub struct SubmitQuery {
    /// The ES DSL text as typed.
    pub query_text: String,
    /// At most this many profiles.
    pub limit: Option<u32>,
    /// An https:// address passed to the service.
    pub webhook_url: Option<String>,
    /// A name for the history.
    pub name: Option<String>,
    /// What the estimate said.
    #[ts(type = "number | null")]
    pub estimated_records: Option<u64>,
}

/// A picked ID file to submit (after the user confirmed the cost).
#[derive(ts_rs::TS, Debug, Deserialize)]
#[ts(export)]
pub struct SubmitIds {
    /// From [`IdFilePick::pick`].
    pub pick: u32,
    /// An https:// address passed to the service.
    pub webhook_url: Option<String>,
    /// A name for the history.
    pub name: Option<String>,
}

/// Parses and lints a query for the editor.
#[tauri::command]
pub fn check_query(text: String) -> QueryCheck {
    check(&text)
}

/// Counts the profiles a query matches and what collecting them costs.
#[tauri::command]
pub async fn estimate(
    shell: ShellState<'_>,
    query_text: String,
    limit: Option<u32>,
) -> Result<CostEstimate, UserError> {
    let query = parse_query(&query_text)?;
    Ok(shell.session.engine()?.estimate(&query, limit).await?)
}

/// Opens the native file chooser (in Rust), reads and validates the file.
#[tauri::command]
pub async fn pick_id_file(
    shell: ShellState<'_>,
    window: tauri::WebviewWindow,
) -> Result<Option<IdFilePick>, UserError> {
    let path = match std::env::var_os(TEST_PICK_FILE_ENV) {
        Some(path) => Some(std::path::PathBuf::from(path)),
        None => rfd::AsyncFileDialog::new()
            .set_title("Choose a file of employee IDs")
            .add_filter("ID lists (CSV, TXT)", &["csv", "txt"])
            .add_filter("All files", &["*"])
            .set_parent(&window)
            .pick_file()
            .await
            .map(|file| file.path().to_path_buf()),
    };
    path.map(|path| shell.session.pick_id_file(&path))
        .transpose()
}

/// Submits a search.
#[tauri::command]
pub async fn submit_query(
    shell: ShellState<'_>,
    request: SubmitQuery,
) -> Result<JobRow, UserError> {
    let query = parse_query(&request.query_text)?;
    let job = NewJob {
        name: request.name,
        request: JobRequest::Query {
            query,
            limit: request.limit,
        },
        webhook_url: request.webhook_url,
        estimated_records: request.estimated_records,
    };
    Ok(shell.session.engine()?.submit(job).await?)
}

/// Submits a picked ID file.
#[tauri::command]
pub async fn submit_ids(shell: ShellState<'_>, request: SubmitIds) -> Result<JobRow, UserError> {
    let (path, report) = shell.session.picked(request.pick)?;
    let job = NewJob {
        name: request.name,
        request: JobRequest::Ids {
            report,
            source_file: Some(path.display().to_string()),
        },
        webhook_url: request.webhook_url,
        estimated_records: None,
    };
    Ok(shell.session.engine()?.submit(job).await?)
}
