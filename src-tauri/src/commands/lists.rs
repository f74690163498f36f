//! Lists people hold: open any spreadsheet (or paste cells), choose the header and the column,
//! find the people it names (free searches, progress as events), save the rows not found.

use std::path::PathBuf;

use collect_core::company_lists::CompanyReport;
use collect_core::jobs::Quote;
use collect_core::lists::{HeaderChoice, ListPreview};
use collect_core::profiles::LookupProgress;
use collect_core::session::{ListOpened, ListPick};
use collect_core::UserError;
use tauri::Emitter;

use super::ShellState;

/// Environment variable for end-to-end tests only, read by debug builds only: `save_not_found`
/// writes here instead of opening the save dialog.
pub const TEST_NOT_FOUND_FILE_ENV: &str = "BULK_COLLECT_TEST_NOT_FOUND_FILE";

/// The event that says how far a lookup has come (`{done, planned}`).
pub const LIST_LOOKUP: &str = "list-lookup";

/// Sends each step of a lookup to the window as a [`LIST_LOOKUP`] event.
fn lookup_progress(app: tauri::AppHandle) -> impl Fn(LookupProgress) + Send + Sync {
    move |step: LookupProgress| {
        if let Err(error) = app.emit(LIST_LOOKUP, step) {
            tracing::warn!(%error, "could not send the lookup's progress");
        }
    }
}

/// Opens the native file chooser (in Rust) and reads the list: CSV, TSV, TXT, XLSX, XLS, ODS.
#[tauri::command]
pub async fn open_list(
    shell: ShellState<'_>,
    window: tauri::WebviewWindow,
) -> Result<Option<ListOpened>, UserError> {
    let path = match super::test_env(super::collections::TEST_PICK_FILE_ENV) {
        Some(path) => Some(PathBuf::from(path)),
        None => rfd::AsyncFileDialog::new()
            .set_title("Choose a list of people")
            .add_filter(
                "Lists (Excel, CSV, OpenDocument, text)",
                &["xlsx", "xls", "ods", "csv", "tsv", "txt"],
            )
            .add_filter("All files", &["*"])
            .set_parent(&window)
            .pick_file()
            .await
            .map(|file| file.path().to_path_buf()),
    };
    match path {
        Some(path) => Ok(Some(shell.session.open_list(&path).await?)),
        None => Ok(None),
    }
}

/// Reads cells pasted from a spreadsheet (async: a sync command would run on the window's own
/// thread, and a big paste would freeze it).
#[tauri::command]
pub async fn paste_list(shell: ShellState<'_>, text: String) -> Result<ListOpened, UserError> {
    shell.session.paste_list(text).await
}

/// The preview of an opened list with the header and column the person chose.
#[tauri::command]
pub async fn preview_list(
    shell: ShellState<'_>,
    token: String,
    header: HeaderChoice,
    column: Option<usize>,
) -> Result<ListPreview, UserError> {
    shell.session.preview_list(&token, header, column).await
}

/// Finds the people a column names and prices collecting them; [`LIST_LOOKUP`] events say how
/// far the searches have come.
#[tauri::command]
pub async fn resolve_list(
    shell: ShellState<'_>,
    app: tauri::AppHandle,
    token: String,
    header: HeaderChoice,
    column: usize,
) -> Result<ListPick, UserError> {
    let progress = lookup_progress(app);
    shell
        .session
        .resolve_list(&token, header, column, &progress)
        .await
}

/// Reads a column as companies and counts each (free searches; [`LIST_LOOKUP`] events): the
/// report, with the builder group "current company is one of" when one search holds them all.
#[tauri::command]
pub async fn company_search(
    shell: ShellState<'_>,
    app: tauri::AppHandle,
    token: String,
    header: HeaderChoice,
    column: usize,
) -> Result<CompanyReport, UserError> {
    let progress = lookup_progress(app);
    shell
        .session
        .company_search(&token, header, column, &progress)
        .await
}

/// The price of everyone at a companies list too long for one search, as one collection.
#[tauri::command]
pub async fn quote_companies(shell: ShellState<'_>, token: String) -> Result<Quote, UserError> {
    shell.session.quote_companies(&token).await
}

/// Saves the rows of a list that brought nobody as a CSV where the person chooses.
#[tauri::command]
pub async fn save_not_found(
    shell: ShellState<'_>,
    window: tauri::WebviewWindow,
    token: String,
) -> Result<Option<String>, UserError> {
    let path = match super::test_env(TEST_NOT_FOUND_FILE_ENV) {
        Some(path) => Some(PathBuf::from(path)),
        None => rfd::AsyncFileDialog::new()
            .set_title("Save the rows not found")
            .set_directory(shell.session.settings()?.download_root)
            .set_file_name("not found.csv")
            .add_filter("CSV for Excel", &["csv"])
            .set_parent(&window)
            .save_file()
            .await
            .map(|file| file.path().to_path_buf()),
    };
    let Some(path) = path else { return Ok(None) };
    shell.session.save_not_found(&token, &path)?;
    Ok(Some(path.display().to_string()))
}
