//! The user's settings, read from the store with their defaults, and turned into engine options.
//!
//! What the webview may change is exactly [`Settings`] (unknown fields are refused) plus a
//! [`ProxyPasswordChange`]. The service address is not a setting: a compromised webview must not be
//! able to send the key elsewhere. It comes from [`API_BASE_ENV`] (tests, the CLI's `--api-base`)
//! or is Coresignal's ([`live_api_base`]). The proxy password lives in the OS keychain
//! ([`crate::secrets`]), never in SQLite, and is never sent back to the webview.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::api::{ApiConfig, DEFAULT_BASE_URL, DEFAULT_REQUESTS_PER_SECOND};
use crate::jobs::{EngineOptions, Mode, PollSchedule};
use crate::money::{validate_money, CreditPrice, DEFAULT_PREVIEW_CREDITS, MAX_PREVIEW_CREDITS};
use crate::secrets::{ProxyIdentity, ProxyPassword};
use crate::store::{Setting, Store, StoreResult};

/// Environment variable: the service address for Live mode (app and CLI). A test seam and an
/// escape hatch for automation; never settable from the webview.
pub const API_BASE_ENV: &str = "BULK_COLLECT_API_BASE";

/// The service address for Live mode: [`API_BASE_ENV`] when set, else Coresignal's.
pub fn live_api_base() -> String {
    match std::env::var(API_BASE_ENV) {
        Ok(base) if !base.trim().is_empty() => base.trim().to_owned(),
        _ => DEFAULT_BASE_URL.to_owned(),
    }
}

/// The Live service address the app may send the key saved in the keychain to: Coresignal's own
/// service, or the simulator on this computer when `allow_loopback` (debug builds, which the
/// end-to-end tests drive against the simulator). Any other [`API_BASE_ENV`] is refused, so a
/// changed environment cannot send the saved key elsewhere.
pub fn live_api_base_for_saved_key(allow_loopback: bool) -> Result<String, crate::UserError> {
    api_base_for_saved_key(live_api_base(), allow_loopback)
}

/// [`live_api_base_for_saved_key`]'s rule for a given `base`.
fn api_base_for_saved_key(base: String, allow_loopback: bool) -> Result<String, crate::UserError> {
    use crate::api::{saved_key_use, SavedKeyUse};
    match saved_key_use(&base) {
        SavedKeyUse::Keychain => Ok(base),
        SavedKeyUse::Simulator if allow_loopback => Ok(base),
        SavedKeyUse::Simulator | SavedKeyUse::Refused => Err(crate::UserError::new(
            crate::ErrorCode::InvalidInput,
            format!(
                "The app is set to reach Coresignal at {base} ({API_BASE_ENV}), which is not Coresignal's service, so your API key was not sent. Remove {API_BASE_ENV} from the app's environment, then open the app again."
            ),
        )),
    }
}

/// How many jobs download at once unless the user says otherwise.
pub const DEFAULT_MAX_DOWNLOADS: u32 = 3;

/// The most downloads at once the setting allows.
pub const MAX_DOWNLOADS_LIMIT: u32 = 10;

/// Past positions the spreadsheet gives columns unless the user says otherwise.
pub const DEFAULT_PAST_POSITIONS: u32 = 3;

/// The most past positions the setting allows.
pub const MAX_PAST_POSITIONS: u32 = 50;

/// How many batches of one collection are with the service at once unless the user says otherwise.
pub const DEFAULT_BATCHES_AT_ONCE: u32 = 2;

/// Credits one delivered profile costs when the user has not said otherwise (the product page's figure).
pub const DEFAULT_CREDITS_PER_RECORD: u32 = 1;

