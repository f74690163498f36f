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
    /// It has ended (no such process where every process can be seen, or a zombie).
    Ended,
    /// It cannot be told (no `/proc`, `/proc` hiding other users' processes, another PID
    /// namespace, not Linux): the lease's expiry decides.
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

/// Whether process `pid` runs. Not Linux: unknown, always (a lease's expiry decides there, by
/// design: no other system is read).
fn probe(pid: u32) -> Probe {
    if !cfg!(target_os = "linux") {
        return Probe::Unknown;
    }
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).map_err(|error| error.kind());
    let sees_every_process = matches!(&stat, Err(std::io::ErrorKind::NotFound))
        && std::fs::read_to_string("/proc/self/stat").is_ok()
        && std::fs::read_to_string("/proc/self/mountinfo")
            .is_ok_and(|mounts| !hides_processes(&mounts));
    judge(stat, sees_every_process)
}

/// What `/proc/<pid>/stat` (read as `stat`) says of a process. A missing one means it ended only
/// when this process can see every process (`sees_every_process`: its own `/proc/self` is
/// readable and `/proc` is not mounted to hide other users' processes, `hidepid`): otherwise
/// another user's process looks missing while it runs. Any other error says nothing.
fn judge(stat: Result<String, std::io::ErrorKind>, sees_every_process: bool) -> Probe {
    match stat {
        Ok(stat) => parse_stat(&stat),
        Err(std::io::ErrorKind::NotFound) if sees_every_process => Probe::Ended,
        // Hidden, unreadable (another PID namespace, no file handles left): unknown.
        Err(_) => Probe::Unknown,
    }
}

/// True when `/proc` is mounted with `hidepid` (other than 0, "off"), according to `mountinfo`
/// (`/proc/self/mountinfo`): other users' processes may then be missing from it, or unreadable.
/// Also true when no `/proc` mount is listed at all.
fn hides_processes(mountinfo: &str) -> bool {
    let mut proc_mounts = mountinfo.lines().filter_map(|line| {
        let (mount, fs) = line.split_once(" - ")?;
        let mount_point = mount.split_whitespace().nth(4)?;
        let mut fs = fs.split_whitespace();
        let kind = fs.next()?;
        let options = fs.nth(1).unwrap_or_default();
        (mount_point == "/proc" && kind == "proc").then_some(options)
    });
    let Some(first) = proc_mounts.next() else {
        return true;
    };
    std::iter::once(first).chain(proc_mounts).any(|options| {
        options.split(',').any(|option| {
            option
                .strip_prefix("hidepid=")
                .is_some_and(|value| !matches!(value, "0" | "off"))
        })
    })
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

    #[test]
    fn a_missing_process_has_ended_only_where_every_process_is_seen() {
        use std::io::ErrorKind;
        assert_eq!(judge(Err(ErrorKind::NotFound), true), Probe::Ended);
        // `hidepid`, or no readable `/proc/self`: another user's process looks missing.
        assert_eq!(judge(Err(ErrorKind::NotFound), false), Probe::Unknown);
        for other in [ErrorKind::PermissionDenied, ErrorKind::Other] {
            assert_eq!(judge(Err(other), true), Probe::Unknown, "{other:?}");
        }
        let line =
            "4242 (cli) S 1 4242 4242 0 -1 4194560 100 0 0 0 1 2 0 0 20 0 1 0 987654 1000 10";
        assert_eq!(judge(Ok(line.into()), false), Probe::Running(987_654));
    }

    #[test]
    fn proc_mounted_with_hidepid_hides_processes() {
        let plain = "22 27 0:21 / /proc rw,relatime shared:5 - proc proc rw\n\
                     23 27 0:22 / /sys rw - sysfs sysfs rw\n";
        assert!(!hides_processes(plain));
        for hidden in ["rw,hidepid=2", "rw,hidepid=invisible", "rw,hidepid=1,gid=4"] {
            let mounts = format!("22 27 0:21 / /proc rw,relatime - proc proc {hidden}\n");
            assert!(hides_processes(&mounts), "{hidden}");
        }
        assert!(!hides_processes(
            "22 27 0:21 / /proc rw - proc proc rw,hidepid=0\n"
        ));
        assert!(hides_processes("23 27 0:22 / /sys rw - sysfs sysfs rw\n"));
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
