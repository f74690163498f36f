//! End to end in the real app: the built `bulk-collect` binary in WebKitGTK, driven through
//! WebDriver, against the simulator (Practice mode's own, or a `coresignal-sim` process for Live
//! mode), with the real keychain (gnome-keyring in a D-Bus session).
//!
//! Ignored by a plain `cargo test`: `make test-e2e` runs them with `--ignored` under Xvfb, inside
//! `tests/support/with-keyring.sh`. Each test has its own data and download folders; they take
//! turns (the app is single-instance). Screenshots of the main screens go to the folder named by
//! `BULK_COLLECT_SCREENSHOTS` (`make screenshots`: `docs/screenshots`), else under the target dir.
//!
//! Every test name starts with `e2e::`, so that `make test-rust` can leave them out with
//! `--skip e2e::` while it includes the other ignored (keychain) tests.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

/// The WebDriver helpers: only this test binary links the WebDriver client.
mod desktop;

/// The app killed at kill points and started again: the proof's promises checked after each.
mod app_kills;

/// Searches a person builds: the visual builder, the preview, the collection.
mod searches;

/// The people library: net-new prices, the spreadsheet of everyone, Update.
mod library;
/// Lists people hold: a CRM export's LinkedIn column looked up, reported by row and collected.
mod lists;
/// Live mode: the key in the keychain, 402 and 409 in plain words, the computer's own dialog,
/// an uncertain request found.
mod live;
/// The look, measured: field and button edges and the running count, in light and dark.
mod look;
/// The people library: the People screen searched, a person forgotten, a selection exported.
mod people;
/// Practice mode from the first run: a search from a template, ID files, 25,000 IDs as batches.
mod practice;
/// The proxy password: kept in the keychain, never shown in the window again.
mod proxy;
/// The app closed while a job is processing and started again: the job resumes and downloads.
mod restarts;
/// The team library: two colleagues on one PostgreSQL server.
mod team;

mod e2e {
    use std::path::Path;

    use crate::desktop::{App, Desktop, ExternalSim, Setup};
    use bulk_collect_tests::proof::APP_KILL_POINTS;
    use bulk_collect_tests::{files_under, read_records};

    /// The key the simulator knows (the first-run screen verifies it with the simulator).
    pub(crate) const SIM_KEY: &str = "practice-key";

