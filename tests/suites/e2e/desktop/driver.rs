//! `tauri-driver` started for one installation, the app's processes found and ended, and the
//! checks of what the suite needs (an X display, a throwaway keychain, the drivers).

use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use super::{Desktop, Setup, WEBKIT_WEBDRIVER};

/// Starts `tauri-driver` for the folders under `root` and `setup` (the app inherits its
/// environment); returns it and its two ports (its own, WebKitWebDriver's). The log is appended
/// to, so that it keeps what every run of the app printed.
pub(super) fn spawn_driver(root: &Path, setup: &Setup) -> (Child, u16, u16) {
    let driver_binary = preflight();
    let log = std::fs::OpenOptions::new()
        .create(true)
        .append(true)
        .open(root.join("app.log"))
        .expect("the log file");
    let port = free_port();
    let native_port = free_port();
    let mut command = Command::new(&driver_binary);
    command
        .args(["--port", &port.to_string()])
        .args(["--native-port", &native_port.to_string()])
        .args(["--native-driver", WEBKIT_WEBDRIVER])
        .env("BULK_COLLECT_DATA_DIR", root.join("data"))
        .env("BULK_COLLECT_DOWNLOAD_DIR", root.join("downloads"))
        .env("BULK_COLLECT_LOG", "info")
        // No spreadsheet program runs here: the app writes what it would open into this file.
        .env("BULK_COLLECT_TEST_OPENED_FILE", root.join("opened.txt"))
        // WebDriver cannot answer the native "Spend credits?" dialog: the person says yes
        // (unless the test answers the real dialog: see below).
        .env("BULK_COLLECT_TEST_MONEY_ANSWER", "yes")
        .env("NO_AT_BRIDGE", "1") // no accessibility bus: WebDriver does not use it
        // The app's own files (window state, WebKit's storage and cache) stay in the test's
        // folder too; the keychain is the D-Bus session's.
        .env("XDG_CONFIG_HOME", root.join("config"))
        .env("XDG_CACHE_HOME", root.join("cache"))
        .env("XDG_DATA_HOME", root.join("share"))
        .env_remove("BULK_COLLECT_API_KEY")
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("the log file"))
        .stderr(log);
    match &setup.api_base {
        Some(base) => command.env("BULK_COLLECT_API_BASE", base),
        None => command.env_remove("BULK_COLLECT_API_BASE"),
    };
    match &setup.pick_file {
        Some(path) => command.env("BULK_COLLECT_TEST_PICK_FILE", path),
        None => command.env_remove("BULK_COLLECT_TEST_PICK_FILE"),
    };
    if setup.native_money_dialog {
        command.env_remove("BULK_COLLECT_TEST_MONEY_ANSWER");
    }
    for (name, value) in &setup.env {
        command.env(name, value);
    }
    // Its own process group: tauri-driver, WebKitWebDriver, the app and WebKit's helper
    // processes are all ended together on drop, by this group's id.
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let driver = command
        .spawn()
        .unwrap_or_else(|error| panic!("{} does not start: {error}", driver_binary.display()));
    (driver, port, native_port)
}

impl Desktop {
    /// Waits until tauri-driver and the WebKitWebDriver it starts both listen: tauri-driver
    /// listens at once, but a session asked for before WebKitWebDriver listens fails (seen on a
    /// cold first run as "client error (Connect)").
    pub(super) async fn wait_for_driver(&mut self, native_port: u16) {
        let deadline = Instant::now() + Duration::from_secs(20);
        for (name, port) in [("tauri-driver", self.port), (WEBKIT_WEBDRIVER, native_port)] {
            while TcpStream::connect(("127.0.0.1", port)).is_err() {
                if let Ok(Some(status)) = self.driver.try_wait() {
                    panic!(
                        "tauri-driver exited ({status}) before {name} listened:\n{}",
                        self.log_tail()
                    );
                }
                assert!(
                    Instant::now() < deadline,
                    "{name} does not listen on port {port}:\n{}",
                    self.log_tail()
                );
                tokio::time::sleep(Duration::from_millis(50)).await;
            }
        }
    }

