//! A desktop session: the data folder, the store, the chosen mode and its running engine, and the
//! lists opened but not yet submitted. The app shell only adapts this to IPC.

mod lists;
mod team;

pub use lists::{ListOpened, ListPick};
pub use team::{TeamPasswordChange, TeamSection};

use std::collections::HashSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use serde::Serialize;
use tokio::sync::watch;

use crate::api::{ApiClient, ApiConfig, RateLimiter};
use crate::consent::{Consent, ConsentToken, Consents};
use crate::error::{Coded, ErrorCode};
use crate::jobs::{Engine, Mode};
use crate::secrets::{ApiKey, Keychain, ProxyPassword, SecretStore};
use crate::settings::{MoneyChange, ProxyPasswordChange, Settings};
use crate::store::{Setting, Store};
use crate::UserError;

/// A query that matches everything: checking a key or a connection with the free search call.
const MATCH_ALL: &str = r#"{"query": {"match_all": {}}}"#;

/// Where the app stands, for the UI.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[ts(export)]
pub struct AppState {
    /// The app's version.
    pub version: String,
    /// The active mode; `None` on first run (the UI offers the two choices).
    pub mode: Option<Mode>,
    /// A safe hint of the stored key, e.g. `••••a1b2`.
    pub key_hint: Option<String>,
    /// Whether a proxy password is saved in the keychain for the proxy set now (the password itself
    /// never leaves Rust).
    pub proxy_password_set: bool,
    /// The service rejected the key: polling is paused until it is replaced.
    pub key_rejected: bool,
    /// The latest balance the service reported in this mode.
    #[ts(type = "number | null")]
    pub balance: Option<i64>,
    /// The data folder (database, practice files).
    pub data_dir: String,
    /// The settings, defaults filled in. The service address is not among them.
    pub settings: Settings,
}

/// The answer to *Test connection*.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[ts(export)]
pub struct ConnectionCheck {
    /// The service answered with the current key and proxy.
    pub ok: bool,
    /// What happened, in plain words.
    pub message: String,
    /// The balance the service reported.
    #[ts(type = "number | null")]
    pub balance: Option<i64>,
}

/// Errors of the session itself.
#[derive(Debug, thiserror::Error)]
pub enum SessionError {
    /// No mode is active yet.
    #[error("Choose Practice mode or enter your Coresignal API key first.")]
    NoMode,
    /// No stored key for Live mode.
    #[error("No API key is stored. Paste your Coresignal API key in Settings.")]
    NoKey,
    /// A pick that is gone (already submitted, or from before a restart).
    #[error("That file is no longer selected. Choose it again.")]
    NoSuchPick,
}

impl Coded for SessionError {
    fn code(&self) -> ErrorCode {
        match self {
            SessionError::NoMode => ErrorCode::InvalidState,
            SessionError::NoKey => ErrorCode::KeyMissing,
            SessionError::NoSuchPick => ErrorCode::NotFound,
        }
    }
}

struct Active {
    mode: Mode,
    engine: Arc<Engine>,
    stop: watch::Sender<bool>,
}

/// The session. One per app; share it in the app's state.
pub struct Session {
    data_dir: PathBuf,
    store: Store,
    secrets: Keychain,
    active: Mutex<Option<Active>>,
    /// The modes whose jobs this process has recovered: recovery runs once per process start.
    recovered: Mutex<HashSet<Mode>>,
    /// A person's yes to loosening the money settings, given outside the webview.
    consents: Consents,
    /// Lists opened or pasted, waiting for their column to be chosen.
    lists: lists::OpenLists,
}

impl Session {
    /// Opens the data folder's database. `secrets` is the OS keychain in the app; it is only ever
    /// called off the async threads, under a time limit ([`Keychain`]).
    pub fn open(data_dir: &Path, secrets: Arc<dyn SecretStore>) -> Result<Self, UserError> {
        let store = Store::open(&Store::default_path(data_dir))?;
        Ok(Self {
            data_dir: data_dir.to_path_buf(),
            store,
            secrets: Keychain::new(secrets),
            active: Mutex::new(None),
            recovered: Mutex::new(HashSet::new()),
            consents: Consents::default(),
            lists: lists::OpenLists::default(),
        })
    }

    /// The database (saved searches live here, shared by both modes).
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// The data folder.
    pub fn data_dir(&self) -> &Path {
        &self.data_dir
    }

    /// The settings with their defaults.
    pub fn settings(&self) -> Result<Settings, UserError> {
        Ok(Settings::load(&self.store, &self.data_dir)?)
    }

    /// The mode chosen last time, if any (the app resumes it at start).
    pub fn saved_mode(&self) -> Result<Option<Mode>, UserError> {
        Ok(self
            .store
            .setting(Setting::Mode)?
            .as_deref()
            .and_then(Mode::parse))
    }

    /// The stored key, if any (from the keychain, off the async threads, under a time limit).
    pub async fn stored_key(&self) -> Result<Option<ApiKey>, UserError> {
        Ok(self.secrets.api_key().await?)
    }

