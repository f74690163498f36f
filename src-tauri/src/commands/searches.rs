//! Saved searches: list, save, duplicate, delete, and share them as `.json` files through the
//! native file chooser (opened by Rust; the webview never sees the file system).

use std::path::PathBuf;

use collect_core::searches::{self, ImportReport, SearchToSave};
use collect_core::store::SavedSearch;
use collect_core::UserError;

use super::ShellState;

/// Environment variable for end-to-end tests only, read by debug builds only: the file `import_searches` reads and
/// `export_searches` writes, instead of opening the file chooser.
pub const TEST_SEARCHES_FILE_ENV: &str = "BULK_COLLECT_TEST_SEARCHES_FILE";

/// Every saved search, by name.
#[tauri::command]
pub fn saved_searches(shell: ShellState<'_>) -> Result<Vec<SavedSearch>, UserError> {
    Ok(shell.session.store().saved_searches()?)
}

/// Saves a search (new, or over the one it names); refused while its query has errors.
#[tauri::command]
pub fn save_search(shell: ShellState<'_>, search: SearchToSave) -> Result<SavedSearch, UserError> {
    Ok(searches::save_search(shell.session.store(), &search)?)
}

/// Saves a copy of a saved search.
#[tauri::command]
pub fn duplicate_search(shell: ShellState<'_>, id: i64) -> Result<SavedSearch, UserError> {
    Ok(searches::duplicate_search(shell.session.store(), id)?)
}

/// Deletes a saved search.
#[tauri::command]
pub fn delete_search(shell: ShellState<'_>, id: i64) -> Result<(), UserError> {
    Ok(shell.session.store().delete_search(id)?)
}

/// Asks where to save, then writes the searches `ids` (all when empty) there. Returns the file
/// written, or `None` when the person cancelled.
#[tauri::command]
pub async fn export_searches(
    shell: ShellState<'_>,
    window: tauri::WebviewWindow,
    ids: Vec<i64>,
) -> Result<Option<String>, UserError> {
    let path = match super::test_env(TEST_SEARCHES_FILE_ENV) {
        Some(path) => Some(PathBuf::from(path)),
        None => rfd::AsyncFileDialog::new()
            .set_title("Save searches to share")
            .set_file_name("searches.json")
            .add_filter("Saved searches (JSON)", &["json"])
            .set_parent(&window)
            .save_file()
            .await
            .map(|file| file.path().to_path_buf()),
    };
    let Some(path) = path else { return Ok(None) };
    searches::export_searches(shell.session.store(), &ids, &path)?;
    Ok(Some(path.display().to_string()))
}

/// Asks for a file of searches (or one query), then saves what it holds. `None` when cancelled.
#[tauri::command]
pub async fn import_searches(
    shell: ShellState<'_>,
    window: tauri::WebviewWindow,
) -> Result<Option<ImportReport>, UserError> {
    let path = match super::test_env(TEST_SEARCHES_FILE_ENV) {
        Some(path) => Some(PathBuf::from(path)),
        None => rfd::AsyncFileDialog::new()
            .set_title("Choose a file of searches")
            .add_filter("Saved searches (JSON)", &["json"])
            .add_filter("All files", &["*"])
            .set_parent(&window)
            .pick_file()
            .await
            .map(|file| file.path().to_path_buf()),
    };
    let Some(path) = path else { return Ok(None) };
    Ok(Some(searches::import_searches(
        shell.session.store(),
        &path,
    )?))
}
