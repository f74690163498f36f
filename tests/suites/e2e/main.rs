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
/// The look, measured: field and button edges and the running count, in light and dark.
mod look;
/// The people library: the People screen searched, a person forgotten, a selection exported.
mod people;
/// The team library: two colleagues on one PostgreSQL server.
mod team;

mod e2e {
    use std::path::{Path, PathBuf};
    use std::time::Duration;

    use crate::desktop::{answer_native_dialog, App, Desktop, ExternalSim, Setup};
    use bulk_collect_tests::proof::APP_KILL_POINTS;
    use bulk_collect_tests::{files_under, read_records, shared_data};
    use collect_core::secrets::{KeyringStore, ProxyIdentity, SecretStore};
    use serde_json::json;

    /// The key the simulator knows (the first-run screen verifies it with the simulator).
    const SIM_KEY: &str = "practice-key";

    /// A small search the Live tests type or pick: the product page's Python example.
    const PYTHON_TEMPLATE: &str = "example:python-germany";

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn practice_search_from_a_template_is_estimated_collected_and_downloaded() {
        let desktop = Desktop::start(Setup::default()).await;
        let app = desktop.open().await;

        // First run: the two ways to start.
        app.wait_for_heading("Welcome to Bulk Collect").await;
        app.wait_for_button("Use my Coresignal API key").await;
        app.screenshot("first-run").await;
        app.click_button("Practice mode").await;
        app.wait_for("practice-banner").await;

        // A search from a template, limited to 25 profiles, estimated for free.
        app.click_testid("nav-new").await;
        app.click_testid("tab-search").await;
        app.select("template-select", PYTHON_TEMPLATE).await;
        app.fill("limit-input", "25").await;
        app.fill("name-input", "Python people").await;
        // The count comes by itself: no Check cost to press. How many profiles, which decides
        // the price, is in the summary panel and above the fold.
        app.wait_for_text("cost-records", "25 profiles").await;
        app.assert_absent_button("Check cost (free)").await;
        app.assert_above_the_fold("limit-input", "cost-panel").await;
        app.screenshot("new-collection").await;

        // Collect, confirm: the job detail follows it to the end.
        app.click_testid("collect-button").await;
        app.click_button("Yes, collect").await;
        app.wait_for("job-detail").await;
        app.wait_for_job_state("downloaded").await;
        app.wait_for_text("file-row", "Done").await;
        app.wait_for_text("results-ready", "25 profiles ready")
            .await;
        // The results table shows the people, read in Rust a page at a time.
        app.wait_for_text("people-count", "1–25 of 25 people").await;
        app.screenshot("job-detail").await;

        // On disk: the gzip holds the 25 profiles, and no partial download is left behind.
        assert_eq!(downloaded_records(&desktop.downloads()), 25);

        // Open in spreadsheet hands the job's workbook (made after the download) to the opener.
        app.click_button("Open in spreadsheet").await;
        let mut opened = None;
        for _ in 0..100 {
            opened = desktop.opened();
            if opened.is_some() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let opened = PathBuf::from(opened.expect("a path was handed to the opener"));
        assert!(
            opened.starts_with(desktop.downloads()),
            "{}",
            opened.display()
        );
        assert!(opened.exists());
        assert!(opened.to_string_lossy().contains("python-people_"));
        assert_eq!(
            opened.extension().and_then(|ext| ext.to_str()),
            Some("xlsx")
        );

        // The history lists it; Settings shows where the files go.
        app.click_testid("nav-jobs").await;
        app.wait_for_job_row("downloaded").await;
        app.screenshot("jobs").await;
        app.click_testid("nav-settings").await;
        app.wait_for_heading("Settings").await;
        app.quit().await;
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
        let ids = shared_data("ids-valid.csv");
        let desktop = Desktop::start(Setup {
            pick_file: Some(ids),
            ..Setup::default()
        })
        .await;
        // The chooser (the test seam) returns the sample file: 500 valid IDs, nothing wrong, no
        // row of column names. A column of IDs is taken as it is: nothing is looked up.
        let app = choose_list_in_practice(&desktop).await;
        app.wait_for_text("list-header", "no row of column names")
            .await;
        app.wait_for_text("list-report", "500 different employee IDs ready to collect")
            .await;
        app.assert_absent("list-not-found").await;

        app.click_testid("collect-button").await;
        app.click_button("Yes, collect").await;
        app.wait_for_job_state("downloaded").await;

        // One profile per ID.
        assert_eq!(downloaded_records(&desktop.downloads()), 500);
        app.quit().await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn practice_a_25000_line_id_file_goes_as_three_batches_and_one_workbook() {
        let folder = tempfile::tempdir().unwrap();
        let ids = folder.path().join("25000-people.csv");
        let lines: String = (1..=25_000).map(|id| format!("{id}\n")).collect();
        std::fs::write(&ids, format!("id\n{lines}")).unwrap();
        let desktop = Desktop::start(Setup {
            pick_file: Some(ids),
            ..Setup::default()
        })
        .await;
        // Over 10,000 IDs: offered as batches, priced and confirmed once for all.
        let app = choose_list_in_practice(&desktop).await;
        app.wait_for_text("batches-message", "go as 3 batches")
            .await;
        app.click_testid("collect-button").await;
        app.wait_for_text("quote-question", "25,000 profiles in 3 batches")
            .await;
        app.click_button("Yes, collect").await;
        app.wait_for("batches").await;
        // While it runs: its overall progress, the typical time, and that the app may close.
        app.wait_for_text("batch-progress", "of 3 batches ready,")
            .await;
        app.wait_for_text("batch-progress", "of 25,000 profiles")
            .await;
        app.wait_for_text("typical-time", "Typical time").await;
        app.wait_for_text("close-the-app", "You can close the app")
            .await;
        // The picture once some batches are in and the rest are not (the last batch waits its
        // turn, then takes seconds: the window is wide enough to see).
        let some = "some batches or profiles in, not all";
        app.wait_until_within(some, Duration::from_secs(300), || async {
            let text = app
                .script(
                    "read the progress",
                    "return document.querySelector('[data-testid=batch-progress]')?.innerText ?? '';",
                )
                .await;
            let text = text.as_str()?;
            ["1 of 3 batches", "2 of 3 batches", "10,000 of 25,000", "20,000 of 25,000"]
                .iter()
                .any(|part| text.contains(part))
                .then_some(())
        })
        .await;
        app.wait_for_text("typical-time", "for each batch").await;
        app.screenshot("collection").await;
        // The Jobs list shows it too, under its state.
        app.click_testid("nav-jobs").await;
        app.wait_until("the row says how many batches are ready", || async {
            let text = app
                .script(
                    "read the row",
                    "return document.querySelector('[data-testid=row-batches]')?.textContent ?? '';",
                )
                .await;
            text.as_str()?.contains("of 3 batches ready").then_some(())
        })
        .await;
        app.screenshot("jobs-collection").await;
        app.click_testid("job-open").await;
        app.wait_for("batches").await;
        app.wait_for_job_state_within("downloaded", Duration::from_secs(300))
            .await;
        app.wait_for_text("batches", "3 of 3 ready").await;

        // One workbook for the whole list, made after the last batch (25,000 rows: it may take a
        // while on a busy machine), opened from the job.
        app.wait_for_text_within(
            "results-ready",
            "25,000 profiles ready",
            Duration::from_secs(300),
        )
        .await;
        app.wait_for_text("people-count", "of 25,000 people").await;
        app.click_button("Open in spreadsheet").await;
        let opened = app
            .wait_until("a path handed to the opener", || async { desktop.opened() })
            .await;
        let workbooks: Vec<PathBuf> = files_under(&desktop.downloads())
            .into_iter()
            .filter(|path| path.extension().is_some_and(|ext| ext == "xlsx"))
            .collect();
        assert_eq!(
            workbooks,
            vec![PathBuf::from(opened)],
            "one workbook, opened"
        );
        assert_eq!(downloaded_records(&desktop.downloads()), 25_000);
        app.quit().await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn live_key_goes_to_the_keychain_and_a_402_is_shown_in_plain_words() {
        let sim = ExternalSim::start(&["--processing-ms", "1000"]);
        let desktop = live_desktop(&sim).await;
        let app = desktop.open().await;
        // "Where do I find my API key?" beside the field, with where it is.
        app.wait_for_heading("Welcome to Bulk Collect").await;
        app.click_button("Use my Coresignal API key").await;
        app.click_testid("key-help").await;
        app.wait_for_text("key-help", "Coresignal dashboard").await;
        app.screenshot("key-help").await;
        app.fill_labelled("Coresignal API key", SIM_KEY).await;
        app.click_button("Verify").await;
        app.wait_for("nav-new").await;

        // Settings: the key is in the keychain (shown only as a hint), Live mode is on.
        app.click_testid("nav-settings").await;
        app.wait_for_heading("Settings").await;
        app.wait_for_page_text("A key is stored").await;
        app.screenshot("settings").await;

        // The account has enough credits when the price is checked; by the time the files would
        // be delivered it has only 3 (spent elsewhere meanwhile), so the service answers 402.
        // (A balance already below the price is refused before sending: see the money suite.)
        sim.set_credits(SIM_KEY, 500).await;
        app.click_testid("nav-new").await;
        app.click_testid("query-code").await;
        app.type_query(
            r#"{"query": {"query_string": {"query": "Python", "default_field": "job_title"}}}"#,
        )
        .await;
        app.fill("limit-input", "10").await;
        app.wait_for_text("cost-records", "10 profiles").await;
        sim.set_credits(SIM_KEY, 3).await;
        app.click_testid("collect-button").await;
        app.click_button("Yes, collect").await;

        app.wait_for_job_state("insufficient_credits").await;
        // Said once, in figures, with what to do: Top up, then Try again.
        app.wait_for_text(
            "not-enough-credits-message",
            "This collection needs 100 credits, and your account had 3. Nothing was charged.",
        )
        .await;
        app.wait_for_button("Top up").await;
        app.wait_for_button("Try again").await;
        app.scroll_to("not-enough-credits").await;
        app.screenshot("not-enough-credits").await;
        assert!(files_under(&desktop.downloads()).is_empty());
        app.quit().await;

        // The key typed into the window is on no disk of the app's: not in its database (and
        // WAL), log or downloads, nor in the webview's storage (local storage, IndexedDB, caches).
        let found = desktop.files_containing(SIM_KEY);
        assert!(found.is_empty(), "the key was written to {found:?}");
        assert!(
            !desktop
                .files_containing("Your Coresignal account does not have enough")
                .is_empty(),
            "the search reads the app's files (the job's reason is in its database)"
        );
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn live_credits_are_spent_only_on_a_yes_in_the_computers_own_dialog() {
        let sim = ExternalSim::start(&["--processing-ms", "60000"]);
        let desktop = Desktop::start(Setup {
            api_base: Some(sim.api_base()),
            native_money_dialog: true,
            ..Setup::default()
        })
        .await;
        let app = desktop.open().await;
        enter_key_on_first_run(&app).await;

        // The webview's "Yes, collect" opens the computer's own dialog (a script in the window
        // cannot answer it). The person says No: nothing is sent, and the window says so.
        confirm_python_search(&app, "10", "Yes, collect").await;
        answer_native_dialog("Spend credits?", "native-money-question", "alt+n");
        app.wait_for_page_text("You said No").await;
        assert!(sim.requests().await.is_empty(), "a No sent a request");

        // Asked again, the person says Yes: one request, and the job runs.
        app.click_testid("collect-button").await;
        app.click_button("Yes, collect").await;
        answer_native_dialog("Spend credits?", "native-money-question", "alt+y");
        app.wait_for_job_state("processing").await;
        assert_eq!(sim.requests().await.len(), 1);
        app.quit().await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn live_identical_request_while_the_first_runs_is_a_409_in_plain_words() {
        let sim = ExternalSim::start(&["--processing-ms", "60000"]);
        let desktop = live_desktop(&sim).await;
        let app = live_search_still_processing(&desktop).await;

        // The same search again while the first is still being prepared: the price names the
        // first job, the person confirms "Collect again", and the service's 409 stops it.
        confirm_python_search(&app, "10", "Collect again").await;
        app.wait_for("collected-before").await;
        app.wait_for_text(
            "error-message",
            "Coresignal is already preparing the same collection",
        )
        .await;

        // Only one request exists at the service: nothing was sent twice.
        assert_eq!(sim.requests().await.len(), 1);
        app.quit().await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn live_a_lost_answer_is_uncertain_and_i_found_it_follows_the_request_to_its_files() {
        let sim = ExternalSim::start(&["--processing-ms", "300"]);
        let desktop = live_desktop(&sim).await;
        let app = desktop.open().await;
        enter_key_on_first_run(&app).await;

        // The service creates the request but its answer is lost on the way back.
        sim.set_faults(json!({ "submit_lost": 1 })).await;
        collect_python_search(&app, "6").await;
        app.wait_for_text(
            "error-message",
            "We could not confirm Coresignal received this collection",
        )
        .await;
        app.click_button("Open the collection").await;
        app.wait_for("uncertain").await;
        app.wait_for_text("uncertain-where", "Coresignal dashboard")
            .await;
        app.scroll_to("uncertain").await;
        app.screenshot("uncertain-job").await;

        // The person finds it in their Coresignal account and pastes its id: nothing is sent again.
        let requests = sim.requests().await;
        let id = requests[0]["id"].as_str().expect("a request id").to_owned();
        app.fill("attach-request-id", &id).await;
        app.click_button("I found it").await;
        // Until the id is taken, the badge still says uncertain (a final state for the wait below).
        app.wait_for_job_state_to_leave("uncertain").await;
        app.wait_for_job_state("downloaded").await;
        assert_eq!(downloaded_records(&desktop.downloads()), 6);
        assert_eq!(sim.requests().await.len(), 1, "one request, one charge");
        app.quit().await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn restart_while_a_job_is_processing_resumes_and_downloads() {
        let sim = ExternalSim::start(&["--processing-ms", "60000"]);
        let desktop = live_desktop(&sim).await;
        let app = live_search_still_processing(&desktop).await;

        // Quit while the service is still preparing the files; they become ready meanwhile.
        app.quit().await;
        assert!(files_under(&desktop.downloads()).is_empty());
        sim.advance_clock(Duration::from_secs(61)).await;

        // Start again on the same data: Live mode resumes (the key comes from the keychain) and
        // the job is polled, downloaded and checked.
        let app = desktop.open().await;
        app.click_testid("nav-jobs").await;
        app.wait_for_job_row("downloaded").await;
        app.click_testid("job-open").await;
        app.wait_for_job_state("downloaded").await;
        assert_eq!(downloaded_records(&desktop.downloads()), 10);
        app.quit().await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn practice_job_survives_closing_the_app_while_it_is_processing() {
        let desktop = Desktop::start(Setup::default()).await;
        let app = desktop.open().await;
        app.wait_for_heading("Welcome to Bulk Collect").await;
        app.click_button("Practice mode").await;
        app.wait_for("practice-banner").await;
        submit_python_search(&app, "12").await;
        app.wait_for_job_state("processing").await;

        // Close while the practice simulator is still preparing the files (it takes ~4 s). It
        // keeps its state in the data folder, so the request is still known after the restart.
        app.quit().await;
        let app = desktop.open().await;
        app.wait_for("practice-banner").await;
        app.click_testid("nav-jobs").await;
        app.wait_for_job_row("downloaded").await;
        assert_eq!(downloaded_records(&desktop.downloads()), 12);
        app.quit().await;
    }

    #[tokio::test]
    #[ignore = "end-to-end: run by make test-e2e under Xvfb"]
    async fn practice_proxy_password_goes_to_the_keychain_and_never_back_to_the_window() {
        const PASSWORD: &str = "e2e-Proxy-Pass-7";
        let keychain = KeyringStore::new();
        let desktop = Desktop::start(Setup::default()).await;
        let app = desktop.open().await;
        app.wait_for_heading("Welcome to Bulk Collect").await;
        app.click_button("Practice mode").await;
        app.wait_for("practice-banner").await;
        app.click_testid("nav-settings").await;
        app.wait_for_heading("Settings").await;

        // Under Advanced: the user name is part of the address; the password has its own box.
        app.click_testid("settings-advanced").await;
        app.fill_labelled("Proxy", "http://anna@proxy.example.com:8080")
            .await;
        // Every change saves at once: leaving the box (Tab) saves it, and "Saved" shows beside it.
        app.fill("proxy-password", &format!("{PASSWORD}\u{E004}"))
            .await;
        app.wait_for_text("proxy-password-status", "A proxy password is saved")
            .await;
        app.wait_for_text("proxy-password-saved", "Saved").await;
        app.scroll_to("proxy-password-saved").await;
        app.screenshot("settings-saved").await;
        assert_eq!(app.value("proxy-password").await, "", "the box is emptied");
        assert_eq!(
            keychain
                .load_proxy_password(
                    &ProxyIdentity::of("http://anna@proxy.example.com:8080").unwrap()
                )
                .unwrap()
                .map(|p| p.expose().to_owned()),
            Some(PASSWORD.to_owned()),
            "the app's keychain entry holds it"
        );
        for file in files_under(&desktop.data_dir()) {
            let bytes = std::fs::read(&file).unwrap();
            assert!(
                !String::from_utf8_lossy(&bytes).contains(PASSWORD),
                "the password is in {}",
                file.display()
            );
        }

        // A restart shows only that one is saved; removing it empties the keychain entry.
        app.quit().await;
        let app = desktop.open().await;
        app.wait_for("practice-banner").await;
        app.click_testid("nav-settings").await;
        app.click_testid("settings-advanced").await;
        let status = app.text("proxy-password-status").await;
        assert!(status.contains("A proxy password is saved"), "{status}");
        assert_eq!(app.value("proxy-password").await, "");
        app.click_button("Remove proxy password").await;
        app.wait_for_text("proxy-password-status", "Only if your proxy asks for one")
            .await;
        assert_eq!(keychain.saved_proxy().unwrap(), None);
        app.quit().await;
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

    /// Opens the app in Practice mode and chooses the list the chooser seam returns.
    async fn choose_list_in_practice(desktop: &Desktop) -> App<'_> {
        let app = desktop.open().await;
        app.click_button("Practice mode").await;
        app.wait_for("practice-banner").await;
        app.click_testid("nav-new").await;
        app.click_testid("tab-list").await;
        app.click_button("Choose a file…").await;
        app
    }

    /// The app in Live mode against `sim`.
    async fn live_desktop(sim: &ExternalSim) -> Desktop {
        Desktop::start(Setup {
            api_base: Some(sim.api_base()),
            ..Setup::default()
        })
        .await
    }

    /// First run with the key, then a search of 10 profiles submitted and still `processing`.
    async fn live_search_still_processing(desktop: &Desktop) -> App<'_> {
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
    async fn submit_python_search(app: &App<'_>, limit: &str) {
        collect_python_search(app, limit).await;
        app.wait_for("job-detail").await;
    }

    /// New collection: the Python template with `limit`, estimated, collected and confirmed.
    async fn collect_python_search(app: &App<'_>, limit: &str) {
        confirm_python_search(app, limit, "Yes, collect").await;
    }

    /// [`collect_python_search`], confirmed with the button named `confirm`.
    async fn confirm_python_search(app: &App<'_>, limit: &str, confirm: &str) {
        app.click_testid("nav-new").await;
        app.select("template-select", PYTHON_TEMPLATE).await;
        app.fill("limit-input", limit).await;
        app.wait_for_text("cost-records", &format!("{limit} profiles"))
            .await;
        app.click_testid("collect-button").await;
        app.click_button(confirm).await;
    }

    /// The records in every downloaded gzip under `downloads`; fails if a partial file is left.
    fn downloaded_records(downloads: &Path) -> usize {
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
