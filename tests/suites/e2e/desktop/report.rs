//! What a failing test shows: the window's headings, errors and job state, the app's log and
//! every job's audit trail.

use super::{App, Desktop, COMMAND_TIMEOUT};

impl Desktop {
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
}

impl App<'_> {
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
}
