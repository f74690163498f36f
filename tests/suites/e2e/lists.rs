//! A list a person already has, in the app: a CRM export with a column of LinkedIn addresses in
//! every form people paste (and a row not in the data, the same person twice, a company page) is
//! chosen, its column detected, looked up for free and reported by row; the people found are
//! collected, and the spreadsheet keeps the export's own columns beside each person.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use coresignal_sim::{SimConfig, Simulator};

use crate::desktop::{Desktop, Setup};

/// `count` people of Practice mode's made-up data, with their short names: (id, short name).
/// Practice mode's simulator is built from the default seed and size, so a simulator started
/// here with the defaults holds the same people.
async fn practice_people(count: usize) -> Vec<(i64, String)> {
    let sim = Simulator::start(SimConfig::default())
        .await
        .expect("the simulator starts");
    bulk_collect_tests::corpus_people(&sim, count).await
}

/// The CRM export: each address form people paste, a row not in the data, the same person twice
/// and a company page. Returns the file and, by CRM id, the person each row is.
fn crm_csv(dir: &Path, people: &[(i64, String)]) -> (PathBuf, BTreeMap<String, i64>) {
    let rows = [
        format!(
            "Ann,Lee,Acme,https://www.linkedin.com/in/{}/,CRM-1,Met at the expo",
            people[0].1
        ),
        format!(
            "Bo,Ng,Beta,http://linkedin.com/in/{}?trk=public_profile,CRM-2,",
            people[1].1.to_uppercase()
        ),
        format!(
            "Cy,Ra,Gamma,de.linkedin.com/in/{}#about,CRM-3,",
            people[2].1
        ),
        "Di,Ox,Delta,https://www.linkedin.com/in/nobody-here-0000,CRM-4,not in the data".to_owned(),
        format!(
            "Ann,Lee,Acme,linkedin.com/in/{},CRM-5,same as CRM-1",
            people[0].1
        ),
        "Ed,Po,Acme,https://www.linkedin.com/company/acme,CRM-6,a company page".to_owned(),
        format!("Fa,Qu,Eps,{},CRM-7,bare short name", people[3].1),
    ];
    let mut text = "First name,Last name,Company,LinkedIn URL,CRM id,Notes\r\n".to_owned();
    for row in rows {
        text.push_str(&row);
        text.push_str("\r\n");
    }
    let path = dir.join("crm export.csv");
    std::fs::write(&path, text).unwrap();
    let expected = BTreeMap::from([
        ("CRM-1".to_owned(), people[0].0),
        ("CRM-2".to_owned(), people[1].0),
        ("CRM-3".to_owned(), people[2].0),
        ("CRM-7".to_owned(), people[3].0),
    ]);
    (path, expected)
}

/// Practice mode: a CRM export chosen, its LinkedIn column detected and looked up, reported by
/// row, collected, and opened as a spreadsheet that keeps its columns.
pub async fn a_crm_list_of_linkedin_addresses_is_collected_with_its_own_columns() {
    let folder = tempfile::tempdir().expect("a temporary folder");
    let people = practice_people(4).await;
    let (csv, expected) = crm_csv(folder.path(), &people);
    let not_found = folder.path().join("not found.csv");
    let desktop = Desktop::start(Setup {
        pick_file: Some(csv),
        env: vec![(
            "BULK_COLLECT_TEST_NOT_FOUND_FILE".into(),
            not_found.display().to_string(),
        )],
        ..Setup::default()
    })
    .await;
    let app = desktop.open().await;
    app.wait_for_heading("Welcome to Bulk Collect").await;
    app.click_button("Practice mode").await;
    app.wait_for("practice-banner").await;

    // New collection → List of people → Choose a file… (the chooser seam returns the CSV).
    app.click_testid("nav-new").await;
    app.click_testid("tab-list").await;
    app.click_button("Choose a file…").await;

    // The header row and the LinkedIn column are found, with what each column holds.
    app.wait_for_text("list-header", "Row 1 holds the column names")
        .await;
    let columns = app
        .wait_for_text("list-columns", "LinkedIn profile addresses")
        .await;
    for shown in ["First name", "CRM id", "Notes", "companies", &people[0].1] {
        assert!(columns.contains(shown), "{shown:?} not in {columns}");
    }
    let linkedin = app.wait_for("list-column-3").await;
    assert!(
        linkedin.is_selected().await.unwrap(),
        "the LinkedIn column is chosen"
    );

    // Looked up by itself (free): the report by row, before the price.
    let report = app.wait_for_text("list-report", "Found 5 of 7 rows").await;
    assert!(report.contains("4 different people"), "{report}");
    assert_eq!(app.text("list-found").await, "5 of 7");
    assert_eq!(app.text("list-people").await, "4");
    let missing = app.text("list-not-found").await;
    assert!(
        missing.contains("5") && missing.contains("nobody-here-0000"),
        "{missing}"
    );
    let twice = app.text("list-duplicates").await;
    assert!(twice.contains(&people[0].0.to_string()), "{twice}");
    let unused = app.text("list-problems").await;
    assert!(
        unused.contains("LinkedIn URL") && unused.contains("/company/acme"),
        "{unused}"
    );
    app.wait_for_text("cost-records", "4 profiles").await;
    app.scroll_to("list-column-1").await;
    app.screenshot("list-column-picker").await;
    app.scroll_to("save-not-found").await;
    app.screenshot("list-report").await;

    // The rows not found, saved as a CSV (the save dialog's seam names the file).
    app.click_button("Save these rows as a CSV…").await;
    app.wait_for_page_text("Saved to").await;
    let saved = std::fs::read_to_string(&not_found).expect("the rows not found were saved");
    assert!(
        saved.contains("5,https://www.linkedin.com/in/nobody-here-0000"),
        "{saved}"
    );

    // Collect: the job ends downloaded with the four people.
    app.click_testid("collect-button").await;
    app.click_button("Yes, collect").await;
    app.wait_for("job-detail").await;
    app.wait_for_job_state("downloaded").await;
    app.wait_for_text("results-ready", "4 profiles ready").await;

    // The spreadsheet: the row in the list, then the export's own columns, beside each person.
    app.click_button("Open in spreadsheet").await;
    let opened = app
        .wait_until("the spreadsheet is handed to the opener", || async {
            desktop.opened()
        })
        .await;
    let rows = bulk_collect_tests::sheet_text(Path::new(&opened), "People");
    let header = &rows[0];
    assert_eq!(
        header[..7],
        [
            "Row in your list",
            "First name",
            "Last name",
            "Company",
            "LinkedIn URL",
            "CRM id",
            "Notes"
        ]
    );
    let id_at = header
        .iter()
        .position(|name| name == "Person ID")
        .unwrap_or_else(|| panic!("no Person ID column: {header:?}"));
    let found: BTreeMap<String, i64> = rows[1..]
        .iter()
        .map(|row| (row[5].clone(), row[id_at].parse().unwrap()))
        .collect();
    assert_eq!(
        found, expected,
        "each person's row carries their own CRM id"
    );
    app.quit().await;
}
