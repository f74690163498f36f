//! Leases against real processes (a `sleep` child of the test), this machine's boot and machine
//! ids, and a wall clock moved through the [`Host`] seam.

use std::sync::Arc;

use super::*;
use crate::store::host::Os;

const RESOURCE: &str = "download:1";
const MINUTE: Duration = Duration::from_secs(60);

/// The operating system, with the wall clock moved by `shift_ms`.
struct ShiftedClock {
    shift_ms: i64,
}

impl Host for ShiftedClock {
    fn now_ms(&self) -> i64 {
        Os.now_ms() + self.shift_ms
    }
    fn this_process(&self) -> ProcessId {
        Os.this_process()
    }
    fn probe(&self, pid: u32) -> Probe {
        Os.probe(pid)
    }
}

/// A living process of this machine: a `sleep` that is killed (and collected) when dropped.
struct Living(std::process::Child);

impl Living {
    fn start() -> Self {
        Self(
            std::process::Command::new("sleep")
                .arg("600")
                .spawn()
                .unwrap(),
        )
    }

    /// Its pid and start time, as a lease row records them.
    fn id(&self) -> ProcessId {
        let pid = self.0.id();
        let Probe::Running(started) = Os.probe(pid) else {
            panic!("the child runs");
        };
        ProcessId {
            started: Some(started),
            pid,
            ..Os.this_process()
        }
    }
}

