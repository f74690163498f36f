//! What a lease needs to know about processes: who this process is (its pid, its start time, the
//! boot and the machine it runs on), whether another process on this machine still runs, and the
//! wall clock. Read from the operating system by [`Os`]; tests put another [`Host`] in its place to
//! move the clock or to play another machine.
//!
//! Only Linux is read (`/proc`); elsewhere liveness is unknown and a lease's expiry decides.

use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

/// A process, as a lease row records its holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct ProcessId {
    /// The process id.
    pub pid: u32,
    /// When it started, in clock ticks since boot (Linux: field 22 of `/proc/<pid>/stat`): a pid
    /// reused by a later process has another start time.
    pub started: Option<u64>,
    /// The boot it runs in (`/proc/sys/kernel/random/boot_id`).
    pub boot: Option<String>,
    /// The machine it runs on (`/etc/machine-id`, else the host name) and its PID namespace.
    pub machine: Option<String>,
}

/// What the operating system says about a process on this machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Probe {
    /// It runs, and started at this time (clock ticks since boot).
    Running(u64),
    /// It has ended (no such process, or a zombie).
    Ended,
    /// It cannot be told (no `/proc`, another PID namespace, not Linux).
    Unknown,
}

/// The seam between leases and the operating system.
pub(crate) trait Host: Send + Sync {
    /// The wall clock, in milliseconds since 1970.
    fn now_ms(&self) -> i64;
    /// This process.
    fn this_process(&self) -> ProcessId;
    /// Whether process `pid` of this machine and boot still runs.
    fn probe(&self, pid: u32) -> Probe;
}

/// The real operating system.
pub(crate) struct Os;

impl Host for Os {
    fn now_ms(&self) -> i64 {
        SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .map_or(0, |since| {
                i64::try_from(since.as_millis()).unwrap_or(i64::MAX)
            })
    }

    fn this_process(&self) -> ProcessId {
        static ME: OnceLock<ProcessId> = OnceLock::new();
        ME.get_or_init(|| {
            let pid = std::process::id();
            ProcessId {
                pid,
                started: match probe(pid) {
                    Probe::Running(started) => Some(started),
                    Probe::Ended | Probe::Unknown => None,
                },
                boot: read_trimmed("/proc/sys/kernel/random/boot_id"),
                machine: machine(),
            }
        })
        .clone()
    }

    fn probe(&self, pid: u32) -> Probe {
        probe(pid)
    }
}

/// The machine, as seen from this process's PID namespace: a process in a sandbox or container
/// numbers processes differently, so one seen from another namespace counts as on another machine
/// (its expiry decides) rather than as ended.
fn machine() -> Option<String> {
    let id = read_trimmed("/etc/machine-id")
        .or_else(|| read_trimmed("/var/lib/dbus/machine-id"))
        .or_else(|| read_trimmed("/proc/sys/kernel/hostname"))?;
    let namespace = std::fs::read_link("/proc/self/ns/pid").ok()?;
    Some(format!("{id} {}", namespace.display()))
}

fn read_trimmed(path: &str) -> Option<String> {
    if !cfg!(target_os = "linux") {
        return None;
    }
    let text = std::fs::read_to_string(path).ok()?;
    let text = text.trim();
    (!text.is_empty()).then(|| text.to_owned())
}

fn probe(pid: u32) -> Probe {
    if !cfg!(target_os = "linux") {
        return Probe::Unknown;
    }
    match std::fs::read_to_string(format!("/proc/{pid}/stat")) {
        Ok(stat) => parse_stat(&stat),
        Err(error) if error.kind() == std::io::ErrorKind::NotFound => Probe::Ended,
        // Unreadable for another reason (another PID namespace, no file handles left).
        Err(_) => Probe::Unknown,
    }
}

/// Reads a `/proc/<pid>/stat` line: after the command name (in parentheses, which may itself hold
/// spaces and parentheses) come the state (field 3) and, 19 fields on, the start time (field 22).
fn parse_stat(stat: &str) -> Probe {
    let Some((_, rest)) = stat.rsplit_once(')') else {
        return Probe::Unknown;
    };
    let mut fields = rest.split_whitespace();
    let state = fields.next().unwrap_or_default();
    // A zombie (Z) or dead (X) process has ended: only its parent has not collected it yet.
    if state.starts_with('Z') || state.starts_with('X') {
        return Probe::Ended;
    }
    match fields.nth(18).and_then(|started| started.parse().ok()) {
        Some(started) => Probe::Running(started),
        None => Probe::Unknown,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stat_line_gives_the_state_and_the_start_time() {
        let line = "4242 (a (strange) name) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10";
        assert_eq!(parse_stat(line), Probe::Running(987_654));
        let zombie = "4242 (cli) Z 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 0 0";
        assert_eq!(parse_stat(zombie), Probe::Ended);
        assert_eq!(parse_stat("garbage"), Probe::Unknown);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn this_process_runs_and_knows_its_machine_and_boot() {
        let me = Os.this_process();
        assert_eq!(me.pid, std::process::id());
        assert!(me.started.is_some() && me.boot.is_some() && me.machine.is_some());
        assert_eq!(Os.probe(me.pid), Probe::Running(me.started.unwrap_or(0)));
        assert_eq!(Os.probe(u32::MAX - 1), Probe::Ended);
    }
}
