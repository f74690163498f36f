//! Reading the downloaded result files: gzip JSON Lines (a plain `.jsonl` too), one profile a line,
//! streamed line by line, in file order. Duplicates across files are recognised by the person's id.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};

use flate2::bufread::MultiGzDecoder;
use serde_json::{Map, Value};

use super::ExportError;

/// Size of the buffers decompressed text goes through.
const BUFFER: usize = 256 * 1024;

/// A person's id, the key the export deduplicates on.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub(crate) enum PersonKey {
    /// An integer id (the service's).
    Number(i64),
    /// Any other id, as text.
    Text(Box<str>),
}

impl PersonKey {
    /// The key of a record's `id`, if it has a usable one.
    pub(crate) fn of(value: Option<&Value>) -> Option<Self> {
        match value? {
            Value::Number(number) => match number.as_i64() {
                Some(id) => Some(Self::Number(id)),
                None => Some(Self::Text(number.to_string().into())),
            },
            Value::String(text) if !text.is_empty() => Some(Self::Text(text.as_str().into())),
            _ => None,
        }
    }
}

/// Calls `each` with every non-blank line of every file, in order, with its file and line number.
pub(crate) fn for_each_line(
    files: &[PathBuf],
    mut each: impl FnMut(&Path, u64, &[u8]) -> Result<(), ExportError>,
) -> Result<(), ExportError> {
    let mut line = Vec::with_capacity(64 * 1024);
    for path in files {
        let mut reader = open(path)?;
        let mut number = 0u64;
        loop {
            line.clear();
            let read = reader
                .read_until(b'\n', &mut line)
                .map_err(|error| ExportError::read(path, describe(&error)))?;
            if read == 0 {
                break;
            }
            number += 1;
            if line.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            each(path, number, &line)?;
        }
    }
    Ok(())
}

/// Calls `each` with every record of `files` whose id was not seen before (first wins; a record
/// without an id is always kept). Returns how many duplicates were skipped.
pub(crate) fn for_each_record(
    files: &[PathBuf],
    mut each: impl FnMut(&Map<String, Value>) -> Result<(), ExportError>,
) -> Result<u64, ExportError> {
    let mut seen: HashSet<PersonKey> = HashSet::new();
    let mut duplicates = 0;
    for_each_line(files, |path, number, line| {
        let record = parse_record(path, number, line)?;
        if let Some(key) = PersonKey::of(record.get("id")) {
            if !seen.insert(key) {
                duplicates += 1;
                return Ok(());
            }
        }
        each(&record)
    })?;
    Ok(duplicates)
}

/// One line as a JSON object, or [`ExportError::Damaged`] naming the file and line.
pub(crate) fn parse_record(
    path: &Path,
    number: u64,
    line: &[u8],
) -> Result<Map<String, Value>, ExportError> {
    let damaged = |reason: String| ExportError::Damaged {
        path: path.to_owned(),
        line: number,
        reason,
    };
    match serde_json::from_slice::<Value>(line) {
        Ok(Value::Object(record)) => Ok(record),
        Ok(_) => Err(damaged("it is JSON but not an object".into())),
        Err(error) => Err(damaged(format!("it is not valid JSON: {error}"))),
    }
}

/// A reader of the file's text: through gzip when it starts with gzip's magic bytes.
fn open(path: &Path) -> Result<Box<dyn BufRead>, ExportError> {
    let file = File::open(path).map_err(|error| ExportError::read(path, error))?;
    let mut raw = BufReader::with_capacity(BUFFER, file);
    let head = raw
        .fill_buf()
        .map_err(|error| ExportError::read(path, error))?;
    if head.starts_with(&[0x1f, 0x8b]) {
        let decoder = MultiGzDecoder::new(raw);
        Ok(Box::new(BufReader::with_capacity(BUFFER, decoder)))
    } else {
        Ok(Box::new(raw))
    }
}

fn describe(error: &std::io::Error) -> String {
    match error.kind() {
        std::io::ErrorKind::UnexpectedEof => "it is cut short".into(),
        _ => format!("it is not a valid gzip file ({error})"),
    }
}
