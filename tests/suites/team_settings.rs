//! Settings' *Team* section end to end in the core's session, as the app uses it: the real OS
//! keychain (Secret Service; run inside `tests/support/with-keyring.sh`), a real SQLite file, a
//! throwaway PostgreSQL cluster and the real simulator over HTTP.

#![allow(clippy::expect_used, clippy::unwrap_used, missing_docs)]

use std::sync::Arc;

use bulk_collect_tests::team_db::{PgCluster, TEAM_PASSWORD};
use bulk_collect_tests::*;
use collect_core::jobs::Mode;
use collect_core::secrets::{ApiKey, KeyringStore, SecretEntry, SecretStore};
use collect_core::session::{Session, TeamPasswordChange};
use collect_core::team::TeamSettings;
use coresignal_sim::{Simulator, DEFAULT_PRACTICE_KEY};

/// The app's keychain entries under a throwaway account, removed before and after.
struct Keychain(Arc<KeyringStore>);

impl Keychain {
    fn new(name: &str) -> Self {
        let store = Arc::new(KeyringStore::with_account(format!(
            "bulk-collect-test-{name}-{}",
            std::process::id()
        )));
        let keychain = Self(store);
        keychain.clean();
        keychain
    }

    fn clean(&self) {
        for entry in [
            SecretEntry::ApiKey,
            SecretEntry::ProxyPassword,
            SecretEntry::TeamPassword,
        ] {
            let _ = self.0.erase(entry);
        }
    }
}

impl Drop for Keychain {
    fn drop(&mut self) {
        self.clean();
    }
}

/// Whether `needle` appears anywhere in the data folder's files (the database and its journal).
fn folder_holds(dir: &std::path::Path, needle: &str) -> bool {
    std::fs::read_dir(dir).unwrap().flatten().any(|entry| {
        std::fs::read(entry.path())
            .map(|bytes| {
                bytes
                    .windows(needle.len())
                    .any(|window| window == needle.as_bytes())
            })
            .unwrap_or(false)
    })
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connecting_keeps_the_password_in_the_keychain_and_links_the_live_engine() {
    let pg = PgCluster::start();
    let sim = Simulator::start(slow_sim()).await.unwrap();
    let keychain = Keychain::new("team-connect");
    let dir = tempfile::tempdir().unwrap();
    let session = Session::open(dir.path(), keychain.0.clone()).unwrap();
    let engine = session
        .activate(
            Mode::Live,
            &sim.base_url(),
            ApiKey::new(DEFAULT_PRACTICE_KEY),
            |_| {},
        )
        .await
        .unwrap();
    assert!(engine.team().is_none(), "no team library before one is set");

    let section = session
        .save_team(
            TeamSettings {
                address: Some(pg.url()),
                name: "Anna".into(),
            },
            TeamPasswordChange::Set(TEAM_PASSWORD.into()),
        )
        .await
        .unwrap();
    let checked = section.checked.clone().unwrap();
    assert!(checked.starts_with("Connected."), "{checked}");
    assert_eq!(section.status.reachable, Some(true));
    assert!(section.password_saved);
    assert_eq!(section.settings.address.as_deref(), Some(pg.url().as_str()));
    assert_eq!(
        section.explained.matches(". ").count() + 1,
        3,
        "three sentences"
    );
    let linked = engine
        .team()
        .expect("the Live engine uses the team library at once");
    assert_eq!(linked.who(), "Anna");
    assert_eq!(
        keychain
            .0
            .read(SecretEntry::TeamPassword)
            .unwrap()
            .as_deref(),
        Some(TEAM_PASSWORD),
        "the password is in the keychain"
    );
    assert!(
        !folder_holds(dir.path(), TEAM_PASSWORD),
        "never in the data folder"
    );

    // A new start links the engine from what was saved, with the keychain's password.
    let again = Session::open(dir.path(), keychain.0.clone()).unwrap();
    let engine = again
        .activate(
            Mode::Live,
            &sim.base_url(),
            ApiKey::new(DEFAULT_PRACTICE_KEY),
            |_| {},
        )
        .await
        .unwrap();
    let asked = engine.team().unwrap().test().await.unwrap();
    assert!(asked.starts_with("Connected."), "{asked}");

    // Practice never uses it.
    let practice = again
        .activate(
            Mode::Practice,
            &sim.base_url(),
            ApiKey::new(DEFAULT_PRACTICE_KEY),
            |_| {},
        )
        .await
        .unwrap();
    assert!(practice.team().is_none());

    // Leaving forgets the address and the password.
    let left = again.leave_team().await.unwrap();
    assert_eq!(left.settings.address, None);
    assert!(!left.password_saved);
    assert_eq!(keychain.0.read(SecretEntry::TeamPassword).unwrap(), None);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_refused_address_saves_nothing_and_a_wrong_password_is_said_in_words() {
    let pg = PgCluster::start();
    let keychain = Keychain::new("team-refused");
    let dir = tempfile::tempdir().unwrap();
    let session = Session::open(dir.path(), keychain.0.clone()).unwrap();

    let refused = session
        .save_team(
            TeamSettings {
                address: Some("postgres://anna@10.1.2.3/people?sslmode=disable".into()),
                name: "Anna".into(),
            },
            TeamPasswordChange::Set("typed".into()),
        )
        .await
        .unwrap_err();
    assert!(
        refused.message.contains("without encryption"),
        "{}",
        refused.message
    );
    let section = session.team_section(false).await.unwrap();
    assert_eq!(section.settings.address, None, "nothing saved");
    assert!(!section.password_saved, "not even the password");

    let with_password = session
        .save_team(
            TeamSettings {
                address: Some(pg.url().replace("team_app@", "team_app:pw@")),
                name: String::new(),
            },
            TeamPasswordChange::Keep,
        )
        .await
        .unwrap_err();
    assert!(
        with_password.message.contains("password box"),
        "{}",
        with_password.message
    );

    let wrong = session
        .save_team(
            TeamSettings {
                address: Some(pg.url()),
                name: "Anna".into(),
            },
            TeamPasswordChange::Set("not-the-password".into()),
        )
        .await
        .unwrap();
    assert_eq!(wrong.status.reachable, Some(false));
    let words = wrong.checked.unwrap();
    assert!(words.contains("refused the password"), "{words}");
    assert!(
        !words.contains("not-the-password"),
        "the password is never repeated: {words}"
    );
}
