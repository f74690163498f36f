//! How results reach the person or the script: plain text, or one JSON object on stdout.

use std::io::IsTerminal;
use std::time::Duration;

use collect_core::UserError;
use indicatif::{ProgressBar, ProgressStyle};

/// A command's result: the JSON object for `--json`, the text for people.
pub struct Report {
    /// What `--json` prints.
    pub json: serde_json::Value,
    /// What a person reads.
    pub text: String,
}

/// Where output goes, and in which form.
pub struct Output {
    json: bool,
}

impl Output {
    /// `json`: print JSON objects instead of text.
    pub fn new(json: bool) -> Self {
        Self { json }
    }

    /// True when `--json` was given.
    pub fn is_json(&self) -> bool {
        self.json
    }

    /// Prints a command's result.
    pub fn result(&self, report: &Report) {
        if self.json {
            println!("{}", report.json);
        } else if !report.text.is_empty() {
            println!("{}", report.text);
        }
    }

    /// Prints a failure: `{"error": {code, message}}` on stdout with `--json`, else on stderr.
    pub fn error(&self, error: &UserError) {
        if self.json {
            println!("{}", serde_json::json!({ "error": error }));
        } else {
            eprintln!("Error: {}", error.message);
        }
    }

    /// Says something to the person (stderr), unless the output is JSON for a script.
    pub fn say(&self, text: &str) {
        if !self.json {
            eprintln!("{text}");
        }
    }

    /// A progress bar on a terminal; hidden for scripts and `--json`.
    pub fn bar(&self, total: Option<u64>) -> ProgressBar {
        if self.json || !std::io::stderr().is_terminal() {
            return ProgressBar::hidden();
        }
        let bar = match total {
            Some(total) => ProgressBar::new(total).with_style(
                ProgressStyle::with_template(
                    "{msg} [{bar:30}] {bytes}/{total_bytes} {binary_bytes_per_sec} {eta}",
                )
                .unwrap_or_else(|_| ProgressStyle::default_bar())
                .progress_chars("=> "),
            ),
            None => ProgressBar::new_spinner().with_style(
                ProgressStyle::with_template("{spinner} {msg} {elapsed}")
                    .unwrap_or_else(|_| ProgressStyle::default_spinner()),
            ),
        };
        bar.enable_steady_tick(Duration::from_millis(120));
        bar
    }
}
