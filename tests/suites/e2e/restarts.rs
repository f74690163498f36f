//! The app closed while a job is processing and started again on the same data: the job resumes and
//! is downloaded, in Live mode (the key from the keychain) and in Practice mode.

use std::time::Duration;

use bulk_collect_tests::files_under;

use crate::desktop::{Desktop, ExternalSim, Setup};
use crate::e2e::{
    downloaded_records, live_desktop, live_search_still_processing, submit_python_search,
};

/// Live mode: quit while processing and started again, the key from the keychain, the job downloaded.
pub async fn restart_while_a_job_is_processing_resumes_and_downloads() {
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

/// Practice mode: closed while processing and started again, the in-app simulator's request still
/// known, the job downloaded.
pub async fn practice_job_survives_closing_the_app_while_it_is_processing() {
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
