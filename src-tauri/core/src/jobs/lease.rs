//! A lease held while a job's submission, downloads or spreadsheet run: renewed by a heartbeat,
//! released when dropped. Another process (the app or the command line on the same database) sees
//! who holds it and leaves the job alone while that process lives (see [`crate::store`]'s leases).
//!
//! Each grant has a generation: the holder's irreversible steps go through its [`Fence`], and a
//! heartbeat that finds the lease granted to another process, or that could not renew it for as
//! long as a lease lasts (another process may then find it expired and take it), trips
//! [`Lease::lost`], so the holder stops at once without touching anything.

use std::time::Duration;

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
                let mut renewed_at = tokio::time::Instant::now();
                loop {
                    tokio::time::sleep(ttl / 3).await;
                    let renewed = store.renew_lease(&fence, ttl);
                    match beat(&renewed, renewed_at.elapsed(), ttl) {
                        Beat::Held => renewed_at = tokio::time::Instant::now(),
                        Beat::Retry => {
                            if let Err(error) = renewed {
                                tracing::warn!(
                                    "could not renew the lease on {}: {error}",
                                    fence.resource()
                                );
                            }
                        }
                        Beat::Lost => {
                            match renewed {
                                Err(StoreError::LeaseLost { .. }) => tracing::warn!(
                                    "the lease on {} was taken over; stopping",
                                    fence.resource()
                                ),
                                _ => tracing::warn!(
                                    "the lease on {} could not be renewed for longer than it lasts; stopping",
                                    fence.resource()
                                ),
                            }
                            lost_tx.send_replace(true);
                            return;
                        }
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

/// What the heartbeat makes of one renewal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Beat {
    /// Renewed: still held.
    Held,
    /// Not renewed (the database failed), but the lease has not lasted its time since it last
    /// was: try again at the next beat.
    Retry,
    /// Granted to another process, or not renewed for two thirds of a lease's time (beats come
    /// every third, so the holder stops before another process may find it expired and take
    /// it): the holder can no longer prove it holds it, and stops.
    Lost,
}

/// The heartbeat's rule: `renewed` is a renewal's result, `unrenewed_for` the time since the
/// last one that worked (or since the grant), `ttl` how long a lease lasts.
fn beat(renewed: &Result<(), StoreError>, unrenewed_for: Duration, ttl: Duration) -> Beat {
    match renewed {
        Ok(()) => Beat::Held,
        Err(StoreError::LeaseLost { .. }) => Beat::Lost,
        Err(_) if unrenewed_for >= ttl * 2 / 3 => Beat::Lost,
        Err(_) => Beat::Retry,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn renewals_failing_for_two_thirds_of_a_lease_stop_the_holder_before_it_expires() {
        let ttl = Duration::from_secs(30);
        let failed = || Err(StoreError::Corrupt("the disk is full".into()));
        assert_eq!(beat(&Ok(()), ttl * 2, ttl), Beat::Held);
        assert_eq!(beat(&failed(), Duration::ZERO, ttl), Beat::Retry);
        assert_eq!(
            beat(&failed(), Duration::from_millis(19_999), ttl),
            Beat::Retry
        );
        assert_eq!(beat(&failed(), Duration::from_secs(20), ttl), Beat::Lost);
        let lost = Err(StoreError::LeaseLost {
            resource: "download:1".into(),
        });
        assert_eq!(beat(&lost, Duration::ZERO, ttl), Beat::Lost);
    }
}
