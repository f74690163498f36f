//! The `.part`'s data handed to the disk while the download goes on, so the fsync at the end is short.

use std::fs::File;

/// A thread that calls `sync_data` on (a handle to) the `.part` when nudged, while the writer goes
/// on writing. Its handle shares the writer's open file, so a write-back error it sees is kept and
/// given back by [`Syncer::finish`] (the fsync at the end might not see it again).
pub(super) struct Syncer {
    nudge: Option<std::sync::mpsc::SyncSender<()>>,
    thread: Option<std::thread::JoinHandle<std::io::Result<()>>>,
}

impl Syncer {
    /// Starts the thread; without a second handle (or a thread), nudges do nothing and the fsync
    /// at the end does all the work, as before.
    pub(super) fn start(file: &File) -> Syncer {
        let Ok(handle) = file.try_clone() else {
            return Syncer {
                nudge: None,
                thread: None,
            };
        };
        let (nudge, nudged) = std::sync::mpsc::sync_channel::<()>(1);
        let thread = std::thread::Builder::new()
            .name("download-sync".into())
            .spawn(move || {
                while nudged.recv().is_ok() {
                    handle.sync_data()?;
                }
                Ok(())
            })
            .ok();
        Syncer {
            nudge: thread.is_some().then_some(nudge),
            thread,
        }
    }

    /// Asks for a `sync_data` soon; one already asked for and not started covers this one too.
    pub(super) fn nudge(&self) {
        if let Some(nudge) = &self.nudge {
            let _ = nudge.try_send(());
        }
    }

    /// Stops the thread and returns the first error it met.
    pub(super) fn finish(mut self) -> std::io::Result<()> {
        drop(self.nudge.take());
        match self.thread.take().map(std::thread::JoinHandle::join) {
            Some(Ok(result)) => result,
            Some(Err(_)) => Err(std::io::Error::other("the download's sync thread failed")),
            None => Ok(()),
        }
    }
}
