//! Rows of `leases`: which process owns a job's submission, downloads or spreadsheet right now.
//!
//! Whether a holder still lives is decided by its process first, never by a clock alone (clocks
//! stop while a laptop sleeps or a process is paused, and jump with NTP):
//! - on this machine and this boot, the holder lives while its pid runs with the start time it
//!   recorded (a reused pid is another process), and then its lease is never taken over, whatever
//!   the clocks say; a holder in this very process lives while a [`Fence`] of it is held here;
//! - on this machine but from an earlier boot, it has ended;
//! - on another machine, or where liveness cannot be told, the lease's wall-clock expiry decides.
//!
//! Every grant carries a generation that only grows per resource (`lease_generations` keeps the
//! counter across releases). A holder's irreversible steps run through [`Store::fenced`], which
//! checks in the same transaction that its generation is still the current one.

use std::collections::HashSet;
use std::sync::{Mutex, MutexGuard, OnceLock};
use std::time::Duration;

use rusqlite::{params, OptionalExtension, Transaction};

use super::host::{Host, Probe, ProcessId};
use super::{now_text, JobRow, Store, StoreError, StoreResult};
use crate::error::ErrorCode;
use crate::jobs::JobState;

/// Who holds a lease that someone else asked for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LeaseHolder {
    /// The owner's unique id.
    pub owner: String,
    /// Who that is, in plain words: "the Bulk Collect app (process 1234)".
    pub label: String,
}

/// One grant of a lease: the resource, its owner and the grant's generation. A step made under it
/// is refused once another grant of the resource replaced it.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Fence {
    resource: String,
    owner: String,
    generation: i64,
}

impl Fence {
    /// The resource, as `download:12`.
    pub fn resource(&self) -> &str {
        &self.resource
    }

    /// The owner (one per engine).
    pub fn owner(&self) -> &str {
        &self.owner
    }

    /// The grant's generation: larger than every earlier grant of the resource.
    pub fn generation(&self) -> i64 {
        self.generation
    }
}

/// The grants held by this process: a lease row naming this process is alive only while its
/// grant is here (granted and not yet released), so an engine of this process that was dropped,
/// or a release that failed, leaves nothing locked while the process lives on.
fn held_here() -> MutexGuard<'static, HashSet<Fence>> {
    static HELD: OnceLock<Mutex<HashSet<Fence>>> = OnceLock::new();
    // Plain data: a panic elsewhere cannot leave the set inconsistent.
    HELD.get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

fn ms(duration: Duration) -> i64 {
    i64::try_from(duration.as_millis()).unwrap_or(i64::MAX)
}

impl Store {
    /// Takes `resource` for `owner` (this process) for `ttl`, unless a living holder has it (see
    /// the module doc); then returns who holds it. A living holder is refused even if it is
    /// `owner` itself: a grant is used by one holder at a time.
    pub fn take_lease(
        &self,
        resource: &str,
        owner: &str,
        label: &str,
        ttl: Duration,
    ) -> StoreResult<Result<Fence, LeaseHolder>> {
        let mut connection = self.lock();
        let transaction =
            connection.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
        if let Some(holder) = live_holder(&transaction, self.host.as_ref(), resource)? {
            return Ok(Err(holder));
        }
        let grant = grant_in(&transaction, self, resource, owner, label, ttl)?;
        transaction.commit()?;
        Ok(Ok(grant.committed()))
    }

    /// The grant `owner` holds on `resource` (taken in the transaction that made a job), or
    /// [`StoreError::LeaseLost`] when another grant replaced it meanwhile.
    pub fn held_lease(&self, resource: &str, owner: &str) -> StoreResult<Fence> {
        let generation: Option<i64> = self
            .lock()
            .query_row(
                "SELECT generation FROM leases WHERE resource = ?1 AND owner = ?2",
                params![resource, owner],
                |row| row.get(0),
            )
            .optional()?;
        generation
            .map(|generation| Fence {
                resource: resource.to_owned(),
                owner: owner.to_owned(),
                generation,
            })
            .ok_or_else(|| StoreError::LeaseLost {
                resource: resource.to_owned(),
            })
    }

