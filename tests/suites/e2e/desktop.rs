//! The desktop app end to end: the built `bulk-collect` binary in WebKitGTK, driven through
//! WebDriver (`tauri-driver` → `WebKitWebDriver` → the app) on the X display of the caller.
//!
//! `make test-e2e` provides the world: an Xvfb display (`xvfb-run`), a private D-Bus session with a
//! throwaway, unlocked gnome-keyring (`tests/support/with-keyring.sh`, which says so in
//! `BULK_COLLECT_THROWAWAY_KEYCHAIN`: the Live tests store a key) and the pinned `tauri-driver` (in
//! `TAURI_DRIVER`). Without them the tests fail with a message that says what is missing; they are
//! never skipped silently.
//!
//! - [`Desktop`] is one installation of the app: its own data, download, config and cache folders,
//!   and a `tauri-driver` whose environment the app inherits (the test seams
//!   `BULK_COLLECT_DATA_DIR`, `BULK_COLLECT_DOWNLOAD_DIR`, `BULK_COLLECT_API_BASE`,
//!   `BULK_COLLECT_TEST_PICK_FILE`; `XDG_*_HOME`).
//! - [`App`] is one run of the app: a WebDriver session. Closing it quits the app; opening another
//!   on the same [`Desktop`] is a restart on the same data.
//! - [`ExternalSim`] is a `coresignal-sim` process for Live mode, with its `/_sim` admin API.
//!
//! Every wait polls with a deadline and, on timeout, fails with what the window shows (headings,
//! error messages, job state), the app's log and a screenshot; no test asserts a wall-clock time.
//!
//! The helpers live by what they do: `driver` starts `tauri-driver` and watches the app's
//! processes; `actions` clicks and types; `waits` waits for what the window shows; `report` says
//! what the window and the log show when a wait fails; `screen` takes pictures and answers native
//! dialogs through X; `sim` is the external simulator; `crash` kills the app at kill points.

use std::path::PathBuf;
use std::process::Child;
use std::time::{Duration, Instant};

use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

use bulk_collect_tests::workspace_binary;

use driver::{is_running, single_instance_is_taken, spawn_driver};

/// Clicks, typing and quitting: what a person does in the window.
mod actions;
/// The app killed with SIGKILL at a kill point, and started again.
mod crash;
/// `tauri-driver`, the app's processes and what the suite needs to run.
mod driver;
/// What the window and the log show, for failure messages.
mod report;
/// Screenshots and the app's native dialogs, through the X display.
mod screen;
/// The external simulator for Live mode.
mod sim;
/// Waiting until the window shows something.
mod waits;

pub use screen::answer_native_dialog;
pub use sim::ExternalSim;

/// How long a wait lasts before the test fails (Practice files are ready after ~4 s; the engine
/// polls after 5 s; a loaded machine is slower).
pub const WAIT: Duration = Duration::from_secs(60);

/// How often a wait looks again.
const POLL: Duration = Duration::from_millis(200);

/// One WebDriver command may take this long before the test fails (instead of hanging).
const COMMAND_TIMEOUT: Duration = Duration::from_secs(20);

/// The native WebDriver of WebKitGTK (Debian package `webkit2gtk-driver`).
const WEBKIT_WEBDRIVER: &str = "/usr/bin/WebKitWebDriver";

/// Only one app runs at a time: the app is single-instance (a second one hands over to the first
/// and exits), so tests that run in parallel threads wait for each other here.
static ONE_APP_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// What the app is started with, beyond its own data and download folders.
#[derive(Debug, Default, Clone)]
pub struct Setup {
    /// `BULK_COLLECT_API_BASE`: the service address for Live mode.
    pub api_base: Option<String>,
    /// `BULK_COLLECT_TEST_PICK_FILE`: what the list chooser (*Choose a file…*) returns.
    pub pick_file: Option<PathBuf>,
    /// More environment for the app (set last): test seams such as `BULK_COLLECT_KILL_AT`.
    pub env: Vec<(String, String)>,
    /// The native money dialog really shows (answered through X with [`answer_native_dialog`]);
    /// otherwise `BULK_COLLECT_TEST_MONEY_ANSWER` says yes for the person.
    pub native_money_dialog: bool,
}

/// One installation of the app: folders, and a `tauri-driver` that starts the app with them.
pub struct Desktop {
    driver: Child,
    port: u16,
    root: tempfile::TempDir,
    _one_at_a_time: tokio::sync::MutexGuard<'static, ()>,
}

impl Desktop {
    /// Prepares fresh folders and starts `tauri-driver` (not the app yet: see [`Desktop::open`]).
    pub async fn start(setup: Setup) -> Self {
        let one_at_a_time = ONE_APP_AT_A_TIME.lock().await;
        let root = tempfile::tempdir().expect("a temporary folder");
        for folder in ["data", "downloads", "config", "cache", "share"] {
            std::fs::create_dir(root.path().join(folder)).expect("a test folder");
        }
        let (driver, port, native_port) = spawn_driver(root.path(), &setup);
        let mut desktop = Self {
            driver,
            port,
            root,
            _one_at_a_time: one_at_a_time,
        };
        desktop.wait_for_driver(native_port).await;
        desktop
    }

