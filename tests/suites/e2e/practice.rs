//! Practice mode from the first run: a search from a template estimated, collected and downloaded;
//! a file of 500 IDs checked and collected; 25,000 IDs as three batches and one workbook.

use std::path::PathBuf;
use std::time::Duration;

use bulk_collect_tests::{files_under, shared_data};

use crate::desktop::{App, Desktop, Setup};
use crate::e2e::{downloaded_records, PYTHON_TEMPLATE};

/// First run in Practice mode: a search from a template counted for free, collected and downloaded;
/// its spreadsheet opened, then the history and Settings.
pub async fn a_search_from_a_template_is_estimated_collected_and_downloaded() {
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

/// A file of 500 valid IDs chosen: taken as it is, collected, one profile per ID.
pub async fn an_id_file_is_checked_collected_and_downloaded() {
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

/// 25,000 IDs: three batches priced and confirmed once, their progress shown while they run, one
/// workbook for all.
pub async fn a_25000_line_id_file_goes_as_three_batches_and_one_workbook() {
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
        [
            "1 of 3 batches",
            "2 of 3 batches",
            "10,000 of 25,000",
            "20,000 of 25,000",
        ]
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
