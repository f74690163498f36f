//! The IPC commands, one module per domain. Each is a few lines: take the arguments, call the core,
//! return its result; every error crosses as `{code, message}`.

mod app;
mod collections;
mod jobs;
mod lists;
mod money;
mod people;
mod query;
mod searches;
mod team;

use std::sync::Arc;

use crate::shell::Shell;

/// The state every command receives.
type ShellState<'a> = tauri::State<'a, Arc<Shell>>;

/// Every command the webview may call.
pub fn handler() -> impl Fn(tauri::ipc::Invoke) -> bool + Send + Sync + 'static {
    tauri::generate_handler![
        app::app_state,
        app::choose_mode,
        app::save_key,
        app::remove_key,
        app::save_settings,
        app::pick_download_folder,
        app::test_connection,
        collections::check_query,
        collections::estimate,
        lists::open_list,
        lists::paste_list,
        lists::preview_list,
        lists::resolve_list,
        lists::save_not_found,
        lists::company_search,
        lists::quote_companies,
        collections::requote,
        collections::requote_everyone,
        collections::submit,
        jobs::list_jobs,
        jobs::job_detail,
        jobs::people_page,
        jobs::cancel_job,
        jobs::delete_job,
        team::team_section,
        team::save_team,
        team::leave_team,
        jobs::retry_job,
        jobs::attach_request,
        jobs::send_again,
        jobs::quote_update,
        jobs::what_changed,
        jobs::open_folder,
        jobs::open_spreadsheet,
        searches::saved_searches,
        searches::save_search,
        searches::duplicate_search,
        searches::delete_search,
        searches::export_searches,
        searches::import_searches,
        query::query_fields,
        query::builder_to_query,
        query::query_to_builder,
        query::read_pasted_search,
        money::preview_cost,
        money::preview_people,
        money::credits_per_profile,
        money::credit_ledger,
        money::open_top_up_page,
        people::search_people,
        people::people_counts,
        people::person_details,
        people::forget_person,
        people::export_people,
        people::library_import_status,
    ]
}

/// A test seam's environment variable (`name`): read by debug builds only, which the end-to-end
/// tests drive; a release build ignores it and always opens the native file chooser.
fn test_env(name: &str) -> Option<std::ffi::OsString> {
    if cfg!(debug_assertions) {
        std::env::var_os(name)
    } else {
        None
    }
}