    /// True while `fence` is still the current grant of its resource (no other grant replaced it).
    pub fn lease_current(&self, fence: &Fence) -> StoreResult<bool> {
        let current: Option<i64> = self
            .lock()
            .query_row(
                "SELECT generation FROM leases WHERE resource = ?1 AND owner = ?2",
                params![fence.resource, fence.owner],
                |row| row.get(0),
            )
            .optional()?;
        Ok(current == Some(fence.generation))
    }

    /// Extends `fence`'s lease by `ttl` from now (the holder's heartbeat), or
    /// [`StoreError::LeaseLost`], naming the resource, when another grant replaced it.
    pub fn renew_lease(&self, fence: &Fence, ttl: Duration) -> StoreResult<()> {
        let renewed = self.lock().execute(
            "UPDATE leases SET expires_ms = ?4 WHERE resource = ?1 AND owner = ?2 AND generation = ?3",
            params![
                fence.resource,
                fence.owner,
                fence.generation,
                self.host.now_ms().saturating_add(ms(ttl))
            ],
        )?;
        if renewed == 0 {
            held_here().remove(fence);
            return Err(StoreError::LeaseLost {
                resource: fence.resource.clone(),
            });
        }
        Ok(())
    }

    /// Gives `fence`'s lease up, if it is still the current grant. Even if the database fails
    /// here, the grant no longer counts as alive in this process.
    pub fn release_lease(&self, fence: &Fence) -> StoreResult<()> {
        held_here().remove(fence);
        self.lock().execute(
            "DELETE FROM leases WHERE resource = ?1 AND owner = ?2 AND generation = ?3",
            params![fence.resource, fence.owner, fence.generation],
        )?;
        Ok(())
    }

    /// Who holds `resource` now, if a living holder does (see the module doc).
    pub fn lease_holder(&self, resource: &str) -> StoreResult<Option<LeaseHolder>> {
        live_holder(&self.lock(), self.host.as_ref(), resource)
    }

    /// Runs `step` in one `BEGIN IMMEDIATE` transaction (with the time taken inside the write
    /// lock), only if `fence` is still the current grant of its resource; else
    /// [`StoreError::LeaseLost`] and nothing is done. A step that is not a database write (a
    /// rename into place) runs inside it too, so no other holder can be granted the resource
    /// between the check and the step.
    pub(super) fn fenced<T, E: From<StoreError>>(
        &self,
        fence: &Fence,
        step: impl FnOnce(&Transaction<'_>, &str) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut connection = self.lock();
        let transaction = connection
            .transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
            .map_err(StoreError::from)?;
        let current: Option<i64> = transaction
            .query_row(
                "SELECT generation FROM leases WHERE resource = ?1 AND owner = ?2",
                params![fence.resource, fence.owner],
                |row| row.get(0),
            )
            .optional()
            .map_err(StoreError::from)?;
        if current != Some(fence.generation) {
            return Err(StoreError::LeaseLost {
                resource: fence.resource.clone(),
            }
            .into());
        }
        let now = now_text();
        let value = step(&transaction, &now)?;
        transaction.commit().map_err(StoreError::from)?;
        Ok(value)
    }
}

impl Store {
    /// Runs `step`, a step on files (no database write), only while `fence` is still the current
    /// grant of its resource, checked in a `BEGIN IMMEDIATE` transaction held while it runs, so
    /// no other holder is granted the resource meanwhile; else [`StoreError::LeaseLost`] and it
    /// does not run. Blocking: call it off the async runtime's threads. Returns `step`'s result.
    pub fn under_fence<T, E>(
        &self,
        fence: &Fence,
        step: impl FnOnce() -> Result<T, E>,
    ) -> StoreResult<Result<T, E>> {
        self.fenced(fence, |_, _| Ok::<_, StoreError>(step()))
    }

