//! The import of earlier downloads into the people library, once at start-up: run off the async
//! workers (the window never waits for it), its progress kept for `library_import_status` and sent
//! as `library-import` events. A failure is logged; the People screen works either way.

use std::sync::{Arc, Mutex, PoisonError};

use collect_core::library::{ImportProgress, Library};
use tauri::Emitter;

use crate::shell::Shell;

/// The event name the UI listens to (`onLibraryImport` in `ui/src/lib/backend`).
pub const LIBRARY_IMPORT: &str = "library-import";

/// How far the import has come; `None` before it starts.
#[derive(Default)]
pub struct ImportStatus(Mutex<Option<ImportProgress>>);

impl ImportStatus {
    /// The latest progress.
    pub fn get(&self) -> Option<ImportProgress> {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn set(&self, progress: ImportProgress) {
        *self.0.lock().unwrap_or_else(PoisonError::into_inner) = Some(progress);
    }
}

/// Starts the import in the background.
pub fn import_in_background(shell: Arc<Shell>) {
    tauri::async_runtime::spawn_blocking(move || {
        let library = Library::new(shell.session.store().clone());
        let outcome = library.import_earlier(|progress| {
            shell.library_import.set(*progress);
            if let Err(error) = shell.app.emit(LIBRARY_IMPORT, progress) {
                tracing::warn!("could not send the import's progress to the window: {error}");
            }
        });
        match outcome {
            Ok(done) if done.jobs_total > 0 => tracing::info!(
                "earlier downloads added to the people library: {} jobs, {} people",
                done.jobs_done,
                done.people
            ),
            Ok(_) => {}
            Err(error) => {
                tracing::warn!("earlier downloads were not added to the people library: {error}");
                // Say it is over, so no banner waits for ever; the next start tries again.
                let mut over = shell.library_import.get().unwrap_or_default();
                over.finished = true;
                shell.library_import.set(over);
                let _ = shell.app.emit(LIBRARY_IMPORT, over);
            }
        }
    });
}
