//! Opens what every command needs: the data folder, the store, the settings, the key, the engine.

use std::sync::Arc;

use collect_core::api::{saved_key_use, RateLimiter, SavedKeyUse, DEFAULT_BASE_URL, SIMULATOR_KEY};
use collect_core::jobs::{Engine, Mode};
use collect_core::secrets::{ApiKey, KeyringStore, ProxyPassword, SecretStore};
use collect_core::settings::Settings;
use collect_core::store::{default_data_dir, Store};
use collect_core::team::{TeamAddress, TeamLink, TeamSettings};
use collect_core::{ErrorCode, UserError};

use crate::Cli;

/// The environment variable that carries a proxy password for automation instead of the keychain.
pub const PROXY_PASSWORD_ENV: &str = "BULK_COLLECT_PROXY_PASSWORD";

/// The environment variable of the team library's password (libpq's own).
pub const TEAM_PASSWORD_ENV: &str = "PGPASSWORD";

/// The environment variable of the name colleagues see (default: the saved name, else the user).
pub const TEAM_NAME_ENV: &str = "BULK_COLLECT_TEAM_NAME";

/// The environment variable that carries the key for automation (CI, scripts) instead of the keychain.
pub const KEY_ENV: &str = "BULK_COLLECT_API_KEY";

/// Everything a command works with.
pub struct Context {
    /// The job history.
    pub store: Store,
    /// The user's settings, defaults filled in.
    pub settings: Settings,
    /// Practice (simulator on loopback) or Live.
    pub mode: Mode,
    api_base: String,
    team_db: Option<String>,
}

impl Context {
    /// Opens the data folder and the store named by the options.
    pub fn open(cli: &Cli) -> Result<Self, UserError> {
        let data_dir = match &cli.data_dir {
            Some(dir) => dir.clone(),
            None => default_data_dir().ok_or_else(|| {
                UserError::new(
                    ErrorCode::Io,
                    "This computer has no app-data folder for Bulk Collect. Pass --data-dir DIR.",
                )
            })?,
        };
        let store = Store::open(&Store::default_path(&data_dir))?;
        let settings = Settings::load(&store, &data_dir)?;
        let api_base = cli
            .api_base
            .clone()
            .unwrap_or_else(collect_core::settings::live_api_base);
        Ok(Self {
            mode: Mode::for_api_base(&api_base),
            store,
            settings,
            api_base,
            team_db: cli.team_db.clone().filter(|url| !url.trim().is_empty()),
        })
    }

    /// The key: from `BULK_COLLECT_API_KEY` if set; else, for Coresignal's own service, the one
    /// saved in the OS keychain; for the simulator on this computer, the simulator's own key (the
    /// saved key is a live one and never goes to another address).
    pub fn key(&self) -> Result<ApiKey, UserError> {
        if let Ok(key) = std::env::var(KEY_ENV) {
            if !key.trim().is_empty() {
                return Ok(ApiKey::new(key));
            }
        }
        match saved_key_use(&self.api_base) {
            SavedKeyUse::Keychain => KeyringStore::new().load()?.ok_or_else(|| {
                UserError::new(
                    ErrorCode::KeyMissing,
                    "No API key is stored. Run `bulk-collect-cli key set` and paste your Coresignal key, or set BULK_COLLECT_API_KEY.",
                )
            }),
            SavedKeyUse::Simulator => Ok(ApiKey::new(SIMULATOR_KEY)),
            SavedKeyUse::Refused => Err(UserError::new(
                ErrorCode::KeyMissing,
                format!(
                    "The key saved in your keychain is only ever sent to Coresignal ({DEFAULT_BASE_URL}), not to {}. To call that address, give its key in BULK_COLLECT_API_KEY.",
                    self.api_base
                ),
            )),
        }
    }

    /// The engine for this mode, with the key, after the recovery pass this process runs once
    /// (it leaves alone the jobs another process, such as the open app, is working on).
    pub fn engine(&self) -> Result<Arc<Engine>, UserError> {
        let engine = self.build(Some(self.key()?))?;
        engine.recover()?;
        if let Some(team) = self.team()? {
            engine.set_team(Some(team));
        }
        Ok(engine)
    }

    /// The team library of `--team-db` (or `BULK_COLLECT_TEAM_DB`), with the password from
    /// `PGPASSWORD`; `None` without one. Only Live collections use it.
    pub fn team(&self) -> Result<Option<TeamLink>, UserError> {
        let Some(url) = &self.team_db else {
            return Ok(None);
        };
        let address = TeamAddress::parse(url)?;
        let password = std::env::var(TEAM_PASSWORD_ENV)
            .ok()
            .filter(|password| !password.is_empty());
        let name = std::env::var(TEAM_NAME_ENV)
            .ok()
            .filter(|name| !name.trim().is_empty())
            .or_else(|| TeamSettings::load(&self.store).ok().map(|saved| saved.name))
            .unwrap_or_default();
        Ok(Some(TeamLink::new(address, password, name)))
    }

    /// An engine without a key, for reading the history (no call to the service).
    pub fn reader(&self) -> Result<Arc<Engine>, UserError> {
        self.build(None)
    }

    /// The proxy password, when a proxy is set and the service is called in Live mode: from
    /// `BULK_COLLECT_PROXY_PASSWORD` if set (automation), else from the OS keychain (where the app
    /// stores it with the proxy it belongs to).
    fn proxy_password(&self) -> Result<Option<ProxyPassword>, UserError> {
        let Some(proxy) = self.settings.proxy_identity() else {
            return Ok(None);
        };
        if self.mode != Mode::Live {
            return Ok(None);
        }
        if let Ok(password) = std::env::var(PROXY_PASSWORD_ENV) {
            if !password.is_empty() {
                return Ok(Some(ProxyPassword::new(password)));
            }
        }
        // Only the password saved for this very proxy (scheme, host, port and user).
        Ok(KeyringStore::new().load_proxy_password(&proxy)?)
    }

    fn build(&self, key: Option<ApiKey>) -> Result<Arc<Engine>, UserError> {
        let limiter = RateLimiter::new(self.settings.requests_per_second);
        let mut options = self.settings.engine_options(
            self.mode,
            &self.api_base,
            // Only an engine that calls the service needs it (reading the history does not).
            match key {
                Some(_) => self.proxy_password()?,
                None => None,
            }
            .as_ref(),
        );
        options.owner_label = "bulk-collect-cli".into();
        Ok(Engine::new(self.store.clone(), options, key, limiter)?)
    }
}
