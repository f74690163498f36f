//! Searches a person builds: "Python developers in Germany who worked at Siemens" made in the
//! visual builder (no code), its count coming by itself, 20 sample people, and the collection,
//! every delivered profile checked against what was asked.

use bulk_collect_tests::{files_under, read_records};

use crate::desktop::{Desktop, Setup};

/// Practice mode: build the search, preview it, get the profiles, check each one.
pub async fn build_preview_and_collect() {
    let desktop = Desktop::start(Setup::default()).await;
    let app = desktop.open().await;
    app.wait_for_heading("Welcome to Bulk Collect").await;
    app.click_button("Practice mode").await;
    app.click_testid("nav-new").await;

    // "Python developers in Germany who worked at Siemens", built without writing code:
    // any of (current title contains python, skill is python), and country is Germany, and a
    // company (current or past) contains Siemens.
    app.select("group-0-mode", "any").await;
    app.fill("rule-0-0-value", "python").await;
    app.click_testid("group-0-add-rule").await;
    app.select("rule-0-1-field", "skills").await;
    app.fill("rule-0-1-value", "python\u{E007}").await;
    app.click_testid("add-group").await;
    app.select("rule-1-0-field", "location_country").await;
    app.fill("rule-1-0-value", "Germany\u{E007}").await;
    app.click_testid("add-group").await;
    app.select("rule-2-0-field", "experience.company_name")
        .await;
    app.fill("rule-2-0-value", "Siemens").await;
    app.fill("name-input", "Python at Siemens").await;

    // What the spreadsheet will hold, before paying: its columns, and no contact details.
    app.click_testid("spreadsheet-columns").await;
    app.wait_for_text("spreadsheet-columns", "Current company")
        .await;
    app.wait_for_text(
        "spreadsheet-no-contact",
        "No e-mail addresses or phone numbers",
    )
    .await;
    app.scroll_to("spreadsheet-columns").await;
    app.screenshot("builder-spreadsheet-columns").await;

    // The count comes by itself (free); the limit starts at 100.
    let matches = app.wait_for_text("cost-matches", "pe").await;
    let people: usize = matches
        .split_whitespace()
        .next()
        .and_then(|n| n.replace(',', "").parse().ok())
        .unwrap_or_else(|| panic!("a count: {matches}"));
    assert!(people > 0, "{matches}");
    assert_eq!(app.value("limit-input").await, "100");
    let expected = people.min(100);

    // Twenty sample people, free in Practice, all in Germany.
    app.click_testid("preview-button").await;
    let table = app.wait_for_text("preview-table", "sample").await;
    assert!(table.contains("Germany"), "{table}");
    app.screenshot("builder").await;

    // Get them: the button says how many.
    let button = app.text("collect-button").await;
    assert_eq!(button, format!("Get {expected} profiles"));
    app.click_testid("collect-button").await;
    app.click_button("Yes, collect").await;
    app.wait_for("job-detail").await;
    app.wait_for_job_state("downloaded").await;

    // Every profile delivered is what the builder asked for.
    let records: Vec<serde_json::Value> = files_under(&desktop.downloads())
        .iter()
        .filter(|file| file.extension().is_some_and(|ext| ext == "gz"))
        .flat_map(|file| read_records(file))
        .collect();
    assert_eq!(records.len(), expected);
    for record in &records {
        let text = |field: &str| record[field].as_str().unwrap_or_default().to_lowercase();
        assert_eq!(record["location_country"], "Germany", "{record}");
        let skills = record["skills"].to_string().to_lowercase();
        assert!(
            text("job_title").contains("python") || skills.contains("\"python\""),
            "{record}"
        );
        let siemens = record["experience"].as_array().is_some_and(|jobs| {
            jobs.iter().any(|job| {
                job["company_name"]
                    .as_str()
                    .is_some_and(|name| name.contains("Siemens"))
            })
        });
        assert!(siemens, "{record}");
    }
    app.quit().await;
}