    /// [`Store::move_state`] for recovery: moves job `id` only if no living holder has
    /// `resource`, and in the same `BEGIN IMMEDIATE` transaction ends the grant of the holder
    /// taken for dead. A holder that was only paused (a closed lid, Ctrl-Z; or on a system where
    /// only the lease's expiry tells) finds its grant gone when it wakes: its send gate is closed
    /// and it renames and moves nothing. `Ok(None)` when a living holder has it or the job moved on.
    pub fn move_state_taking_over(
        &self,
        resource: &str,
        id: i64,
        expected: &[JobState],
        to: JobState,
        reason: Option<&str>,
        error_code: Option<ErrorCode>,
    ) -> StoreResult<Option<JobRow>> {
        self.guarded_move(to, |transaction| {
            if live_holder(transaction, self.host.as_ref(), resource)?.is_some() {
                return Ok(None);
            }
            let moved = super::jobs::move_in(transaction, id, expected, to, reason, error_code)?;
            if moved.is_some() {
                transaction.execute("DELETE FROM leases WHERE resource = ?1", [resource])?;
            }
            Ok(moved)
        })
    }

    /// [`Store::move_state`] made by a lease holder: only while `fence` is still the current grant
    /// of its resource, else [`StoreError::LeaseLost`] and the job is left where it is.
    pub fn move_state_under(
        &self,
        fence: &Fence,
        id: i64,
        expected: &[JobState],
        to: JobState,
        reason: Option<&str>,
        error_code: Option<ErrorCode>,
    ) -> StoreResult<Option<JobRow>> {
        let moved = self.fenced(fence, |transaction, _| {
            super::jobs::move_in(transaction, id, expected, to, reason, error_code)
        })?;
        Ok(super::jobs::after_move(to, moved))
    }
}

impl Store {
    /// Makes the holder of `resource` a process of an earlier boot: one that has ended (tests of
    /// what is left behind by a crash).
    #[cfg(test)]
    pub(crate) fn end_lease_holder(&self, resource: &str) {
        let ended = self.lock().execute(
            "UPDATE leases SET boot_id = 'an earlier boot' WHERE resource = ?1",
            [resource],
        );
        assert_eq!(ended.ok(), Some(1), "{resource} is held");
    }

    /// Makes process `pid` of this machine (another process: a test's child) the holder of
    /// `resource`, with its real start time, leaving the lease's expiry as it was.
    #[cfg(test)]
    pub(crate) fn hand_lease_to(&self, resource: &str, pid: u32) {
        let Probe::Running(started) = self.host.probe(pid) else {
            panic!("process {pid} runs");
        };
        let handed = self.lock().execute(
            "UPDATE leases SET pid = ?2, started = ?3 WHERE resource = ?1",
            params![resource, pid, i64::try_from(started).ok()],
        );
        assert_eq!(handed.ok(), Some(1), "{resource} is held");
    }
}

/// A grant written inside a transaction that has not committed yet. It counts as held here from
/// the moment it is written (this process's scheduler must never find its own fresh grant dead),
/// and stops counting when dropped unless [`Grant::committed`] was called after the commit: a
/// grant whose transaction failed or was given up leaves nothing held here.
#[must_use = "call `committed` once the transaction committed"]
pub(super) struct Grant {
    fence: Option<Fence>,
}

impl Grant {
    /// The transaction that wrote the grant committed: it stays held here until released.
    pub(super) fn committed(mut self) -> Fence {
        // Always set until here: only `committed` (which consumes the grant) takes it.
        self.fence.take().unwrap_or_else(|| unreachable!())
    }
}

impl Drop for Grant {
    fn drop(&mut self) {
        if let Some(fence) = self.fence.take() {
            held_here().remove(&fence);
        }
    }
}

/// Writes a new grant of `resource` to `owner` for `ttl` from now, inside the caller's transaction
/// (which has checked that no living holder has it, or just made the resource), with the next
/// generation and this process's identity. The caller calls [`Grant::committed`] after its commit.
pub(super) fn grant_in(
    transaction: &Transaction<'_>,
    store: &Store,
    resource: &str,
    owner: &str,
    label: &str,
    ttl: Duration,
) -> StoreResult<Grant> {
    let generation: i64 = transaction.query_row(
        "INSERT INTO lease_generations (resource, generation) VALUES (?1, 1) \
         ON CONFLICT (resource) DO UPDATE SET generation = generation + 1 RETURNING generation",
        [resource],
        |row| row.get(0),
    )?;
    let me = store.host.this_process();
    transaction.execute(
        "INSERT OR REPLACE INTO leases \
         (resource, owner, label, pid, expires_ms, generation, started, boot_id, machine_id) \
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        params![
            resource,
            owner,
            label,
            me.pid,
            store.host.now_ms().saturating_add(ms(ttl)),
            generation,
            me.started.and_then(|started| i64::try_from(started).ok()),
            me.boot,
            me.machine
        ],
    )?;
    let fence = Fence {
        resource: resource.to_owned(),
        owner: owner.to_owned(),
        generation,
    };
    held_here().insert(fence.clone());
    Ok(Grant { fence: Some(fence) })
}

