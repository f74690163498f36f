//! ID files: read a CSV or TXT list of employee IDs, report every bad line in plain words, dedupe.
//!
//! What people upload is rarely clean: a UTF-8 byte order mark, Windows line endings, an `id`
//! header, blank lines, spaces and quotes around values, repeated IDs, a stray word. [`parse_id_list`]
//! accepts all of that and returns an [`IdReport`]: the unique IDs in first-seen order plus every
//! line it could not use, with the reason. [`IdReport::upload_csv`] is the cleaned list the service
//! accepts (one ID a line, no header).
//!
//! A file with several columns is accepted when its first line names one column `id`: the IDs are
//! taken from that column and [`IdReport::id_column`] says which one.

mod error;
pub(crate) mod line;
mod report;

#[cfg(test)]
mod tests;

use std::io::Read;
use std::path::Path;

pub use error::IdFileError;
pub use report::{IdColumn, IdReport, LineProblem, MAX_LISTED_PROBLEMS};

/// The most IDs one `id_file` request may carry (the service's cap).
pub const MAX_IDS_PER_REQUEST: usize = 10_000;

/// The largest ID file accepted, in bytes (50 MB): far above any list of 10,000 IDs.
pub const MAX_FILE_BYTES: u64 = 50 * 1024 * 1024;

/// Reads and validates the ID file at `path`.
///
/// Refuses files over [`MAX_FILE_BYTES`] before reading them; see [`parse_id_list`] for the rest.
pub fn read_id_file(path: &Path) -> Result<IdReport, IdFileError> {
    let io_error = |source| IdFileError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io_error)?;
    let size = file.metadata().map_err(io_error)?.len();
    if size > MAX_FILE_BYTES {
        return Err(IdFileError::TooLarge { bytes: size });
    }
    let mut bytes = Vec::new();
    // `take` guards against a file that grows while it is read.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    parse_id_list(&bytes)
}

/// Validates an ID list already in memory (the bytes of a CSV or TXT file).
///
/// Errors only when nothing usable can come out of the file (empty, not text, not UTF-8, too big,
/// no valid ID, a multi-column header without an `id` column); bad lines are reported in
/// [`IdReport::problems`] instead. The 10,000-ID cap is checked separately by
/// [`IdReport::check_submittable`].
pub fn parse_id_list(bytes: &[u8]) -> Result<IdReport, IdFileError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(IdFileError::TooLarge {
            bytes: bytes.len() as u64,
        });
    }
    line::reject_non_text(bytes)?;
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let lines = line::decode_lines(text)?;
    let report = report::build(&lines)?;
    if report.ids.is_empty() && report.problem_lines == 0 {
        return Err(IdFileError::Empty);
    }
    if report.ids.is_empty() {
        return Err(IdFileError::no_valid_ids(&report));
    }
    Ok(report)
}

/// `3 blank lines`, `1 blank line`: `n` and the word that goes with it, with thousands
/// separators.
pub(crate) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{} {}", group_digits(n), if n == 1 { one } else { many })
}

/// A size in megabytes with one decimal, enough to tell 50.0 from 50.3.
pub(crate) fn megabytes(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}

/// Writes `n` with comma thousands separators: `12345` → `12,345`.
pub(crate) fn group_digits(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}
