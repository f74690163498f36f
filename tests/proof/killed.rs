//! The real CLI killed with SIGKILL at a named kill point (`collect_core::test_seams`): the child
//! stops at the point and says so on stderr, and this side kills it at that moment.

use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::{Child, Command, Output, Stdio};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use collect_core::test_seams::{KILL_AT_ENV, KILL_POINT_MARKER, POLL_MS_ENV};

use crate::workspace_binary;

/// How one CLI run ended.
#[derive(Debug)]
pub enum Ran {
    /// It ran to its end by itself.
    Finished(Output),
    /// It stopped at the kill point and was killed there (SIGKILL).
    Killed {
        /// `<point>:<n>` as the child reported it.
        point: String,
    },
}

/// How a CLI process is started: against which service, on which data folder, with which key.
#[derive(Clone, Debug)]
pub struct CliTarget {
    /// The service's base URL.
    pub api_base: String,
    /// The data folder.
    pub data_dir: std::path::PathBuf,
    /// The download root (`BULK_COLLECT_DOWNLOAD_DIR`; the app's may lie outside the data folder).
    pub downloads: std::path::PathBuf,
    /// The API key (`BULK_COLLECT_API_KEY`).
    pub key: String,
    /// The first poll's wait, in milliseconds (`BULK_COLLECT_TEST_POLL_MS`).
    pub poll_ms: u64,
}

impl CliTarget {
    /// The command for `args`, outputs piped, no standard input.
    pub fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(workspace_binary("bulk-collect-cli"));
        command
            .args(["--api-base", &self.api_base, "--data-dir"])
            .arg(&self.data_dir)
            .args(args)
            .env("BULK_COLLECT_API_KEY", &self.key)
            .env(POLL_MS_ENV, self.poll_ms.to_string())
            .env("BULK_COLLECT_DOWNLOAD_DIR", &self.downloads)
            .env_remove(KILL_AT_ENV)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        command
    }

    /// Runs `args`; with `kill_at` (`<point>:<n>`), kills the process with SIGKILL when it reaches
    /// that point, or after `kill_after` when given (a kill at a random moment). Blocking: call it
    /// from `spawn_blocking` in async tests.
    pub fn run(&self, args: &[&str], kill_at: Option<&str>, kill_after: Option<Duration>) -> Ran {
        let mut command = self.command(args);
        if let Some(point) = kill_at {
            command.env(KILL_AT_ENV, point);
        }
        let mut child = command.spawn().expect("the CLI starts");
        let stdout = drain(child.stdout.take().expect("piped stdout"));
        let (lines, stderr) = stderr_lines(child.stderr.take().expect("piped stderr"));
        let started = Instant::now();
        let deadline = started + Duration::from_secs(120);
        loop {
            if let Ok(point) = lines.recv_timeout(Duration::from_millis(5)) {
                return killed(&mut child, point);
            }
            if kill_after.is_some_and(|after| started.elapsed() >= after) {
                return killed(&mut child, "random moment".into());
            }
            if let Some(status) = child.try_wait().expect("the CLI's status") {
                // A marker printed just before exiting cannot happen (the child parks there).
                return Ran::Finished(Output {
                    status,
                    stdout: stdout.join().expect("stdout reader"),
                    stderr: stderr.join().expect("stderr reader"),
                });
            }
            if Instant::now() > deadline {
                let _ = child.kill();
                let _ = child.wait();
                panic!(
                    "`bulk-collect-cli {}` did not end within 120 s; stderr: {}",
                    args.join(" "),
                    String::from_utf8_lossy(&stderr.join().unwrap_or_default())
                );
            }
        }
    }
}

fn killed(child: &mut Child, point: String) -> Ran {
    child.kill().expect("SIGKILL");
    child.wait().expect("the killed CLI is reaped");
    Ran::Killed { point }
}

fn drain(mut from: impl Read + Send + 'static) -> std::thread::JoinHandle<Vec<u8>> {
    std::thread::spawn(move || {
        let mut all = Vec::new();
        let _ = from.read_to_end(&mut all);
        all
    })
}

/// Reads stderr line by line, sending the kill-point marker's `<point>:<n>` as soon as it comes.
fn stderr_lines(
    from: impl Read + Send + 'static,
) -> (mpsc::Receiver<String>, std::thread::JoinHandle<Vec<u8>>) {
    let (sender, receiver) = mpsc::channel();
    let reader = std::thread::spawn(move || {
        let mut all = Vec::new();
        let mut reader = BufReader::new(from);
        let mut line = Vec::new();
        while reader.read_until(b'\n', &mut line).unwrap_or(0) > 0 {
            let text = String::from_utf8_lossy(&line);
            if let Some(point) = text.trim().strip_prefix(KILL_POINT_MARKER) {
                let _ = sender.send(point.to_owned());
            }
            all.append(&mut line);
        }
        all
    });
    (receiver, reader)
}

/// `PRAGMA integrity_check` of the database in `data_dir`: "ok" or what SQLite found.
pub fn integrity(data_dir: &Path) -> String {
    let connection = open(data_dir);
    connection
        .query_row("PRAGMA integrity_check", [], |row| row.get(0))
        .expect("integrity_check runs")
}

/// Spent quotes that made no job (money spent on nothing): their ids.
pub fn quotes_spent_without_a_job(data_dir: &Path) -> Vec<i64> {
    let connection = open(data_dir);
    let mut statement = connection
        .prepare(
            "SELECT id FROM quotes WHERE spent_at IS NOT NULL AND \
             (job_id IS NULL OR job_id NOT IN (SELECT id FROM jobs))",
        )
        .expect("the query prepares");
    let rows = statement
        .query_map([], |row| row.get(0))
        .expect("the query runs");
    rows.map(|row| row.expect("a row")).collect()
}

/// Every job as (id, state, request id), oldest first, read by a connection of its own.
pub fn jobs(data_dir: &Path) -> Vec<(i64, String, Option<String>)> {
    if !collect_core::store::Store::default_path(data_dir).exists() {
        return Vec::new();
    }
    let connection = open(data_dir);
    let mut statement = connection
        .prepare("SELECT id, state, request_id FROM jobs ORDER BY id")
        .expect("the query prepares");
    let rows = statement
        .query_map([], |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)))
        .expect("the query runs");
    rows.map(|row| row.expect("a row")).collect()
}

fn open(data_dir: &Path) -> rusqlite::Connection {
    let path = collect_core::store::Store::default_path(data_dir);
    let connection = rusqlite::Connection::open(path).expect("the database opens");
    connection
        .busy_timeout(Duration::from_secs(10))
        .expect("busy timeout");
    connection
}
