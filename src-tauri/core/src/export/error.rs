//! What can go wrong exporting a job's results.

use std::path::{Path, PathBuf};

use crate::error::{Coded, ErrorCode};

/// Why an export did not finish. Nothing half-written is left under the final name: files are
/// written under a temporary name and renamed into place only when complete.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExportError {
    /// No result file was given (the job has not been downloaded).
    #[error("there are no downloaded files to export")]
    NoFiles,
    /// A downloaded file could not be read.
    #[error("{}: {reason}", path.display())]
    Read {
        /// The file.
        path: PathBuf,
        /// The system's or the decompressor's words.
        reason: String,
    },
    /// A line of a downloaded file is not a profile record (JSON object).
    #[error("line {line} of {}: {reason}", path.display())]
    Damaged {
        /// The file.
        path: PathBuf,
        /// The line number, from 1.
        line: u64,
        /// What is wrong with it.
        reason: String,
    },
    /// The export could not be written.
    #[error("{}: {reason}", path.display())]
    Write {
        /// Where.
        path: PathBuf,
        /// The system's or the spreadsheet writer's words.
        reason: String,
    },
    /// A sheet would have more rows than Excel allows (1,048,576).
    #[error("sheet {sheet} has more rows than Excel allows")]
    TooManyRows {
        /// The sheet's name.
        sheet: String,
    },
}

impl ExportError {
    pub(crate) fn read(path: &Path, error: impl std::fmt::Display) -> Self {
        Self::Read {
            path: path.to_owned(),
            reason: error.to_string(),
        }
    }

    pub(crate) fn write(path: &Path, error: impl std::fmt::Display) -> Self {
        Self::Write {
            path: path.to_owned(),
            reason: error.to_string(),
        }
    }
}

impl Coded for ExportError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::NoFiles => ErrorCode::InvalidState,
            Self::Read { .. } | Self::Write { .. } => ErrorCode::Io,
            Self::Damaged { .. } => ErrorCode::Download,
            Self::TooManyRows { .. } => ErrorCode::InvalidInput,
        }
    }

    fn user_message(&self) -> String {
        match self {
            Self::NoFiles => {
                "There is nothing to export yet: download the collection's files first, then export.".into()
            }
            Self::Read { path, reason } => format!(
                "Could not read the downloaded file {} ({reason}). Download the collection again, then export.",
                path.display()
            ),
            Self::Damaged { path, line, reason } => format!(
                "Line {line} of {} is not a profile record ({reason}). The file may be damaged: download the collection again, then export.",
                path.display()
            ),
            Self::Write { path, reason } => format!(
                "Could not write the export {} ({reason}). If it is open in a spreadsheet, close it; check that the folder is writable and the disk is not full, then try again.",
                path.display()
            ),
            Self::TooManyRows { sheet } => format!(
                "The {sheet} sheet would have more than 1,048,576 rows, more than Excel can open. Export as CSV instead, or use the People layout."
            ),
        }
    }
}
