//! Money decisions asked in a native dialog, opened by Rust and answered by the person's own click:
//! a script in the webview can call a command, but cannot answer this window. A yes is recorded as
//! the core's consent ([`collect_core::consent`]), which the use case then requires.

/// Environment variable for end-to-end tests only, read by debug builds only: `yes` or `no`
/// answers the native money dialog without showing it (WebDriver cannot drive a native GTK
/// dialog). The webview cannot set it, and a release build ignores it, so nothing in the
/// environment can say yes to spending for the person.
pub const TEST_ANSWER_ENV: &str = "BULK_COLLECT_TEST_MONEY_ANSWER";

/// Asks `question` in a native Yes/No dialog over `window`; true only for the person's yes.
pub async fn person_says_yes(window: &tauri::WebviewWindow, title: &str, question: &str) -> bool {
    if cfg!(debug_assertions) {
        if let Some(answer) = std::env::var_os(TEST_ANSWER_ENV) {
            return answer == "yes";
        }
    }
    let answer = rfd::AsyncMessageDialog::new()
        .set_level(rfd::MessageLevel::Warning)
        .set_title(title)
        .set_description(question)
        .set_buttons(rfd::MessageButtons::YesNo)
        .set_parent(window)
        .show()
        .await;
    answer == rfd::MessageDialogResult::Yes
}
