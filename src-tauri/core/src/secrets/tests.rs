use std::sync::Arc;
use std::time::{Duration, Instant};

use super::*;

#[test]
fn memory_store_round_trip() {
    let store = MemoryStore::new();
    assert_eq!(store.load().unwrap(), None);
    store.save(&ApiKey::new("  first-key ")).unwrap();
    assert_eq!(store.load().unwrap().unwrap().expose(), "first-key");
    store.save(&ApiKey::new("second-key")).unwrap();
    assert_eq!(store.load().unwrap(), Some(ApiKey::new("second-key")));
    store.delete().unwrap();
    assert_eq!(store.load().unwrap(), None);
    store.delete().unwrap();
}

#[test]
fn empty_key_is_refused_with_a_plain_message() {
    let store = MemoryStore::with_key(ApiKey::new("kept"));
    let error = store.save(&ApiKey::new("   ")).unwrap_err();
    assert_eq!(error, SecretError::EmptyKey);
    assert_eq!(error.code(), ErrorCode::InvalidInput);
    assert!(error.to_string().contains("The API key is empty"));
    assert_eq!(store.load().unwrap(), Some(ApiKey::new("kept")));
    let keychain = KeyringStore::with_account("bulk-collect-test-empty");
    assert_eq!(keychain.save(&ApiKey::new("")), Err(SecretError::EmptyKey));
}

#[test]
fn unavailable_memory_store_fails_every_call() {
    let store = MemoryStore::unavailable("locked");
    assert!(matches!(store.load(), Err(SecretError::Unavailable { .. })));
    assert!(matches!(
        store.save(&ApiKey::new("k")),
        Err(SecretError::Unavailable { .. })
    ));
    assert!(matches!(
        store.delete(),
        Err(SecretError::Unavailable { .. })
    ));
}

#[test]
fn keychain_failures_map_to_unavailable() {
    let locked = keyring::Error::NoStorageAccess("collection is locked".into());
    let error = keychain::from_keyring(SecretEntry::ApiKey, locked);
    assert_eq!(error.code(), ErrorCode::KeychainUnavailable);
    assert_eq!(
        error.to_string(),
        "Your computer's password keychain could not be opened (access was refused or it is \
         locked: collection is locked). Unlock it or sign in to your desktop session, then try \
         again."
    );
    let failure = keychain::from_keyring(
        SecretEntry::ApiKey,
        keyring::Error::PlatformFailure("no bus".into()),
    );
    assert_eq!(failure.code(), ErrorCode::KeychainUnavailable);
    let unreadable =
        keychain::from_keyring(SecretEntry::ApiKey, keyring::Error::BadEncoding(vec![0xff]));
    assert_eq!(unreadable.code(), ErrorCode::KeyMissing);
    let unreadable_password = keychain::from_keyring(
        SecretEntry::ProxyPassword,
        keyring::Error::BadEncoding(vec![0xff]),
    );
    assert_eq!(unreadable_password.code(), ErrorCode::InvalidInput);
    assert!(unreadable_password
        .to_string()
        .starts_with("The proxy password saved in your keychain could not be read"));
}

#[test]
fn api_key_never_prints_itself() {
    let key = ApiKey::new("abcdefgh12345678");
    assert_eq!(format!("{key:?}"), "ApiKey(<redacted>)");
    assert_eq!(key.hint(), "••••5678");
}

#[test]
fn keyring_store_names() {
    assert_eq!(KeyringStore::new().account(), KEYRING_ACCOUNT);
    assert_eq!(KeyringStore::default(), KeyringStore::new());
    assert_eq!(KEYRING_SERVICE, "com.bulkcollect.desktop");
    assert_eq!(
        KeyringStore::new().account_of(SecretEntry::ProxyPassword),
        "proxy-password"
    );
    let test = KeyringStore::with_account("bulk-collect-test-x");
    assert_eq!(test.account_of(SecretEntry::ApiKey), "bulk-collect-test-x");
    assert_eq!(
        test.account_of(SecretEntry::ProxyPassword),
        "bulk-collect-test-x-proxy-password"
    );
}

