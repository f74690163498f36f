//! The Tauri adapter: commands, state, window. Business logic lives in `collect-core`.

/// Starts the desktop app.
pub fn run() {
    tauri::Builder::default()
        .run(tauri::generate_context!())
        .unwrap_or_else(|error| eprintln!("Bulk Collect could not start: {error}"));
}