/// Settings as the app uses them, defaults filled in; also what the webview sends to change them
/// (any other field, such as a service address, is refused).
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[ts(export)]
#[serde(deny_unknown_fields)]
pub struct Settings {
    /// Credits per delivered profile.
    pub credits_per_record: u32,
    /// Requests per second per endpoint.
    pub requests_per_second: u32,
    /// How many jobs download at once (1–10).
    pub max_downloads: u32,
    /// How many batches of one long ID list are with Coresignal at once (1–10).
    pub batches_at_once: u32,
    /// Make a spreadsheet (XLSX, one row per person) of every job once its files are downloaded.
    pub export_after_download: bool,
    /// In that spreadsheet, how many positions besides the current one get columns (0–50).
    pub past_positions: u32,
    /// Each job gets a folder under this one; an absolute path.
    pub download_root: PathBuf,
    /// A manual proxy URL, optionally with a user name (`http://name@host:port`) but never a
    /// password (that is in the keychain); `None` uses the system's.
    pub proxy: Option<String>,
    /// Light, dark, or following the OS.
    pub theme: Theme,
    /// Ask the release page for a newer version at start (on unless turned off; off means no
    /// request to the update server at all).
    pub check_for_updates: bool,
    /// Credits one preview (20 sample people) costs on the user's plan (0–1,000). Older
    /// webviews that do not send it get the default.
    #[serde(default = "default_preview_credits")]
    pub preview_credits: u32,
    /// The most credits one request may spend without a second confirmation; `None`: no limit.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub credit_cap: Option<u64>,
    /// What one credit costs in money, shown beside credits; `None`: not shown.
    #[serde(default)]
    pub price_per_credit: Option<CreditPrice>,
    /// The person said which Coresignal plan they are on (or set the credits per profile). Until
    /// then Live prices assume [`crate::money::ASSUMED_CREDITS_PER_PROFILE`] and say so. Once
    /// known it stays known.
    #[serde(default)]
    pub plan_known: bool,
}

fn default_preview_credits() -> u32 {
    DEFAULT_PREVIEW_CREDITS
}

/// The UI's colour theme.
#[derive(ts_rs::TS, Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum Theme {
    /// Follow the operating system.
    #[default]
    System,
    /// Always light.
    Light,
    /// Always dark.
    Dark,
}

impl Theme {
    fn as_str(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    fn parse(text: &str) -> Self {
        match text {
            "light" => Theme::Light,
            "dark" => Theme::Dark,
            _ => Theme::System,
        }
    }
}

impl Settings {
    /// Reads the settings, falling back to defaults; `data_dir` is the last resort for downloads.
    pub fn load(store: &Store, data_dir: &std::path::Path) -> StoreResult<Self> {
        Ok(Self {
            credits_per_record: store
                .setting_u32(Setting::CreditsPerRecord, DEFAULT_CREDITS_PER_RECORD)?
                .max(1),
            requests_per_second: store
                .setting_u32(Setting::RequestsPerSecond, DEFAULT_REQUESTS_PER_SECOND)?
                .clamp(1, DEFAULT_REQUESTS_PER_SECOND),
            max_downloads: store
                .setting_u32(Setting::MaxDownloads, DEFAULT_MAX_DOWNLOADS)?
                .clamp(1, MAX_DOWNLOADS_LIMIT),
            batches_at_once: store
                .setting_u32(Setting::BatchesAtOnce, DEFAULT_BATCHES_AT_ONCE)?
                .clamp(1, MAX_DOWNLOADS_LIMIT),
            export_after_download: store.setting_u32(Setting::ExportAfterDownload, 1)? != 0,
            past_positions: store
                .setting_u32(Setting::PastPositions, DEFAULT_PAST_POSITIONS)?
                .min(MAX_PAST_POSITIONS),
            download_root: store
                .setting(Setting::DownloadRoot)?
                .map(PathBuf::from)
                .unwrap_or_else(|| default_download_root(data_dir)),
            proxy: store
                .setting(Setting::Proxy)?
                .filter(|proxy| !proxy.trim().is_empty()),
            theme: store
                .setting(Setting::Theme)?
                .map(|text| Theme::parse(&text))
                .unwrap_or_default(),
            check_for_updates: store.setting_u32(Setting::CheckForUpdates, 1)? != 0,
            preview_credits: store
                .setting_u32(Setting::PreviewCredits, DEFAULT_PREVIEW_CREDITS)?
                .min(MAX_PREVIEW_CREDITS),
            credit_cap: money_settings::load_cap(store)?,
            price_per_credit: store
                .setting(Setting::PricePerCredit)?
                .and_then(|text| CreditPrice::parse(&text)),
            plan_known: money_settings::load_plan_known(store)?,
        })
    }

