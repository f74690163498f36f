//! The proxy password goes to the keychain, is in no file of the app's and never comes back to the
//! window; removing it empties the keychain entry.

use bulk_collect_tests::files_under;
use collect_core::secrets::{KeyringStore, ProxyIdentity, SecretStore};

use crate::desktop::{Desktop, Setup};

/// The proxy password saved in Settings goes to the keychain, never back to the window or into a
/// file; removed, the keychain entry is empty.
pub async fn proxy_password_goes_to_the_keychain_and_never_back_to_the_window() {
    const PASSWORD: &str = "e2e-Proxy-Pass-7";
    let keychain = KeyringStore::new();
    let desktop = Desktop::start(Setup::default()).await;
    let app = desktop.open().await;
    app.wait_for_heading("Welcome to Bulk Collect").await;
    app.click_button("Practice mode").await;
    app.wait_for("practice-banner").await;
    app.click_testid("nav-settings").await;
    app.wait_for_heading("Settings").await;

    // Under Advanced: the user name is part of the address; the password has its own box.
    app.click_testid("settings-advanced").await;
    app.fill_labelled("Proxy", "http://anna@proxy.example.com:8080")
        .await;
    // Every change saves at once: leaving the box (Tab) saves it, and "Saved" shows beside it.
    app.fill("proxy-password", &format!("{PASSWORD}\u{E004}"))
        .await;
    app.wait_for_text("proxy-password-status", "A proxy password is saved")
        .await;
    app.wait_for_text("proxy-password-saved", "Saved").await;
    app.scroll_to("proxy-password-saved").await;
    app.screenshot("settings-saved").await;
    assert_eq!(app.value("proxy-password").await, "", "the box is emptied");
    assert_eq!(
        keychain
            .load_proxy_password(&ProxyIdentity::of("http://anna@proxy.example.com:8080").unwrap())
            .unwrap()
            .map(|p| p.expose().to_owned()),
        Some(PASSWORD.to_owned()),
        "the app's keychain entry holds it"
    );
    for file in files_under(&desktop.data_dir()) {
        let bytes = std::fs::read(&file).unwrap();
        assert!(
            !String::from_utf8_lossy(&bytes).contains(PASSWORD),
            "the password is in {}",
            file.display()
        );
    }

    // A restart shows only that one is saved; removing it empties the keychain entry.
    app.quit().await;
    let app = desktop.open().await;
    app.wait_for("practice-banner").await;
    app.click_testid("nav-settings").await;
    app.click_testid("settings-advanced").await;
    let status = app.text("proxy-password-status").await;
    assert!(status.contains("A proxy password is saved"), "{status}");
    assert_eq!(app.value("proxy-password").await, "");
    app.click_button("Remove proxy password").await;
    app.wait_for_text("proxy-password-status", "Only if your proxy asks for one")
        .await;
    assert_eq!(keychain.saved_proxy().unwrap(), None);
    app.quit().await;
}
