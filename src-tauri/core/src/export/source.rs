//! Reading the downloaded result files: gzip JSON Lines (a plain `.jsonl` too), one profile a line,
//! streamed line by line, in file order. Duplicates across files are recognised by the person's id.

use std::collections::HashSet;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::ops::ControlFlow;
use std::path::{Path, PathBuf};

use flate2::bufread::MultiGzDecoder;

use super::value::{parse_record, Fields, Obj, Val};
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
    pub(crate) fn of(value: Option<&Val<'_>>) -> Option<Self> {
        match value? {
            Val::Number(number) => match number.as_i64() {
                Some(id) => Some(Self::Number(id)),
                None => Some(Self::Text(number.to_string().into())),
            },
            Val::String(text) if !text.is_empty() => Some(Self::Text(text.as_ref().into())),
            _ => None,
        }
    }
}

/// Decompressed text goes from the reading thread to the parsing one in blocks of about this size,
/// each ending at a line end.
const BLOCK: usize = 1024 * 1024;

/// Blocks read ahead of the parser.
const BLOCKS_AHEAD: usize = 4;

/// A piece of one file's text, ending at a line end (or at the file's end).
struct Block {
    file: usize,
    text: Vec<u8>,
}

/// Calls `each` with every non-blank line of every file, in order, with its file and line number.
/// The files are read and decompressed on a second thread while `each` runs on this one; `each`
/// returning `Break` stops early.
pub(crate) fn for_each_line(
    files: &[PathBuf],
    mut each: impl FnMut(&Path, u64, &str) -> Result<ControlFlow<()>, ExportError>,
) -> Result<(), ExportError> {
    std::thread::scope(|scope| {
        let (sender, receiver) = std::sync::mpsc::sync_channel(BLOCKS_AHEAD);
        scope.spawn(move || read_blocks(files, &sender));
        let (mut file, mut number) = (usize::MAX, 0u64);
        // Ends when the reader is done; on an error here, dropping `receiver` stops the reader.
        for block in receiver {
            let block: Block = block?;
            if block.file != file {
                (file, number) = (block.file, 0);
            }
            let path = &files[file];
            for line in block.text.split_inclusive(|&byte| byte == b'\n') {
                number += 1;
                if line.iter().all(u8::is_ascii_whitespace) {
                    continue;
                }
                let text = std::str::from_utf8(line).map_err(|error| ExportError::Damaged {
                    path: path.clone(),
                    line: number,
                    reason: format!("it is not UTF-8 text ({error})"),
                })?;
                if each(path, number, text)?.is_break() {
                    return Ok(()); // Dropping `receiver` stops the reader.
                }
            }
        }
        Ok(())
    })
}

/// Sends every file's text in [`Block`]s, or the first error; stops when nobody listens.
fn read_blocks(
    files: &[PathBuf],
    sender: &std::sync::mpsc::SyncSender<Result<Block, ExportError>>,
) {
    for (file, path) in files.iter().enumerate() {
        let mut reader = match open(path) {
            Ok(reader) => reader,
            Err(error) => {
                let _ = sender.send(Err(error));
                return;
            }
        };
        let mut carry = Vec::new();
        loop {
            let mut text = std::mem::take(&mut carry);
            let wanted = BLOCK.saturating_sub(text.len()).max(64 * 1024);
            let read = match (&mut reader).take(wanted as u64).read_to_end(&mut text) {
                Ok(read) => read,
                Err(error) => {
                    let _ = sender.send(Err(ExportError::read(path, describe(&error))));
                    return;
                }
            };
            let at_end = read == 0;
            if !at_end {
                match text.iter().rposition(|&byte| byte == b'\n') {
                    Some(last) => carry = text.split_off(last + 1),
                    None => {
                        carry = text; // A line longer than a block: read on.
                        continue;
                    }
                }
            }
            if !text.is_empty() && sender.send(Ok(Block { file, text })).is_err() {
                return;
            }
            if at_end {
                break;
            }
        }
    }
}

/// What [`for_each_record`] hands over besides the record.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Seen {
    /// An earlier record had the same id: it is not exported (first wins).
    pub duplicate: bool,
    /// Every top-level field was one of `Fields::known`.
    pub known_fields: bool,
}

/// Calls `each` with every record of `files`, in order, built as `fields` says, with whether an
/// earlier record had the same id (a record without an id is never a duplicate). `each` returning
/// `Break` stops early. Returns how many duplicates there were.
pub(crate) fn for_each_record(
    files: &[PathBuf],
    fields: Fields<'_>,
    mut each: impl FnMut(&Obj<'_>, Seen) -> Result<ControlFlow<()>, ExportError>,
) -> Result<u64, ExportError> {
    let mut seen: HashSet<PersonKey> = HashSet::new();
    let mut duplicates = 0;
    for_each_line(files, |path, number, line| {
        let (record, known_fields) =
            parse_record(line, fields).map_err(|error| ExportError::Damaged {
                path: path.to_owned(),
                line: number,
                reason: match error.classify() {
                    serde_json::error::Category::Data => {
                        format!("it is JSON but not an object: {error}")
                    }
                    _ => format!("it is not valid JSON: {error}"),
                },
            })?;
        let duplicate = PersonKey::of(record.get("id")).is_some_and(|key| !seen.insert(key));
        duplicates += u64::from(duplicate);
        each(
            &record,
            Seen {
                duplicate,
                known_fields,
            },
        )
    })?;
    Ok(duplicates)
}

/// A reader of the file's text: through gzip when it starts with gzip's magic bytes.
fn open(path: &Path) -> Result<Box<dyn BufRead + Send>, ExportError> {
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
