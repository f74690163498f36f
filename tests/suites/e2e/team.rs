//! The team library in the app: two colleagues' installations (each its own data folder) on one
//! throwaway PostgreSQL server and one simulator. Anna connects in Settings and collects; Ben's
//! price skips the people Anna already has, and his spreadsheet still holds everyone, the people
//! he did not buy taken from the team library.

use bulk_collect_tests::team_db::{PgCluster, TEAM_PASSWORD};
use calamine::{Reader, Xlsx};
use collect_core::secrets::{KeyringStore, SecretEntry, SecretStore};

use crate::desktop::{App, Desktop, ExternalSim, Setup};
use crate::e2e::enter_key_on_first_run;

/// The Python template, for `limit` profiles, priced.
async fn price_python_search(app: &App<'_>, limit: &str) {
    app.click_testid("nav-new").await;
    app.select("template-select", "example:python-germany")
        .await;
    app.fill("limit-input", limit).await;
}

/// Settings → Team: the address, the name colleagues see and the password, then Connect.
async fn connect_team(app: &App<'_>, pg: &PgCluster, name: &str) {
    app.click_testid("nav-settings").await;
    app.wait_for_heading("Settings").await;
    app.scroll_to("team-settings").await;
    app.fill("team-address", &pg.url()).await;
    app.fill("team-name", name).await;
    app.fill("team-password", TEAM_PASSWORD).await;
    app.click_testid("team-connect").await;
    app.wait_for_text("team-status", "Connected.").await;
}

/// The two colleagues' computers have keychains of their own: the one shared here is emptied.
fn forget_secrets(keychain: &KeyringStore) {
    for entry in [SecretEntry::ApiKey, SecretEntry::TeamPassword] {
        keychain.erase(entry).expect("the keychain entry goes");
    }
}

/// Anna collects 10; Ben's search for 20 is priced for the 10 she does not have.
pub async fn a_colleague_s_price_skips_what_the_team_already_has() {
    let pg = PgCluster::start();
    let sim = ExternalSim::start(&["--processing-ms", "300"]);
    let keychain = KeyringStore::new();
    let live = || Setup {
        api_base: Some(sim.api_base()),
        ..Setup::default()
    };

    {
        let anna = Desktop::start(live()).await;
        let app = anna.open().await;
        enter_key_on_first_run(&app).await;
        connect_team(&app, &pg, "Anna").await;
        app.wait_for_text("team-explained", "nobody pays twice")
            .await;
        app.screenshot("settings-team").await;
        price_python_search(&app, "10").await;
        app.wait_for_text("cost-records", "10 profiles").await;
        app.click_testid("collect-button").await;
        app.click_button("Yes, collect").await;
        app.wait_for("job-detail").await;
        app.wait_for_job_state("downloaded").await;
        app.wait_until("Anna's people reach the team library", || async {
            (pg.psql("SELECT count(*) FROM people").trim() == "10").then_some(())
        })
        .await;
        app.quit().await;
        let found = anna.files_containing(TEAM_PASSWORD);
        assert!(
            found.is_empty(),
            "the team password was written to {found:?}"
        );
    }
    forget_secrets(&keychain);

    let ben = Desktop::start(live()).await;
    let app = ben.open().await;
    enter_key_on_first_run(&app).await;
    connect_team(&app, &pg, "Ben").await;
    price_python_search(&app, "20").await;
    app.wait_for_text("cost-team", "Your team already has 10 of these (Anna,")
        .await;
    app.wait_for_text("cost-records", "10 profiles").await;
    app.scroll_to("cost-team").await;
    app.screenshot("quote-team").await;
    app.click_testid("collect-button").await;
    app.click_button("Yes, skip them").await;
    app.wait_for("job-detail").await;
    app.wait_for_job_state("downloaded").await;

    // The spreadsheet holds all 20: the 10 bought and Anna's 10 from the team library.
    app.click_button("Open in spreadsheet").await;
    let opened = app
        .wait_until("the spreadsheet is handed to the opener", || async {
            ben.opened()
        })
        .await;
    let mut workbook: Xlsx<_> = calamine::open_workbook(&opened).expect("the workbook opens");
    let people = workbook.worksheet_range("People").expect("a People sheet");
    assert_eq!(people.rows().count() - 1, 20, "everyone who matched");
    app.quit().await;
    forget_secrets(&keychain);
}
