//! Tests of `session.rs`.

use super::*;
use crate::secrets::MemoryStore;

fn session() -> (tempfile::TempDir, Session) {
    let dir = tempfile::tempdir().unwrap();
    let session = Session::open(dir.path(), Arc::new(MemoryStore::new())).unwrap();
    (dir, session)
}

#[tokio::test]
async fn a_new_session_is_on_first_run() {
    let (_dir, session) = session();
    let state = session.state().await.unwrap();
    assert_eq!(state.mode, None);
    assert_eq!(state.key_hint, None);
    assert_eq!(session.saved_mode().unwrap(), None);
    assert_eq!(
        session.engine().err().map(|e| e.code),
        Some(ErrorCode::InvalidState)
    );
}

#[tokio::test]
async fn activating_a_mode_remembers_it_and_deactivating_forgets_it() {
    let (_dir, session) = session();
    practice(&session).await;
    assert_eq!(session.mode(), Some(Mode::Practice));
    assert_eq!(session.saved_mode().unwrap(), Some(Mode::Practice));
    session.deactivate().await.unwrap();
    assert_eq!(session.mode(), None);
    assert_eq!(session.saved_mode().unwrap(), None);
}

#[tokio::test]
async fn saving_settings_applies_them_without_restarting_the_engine_or_recovering_again() {
    let (dir, session) = session();
    let engine = practice(&session).await;
    // A submission in flight in this process (its lease is alive) …
    let report = crate::ids::parse_id_list(b"1\n2\n").unwrap();
    let job = crate::jobs::NewJob {
        name: None,
        request: crate::jobs::JobRequest::Ids {
            report,
            source_file: None,
            split: false,
            list: None,
        },
        webhook_url: None,
    };
    let quote = engine.quote(&job).await.unwrap();
    let row = engine
        .store()
        .spend_quote(
            Mode::Practice,
            quote.id,
            "in-flight",
            "this app",
            std::time::Duration::from_secs(60),
        )
        .unwrap()
        .unwrap();
    // … then the theme and the download cap change.
    let mut settings = session.settings().unwrap();
    settings.theme = crate::settings::Theme::Dark;
    settings.max_downloads = 5;
    settings.download_root = dir.path().join("elsewhere");
    session
        .save_settings(&settings, &crate::settings::ProxyPasswordChange::Keep)
        .await
        .unwrap();
    session.apply_settings().await.unwrap();
    let now = session.engine().unwrap();
    assert!(Arc::ptr_eq(&engine, &now), "the same engine keeps running");
    assert_eq!(now.options().max_downloads, 5);
    assert_eq!(now.options().download_root, dir.path().join("elsewhere"));
    assert_eq!(
        now.job(row.id).unwrap().state,
        crate::jobs::JobState::Submitting,
        "a POST in flight is not declared uncertain"
    );
}

#[tokio::test]
async fn the_key_only_ever_shows_as_a_hint() {
    let (_dir, session) = session();
    session
        .store_key(&ApiKey::new("abcdefgh12345678"))
        .await
        .unwrap();
    let state = session.state().await.unwrap();
    assert_eq!(state.key_hint.as_deref(), Some("••••5678"));
    let json = serde_json::to_string(&state).unwrap();
    assert!(!json.contains("abcdefgh"));
    session.remove_key().await.unwrap();
    assert_eq!(session.state().await.unwrap().key_hint, None);
}

fn proxied(download_root: &Path) -> Settings {
    Settings {
        credits_per_record: 1,
        requests_per_second: 27,
        max_downloads: 3,
        batches_at_once: 2,
        past_positions: 3,
        export_after_download: true,
        download_root: download_root.to_path_buf(),
        proxy: Some("http://anna@proxy.example.com:8080".into()),
        theme: crate::settings::Theme::Dark,
        check_for_updates: true,
        preview_credits: 10,
        // The defaults a new installation starts with: saving them loosens no money guard.
        credit_cap: Some(crate::money::DEFAULT_CREDIT_CAP),
        price_per_credit: None,
        plan_known: false,
    }
}