#[test]
fn the_proxy_password_is_a_second_entry_beside_the_key() {
    let store = MemoryStore::with_key(ApiKey::new("the-key"));
    assert_eq!(store.load_proxy_password(&proxy()).unwrap(), None);
    store
        .save_proxy_password(&proxy(), &ProxyPassword::new(" s3cret with spaces "))
        .unwrap();
    assert_eq!(
        store
            .load_proxy_password(&proxy())
            .unwrap()
            .unwrap()
            .expose(),
        " s3cret with spaces ",
        "a password is kept exactly as typed"
    );
    assert_eq!(store.load().unwrap(), Some(ApiKey::new("the-key")));
    store.delete().unwrap();
    assert!(store.load_proxy_password(&proxy()).unwrap().is_some());
    store.delete_proxy_password().unwrap();
    assert_eq!(store.load_proxy_password(&proxy()).unwrap(), None);
    let empty = store
        .save_proxy_password(&proxy(), &ProxyPassword::new(""))
        .unwrap_err();
    assert_eq!(empty, SecretError::EmptyProxyPassword);
    assert_eq!(empty.code(), ErrorCode::InvalidInput);
    assert_eq!(
        format!("{:?}", ProxyPassword::new("s3cret")),
        "ProxyPassword(<redacted>)"
    );
}

#[tokio::test]
async fn keychain_calls_run_off_the_async_thread() {
    let store = Arc::new(MemoryStore::new());
    let keychain = Keychain::new(store.clone());
    keychain.save_api_key(&ApiKey::new("k-0001")).await.unwrap();
    keychain
        .save_proxy_password(&proxy(), &ProxyPassword::new("pw"))
        .await
        .unwrap();
    assert_eq!(
        keychain.api_key().await.unwrap(),
        Some(ApiKey::new("k-0001"))
    );
    assert_eq!(
        keychain.proxy_password(&proxy()).await.unwrap(),
        Some(ProxyPassword::new("pw"))
    );
    assert_eq!(store.load().unwrap(), Some(ApiKey::new("k-0001")));
    keychain.delete_api_key().await.unwrap();
    keychain.delete_proxy_password().await.unwrap();
    assert_eq!(keychain.api_key().await.unwrap(), None);
    assert_eq!(keychain.proxy_password(&proxy()).await.unwrap(), None);
    assert_eq!(
        keychain.save_api_key(&ApiKey::new(" ")).await,
        Err(SecretError::EmptyKey)
    );
}

/// A keychain that blocks (an unlock prompt nobody answers) neither blocks the async thread nor
/// makes the caller wait past the time limit.
#[tokio::test(flavor = "current_thread")]
async fn a_keychain_that_does_not_answer_times_out_without_blocking_the_runtime() {
    let keychain = Keychain::new(Arc::new(MemoryStore::stalled(Duration::from_millis(1_500))))
        .with_timeout(Duration::from_millis(100));
    let started = Instant::now();
    // On a single-threaded runtime this ticker only advances if the keychain call is off-thread.
    let ticker = tokio::spawn(async {
        let mut ticks = 0;
        for _ in 0..5 {
            tokio::time::sleep(Duration::from_millis(10)).await;
            ticks += 1;
        }
        ticks
    });
    let error = keychain.api_key().await.unwrap_err();
    let waited = started.elapsed();
    assert_eq!(error, SecretError::NoAnswer { seconds: 1 });
    assert_eq!(error.code(), ErrorCode::KeychainUnavailable);
    assert!(error
        .to_string()
        .starts_with("Your computer's password keychain did not answer within"));
    assert!(waited < Duration::from_millis(1_000), "waited {waited:?}");
    assert_eq!(ticker.await.unwrap(), 5);
    assert_eq!(
        KEYCHAIN_TIMEOUT,
        Duration::from_secs(10),
        "the time limit the message promises"
    );
}

/// Set in the child process of [`keyring_without_dbus_is_unavailable`].
#[cfg(target_os = "linux")]
const PROBE_VAR: &str = "BULK_COLLECT_KEYCHAIN_PROBE";

