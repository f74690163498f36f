//! The history: list, detail, cancel, retry, open the folder.

use collect_core::jobs::JobDetail;
use collect_core::store::JobRow;
use collect_core::{ErrorCode, UserError};
use tauri_plugin_opener::OpenerExt;

use super::ShellState;

/// This mode's jobs, newest first.
#[tauri::command]
pub fn list_jobs(shell: ShellState<'_>) -> Result<Vec<JobRow>, UserError> {
    Ok(shell.session.engine()?.jobs()?)
}

/// One job with its files and timeline.
#[tauri::command]
pub fn job_detail(shell: ShellState<'_>, id: i64) -> Result<JobDetail, UserError> {
    Ok(shell.session.engine()?.detail(id)?)
}

/// Stops a job.
#[tauri::command]
pub fn cancel_job(shell: ShellState<'_>, id: i64) -> Result<JobRow, UserError> {
    Ok(shell.session.engine()?.cancel(id)?)
}

/// Tries a job again where that cannot spend twice.
#[tauri::command]
pub fn retry_job(shell: ShellState<'_>, id: i64) -> Result<JobRow, UserError> {
    Ok(shell.session.engine()?.retry(id)?)
}

/// Opens the job's folder in the file manager.
#[tauri::command]
pub fn open_folder(shell: ShellState<'_>, id: i64) -> Result<(), UserError> {
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
