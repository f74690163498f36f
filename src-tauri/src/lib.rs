//! The Tauri adapter: commands, state, window, events. Business logic lives in `collect-core`;
//! everything here only turns IPC calls into core calls and core results into `{code, message}`.

mod ask;
mod commands;
mod events;
mod library;
pub mod linux;
mod practice;
mod shell;
pub mod updates;

#[cfg(test)]
mod config_file_tests;

use std::sync::Arc;

use collect_core::secrets::KeyringStore;
use collect_core::session::Session;
use collect_core::store::default_data_dir;
use tauri::Manager;

use crate::shell::Shell;

/// Environment variable: use this folder for the database instead of the OS app-data folder.
pub const DATA_DIR_ENV: &str = "BULK_COLLECT_DATA_DIR";

/// Starts the desktop app.
pub fn run() {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BULK_COLLECT_LOG")
                .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn")),
        )
        .init();
    let mut context = tauri::generate_context!();
    updates::allow_loopback_endpoint(&mut context);
    let result = tauri::Builder::default()
        .plugin(tauri_plugin_single_instance::init(|app, _args, _cwd| {
            if let Some(window) = app.get_webview_window("main") {
                let _ = window.unminimize();
                let _ = window.set_focus();
            }
        }))
        .plugin(tauri_plugin_window_state::Builder::new().build())
        .plugin(tauri_plugin_notification::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .setup(|app| {
            let data_dir = std::env::var_os(DATA_DIR_ENV)
                .map(std::path::PathBuf::from)
                .or_else(default_data_dir)
                .ok_or("this computer has no app-data folder; set BULK_COLLECT_DATA_DIR")?;
            let session = Session::open(&data_dir, Arc::new(KeyringStore::new()))
                .map_err(|error| error.message)?;
            // A settings read that fails leaves checks on (the default); the dialog still asks. The
            // very first start asks nothing (the person has not yet seen Settings to turn it off),
            // unless an update server was named explicitly (BULK_COLLECT_UPDATE_ENDPOINT).
            let first_start = session.mode().is_none()
                && std::env::var_os(updates::UPDATE_ENDPOINT_ENV).is_none();
            let check_updates =
                !first_start && session.settings().map_or(true, |s| s.check_for_updates);
            updates::check_in_background(app.handle().clone(), check_updates);
            let shell = Arc::new(Shell::new(session, app.handle().clone()));
            app.manage(Arc::clone(&shell));
            library::import_in_background(Arc::clone(&shell));
            tauri::async_runtime::spawn(async move { shell.resume().await });
            Ok(())
        })
        .on_page_load(|webview, payload| {
            if payload.event() == tauri::webview::PageLoadEvent::Finished {
                // `make bench` times the first paint by this line (BULK_COLLECT_LOG=info).
                tracing::info!(target: "bulk_collect::startup", "page loaded: {}", webview.label());
            }
        })
        .invoke_handler(commands::handler())
        .run(context);
    if let Err(error) = result {
        eprintln!("Bulk Collect could not start: {error}");
        std::process::exit(1);
    }
}
