//! The user's settings, read from the store with their defaults, and turned into engine options.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::api::{ApiConfig, DEFAULT_BASE_URL, DEFAULT_REQUESTS_PER_SECOND};
use crate::jobs::{EngineOptions, Mode, PollSchedule};
use crate::store::{Setting, Store, StoreResult};

/// Credits one delivered profile costs when the user has not said otherwise (the product page's figure).
pub const DEFAULT_CREDITS_PER_RECORD: u32 = 1;

/// Settings as the app uses them, defaults filled in.
#[derive(ts_rs::TS, Debug, Clone, PartialEq, Serialize, Deserialize)]
#[ts(export)]
pub struct Settings {
    /// Credits per delivered profile.
    pub credits_per_record: u32,
    /// Requests per second per endpoint.
    pub requests_per_second: u32,
    /// The service's base URL for live mode.
    pub api_base: String,
    /// Each job gets a folder under this one.
    pub download_root: PathBuf,
    /// A manual proxy URL; `None` uses the system's.
    pub proxy: Option<String>,
    /// Light, dark, or following the OS.
    pub theme: Theme,
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
            api_base: store
                .setting(Setting::ApiBase)?
                .unwrap_or_else(|| DEFAULT_BASE_URL.to_owned()),
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
        })
    }

    /// Checks the values and writes them to the store. Errors name the setting and the fix.
    pub fn save(&self, store: &Store) -> Result<(), SettingsError> {
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
        let proxy = self.proxy.as_deref().map(str::trim).unwrap_or("");
        if !proxy.is_empty() && url::Url::parse(proxy).is_err() {
            return Err(SettingsError(format!(
                "The proxy {proxy:?} is not a web address. Write it like http://proxy.example.com:8080, or leave it empty to use the system's."
            )));
        }
        if self.download_root.as_os_str().is_empty() {
            return Err(SettingsError("Choose a download folder.".into()));
        }
        let write = |setting, value: &str| store.set_setting(setting, value);
        write(
            Setting::CreditsPerRecord,
            &self.credits_per_record.to_string(),
        )?;
        write(
            Setting::RequestsPerSecond,
            &self.requests_per_second.to_string(),
        )?;
        write(Setting::ApiBase, self.api_base.trim())?;
        write(Setting::DownloadRoot, &self.download_root.to_string_lossy())?;
        write(Setting::Proxy, proxy)?;
        write(Setting::Theme, self.theme.as_str())?;
        Ok(())
    }

    /// Engine options for `mode`; `api_base` overrides the stored base (Practice passes the simulator's).
    pub fn engine_options(&self, mode: Mode, api_base: Option<&str>) -> EngineOptions {
        EngineOptions {
            mode,
            api: ApiConfig {
                base_url: api_base.unwrap_or(&self.api_base).to_owned(),
                proxy: self.proxy.clone(),
                ..ApiConfig::default()
            },
            download_root: self.download_root.clone(),
            credits_per_record: self.credits_per_record,
            poll: PollSchedule::default(),
            max_downloads: 3,
            requests_per_second: self.requests_per_second,
            owner_label: "the Bulk Collect app".into(),
        }
    }
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

/// Environment variable: the default download folder (for automation and tests; the user's choice in
/// Settings still wins).
pub const DOWNLOAD_ROOT_ENV: &str = "BULK_COLLECT_DOWNLOAD_DIR";

/// `$BULK_COLLECT_DOWNLOAD_DIR`, else `<Downloads>/Bulk Collect`, else `<data dir>/downloads` where
/// the OS has no Downloads folder.
pub fn default_download_root(data_dir: &std::path::Path) -> PathBuf {
    if let Some(dir) = std::env::var_os(DOWNLOAD_ROOT_ENV).filter(|dir| !dir.is_empty()) {
        return PathBuf::from(dir);
    }
    directories::UserDirs::new()
        .and_then(|dirs| dirs.download_dir().map(|dir| dir.join("Bulk Collect")))
        .unwrap_or_else(|| data_dir.join("downloads"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_apply_until_set() {
        let store = Store::open_in_memory().unwrap();
        let data = PathBuf::from("/tmp/data");
        let settings = Settings::load(&store, &data).unwrap();
        assert_eq!(settings.credits_per_record, 1);
        assert_eq!(settings.requests_per_second, 27);
        assert_eq!(settings.api_base, DEFAULT_BASE_URL);
        assert_eq!(settings.proxy, None);

        store.set_setting(Setting::CreditsPerRecord, "10").unwrap();
        store
            .set_setting(Setting::RequestsPerSecond, "500")
            .unwrap();
        store
            .set_setting(Setting::DownloadRoot, "/data/out")
            .unwrap();
        let settings = Settings::load(&store, &data).unwrap();
        assert_eq!(settings.credits_per_record, 10);
        assert_eq!(
            settings.requests_per_second, 27,
            "never above the service's limit"
        );
        assert_eq!(settings.download_root, PathBuf::from("/data/out"));
    }
}