/// libdbus reads `DBUS_SESSION_BUS_ADDRESS` once per process, so the broken address is given to a
/// fresh copy of this test binary that runs [`keychain_probe_without_dbus`] alone.
#[cfg(target_os = "linux")]
#[test]
fn keyring_without_dbus_is_unavailable() {
    let exe = std::env::current_exe().unwrap();
    let output = std::process::Command::new(exe)
        .args([
            "--exact",
            "secrets::tests::keychain_probe_without_dbus",
            "--ignored",
            "--nocapture",
        ])
        .env(
            "DBUS_SESSION_BUS_ADDRESS",
            "unix:path=/nonexistent/bulk-collect-test-bus",
        )
        .env(PROBE_VAR, "1")
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    assert!(
        output.status.success(),
        "{stdout}\n{}",
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(stdout.contains("1 passed"), "{stdout}");
}

#[cfg(target_os = "linux")]
#[test]
#[ignore = "helper: run by keyring_without_dbus_is_unavailable in a child process"]
fn keychain_probe_without_dbus() {
    if std::env::var_os(PROBE_VAR).is_none() {
        return;
    }
    let store = KeyringStore::with_account("bulk-collect-test-no-bus");
    let unavailable = |result: Result<(), SecretError>| match result {
        Err(error @ SecretError::Unavailable { .. }) => {
            assert_eq!(error.code(), ErrorCode::KeychainUnavailable);
            assert!(error
                .to_string()
                .starts_with("Your computer's password keychain"));
        }
        other => panic!("expected Unavailable, got {other:?}"),
    };
    unavailable(store.load().map(|_| ()));
    unavailable(store.save(&ApiKey::new("never-written")));
    unavailable(store.delete());
}

#[test]
#[ignore = "needs a Secret Service: run by make test inside dbus-run-session + gnome-keyring"]
fn keyring_store_keeps_the_proxy_password_in_its_own_entry() {
    let store =
        KeyringStore::with_account(format!("bulk-collect-test-proxy-{}", std::process::id()));
    store.delete().unwrap();
    store.delete_proxy_password().unwrap();
    store.save(&ApiKey::new("key-0001")).unwrap();
    store
        .save_proxy_password(&proxy(), &ProxyPassword::new("proxy pass 0002"))
        .unwrap();
    assert_eq!(store.load().unwrap(), Some(ApiKey::new("key-0001")));
    assert_eq!(
        store.load_proxy_password(&proxy()).unwrap(),
        Some(ProxyPassword::new("proxy pass 0002"))
    );
    store.delete_proxy_password().unwrap();
    assert_eq!(store.load_proxy_password(&proxy()).unwrap(), None);
    assert_eq!(store.load().unwrap(), Some(ApiKey::new("key-0001")));
    store.delete().unwrap();
    assert_eq!(store.load().unwrap(), None);
}

#[tokio::test]
#[ignore = "needs a Secret Service: run by make test inside dbus-run-session + gnome-keyring"]
async fn keychain_over_the_real_keyring_round_trips() {
    let keychain = Keychain::new(Arc::new(KeyringStore::with_account(format!(
        "bulk-collect-test-async-{}",
        std::process::id()
    ))));
    keychain
        .save_api_key(&ApiKey::new("async-key-0003"))
        .await
        .unwrap();
    keychain
        .save_proxy_password(&proxy(), &ProxyPassword::new("async-pass"))
        .await
        .unwrap();
    assert_eq!(
        keychain.api_key().await.unwrap(),
        Some(ApiKey::new("async-key-0003"))
    );
    assert_eq!(
        keychain.proxy_password(&proxy()).await.unwrap(),
        Some(ProxyPassword::new("async-pass"))
    );
    keychain.delete_api_key().await.unwrap();
    keychain.delete_proxy_password().await.unwrap();
    assert_eq!(keychain.api_key().await.unwrap(), None);
    assert_eq!(keychain.proxy_password(&proxy()).await.unwrap(), None);
}

#[test]
#[ignore = "needs a Secret Service: run by make test inside dbus-run-session + gnome-keyring"]
fn keyring_store_round_trip() {
    let store = KeyringStore::with_account(format!("bulk-collect-test-{}", std::process::id()));
    store.delete().unwrap();
    assert_eq!(store.load().unwrap(), None);
    store.save(&ApiKey::new("first-key-0001")).unwrap();
    assert_eq!(store.load().unwrap(), Some(ApiKey::new("first-key-0001")));
    store.save(&ApiKey::new("second-key-0002")).unwrap();
    assert_eq!(store.load().unwrap(), Some(ApiKey::new("second-key-0002")));
    store.delete().unwrap();
    assert_eq!(store.load().unwrap(), None);
    store.delete().unwrap();
}

/// The proxy the tests' passwords belong to.
fn proxy() -> ProxyIdentity {
    ProxyIdentity::of("http://anna@proxy.example.com:8080").unwrap()
}

#[test]
fn the_team_password_is_its_own_entry_beside_the_key() {
    let store = MemoryStore::with_key(ApiKey::new("the-key"));
    assert_eq!(store.load_team_password().unwrap(), None);
    assert_eq!(
        store.save_team_password(""),
        Err(SecretError::EmptyTeamPassword)
    );
    store.save_team_password("pg secret").unwrap();
    assert_eq!(
        store.load_team_password().unwrap().as_deref(),
        Some("pg secret")
    );
    assert_eq!(store.load().unwrap(), Some(ApiKey::new("the-key")));
    store.delete_team_password().unwrap();
    assert_eq!(store.load_team_password().unwrap(), None);
    assert_eq!(store.load().unwrap(), Some(ApiKey::new("the-key")));
    let keychain = KeyringStore::with_account("bulk-collect-test");
    assert_eq!(
        keychain.account_of(SecretEntry::TeamPassword),
        "bulk-collect-test-team-library-password"
    );
}
