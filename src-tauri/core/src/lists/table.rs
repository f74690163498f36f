//! A list as a table of trimmed text cells, from a file (decided by its content) or pasted cells.

use std::io::Read;
use std::path::{Path, PathBuf};

use super::{text, workbook, MAX_ROWS};
use crate::error::{Coded, ErrorCode};
use crate::ids::{group_digits, line, megabytes, MAX_FILE_BYTES};

/// The source name of pasted cells.
pub const PASTED: &str = "Pasted cells";

const SAVE_AGAIN: &str = "Open it in Excel, LibreOffice or Google Sheets and save it again as \
                          .xlsx or as \"CSV UTF-8\", then choose the new file.";

/// A table read from a file or pasted cells.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListTable {
    /// The file's name (not its folder), or "Pasted cells".
    pub source: String,
    /// The sheet read, for a workbook (the first sheet that has any cell).
    pub sheet: Option<String>,
    /// Every row with at least one non-blank cell, in order.
    pub rows: Vec<ListRow>,
    /// Rows in the file or sheet, blank ones included.
    pub total_rows: usize,
}

/// One non-blank row of a [`ListTable`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListRow {
    /// 1-based row number as the spreadsheet shows it, or the line a text editor shows the row
    /// starting on.
    pub row: usize,
    /// The cells' text, trimmed.
    pub cells: Vec<String>,
}

/// A list that cannot be read at all; bad single rows are not errors (see
/// [`super::ListEntries::problems`]).
#[derive(Debug, thiserror::Error)]
pub enum ListError {
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
        "This file is {} MB; a list can be at most {} MB. Check that you chose the right file, \
         or keep only the column you need and save it again.",
        megabytes(*bytes),
        megabytes(MAX_FILE_BYTES)
    )]
    TooLarge {
        /// The file's size in bytes.
        bytes: u64,
    },
    /// A known format that is not a list, or binary data.
    #[error(
        "This file is {what}, not a list. Bulk Collect reads CSV, TSV and text files and Excel \
         or LibreOffice spreadsheets (.xlsx, .xls, .ods). {SAVE_AGAIN}"
    )]
    NotAList {
        /// What the file looks like, e.g. "a PDF document".
        what: &'static str,
    },
    /// UTF-16 text ("Unicode text" in Excel).
    #[error(
        "This file is saved as UTF-16 (\"Unicode text\"), which Bulk Collect does not read. \
         {SAVE_AGAIN}"
    )]
    Utf16,
    /// A line mixes UTF-8 with another character set.
    #[error(
        "Line {line} of this file is not UTF-8 text, though other lines are: the file mixes \
         character sets. {SAVE_AGAIN}"
    )]
    NotUtf8 {
        /// 1-based line number.
        line: usize,
    },
    /// The workbook could not be read.
    #[error("This spreadsheet could not be read ({detail}). It may be damaged or protected by a password. {SAVE_AGAIN}")]
    Workbook {
        /// What the reader said.
        detail: String,
    },
    /// Nothing in the file or the pasted text.
    #[error(
        "There is nothing in this list: every row is blank. Choose a file, or paste cells, with \
         one employee ID, profile address or company on each row."
    )]
    Empty,
    /// A sheet whose filled cells spread over too large a box to read (a cell typed far away).
    #[error(
        "The cells of this spreadsheet spread over {} rows and {} columns, more than Bulk Collect \
         reads at once: something is typed far below or to the right of the list. Copy the list \
         into a new spreadsheet (or delete the rows and columns after it), save, and choose it \
         again.",
        group_digits(usize::try_from(*rows).unwrap_or(usize::MAX)),
        group_digits(usize::try_from(*columns).unwrap_or(usize::MAX))
    )]
    TooSpread {
        /// Rows from the first filled cell to the last.
        rows: u64,
        /// Columns from the first filled cell to the last.
        columns: u64,
    },
    /// More rows than [`MAX_ROWS`].
    #[error(
        "This list has more than {} rows, more than Bulk Collect reads at once. Split it into \
         smaller files.",
        group_digits(MAX_ROWS)
    )]
    TooManyRows,
}

impl Coded for ListError {
    fn code(&self) -> ErrorCode {
        match self {
            Self::Io { .. } => ErrorCode::Io,
            _ => ErrorCode::InvalidIdFile,
        }
    }
}

