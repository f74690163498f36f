//! What can go wrong downloading one file.

use std::path::PathBuf;

use crate::api::ApiError;
use crate::error::{Coded, ErrorCode};

/// Why a download did not finish.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum DownloadError {
    /// The local name is not a plain, safe file name (use [`super::local_file_names`]).
    #[error("{name:?} is not a safe local file name")]
    InvalidName {
        /// The name given.
        name: String,
    },
    /// The service refused the file (expired, key rejected, …) or kept failing.
    #[error(transparent)]
    Api(#[from] ApiError),
    /// The connection kept breaking mid-file.
    #[error("the download kept failing after {attempts} attempts: {reason}")]
    Network {
        /// The last failure.
        reason: String,
        /// Attempts made.
        attempts: u32,
    },
    /// The file arrived but is damaged; its partial copy was deleted.
    #[error("{file} is damaged: {reason}")]
    Corrupt {
        /// The local file name.
        file: String,
        /// What is wrong.
        reason: String,
    },
    /// The file is larger than it may be (than Coresignal said, or than any file of profiles); what
    /// was kept of it was deleted.
    #[error("{file} was refused: {reason}")]
    TooLarge {
        /// The local file name.
        file: String,
        /// How large, in words.
        reason: String,
    },
    /// A local file or folder could not be read or written.
    #[error("{}: {reason}", path.display())]
    Io {
        /// Where.
        path: PathBuf,
        /// The system's words.
        reason: String,
    },
    /// Stopped on request; the partial file is kept for resuming.
    #[error("the download was cancelled")]
    Cancelled,
    /// A worker thread failed (a bug).
    #[error("internal error: {reason}")]
    Internal {
        /// What failed.
        reason: String,
    },
}

impl DownloadError {
    /// How long the service asked to wait before downloading again (see
    /// [`ApiError::retry_after`]).
    pub fn retry_after(&self) -> Option<std::time::Duration> {
        match self {
            Self::Api(error) => error.retry_after(),
            _ => None,
        }
    }

    /// Whether the service could not be reached, or the connection kept breaking without
    /// progress: the file can continue where it stopped once the service is back.
    pub fn is_unreachable(&self) -> bool {
        match self {
            Self::Network { .. } => true,
            Self::Api(error) => error.is_unreachable(),
            _ => false,
        }
    }

    pub(crate) fn io(path: &std::path::Path, error: &std::io::Error) -> Self {
        Self::Io {
            path: path.to_owned(),
            reason: error.to_string(),
        }
    }
}

impl Coded for DownloadError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::InvalidName { .. } => ErrorCode::InvalidInput,
            Self::Api(error) => error.code(),
            Self::Network { .. } => ErrorCode::Network,
            Self::Corrupt { .. } | Self::TooLarge { .. } => ErrorCode::Download,
            Self::Io { .. } => ErrorCode::Io,
            Self::Cancelled => ErrorCode::Cancelled,
            Self::Internal { .. } => ErrorCode::Internal,
        }
    }

    fn user_message(&self) -> String {
        match self {
            Self::InvalidName { name } => format!(
                "The file name {name:?} cannot be used on this computer. This is a bug: please report it."
            ),
            Self::Api(error) => error.user_message(),
            Self::Network { reason, attempts } => format!(
                "The download kept being interrupted ({attempts} attempts; last: {reason}). Check your connection and press Retry: it continues where it stopped."
            ),
            Self::Corrupt { file, reason } => format!(
                "The downloaded file {file} is damaged ({reason}). It was deleted; press Retry to download it again."
            ),
            Self::TooLarge { file, reason } => format!(
                "Bulk Collect refused the file {file}: {reason}. Nothing of it was kept. Press Retry; if it happens again, report it to Coresignal's support."
            ),
            Self::Io { path, reason } => format!(
                "Could not write {} ({reason}). Check that the folder exists, is writable and the disk is not full, then press Retry.",
                path.display()
            ),
            Self::Cancelled => "The download was stopped. Press Retry to continue where it stopped.".into(),
            Self::Internal { reason } => format!(
                "Something went wrong inside Bulk Collect ({reason}). Press Retry; if it happens again, report it."
            ),
        }
    }
}
