//! Engine updates to the webview (`job-update` events) and to the desktop (notifications).

use std::sync::Arc;

use collect_core::jobs::{Engine, Notice, Notices};
use tauri::{AppHandle, Emitter};
use tauri_plugin_notification::NotificationExt;
use tokio::sync::broadcast::error::RecvError;

/// The event name the UI listens to (`onJobUpdate` in `ui/src/lib/backend`).
pub const JOB_UPDATE: &str = "job-update";

/// Forwards `engine`'s updates until the engine is dropped (a mode change stops it); a
/// collection that is ready or needs the person is also told on the desktop, once (see
/// [`Notices`]).
pub fn forward(app: &AppHandle, engine: &Arc<Engine>) {
    let mut updates = engine.subscribe();
    // Only a weak handle: the forwarder must not keep a stopped engine alive.
    let weak = Arc::downgrade(engine);
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let mut notices = Notices::default();
        loop {
            match updates.recv().await {
                Ok(update) => {
                    if let Err(error) = app.emit(JOB_UPDATE, &update) {
                        tracing::warn!("could not send an update to the window: {error}");
                    }
                    if let (Some((job, notice)), Some(engine)) =
                        (notices.decide(&update), weak.upgrade())
                    {
                        notify(&app, &engine, job, notice);
                    }
                }
                Err(RecvError::Lagged(_)) => continue,
                Err(RecvError::Closed) => return,
            }
        }
    });
}

/// A desktop notification that collection (or job) `job` is ready or needs the person.
fn notify(app: &AppHandle, engine: &Engine, job: i64, notice: Notice) {
    // The detail's job is as a person sees it (a collection's state worked out from its batches).
    let Ok(row) = engine.detail(job).map(|detail| detail.job) else {
        return;
    };
    let body = notice.body(&row);
    // No notification service (e.g. a bare X server) is not a problem: the in-app toast remains.
    if let Err(error) = app
        .notification()
        .builder()
        .title(notice.title())
        .body(body)
        .show()
    {
        tracing::info!("no desktop notification: {error}");
    }
}
