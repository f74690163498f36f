//! Bulk Collect desktop app: a thin Tauri shell over `collect-core`.
#![cfg_attr(not(debug_assertions), windows_subsystem = "windows")]

fn main() {
    bulk_collect::linux::prepare_webkit();
    bulk_collect::run();
}
