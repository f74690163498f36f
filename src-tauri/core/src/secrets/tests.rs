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
    let error = keychain::from_keyring(locked);
    assert_eq!(error.code(), ErrorCode::KeychainUnavailable);
    assert_eq!(
        error.to_string(),
        "Your computer's password keychain could not be opened (access was refused or it is \
         locked: collection is locked). Unlock it or sign in to your desktop session, then try \
         again."
    );
    let failure = keychain::from_keyring(keyring::Error::PlatformFailure("no bus".into()));
    assert_eq!(failure.code(), ErrorCode::KeychainUnavailable);
    let unreadable = keychain::from_keyring(keyring::Error::BadEncoding(vec![0xff]));
    assert_eq!(unreadable.code(), ErrorCode::KeyMissing);
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
