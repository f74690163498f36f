//! The history: list, detail, the results table, cancel, retry, attach, send again, open the
//! folder or the spreadsheet.

use collect_core::export::{PeoplePage, PeopleQuery};
use collect_core::jobs::{Deleted, JobDetail, Quote, WhatChanged};
use collect_core::store::{JobRow, JobSummary, ListPage};
use collect_core::{ErrorCode, UserError};
use tauri_plugin_opener::OpenerExt;

use super::ShellState;

/// This mode's jobs as summaries, newest first: only those changed since `changed_since`, and/or
/// the page of at most `limit` jobs numbered below `before`.
#[tauri::command]
pub async fn list_jobs(
    shell: ShellState<'_>,
    changed_since: Option<String>,
    before: Option<i64>,
    limit: Option<u32>,
) -> Result<Vec<JobSummary>, UserError> {
    let page = ListPage {
        changed_since: changed_since.as_deref(),
        before,
        limit,
    };
    Ok(shell.session.engine()?.list(&page)?)
}

/// One job with its files, timeline and allowed actions.
#[tauri::command]
pub async fn job_detail(shell: ShellState<'_>, id: i64) -> Result<JobDetail, UserError> {
    Ok(shell.session.engine()?.detail(id)?)
}

/// One page of the people a job brought (search, sort, page), read in Rust: the webview never
/// holds the whole file.
#[tauri::command]
pub async fn people_page(
    shell: ShellState<'_>,
    id: i64,
    query: PeopleQuery,
) -> Result<PeoplePage, UserError> {
    Ok(shell.session.engine()?.people(id, &query).await?)
}

/// Stops a job.
#[tauri::command]
pub async fn cancel_job(shell: ShellState<'_>, id: i64) -> Result<JobRow, UserError> {
    Ok(shell.session.engine()?.cancel(id)?)
}

/// Deletes a finished job (a collection with its batches) from the list; without `keep_people`,
/// forgets the people only it brought. Its files on disk are not touched.
#[tauri::command]
pub async fn delete_job(
    shell: ShellState<'_>,
    id: i64,
    keep_people: bool,
) -> Result<Deleted, UserError> {
    let engine = shell.session.engine()?;
    tauri::async_runtime::spawn_blocking(move || engine.delete(id, keep_people))
        .await
        .map_err(|error| UserError::new(ErrorCode::Internal, error.to_string()))?
        .map_err(UserError::from)
}

/// Tries a job again where that cannot spend twice.
#[tauri::command]
pub async fn retry_job(shell: ShellState<'_>, id: i64) -> Result<JobRow, UserError> {
    Ok(shell.session.engine()?.retry(id)?)
}

/// "I found it": attaches a request id from the Coresignal dashboard to an uncertain job.
#[tauri::command]
pub async fn attach_request(
    shell: ShellState<'_>,
    id: i64,
    request_id: String,
) -> Result<JobRow, UserError> {
    Ok(shell.session.engine()?.attach(id, &request_id)?)
}

/// "Send again": a new quote for an uncertain job's request.
#[tauri::command]
pub async fn send_again(shell: ShellState<'_>, id: i64) -> Result<Quote, UserError> {
    Ok(shell.session.engine()?.send_again(id).await?)
}

/// *Update*: the price of a finished collection's search or list again, only who is new or
/// changed since (nothing is sent).
#[tauri::command]
pub async fn quote_update(shell: ShellState<'_>, id: i64) -> Result<Quote, UserError> {
    Ok(shell.session.engine()?.quote_update(id).await?)
}

/// *What changed* since the collection an update refreshes; `None` for any other collection.
#[tauri::command]
pub async fn what_changed(
    shell: ShellState<'_>,
    id: i64,
) -> Result<Option<WhatChanged>, UserError> {
    let engine = shell.session.engine()?;
    tauri::async_runtime::spawn_blocking(move || engine.what_changed(id))
        .await
        .map_err(|error| UserError::new(ErrorCode::Internal, error.to_string()))?
        .map_err(UserError::from)
}

/// Environment variable for end-to-end tests only: `open_spreadsheet` writes the path it would
/// open into this file instead of starting the spreadsheet program (none runs under Xvfb).
pub const TEST_OPENED_FILE_ENV: &str = "BULK_COLLECT_TEST_OPENED_FILE";

/// Opens the job's spreadsheet in the program the OS uses for it (Excel, LibreOffice, Numbers…).
#[tauri::command]
pub async fn open_spreadsheet(shell: ShellState<'_>, id: i64) -> Result<(), UserError> {
    let job = shell.session.engine()?.job(id)?;
    let Some(path) = job
        .export_path
        .filter(|path| std::path::Path::new(path).exists())
    else {
        return Err(UserError::new(
            ErrorCode::NotFound,
            "This collection has no spreadsheet yet. It is made when the files are downloaded; turn it on in Settings if it is off.",
        ));
    };
    if let Some(seam) = std::env::var_os(TEST_OPENED_FILE_ENV) {
        return std::fs::write(seam, &path).map_err(|error| {
            UserError::new(ErrorCode::Io, format!("The test seam failed: {error}"))
        });
    }
    shell
        .app
        .opener()
        .open_path(path.clone(), None::<&str>)
        .map_err(|error| {
            UserError::new(
                ErrorCode::Io,
                format!(
                    "The spreadsheet {path} could not be opened: {error}. Open it from its folder."
                ),
            )
        })
}

/// Opens the job's folder in the file manager.
#[tauri::command]
pub async fn open_folder(shell: ShellState<'_>, id: i64) -> Result<(), UserError> {
    let engine = shell.session.engine()?;
    let folder = engine.job_folder(&engine.job(id)?);
    if !folder.exists() {
        return Err(UserError::new(
            ErrorCode::NotFound,
            format!(
                "The folder {} does not exist yet: nothing was downloaded.",
                folder.display()
            ),
        ));
    }
    shell
        .app
        .opener()
        .open_path(folder.display().to_string(), None::<&str>)
        .map_err(|error| {
            UserError::new(
                ErrorCode::Io,
                format!(
                    "The folder {} could not be opened: {error}.",
                    folder.display()
                ),
            )
        })
}