impl Drop for Living {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

/// Writes a lease row as the holder `process` would have, expiring at `expires_ms`.
fn hold(store: &Store, owner: &str, process: &ProcessId, expires_ms: i64) {
    store
        .lock()
        .execute(
            "INSERT OR REPLACE INTO leases \
             (resource, owner, label, pid, expires_ms, generation, started, boot_id, machine_id) \
             VALUES (?1, ?2, ?2, ?3, ?4, 1, ?5, ?6, ?7)",
            params![
                RESOURCE,
                owner,
                process.pid,
                expires_ms,
                process.started.map(|s| s as i64),
                process.boot,
                process.machine
            ],
        )
        .unwrap();
}

fn taken(store: &Store) -> bool {
    store
        .take_lease(RESOURCE, "taker", "app", MINUTE)
        .unwrap()
        .is_ok()
}

fn a_minute_ago() -> i64 {
    Os.now_ms() - 60_000
}

#[cfg(target_os = "linux")]
#[test]
fn a_living_holder_whose_expiry_passed_is_never_taken_over() {
    let store = Store::open_in_memory().unwrap();
    let living = Living::start();
    hold(&store, "paused cli", &living.id(), a_minute_ago());
    assert_eq!(
        store.lease_holder(RESOURCE).unwrap().map(|h| h.owner),
        Some("paused cli".to_owned())
    );
    assert!(
        !taken(&store),
        "its process runs: the clock does not matter"
    );

    // A holder in this very process, whose heartbeat stood still past its expiry.
    let own = Store::open_in_memory().unwrap();
    own.take_lease(RESOURCE, "this app", "app", MINUTE)
        .unwrap()
        .unwrap();
    own.lock()
        .execute("UPDATE leases SET expires_ms = ?1", [a_minute_ago()])
        .unwrap();
    assert!(!taken(&own));

    // Once the holder's process ended, its lease is free at once, however far its expiry.
    let id = living.id();
    drop(living);
    hold(&store, "killed cli", &id, Os.now_ms() + 600_000);
    assert!(taken(&store));
}

#[cfg(target_os = "linux")]
#[test]
fn a_reused_pid_is_another_process_and_its_lease_is_taken() {
    let store = Store::open_in_memory().unwrap();
    let living = Living::start();
    let mut earlier = living.id();
    earlier.started = earlier.started.map(|started| started.saturating_sub(1));
    hold(
        &store,
        "a process that ended",
        &earlier,
        Os.now_ms() + 600_000,
    );
    assert!(taken(&store), "same pid, another start time");
}

#[cfg(target_os = "linux")]
#[test]
fn a_holder_of_an_earlier_boot_has_ended() {
    let store = Store::open_in_memory().unwrap();
    let before_restart = ProcessId {
        boot: Some("an earlier boot".into()),
        ..Os.this_process()
    };
    hold(
        &store,
        "before the restart",
        &before_restart,
        Os.now_ms() + 600_000,
    );
    assert!(taken(&store));
}

#[test]
fn a_holder_on_another_machine_is_judged_by_its_expiry() {
    let store = Store::open_in_memory().unwrap();
    let elsewhere = ProcessId {
        pid: std::process::id(),
        started: Some(1),
        boot: Some("their boot".into()),
        machine: Some("another machine".into()),
    };
    hold(&store, "on a laptop", &elsewhere, Os.now_ms() + 600_000);
    assert!(!taken(&store), "not expired: refused");
    hold(&store, "on a laptop", &elsewhere, a_minute_ago());
    assert!(taken(&store), "expired: taken");
}

#[cfg(target_os = "linux")]
#[test]
fn a_wall_clock_moved_an_hour_either_way_never_frees_a_living_holder() {
    let living = Living::start();
    for shift_ms in [3_600_000, -3_600_000] {
        let store = Store::open_in_memory()
            .unwrap()
            .with_host(Arc::new(ShiftedClock { shift_ms }));
        // Renewed a moment ago by the real clock, for 30 s.
        hold(&store, "living cli", &living.id(), Os.now_ms() + 30_000);
        assert!(!taken(&store), "clock moved by {shift_ms} ms");

        // And a grant of this very process, seen by a clock an hour off.
        let own = Store::open_in_memory().unwrap();
        own.take_lease(RESOURCE, "this app", "app", MINUTE)
            .unwrap()
            .unwrap();
        let shifted = own.clone().with_host(Arc::new(ShiftedClock { shift_ms }));
        assert!(!taken(&shifted), "own grant, clock moved by {shift_ms} ms");
    }
}

/// `store`'s grant on [`RESOURCE`] to `owner`, its holder then taken for ended (a process of an
/// earlier boot).
fn grant_then_end(store: &Store, owner: &str) -> Fence {
    let fence = store
        .take_lease(RESOURCE, owner, owner, MINUTE)
        .unwrap()
        .unwrap();
    store.end_lease_holder(RESOURCE);
    fence
}

#[test]
fn a_renewal_after_a_takeover_says_what_was_lost() {
    let store = Store::open_in_memory().unwrap();
    let first = grant_then_end(&store, "paused");
    store.renew_lease(&first, MINUTE).unwrap(); // Still its own until another is granted.
    let second = store
        .take_lease(RESOURCE, "taker", "app", MINUTE)
        .unwrap()
        .unwrap();
    let error = store.renew_lease(&first, MINUTE).unwrap_err();
    assert!(matches!(&error, StoreError::LeaseLost { resource } if resource == RESOURCE));
    assert!(
        error
            .to_string()
            .contains("took over Collection 1's download"),
        "{error}"
    );
    store.renew_lease(&second, MINUTE).unwrap();
}

#[test]
fn generations_only_grow_across_releases_and_takeovers() {
    let store = Store::open_in_memory().unwrap();
    let mut seen = Vec::new();
    for owner in ["a", "b", "a"] {
        let fence = store
            .take_lease(RESOURCE, owner, owner, MINUTE)
            .unwrap()
            .unwrap();
        seen.push(fence.generation());
        store.release_lease(&fence).unwrap();
    }
    seen.push(grant_then_end(&store, "c").generation());
    seen.push(
        store
            .take_lease(RESOURCE, "d", "d", MINUTE)
            .unwrap()
            .unwrap()
            .generation(),
    );
    assert!(seen.windows(2).all(|pair| pair[0] < pair[1]), "{seen:?}");
}

#[test]
fn a_step_under_a_replaced_grant_does_nothing() {
    let store = Store::open_in_memory().unwrap();
    let stale = grant_then_end(&store, "paused");
    let current = store
        .take_lease(RESOURCE, "taker", "app", MINUTE)
        .unwrap()
        .unwrap();
    let mut renamed = false;
    let refused = store.place_file(&stale, 1, ("/nowhere", 1, 1), || {
        renamed = true;
        Ok::<_, StoreError>(())
    });
    assert!(matches!(refused, Err(StoreError::LeaseLost { .. })));
    assert!(!renamed, "nothing is renamed under a lost lease");
    let wrote = store.fenced(&stale, |transaction, _| {
        transaction.execute(
            "INSERT INTO settings (key, value) VALUES ('x', 'stale')",
            [],
        )?;
        Ok::<_, StoreError>(())
    });
    assert!(matches!(wrote, Err(StoreError::LeaseLost { .. })));
    assert!(matches!(
        store.set_export_path(&stale, 1, "sheet.xlsx", &[]),
        Err(StoreError::LeaseLost { .. })
    ));
    let settings: i64 = store
        .lock()
        .query_row("SELECT count(*) FROM settings", [], |row| row.get(0))
        .unwrap();
    assert_eq!(settings, 0);

    store
        .place_file(&current, 1, ("/nowhere", 1, 1), || {
            renamed = true;
            Ok::<_, StoreError>(())
        })
        .unwrap();
    assert!(renamed, "the current holder's step runs");
}

#[test]
fn a_grant_whose_transaction_fails_leaves_nothing_held_here() {
    let store = Store::open_in_memory().unwrap();
    // Every grant now fails at its commit (a deferred foreign key the grant breaks).
    store
        .lock()
        .execute_batch(
            "CREATE TABLE t_parent (id INTEGER PRIMARY KEY);
             CREATE TABLE t_child (parent INTEGER REFERENCES t_parent (id) DEFERRABLE INITIALLY DEFERRED);
             CREATE TRIGGER t_fail AFTER INSERT ON leases BEGIN INSERT INTO t_child VALUES (42); END;",
        )
        .unwrap();
    let resource = "download:failed-grant";
    let owner = "failing owner";
    assert!(store.take_lease(resource, owner, "app", MINUTE).is_err());
    let left = held_here()
        .iter()
        .filter(|fence| fence.resource == resource && fence.owner == owner)
        .count();
    assert_eq!(left, 0, "a grant that was rolled back is not held here");
    assert_eq!(store.lease_holder(resource).unwrap(), None);
}