#[tokio::test]
async fn the_proxy_password_goes_to_the_keychain_and_the_ui_only_learns_that_it_is_set() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemoryStore::new());
    let session = Session::open(dir.path(), secrets.clone()).unwrap();
    let settings = proxied(&dir.path().join("out"));
    let password = "Pr0xy-S3cret-Zz";
    session
        .save_settings(
            &settings,
            &ProxyPasswordChange::Set(ProxyPassword::new(password)),
        )
        .await
        .unwrap();
    assert_eq!(
        secrets
            .load_proxy_password(&settings.proxy_identity().unwrap())
            .unwrap()
            .unwrap()
            .expose(),
        password
    );

    let state = session.state().await.unwrap();
    assert!(state.proxy_password_set);
    assert_eq!(state.settings, settings);
    let json = serde_json::to_value(&state).unwrap();
    let text = json.to_string();
    assert!(!text.contains(password), "{text}");
    assert!(!text.contains("api_base"), "{text}");
    assert_eq!(json["proxy_password_set"], true);
    assert_eq!(
        json["settings"]["proxy"],
        "http://anna@proxy.example.com:8080"
    );

    drop(session);
    let database = std::fs::read(Store::default_path(dir.path())).unwrap();
    assert!(
        !String::from_utf8_lossy(&database).contains(password),
        "the password is not in the SQLite file"
    );
    let session = Session::open(dir.path(), secrets.clone()).unwrap();
    session
        .save_settings(&settings, &ProxyPasswordChange::Keep)
        .await
        .unwrap();
    assert!(session.state().await.unwrap().proxy_password_set);
    session
        .save_settings(&settings, &ProxyPasswordChange::Remove)
        .await
        .unwrap();
    assert!(!session.state().await.unwrap().proxy_password_set);
    assert_eq!(secrets.saved_proxy().unwrap(), None);
}

#[tokio::test]
#[ignore = "needs a Secret Service: run by make test inside dbus-run-session + gnome-keyring"]
async fn the_proxy_password_lives_in_the_real_keychain_not_in_the_sqlite_file() {
    let dir = tempfile::tempdir().unwrap();
    let keychain = Arc::new(crate::secrets::KeyringStore::with_account(format!(
        "bulk-collect-test-session-{}",
        std::process::id()
    )));
    let session = Session::open(dir.path(), keychain.clone()).unwrap();
    let password = "Real-Keyring-Pr0xy";
    session
        .save_settings(
            &proxied(&dir.path().join("out")),
            &ProxyPasswordChange::Set(ProxyPassword::new(password)),
        )
        .await
        .unwrap();
    assert_eq!(
        keychain
            .load_proxy_password(&proxied(dir.path()).proxy_identity().unwrap())
            .unwrap()
            .unwrap()
            .expose(),
        password
    );
    assert!(session.state().await.unwrap().proxy_password_set);
    let database = std::fs::read(Store::default_path(dir.path())).unwrap();
    assert!(!String::from_utf8_lossy(&database).contains(password));
    session
        .save_settings(
            &proxied(&dir.path().join("out")),
            &ProxyPasswordChange::Remove,
        )
        .await
        .unwrap();
    assert_eq!(keychain.saved_proxy().unwrap(), None);
    assert!(!session.state().await.unwrap().proxy_password_set);
}

#[tokio::test]
async fn invalid_settings_change_neither_the_store_nor_the_keychain() {
    let dir = tempfile::tempdir().unwrap();
    let secrets = Arc::new(MemoryStore::new());
    let session = Session::open(dir.path(), secrets.clone()).unwrap();
    let before = session.settings().unwrap();
    let relative = Settings {
        download_root: PathBuf::from("Downloads/Bulk"),
        ..proxied(dir.path())
    };
    let error = session
        .save_settings(
            &relative,
            &ProxyPasswordChange::Set(ProxyPassword::new("pw")),
        )
        .await
        .unwrap_err();
    assert_eq!(error.code, ErrorCode::InvalidInput);
    assert!(
        error.message.contains("is not a full path"),
        "{}",
        error.message
    );
    assert_eq!(session.settings().unwrap(), before);
    assert_eq!(secrets.saved_proxy().unwrap(), None);
}

#[tokio::test]
async fn a_keychain_that_does_not_answer_neither_hangs_nor_hides_the_app() {
    let dir = tempfile::tempdir().unwrap();
    let mut session = Session::open(dir.path(), Arc::new(MemoryStore::new())).unwrap();
    session.secrets = Keychain::new(Arc::new(MemoryStore::stalled(
        std::time::Duration::from_millis(1_500),
    )))
    .with_timeout(std::time::Duration::from_millis(100));
    let started = std::time::Instant::now();
    let state = session.state().await.unwrap();
    assert_eq!(state.key_hint, None);
    assert!(!state.proxy_password_set);
    let error = session.stored_key().await.unwrap_err();
    assert_eq!(error.code, ErrorCode::KeychainUnavailable);
    assert!(
        error.message.contains("did not answer"),
        "{}",
        error.message
    );
    let error = session.store_key(&ApiKey::new("k")).await.unwrap_err();
    assert_eq!(error.code, ErrorCode::KeychainUnavailable);
    assert!(started.elapsed() < std::time::Duration::from_millis(1_000));
}