    /// A small search the Live tests type or pick: the product page's Python example.
    pub(crate) const PYTHON_TEMPLATE: &str = "example:python-germany";

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn practice_search_from_a_template_is_estimated_collected_and_downloaded() {
        crate::practice::a_search_from_a_template_is_estimated_collected_and_downloaded().await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn live_field_and_button_edges_and_the_running_count_meet_wcag_in_light_and_dark() {
        crate::look::edges_and_running_count_contrast().await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn practice_a_search_built_in_the_builder_is_previewed_and_collected() {
        crate::searches::build_preview_and_collect().await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn practice_a_search_run_again_buys_only_the_new_people() {
        crate::library::a_search_run_again_buys_only_the_new_people().await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn practice_people_are_searched_forgotten_and_exported() {
        crate::people::search_forget_and_export().await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn live_a_colleague_s_price_skips_what_the_team_already_has() {
        crate::team::a_colleague_s_price_skips_what_the_team_already_has().await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn practice_a_crm_list_of_linkedin_addresses_is_collected_with_its_own_columns() {
        crate::lists::a_crm_list_of_linkedin_addresses_is_collected_with_its_own_columns().await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn practice_id_file_is_checked_collected_and_downloaded() {
        crate::practice::an_id_file_is_checked_collected_and_downloaded().await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn practice_a_25000_line_id_file_goes_as_three_batches_and_one_workbook() {
        crate::practice::a_25000_line_id_file_goes_as_three_batches_and_one_workbook().await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn live_key_goes_to_the_keychain_and_a_402_is_shown_in_plain_words() {
        crate::live::key_goes_to_the_keychain_and_a_402_is_shown_in_plain_words().await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn live_credits_are_spent_only_on_a_yes_in_the_computers_own_dialog() {
        crate::live::credits_are_spent_only_on_a_yes_in_the_computers_own_dialog().await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn live_identical_request_while_the_first_runs_is_a_409_in_plain_words() {
        crate::live::identical_request_while_the_first_runs_is_a_409_in_plain_words().await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn live_a_lost_answer_is_uncertain_and_i_found_it_follows_the_request_to_its_files() {
        crate::live::a_lost_answer_is_uncertain_and_i_found_it_follows_the_request_to_its_files()
            .await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn restart_while_a_job_is_processing_resumes_and_downloads() {
        crate::restarts::restart_while_a_job_is_processing_resumes_and_downloads().await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn practice_job_survives_closing_the_app_while_it_is_processing() {
        crate::restarts::practice_job_survives_closing_the_app_while_it_is_processing().await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn practice_proxy_password_goes_to_the_keychain_and_never_back_to_the_window() {
        crate::proxy::proxy_password_goes_to_the_keychain_and_never_back_to_the_window().await;
    }

    /// Crash anywhere in the app, lose nothing (`app_kills.rs`): killed with SIGKILL at each of
    /// [`APP_KILL_POINTS`] and started again on the same data, the app resumes and ends with the
    /// files, spreadsheet and export of an undisturbed run, one POST, an intact database and no
    /// quote spent without a job. Prints the table (`--nocapture`).
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn killed_at_any_kill_point_the_app_resumes_and_nothing_is_lost_or_paid_twice() {
        crate::app_kills::table(APP_KILL_POINTS).await;
    }

    /// The app in Live mode against `sim`.
    pub(crate) async fn live_desktop(sim: &ExternalSim) -> Desktop {
        Desktop::start(Setup {
            api_base: Some(sim.api_base()),
            ..Setup::default()
        })
        .await
    }

    /// First run with the key, then a search of 10 profiles submitted and still `processing`.
    pub(crate) async fn live_search_still_processing(desktop: &Desktop) -> App<'_> {
        let app = desktop.open().await;
        enter_key_on_first_run(&app).await;
        submit_python_search(&app, "10").await;
        app.wait_for_job_state("processing").await;
        app
    }

    /// First run: "Use my Coresignal API key", paste the key, Verify → Live mode.
    pub(crate) async fn enter_key_on_first_run(app: &App<'_>) {
        app.wait_for_heading("Welcome to Bulk Collect").await;
        app.click_button("Use my Coresignal API key").await;
        app.fill_labelled("Coresignal API key", SIM_KEY).await;
        app.click_button("Verify").await;
        app.wait_for("nav-new").await;
        app.assert_absent("practice-banner").await;
    }

    /// New collection: the Python template with `limit`, estimated, collected and confirmed; the
    /// job's detail follows.
    pub(crate) async fn submit_python_search(app: &App<'_>, limit: &str) {
        collect_python_search(app, limit).await;
        app.wait_for("job-detail").await;
    }

    /// New collection: the Python template with `limit`, estimated, collected and confirmed.
    pub(crate) async fn collect_python_search(app: &App<'_>, limit: &str) {
        confirm_python_search(app, limit, "Yes, collect").await;
    }

    /// [`collect_python_search`], confirmed with the button named `confirm`.
    pub(crate) async fn confirm_python_search(app: &App<'_>, limit: &str, confirm: &str) {
        app.click_testid("nav-new").await;
        app.select("template-select", PYTHON_TEMPLATE).await;
        app.fill("limit-input", limit).await;
        app.wait_for_text("cost-records", &format!("{limit} profiles"))
            .await;
        app.click_testid("collect-button").await;
        app.click_button(confirm).await;
    }

    /// The records in every downloaded gzip under `downloads`; fails if a partial file is left.
    pub(crate) fn downloaded_records(downloads: &Path) -> usize {
        let files = files_under(downloads);
        let partial: Vec<_> = files
            .iter()
            .filter(|file| file.components().any(|part| part.as_os_str() == ".partial"))
            .collect();
        assert!(partial.is_empty(), "partial downloads left: {partial:?}");
        let gzips: Vec<_> = files
            .iter()
            .filter(|file| file.extension().is_some_and(|ext| ext == "gz"))
            .collect();
        assert!(!gzips.is_empty(), "no gzip downloaded; files: {files:?}");
        gzips.iter().map(|file| read_records(file).len()).sum()
    }
}
