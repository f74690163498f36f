//! A throwaway PostgreSQL cluster for the team library's suite and bench: `initdb` in a temporary
//! folder, its own free port, listening on 127.0.0.1 only, password (SCRAM) authentication for a
//! test role. Stopped and deleted when dropped, a failed test included. Run as root (a container),
//! the server's commands run as the `postgres` user, as PostgreSQL refuses root.

use std::net::TcpListener;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The test role's password.
pub const TEAM_PASSWORD: &str = "team-secret-pw";
/// The role colleagues connect as.
pub const TEAM_USER: &str = "team_app";
/// The superuser's password (for `psql` in tests).
const SUPER_PASSWORD: &str = "super-secret-pw";

/// A running cluster; dropped: stopped at once and its folder deleted.
pub struct PgCluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    /// The port it listens on, on 127.0.0.1.
    pub port: u16,
}

/// The newest `/usr/lib/postgresql/*/bin` (PATH may not name it), or PATH's `initdb`.
pub fn pg_bin() -> PathBuf {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let version = entry.file_name().to_string_lossy().parse::<u32>().ok()?;
            let bin = entry.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    match found.pop() {
        Some((_, bin)) => bin,
        None => PathBuf::new(),
    }
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .map(|out| String::from_utf8_lossy(&out.stdout).trim() == "0")
        .unwrap_or(false)
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .and_then(|listener| listener.local_addr())
        .map(|address| address.port())
        .expect("a free port")
}

impl PgCluster {
    /// Starts a new cluster with database `team` owned by [`TEAM_USER`].
    pub fn start() -> Self {
        let bin = pg_bin();
        let dir = tempfile::Builder::new()
            .prefix("bc-pg-")
            .tempdir()
            .expect("a temporary folder");
        if is_root() {
            let status = Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(dir.path())
                .status()
                .expect("chown runs");
            assert!(status.success());
        }
        let cluster = Self {
            dir,
            bin,
            port: free_port(),
        };
        let pwfile = cluster.dir.path().join("pw");
        std::fs::write(&pwfile, SUPER_PASSWORD).unwrap();
        if is_root() {
            Command::new("chown")
                .args(["postgres:postgres"])
                .arg(&pwfile)
                .status()
                .unwrap();
        }
        let data = cluster.data();
        cluster.run(
            "initdb",
            &[
                "-D",
                &data.to_string_lossy(),
                "-U",
                "postgres",
                "--auth=scram-sha-256",
                &format!("--pwfile={}", pwfile.display()),
                "-E",
                "UTF8",
                "--no-sync",
            ],
        );
        let conf = format!(
            "\nlisten_addresses = '127.0.0.1'\nport = {}\nunix_socket_directories = '{}'\nfsync = off\nmax_connections = 50\n",
            cluster.port,
            cluster.dir.path().display()
        );
        let mut text = std::fs::read_to_string(data.join("postgresql.conf")).unwrap();
        text.push_str(&conf);
        std::fs::write(data.join("postgresql.conf"), text).unwrap();
        cluster.start_again();
        cluster.psql_in(
            "postgres",
            &format!("CREATE ROLE {TEAM_USER} LOGIN PASSWORD '{TEAM_PASSWORD}'"),
        );
        cluster.psql_in(
            "postgres",
            &format!("CREATE DATABASE team OWNER {TEAM_USER}"),
        );
        cluster
    }

    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    /// Runs one of the server's programs (as `postgres` when root); panics with its output if
    /// it fails.
    fn run(&self, program: &str, args: &[&str]) -> Output {
        let output = self
            .command(program, args)
            .output()
            .expect("the program runs");
        assert!(
            output.status.success(),
            "{program} failed: {}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        output
    }

    /// The command for one of the server's programs (as `postgres` when root).
    pub fn command(&self, program: &str, args: &[&str]) -> Command {
        let path = self.bin.join(program);
        let mut command = if is_root() {
            let mut command = Command::new("runuser");
            command.args(["-u", "postgres", "--"]).arg(path);
            command
        } else {
            Command::new(path)
        };
        command.args(args).env("PGPASSWORD", SUPER_PASSWORD);
        command
    }

    /// Starts the server (again) and waits until it accepts connections.
    pub fn start_again(&self) {
        let log = self.dir.path().join("server.log");
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data().to_string_lossy(),
                "-l",
                &log.to_string_lossy(),
                "-w",
                "start",
            ],
        );
    }

    /// Stops the server at once, as a crash would (`pg_ctl stop -m immediate`).
    pub fn kill(&self) {
        self.run(
            "pg_ctl",
            &[
                "-D",
                &self.data().to_string_lossy(),
                "-m",
                "immediate",
                "-w",
                "stop",
            ],
        );
    }

    /// Runs `sql` in database `team` as the superuser; its output, unaligned, tuples only.
    pub fn psql(&self, sql: &str) -> String {
        self.psql_in("team", sql)
    }

    /// `psql` arguments for database `database` as the superuser.
    pub fn psql_args(&self, database: &str) -> Vec<String> {
        [
            "-h",
            "127.0.0.1",
            "-p",
            &self.port.to_string(),
            "-U",
            "postgres",
            "-d",
            database,
            "-v",
            "ON_ERROR_STOP=1",
            "-At",
        ]
        .iter()
        .map(|arg| arg.to_string())
        .collect()
    }

    /// Runs `sql` in `database` as the superuser; its output, unaligned, tuples only.
    pub fn psql_in(&self, database: &str, sql: &str) -> String {
        let output = self.run(
            "psql",
            &[
                "-h",
                "127.0.0.1",
                "-p",
                &self.port.to_string(),
                "-U",
                "postgres",
                "-d",
                database,
                "-v",
                "ON_ERROR_STOP=1",
                "-At",
                "-c",
                sql,
            ],
        );
        String::from_utf8_lossy(&output.stdout).trim().to_owned()
    }

    /// The address colleagues are given: no password in it.
    pub fn url(&self) -> String {
        format!("postgres://{TEAM_USER}@127.0.0.1:{}/team", self.port)
    }

    /// The cluster's folder.
    pub fn dir(&self) -> &Path {
        self.dir.path()
    }
}

impl Drop for PgCluster {
    fn drop(&mut self) {
        // Stopped at once; a server already stopped just fails here. The folder goes with `dir`.
        let _ = self
            .command(
                "pg_ctl",
                &[
                    "-D",
                    &self.data().to_string_lossy(),
                    "-m",
                    "immediate",
                    "-w",
                    "stop",
                ],
            )
            .output();
    }
}
