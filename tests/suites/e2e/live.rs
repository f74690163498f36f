//! Live mode against a `coresignal-sim` process: the key goes to the keychain and a 402 is said in
//! figures; credits are spent only on a yes in the computer's own dialog; a 409 in plain words; a
//! lost answer is uncertain and *I found it* follows the request to its files.

use bulk_collect_tests::files_under;
use serde_json::json;

use crate::desktop::{answer_native_dialog, Desktop, ExternalSim, Setup};
use crate::e2e::{
    collect_python_search, confirm_python_search, downloaded_records, enter_key_on_first_run,
    live_desktop, live_search_still_processing, SIM_KEY,
};

/// The key typed on the first run goes to the keychain (in no file of the app's); a 402 is said in
/// figures, with Top up and Try again.
pub async fn key_goes_to_the_keychain_and_a_402_is_shown_in_plain_words() {
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

/// The window's yes opens the computer's own dialog: No sends nothing, Yes sends one request.
pub async fn credits_are_spent_only_on_a_yes_in_the_computers_own_dialog() {
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

/// The same search sent while the first still runs: the service's 409 in plain words, one request.
pub async fn identical_request_while_the_first_runs_is_a_409_in_plain_words() {
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

/// A lost answer makes the collection uncertain; the request id pasted into *I found it* follows it
/// to its files, with one charge.
pub async fn a_lost_answer_is_uncertain_and_i_found_it_follows_the_request_to_its_files() {
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
