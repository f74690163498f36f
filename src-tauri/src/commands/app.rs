//! Mode, key and settings. Every command here is `async`: a sync command would run on the main
//! thread, and these reach SQLite or the keychain (the keychain only through the core's
//! [`collect_core::secrets::Keychain`], off the async threads and under a time limit).

use collect_core::consent::Consent;
use collect_core::jobs::Mode;
use collect_core::session::{AppState, ConnectionCheck};
use collect_core::settings::{ProxyPasswordChange, Settings};
use collect_core::UserError;

use super::ShellState;

/// Where the app stands (after the start-up resume).
#[tauri::command]
pub async fn app_state(shell: ShellState<'_>) -> Result<AppState, UserError> {
    shell.ready().await;
    shell.session.state().await
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
    shell.session.state().await
}

/// Saves the settings (the webview cannot name a service address: [`Settings`] refuses unknown
/// fields) and what to do with the proxy password, then applies them to the running engine
/// (nothing in flight restarts).
/// A change that loosens a money guard (a higher limit per request or none, a lower price per
/// profile) is saved only after the person says yes in a native dialog naming it.
#[tauri::command]
pub async fn save_settings(
    shell: ShellState<'_>,
    window: tauri::WebviewWindow,
    settings: Settings,
    proxy_password: ProxyPasswordChange,
) -> Result<AppState, UserError> {
    let consent = match shell.session.money_change(&settings)? {
        Some(change) => {
            if !crate::ask::person_says_yes(&window, "Change the money settings?", &change.question)
                .await
            {
                return Err(collect_core::consent::declined_settings());
            }
            Some(
                shell
                    .session
                    .consents()
                    .granted_by_person(Consent::MoneySettings { change: change.key }),
            )
        }
        None => None,
    };
    shell
        .session
        .save_settings_confirmed(&settings, &proxy_password, consent.as_ref())
        .await?;
    shell.session.apply_settings().await?;
    shell.session.state().await
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