    /// The proxy password the client needs with `settings`: read from the keychain only when a
    /// manual proxy is set, so that a locked keychain never stops a computer without one.
    async fn proxy_password_for(
        &self,
        settings: &Settings,
    ) -> Result<Option<ProxyPassword>, UserError> {
        match settings.proxy_identity() {
            Some(proxy) => Ok(self.secrets.proxy_password(&proxy).await?),
            None => Ok(None),
        }
    }

    /// The running engine.
    pub fn engine(&self) -> Result<Arc<Engine>, UserError> {
        lock(&self.active)
            .as_ref()
            .map(|active| Arc::clone(&active.engine))
            .ok_or_else(|| SessionError::NoMode.into())
    }

    /// The active mode.
    pub fn mode(&self) -> Option<Mode> {
        lock(&self.active).as_ref().map(|active| active.mode)
    }

    /// Starts `mode` against `api_base` with `key`: shuts the previous engine down (its downloads
    /// stop, their `.part` files stay), recovers the new mode's jobs the first time this process
    /// starts that mode (a restart resumes them), calls
    /// `before_start` (to subscribe to the engine's updates before the first one can happen) and
    /// starts its scheduler. Must run inside tokio.
    pub async fn activate(
        &self,
        mode: Mode,
        api_base: &str,
        key: ApiKey,
        before_start: impl FnOnce(&Arc<Engine>),
    ) -> Result<Arc<Engine>, UserError> {
        let settings = self.settings()?;
        let limiter = RateLimiter::new(settings.requests_per_second);
        let proxy_password = self.proxy_password_for(&settings).await?;
        let options = app_options(settings.engine_options(mode, api_base, proxy_password.as_ref()));
        let engine = Engine::new(self.store.clone(), options, Some(key), limiter)?;
        let previous = lock(&self.active).take();
        if let Some(previous) = previous {
            previous.stop.send_replace(true);
            previous.engine.shut_down().await;
        }
        if lock(&self.recovered).insert(mode) {
            engine.recover()?;
        }
        before_start(&engine);
        self.link_engine(&engine).await;
        let (stop, stopped) = watch::channel(false);
        tokio::spawn(Arc::clone(&engine).run(stopped));
        self.store.set_setting(Setting::Mode, mode.as_str())?;
        *lock(&self.active) = Some(Active {
            mode,
            engine: Arc::clone(&engine),
            stop,
        });
        Ok(engine)
    }

    /// Stops the active engine and forgets the chosen mode (back to the first-run choice).
    pub async fn deactivate(&self) -> Result<(), UserError> {
        let previous = lock(&self.active).take();
        if let Some(previous) = previous {
            previous.stop.send_replace(true);
            previous.engine.shut_down().await;
        }
        Ok(self.store.clear_setting(Setting::Mode)?)
    }

    /// Checks a key with the free search call against `api_base`; returns the balance it reported.
    pub async fn verify_key(&self, key: &ApiKey, api_base: &str) -> Result<Option<i64>, UserError> {
        if key.is_empty() {
            return Err(UserError::new(
                ErrorCode::InvalidInput,
                "The key is empty. Paste your Coresignal API key.",
            ));
        }
        let settings = self.settings()?;
        let proxy_password = self.proxy_password_for(&settings).await?;
        let config = ApiConfig {
            base_url: api_base.to_owned(),
            proxy: settings.proxy_url(proxy_password.as_ref()),
            ..ApiConfig::default()
        };
        let client = ApiClient::new(
            config,
            key.clone(),
            RateLimiter::new(settings.requests_per_second),
        )?;
        let query = crate::query::parse_query(MATCH_ALL)?;
        let estimate = client.estimate(&query.body).await?;
        Ok(estimate.credits_remaining)
    }

    /// Asks the active mode's service the free match-all search: does it answer with the current
    /// key and proxy?
    pub async fn test_connection(&self) -> Result<ConnectionCheck, UserError> {
        let engine = self.engine()?;
        let query = crate::query::parse_query(MATCH_ALL)?;
        Ok(match engine.count_matches(&query).await {
            Ok((_, balance)) => ConnectionCheck {
                ok: true,
                message: match engine.mode() {
                    Mode::Live => "Coresignal answered: the key and the connection work.".into(),
                    Mode::Practice => "The practice simulator answered.".into(),
                },
                balance,
            },
            Err(error) => ConnectionCheck {
                ok: false,
                message: error.user_message(),
                balance: None,
            },
        })
    }

    /// Stores a key in the keychain (after [`Session::verify_key`]).
    pub async fn store_key(&self, key: &ApiKey) -> Result<(), UserError> {
        Ok(self.secrets.save_api_key(key).await?)
    }

    /// Removes the key from the keychain; leaves Live mode if it is active.
    pub async fn remove_key(&self) -> Result<(), UserError> {
        self.secrets.delete_api_key().await?;
        if self.mode() == Some(Mode::Live) {
            self.deactivate().await?;
        }
        Ok(())
    }

