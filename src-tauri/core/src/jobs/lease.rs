//! A lease held while a job's submission, downloads or spreadsheet run: renewed by a heartbeat,
//! released when dropped. Another process (the app or the command line on the same database) sees
//! who holds it and leaves the job alone while that process lives (see [`crate::store`]'s leases).
//!
//! Each grant has a generation: the holder's irreversible steps go through its [`Fence`], and a
//! heartbeat that finds the lease granted to another process trips [`Lease::lost`], so the holder
//! stops at once without touching anything.

use tokio::sync::watch;
use tokio::task::JoinHandle;

use crate::store::{Fence, LeaseHolder, Store, StoreError};

use super::engine::lease_ttl;

/// A held lease. Dropping it releases it.
pub struct Lease {
    store: Store,
    fence: Fence,
    lost: watch::Receiver<bool>,
    /// The heartbeat, and the tasks passing a loss on (see [`Lease::alarm`]).
    tasks: Vec<JoinHandle<()>>,
}

impl Lease {
    /// Takes `resource` for `owner`, or says who holds it.
    pub fn take(
        store: Store,
        resource: String,
        owner: String,
        label: String,
    ) -> Result<Result<Self, LeaseHolder>, StoreError> {
        match store.take_lease(&resource, &owner, &label, lease_ttl())? {
            Ok(fence) => Ok(Ok(Self::keep(store, fence))),
            Err(holder) => Ok(Err(holder)),
        }
    }

    /// Keeps alive the lease `owner` was granted on `resource` in the transaction that made the
    /// job; [`StoreError::LeaseLost`] if another process was granted it since.
    pub fn adopt(store: Store, resource: &str, owner: &str) -> Result<Self, StoreError> {
        let fence = store.held_lease(resource, owner)?;
        Ok(Self::keep(store, fence))
    }

    fn keep(store: Store, fence: Fence) -> Self {
        let (lost_tx, lost) = watch::channel(false);
        let heartbeat = tokio::runtime::Handle::try_current().ok().map(|runtime| {
            let (store, fence) = (store.clone(), fence.clone());
            runtime.spawn(async move {
                let ttl = lease_ttl();
                loop {
                    tokio::time::sleep(ttl / 3).await;
                    match store.renew_lease(&fence, ttl) {
                        Ok(()) => {}
                        Err(StoreError::LeaseLost { resource }) => {
                            tracing::warn!("the lease on {resource} was taken over; stopping");
                            lost_tx.send_replace(true);
                            return;
                        }
                        Err(error) => tracing::warn!(
                            "could not renew the lease on {}: {error}",
                            fence.resource()
                        ),
                    }
                }
            })
        });
        Self {
            store,
            fence,
            lost,
            tasks: heartbeat.into_iter().collect(),
        }
    }

    /// The grant, for the holder's fenced steps.
    pub fn fence(&self) -> &Fence {
        &self.fence
    }

    /// True once the heartbeat found the lease granted to another process.
    pub fn lost(&self) -> bool {
        *self.lost.borrow()
    }

    /// Sets `signal` to `true` as soon as the lease is found lost (a download's cancel signal, so
    /// that it stops writing at once).
    pub fn alarm(&mut self, signal: watch::Sender<bool>) {
        let mut lost = self.lost.clone();
        if let Ok(runtime) = tokio::runtime::Handle::try_current() {
            self.tasks.push(runtime.spawn(async move {
                if lost.wait_for(|lost| *lost).await.is_ok() {
                    signal.send_replace(true);
                }
            }));
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        for task in &self.tasks {
            task.abort();
        }
        if let Err(error) = self.store.release_lease(&self.fence) {
            // It no longer counts as alive here; elsewhere its process or its expiry decides.
            tracing::warn!(
                "could not release the lease on {}: {error}",
                self.fence.resource()
            );
        }
    }
}