    /// Ends this installation's `tauri-driver` (and what it started) and starts a new one with
    /// `setup`, on the same folders: the next [`Desktop::open`] starts the app with `setup`'s
    /// environment. The app must not be running (see `crash::kill_app`).
    pub async fn restart_driver(&mut self, setup: &Setup) {
        self.signal_group("-KILL");
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        let (driver, port, native_port) = spawn_driver(self.root.path(), setup);
        self.driver = driver;
        self.port = port;
        self.wait_for_driver(native_port).await;
    }

    /// Starts the app: a new WebDriver session, once the window shows the UI.
    pub async fn open(&self) -> App<'_> {
        let binary = workspace_binary("bulk-collect");
        let capabilities = json!({
            "browserName": "wry",
            "tauri:options": { "application": binary },
        });
        let Value::Object(capabilities) = capabilities else {
            unreachable!("a JSON object literal")
        };
        let url = format!("http://127.0.0.1:{}", self.port);
        let mut builder = ClientBuilder::new(HttpConnector::new());
        builder.capabilities(capabilities);
        let client = match tokio::time::timeout(WAIT, builder.connect(&url)).await {
            Ok(Ok(client)) => client,
            Ok(Err(error)) => panic!(
                "no WebDriver session (the app did not start): {error}\n{}",
                self.log_tail()
            ),
            Err(_) => panic!(
                "no WebDriver session after {WAIT:?} (the app did not start)\n{}",
                self.log_tail()
            ),
        };
        let app = App {
            client,
            desktop: self,
        };
        app.wait_until("the UI is loaded (no longer \"Starting…\")", || async {
            let heading = app.client.find(Locator::Css("h1")).await.ok()?;
            Some(heading.text().await.ok()?).filter(|text| !text.is_empty())
        })
        .await;
        app
    }

    /// The app's data folder (`BULK_COLLECT_DATA_DIR`).
    pub fn data_dir(&self) -> PathBuf {
        self.root.path().join("data")
    }

    /// Every file of this installation that contains `needle`: the app's data (SQLite, its WAL,
    /// journals, settings), downloads, the log, and the webview's own storage (WebKit keeps local
    /// storage, IndexedDB and caches under the XDG data and cache folders set here).
    pub fn files_containing(&self, needle: &str) -> Vec<PathBuf> {
        bulk_collect_tests::files_under(self.root.path())
            .into_iter()
            .filter(|path| {
                std::fs::read(path).is_ok_and(|bytes| {
                    bytes
                        .windows(needle.len())
                        .any(|window| window == needle.as_bytes())
                })
            })
            .collect()
    }

    /// What *Open in spreadsheet* handed to the opener last (`BULK_COLLECT_TEST_OPENED_FILE`).
    pub fn opened(&self) -> Option<String> {
        std::fs::read_to_string(self.root.path().join("opened.txt")).ok()
    }

    /// The default download folder (`BULK_COLLECT_DOWNLOAD_DIR`).
    pub fn downloads(&self) -> PathBuf {
        self.root.path().join("downloads")
    }
}

impl Drop for Desktop {
    fn drop(&mut self) {
        // tauri-driver ends WebKitWebDriver on SIGTERM; the rest of the group goes with it.
        self.signal_group("-TERM");
        // The next test's app can start once this one has let go of its single-instance name.
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if matches!(self.driver.try_wait(), Ok(Some(_)))
                && self.app_processes().is_empty()
                && !single_instance_is_taken()
            {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        self.signal_group("-KILL");
        let _ = self.driver.kill();
        let _ = self.driver.wait();
    }
}

/// One run of the app, through its WebDriver session.
pub struct App<'a> {
    client: Client,
    desktop: &'a Desktop,
}

/// The job states after which nothing more happens on its own.
fn is_final(state: &str) -> bool {
    matches!(
        state,
        "downloaded"
            | "no_results"
            | "too_many_matches"
            | "insufficient_credits"
            | "expired"
            | "uncertain"
            | "failed"
            | "cancelled"
    )
}

fn testid_css(testid: &str) -> String {
    format!("[data-testid=\"{testid}\"]")
}

/// `text` as an XPath string literal (XPath 1.0 has no escapes: split around double quotes).
fn xpath_literal(text: &str) -> String {
    if !text.contains('"') {
        return format!("\"{text}\"");
    }
    let parts: Vec<String> = text.split('"').map(|part| format!("\"{part}\"")).collect();
    format!("concat({})", parts.join(", '\"', "))
}

fn slug(text: &str) -> String {
    let slug: String = text
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect();
    slug.split('-')
        .filter(|part| !part.is_empty())
        .take(8)
        .collect::<Vec<_>>()
        .join("-")
}