/// Reads the list at `path`: CSV, TSV, TXT, XLSX, XLSB, XLS or ODS, decided by the content (the
/// name's extension only breaks ties). Refuses files over [`MAX_FILE_BYTES`] before reading them.
pub fn read_list_file(path: &Path) -> Result<ListTable, ListError> {
    let io_error = |source| ListError::Io {
        path: path.to_path_buf(),
        source,
    };
    let file = std::fs::File::open(path).map_err(io_error)?;
    let size = file.metadata().map_err(io_error)?.len();
    if size > MAX_FILE_BYTES {
        return Err(ListError::TooLarge { bytes: size });
    }
    let mut bytes = Vec::new();
    // `take` guards against a file that grows while it is read.
    file.take(MAX_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(io_error)?;
    let source = path
        .file_name()
        .map(|name| name.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let extension = path
        .extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default();
    read_list_bytes(&bytes, &source, &extension)
}

/// Reads a list already in memory; `extension` (lower case, no dot) only breaks ties.
pub(crate) fn read_list_bytes(
    bytes: &[u8],
    source: &str,
    extension: &str,
) -> Result<ListTable, ListError> {
    if bytes.len() as u64 > MAX_FILE_BYTES {
        return Err(ListError::TooLarge {
            bytes: bytes.len() as u64,
        });
    }
    let table = match sniff(bytes, extension)? {
        Format::Text => text::read_text(bytes, source)?,
        Format::Workbook(kind) => workbook::read_workbook(bytes, kind, source)?,
    };
    if table.rows.is_empty() {
        return Err(ListError::Empty);
    }
    Ok(table)
}

/// Reads cells pasted from a spreadsheet (tab-separated, `\r\n` or `\n`), one value a line, or a
/// comma list on one line (`a, b, c`).
pub fn read_pasted(text: &str) -> Result<ListTable, ListError> {
    let table = text::read_pasted_text(text)?;
    if table.rows.is_empty() {
        return Err(ListError::Empty);
    }
    Ok(table)
}

/// What a file holds, from its first bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Text,
    Workbook(workbook::Kind),
}

fn sniff(bytes: &[u8], extension: &str) -> Result<Format, ListError> {
    if bytes.is_empty() {
        return Err(ListError::Empty);
    }
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(ListError::Utf16);
    }
    if bytes.starts_with(b"PK\x03\x04") {
        return zipped(bytes, extension);
    }
    if bytes.starts_with(b"\xD0\xCF\x11\xE0") {
        return Ok(Format::Workbook(workbook::Kind::Xls));
    }
    if let Some(what) = line::binary_kind(bytes) {
        return Err(ListError::NotAList { what });
    }
    let head = &bytes[..bytes.len().min(8192)];
    if line::looks_like_utf16_without_bom(head) {
        return Err(ListError::Utf16);
    }
    if head.contains(&0) {
        return Err(ListError::NotAList {
            what: "a binary file (not plain text)",
        });
    }
    Ok(Format::Text)
}

/// A zip is an OpenDocument spreadsheet (its `mimetype` entry says so), an Excel workbook (it holds
/// `xl/…` entries: the central directory at the end names them all), or something else.
fn zipped(bytes: &[u8], extension: &str) -> Result<Format, ListError> {
    let holds = |needle: &[u8]| bytes.windows(needle.len()).any(|w| w == needle);
    let ods = holds(b"application/vnd.oasis.opendocument.spreadsheet");
    let excel = holds(b"xl/workbook.");
    match (ods, excel) {
        (true, false) => Ok(Format::Workbook(workbook::Kind::Ods)),
        (false, true) => Ok(Format::Workbook(workbook::Kind::Excel)),
        (true, true) if extension == "ods" => Ok(Format::Workbook(workbook::Kind::Ods)),
        (true, true) => Ok(Format::Workbook(workbook::Kind::Excel)),
        (false, false) if holds(b"Index/Document.iwa") => Err(ListError::NotAList {
            what: "an Apple Numbers document (in Numbers choose File › Export To › Excel)",
        }),
        (false, false) => Err(ListError::NotAList {
            what: "a zipped file that is not a spreadsheet (a .zip, a Word or another document)",
        }),
    }
}
