//! Build script: embeds src-tauri/tauri.conf.json and declares the app's
//! commands, so that `capabilities/default.json` can grant exactly these and nothing else.

/// Every IPC command (the same list as `commands::handler`).
const COMMANDS: &[&str] = &[
    "app_state",
    "choose_mode",
    "save_key",
    "remove_key",
    "save_settings",
    "pick_download_folder",
    "test_connection",
    "check_query",
    "estimate",
    "open_list",
    "paste_list",
    "preview_list",
    "resolve_list",
    "save_not_found",
    "company_search",
    "quote_companies",
    "requote",
    "requote_everyone",
    "submit",
    "list_jobs",
    "job_detail",
    "people_page",
    "cancel_job",
    "retry_job",
    "attach_request",
    "send_again",
    "quote_update",
    "what_changed",
    "open_folder",
    "open_spreadsheet",
    "saved_searches",
    "save_search",
    "duplicate_search",
    "delete_search",
    "export_searches",
    "import_searches",
    "query_fields",
    "builder_to_query",
    "query_to_builder",
    "preview_cost",
    "preview_people",
    "credits_per_profile",
    "credit_ledger",
    "open_top_up_page",
    "search_people",
    "people_counts",
    "person_details",
    "forget_person",
    "export_people",
    "library_import_status",
    "delete_job",
    "team_section",
    "save_team",
    "leave_team",
];

fn main() {
    let attributes = tauri_build::Attributes::new()
        .app_manifest(tauri_build::AppManifest::new().commands(COMMANDS));
    if let Err(error) = tauri_build::try_build(attributes) {
        eprintln!("tauri build step failed: {error:#}");
        std::process::exit(1);
    }
}
