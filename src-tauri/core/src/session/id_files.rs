//! An ID file the person picked: read off the async workers, validated line by line, and priced
//! (the pick carries the quote to confirm).

use std::path::Path;

use serde::Serialize;

use super::Session;
use crate::error::ErrorCode;
use crate::ids::{read_id_file, LineProblem};
use crate::jobs::{JobRequest, NewJob, Quote};
use crate::UserError;

/// An ID file the user picked, validated and priced, waiting for confirmation.
#[derive(ts_rs::TS, Debug, Clone, Serialize)]
#[ts(export)]
pub struct IdFilePick {
    /// The price of sending the file's IDs (in batches when there are over 10,000): confirm it
    /// with `submit`. `None` when no ID in the file is valid.
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
    /// Set when the list is over the 10,000 IDs one request carries: it goes as batches.
    pub batches_message: Option<String>,
}

impl Session {
    /// Reads and validates an ID file the user picked (off the async workers), and prices it: the
    /// pick carries a quote to confirm with `submit`, spent at most once.
    pub async fn pick_id_file(&self, path: &Path) -> Result<IdFilePick, UserError> {
        let owned = path.to_path_buf();
        let report = tokio::task::spawn_blocking(move || read_id_file(&owned))
            .await
            .map_err(|error| UserError::new(ErrorCode::Internal, error.to_string()))??;
        let batches = report.ids.len().div_ceil(crate::ids::MAX_IDS_PER_REQUEST);
        let batches_message = (batches > 1).then(|| {
            format!(
                "One request carries at most 10,000 IDs, so these {} IDs go as {batches} batches, priced and confirmed together. Each batch is its own request; one spreadsheet holds them all.",
                crate::jobs::group(report.ids.len() as u64)
            )
        });
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
            batches_message,
        };
        if report.ids.is_empty() {
            return Ok(view);
        }
        let job = NewJob {
            name: None,
            request: JobRequest::Ids {
                report,
                source_file: Some(path.display().to_string()),
                // Over the cap, the list goes as batches: the quote says so and prices them all.
                split: true,
                list: None,
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
