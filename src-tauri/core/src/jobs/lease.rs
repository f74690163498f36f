//! A lease held while a job's submission or downloads run: renewed by a heartbeat, released when
//! dropped. Another process (the app or the command line on the same database) sees who holds it
//! and leaves the job alone; if this process dies, the lease expires and the job can be recovered.

use crate::store::{LeaseHolder, Store};

use super::engine::LEASE_TTL;

/// A held lease. Dropping it releases it.
pub struct Lease {
    store: Store,
    resource: String,
    owner: String,
    heartbeat: Option<tokio::task::JoinHandle<()>>,
}

impl Lease {
    /// Takes `resource` for `owner`, or says who holds it.
    pub fn take(
        store: Store,
        resource: String,
        owner: String,
        label: String,
    ) -> Result<Result<Self, LeaseHolder>, crate::store::StoreError> {
        match store.take_lease(&resource, &owner, &label, LEASE_TTL)? {
            Ok(()) => Ok(Ok(Self::adopt(store, resource, owner))),
            Err(holder) => Ok(Err(holder)),
        }
    }

    /// Keeps alive a lease already taken (in the transaction that made the job).
    pub fn adopt(store: Store, resource: String, owner: String) -> Self {
        let heartbeat = tokio::runtime::Handle::try_current().ok().map(|runtime| {
            let (store, owner) = (store.clone(), owner.clone());
            runtime.spawn(async move {
                loop {
                    tokio::time::sleep(LEASE_TTL / 3).await;
                    // An update only: a lease released meanwhile is not taken again.
                    if let Err(error) = store.renew_leases(&owner, LEASE_TTL) {
                        tracing::warn!("could not renew the leases of {owner}: {error}");
                    }
                }
            })
        });
        Self {
            store,
            resource,
            owner,
            heartbeat,
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        if let Some(heartbeat) = self.heartbeat.take() {
            heartbeat.abort();
        }
        if let Err(error) = self.store.release_lease(&self.resource, &self.owner) {
            // It expires by itself.
            tracing::warn!("could not release the lease on {}: {error}", self.resource);
        }
    }
}
