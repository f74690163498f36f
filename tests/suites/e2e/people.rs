//! The people library in the app: a collection's people on the People screen, searched, one
//! forgotten after the plain-words question, everyone exported to a spreadsheet, and the
//! collection deleted without its people.

use crate::desktop::{Desktop, Setup};

/// Practice mode: collect 25 people, find them on People, export them, forget one.
pub async fn search_forget_and_export() {
    let root = tempfile::tempdir().expect("a temporary folder");
    let exported = root.path().join("people-export.csv");
    let desktop = Desktop::start(Setup {
        env: vec![(
            "BULK_COLLECT_TEST_PEOPLE_FILE".into(),
            exported.display().to_string(),
        )],
        ..Setup::default()
    })
    .await;
    let app = desktop.open().await;
    app.wait_for_heading("Welcome to Bulk Collect").await;
    app.click_button("Practice mode").await;
    app.wait_for("practice-banner").await;

    // Before any collection: the library says what it is for.
    app.click_testid("nav-people").await;
    app.wait_for_heading("People").await;
    app.wait_for("library-empty").await;

    // A small collection: its people go into the library before it shows as downloaded.
    app.click_testid("nav-new").await;
    app.click_testid("tab-search").await;
    app.select("template-select", "example:python-germany")
        .await;
    app.fill("limit-input", "25").await;
    app.fill("name-input", "Python people").await;
    app.wait_for_text("cost-records", "25 profiles").await;
    app.click_testid("collect-button").await;
    app.click_button("Yes, collect").await;
    app.wait_for("job-detail").await;
    app.wait_for_job_state("downloaded").await;

    // People: all 25, counted by country (the search was in Germany).
    app.click_testid("nav-people").await;
    app.wait_for_heading("People").await;
    app.wait_for_text("library-count", "1–25 of 25 people")
        .await;
    app.wait_for_page_text("By country").await;
    app.wait_for_page_text("By company").await;
    app.screenshot("people").await;

    // Everyone, exported as CSV through the save dialog (the test seam names the file).
    app.click_button("Select all 25 people").await;
    app.select("export-format", "csv").await;
    app.click_testid("export-people").await;
    app.wait_for_page_text("Saved 25 people to").await;
    let text = std::fs::read_to_string(&exported).expect("the export was written");
    assert!(text.starts_with('\u{feff}'), "a CSV for Excel");

    // A search typed in the box narrows the table (debounced, searched in Rust).
    let name = app.text("person-link").await;
    assert!(!name.is_empty());
    assert!(text.contains(&name), "{name} is in the export");
    app.fill("library-search", &name).await;
    app.wait_for_text("library-count", "matching").await;

    // Forget that person: the question says what happens, in plain words.
    app.click_testid("person-link").await;
    app.wait_for("person-dialog").await;
    app.click_testid("forget-person").await;
    let question = app
        .wait_for_text("forget-question", "deleted from your people library")
        .await;
    assert!(question.contains("only a note"), "{question}");
    app.wait_for_page_text(&format!("Forget {name}?")).await;
    app.screenshot("forget-person").await;
    app.click_testid("confirm-forget").await;
    app.wait_for_page_text(&format!("{name} was forgotten."))
        .await;
    app.wait_for_page_text(&format!("No one in your people library matches “{name}”"))
        .await;

    // The collection deleted from its page, without its people: the list and the library empty,
    // the downloaded files still there.
    app.click_testid("nav-jobs").await;
    app.wait_for_job_row("downloaded").await;
    app.click_testid("job-open").await;
    app.wait_for("job-detail").await;
    app.click_testid("delete-collection").await;
    app.wait_for_page_text("Keep the 25 people it collected in your people library")
        .await;
    app.click_testid("keep-people").await;
    app.screenshot("delete-collection").await;
    app.click_testid("confirm-delete").await;
    app.wait_for_page_text("24 people only it brought were forgotten")
        .await;
    app.assert_absent("job-row").await;
    app.click_testid("nav-people").await;
    app.wait_for("library-empty").await;
    assert!(
        !bulk_collect_tests::files_under(&desktop.downloads()).is_empty(),
        "the downloaded files are not touched"
    );
    app.quit().await;
}