/// A lease row, as read to decide whether its holder lives.
struct Row {
    holder: LeaseHolder,
    fence: Fence,
    process: ProcessId,
    expires_ms: i64,
}

fn live_holder(
    connection: &rusqlite::Connection,
    host: &dyn Host,
    resource: &str,
) -> StoreResult<Option<LeaseHolder>> {
    let row = connection
        .query_row(
            "SELECT owner, label, pid, expires_ms, generation, started, boot_id, machine_id \
             FROM leases WHERE resource = ?1",
            [resource],
            |row| {
                Ok(Row {
                    holder: LeaseHolder {
                        owner: row.get(0)?,
                        label: row.get(1)?,
                    },
                    fence: Fence {
                        resource: resource.to_owned(),
                        owner: row.get(0)?,
                        generation: row.get(4)?,
                    },
                    process: ProcessId {
                        pid: row.get(2)?,
                        started: row
                            .get::<_, Option<i64>>(5)?
                            .and_then(|started| u64::try_from(started).ok()),
                        boot: row.get(6)?,
                        machine: row.get(7)?,
                    },
                    expires_ms: row.get(3)?,
                })
            },
        )
        .optional()?;
    Ok(row
        .filter(|row| holder_lives(row, host))
        .map(|row| row.holder))
}

/// The liveness rule of the module doc.
fn holder_lives(row: &Row, host: &dyn Host) -> bool {
    let unexpired = row.expires_ms >= host.now_ms();
    let me = host.this_process();
    let known = |a: &Option<String>, b: &Option<String>| match (a, b) {
        (Some(a), Some(b)) => Some(a == b),
        _ => None,
    };
    match (
        known(&row.process.machine, &me.machine),
        known(&row.process.boot, &me.boot),
    ) {
        (Some(true), Some(false)) => false, // This machine, an earlier boot: it has ended.
        (Some(true), Some(true)) => {
            if row.process.pid == me.pid
                && me.started.is_some()
                && row.process.started == me.started
            {
                return held_here().contains(&row.fence);
            }
            match (host.probe(row.process.pid), row.process.started) {
                (Probe::Running(started), Some(recorded)) => started == recorded,
                (Probe::Ended, _) => false,
                (Probe::Running(_), None) | (Probe::Unknown, _) => unexpired,
            }
        }
        // Another machine, or a holder (or this process) that could not say: the clock decides.
        _ => unexpired,
    }
}

#[cfg(test)]
#[path = "leases_tests.rs"]
mod tests;
