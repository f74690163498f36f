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
use crate::local_files::{LINE_TOO_LONG, MAX_LINE_BYTES};

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

/// A piece of one file's text, ending at a line end (or at the file's end), or the news that the
/// file's next line is longer than [`MAX_LINE_BYTES`].
struct Block {
    file: usize,
    text: Result<Vec<u8>, LineTooLong>,
}

/// The file's next line is longer than [`MAX_LINE_BYTES`].
#[derive(Debug, PartialEq, Eq)]
struct LineTooLong;

/// Calls `each` with every non-blank line of every file, in order, with its file and line number.
/// The files are read and decompressed on a second thread while `each` runs on this one; `each`
/// returning `Break` stops early. A line longer than [`MAX_LINE_BYTES`] is refused, naming it.
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
            let Ok(text) = block.text else {
                return Err(ExportError::Damaged {
                    path: path.clone(),
                    line: number + 1,
                    reason: format!("it {LINE_TOO_LONG}"),
                });
            };
            for line in text.split_inclusive(|&byte| byte == b'\n') {
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
        let reader = match open(path) {
            Ok(reader) => reader,
            Err(error) => {
                let _ = sender.send(Err(error));
                return;
            }
        };
        let listening = cut_into_blocks(reader, MAX_LINE_BYTES, |text| {
            let block = text
                .map(|text| Block { file, text })
                .map_err(|error| ExportError::read(path, describe(&error)));
            sender.send(block).is_ok()
        });
        if !listening {
            return;
        }
    }
}

/// Reads `reader` to its end and hands its text to `send` in blocks of whole lines (the last may
/// lack its line end) of about [`BLOCK`] bytes. Each byte is looked at once for a line end: the
/// text carried over from one read to the next holds none, so only what a read adds is searched.
/// A line longer than `max_line` is not read on: `send` gets `Err(LineTooLong)` and reading stops.
/// Returns whether to go on with the next file (`send` returned `true` throughout, and no error).
fn cut_into_blocks(
    mut reader: impl Read,
    max_line: usize,
    mut send: impl FnMut(std::io::Result<Result<Vec<u8>, LineTooLong>>) -> bool,
) -> bool {
    let mut carry = Vec::new();
    loop {
        let mut text = std::mem::take(&mut carry);
        let searched = text.len();
        let wanted = BLOCK.saturating_sub(searched).max(64 * 1024);
        let read = match (&mut reader).take(wanted as u64).read_to_end(&mut text) {
            Ok(read) => read,
            Err(error) => {
                send(Err(error));
                return false;
            }
        };
        if read == 0 {
            return text.is_empty() || send(Ok(Ok(text)));
        }
        match last_line_end(&text[searched..]) {
            Some(at) => carry = text.split_off(searched + at + 1),
            None if text.len() > max_line => {
                send(Ok(Err(LineTooLong)));
                return false;
            }
            None => {
                carry = text; // A line longer than a block: read on.
                continue;
            }
        }
        if !send(Ok(Ok(text))) {
            return false;
        }
    }
}

/// Where the last line end in `text` is. The one place the reader looks for line ends.
fn last_line_end(text: &[u8]) -> Option<usize> {
    #[cfg(test)]
    tests::EXAMINED.with(|examined| examined.set(examined.get() + text.len() as u64));
    text.iter().rposition(|&byte| byte == b'\n')
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

#[cfg(test)]
mod tests {
    use std::cell::Cell;
    use std::io::Cursor;

    use super::*;

    thread_local! {
        /// Bytes [`last_line_end`] looked at on this thread.
        pub(super) static EXAMINED: Cell<u64> = const { Cell::new(0) };
    }

    /// The blocks `cut_into_blocks` makes of `text` with a line limit of `max_line`, and the bytes
    /// it looked at for line ends.
    fn cut(text: &[u8], max_line: usize) -> (Vec<Result<Vec<u8>, LineTooLong>>, u64) {
        EXAMINED.with(|examined| examined.set(0));
        let mut blocks = Vec::new();
        cut_into_blocks(Cursor::new(text), max_line, |block| {
            blocks.push(block.unwrap());
            true
        });
        (blocks, EXAMINED.with(Cell::get))
    }

    #[test]
    fn one_endless_line_is_searched_once_not_once_per_read() {
        // 16 MiB with no line end, then one short line: 256 reads of 64 KiB. Searching the
        // carried text again on every read would look at about 2 GiB.
        let mut text = vec![b'x'; 16 * 1024 * 1024];
        text.extend_from_slice(b"\n{}\n");
        let (blocks, examined) = cut(&text, MAX_LINE_BYTES);
        assert_eq!(blocks.concat_ok(), text);
        assert!(
            examined <= text.len() as u64,
            "looked at {examined} bytes for line ends in {} bytes",
            text.len()
        );
    }

    #[test]
    fn a_line_longer_than_the_limit_is_refused_and_not_read_on() {
        let mut text = b"{}\n{}\n".to_vec();
        text.extend(vec![b'x'; 3 * BLOCK]);
        let (blocks, examined) = cut(&text, BLOCK);
        assert_eq!(blocks.first(), Some(&Ok(b"{}\n{}\n".to_vec())));
        assert_eq!(blocks.last(), Some(&Err(LineTooLong)));
        assert!(examined < 2 * BLOCK as u64, "{examined}");
    }

    #[test]
    fn blocks_end_at_line_ends_and_keep_every_byte() {
        let text: Vec<u8> = (0..200_000)
            .flat_map(|i| format!("{{\"id\": {i}}}\n").into_bytes())
            .chain(b"{\"last\": 1}".iter().copied())
            .collect();
        let (blocks, examined) = cut(&text, MAX_LINE_BYTES);
        assert!(blocks.len() > 2);
        for block in &blocks[..blocks.len() - 1] {
            assert_eq!(block.as_ref().unwrap().last(), Some(&b'\n'));
        }
        assert_eq!(blocks.concat_ok(), text);
        assert!(examined <= text.len() as u64);
    }

    trait ConcatOk {
        fn concat_ok(&self) -> Vec<u8>;
    }

    impl ConcatOk for Vec<Result<Vec<u8>, LineTooLong>> {
        fn concat_ok(&self) -> Vec<u8> {
            self.iter()
                .flat_map(|block| block.as_ref().unwrap().clone())
                .collect()
        }
    }
}
