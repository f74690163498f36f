//! Engine updates to the webview (`job-update` events) and to the desktop (notifications).

use std::sync::Arc;

use collect_core::jobs::{Engine, JobState, JobUpdate};
use tauri::{AppHandle, Emitter};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::broadcast::error::RecvError;

/// The event name the UI listens to (`onJobUpdate` in `ui/src/lib/backend`).
pub const JOB_UPDATE: &str = "job-update";

/// Forwards `engine`'s updates until the engine is dropped (a mode change stops it).
pub fn forward(app: &AppHandle, engine: &Arc<Engine>) {
    let mut updates = engine.subscribe();
    // Only a weak handle: the forwarder must not keep a stopped engine alive.
    let weak = Arc::downgrade(engine);
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            match updates.recv().await {
                Ok(update) => {
                    if let Err(error) = app.emit(JOB_UPDATE, &update) {
                        tracing::warn!("could not send an update to the window: {error}");
                    }
                    if let (
                        JobUpdate::State {
                            job,
                            state,
                            batch_of: None,
                        },
                        Some(engine),
                    ) = (&update, weak.upgrade())
                    {
                        notify(&app, &engine, *job, *state);
                    }
                }
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return,
            }
        }
    });
}

/// A desktop notification when a job is done or needs the user.
fn notify(app: &AppHandle, engine: &Engine, job: i64, state: JobState) {
    let title = match state {
        JobState::Downloaded => "Files ready",
        JobState::Failed
        | JobState::NoResults
        | JobState::TooManyMatches
        | JobState::InsufficientCredits
        | JobState::Expired
        | JobState::Uncertain => "A collection needs your attention",
        _ => return,
    };
    let Ok(row) = engine.job(job) else {
        return;
    };
    let body = format!(
        "{}: {}",
        row.name,
        row.state_reason.as_deref().unwrap_or(state.describe())
    );
    // No notification service (e.g. a bare X server) is not a problem: the in-app toast remains.
    if let Err(error) = app.notification().builder().title(title).body(body).show() {
        tracing::info!("no desktop notification: {error}");
    }
}
