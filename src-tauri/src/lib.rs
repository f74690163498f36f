//! The Tauri adapter: commands, state, window. Business logic lives in `collect-core`.

use collect_core::error::Coded;
use collect_core::secrets::{KeyringStore, SecretStore};
use collect_core::store::default_data_dir;
use collect_core::UserError;
use serde::Serialize;

/// What the app shell reports about itself.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct AppInfo {
    version: &'static str,
    mode: &'static str,
    data_dir: String,
}

/// The app's version, its mode (Practice when no key is stored) and its data folder.
#[tauri::command]
fn app_info() -> Result<AppInfo, UserError> {
    let stored = KeyringStore::new()
        .load()
        .map_err(|error| error.to_user_error())?;
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION"),
        mode: if stored.is_some() { "live" } else { "practice" },
        data_dir: default_data_dir()
            .map(|dir| dir.display().to_string())
            .unwrap_or_default(),
    })
}

/// Starts the desktop app.
pub fn run() {
    let result = tauri::Builder::default()
        .invoke_handler(tauri::generate_handler![app_info])
        .run(tauri::generate_context!());
    if let Err(error) = result {
        eprintln!("Bulk Collect could not start: {error}");
        std::process::exit(1);
    }
}
