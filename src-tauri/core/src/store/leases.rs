//! Rows of `leases`: which process owns a job's submission or downloads right now.
//!
//! A lease names its owner (one per engine instance) and expires unless renewed, so a process that
//! died leaves nothing locked for long. Taking one is a single atomic statement, so the app and the
//! command line on one database cannot both hold it.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use rusqlite::{params, OptionalExtension};

use super::{Store, StoreResult};

/// Who holds a lease that someone else asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseHolder {
    /// The owner's unique id.
    pub owner: String,
    /// Who that is, in plain words: "the Bulk Collect app (process 1234)".
    pub label: String,
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |since| {
            i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
        })
}

fn ms(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

impl Store {
    /// Takes `resource` for `owner` (this process) for `ttl`, unless another owner holds it, its
    /// lease has not expired and its process is alive; then returns who holds it. Taking a lease
    /// one already holds renews it.
    pub fn take_lease(
        &self,
        resource: &str,
        owner: &str,
        label: &str,
        ttl: Duration,
    ) -> StoreResult<Result<(), LeaseHolder>> {
        let now = now_ms();
        let mut connection = self.lock();
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if let Some(holder) = live_holder(&transaction, resource, now)? {
            if holder.owner != owner {
                return Ok(Err(holder));
            }
        }
        grant_in(&transaction, resource, owner, label, ttl)?;
        transaction.commit()?;
        Ok(Ok(()))
    }

    /// Extends every lease `owner` holds by `ttl` from now (the owner's heartbeat).
    pub fn renew_leases(&self, owner: &str, ttl: Duration) -> StoreResult<()> {
        self.lock().execute(
            "UPDATE leases SET expires_ms = ?2 WHERE owner = ?1",
            params![owner, now_ms().saturating_add(ms(ttl))],
        )?;
        Ok(())
    }

    /// Gives `resource` up, if `owner` holds it.
    pub fn release_lease(&self, resource: &str, owner: &str) -> StoreResult<()> {
        self.lock().execute(
            "DELETE FROM leases WHERE resource = ?1 AND owner = ?2",
            params![resource, owner],
        )?;
        Ok(())
    }

    /// Who holds `resource` now, if anyone: an expired lease, or one whose process has ended, is
    /// nobody's.
    pub fn lease_holder(&self, resource: &str) -> StoreResult<Option<LeaseHolder>> {
        live_holder(&self.lock(), resource, now_ms())
    }
}

/// Writes `owner`'s lease on `resource` for `ttl` from now, inside the caller's transaction (which
/// has checked that nobody else holds it, or just made the resource).
pub(super) fn grant_in(
    transaction: &rusqlite::Transaction<'_>,
    resource: &str,
    owner: &str,
    label: &str,
    ttl: Duration,
) -> StoreResult<()> {
    transaction.execute(
        "INSERT OR REPLACE INTO leases (resource, owner, label, pid, expires_ms) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![resource, owner, label, std::process::id(), now_ms().saturating_add(ms(ttl))],
    )?;
    Ok(())
}

fn live_holder(
    connection: &rusqlite::Connection,
    resource: &str,
    now: i64,
) -> StoreResult<Option<LeaseHolder>> {
    let found = connection
        .query_row(
            "SELECT owner, label, pid FROM leases WHERE resource = ?1 AND expires_ms >= ?2",
            params![resource, now],
            |row| {
                Ok((
                    LeaseHolder {
                        owner: row.get(0)?,
                        label: row.get(1)?,
                    },
                    row.get::<_, u32>(2)?,
                ))
            },
        )
        .optional()?;
    Ok(found
        .filter(|(_, pid)| process_alive(*pid))
        .map(|(holder, _)| holder))
}

/// Whether process `pid` on this computer is still running. Where that cannot be told without
/// unsafe code (not Linux), it is assumed alive and the lease's expiry decides.
fn process_alive(pid: u32) -> bool {
    if pid == std::process::id() {
        return true;
    }
    if cfg!(target_os = "linux") {
        match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
            // A zombie (state Z) has ended: only its parent has not collected it yet.
            Ok(stat) => !stat
                .rsplit_once(')')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z')),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => false,
            // Unreadable for another reason (another PID namespace, no file handles left):
            // the lease's expiry decides.
            Err(_) => true,
        }
    } else {
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lease_is_held_by_one_owner_until_it_expires_or_is_released() {
        let store = Store::open_in_memory().unwrap();
        let long = Duration::from_secs(60);
        assert_eq!(
            store.take_lease("download:1", "a", "app", long).unwrap(),
            Ok(())
        );
        let refused = store.take_lease("download:1", "b", "cli", long).unwrap();
        assert_eq!(refused.unwrap_err().label, "app");
        assert_eq!(
            store.take_lease("download:1", "a", "app", long).unwrap(),
            Ok(()),
            "renewal"
        );
        store.release_lease("download:1", "b").unwrap();
        assert!(
            store.lease_holder("download:1").unwrap().is_some(),
            "only the owner releases"
        );
        store.release_lease("download:1", "a").unwrap();
        assert_eq!(
            store.take_lease("download:1", "b", "cli", long).unwrap(),
            Ok(())
        );
    }

    #[test]
    fn a_lease_of_a_process_that_ended_can_be_taken_over() {
        let store = Store::open_in_memory().unwrap();
        store
            .lock()
            .execute(
                "INSERT INTO leases (resource, owner, label, pid, expires_ms) VALUES ('download:1', 'dead', 'killed cli', ?1, ?2)",
                params![u32::MAX - 1, now_ms() + 600_000],
            )
            .unwrap();
        assert_eq!(store.lease_holder("download:1").unwrap(), None);
        assert_eq!(
            store
                .take_lease("download:1", "b", "app", Duration::from_secs(60))
                .unwrap(),
            Ok(())
        );
    }

    #[test]
    fn an_expired_lease_can_be_taken_over() {
        let store = Store::open_in_memory().unwrap();
        store
            .take_lease("submit:1", "dead", "crashed app", Duration::ZERO)
            .unwrap()
            .unwrap();
        std::thread::sleep(Duration::from_millis(5));
        assert_eq!(store.lease_holder("submit:1").unwrap(), None);
        assert_eq!(
            store
                .take_lease("submit:1", "b", "cli", Duration::from_secs(60))
                .unwrap(),
            Ok(())
        );
    }
}