    /// Saves settings and applies `proxy_password` to the keychain (nothing is written unless
    /// every value is valid); the running engine picks them up when the mode is activated again.
    /// A password is saved for the proxy it was typed with: when the proxy's scheme, host, port or
    /// user changes, or the proxy is removed, the saved password is forgotten.
    /// Settings that loosen a money guard are refused here: see [`Session::save_settings_confirmed`].
    pub async fn save_settings(
        &self,
        settings: &Settings,
        proxy_password: &ProxyPasswordChange,
    ) -> Result<(), UserError> {
        self.save_settings_confirmed(settings, proxy_password, None)
            .await
    }

    /// The loosening of a money guard that saving `settings` would make ([`MoneyChange`]), if any:
    /// a front end asks the person outside the webview, then records the yes in
    /// [`Session::consents`] for [`Consent::MoneySettings`] with its key.
    pub fn money_change(&self, settings: &Settings) -> Result<Option<MoneyChange>, UserError> {
        Ok(settings.money_loosened_from(&self.settings()?))
    }

    /// Where a front end records a person's yes to a money change (see [`crate::consent`]).
    pub fn consents(&self) -> &Consents {
        &self.consents
    }

    /// [`Session::save_settings`] with `consent`: a change that loosens a money guard (a higher
    /// limit per request or none, a lower price per profile) is saved only with a person's yes to
    /// exactly that change; otherwise `ConfirmationNeeded`, and nothing is written.
    pub async fn save_settings_confirmed(
        &self,
        settings: &Settings,
        proxy_password: &ProxyPasswordChange,
        consent: Option<&ConsentToken>,
    ) -> Result<(), UserError> {
        settings.validate(proxy_password)?;
        let before_settings = self.settings()?;
        if let Some(change) = settings.money_loosened_from(&before_settings) {
            self.consents
                .take(
                    consent,
                    &Consent::MoneySettings { change: change.key },
                    &change.question,
                )
                .map_err(|error| {
                    UserError::new(ErrorCode::ConfirmationNeeded, error.to_string())
                })?;
        }
        let settings = settings.with_plan_from(&before_settings);
        let before = before_settings.proxy_identity();
        let after = settings.proxy_identity();
        match (proxy_password, &after) {
            (ProxyPasswordChange::Set(password), Some(proxy)) => {
                self.secrets.save_proxy_password(proxy, password).await?;
            }
            (ProxyPasswordChange::Keep, _) if before.is_none() || before == after => {}
            // Removed, a new proxy with the old password kept, or (refused by `validate`) a
            // password without a proxy: nothing saved may follow the address.
            _ => self.secrets.delete_proxy_password().await?,
        }
        Ok(settings.save(&self.store)?)
    }

    /// Where the app stands, for the UI: never a secret, only whether one is saved. A keychain
    /// that is locked or does not answer shows as nothing saved (the key screen says what is
    /// wrong when it is used) instead of hiding the app.
    pub async fn state(&self) -> Result<AppState, UserError> {
        let settings = self.settings()?;
        let proxy_password = async {
            match settings.proxy_identity() {
                Some(proxy) => self.secrets.proxy_password(&proxy).await,
                None => Ok(None),
            }
        };
        let (key, proxy_password) = tokio::join!(self.secrets.api_key(), proxy_password);
        let key_hint = match key {
            Ok(key) => key.map(|key| key.hint()),
            Err(error) if error.code() == ErrorCode::KeychainUnavailable => None,
            Err(error) => return Err(error.into()),
        };
        // Unreadable or unreachable: shown as not saved; typing it again replaces it.
        let proxy_password_set = proxy_password.is_ok_and(|password| password.is_some());
        let engine = self.engine().ok();
        Ok(AppState {
            version: env!("CARGO_PKG_VERSION").to_owned(),
            mode: self.mode(),
            key_hint,
            proxy_password_set,
            key_rejected: engine.as_ref().is_some_and(|engine| engine.key_rejected()),
            balance: match &engine {
                Some(engine) => engine.last_balance()?,
                None => None,
            },
            data_dir: self.data_dir.display().to_string(),
            settings,
        })
    }

    /// Applies the saved settings to the running engine, without restarting it: nothing in flight
    /// is interrupted, and no job is recovered again.
    pub async fn apply_settings(&self) -> Result<(), UserError> {
        let Ok(engine) = self.engine() else {
            return Ok(());
        };
        let current = engine.options();
        let settings = self.settings()?;
        let proxy_password = self.proxy_password_for(&settings).await?;
        let options = app_options(settings.engine_options(
            current.mode,
            &current.api.base_url,
            proxy_password.as_ref(),
        ));
        Ok(engine.apply(options)?)
    }
}

/// The app's options: in Practice mode previews are free, because the app's own simulator charges
/// nothing for them (the command line, which may face any simulator, keeps the plan's figure).
fn app_options(mut options: crate::jobs::EngineOptions) -> crate::jobs::EngineOptions {
    if options.mode == Mode::Practice {
        options.preview_credits = 0;
    }
    options
}

// The session's locks guard plain in-memory data; a panic elsewhere cannot leave it inconsistent,
// so a poisoned lock is still safe to use.
fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod proxy_tests;