    /// The ids of the app's processes now running (the process group's `bulk-collect`).
    pub(super) fn app_processes(&self) -> Vec<u32> {
        let group = self.driver.id();
        let Ok(entries) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        entries
            .flatten()
            .filter_map(|entry| entry.file_name().to_str()?.parse::<u32>().ok())
            .filter(|pid| {
                let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else {
                    return false;
                };
                // "pid (comm) state ppid pgrp …": the name may hold spaces, so split after ')'.
                let Some((name, rest)) =
                    stat.split_once(" (").and_then(|(_, s)| s.rsplit_once(')'))
                else {
                    return false;
                };
                let fields: Vec<&str> = rest.split_whitespace().collect();
                name == "bulk-collect"
                    && fields.get(2) == Some(&group.to_string().as_str())
                    && fields.first() != Some(&"Z")
            })
            .collect()
    }

    pub(super) fn signal_group(&self, signal: &str) {
        let _ = Command::new("kill")
            .args([signal, "--", &format!("-{}", self.driver.id())])
            .stderr(Stdio::null())
            .status();
    }
}

/// The D-Bus name the app holds while it runs (tauri-plugin-single-instance: the app's identifier
/// in `tauri.conf.json` + `.SingleInstance`).
const SINGLE_INSTANCE_NAME: &str = "com.bulkcollect.desktop.SingleInstance";

/// Whether an app holds the single-instance name on the session bus (`dbus-send`).
pub(super) fn single_instance_is_taken() -> bool {
    Command::new("dbus-send")
        .args([
            "--session",
            "--print-reply",
            "--dest=org.freedesktop.DBus",
            "/org/freedesktop/DBus",
            "org.freedesktop.DBus.NameHasOwner",
        ])
        .arg(format!("string:{SINGLE_INSTANCE_NAME}"))
        .stderr(Stdio::null())
        .output()
        .is_ok_and(|output| String::from_utf8_lossy(&output.stdout).contains("boolean true"))
}

/// Whether process `pid` exists and is not a zombie.
pub(super) fn is_running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let (_, rest) = stat.rsplit_once(')')?;
            rest.split_whitespace().next().map(|state| state != "Z")
        })
        .unwrap_or(false)
}

/// Checks what the suite needs and returns the `tauri-driver` to use; fails with a clear message.
fn preflight() -> PathBuf {
    const HOW: &str = "run the end-to-end tests with `make test-e2e` (Xvfb, a D-Bus session with \
                       gnome-keyring, the pinned tauri-driver)";
    assert!(
        std::env::var_os("DISPLAY").is_some_and(|display| !display.is_empty()),
        "no X display (DISPLAY is not set): {HOW}"
    );
    // The Live tests store a key in the keychain: never in the keychain of the person running them.
    assert!(
        std::env::var_os("BULK_COLLECT_THROWAWAY_KEYCHAIN").is_some(),
        "not inside tests/support/with-keyring.sh (a throwaway gnome-keyring in a private D-Bus \
         session); the tests would write to your own keychain: {HOW}"
    );
    assert!(
        Path::new(WEBKIT_WEBDRIVER).exists(),
        "{WEBKIT_WEBDRIVER} is missing: install the Debian package webkit2gtk-driver (make deps)"
    );
    let driver = std::env::var_os("TAURI_DRIVER")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("tauri-driver"));
    let found = Command::new(&driver)
        .arg("--help")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|status| status.success());
    assert!(
        found,
        "tauri-driver not found at {} (set TAURI_DRIVER): {HOW}",
        driver.display()
    );
    driver
}

/// A port on 127.0.0.1 that was free a moment ago.
fn free_port() -> u16 {
    TcpListener::bind(("127.0.0.1", 0))
        .and_then(|listener| listener.local_addr())
        .expect("a free port on loopback")
        .port()
}
