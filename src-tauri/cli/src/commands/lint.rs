//! `lint`: every problem of a query file, one a line (or as JSON), without sending anything.

use std::path::Path;
use std::process::ExitCode;

use collect_core::query::{diagnose, Severity};
use collect_core::{ErrorCode, UserError};
use serde_json::json;

use crate::output::Output;

/// Checks the query in `file`; exits non-zero when it has an error (it could not be sent).
pub fn lint(file: &Path, output: &Output) -> ExitCode {
    let text = match std::fs::read_to_string(file) {
        Ok(text) => text,
        Err(error) => {
            output.error(&UserError::new(
                ErrorCode::Io,
                format!("Could not read the query file {}: {error}.", file.display()),
            ));
            return ExitCode::FAILURE;
        }
    };
    let diagnostics = diagnose(&text);
    if output.is_json() {
        println!("{}", json!({ "diagnostics": diagnostics }));
    } else {
        for d in &diagnostics {
            let severity = match d.severity {
                Severity::Error => "error",
                Severity::Warning => "warning",
            };
            println!(
                "{}:{}:{}: {severity}: {}",
                file.display(),
                d.line,
                d.column,
                d.message
            );
        }
        if diagnostics.is_empty() {
            output.say(&format!("{}: no problems found.", file.display()));
        }
    }
    if diagnostics.iter().any(|d| d.severity == Severity::Error) {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}