    /// Checks the values (and a proxy password change against the proxy). Errors name the setting
    /// and the fix.
    pub fn validate(&self, proxy_password: &ProxyPasswordChange) -> Result<(), SettingsError> {
        if !(1..=1_000).contains(&self.credits_per_record) {
            return Err(SettingsError(format!(
                "Credits per profile must be between 1 and 1,000; {} was given.",
                self.credits_per_record
            )));
        }
        if !(1..=DEFAULT_REQUESTS_PER_SECOND).contains(&self.requests_per_second) {
            return Err(SettingsError(format!(
                "The rate limit must be between 1 and {DEFAULT_REQUESTS_PER_SECOND} requests a second; {} was given.",
                self.requests_per_second
            )));
        }
        if !(1..=MAX_DOWNLOADS_LIMIT).contains(&self.max_downloads) {
            return Err(SettingsError(format!(
                "Downloads at once must be between 1 and {MAX_DOWNLOADS_LIMIT}; {} was given.",
                self.max_downloads
            )));
        }
        if !(1..=MAX_DOWNLOADS_LIMIT).contains(&self.batches_at_once) {
            return Err(SettingsError(format!(
                "Batches at once must be between 1 and {MAX_DOWNLOADS_LIMIT}; {} was given.",
                self.batches_at_once
            )));
        }
        if self.past_positions > MAX_PAST_POSITIONS {
            return Err(SettingsError(format!(
                "Past positions in the spreadsheet must be between 0 and {MAX_PAST_POSITIONS}; {} was given.",
                self.past_positions
            )));
        }
        validate_money(
            self.preview_credits,
            self.credit_cap,
            self.price_per_credit.as_ref(),
        )
        .map_err(SettingsError)?;
        self.validate_proxy(proxy_password)?;
        folders::check_download_root(&self.download_root).map_err(SettingsError)?;
        Ok(())
    }

    fn validate_proxy(&self, proxy_password: &ProxyPasswordChange) -> Result<(), SettingsError> {
        let proxy = self.trimmed_proxy();
        if proxy.is_empty() {
            if let ProxyPasswordChange::Set(_) = proxy_password {
                return Err(SettingsError(
                    "Enter the proxy's address before its password.".into(),
                ));
            }
            return Ok(());
        }
        let (Ok(url), Some(_)) = (url::Url::parse(proxy), ProxyIdentity::of(proxy)) else {
            return Err(SettingsError(format!(
                "The proxy {proxy:?} is not a web address. Write it like http://proxy.example.com:8080, or leave it empty to use the system's."
            )));
        };
        if url.password().is_some() {
            return Err(SettingsError(
                "Do not write the password in the proxy's address: type it in the Proxy password \
                 box, where it is kept in your computer's password keychain."
                    .into(),
            ));
        }
        if let ProxyPasswordChange::Set(password) = proxy_password {
            if password.is_empty() {
                return Err(SettingsError(
                    "The proxy password is empty. Type it, or press Remove password.".into(),
                ));
            }
            if url.username().is_empty() {
                return Err(SettingsError(
                    "A proxy password needs a user name: write it in the address, like \
                     http://name@proxy.example.com:8080."
                        .into(),
                ));
            }
        }
        Ok(())
    }

    /// The manual proxy as far as its password is concerned, or `None` when none is set.
    pub fn proxy_identity(&self) -> Option<ProxyIdentity> {
        Some(self.trimmed_proxy())
            .filter(|proxy| !proxy.is_empty())
            .and_then(ProxyIdentity::of)
    }

    fn trimmed_proxy(&self) -> &str {
        self.proxy.as_deref().map(str::trim).unwrap_or("")
    }

