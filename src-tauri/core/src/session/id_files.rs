//! An ID file the person picked: read off the async workers, validated line by line, and priced
//! (the pick carries the quote to confirm).

use std::path::Path;

use serde::Serialize;

use super::Session;
use crate::error::{Coded, ErrorCode};
use crate::ids::{read_id_file, LineProblem};
use crate::jobs::{JobRequest, NewJob, Quote};
use crate::UserError;

/// An ID file the user picked, validated and priced, waiting for confirmation.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[ts(export)]
pub struct IdFilePick {
    /// The price of sending the file's IDs: confirm it with `submit`. `None` when the file cannot
    /// be sent as it is (see `too_many_message`).
    pub quote: Option<Quote>,
    /// The file's name (not its folder).
    pub file_name: String,
    /// Valid, distinct IDs.
    pub valid: usize,
    /// Lines in the file.
    pub total_lines: usize,
    /// Empty lines.
    pub blank_lines: usize,
    /// The header line, if one was skipped.
    pub header: Option<String>,
    /// Repeated IDs dropped.
    pub duplicates_removed: usize,
    /// Bad lines, by number, with the reason (at most 1,000 listed).
    pub problems: Vec<LineProblem>,
    /// How many lines are bad in all.
    pub problem_lines: usize,
    /// One sentence summing the file up.
    pub summary: String,
    /// Set when the file cannot be submitted as it is (over 10,000 IDs): what to do.
    pub too_many_message: Option<String>,
}

impl Session {
    /// Reads and validates an ID file the user picked (off the async workers), and prices it: the
    /// pick carries a quote to confirm with `submit`, spent at most once.
    pub async fn pick_id_file(&self, path: &Path) -> Result<IdFilePick, UserError> {
        let owned = path.to_path_buf();
        let report = tokio::task::spawn_blocking(move || read_id_file(&owned))
            .await
            .map_err(|error| UserError::new(ErrorCode::Internal, error.to_string()))??;
        let too_many_message = report
            .check_submittable()
            .err()
            .map(|error| error.user_message());
        let view = IdFilePick {
            quote: None,
            file_name: path
                .file_name()
                .map(|name| name.to_string_lossy().into_owned())
                .unwrap_or_default(),
            valid: report.ids.len(),
            total_lines: report.total_lines,
            blank_lines: report.blank_lines,
            header: report.header.clone(),
            duplicates_removed: report.duplicates_removed,
            problems: report.problems.clone(),
            problem_lines: report.problem_lines,
            summary: report.summary(),
            too_many_message,
        };
        if view.too_many_message.is_some() || report.ids.is_empty() {
            return Ok(view);
        }
        let job = NewJob {
            name: None,
            request: JobRequest::Ids {
                report,
                source_file: Some(path.display().to_string()),
            },
            webhook_url: None,
        };
        let quote = self.engine()?.quote(&job).await?;
        Ok(IdFilePick {
            quote: Some(quote),
            ..view
        })
    }
}
