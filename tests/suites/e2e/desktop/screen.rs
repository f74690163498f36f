//! Pictures of the screen and the app's native dialogs, through the test's X display
//! (ImageMagick's `import`, `xwininfo`, `xdotool`).

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use super::{App, POLL, WAIT};

impl App<'_> {
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

/// ImageMagick's `import` of the display, cut to the app's window when it is found (WebDriver's
/// own screenshot call hangs with this WebKit; `import -window <id>` of the app's window returns
/// stale frames, the display itself does not).
pub(super) fn take_screenshot(name: &str) -> PathBuf {
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
