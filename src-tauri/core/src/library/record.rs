//! One downloaded line as the library keeps it: its id, the search columns (read as the results
//! table reads them), and the line itself, compressed.

use crate::export::cell::Cell;
use crate::export::source::PersonKey;
use crate::export::table::{person, row_fields, text};
use crate::export::value::{parse_record, Fields};

use super::LibraryError;

/// zstd's level for a person's copy (its default): on the shared sample a 3,500-byte line packs
/// to about 1,230 bytes.
const LEVEL: i32 = 3;

/// A person ready to be written.
#[derive(Debug)]
pub(super) struct Stored {
    pub id: i64,
    /// The line as downloaded (compared with the copy held, if any).
    pub line: String,
    pub record: Vec<u8>,
    pub last_updated: Option<String>,
    pub name: Option<String>,
    pub title: Option<String>,
    pub company: Option<String>,
    pub country: Option<String>,
}

/// What a line gives: a person, or a line to skip (not a JSON object, or no integer id).
pub(super) enum Line {
    Person(Stored),
    Skipped,
}

/// The fields [`read`] builds from a line.
pub(super) struct Reader {
    wanted: std::collections::HashSet<String>,
    /// One compression context for every line (making one per line costs as much as packing).
    packer: zstd::bulk::Compressor<'static>,
}

impl Reader {
    pub(super) fn new() -> Result<Self, LibraryError> {
        let mut wanted = row_fields();
        wanted.insert("last_updated".into());
        let packer = zstd::bulk::Compressor::new(LEVEL).map_err(packing)?;
        Ok(Self { wanted, packer })
    }

    /// The person on `line`, compressed.
    pub(super) fn read(&mut self, line: &str) -> Result<Line, LibraryError> {
        let fields = Fields {
            wanted: Some(&self.wanted),
            known: None,
        };
        let Ok((record, _)) = parse_record(line, fields) else {
            return Ok(Line::Skipped);
        };
        let Some(PersonKey::Number(id)) = PersonKey::of(record.get("id")) else {
            return Ok(Line::Skipped);
        };
        let row = person(&record);
        let filled = |text: String| (!text.is_empty()).then_some(text);
        Ok(Line::Person(Stored {
            id,
            line: line.trim_end().to_owned(),
            record: self
                .packer
                .compress(line.trim_end().as_bytes())
                .map_err(packing)?,
            last_updated: filled(text(Cell::from_value(record.get("last_updated")))),
            name: filled(row.name),
            title: filled(row.title),
            company: filled(row.company),
            country: filled(row.country),
        }))
    }
}

/// The top-level fields whose values differ between a held copy and a newer line, sorted;
/// `last_updated` is left out (it changes with any change). A line that is not a JSON object
/// differs in nothing that can be named.
pub(super) fn changed_fields(old: &serde_json::Value, line: &str) -> Vec<String> {
    let Ok(serde_json::Value::Object(new)) = serde_json::from_str::<serde_json::Value>(line) else {
        return Vec::new();
    };
    let empty = serde_json::Map::new();
    let old = old.as_object().unwrap_or(&empty);
    let mut fields: Vec<String> = old
        .keys()
        .chain(new.keys())
        .filter(|key| key.as_str() != "last_updated")
        .filter(|key| old.get(key.as_str()) != new.get(key.as_str()))
        .cloned()
        .collect();
    fields.sort_unstable();
    fields.dedup();
    fields
}

/// Why a line could not be packed.
fn packing(error: std::io::Error) -> LibraryError {
    LibraryError::Copy {
        action: "packed",
        reason: error.to_string(),
    }
}

/// A copy made by [`pack`], as JSON.
pub(super) fn unpack(copy: &[u8]) -> Result<serde_json::Value, LibraryError> {
    let line = unpack_line(copy)?;
    serde_json::from_slice(&line).map_err(|error| LibraryError::Copy {
        action: "unpacked",
        reason: error.to_string(),
    })
}

/// A copy from elsewhere (the team library) as its line, refused when it is not a zstd copy or
/// unpacks to more than `most` bytes: a small copy must not fill the memory.
pub(super) fn unpack_line_at_most(copy: &[u8], most: u64) -> Result<Vec<u8>, LibraryError> {
    use std::io::Read;
    let refused = |reason: String| LibraryError::Copy {
        action: "unpacked",
        reason,
    };
    let mut line = Vec::new();
    zstd::stream::read::Decoder::new(copy)
        .map_err(|error| refused(error.to_string()))?
        .take(most.saturating_add(1))
        .read_to_end(&mut line)
        .map_err(|error| refused(error.to_string()))?;
    if line.len() as u64 > most {
        return Err(refused(format!("it unpacks to more than {most} bytes")));
    }
    Ok(line)
}

/// A copy made by [`pack`], as the line it was made from.
pub(super) fn unpack_line(copy: &[u8]) -> Result<Vec<u8>, LibraryError> {
    zstd::stream::decode_all(copy).map_err(|error| LibraryError::Copy {
        action: "unpacked",
        reason: error.to_string(),
    })
}
