//! The user's settings, read from the store with their defaults, and turned into engine options.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use crate::api::{ApiConfig, DEFAULT_BASE_URL, DEFAULT_REQUESTS_PER_SECOND};
use crate::jobs::{EngineOptions, Mode, PollSchedule};
use crate::store::{Setting, Store, StoreResult};

/// Credits one delivered profile costs when the user has not said otherwise (the product page's figure).
pub const DEFAULT_CREDITS_PER_RECORD: u32 = 1;

/// Settings as the app uses them, defaults filled in.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
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
        })
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
        }
    }
}

/// `<Downloads>/Bulk Collect`, or `<data dir>/downloads` where the OS has no Downloads folder.
pub fn default_download_root(data_dir: &std::path::Path) -> PathBuf {
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
