//! Mode, key and settings.

use collect_core::jobs::Mode;
use collect_core::session::{AppState, ConnectionCheck};
use collect_core::settings::Settings;
use collect_core::UserError;

use super::ShellState;

/// Where the app stands (after the start-up resume).
#[tauri::command]
pub async fn app_state(shell: ShellState<'_>) -> Result<AppState, UserError> {
    shell.ready().await;
    shell.session.state()
}

/// Enters Practice or Live mode.
#[tauri::command]
pub async fn choose_mode(shell: ShellState<'_>, mode: Mode) -> Result<AppState, UserError> {
    shell.enter(mode).await
}

/// Verifies a pasted key, stores it in the OS keychain and enters Live mode.
#[tauri::command]
pub async fn save_key(shell: ShellState<'_>, key: String) -> Result<AppState, UserError> {
    shell.use_key(key).await
}

/// Removes the key from the OS keychain.
#[tauri::command]
pub async fn remove_key(shell: ShellState<'_>) -> Result<AppState, UserError> {
    shell.session.remove_key().await?;
    shell.session.state()
}

/// Saves the settings and applies them to the running engine (nothing in flight restarts).
#[tauri::command]
pub async fn save_settings(
    shell: ShellState<'_>,
    settings: Settings,
) -> Result<AppState, UserError> {
    shell.session.save_settings(&settings)?;
    shell.session.apply_settings()?;
    shell.session.state()
}

/// The native folder picker, opened by Rust; `None` when cancelled.
#[tauri::command]
pub async fn pick_download_folder(
    window: tauri::WebviewWindow,
) -> Result<Option<String>, UserError> {
    let folder = rfd::AsyncFileDialog::new()
        .set_title("Where should Bulk Collect put downloaded files?")
        .set_parent(&window)
        .pick_folder()
        .await;
    Ok(folder.map(|folder| folder.path().display().to_string()))
}

/// Checks that the service answers with the current key and proxy (Live), or the simulator (Practice).
#[tauri::command]
pub async fn test_connection(shell: ShellState<'_>) -> Result<ConnectionCheck, UserError> {
    shell.session.test_connection().await
}
