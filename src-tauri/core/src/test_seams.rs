//! Test-only seams for the crash-proof suites (`tests/suites/kill_points*.rs`, `make soak`): named
//! kill points and a fast poll schedule, read from the environment **in debug builds only**. A
//! release build compiles both to nothing, so they cannot ship.
//!
//! - `BULK_COLLECT_KILL_AT=<point>:<n>`: the `n`-th time this process reaches `<point>`, it writes
//!   `bulk-collect kill point <point>:<n>` on stderr and stops there for good; the test harness
//!   (the parent) kills it with SIGKILL at that moment. The process cannot move past the point,
//!   so where it dies is chosen exactly, not raced.
//! - `BULK_COLLECT_TEST_POLL_MS=<ms>`: the first poll comes after `ms` (growing ×1.5 up to 10×),
//!   instead of 5 s, so a suite that kills and restarts the CLI a hundred times stays quick.
//!
//! - `BULK_COLLECT_TEST_LEASE_TTL_MS=<ms>`: leases this process takes live `ms` without a
//!   heartbeat (beat every third of it) instead of 30 s, so a suite can pause a holder for longer
//!   than a lease lives without waiting a minute.
//!
//! Points (each named where it is reached): `submit.spent`, `submit.answered`, `submit.recorded`,
//! `poll.answered`, `state.<state>` (after a job's move to `<state>` is committed), `event` (after
//! any audit-trail line is written), `download.batch` (after a batch is written to a `.part`;
//! how many a file takes depends on the network), `download.first_batch` (after the first batch
//! of each transfer: counted per file, so `:2` is always the second file),
//! `download.checked` (a whole `.part`, verified, before its rename), `download.renamed` (renamed,
//! before the database knows), `export.staged` (an export complete under its temporary name).

use crate::jobs::PollSchedule;

/// The environment variable naming the kill point (debug builds only).
pub const KILL_AT_ENV: &str = "BULK_COLLECT_KILL_AT";

/// The environment variable of the fast poll schedule (debug builds only).
pub const POLL_MS_ENV: &str = "BULK_COLLECT_TEST_POLL_MS";

/// The environment variable of a short lease length (debug builds only).
pub const LEASE_TTL_MS_ENV: &str = "BULK_COLLECT_TEST_LEASE_TTL_MS";

/// The line a process writes on stderr when it stops at a kill point.
pub const KILL_POINT_MARKER: &str = "bulk-collect kill point ";

/// Marks `point` as reached; stops the process there if `BULK_COLLECT_KILL_AT` says so.
#[cfg(debug_assertions)]
pub(crate) fn kill_point(point: &str) {
    use std::io::Write;
    use std::sync::atomic::{AtomicU32, Ordering};
    use std::sync::OnceLock;

    static TARGET: OnceLock<Option<(String, u32)>> = OnceLock::new();
    static HITS: AtomicU32 = AtomicU32::new(0);
    let target = TARGET.get_or_init(|| {
        let spec = std::env::var(KILL_AT_ENV).ok()?;
        let (name, n) = spec.rsplit_once(':')?;
        Some((name.to_owned(), n.parse().ok()?))
    });
    let Some((name, n)) = target else { return };
    if name != point || HITS.fetch_add(1, Ordering::SeqCst) + 1 != *n {
        return;
    }
    let mut stderr = std::io::stderr().lock();
    let _ = writeln!(stderr, "{KILL_POINT_MARKER}{point}:{n}");
    let _ = stderr.flush();
    // Holding stderr's lock too: nothing this process prints gets past the point either.
    loop {
        std::thread::sleep(std::time::Duration::from_secs(3600));
    }
}

/// Release builds: nothing.
#[cfg(not(debug_assertions))]
#[inline(always)]
pub(crate) fn kill_point(_point: &str) {}

/// `point` with a suffix (`state.downloaded`), built only when a kill point is asked for.
pub(crate) fn kill_point_of(prefix: &str, suffix: &str) {
    if cfg!(debug_assertions) && std::env::var_os(KILL_AT_ENV).is_some() {
        kill_point(&format!("{prefix}.{suffix}"));
    }
}

/// The poll schedule `BULK_COLLECT_TEST_POLL_MS` asks for (debug builds only), else `default`.
pub(crate) fn poll_schedule(default: PollSchedule) -> PollSchedule {
    if !cfg!(debug_assertions) {
        return default;
    }
    match std::env::var(POLL_MS_ENV)
        .ok()
        .and_then(|ms| ms.parse().ok())
    {
        Some(ms) => PollSchedule {
            first: std::time::Duration::from_millis(ms),
            factor: 1.5,
            max: std::time::Duration::from_millis(ms.saturating_mul(10)),
        },
        None => default,
    }
}

/// The lease length `BULK_COLLECT_TEST_LEASE_TTL_MS` asks for (debug builds only), else `default`.
pub(crate) fn lease_ttl(default: std::time::Duration) -> std::time::Duration {
    if !cfg!(debug_assertions) {
        return default;
    }
    std::env::var(LEASE_TTL_MS_ENV)
        .ok()
        .and_then(|ms| ms.parse().ok())
        .map_or(default, std::time::Duration::from_millis)
}

/// Unit tests only: request ids whose next poll panics once answered (see [`poll_panic_point`]).
#[cfg(test)]
static PANIC_ON_POLL: std::sync::Mutex<Vec<String>> = std::sync::Mutex::new(Vec::new());

/// Unit tests only: the next poll of `request_id` panics once it is answered, as a bug would.
#[cfg(test)]
pub(crate) fn panic_on_next_poll(request_id: &str) {
    PANIC_ON_POLL
        .lock()
        .unwrap_or_else(std::sync::PoisonError::into_inner)
        .push(request_id.to_owned());
}

/// Where a poll of `request_id` panics when a unit test asked for it ([`panic_on_next_poll`]);
/// nothing in any other build.
pub(crate) fn poll_panic_point(request_id: &str) {
    #[cfg(test)]
    {
        let asked = {
            let mut asked = PANIC_ON_POLL
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let at = asked.iter().position(|id| id == request_id);
            at.map(|at| asked.remove(at)).is_some()
        };
        assert!(!asked, "test seam: the poll of {request_id} panics");
    }
    #[cfg(not(test))]
    let _ = request_id;
}
