//! The people library in the app: a search run again is priced for the people not yet held only,
//! says so in words, buys only them, and its spreadsheet still holds everyone who matched; a
//! finished collection's *Update* finds nothing new to buy and offers everyone again, explicitly.

use calamine::{Reader, Xlsx};

use crate::desktop::{Desktop, Setup};

/// Practice mode: 20 collected, then the same search for 50 buys the 30 new ones.
pub async fn a_search_run_again_buys_only_the_new_people() {
    let desktop = Desktop::start(Setup::default()).await;
    let app = desktop.open().await;
    app.wait_for_heading("Welcome to Bulk Collect").await;
    app.click_button("Practice mode").await;

    let search = |limit: &'static str| {
        let app = &app;
        async move {
            app.click_testid("nav-new").await;
            app.click_testid("tab-search").await;
            app.select("template-select", "example:python-germany")
                .await;
            app.fill("limit-input", limit).await;
        }
    };
    search("20").await;
    app.wait_for_text("cost-records", "20 profiles").await;
    app.click_testid("collect-button").await;
    app.click_button("Yes, collect").await;
    app.wait_for("job-detail").await;
    app.wait_for_job_state("downloaded").await;

    // The same search for 50: 20 are already in the library, 30 are bought.
    search("50").await;
    app.wait_for_text("cost-held", "20 people").await;
    app.wait_for_text("cost-records", "30 profiles").await;
    app.wait_for_text("cost-split", "You already have 20 people")
        .await;
    app.screenshot("net-new-quote").await;
    app.click_testid("collect-button").await;
    app.wait_for_text("quote-question", "You already have 20 of them: skip them?")
        .await;
    app.wait_for("quote-everyone").await;
    app.screenshot("net-new-confirm").await;
    app.click_button("Yes, skip them").await;
    app.wait_for("job-detail").await;
    app.wait_for_job_state("downloaded").await;
    app.wait_for_text("results-ready", "30 profiles ready")
        .await;

    // The spreadsheet holds all 50, saying who came in this purchase.
    app.click_button("Open in spreadsheet").await;
    let opened = app
        .wait_until("the spreadsheet is handed to the opener", || async {
            desktop.opened()
        })
        .await;
    let mut workbook: Xlsx<_> = calamine::open_workbook(&opened).expect("the workbook opens");
    let people = workbook.worksheet_range("People").expect("a People sheet");
    let header: Vec<String> = people
        .rows()
        .next()
        .unwrap()
        .iter()
        .map(|c| c.to_string())
        .collect();
    let column = header
        .iter()
        .position(|name| name == "In this purchase")
        .unwrap_or_else(|| panic!("no In this purchase column: {header:?}"));
    let marks: Vec<String> = people
        .rows()
        .skip(1)
        .map(|row| row[column].to_string())
        .collect();
    assert_eq!(marks.len(), 50);
    assert_eq!(marks.iter().filter(|mark| *mark == "yes").count(), 30);
    assert_eq!(marks.iter().filter(|mark| *mark == "no").count(), 20);

    // Update: nothing changed since, so nothing new to buy; everyone again is one click away.
    app.click_testid("update-collection").await;
    app.wait_for_text("quote-question", "nothing new to buy")
        .await;
    app.screenshot("update-nothing-new").await;
    app.click_testid("quote-everyone").await;
    app.wait_for_text("quote-question", "again").await;
    app.click_button("Cancel").await;
    app.quit().await;
}
