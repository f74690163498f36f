//! The app's managed state: the core session, the Practice simulator when it runs, and the events
//! wiring for the active engine.

use collect_core::jobs::Mode;
use collect_core::secrets::ApiKey;
use collect_core::session::{AppState, Session};
use collect_core::settings::live_api_base_for_saved_key;
use collect_core::{ErrorCode, UserError};
use tauri::AppHandle;
use tokio::sync::{watch, Mutex};

use crate::{events, practice};

/// Whether the key saved in the keychain may go to the simulator on this computer: only in debug
/// builds, which the end-to-end tests run against the simulator as if it were Coresignal. A
/// release build sends it to Coresignal's own service and nowhere else.
const SIMULATOR_MAY_HAVE_THE_KEY: bool = cfg!(debug_assertions);

/// Shared by every command.
pub struct Shell {
    /// The core session.
    pub session: Session,
    /// The app, for events and notifications.
    pub app: AppHandle,
    /// Serialises mode changes; holds the Practice simulator while it runs.
    practice: Mutex<Option<practice::Practice>>,
    /// True once the start-up [`Shell::resume`] has finished (whatever its outcome).
    resumed: watch::Sender<bool>,
    /// How far the start-up import of earlier downloads into the people library has come.
    pub library_import: crate::library::ImportStatus,
}

impl Shell {
    /// Wraps a session.
    pub fn new(session: Session, app: AppHandle) -> Self {
        Self {
            session,
            app,
            practice: Mutex::new(None),
            resumed: watch::Sender::new(false),
            library_import: crate::library::ImportStatus::default(),
        }
    }

    /// Waits for the start-up resume, so that the UI never sees a first-run state that is about
    /// to change.
    pub async fn ready(&self) {
        let mut resumed = self.resumed.subscribe();
        // An error means the sender is gone, which cannot happen while `self` lives.
        let _ = resumed.wait_for(|done| *done).await;
    }

    /// At start: re-enters the mode chosen last time, so unfinished jobs resume.
    pub async fn resume(&self) {
        self.resume_saved_mode().await;
        self.resumed.send_replace(true);
    }

    async fn resume_saved_mode(&self) {
        let mode = match self.session.saved_mode() {
            Ok(Some(mode)) => mode,
            Ok(None) => return,
            Err(error) => {
                tracing::warn!("could not read the saved mode: {}", error.message);
                return;
            }
        };
        if let Err(error) = self.enter(mode).await {
            tracing::warn!("could not resume {} mode: {}", mode.as_str(), error.message);
        }
    }

    /// Enters `mode`: Practice starts the simulator on loopback; Live needs a stored key.
    pub async fn enter(&self, mode: Mode) -> Result<AppState, UserError> {
        let mut practice = self.practice.lock().await;
        match mode {
            Mode::Practice => {
                if practice.is_none() {
                    *practice = Some(practice::Practice::start(self.session.data_dir()).await?);
                }
                let running = practice.as_ref().ok_or_else(|| {
                    UserError::new(ErrorCode::Internal, "the practice simulator did not start")
                })?;
                self.session
                    .activate(
                        Mode::Practice,
                        &running.api_base(),
                        running.key(),
                        |engine| events::forward(&self.app, engine),
                    )
                    .await?;
            }
            Mode::Live => {
                let key = self.session.stored_key().await?.ok_or_else(|| {
                    UserError::new(
                        ErrorCode::KeyMissing,
                        "No API key is stored. Paste your Coresignal API key and press Verify.",
                    )
                })?;
                let base = live_api_base_for_saved_key(SIMULATOR_MAY_HAVE_THE_KEY)?;
                self.session
                    .activate(Mode::Live, &base, key, |engine| {
                        events::forward(&self.app, engine)
                    })
                    .await?;
                if let Some(stopped) = practice.take() {
                    stopped.stop().await;
                }
            }
        }
        self.session.state().await
    }

    /// Verifies `key` with the service, stores it in the keychain and enters Live mode.
    pub async fn use_key(&self, key: String) -> Result<AppState, UserError> {
        let key = ApiKey::new(key);
        let base = live_api_base_for_saved_key(SIMULATOR_MAY_HAVE_THE_KEY)?;
        self.session.verify_key(&key, &base).await?;
        self.session.store_key(&key).await?;
        self.enter(Mode::Live).await
    }
}