#[tokio::test]
async fn previews_are_free_in_the_apps_practice_mode_and_priced_by_the_setting_elsewhere() {
    let (_dir, session) = session();
    let mut settings = session.settings().unwrap();
    settings.preview_credits = 10;
    // A lower limit than the default: tightening needs no consent.
    settings.credit_cap = Some(500);
    session
        .save_settings(&settings, &crate::settings::ProxyPasswordChange::Keep)
        .await
        .unwrap();
    let engine = practice(&session).await;
    let cost = engine.preview_cost().unwrap();
    assert_eq!(cost.credits, 0, "the app's own simulator charges nothing");
    assert_eq!(cost.question, "See 20 sample people: free in Practice.");
    assert_eq!(engine.options().credit_cap, Some(500));
    session.apply_settings().await.unwrap();
    assert_eq!(session.engine().unwrap().preview_cost().unwrap().credits, 0);
}

/// Enters Practice mode against an address nothing answers on.
async fn practice(session: &Session) -> Arc<Engine> {
    session
        .activate(
            Mode::Practice,
            "http://127.0.0.1:9/cdapi",
            ApiKey::new("k"),
            |_| {},
        )
        .await
        .unwrap()
}

#[tokio::test]
async fn telling_the_plan_the_first_time_asks_only_below_the_assumed_price() {
    let (_dir, session) = session();
    let mut answered = session.settings().unwrap();
    assert!(!answered.plan_known, "the app assumes 10 a profile");
    answered.credits_per_record = 10;
    answered.plan_known = true;
    assert_eq!(session.money_change(&answered).unwrap(), None);
    session
        .save_settings(&answered, &crate::settings::ProxyPasswordChange::Keep)
        .await
        .unwrap();
    let saved = session.settings().unwrap();
    assert_eq!((saved.credits_per_record, saved.plan_known), (10, true));

    // A plan below the assumed figure, on a new install: without the person's yes, nothing is
    // saved (a script in the webview cannot lower every price).
    let (_dir, session) = self::session();
    let mut cheaper = session.settings().unwrap();
    cheaper.credits_per_record = 1;
    cheaper.plan_known = true;
    let change = session.money_change(&cheaper).unwrap().expect("asked");
    assert_eq!(change.key, "plan=1");
    let refused = session
        .save_settings(&cheaper, &crate::settings::ProxyPasswordChange::Keep)
        .await
        .unwrap_err();
    assert_eq!(refused.code, ErrorCode::ConfirmationNeeded);
    assert!(!session.settings().unwrap().plan_known);
}

#[tokio::test]
async fn a_big_pasted_list_is_read_and_previewed_off_the_async_workers() {
    let (_dir, session) = session();
    let mut text = String::from("LinkedIn\tCRM id\n");
    for i in 0..200_000 {
        text.push_str(&format!(
            "https://www.linkedin.com/in/jane-doe-{i:08x}/\tA-{i}\n"
        ));
    }
    // A heartbeat on the same runtime keeps beating while the list is read and previewed.
    let started = std::time::Instant::now();
    let beat = async {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        started.elapsed()
    };
    let paste = async {
        let opened = session.paste_list(text).await.unwrap();
        (opened, started.elapsed())
    };
    let ((opened, read), beat) = tokio::join!(paste, beat);
    assert!(
        beat < read,
        "the heartbeat waited {beat:?} for the paste ({read:?})"
    );
    assert_eq!(opened.preview.data_rows, 200_000);
    let started = std::time::Instant::now();
    let beat = async {
        tokio::time::sleep(std::time::Duration::from_millis(5)).await;
        started.elapsed()
    };
    let shown = async {
        let shown = session
            .preview_list(&opened.token, crate::lists::HeaderChoice::None, Some(1))
            .await
            .unwrap();
        (shown, started.elapsed())
    };
    let ((shown, done), beat) = tokio::join!(shown, beat);
    assert!(
        beat < done,
        "the heartbeat waited {beat:?} for the preview ({done:?})"
    );
    assert_eq!(shown.chosen, Some(1));
}
