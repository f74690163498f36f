//! The app killed at a kill point: a debug build started with `BULK_COLLECT_KILL_AT=<point>:<n>`
//! (`collect_core::test_seams`) stops there for good and says so on stderr, which tauri-driver
//! and WebKitWebDriver pass on to the log; this side sees the line and kills the app's process
//! with SIGKILL, as a power cut or the task manager would.

use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use collect_core::test_seams::KILL_POINT_MARKER;

use super::{is_running, single_instance_is_taken, Desktop, POLL};

impl Desktop {
    /// How long the log is now: [`Desktop::kill_point_reached`] reads only what comes after.
    pub fn log_len(&self) -> u64 {
        std::fs::metadata(self.root.path().join("app.log")).map_or(0, |meta| meta.len())
    }

    /// Waits (forever: race it against the run it watches) until the app says, after byte
    /// `since` of the log, that it stopped at a kill point; returns the `<point>:<n>` it named.
    pub async fn kill_point_reached(&self, since: u64) -> String {
        loop {
            let log = std::fs::read(self.root.path().join("app.log")).unwrap_or_default();
            let start = usize::try_from(since).map_or(log.len(), |since| since.min(log.len()));
            let text = String::from_utf8_lossy(&log[start..]);
            let reached = text.lines().find_map(|line| {
                let (_, point) = line.split_once(KILL_POINT_MARKER)?;
                Some(point.trim().to_owned())
            });
            if let Some(point) = reached {
                return point;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Kills the app's process with SIGKILL and waits until it is gone and its single-instance
    /// name is free; then starts a new `tauri-driver` with `setup` (the old one's session died
    /// with the app), ready for [`Desktop::open`] on the same folders.
    pub async fn kill_app(&mut self, setup: &super::Setup) {
        let running = self.app_processes();
        assert!(
            !running.is_empty(),
            "the app's process is not found (bulk-collect in tauri-driver's process group)"
        );
        for pid in &running {
            let killed = Command::new("kill")
                .args(["-KILL", &pid.to_string()])
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|status| status.success());
            assert!(killed, "SIGKILL to the app ({pid}) failed");
        }
        let deadline = Instant::now() + Duration::from_secs(20);
        while running.iter().any(|&pid| is_running(pid)) || single_instance_is_taken() {
            assert!(
                Instant::now() < deadline,
                "the app is still there 20 s after SIGKILL:\n{}",
                self.log_tail()
            );
            tokio::time::sleep(POLL).await;
        }
        self.restart_driver(setup).await;
    }
}
