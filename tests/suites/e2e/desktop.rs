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

use std::future::Future;
use std::io::{BufRead, BufReader};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use fantoccini::elements::Element;
use fantoccini::{Client, ClientBuilder, Locator};
use hyper_util::client::legacy::connect::HttpConnector;
use serde_json::{json, Value};

use bulk_collect_tests::workspace_binary;

/// The app killed with SIGKILL at a kill point, and started again.
mod crash;

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
}

/// Starts `tauri-driver` for the folders under `root` and `setup` (the app inherits its
/// environment); returns it and its two ports (its own, WebKitWebDriver's). The log is appended
/// to, so that it keeps what every run of the app printed.
fn spawn_driver(root: &Path, setup: &Setup) -> (Child, u16, u16) {
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
    async fn wait_for_driver(&mut self, native_port: u16) {
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

    /// The last lines of what tauri-driver, WebKitWebDriver and the app printed, and the audit
    /// trail of every job in the app's database (every state change and server answer).
    pub fn log_tail(&self) -> String {
        let log = std::fs::read_to_string(self.root.path().join("app.log")).unwrap_or_default();
        let lines: Vec<&str> = log.lines().collect();
        let start = lines.len().saturating_sub(40);
        let printed = if lines.is_empty() {
            "(tauri-driver, WebKitWebDriver and the app printed nothing)".to_owned()
        } else {
            format!(
                "--- last lines of the app's log ---\n{}",
                lines[start..].join("\n")
            )
        };
        format!("{printed}\n{}", self.audit_trail())
    }

    /// Every job's events, read from the app's SQLite file.
    fn audit_trail(&self) -> String {
        let path = collect_core::store::Store::default_path(&self.data_dir());
        let Ok(store) = collect_core::store::Store::open(&path) else {
            return "(no database)".to_owned();
        };
        let mut text = String::from("--- audit trail ---");
        for mode in [
            collect_core::jobs::Mode::Practice,
            collect_core::jobs::Mode::Live,
        ] {
            for job in store.jobs(mode).unwrap_or_default() {
                text.push_str(&format!("\njob {} ({:?}, {:?})", job.id, mode, job.state));
                for event in store.events(job.id).unwrap_or_default() {
                    text.push_str(&format!(
                        "\n  {} {:?} {:?} {}",
                        event.at, event.kind, event.http_status, event.detail
                    ));
                }
            }
        }
        text
    }

    /// The ids of the app's processes now running (the process group's `bulk-collect`).
    fn app_processes(&self) -> Vec<u32> {
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

    fn signal_group(&self, signal: &str) {
        let _ = Command::new("kill")
            .args([signal, "--", &format!("-{}", self.driver.id())])
            .stderr(Stdio::null())
            .status();
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

impl App<'_> {
    /// Quits the app (ends the session) and waits until its process is gone, so that the next
    /// [`Desktop::open`] is a real restart.
    pub async fn quit(self) {
        let desktop = self.desktop;
        let running = desktop.app_processes();
        assert!(
            !running.is_empty(),
            "the app's process is not found (bulk-collect in tauri-driver's process group)"
        );
        tokio::time::timeout(COMMAND_TIMEOUT, self.client.close())
            .await
            .expect("ending the WebDriver session hangs")
            .expect("the WebDriver session ends");
        // Gone means: the process has exited and the bus has let go of its single-instance name
        // (else the next start would hand over to the exiting app and quit).
        let deadline = Instant::now() + Duration::from_secs(20);
        while running.iter().any(|&pid| is_running(pid)) || single_instance_is_taken() {
            assert!(
                Instant::now() < deadline,
                "the app is still running 20 s after its session ended:\n{}",
                desktop.log_tail()
            );
            tokio::time::sleep(POLL).await;
        }
    }

    /// Clicks the button whose visible text is `text`, once it is there and enabled.
    pub async fn click_button(&self, text: &str) {
        let xpath = format!("//button[normalize-space(.)={}]", xpath_literal(text));
        self.click(Locator::XPath(&xpath), &format!("the button \"{text}\""))
            .await;
    }

    /// Clicks the element with `data-testid`, once it is there and enabled.
    pub async fn click_testid(&self, testid: &str) {
        let css = testid_css(testid);
        self.click(Locator::Css(&css), &format!("[data-testid={testid}]"))
            .await;
    }

    async fn click(&self, locator: Locator<'_>, what: &str) {
        let element = self
            .wait_until(&format!("{what} can be clicked"), || async {
                let element = self.client.find(locator).await.ok()?;
                let ready =
                    element.is_displayed().await.ok()? && element.is_enabled().await.ok()?;
                ready.then_some(element)
            })
            .await;
        self.click_element(element, what).await;
    }

    /// Clicks `element`. WebKitWebDriver sometimes refuses a click with an empty error after
    /// scrolling (seen inside the sticky summary column and the code editor); the element is then
    /// scrolled to the middle of the window and clicked from a script, as a person's click would.
    async fn click_element(&self, element: Element, what: &str) {
        if let Ok(Ok(_)) = tokio::time::timeout(COMMAND_TIMEOUT, element.clone().click()).await {
            return;
        }
        let target = serde_json::to_value(&element).expect("an element reference is JSON");
        self.command(
            &format!("click {what} (from a script)"),
            self.client.execute(
                "arguments[0].scrollIntoView({block: 'center'}); arguments[0].focus(); arguments[0].click();",
                vec![target],
            ),
        )
        .await;
    }

    /// Waits for the element with `data-testid` to be shown, and returns it.
    pub async fn wait_for(&self, testid: &str) -> Element {
        let css = testid_css(testid);
        self.wait_until(&format!("[data-testid={testid}] is shown"), || async {
            let element = self.client.find(Locator::Css(&css)).await.ok()?;
            element.is_displayed().await.ok()?.then_some(element)
        })
        .await
    }

    /// Waits for the element with `data-testid` to show text containing `needle`; returns the text.
    pub async fn wait_for_text(&self, testid: &str, needle: &str) -> String {
        self.wait_for_text_within(testid, needle, WAIT).await
    }

    /// [`App::wait_for_text`] with its own time limit (slow work such as a 25,000-row workbook).
    pub async fn wait_for_text_within(
        &self,
        testid: &str,
        needle: &str,
        limit: Duration,
    ) -> String {
        let css = testid_css(testid);
        self.wait_until_within(
            &format!("[data-testid={testid}] says \"{needle}\""),
            limit,
            || async {
                for element in self.client.find_all(Locator::Css(&css)).await.ok()? {
                    let text = element.text().await.ok()?;
                    if text.contains(needle) {
                        return Some(text);
                    }
                }
                None
            },
        )
        .await
    }

    /// Waits for a top-level heading (`h1`) saying `text`: the screen is shown.
    pub async fn wait_for_heading(&self, text: &str) {
        let xpath = format!("//h1[normalize-space(.)={}]", xpath_literal(text));
        self.wait_until(&format!("the heading \"{text}\""), || async {
            let heading = self.client.find(Locator::XPath(&xpath)).await.ok()?;
            heading.is_displayed().await.ok()?.then_some(())
        })
        .await;
    }

    /// Waits for a button whose visible text is `text` to be shown.
    pub async fn wait_for_button(&self, text: &str) {
        let xpath = format!("//button[normalize-space(.)={}]", xpath_literal(text));
        self.wait_until(&format!("the button \"{text}\""), || async {
            let button = self.client.find(Locator::XPath(&xpath)).await.ok()?;
            button.is_displayed().await.ok()?.then_some(())
        })
        .await;
    }

    /// Waits until the window's text contains `needle`.
    pub async fn wait_for_page_text(&self, needle: &str) {
        self.wait_until(&format!("the window says \"{needle}\""), || async {
            let text = self
                .client
                .execute("return document.body.innerText;", Vec::new())
                .await
                .ok()?;
            text.as_str()?.contains(needle).then_some(())
        })
        .await;
    }

    /// Fails if an element with `data-testid` is in the page.
    pub async fn assert_absent(&self, testid: &str) {
        let found = self
            .command(
                &format!("look for [data-testid={testid}]"),
                self.client.find_all(Locator::Css(&testid_css(testid))),
            )
            .await;
        assert!(
            found.is_empty(),
            "[data-testid={testid}] should not be shown:\n{}",
            self.describe().await
        );
    }

    /// Waits until the Jobs list has a row (`job-row`) in `state`.
    pub async fn wait_for_job_row(&self, state: &str) {
        let css = format!("{}[data-state=\"{state}\"]", testid_css("job-row"));
        self.wait_until(&format!("a job row is {state}"), || async {
            self.client.find(Locator::Css(&css)).await.ok().map(drop)
        })
        .await;
    }

    /// Replaces the text of the input labelled `label` (its `<label for>`) with `text`.
    pub async fn fill_labelled(&self, label: &str, text: &str) {
        let xpath = format!(
            "//input[@id=//label[normalize-space(.)={}]/@for]",
            xpath_literal(label)
        );
        let input = self
            .wait_until(&format!("the field \"{label}\""), || async {
                let input = self.client.find(Locator::XPath(&xpath)).await.ok()?;
                input.is_displayed().await.ok()?.then_some(input)
            })
            .await;
        self.command(&format!("type into \"{label}\""), input.send_keys(text))
            .await;
    }

    /// Waits until the job shown (`job-state`) is in `state`, failing early if it settles in
    /// another final state.
    pub async fn wait_for_job_state(&self, state: &str) {
        self.wait_for_job_state_within(state, WAIT).await;
    }

    /// Waits until the job page's state badge says anything but `state`.
    pub async fn wait_for_job_state_to_leave(&self, state: &str) {
        self.wait_until(&format!("the job is no longer {state}"), || async {
            let now = self.job_state().await?;
            (now != state).then_some(())
        })
        .await;
    }

    /// The state the job page's badge shows, if there is one.
    async fn job_state(&self) -> Option<String> {
        let badge = self
            .client
            .find(Locator::Css(&testid_css("job-state")))
            .await
            .ok()?;
        badge.attr("data-state").await.ok()?
    }

    /// [`App::wait_for_job_state`] for a job that takes longer than [`WAIT`] (a long ID list).
    pub async fn wait_for_job_state_within(&self, state: &str, limit: Duration) {
        self.wait_until_within(&format!("the job is {state}"), limit, || async {
            let now = self.job_state().await?;
            assert!(
                now == state || !is_final(&now),
                "the job ended {now}, expected {state}:\n{}",
                self.describe().await
            );
            (now == state).then_some(())
        })
        .await;
    }

    /// Replaces the text of an input (by `data-testid`) with `text`, as typed.
    pub async fn fill(&self, testid: &str, text: &str) {
        let input = self.wait_for(testid).await;
        self.command(&format!("clear [data-testid={testid}]"), input.clear())
            .await;
        self.command(
            &format!("type into [data-testid={testid}]"),
            input.send_keys(text),
        )
        .await;
    }

    /// Types `text` into the CodeMirror query editor, opening *Advanced: query code* first if it
    /// is still folded (a click on it can miss while the page is still laying itself out).
    pub async fn type_query(&self, text: &str) {
        let summary = format!("{} > summary", testid_css("query-code"));
        self.wait_until("the query code is unfolded", || async {
            let open = self
                .client
                .execute(
                    "return document.querySelector('[data-testid=query-code]')?.open === true;",
                    Vec::new(),
                )
                .await
                .ok()?;
            if open.as_bool() == Some(true) {
                return Some(());
            }
            let fold = self.client.find(Locator::Css(&summary)).await.ok()?;
            let _ = fold.click().await;
            None
        })
        .await;
        self.wait_for("query-editor").await;
        let content = self
            .command(
                "find the editor's text area",
                self.client.find(Locator::Css(&format!(
                    "{} .cm-content",
                    testid_css("query-editor")
                ))),
            )
            .await;
        self.click_element(content.clone(), "into the editor").await;
        self.command("type the query", content.send_keys(text))
            .await;
    }

    /// Chooses the option with `value` in the `<select>` with `data-testid`.
    pub async fn select(&self, testid: &str, value: &str) {
        let select = self.wait_for(testid).await;
        self.command(
            &format!("choose {value} in [data-testid={testid}]"),
            select.select_by_value(value),
        )
        .await;
    }

    /// The text of the element with `data-testid` (which must be there).
    pub async fn text(&self, testid: &str) -> String {
        let element = self.wait_for(testid).await;
        self.command(&format!("read [data-testid={testid}]"), element.text())
            .await
    }

    /// The current value of the input with `data-testid` (which must be there).
    pub async fn value(&self, testid: &str) -> String {
        let element = self.wait_for(testid).await;
        self.command(
            &format!("read the value of [data-testid={testid}]"),
            element.prop("value"),
        )
        .await
        .unwrap_or_default()
    }

    /// Scrolls the element with `data-testid` to the middle of the window (for screenshots).
    pub async fn scroll_to(&self, testid: &str) {
        let element = self.wait_for(testid).await;
        let script = "arguments[0].scrollIntoView({ block: 'center' });";
        let argument = serde_json::to_value(&element).expect("an element as JSON");
        self.command(
            &format!("scroll to [data-testid={testid}]"),
            self.client.execute(script, vec![argument]),
        )
        .await;
    }

    /// Saves a picture of the screen as `<name>.png` in the screenshot folder (see
    /// [`screenshot_dir`]) after letting the page paint; returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        // Two animation frames: the page has painted what the DOM shows; then a moment for the
        // frame to reach the display.
        let painted = "const done = arguments[arguments.length - 1]; \
                       requestAnimationFrame(() => requestAnimationFrame(() => done(true)));";
        self.command(
            "wait for the page to paint",
            self.client.execute_async(painted, Vec::new()),
        )
        .await;
        tokio::time::sleep(Duration::from_millis(500)).await;
        take_screenshot(name)
    }

    /// Polls `probe` every 200 ms until it answers, for at most [`WAIT`]; on timeout the test
    /// fails with `what` and what the window shows.
    pub async fn wait_until<T, F, Fut>(&self, what: &str, probe: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        self.wait_until_within(what, WAIT, probe).await
    }

    /// [`App::wait_until`] for at most `limit`.
    pub async fn wait_until_within<T, F, Fut>(&self, what: &str, limit: Duration, mut probe: F) -> T
    where
        F: FnMut() -> Fut,
        Fut: Future<Output = Option<T>>,
    {
        let deadline = Instant::now() + limit;
        loop {
            if let Ok(Some(found)) = tokio::time::timeout(COMMAND_TIMEOUT, probe()).await {
                return found;
            }
            if Instant::now() > deadline {
                let shot = take_screenshot(&format!("failed-{}", slug(what)));
                panic!(
                    "waited {limit:?} for: {what}\n{}\nscreenshot: {}\n{}",
                    self.describe().await,
                    shot.display(),
                    self.desktop.log_tail()
                );
            }
            tokio::time::sleep(POLL).await;
        }
    }

    /// What the window shows, for failure messages: headings, error messages, toasts, job state.
    pub async fn describe(&self) -> String {
        let script = r#"
            const texts = (css) => [...document.querySelectorAll(css)].map((e) => e.innerText.trim());
            return {
                headings: texts("h1"),
                errors: texts("[data-testid=error-message]"),
                toasts: texts("[data-testid=toast]"),
                job_state: document.querySelector("[data-testid=job-state]")?.dataset.state ?? null,
                job_rows: [...document.querySelectorAll("[data-testid=job-row]")]
                    .map((e) => `${e.dataset.jobId}:${e.dataset.state}`),
                page: document.body.innerText.slice(0, 1500),
            };"#;
        match tokio::time::timeout(COMMAND_TIMEOUT, self.client.execute(script, Vec::new())).await {
            Ok(Ok(shown)) => format!(
                "the window shows: {}",
                serde_json::to_string_pretty(&shown).unwrap_or_default()
            ),
            Ok(Err(error)) => format!("the window cannot be read: {error}"),
            Err(_) => "the window does not answer".to_owned(),
        }
    }

    /// Runs one WebDriver command with a deadline; fails the test with the page's state otherwise.
    async fn command<T>(
        &self,
        what: &str,
        command: impl Future<Output = Result<T, fantoccini::error::CmdError>>,
    ) -> T {
        match tokio::time::timeout(COMMAND_TIMEOUT, command).await {
            Ok(Ok(value)) => value,
            Ok(Err(error)) => panic!("{what}: {error}\n{}", self.describe().await),
            Err(_) => panic!("{what}: no answer in {COMMAND_TIMEOUT:?}"),
        }
    }
}

/// A `coresignal-sim` process on a free loopback port (Live mode's "Coresignal"), ended on drop.
pub struct ExternalSim {
    child: Child,
    origin: String,
    http: reqwest::Client,
}

impl ExternalSim {
    /// Starts the simulator binary with `args` (e.g. `["--processing-ms", "60000"]`) and waits for
    /// its "listening on …" line.
    pub fn start(args: &[&str]) -> Self {
        let mut child = Command::new(workspace_binary("coresignal-sim"))
            .args(["--port", "0"])
            .args(args)
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("coresignal-sim starts");
        let stdout = child.stdout.take().expect("the simulator's output");
        let mut line = String::new();
        BufReader::new(stdout)
            .read_line(&mut line)
            .expect("the simulator prints its address");
        let base = line
            .trim()
            .strip_prefix("listening on ")
            .unwrap_or_else(|| panic!("unexpected first line from coresignal-sim: {line:?}"));
        let origin = base
            .strip_suffix("/cdapi")
            .unwrap_or_else(|| panic!("unexpected address from coresignal-sim: {base:?}"))
            .to_owned();
        Self {
            child,
            origin,
            http: reqwest::Client::builder()
                .timeout(Duration::from_secs(10))
                .build()
                .expect("an HTTP client"),
        }
    }

    /// The service address the app uses (`BULK_COLLECT_API_BASE`).
    pub fn api_base(&self) -> String {
        format!("{}/cdapi", self.origin)
    }

    /// `PUT /_sim/credits/{key}`.
    pub async fn set_credits(&self, key: &str, credits: i64) {
        self.admin(
            self.http
                .put(format!("{}/_sim/credits/{key}", self.origin))
                .json(&json!({ "credits": credits })),
        )
        .await;
    }

    /// `PUT /_sim/faults`: the faults to switch on (fields left out are off).
    pub async fn set_faults(&self, faults: Value) {
        self.admin(
            self.http
                .put(format!("{}/_sim/faults", self.origin))
                .json(&faults),
        )
        .await;
    }

    /// `POST /_sim/clock/advance`.
    pub async fn advance_clock(&self, by: Duration) {
        let ms = u64::try_from(by.as_millis()).expect("a test-sized duration");
        self.admin(
            self.http
                .post(format!("{}/_sim/clock/advance", self.origin))
                .json(&json!({ "ms": ms })),
        )
        .await;
    }

    /// `GET /_sim/requests`: every data request the service received.
    pub async fn requests(&self) -> Vec<Value> {
        let answer = self
            .admin(self.http.get(format!("{}/_sim/requests", self.origin)))
            .await;
        serde_json::from_value(answer).expect("a list of requests")
    }

    async fn admin(&self, request: reqwest::RequestBuilder) -> Value {
        let answer = request
            .send()
            .await
            .expect("the simulator's admin API answers");
        assert!(
            answer.status().is_success(),
            "the simulator's admin API: {}",
            answer.status()
        );
        answer.json().await.expect("JSON from the admin API")
    }
}

impl Drop for ExternalSim {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Where screenshots go: `$BULK_COLLECT_SCREENSHOTS` (`make screenshots` sets `docs/screenshots`),
/// else `<target>/e2e-screenshots`.
pub fn screenshot_dir() -> PathBuf {
    let dir = std::env::var_os("BULK_COLLECT_SCREENSHOTS")
        .filter(|dir| !dir.is_empty())
        .map(PathBuf::from)
        .unwrap_or_else(|| {
            let exe = std::env::current_exe().expect("the test binary's path");
            exe.ancestors()
                .nth(3)
                .expect("target/<profile>/deps/<test>")
                .join("e2e-screenshots")
        });
    std::fs::create_dir_all(&dir).expect("the screenshot folder");
    dir
}

/// ImageMagick's `import` of the display, cut to the app's window when it is found (WebDriver's
/// own screenshot call hangs with this WebKit; `import -window <id>` of the app's window returns
/// stale frames, the display itself does not).
/// Waits (up to [`WAIT`]) for the app's native dialog titled `title` (a GTK window of its own,
/// which WebDriver cannot see), saves a picture of the screen with it as `<picture>.png`, and
/// answers it as a person does, with the keyboard: `key` is `alt+y` (Yes) or `alt+n` (No).
/// Uses xdotool on the test's X display.
pub fn answer_native_dialog(title: &str, picture: &str, key: &str) {
    // xdotool takes a regular expression: the title's own characters are meant literally.
    let pattern: String = title
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == ' ' {
                c.to_string()
            } else {
                format!("\\{c}")
            }
        })
        .collect();
    let pattern = format!("^{pattern}$");
    let deadline = std::time::Instant::now() + WAIT;
    let window = loop {
        let found = Command::new("xdotool")
            .args(["search", "--onlyvisible", "--name", &pattern])
            .output()
            .expect("xdotool runs (package xdotool)");
        let text = String::from_utf8_lossy(&found.stdout);
        if let Some(id) = text.lines().next().filter(|id| !id.trim().is_empty()) {
            break id.trim().to_owned();
        }
        assert!(
            std::time::Instant::now() < deadline,
            "waited {WAIT:?} for the native dialog {title:?}"
        );
        std::thread::sleep(POLL);
    };
    // Let it paint, then the picture, then the person's key press in that window.
    std::thread::sleep(Duration::from_millis(700));
    take_screenshot(picture);
    let xdotool = |args: &[&str]| {
        let status = Command::new("xdotool")
            .args(args)
            .status()
            .expect("xdotool runs");
        assert!(status.success(), "xdotool {args:?}: {status}");
    };
    xdotool(&["windowfocus", "--sync", &window]);
    xdotool(&["key", "--clearmodifiers", key]);
    // The dialog closes on the answer.
    let deadline = std::time::Instant::now() + WAIT;
    while Command::new("xdotool")
        .args(["search", "--onlyvisible", "--name", &pattern])
        .output()
        .is_ok_and(|found| !found.stdout.is_empty())
    {
        assert!(
            std::time::Instant::now() < deadline,
            "the native dialog {title:?} did not close on {key}"
        );
        std::thread::sleep(POLL);
    }
}

fn take_screenshot(name: &str) -> PathBuf {
    let path = screenshot_dir().join(format!("{name}.png"));
    let mut import = Command::new("import");
    import.args(["-window", "root"]);
    if let Some(geometry) = app_window_geometry() {
        import.args(["-crop", &geometry, "+repage"]);
    }
    let status = import
        .arg(&path)
        .stdout(Stdio::null())
        .stderr(Stdio::inherit())
        .status();
    match status {
        Ok(status) if status.success() => {}
        Ok(status) => eprintln!("import (ImageMagick) failed: {status}"),
        Err(error) => eprintln!("import (ImageMagick) cannot run: {error}"),
    }
    path
}

/// The D-Bus name the app holds while it runs (tauri-plugin-single-instance: the app's identifier
/// in `tauri.conf.json` + `.SingleInstance`).
const SINGLE_INSTANCE_NAME: &str = "com.bulkcollect.desktop.SingleInstance";

/// Whether an app holds the single-instance name on the session bus (`dbus-send`).
fn single_instance_is_taken() -> bool {
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
fn is_running(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|stat| {
            let (_, rest) = stat.rsplit_once(')')?;
            rest.split_whitespace().next().map(|state| state != "Z")
        })
        .unwrap_or(false)
}

/// Where the app's main window ("Bulk Collect") is on the display, as `WxH+X+Y` (`xwininfo`).
fn app_window_geometry() -> Option<String> {
    let output = Command::new("xwininfo")
        .args(["-name", "Bulk Collect"])
        .stderr(Stdio::null())
        .output()
        .ok()?;
    let text = String::from_utf8_lossy(&output.stdout);
    let field = |label: &str| -> Option<i64> {
        let line = text.lines().find(|line| line.trim().starts_with(label))?;
        line.split(':').nth(1)?.trim().parse().ok()
    };
    Some(format!(
        "{}x{}+{}+{}",
        field("Width")?,
        field("Height")?,
        field("Absolute upper-left X")?,
        field("Absolute upper-left Y")?
    ))
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
