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
}

impl Reader {
    pub(super) fn new() -> Self {
        let mut wanted = row_fields();
        wanted.insert("last_updated".into());
        Self { wanted }
    }

    /// The person on `line`, compressed.
    pub(super) fn read(&self, line: &str) -> Result<Line, LibraryError> {
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
            record: pack(line.trim_end().as_bytes())?,
            last_updated: filled(text(Cell::from_value(record.get("last_updated")))),
            name: filled(row.name),
            title: filled(row.title),
            company: filled(row.company),
            country: filled(row.country),
        }))
    }
}

/// A line, compressed.
pub(super) fn pack(line: &[u8]) -> Result<Vec<u8>, LibraryError> {
    zstd::bulk::compress(line, LEVEL).map_err(|error| LibraryError::Copy {
        action: "packed",
        reason: error.to_string(),
    })
}

/// A copy made by [`pack`], as JSON.
pub(super) fn unpack(copy: &[u8]) -> Result<serde_json::Value, LibraryError> {
    serde_json::from_str(&unpack_line(copy)?).map_err(|error| unpacked(error.to_string()))
}

/// A copy made by [`pack`], as the line it was.
pub(super) fn unpack_line(copy: &[u8]) -> Result<String, LibraryError> {
    let line = zstd::stream::decode_all(copy).map_err(|error| unpacked(error.to_string()))?;
    String::from_utf8(line).map_err(|error| unpacked(error.to_string()))
}

fn unpacked(reason: String) -> LibraryError {
    LibraryError::Copy {
        action: "unpacked",
        reason,
    }
}