    /// Checks the values ([`Settings::validate`], with no password change) and writes them to the
    /// store. Errors name the setting and the fix.
    pub fn save(&self, store: &Store) -> Result<(), SettingsError> {
        self.validate(&ProxyPasswordChange::Keep)?;
        let write = |setting, value: &str| store.set_setting(setting, value);
        write(
            Setting::CreditsPerRecord,
            &self.credits_per_record.to_string(),
        )?;
        write(
            Setting::RequestsPerSecond,
            &self.requests_per_second.to_string(),
        )?;
        write(Setting::MaxDownloads, &self.max_downloads.to_string())?;
        write(Setting::BatchesAtOnce, &self.batches_at_once.to_string())?;
        write(Setting::PastPositions, &self.past_positions.to_string())?;
        write(
            Setting::ExportAfterDownload,
            if self.export_after_download { "1" } else { "0" },
        )?;
        // Written by older versions (when the webview could set it); never read any more.
        store.clear_setting(Setting::ApiBase)?;
        write(Setting::DownloadRoot, &self.download_root.to_string_lossy())?;
        write(Setting::Proxy, self.trimmed_proxy())?;
        write(Setting::Theme, self.theme.as_str())?;
        write(
            Setting::CheckForUpdates,
            if self.check_for_updates { "1" } else { "0" },
        )?;
        write(Setting::PreviewCredits, &self.preview_credits.to_string())?;
        match self.credit_cap {
            Some(cap) => write(Setting::CreditCap, &cap.to_string())?,
            None => write(Setting::CreditCap, money_settings::NO_CAP)?,
        }
        match &self.price_per_credit {
            Some(price) => write(Setting::PricePerCredit, &price.to_text())?,
            None => store.clear_setting(Setting::PricePerCredit)?,
        }
        if self.plan_known {
            write(Setting::CreditsPlanKnown, "1")?;
        }
        Ok(())
    }

    /// The manual proxy's address with `password` added to its credentials, for the HTTP client;
    /// `None` when no manual proxy is set. Never stored, logged or sent to the webview.
    pub fn proxy_url(&self, password: Option<&ProxyPassword>) -> Option<String> {
        let proxy = Some(self.trimmed_proxy()).filter(|proxy| !proxy.is_empty())?;
        let Some(password) = password.filter(|password| !password.is_empty()) else {
            return Some(proxy.to_owned());
        };
        let Ok(mut url) = url::Url::parse(proxy) else {
            // The client reports an unusable proxy address itself.
            return Some(proxy.to_owned());
        };
        match url.set_password(Some(password.expose())) {
            Ok(()) => Some(url.into()),
            Err(()) => Some(proxy.to_owned()),
        }
    }

    /// Engine options for `mode` against `api_base` (Live: [`live_api_base`]; Practice: the
    /// simulator's), through the manual proxy with `proxy_password` if one is set.
    pub fn engine_options(
        &self,
        mode: Mode,
        api_base: &str,
        proxy_password: Option<&ProxyPassword>,
    ) -> EngineOptions {
        EngineOptions {
            mode,
            api: ApiConfig {
                base_url: api_base.to_owned(),
                proxy: self.proxy_url(proxy_password),
                ..ApiConfig::default()
            },
            download_root: self.download_root.clone(),
            credits_per_record: self.credits_per_record,
            credits_assumed: mode == Mode::Live && !self.plan_known,
            preview_credits: self.preview_credits,
            credit_cap: self.credit_cap,
            poll: crate::test_seams::poll_schedule(PollSchedule::default()),
            max_downloads: self.max_downloads as usize,
            batches_at_once: self.batches_at_once as usize,
            past_positions: self.past_positions as usize,
            export_after_download: self.export_after_download,
            requests_per_second: self.requests_per_second,
            owner_label: "the Bulk Collect app".into(),
        }
    }
}

/// What to do with the saved proxy password when settings are saved.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Eq, Deserialize, Default)]
#[ts(export)]
#[serde(rename_all = "snake_case")]
pub enum ProxyPasswordChange {
    /// Leave it as it is (the password box was left empty).
    #[default]
    Keep,
    /// Save this password in the keychain, replacing any saved one.
    Set(#[ts(type = "string")] ProxyPassword),
    /// Delete it from the keychain.
    Remove,
}

/// A setting that cannot be saved, in plain words.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct SettingsError(String);

impl From<crate::store::StoreError> for SettingsError {
    fn from(error: crate::store::StoreError) -> Self {
        Self(error.to_string())
    }
}

impl crate::error::Coded for SettingsError {
    fn code(&self) -> crate::ErrorCode {
        crate::ErrorCode::InvalidInput
    }
}

#[path = "settings_money.rs"]
mod money_settings;
pub use money_settings::MoneyChange;

#[path = "settings_folders.rs"]
mod folders;
pub use folders::{default_download_root, DOWNLOAD_ROOT_ENV};

#[cfg(test)]
#[path = "settings_tests/mod.rs"]
mod tests;
