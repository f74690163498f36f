//! Why an ID file cannot be used at all.

use std::path::PathBuf;

use super::report::{IdReport, LineProblem};
use super::{group_digits, megabytes, MAX_FILE_BYTES, MAX_IDS_PER_REQUEST};
use crate::error::{Coded, ErrorCode};

const SAVE_AS_CSV: &str = "In Excel choose File › Save As › \"CSV UTF-8\"; in a text editor save \
                           as UTF-8 text. Then choose the new file.";

/// An ID file that cannot be used; bad single lines are not errors (see [`IdReport::problems`]).
#[derive(Debug, thiserror::Error)]
pub enum IdFileError {
    /// The file could not be opened or read.
    #[error(
        "The file {} could not be read: {source}. Check that it still exists and that you can \
         open it, then choose it again.",
        path.display()
    )]
    Io {
        /// The file.
        path: PathBuf,
        /// What the system said.
        source: std::io::Error,
    },
    /// The file is bigger than [`MAX_FILE_BYTES`].
    #[error(
        "This file is {} MB; an ID list can be at most {} MB. Check that you chose the right \
         file: 10,000 IDs take well under 1 MB.",
        megabytes(*bytes),
        megabytes(MAX_FILE_BYTES)
    )]
    TooLarge {
        /// The file's size in bytes.
        bytes: u64,
    },
    /// The file is a known binary format or holds binary data.
    #[error(
        "This file is {what}, not a text list of IDs. Save the IDs as a CSV or text file, one ID \
         a line. {SAVE_AS_CSV}"
    )]
    NotText {
        /// What the file looks like, e.g. "a PDF document".
        what: &'static str,
    },
    /// The file is an Excel workbook (.xlsx), perhaps renamed to .csv.
    #[error(
        "This looks like an Excel workbook (.xlsx), not a text list of IDs, even if its name \
         ends in .csv: save it as CSV. In Excel choose File › Save As › \"CSV UTF-8\", then \
         choose the new file."
    )]
    Workbook,
    /// The file is UTF-16 text ("Unicode text" in Excel).
    #[error(
        "This file is saved as UTF-16 (\"Unicode text\"), which Bulk Collect does not read. Save \
         it again as UTF-8. {SAVE_AS_CSV}"
    )]
    Utf16,
    /// A line is not valid UTF-8.
    #[error(
        "Line {line} of this file is not UTF-8 text (it may use an older character set). Save \
         the file again as UTF-8. {SAVE_AS_CSV}"
    )]
    NotUtf8 {
        /// 1-based line number.
        line: usize,
    },
    /// The file is empty or holds only blank lines and a header.
    #[error(
        "This file has no IDs: it is empty or holds only blank lines and a header. Choose a file \
         with one employee ID on each line."
    )]
    Empty,
    /// The header names several columns, none of them `id`.
    #[error(
        "The first line of this file names the columns {}, but none is called \"id\". Rename the \
         column that holds the employee IDs to id, or save a file with only the IDs, one a line.",
        column_list(columns)
    )]
    NoIdColumn {
        /// The column names found in the header.
        columns: Vec<String>,
    },
    /// Not one line holds a valid ID.
    #[error(
        "No valid employee ID was found in the {} of this file.{} An ID is a whole number such \
         as 123456789, one on each line.",
        lines_read(*total_lines),
        first_problem.as_ref().map(describe_problem).unwrap_or_default()
    )]
    NoValidIds {
        /// Lines in the file.
        total_lines: usize,
        /// The first bad line, to show what went wrong.
        first_problem: Option<LineProblem>,
    },
    /// More unique IDs than one request can take.
    #[error(
        "This file has {} different IDs; one request can take at most {}. It can go as {} \
         batches, priced and confirmed once for all of them (on the command line: add --split).",
        group_digits(*count),
        group_digits(MAX_IDS_PER_REQUEST),
        count.div_ceil(MAX_IDS_PER_REQUEST)
    )]
    TooMany {
        /// Unique valid IDs in the file.
        count: usize,
    },
}

impl IdFileError {
    /// The error for a report without a single valid ID.
    pub(super) fn no_valid_ids(report: &IdReport) -> Self {
        Self::NoValidIds {
            total_lines: report.total_lines,
            first_problem: report.problems.first().cloned(),
        }
    }
}

impl Coded for IdFileError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Io { .. } => ErrorCode::Io,
            Self::TooMany { .. } => ErrorCode::TooManyIds,
            _ => ErrorCode::InvalidIdFile,
        }
    }
}

fn column_list(columns: &[String]) -> String {
    columns
        .iter()
        .map(|c| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

fn lines_read(total: usize) -> String {
    if total == 1 {
        return "one line".to_owned();
    }
    format!(
        "{} line{}",
        group_digits(total),
        if total == 1 { "" } else { "s" }
    )
}

fn describe_problem(problem: &LineProblem) -> String {
    format!(
        " Line {} (\"{}\"): {}",
        problem.line, problem.text, problem.reason
    )
}
