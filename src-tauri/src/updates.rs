//! Update checks through the Tauri updater plugin, only when the user's setting allows them.
//!
//! The release's `latest.json` names a newer version and a download signed with the project's
//! minisign key; the plugin refuses a download whose signature does not match the public key in
//! `tauri.conf.json` (`plugins.updater.pubkey`) or was made for another version
//! (`requireSignedVersion`). With the setting off, no request is made at all.

use std::net::IpAddr;

use tauri::{AppHandle, Runtime, Url};
use tauri_plugin_updater::{Update, UpdaterExt};

/// Environment variable: ask this address for `latest.json` instead of the configured endpoint (a
/// test seam, and a way for IT to point the app at an internal mirror). The signature is checked
/// against the built-in public key whatever the address.
pub const UPDATE_ENDPOINT_ENV: &str = "BULK_COLLECT_UPDATE_ENDPOINT";

/// What a check found.
pub enum Outcome {
    /// Update checks are off: nothing was asked.
    Disabled,
    /// The newest release is this one (or older).
    UpToDate,
    /// A newer release; its download is verified by [`Update::download`].
    Available(Box<Update>),
}

/// Asks the update endpoint for a newer release, unless `enabled` is false (then no request).
pub async fn check<R: Runtime>(
    app: &AppHandle<R>,
    enabled: bool,
) -> Result<Outcome, tauri_plugin_updater::Error> {
    if !enabled {
        return Ok(Outcome::Disabled);
    }
    let mut builder = app.updater_builder();
    if let Some(endpoint) = endpoint_override() {
        builder = builder.endpoints(vec![endpoint])?;
    }
    Ok(match builder.build()?.check().await? {
        Some(update) => Outcome::Available(Box::new(update)),
        None => Outcome::UpToDate,
    })
}

fn endpoint_override() -> Option<Url> {
    let text = std::env::var(UPDATE_ENDPOINT_ENV).ok()?;
    match Url::parse(text.trim()) {
        Ok(url) => Some(url),
        Err(error) => {
            tracing::warn!(
                "{UPDATE_ENDPOINT_ENV} is not an address ({error}); using the built-in one"
            );
            None
        }
    }
}

/// At start: checks once in the background when `enabled`; a newer release is offered in a
/// dialog, installed only if the person says yes, then the app restarts.
/// Lets [`UPDATE_ENDPOINT_ENV`] name a plain-HTTP address on this computer (a test server, as in
/// `make test-bundle`): the plugin refuses any non-HTTPS endpoint in release builds otherwise.
/// Every other address must be HTTPS; the signature check is the same either way.
pub fn allow_loopback_endpoint<R: Runtime>(context: &mut tauri::Context<R>) {
    if !endpoint_override().is_some_and(|url| is_loopback_http(&url)) {
        return;
    }
    let plugins = &mut context.config_mut().plugins.0;
    if let Some(updater) = plugins.get_mut("updater").and_then(|v| v.as_object_mut()) {
        updater.insert("dangerousInsecureTransportProtocol".into(), true.into());
    }
}

/// True for `http://` on 127.0.0.0/8, `[::1]` or `localhost`.
fn is_loopback_http(url: &Url) -> bool {
    let host = url.host_str().unwrap_or_default();
    url.scheme() == "http"
        && (host == "localhost"
            || host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .parse::<IpAddr>()
                .is_ok_and(|ip| ip.is_loopback()))
}

/// A development build (`make run`, the end-to-end tests) is not what a release replaces: it
/// asks only when [`UPDATE_ENDPOINT_ENV`] points it at a test server.
pub fn check_in_background<R: Runtime>(app: AppHandle<R>, enabled: bool) {
    let enabled =
        enabled && (!cfg!(debug_assertions) || std::env::var_os(UPDATE_ENDPOINT_ENV).is_some());
    tauri::async_runtime::spawn(async move {
        match check(&app, enabled).await {
            Ok(Outcome::Disabled) => tracing::info!("update check: off in Settings"),
            Ok(Outcome::UpToDate) => tracing::info!("update check: up to date"),
            Ok(Outcome::Available(update)) => {
                tracing::info!("update check: {} is available", update.version);
                offer(&app, &update).await;
            }
            Err(error) => tracing::warn!("update check failed: {error}"),
        }
    });
}

async fn offer<R: Runtime>(app: &AppHandle<R>, update: &Update) {
    let answer = rfd::AsyncMessageDialog::new()
        .set_level(rfd::MessageLevel::Info)
        .set_title("A new version of Bulk Collect")
        .set_description(format!(
            "Bulk Collect {} is available (you have {}). Install it now? The app restarts; \
             running collections carry on after the restart.",
            update.version, update.current_version
        ))
        .set_buttons(rfd::MessageButtons::YesNo)
        .show()
        .await;
    if answer != rfd::MessageDialogResult::Yes {
        return;
    }
    match update.download_and_install(|_, _| {}, || {}).await {
        Ok(()) => app.restart(),
        Err(error) => {
            tracing::warn!("the update could not be installed: {error}");
            rfd::AsyncMessageDialog::new()
                .set_level(rfd::MessageLevel::Warning)
                .set_title("The update was not installed")
                .set_description(format!(
                    "{error}. Bulk Collect keeps working; download the new version from the \
                     releases page instead."
                ))
                .show()
                .await;
        }
    }
}

#[cfg(test)]
#[path = "updates_tests.rs"]
mod tests;
